package sim_test

import (
	"context"
	"fmt"
	"log"

	"github.com/caseload/caseload/balance/sim"
)

// A study of two policies on the default team over a quarter: the paired
// difference of the 95th percentile of the maximum utilization.
func ExampleStudy() {
	cfg := sim.DefaultConfig()
	cfg.Weeks = 13
	sr, err := sim.Study(context.Background(), cfg, []sim.Policy{sim.RoundRobin(), sim.Ranking()}, &sim.StudyOptions{Replications: 5})
	if err != nil {
		log.Fatal(err)
	}
	p95 := sim.Metrics()[1]
	c, _ := sr.Compare("ranking", "round-robin", p95)
	fmt.Printf("ranking − round robin: %+.0f points, 95%% CI ±%.0f\n", 100*c.Diff.Mean, 100*c.Diff.HalfWidth)
	fmt.Println(c.Diff.Mean+c.Diff.HalfWidth < 0)
	// Output:
	// ranking − round robin: -38 points, 95% CI ±21
	// true
}

// A researcher's own policy: every new case to the first worker on the
// team who is available.
type firstAvailable struct{}

func (firstAvailable) Name() string { return "first-available" }

func (firstAvailable) Allocate(_ context.Context, w *sim.Week) ([]sim.Assignment, error) {
	var out []sim.Assignment
	for _, k := range w.Queue {
		c := &w.Problem.Cases[k]
		for i, wk := range w.Problem.Workers {
			if w.Available(i, c) {
				out = append(out, sim.Assignment{Case: c.ID, Worker: wk.ID})
				break
			}
		}
	}
	return out, nil
}

func ExamplePolicy() {
	cfg := sim.DefaultConfig()
	cfg.Weeks = 8
	r, err := sim.Run(context.Background(), cfg, firstAvailable{}, 0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: weeks with anyone above 110%%: %d of %d\n", r.Policy, r.Summary.WeeksOver110, r.Summary.Weeks)
	// Output:
	// first-available: weeks with anyone above 110%: 8 of 8
}
