package balance

import (
	"cmp"
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestFreeOrderPacked checks that freeOrder, which packs weights below
// 2^32 micro-units with the unit's index into one number to sort, gives
// the order of its definition (heaviest first, ties by index, free
// units only, none hopeless or late), with weights in a small range so
// that ties are common, and with one weight too large to pack, which
// takes the sort by comparison.
func TestFreeOrderPacked(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := rng.IntN(300)
		s := &solver{ctx: context.Background(), units: make([]unit, n)}
		for x := range s.units {
			u := &s.units[x]
			u.w = int64(rng.IntN(20)) * micro
			u.free = rng.IntN(4) > 0
			u.hopeless = rng.IntN(10) == 0
			u.late = rng.IntN(10) == 0
		}
		if trial%2 == 1 && n > 0 {
			s.units[rng.IntN(n)].w = math.MaxUint32 + 1
		}
		var want []int32
		for x := range s.units {
			if u := &s.units[x]; u.free && !u.hopeless && !u.late {
				want = append(want, int32(x))
			}
		}
		slices.SortStableFunc(want, func(a, b int32) int { return cmp.Compare(s.units[b].w, s.units[a].w) })
		if got := s.freeOrder(); !slices.Equal(got, want) {
			t.Fatalf("trial %d: freeOrder = %v, want %v", trial, got, want)
		}
	}
}

// TestMostUrgent holds mostUrgent against a sort: the g it keeps are
// the g first of the order, for lists with many ties broken by index.
func TestMostUrgent(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 500 {
		n := rng.IntN(60)
		key := make([]int, n)
		xs := make([]int32, n)
		for i := range n {
			key[i] = rng.IntN(8)
			xs[i] = int32(i)
		}
		rng.Shuffle(n, func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
		urgent := func(a, b int32) int { return cmp.Or(cmp.Compare(key[a], key[b]), cmp.Compare(a, b)) }
		g := rng.IntN(n+2) - 1
		got := slices.Clone(mostUrgent(slices.Clone(xs), g, urgent))
		want := slices.SortedFunc(slices.Values(xs), urgent)[:max(0, min(g, n))]
		slices.SortFunc(got, urgent)
		if !slices.Equal(got, want) {
			t.Fatalf("trial %d: %d most urgent of %v: got %v, want %v", trial, g, xs, got, want)
		}
	}
}
