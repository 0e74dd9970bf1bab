package balance_test

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/internal/gen"
)

var measure = flag.Bool("measure", false, "run TestMeasureSolver: per family, how often the proposal is proven optimal, its gaps and times")

// skewedTeam is a 25-worker team of 260 cases, every case held, skewed
// towards the first workers.
var skewedTeam = gen.Shape{Workers: 25, Cases: 260, Assigned: true}

// smallTeam is a team of 6 workers and 14 queued cases.
var smallTeam = gen.Shape{Workers: 6, Cases: 14}

// concentrated returns the problem of issue 21's reproduction: workers
// of capacity 20 and cases of weight 1, every case held by the first
// ten workers.
func concentrated(workers, cases int) balance.Problem {
	p := balance.Problem{AsOf: gen.AsOf}
	for j := range workers {
		p.Workers = append(p.Workers, balance.Worker{ID: fmt.Sprintf("w%04d", j), Capacity: 20})
	}
	for i := range cases {
		p.Cases = append(p.Cases, balance.Case{ID: fmt.Sprintf("c%06d", i), Weight: 1, Owner: fmt.Sprintf("w%04d", i%10)})
	}
	return p
}

// TestMeasureSolver prints, per family of seeded instances, how often
// the proposal is proven optimal (Status), the median and worst gap to
// the bound, the moves used and the median time. It asserts nothing;
// run it with
//
//	go test -run MeasureSolver -measure -v ./balance
func TestMeasureSolver(t *testing.T) {
	if !*measure {
		t.Skip("run with -measure")
	}
	families := []struct {
		name  string
		shape gen.Shape
		seeds int
		opts  *balance.RebalanceOptions
	}{
		{"small-6x14-empty", smallTeam, 20, nil},
		{"team-empty", gen.Team, 10, nil},
		{"sparse-empty", gen.Sparse, 10, nil},
		{"skewed-25x260-k5", skewedTeam, 12, &balance.RebalanceOptions{MaxMoves: 5}},
		{"skewed-25x260-k15", skewedTeam, 12, &balance.RebalanceOptions{MaxMoves: 15}},
		{"skewed-25x260-k30", skewedTeam, 12, &balance.RebalanceOptions{MaxMoves: 30}},
		{"skewed-25x260-all", skewedTeam, 12, &balance.RebalanceOptions{MaxMoves: -1}},
		{"skewed-500-all", gen.Shape{Workers: 500, Cases: 12000, Assigned: true}, 2, &balance.RebalanceOptions{MaxMoves: -1}},
	}
	for _, f := range families {
		var gaps, times []float64
		proven, moves := 0, 0
		for seed := 1; seed <= f.seeds; seed++ {
			p := gen.Problem(f.shape, uint64(seed))
			start := time.Now()
			pr, err := balance.Propose(context.Background(), p, f.opts)
			times = append(times, float64(time.Since(start).Microseconds())/1000)
			if err != nil {
				t.Fatal(err)
			}
			gaps = append(gaps, pr.Gap)
			if pr.Status == balance.StatusOptimal {
				proven++
			}
			moves += pr.MovesUsed
		}
		t.Logf("%-20s proven %2d/%2d  gap median %6.3f%% worst %6.3f%%  moves/inst %5.1f  time median %7.2f ms worst %7.2f ms",
			f.name, proven, f.seeds, 100*median(gaps), 100*slices.Max(gaps), float64(moves)/float64(f.seeds), median(times), slices.Max(times))
	}
	p := concentrated(500, 10000)
	start := time.Now()
	pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{MaxMoves: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("concentrated 500x10000 all: max %.3f bound %.3f moves %d status %s time %v", pr.MaxUtilization, pr.Bound, pr.MovesUsed, pr.Status, time.Since(start))
}
