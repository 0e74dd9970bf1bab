package balance

import (
	"slices"
	"testing"

	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRewindKeepsListOrder: after a search that fails, rewindTo leaves
// every worker's list of units in the order it had, which restoring the
// positions alone does not (a unit taken off a list leaves the last in
// its slot); the local search meets ties in that order, so a failed
// shed search at the bound ([solver.shedToBound]) would otherwise send
// the search after it down another path. Two workers of 37.5 h; ann
// holds four cases.
func TestRewindKeepsListOrder(t *testing.T) {
	t.Parallel()
	p := Problem{
		AsOf: civil.NewDate(2026, 3, 2),
		Workers: []Worker{
			{ID: "ann", Capacity: 37.5},
			{ID: "bob", Capacity: 37.5},
		},
		Cases: []Case{
			{ID: "a1", Weight: 8, Owner: "ann"},
			{ID: "a2", Weight: 6, Owner: "ann"},
			{ID: "a3", Weight: 4, Owner: "ann"},
			{ID: "a4", Weight: 2, Owner: "ann"},
			{ID: "b1", Weight: 5, Owner: "bob"},
		},
	}
	s := testSolver(t, p, &RebalanceOptions{MaxMoves: 3})
	ann, bob := s.sidx[0], s.sidx[1]
	require.Len(t, s.on[ann], 4)
	lists := func() [][]int32 {
		var l [][]int32
		for j := range s.m {
			l = append(l, slices.Clone(s.on[j]))
		}
		return l
	}
	want, wantLoad := lists(), slices.Clone(s.load)
	r := s.saveRewind()
	// What a search does: units off ann to bob and back.
	first, second := s.on[ann][0], s.on[ann][1]
	s.place(first, bob)
	s.place(second, -1)
	s.place(second, bob)

	s.restore(r.pos)
	require.NotEqual(t, want, lists(), "restoring positions alone keeps the lists' order: the test shows nothing")
	s.place(first, bob)
	s.rewindTo(r)
	assert.Equal(t, want, lists())
	assert.Equal(t, wantLoad, s.load)
	for j := range s.m {
		for i, x := range s.on[j] {
			assert.Equal(t, int32(i), s.units[x].slot, "unit %d's slot on worker %d", x, j)
			assert.Equal(t, int32(j), s.units[x].pos)
			assert.Equal(t, s.units[x].w, s.onW[j][i], "the weight in unit %d's slot on worker %d", x, j)
		}
	}
	assert.Zero(t, s.moved)
}
