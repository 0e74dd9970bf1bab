package balance_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A case that declines the only worker with room must go to one whose
// capacity is a micro-hour: a utilization of 1.4e10, which the proof
// search's per-worker limit, in micro-hours, once overflowed int64 on
// and then counted up from −9.2e18 for ever (found by balancetest's
// property test).
func TestProposeHugeUtilizationEnds(t *testing.T) {
	p := balance.Problem{AsOf: civil.MustParseDate("2026-03-02"),
		Workers: []balance.Worker{{ID: "w0", Capacity: 100000}, {ID: "w1", Capacity: 1e-6}},
	}
	for _, id := range []string{"c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"} {
		c := balance.Case{ID: id, Weight: 14444.444444588888}
		switch id {
		case "c0", "c2":
			c.Owner = "w0"
		case "c8":
			c.Declines = []balance.Decline{{Worker: "w0", Reason: "knows the family"}}
		}
		p.Cases = append(p.Cases, c)
	}
	done := make(chan *balance.Proposal, 1)
	go func() {
		pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{MaxMoves: 0})
		assert.NoError(t, err)
		done <- pr
	}()
	select {
	case pr := <-done:
		require.NotNil(t, pr)
		assert.Equal(t, "w1", ownersOf(pr.Apply(p))["c8"])
	case <-time.After(20 * time.Second):
		t.Fatal("Propose has not returned after 20 s") // it never did
	}
}

// A family's new member placed with the worker who holds the family
// stays there: the local search that follows a found proof once moved
// it to the other worker (found by balancetest's property test).
func TestProposeProofKeepsNewMemberWithFamily(t *testing.T) {
	c := func(id string, w float64, owner, group string, skills ...string) balance.Case {
		return balance.Case{ID: id, Weight: balance.HoursPerWeek(w), Owner: owner, Group: group, Skills: skills}
	}
	const u = 1.3866666666666667
	p := balance.Problem{AsOf: civil.MustParseDate("2026-03-02"),
		Workers: []balance.Worker{{ID: "w0", Capacity: 32}, {ID: "w1", Capacity: 32}},
		Cases: []balance.Case{
			c("c0", u, "", "", "court"), c("c1", u, "w0", ""), c("c2", u, "", ""), c("c3", u, "", ""),
			c("c4", u, "w0", ""), c("c5", u, "w0", ""), c("c6", u, "", "f1"), c("c7", 5*u, "", ""),
			c("c8", u, "", "", "court"), c("c9", 8*u, "w0", "", "court"), c("c10", u, "w0", "", "court"),
			c("c11", 11*u, "w0", "f1"), c("c12", 27*u, "w0", ""),
		}}
	p.Cases[11].Pinned = true
	pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{MaxMoves: 1, ReplaceAway: true})
	require.NoError(t, err)
	assert.Equal(t, "w0", ownersOf(pr.Apply(p))["c6"], "the new member of f1 goes to w0, who holds f1")
}

// Placements keep hard capacity with no held case moved, so the first
// step is valid: the local search that follows a found proof once put a
// queued case on w1, who had room for it only after the move of c0 that
// came in the second step (found by balancetest's property test).
func TestProposeProofKeepsFirstStepValid(t *testing.T) {
	p := balance.Problem{AsOf: civil.MustParseDate("2026-03-02"),
		Workers: []balance.Worker{
			{ID: "w0", Capacity: 32, Pause: &balance.Pause{Reason: "on a course"}},
			{ID: "w1", Capacity: 32, Skills: []string{"trauma"}},
			{ID: "w2", Capacity: 40},
		},
		Cases: []balance.Case{
			{ID: "c0", Weight: 14.5, Owner: "w1"},
			{ID: "c6", Weight: 8},
			{ID: "c7", Weight: 9.75, Skills: []string{"trauma"}},
			{ID: "c11", Weight: 0.125},
		}}
	pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{MaxMoves: 1, HardCapacity: true})
	require.NoError(t, err)
	first := 0.0
	for _, mv := range pr.Moves {
		if mv.Step == 0 && mv.To == "w1" {
			first += float64(p.Cases[slices.IndexFunc(p.Cases, func(c balance.Case) bool { return c.ID == mv.Case })].Weight)
		}
	}
	assert.LessOrEqual(t, 14.5+first, 32.0, "w1 after the first step")
	assert.Equal(t, balance.StatusOptimal, pr.Status)
	assert.InDelta(t, 22.5/40, pr.MaxUtilization, 1e-9) // c6 and c0 on w2
}
