package balance

import (
	"context"
	"testing"

	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waiting counts the free units that wait, as solver.unplaced should.
func (s *solver) waiting() int {
	n := 0
	for x := range s.units {
		if u := &s.units[x]; u.free && !u.stuck && u.pos < 0 {
			n++
		}
	}
	return n
}

// TestSplitUnitCountsEachCase: a family split into its cases counts
// each as waiting. It counted once, and the exact search, reading no
// case as waiting, then cut every branch that placed a waiting case at
// a higher maximum: a weightless case was left unplaced beside a
// worker with room (TestProposeKeepsInvariants/larger, 2 December).
func TestSplitUnitCountsEachCase(t *testing.T) {
	t.Parallel()
	p := Problem{
		AsOf: civil.NewDate(2026, 3, 2),
		Workers: []Worker{
			{ID: "ann", Capacity: 10, Skills: []string{"court"}},
			{ID: "bob", Capacity: 10, Skills: []string{"trauma"}},
		},
		Cases: []Case{
			{ID: "c1", Weight: 2, Group: "f", Skills: []string{"court"}},
			{ID: "c2", Weight: 2, Group: "f", Skills: []string{"trauma"}},
			{ID: "c3", Weight: 0, Group: "f"},
			{ID: "c4", Weight: 1},
		},
	}
	team, err := Prepare(p, nil)
	require.NoError(t, err)
	ro, err := (&RebalanceOptions{}).resolveRebalance()
	require.NoError(t, err)
	s := newSolver(context.Background(), team, ro)
	assert.Equal(t, s.waiting(), s.unplaced, "before the split")
	fam := int32(-1)
	for x := range s.units {
		if len(s.units[x].cases) == 3 {
			fam = int32(x)
		}
	}
	require.GreaterOrEqual(t, fam, int32(0), "no family unit")
	xs := s.splitUnit(fam)
	require.Len(t, xs, 3)
	assert.Equal(t, 4, s.waiting(), "after the split")
	assert.Equal(t, s.waiting(), s.unplaced, "after the split")
	for _, x := range xs {
		if b := s.bestTarget(&s.units[x], -1, 1); b >= 0 {
			s.place(x, b)
		}
	}
	assert.Equal(t, 1, s.waiting(), "after placing the family's cases")
	assert.Equal(t, s.waiting(), s.unplaced, "after placing the family's cases")
}
