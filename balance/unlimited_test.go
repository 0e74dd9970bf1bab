package balance_test

import (
	"context"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/internal/gen"
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
		p := gen.Problem(skewedTeam, seed)
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
