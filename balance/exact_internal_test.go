package balance

import (
	"fmt"
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

// TestExactShortWhereMaxIsFixed: on a team of 40 at capacity, each
// worker holding 24 cases of an hour, 12 queued cases of an hour make
// any worker who takes one the fullest, at 25/24, in every plan: no
// plan of them has a lower maximum, no branch is cut by it, and a full
// search visits every plan to even out the rest. The search is short:
// at most exactLevelNodes nodes, where it ran to exactNodes. With one
// worker emptier than the rest, the maximum may still fall, and from a
// plan at 25/24 the search finds the one at 100%.
func TestExactShortWhereMaxIsFixed(t *testing.T) {
	t.Parallel()
	team := func(emptier bool) Problem {
		p := Problem{AsOf: civil.NewDate(2026, 3, 2)}
		for j := range 40 {
			id := fmt.Sprintf("w%02d", j)
			p.Workers = append(p.Workers, Worker{ID: id, Capacity: 24})
			held := 24
			if emptier && j == 0 {
				held = 12
			}
			for c := range held {
				p.Cases = append(p.Cases, Case{ID: fmt.Sprintf("c%02d-%02d", j, c), Owner: id, Weight: 1, Pinned: true})
			}
		}
		for c := range 12 {
			p.Cases = append(p.Cases, Case{ID: fmt.Sprintf("q%02d", c), Weight: 1})
		}
		return p
	}
	freeOnly := func(u *unit) bool { return u.free }
	s := testSolver(t, team(false), nil)
	require.Empty(t, s.placeFree(s.freeOrder()))
	assert.LessOrEqual(t, s.exact(freeOnly), exactLevelNodes+1)
	s = testSolver(t, team(true), nil)
	// The heuristic puts the 12 on the emptier worker, at 100%, which
	// no plan beats: to search, start from a worse plan.
	for x := range s.units {
		if u := &s.units[x]; u.free {
			s.place(int32(x), int32(1+x%39))
		}
	}
	require.InDelta(t, 25.0/24, s.maxUtil(), 1e-9)
	s.exact(freeOnly)
	assert.InDelta(t, 1.0, s.maxUtil(), 1e-9, "the exact search finds the plan at 100%")
}
