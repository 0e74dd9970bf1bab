package balance

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFullestMatchesHeap: the four fullest read off a max-heap answer
// "the highest key but for a, b and c" as the heap's own scan does
// (utilHeap.maxExcept3), for every choice of up to three members left
// out among the four fullest and two others, on heaps of 1 to 40 members whose keys change between reads and
// often tie (keys from a small range).
func TestFullestMatchesHeap(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 2, 3, 4, 5, 16, 40} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			rng := rand.New(rand.NewPCG(uint64(n), 7))
			key := make([]float64, n)
			members := make([]int32, n)
			for j := range members {
				members[j] = int32(j)
				key[j] = float64(rng.IntN(6))
			}
			h := newUtilHeap(key, members, false)
			for range 50 {
				for range 1 + rng.IntN(3) {
					l := rng.Int32N(int32(n))
					key[l] = float64(rng.IntN(6))
					h.mark(l)
				}
				f := h.fullest()
				require.Equal(t, min(n, 4), f.n)
				// Left out: none, the four fullest and two others.
				out := append([]int32{-1}, f.w[:f.n]...)
				out = append(out, rng.Int32N(int32(n)), rng.Int32N(int32(n)))
				for _, a := range out {
					for _, b := range out {
						for _, c := range out {
							assert.Equal(t, h.maxExcept3(a, b, c), f.except(a, b, c), "without %d, %d and %d", a, b, c)
						}
					}
				}
			}
		})
	}
}

// TestLeastCost: leastCost is the fewest moves a unit costs over every
// worker it may go to off the one it is on, for a queued unit, a held
// unit with its owner and one away from them.
func TestLeastCost(t *testing.T) {
	t.Parallel()
	s := &solver{}
	for _, u := range []unit{
		{free: true, orig: -1, pos: 1},
		{orig: 0, pos: 0},
		{orig: 0, pos: 1},
	} {
		least := 1 << 30
		for b := range int32(3) {
			if b != u.pos {
				least = min(least, s.cost(&u, b))
			}
		}
		assert.Equal(t, least, s.leastCost(&u), "%+v", u)
	}
}
