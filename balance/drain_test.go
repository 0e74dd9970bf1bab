package balance_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
)

// TestDrainMakesRoom: on a skewed team of 20 where one in twenty workers
// has no capacity and three in ten a caseload norm, the cases held by
// the workers without capacity that only workers at their norm may take
// are moved anyway, each once one of that worker's cases moves on: load
// left where there is no capacity comes before the maximum. With no
// move limit and any strict gain, 56 h stayed there, and CheckProposal
// found 101 cases that a worker could have taken (a sweep of the
// unlimited rebalance found it).
func TestDrainMakesRoom(t *testing.T) {
	t.Parallel()
	p := balancetest.Generate(0x1fb, balancetest.Size{Workers: 20, Cases: 2000, Assigned: true, FamilyShare: -1, PinShare: -1,
		NormShare: 0.3, ZeroCapacityShare: 0.05, PauseShare: 0.1})
	for _, o := range []*balance.RebalanceOptions{{MaxMoves: -1, MinGain: -1}, {MaxMoves: -1}, {MaxMoves: 1 << 30, MinGain: -1}} {
		pr, err := balance.Propose(context.Background(), p, o)
		require.NoError(t, err)
		assert.NoError(t, balancetest.CheckProposal(p, o, pr), "MaxMoves %d, MinGain %v", o.MaxMoves, o.MinGain)
	}
}

// TestDrainStopsAtDeadline: with ctx already done, the cases held by
// workers without capacity stay where they are: moving them is a
// search like any other, and on half a national team without capacity
// it went on for 145 ms past the deadline. The proposal still lists
// every case, and its status says it stopped.
func TestDrainStopsAtDeadline(t *testing.T) {
	t.Parallel()
	p := balancetest.Generate(1, balancetest.Size{Workers: 40, Cases: 960, Assigned: true, ZeroCapacityShare: 0.5})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	pr, err := balance.Propose(ctx, p, &balance.RebalanceOptions{MaxMoves: -1})
	require.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, balance.StatusStopped, pr.Status)
	assert.Len(t, pr.Assignment, len(p.Cases))
	assert.Zero(t, pr.MovesUsed, "voluntary moves after the deadline")
}

// TestDrainPastAWaitingCaseNoOneMayTake: worker z has no capacity and
// holds h, which needs a skill only a holds; a and b each may hold one
// case; q waits in the queue. Drain moves h to a and q to b, moving q
// off a if it was placed there, also when another queued case needs a
// skill nobody holds: that case waits for no one, and made drain leave
// q where it was, and h with z.
func TestDrainPastAWaitingCaseNoOneMayTake(t *testing.T) {
	t.Parallel()
	for _, hopeless := range []bool{false, true} {
		p := balance.Problem{AsOf: balancetest.GenerateAsOf(),
			Workers: []balance.Worker{
				{ID: "a", Capacity: 36, Skills: []string{"s"}, CaseloadNorm: balance.CaseloadNorm(1)},
				{ID: "b", Capacity: 36, CaseloadNorm: balance.CaseloadNorm(1)},
				{ID: "z"},
			},
			Cases: []balance.Case{
				{ID: "h", Weight: 4, Skills: []string{"s"}, Owner: "z"},
				{ID: "q", Weight: 2},
			},
		}
		if hopeless {
			p.Cases = append(p.Cases, balance.Case{ID: "r", Weight: 1, Skills: []string{"nobody"}})
		}
		pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{MaxMoves: -1})
		require.NoError(t, err)
		got := map[string]string{}
		for _, pl := range pr.Assignment {
			got[pl.Case] = pl.Worker
		}
		assert.Equal(t, "a", got["h"], "hopeless %v", hopeless)
		assert.Equal(t, "b", got["q"], "hopeless %v", hopeless)
	}
}
