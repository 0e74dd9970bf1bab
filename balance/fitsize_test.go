package balance_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// BenchmarkFitCostsQueued runs a PolicyFit Propose on the queued fit
// shape at the sizes of a team, a district and a region, and at the
// region's size under issue 20's deadline of 100 ms, reporting how far
// past it the calls returned (ms-past/op, max-ms-past). It skips under
// -short: the region takes seconds to generate and to solve.
func BenchmarkFitCostsQueued(b *testing.B) {
	if testing.Short() {
		b.Skip("a region's fit shape takes seconds")
	}
	for _, sz := range [][2]int{{60, 1500}, {125, 3000}, {500, 12000}} {
		p := fitProblem(fitQueued, sz[0], sz[1], 1)
		b.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(b *testing.B) {
			pr := benchPropose(b, p, fitQueued.options())
			b.ReportMetric(float64(len(pr.Unplaceable)), "unplaceable")
			b.ReportMetric(pr.Fit.Cost, "cost")
			b.ReportMetric(float64(int64(pr.Fit.Gap*1e6)), "gap-ppm")
		})
		if sz[0] == 500 {
			b.Run(fmt.Sprintf("%dx%d-deadline", sz[0], sz[1]), func(b *testing.B) {
				team, err := balance.Prepare(p, nil)
				require.NoError(b, err)
				benchDeadline(b, len(p.Cases), func(ctx context.Context) *balance.Proposal {
					pr, _ := team.Propose(ctx, fitQueued.options())
					return pr
				})
			})
		}
	}
}

// TestFitGrowth holds PolicyFit to growth in proportion to its input,
// items × workers: the allocations (a count that does not depend on
// the machine's load) at twice the workers and twice the cases, four
// times the pairs, stay under three times those at the input, on
// every fit shape at a small size.
func TestFitGrowth(t *testing.T) {
	for _, f := range fitShapes {
		t.Run(string(f), func(t *testing.T) {
			allocs := func(w, n int) float64 {
				p := fitProblem(f, w, n, 1)
				return testing.AllocsPerRun(1, func() {
					pr, err := balance.Propose(context.Background(), p, f.options())
					require.NoError(t, err)
					require.Len(t, pr.Assignment, n)
				})
			}
			a1, a2 := allocs(20, 300), allocs(40, 600)
			t.Logf("allocations %.0f at 20 x 300, %.0f at 40 x 600", a1, a2)
			assert.Less(t, a2, 3*a1, "allocations %.0f at the input, %.0f at twice the input", a1, a2)
		})
	}
}

// TestFitStoppedIsComplete holds a PolicyFit Propose to issue 20's
// deadline of 100 ms on a fit shape of a region (500 workers, 12,000
// cases), where the search takes seconds: it returns a complete
// proposal, every case listed once, each placed case on a worker who
// may take it, the cases it had not come to placed nowhere and listed
// as not reached, with the notice and the status that it stopped. On a
// 2-core shared machine it returned within 150 ms; the test allows a
// second, as shared machines under load have been seen to take ten
// times as long as quiet ones.
func TestFitStoppedIsComplete(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a fit shape of a region, timed")
	}
	for _, f := range []fitShape{fitQueued, fitSkewed} {
		t.Run(string(f), func(t *testing.T) {
			p := fitProblem(f, 500, 12000, 1)
			opts := f.options()
			team, err := balance.Prepare(p, &opts.Options)
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			start := time.Now()
			pr, err := team.Propose(ctx, opts)
			took := time.Since(start)
			t.Logf("%s: %v with a deadline of 100 ms", f, took.Round(time.Millisecond))
			assert.Less(t, took, time.Second)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			require.NotNil(t, pr)
			assert.Equal(t, balance.StatusStopped, pr.Status)
			assert.True(t, hasNotice(pr, balance.CodeCancelled), "no notice that it stopped early")
			checkStoppedFit(t, p, pr)
		})
	}
}

// checkStoppedFit checks a PolicyFit proposal cut short: every case is
// listed once in the assignment, a case given to someone new goes to a
// worker who may take it, and a case left unplaced is listed once in
// Unplaceable, where a case some worker may take says it was not
// reached.
func checkStoppedFit(t *testing.T, p balance.Problem, pr *balance.Proposal) {
	t.Helper()
	require.Len(t, pr.Assignment, len(p.Cases))
	team, err := balance.Prepare(p, nil)
	require.NoError(t, err)
	byID := map[string]*balance.Case{}
	for i := range p.Cases {
		byID[p.Cases[i].ID] = &p.Cases[i]
	}
	seen := map[string]bool{}
	for _, a := range pr.Assignment {
		require.False(t, seen[a.Case], "case %s listed twice", a.Case)
		seen[a.Case] = true
	}
	moved := map[string]string{}
	for _, mv := range pr.Moves {
		moved[mv.Case] = mv.To
	}
	unplaced := map[string][]balance.Reason{}
	for _, u := range pr.Unplaceable {
		_, twice := unplaced[u.Case]
		require.False(t, twice, "case %s unplaceable twice", u.Case)
		require.NotEmpty(t, u.Reasons, "case %s", u.Case)
		unplaced[u.Case] = u.Reasons
	}
	late := 0
	for _, a := range pr.Assignment {
		c := byID[a.Case]
		if to, ok := moved[a.Case]; ok {
			assert.Equal(t, to, a.Worker, "case %s", a.Case)
			r, err := team.Rank(*c)
			require.NoError(t, err)
			eligible := false
			for _, cand := range r.Candidates[:r.Eligible] {
				eligible = eligible || cand.Worker == to
			}
			assert.True(t, eligible, "case %s given to %s, who may not take it", a.Case, to)
			continue
		}
		if a.Worker == "" || a.Worker != c.Owner {
			rs, ok := unplaced[a.Case]
			require.True(t, ok, "case %s neither placed nor listed unplaceable", a.Case)
			if rs[0].Code == balance.CodeNotReached {
				late++
			}
		}
	}
	t.Logf("%d moves, %d unplaceable, %d not reached", len(pr.Moves), len(pr.Unplaceable), late)
}
