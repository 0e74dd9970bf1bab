package balance_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
)

// A fitShape names a shape of PolicyFit problem: a problem of
// [balancetest.Generate] given fit costs from a stream of its own.
type fitShape string

// The fit shapes.
const (
	// fitQueued queues every case but the pinned ones; every worker
	// has cost rules for two kinds of case out of five, a quarter of
	// the cases name a previous worker, and a tenth a pair fit.
	fitQueued fitShape = "queued"
	// fitSkewed is fitQueued from a skewed assignment, rebalanced with
	// no move limit.
	fitSkewed fitShape = "skewed"
	// fitBudget is fitSkewed under a move budget of 50.
	fitBudget fitShape = "budget"
	// fitEffort is fitQueued where half the workers take court cases
	// at 0.8 of their weight and a fifth of the cases have a co-worker.
	fitEffort fitShape = "effort"
)

// fitShapes lists every fit shape.
var fitShapes = []fitShape{fitQueued, fitSkewed, fitBudget, fitEffort}

// options returns the rebalance options a fit shape is run with.
func (f fitShape) options() *balance.RebalanceOptions {
	o := &balance.RebalanceOptions{Policy: balance.PolicyFit}
	switch f {
	case fitSkewed:
		o.MaxMoves = -1
	case fitBudget:
		o.MaxMoves = 50
	}
	return o
}

// fitProblem returns the problem of fit shape f with the given numbers
// of workers and cases, for seed.
func fitProblem(f fitShape, workers, cases int, seed uint64) balance.Problem {
	sh := balancetest.Size{Workers: workers, Cases: cases}
	if f == fitSkewed || f == fitBudget {
		sh.Assigned = true
	}
	p := balancetest.Generate(seed, sh)
	rng := rand.New(rand.NewPCG(seed, 0x666974)) // "fit"
	kinds := []string{"debt", "aggression", "youth", "housing", "fraud"}
	for i := range p.Workers {
		w := &p.Workers[i]
		for range 2 {
			w.Costs = append(w.Costs, balance.CostRule{Kind: kinds[rng.IntN(len(kinds))], Cost: float64(1 + rng.IntN(9))})
		}
		if f == fitEffort && i%2 == 0 {
			w.Efficiency = []balance.Efficiency{{Skill: "court", Factor: 0.8}}
		}
	}
	for i := range p.Cases {
		c := &p.Cases[i]
		c.Kind = kinds[rng.IntN(len(kinds))]
		if rng.IntN(4) == 0 {
			c.Previous = p.Workers[rng.IntN(len(p.Workers))].ID
		}
		if rng.IntN(10) == 0 {
			c.Fit = []balance.PairFit{{Worker: p.Workers[rng.IntN(len(p.Workers))].ID, Cost: float64(rng.IntN(20))}}
		}
		if f == fitEffort && rng.IntN(5) == 0 {
			if j := rng.IntN(len(p.Workers)); p.Workers[j].ID != c.Owner {
				c.CoWorker, c.CoShare = p.Workers[j].ID, 0.3
			}
		}
	}
	return p
}

// BenchmarkFitShapes runs a PolicyFit Propose on each fit shape at 60
// workers and 1,500 cases, and reports what it proposed: the cases it
// left unplaced, the fit cost and the gap to the bound (in millionths).
func BenchmarkFitShapes(b *testing.B) {
	for _, f := range fitShapes {
		for _, sz := range [][2]int{{60, 1500}, {125, 3000}} {
			b.Run(fmt.Sprintf("%s-%dx%d", f, sz[0], sz[1]), func(b *testing.B) {
				if testing.Short() {
					b.Skip("fit shapes take seconds")
				}
				p := fitProblem(f, sz[0], sz[1], 1)
				pr := benchPropose(b, p, f.options())
				b.ReportMetric(float64(len(pr.Unplaceable)), "unplaceable")
				b.ReportMetric(pr.Fit.Cost, "cost")
				b.ReportMetric(float64(int64(pr.Fit.Gap*1e6)), "gap-ppm")
			})
		}
	}
}
