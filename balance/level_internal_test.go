package balance

import (
	"testing"

	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRoomAtAPlansLevel: at a level a plan reaches, a worker has room
// for the unit that brings them to it. Two workers of 37.5 h; bob
// holds 20 h, ann 30 h and a case of 5 h that would take bob to
// 25/37.5, a level T the target method and the shed search aim at
// (levelFromEmpty takes a plan's own maximum). T/inv came out as
// 24,999,999.999999996 µh, and its floor took a whole micro-hour off
// bob's room: he read as unable to take the case at T. (The flow
// bound had the same fault, d7a329f.)
func TestRoomAtAPlansLevel(t *testing.T) {
	t.Parallel()
	p := Problem{
		AsOf: civil.NewDate(2026, 3, 2),
		Workers: []Worker{
			{ID: "ann", Capacity: 37.5},
			{ID: "bob", Capacity: 37.5},
		},
		Cases: []Case{
			{ID: "a1", Weight: 30, Owner: "ann", Pinned: true},
			{ID: "b1", Weight: 20, Owner: "bob", Pinned: true},
			{ID: "q1", Weight: 5, Owner: "ann"},
		},
	}
	s := testSolver(t, p, &RebalanceOptions{MaxMoves: -1})
	ann, bob := s.sidx[0], s.sidx[1]
	x := int32(-1)
	for k := range s.units {
		if u := &s.units[k]; s.t.cases[u.cases[0]].ID == "q1" {
			x = int32(k)
		}
	}
	require.GreaterOrEqual(t, x, int32(0))
	T := float64(25*micro) * s.inv[bob] // bob's utilization with the case
	assert.Equal(t, int64(25*micro), s.loadAt(bob, T), "bob's most load at T")
	assert.True(t, s.roomUnder(T, x, ann), "bob has room for the case at T")
	s.place(x, -1) // taken off ann, as takeOffAbove does
	require.True(t, s.placeUnder(T, []int32{x}, false, false), "the case fits under T")
	assert.Equal(t, bob, s.units[x].pos)
}
