package balance_test

import (
	"math/rand/v2"
	"testing"

	"github.com/caseload/caseload/balance"
)

// BenchmarkSignals raises the signals of each size with a year of weekly
// history (52 snapshots) whose loads wander around today's.
func BenchmarkSignals(b *testing.B) {
	eachShape(b, func(b *testing.B, p balance.Problem) {
		team, err := balance.Prepare(p, nil)
		if err != nil {
			b.Fatal(err)
		}
		rng := rand.New(rand.NewPCG(1, 2))
		var history []balance.Snapshot
		for k := 52; k > 0; k-- {
			s := team.Snapshot()
			s.Date = p.AsOf.AddDays(-7 * k)
			for j := range s.Workers {
				s.Workers[j].Load *= balance.HoursPerWeek(0.8 + 0.4*rng.Float64())
			}
			history = append(history, s)
		}
		b.ResetTimer()
		for b.Loop() {
			if _, err := team.Signals(history, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
