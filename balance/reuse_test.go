package balance_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
)

// TestTeamProposeAgain: a prepared team's proposals, which reuse what
// the one before left (its array of units), are each the proposal of a
// fresh team with the same options, whatever was proposed in between:
// with other options, cut short by a done ctx, or on a team with
// families that a proposal split.
func TestTeamProposeAgain(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := balancetest.ProblemGen(balancetest.Shape{FamilyShare: 0.5, QueueShare: 0.5, Demand: 1.2}).Draw(t, "problem")
		team, err := balance.Prepare(p, nil)
		if err != nil {
			t.Skip("invalid problem")
		}
		done, cancel := context.WithCancel(context.Background())
		cancel()
		for range rapid.IntRange(1, 4).Draw(t, "proposals") {
			opts := balancetest.RebalanceOptionsGen().Draw(t, "options")
			ctx := context.Background()
			if rapid.IntRange(0, 3).Draw(t, "cut") == 0 {
				ctx = done
			}
			got, gotErr := team.Propose(ctx, opts)
			fresh, err := balance.Prepare(p, nil)
			require.NoError(t, err)
			want, wantErr := fresh.Propose(ctx, opts)
			require.Equal(t, wantErr, gotErr)
			require.Equal(t, want, got)
		}
	})
}
