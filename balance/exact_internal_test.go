package balance

import (
	"testing"

	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestExactReadsMaximaAsWorse: the exact search cuts a branch that is
// already fuller than the best plan as objective.worse reads two
// maxima, within a billionth of the larger above 100%. Ann (500 h)
// holds 14,950 h and must take x (50 h and 1 µh, skill sx, which only
// she and carl hold) or y (50 h, skill sy: she and bob); bob (who
// holds 100 h at a thousandth of a share) and carl may each take one
// case more (norms of 1.01 and 1), and z (150 h) goes to whichever is
// left. Ann with y is at 3,000% with bob at 50% and carl at 10%; ann
// with x is 2e-9 above (1 µh in 500 h), equal to worse, with bob and
// carl at 30% each, a lower spread: the better plan. From the first,
// the search cut the second at 3,000% and an absolute billionth.
func TestExactReadsMaximaAsWorse(t *testing.T) {
	t.Parallel()
	one, more := Shares(1), Shares(1.01)
	p := Problem{
		AsOf: civil.NewDate(2026, 3, 2),
		Workers: []Worker{
			{ID: "ann", Capacity: 500, Skills: []string{"sx", "sy"}},
			{ID: "bob", Capacity: 500, Skills: []string{"sy"}, CaseloadNorm: &more},
			{ID: "carl", Capacity: 500, Skills: []string{"sx"}, CaseloadNorm: &one},
		},
		Cases: []Case{
			{ID: "a1", Weight: 14950, Owner: "ann", Pinned: true},
			{ID: "b1", Weight: 100, Owner: "bob", Pinned: true, Share: 0.001},
			{ID: "x", Weight: 50.000001, Skills: []string{"sx"}},
			{ID: "y", Weight: 50, Skills: []string{"sy"}},
			{ID: "z", Weight: 150},
		},
	}
	s := testSolver(t, p, &RebalanceOptions{MaxMoves: -1})
	ann, bob, carl := s.sidx[0], s.sidx[1], s.sidx[2]
	of := map[string]int32{}
	for k := range s.units {
		of[s.t.cases[s.units[k].cases[0]].ID] = int32(k)
	}
	require.Len(t, of, 3)
	s.place(of["y"], ann)
	s.place(of["x"], carl)
	s.place(of["z"], bob)
	start := s.objective()
	require.InDelta(t, 30, start.max, 1e-12)
	s.exact(func(u *unit) bool { return u.free })
	assert.Equal(t, ann, s.units[of["x"]].pos, "ann takes x")
	assert.Equal(t, bob, s.units[of["y"]].pos)
	assert.Equal(t, carl, s.units[of["z"]].pos)
	assert.True(t, start.worse(s.objective()), "the plan it leaves is better to worse")
}
