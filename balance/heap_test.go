package balance

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestUtilHeapOrdersMarkedChanges changes batches of keys, marks them,
// and checks after each batch that the heap is in order and lists its
// members as a sort would: batches of 1 (sifted), of a few (their paths
// sifted down) and of many (the heap rebuilt), on heaps of 1 to 300
// members, with keys in a small range so that ties are common.
func TestUtilHeapOrdersMarkedChanges(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 2, 7, 64, 300} {
		for _, min := range []bool{true, false} {
			t.Run(fmt.Sprint(n, min), func(t *testing.T) {
				t.Parallel()
				rng := rand.New(rand.NewPCG(uint64(n), 3))
				key := make([]float64, 2*n) // members are the even workers
				var members []int32
				for j := range int32(n) {
					members = append(members, 2*j)
					key[2*j] = float64(rng.IntN(20))
				}
				h := newUtilHeap(key, members, min)
				for round := range 2000 {
					batch := []int{1, 2, 3, 5, n}[round%5]
					for range batch {
						l := rng.Int32N(int32(n))
						key[members[l]] = float64(rng.IntN(20))
						h.mark(l)
					}
					checkUtilHeap(t, h, key, members, min)
				}
			})
		}
	}
}

// checkUtilHeap checks that h is in order over key and that walkHeap
// lists members in order of key (descending for a max-heap), ties by
// worker.
func checkUtilHeap(t *testing.T, h *utilHeap, key []float64, members []int32, min bool) {
	t.Helper()
	want := slices.Clone(members)
	slices.SortFunc(want, func(a, b int32) int {
		if min {
			return cmp.Or(cmp.Compare(key[a], key[b]), cmp.Compare(a, b))
		}
		return cmp.Or(cmp.Compare(key[b], key[a]), cmp.Compare(a, b))
	})
	if got := h.top(); got != want[0] {
		t.Fatalf("top %d, want %d", got, want[0])
	}
	for i := 1; i < len(h.item); i++ {
		if h.above(h.item[i], h.item[(i-1)/2]) {
			t.Fatalf("position %d ranks above its parent", i)
		}
	}
	if !min {
		return // walkHeap walks min-heaps
	}
	var got []int32
	walkHeap(h, func(b int32) bool { got = append(got, b); return true })
	if !slices.Equal(got, want) {
		t.Fatalf("walk %v, want %v", got, want)
	}
}
