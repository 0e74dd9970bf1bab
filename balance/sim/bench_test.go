package sim_test

import (
	"context"
	"testing"

	"github.com/caseload/caseload/balance/sim"
)

// BenchmarkStudy runs the yardstick: a year of the default
// 25-worker team under the six built-in policies with 30 replications,
// on GOMAXPROCS goroutines (run with -cpu 2 for two cores).
func BenchmarkStudy(b *testing.B) {
	if testing.Short() {
		b.Skip("a full study")
	}
	cfg := sim.DefaultConfig()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sim.Study(context.Background(), cfg, sim.Policies(), &sim.StudyOptions{Replications: 30}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(6*30*52, "weeks/op")
}

// BenchmarkRun runs one policy for a year on one replication.
func BenchmarkRun(b *testing.B) {
	cfg := sim.DefaultConfig()
	for _, p := range sim.Policies() {
		b.Run(p.Name(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := sim.Run(context.Background(), cfg, p, 0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
