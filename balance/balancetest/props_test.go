package balancetest_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// rounds runs prop in n rounds of rapid.Check, 100 checks each (20 with
// -short), so that a property is tried thousands of times in all; under
// the race detector, one round.
func rounds(t *testing.T, n int, prop func(*rapid.T)) {
	t.Helper()
	if raceDetector {
		n = 1
	}
	for i := range n {
		t.Run(fmt.Sprint(i), rapid.MakeCheck(prop))
	}
}

// shapes are the shapes the property tests draw from, with the rounds
// each gets: 100 checks a round, so 4,500 checks in all (one round a
// shape under the race detector, which leaves the heavy ones out).
func shapes() []struct {
	name   string
	shape  balancetest.Shape
	rounds int
	heavy  bool // left out under the race detector
} {
	return []struct {
		name   string
		shape  balancetest.Shape
		rounds int
		heavy  bool
	}{
		{"default", balancetest.Shape{}, 12, false},
		{"larger", balancetest.Shape{Workers: 12, Cases: 40}, 5, true},
		{"overloaded", balancetest.Shape{Workers: 8, Cases: 30, Demand: 1.3}, 5, true},
		// Queued families needing skills few hold, on an overloaded team:
		// what waits, and whether a worker could take it.
		{"overloaded-families", balancetest.Shape{Workers: 10, Cases: 40, Demand: 1.3, SkillShare: 0.7, FamilyShare: 0.6, QueueShare: 0.8}, 5, true},
		{"families-and-pins", balancetest.Shape{Workers: 4, Cases: 12, FamilyShare: 0.8, PinShare: 0.3}, 5, false},
		{"absences", balancetest.Shape{ZeroCapacityShare: 0.5, AwayShare: 0.4, LeaveShare: 0.6}, 5, false},
		{"norms", balancetest.Shape{NormShare: 0.9, QueueShare: 0.6}, 5, false},
		{"tiny-and-giant", balancetest.Shape{Workers: 6, Cases: 10, Tiny: 300, Giant: true}, 2, true},
		{"thousands-tiny", balancetest.Shape{Workers: 4, Cases: 4, Tiny: 2000, SkillShare: -1, FamilyShare: -1}, 1, true},
	}
}

// TestProposeKeepsInvariants runs Propose on generated problems and
// options and holds every proposal against CheckProposal.
func TestProposeKeepsInvariants(t *testing.T) {
	t.Parallel()
	for _, sh := range shapes() {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			if sh.heavy && raceDetector {
				t.Skip("heavy for the race detector; the plain run covers it")
			}
			rounds(t, sh.rounds, func(t *rapid.T) {
				p := balancetest.ProblemGen(sh.shape).Draw(t, "problem")
				opts := balancetest.RebalanceOptionsGen().Draw(t, "options")
				// A generous deadline turns a search that never ends
				// into a failure with its input.
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				pr, err := balance.Propose(ctx, p, opts)
				require.NoError(t, err, "Propose did not finish within a minute")
				if err := balancetest.CheckProposal(p, opts, pr); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}

// TestRankKeepsInvariants ranks generated cases against generated
// problems and holds every ranking against CheckRanking.
func TestRankKeepsInvariants(t *testing.T) {
	t.Parallel()
	for _, sh := range shapes() {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			rounds(t, sh.rounds, func(t *rapid.T) {
				p := balancetest.ProblemGen(sh.shape).Draw(t, "problem")
				c := balancetest.CaseFor(p).Draw(t, "case")
				opts := balancetest.OptionsGen().Draw(t, "options")
				r, err := balance.Rank(p, c, opts)
				require.NoError(t, err)
				balancetest.VerifyRanking(t, p, c, opts, r)
			})
		})
	}
}
