package balance_test

import (
	"context"
	"strconv"
	"sync"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
)

// referenceTeams builds once the skewed teams of the move-budget
// reference (TestMoveBudgetReference): seeds 1 to 12 of skewedTeam.
var referenceTeams = sync.OnceValue(func() []balance.Problem {
	ps := make([]balance.Problem, 12)
	for i := range ps {
		ps[i] = balancetest.Generate(uint64(i+1), skewedTeam)
	}
	return ps
})

// BenchmarkMoveBudgetReference measures Propose on the 36 instances of
// the move-budget reference, per budget: one op proposes for all twelve
// teams under that budget. It reports how many of the twelve are proven
// optimal, and the sum of their maximum utilizations, so that a change
// in speed is read beside the quality it buys.
func BenchmarkMoveBudgetReference(b *testing.B) {
	for _, k := range []int{5, 15, 30} {
		b.Run("k"+strconv.Itoa(k), func(b *testing.B) {
			ps := referenceTeams()
			opts := &balance.RebalanceOptions{MaxMoves: k}
			b.ReportAllocs()
			proven, sum := 0, 0.0
			for b.Loop() {
				proven, sum = 0, 0
				for _, p := range ps {
					pr, err := balance.Propose(context.Background(), p, opts)
					if err != nil {
						b.Fatal(err)
					}
					if pr.Status == balance.StatusOptimal {
						proven++
					}
					sum += pr.MaxUtilization
				}
			}
			b.ReportMetric(float64(proven), "proven")
			b.ReportMetric(sum, "sum-max")
		})
	}
}
