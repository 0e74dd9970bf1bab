package balance

import (
	"testing"

	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKeepHomeShedsWhatOthersMayTake: ann and bob hold skill x, cat
// does not; all have 20 h. Ann holds a case that needs x (6 h) and one
// anyone may take (8 h) over 11 h of pinned work: 25 h, 5 h above
// T = 1. Bob is full with x work. The lightest case that clears ann's
// excess is the one that needs x, which only bob may take, and he has
// no room; keepHome sends the other, which cat may take, in one move.
func TestKeepHomeShedsWhatOthersMayTake(t *testing.T) {
	t.Parallel()
	p := Problem{
		AsOf: civil.NewDate(2026, 3, 2),
		Workers: []Worker{
			{ID: "ann", Capacity: 20, Skills: []string{"x"}},
			{ID: "bob", Capacity: 20, Skills: []string{"x"}},
			{ID: "cat", Capacity: 20},
		},
		Cases: []Case{
			{ID: "a0", Weight: 11, Owner: "ann", Pinned: true},
			{ID: "a1", Weight: 6, Owner: "ann", Skills: []string{"x"}},
			{ID: "a2", Weight: 8, Owner: "ann"},
			{ID: "b1", Weight: 20, Owner: "bob", Skills: []string{"x"}},
		},
	}
	s := testSolver(t, p, &RebalanceOptions{MaxMoves: -1})
	held := func(u *unit) bool { return !u.free && !u.anchored && !u.stuck }
	require.True(t, s.keepHome(1, held), "every worker at T or below")
	assert.Equal(t, 1, s.moved)
	for k := range s.units {
		u := &s.units[k]
		switch s.t.cases[u.cases[0]].ID {
		case "a1":
			assert.Equal(t, s.sidx[0], u.pos, "a1 stays with ann")
		case "a2":
			assert.Equal(t, s.sidx[2], u.pos, "a2 goes to cat")
		}
	}
}
