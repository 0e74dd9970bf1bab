package balance_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestUnlimitedReachesTheLevel pins the reproduction of issue 21 at a
// tenth of its size: 100 workers of capacity 20 and 2,000 cases of
// weight 1, all held by ten of them. Without a move limit every worker
// ends at exactly 20 hours, with the 1,800 moves that takes (each of
// the ten sheds 180 cases) and no more.
func TestUnlimitedReachesTheLevel(t *testing.T) {
	t.Parallel()
	pr, err := balance.Propose(context.Background(), concentrated(100, 2000), &balance.RebalanceOptions{MaxMoves: -1})
	require.NoError(t, err)
	assert.InDelta(t, 1.0, pr.MaxUtilization, 1e-9)
	assert.Equal(t, 1800, pr.MovesUsed)
	assert.Equal(t, balance.StatusOptimal, pr.Status)
}

// TestUnlimitedAsGoodAsFromEmpty holds a rebalance without a move limit
// to what a solve from empty reaches on the same team: no higher
// maximum, but for MinGain (a move must gain at least that).
func TestUnlimitedAsGoodAsFromEmpty(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 6; seed++ {
		p := balancetest.Generate(seed, skewedTeam)
		pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{MaxMoves: -1})
		require.NoError(t, err)
		empty := p
		empty.Cases = append([]balance.Case(nil), p.Cases...)
		for i := range empty.Cases {
			if !empty.Cases[i].Pinned {
				empty.Cases[i].Owner = ""
			}
		}
		fromEmpty, err := balance.Propose(context.Background(), empty, nil)
		require.NoError(t, err)
		// 0.0005 is the default MinGain.
		assert.LessOrEqual(t, pr.MaxUtilization, fromEmpty.MaxUtilization+0.0005+1e-9, "seed %d", seed)
	}
}

// fromEmptyOf returns p with every case that is not pinned queued.
func fromEmptyOf(p balance.Problem) balance.Problem {
	empty := p
	empty.Cases = append([]balance.Case(nil), p.Cases...)
	for i := range empty.Cases {
		if !empty.Cases[i].Pinned {
			empty.Cases[i].Owner = ""
		}
	}
	return empty
}

// TestUnlimitedFewMovesAtTheLevel holds a rebalance without a move
// limit, on skewed teams of thousands of units, to the level a solve
// from empty reaches and to few moves at it (issue 21: "then spends as
// few moves as that level needs"). Before the workers above the level
// shed their units and placed them again in rounds (keepHome), the
// region team ended at 1.396880 with 2,561 moves, above the solve from
// empty (1.396438), and the tight team (no families, no pins, demand
// close to the level) moved 4,066 of its 6,000 cases: the candidates
// that keep units home all failed there, and the solve from empty with
// moves taken back stood. Now they end at 1.396438 with 2,511 moves
// and at 0.950896 with 2,848. The bounds on the moves leave room for a
// change of a few percent.
func TestUnlimitedFewMovesAtTheLevel(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		size     balancetest.Size
		seed     uint64
		slack    float64 // above the solve from empty; MinGain's 0.0005 at most
		maxMoves int
	}{
		{"region", balancetest.Size{Workers: 500, Cases: 12000, Assigned: true}, 1, 0, 2540},
		{"tight", balancetest.Size{Workers: 200, Cases: 6000, Assigned: true, FamilyShare: -1, PinShare: -1}, 3, 0.0005, 3000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := balancetest.Generate(tc.seed, tc.size)
			pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{MaxMoves: -1})
			require.NoError(t, err)
			fromEmpty, err := balance.Propose(context.Background(), fromEmptyOf(p), nil)
			require.NoError(t, err)
			assert.LessOrEqual(t, pr.MaxUtilization, fromEmpty.MaxUtilization+tc.slack+1e-9)
			assert.LessOrEqual(t, pr.MovesUsed, tc.maxMoves)
			t.Logf("max %.6f (from empty %.6f), %d moves", pr.MaxUtilization, fromEmpty.MaxUtilization, pr.MovesUsed)
		})
	}
}

// TestUnlimitedLargeKeepsInvariants runs rebalances without a move
// limit on skewed teams large enough for the workers above the level
// to shed their units in rounds (keepHome: 2,000 units or more), with
// the corners of a team's life (norms, some above them, away workers,
// leave, workers without capacity, paused intake, orphaned cases), and
// checks every invariant of the proposal and that the same team, listed
// in another order, gives the same proposal. On four of the eight
// seeds the solve from empty beats the current assignment and keepHome
// runs; on two of those its rounds reach the level.
func TestUnlimitedLargeKeepsInvariants(t *testing.T) {
	if testing.Short() {
		t.Skip("CheckProposal on 2,400 cases takes seconds")
	}
	t.Parallel()
	opts := &balance.RebalanceOptions{MaxMoves: -1}
	for seed := uint64(1); seed <= 8; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			t.Parallel()
			p := balancetest.Generate(seed, balancetest.Size{Workers: 80, Cases: 2400, Assigned: true,
				NormShare: 0.2, AwayShare: 0.02, LeaveShare: 0.1, ZeroCapacityShare: 0.02, PauseShare: 0.1, OrphanShare: 0.02})
			pr, err := balance.Propose(context.Background(), p, opts)
			require.NoError(t, err)
			require.NoError(t, balancetest.CheckProposal(p, opts, pr))
			// The same team listed in reverse order: the same proposal.
			q := p
			q.Workers, q.Cases = slices.Clone(p.Workers), slices.Clone(p.Cases)
			slices.Reverse(q.Workers)
			slices.Reverse(q.Cases)
			again, err := balance.Propose(context.Background(), q, opts)
			require.NoError(t, err)
			assert.Equal(t, pr, again)
			t.Logf("max %.6f, %d moves", pr.MaxUtilization, pr.MovesUsed)
		})
	}
}
