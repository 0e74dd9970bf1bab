package balance

import (
	"testing"

	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBoundCacheByPlacedSet: the bound is kept while the same units are
// placed, though a search took some off and put them back (the target
// method and the shed search do, and the bound cost 15% of Propose's
// instructions on a skewed team under a budget of 30 moves, computed
// three times), and computed anew once another set is placed. Three
// workers of 37.5 h; ann holds three cases, the others one each.
func TestBoundCacheByPlacedSet(t *testing.T) {
	t.Parallel()
	p := Problem{
		AsOf: civil.NewDate(2026, 3, 2),
		Workers: []Worker{
			{ID: "ann", Capacity: 37.5},
			{ID: "bob", Capacity: 37.5},
			{ID: "cat", Capacity: 37.5},
		},
		Cases: []Case{
			{ID: "a1", Weight: 20, Owner: "ann"},
			{ID: "a2", Weight: 10, Owner: "ann"},
			{ID: "a3", Weight: 5, Owner: "ann"},
			{ID: "b1", Weight: 5, Owner: "bob"},
			{ID: "c1", Weight: 2, Owner: "cat"},
		},
	}
	s := testSolver(t, p, &RebalanceOptions{MaxMoves: 1})
	first, _ := s.bound()
	cached := s.boundCache
	require.NotNil(t, cached)

	// Off and back on, and a move: the same units placed.
	x := int32(0)
	from := s.units[x].pos
	s.place(x, -1)
	s.place(x, from)
	s.place(x, (from+1)%int32(s.m))
	again, _ := s.bound()
	assert.Equal(t, first, again)
	assert.Same(t, cached, s.boundCache, "the same units are placed: the bound is not computed again")

	// One unit off: another set, another bound.
	s.place(x, -1)
	s.bound()
	assert.NotSame(t, cached, s.boundCache, "another set of units is placed: the bound is computed anew")
}
