package balance_test

import (
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
)

// BenchmarkLoadByEffort rebalances a team (25 workers, 260 cases, as
// balancetest.TeamSize) in which every other worker handles court cases
// at 0.8 of their weight, so that PolicyLoad evens out effort: with no
// move limit, and under a budget of 15 moves.
func BenchmarkLoadByEffort(b *testing.B) {
	p := balancetest.Generate(1, balancetest.TeamSize())
	p.Workers = append([]balance.Worker(nil), p.Workers...)
	for i := range p.Workers {
		if i%2 == 0 {
			p.Workers[i].Efficiency = []balance.Efficiency{{Skill: "court", Factor: 0.8}}
		}
	}
	for _, moves := range []int{-1, 15} {
		b.Run(map[int]string{-1: "unlimited", 15: "budget-15"}[moves], func(b *testing.B) {
			pr := benchPropose(b, p, &balance.RebalanceOptions{MaxMoves: moves})
			if pr.StatusReason.Code != balance.CodeEffortVaries {
				b.Fatalf("status %s", pr.StatusReason.Message)
			}
			b.ReportMetric(pr.Before.Utilization.Max, "max-before")
			b.ReportMetric(pr.After.Utilization.Max, "max-after")
			b.ReportMetric(pr.Bound, "bound")
			b.ReportMetric(100*pr.Gap, "gap-%")
		})
	}
}
