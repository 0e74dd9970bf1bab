package balance_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
)

// benchShapes are the sizes benchmarked: a team, a region and a whole
// national service ([balancetest.TeamSize()], [balancetest.RegionSize()], [balancetest.NationalSize()]).
var benchShapes = []struct {
	name  string
	shape balancetest.Size
	long  bool
}{
	{"team", balancetest.TeamSize(), false},
	{"region", balancetest.RegionSize(), false},
	{"national", balancetest.NationalSize(), true},
}

// fixtures builds each benchmark problem once, with every case assigned
// so that loads must be computed from the cases.
var fixtures = sync.OnceValue(func() map[string]balance.Problem {
	m := map[string]balance.Problem{}
	for _, s := range benchShapes {
		sh := s.shape
		sh.Assigned = true
		m[s.name] = balancetest.Generate(1, sh)
	}
	return m
})

func newCase() balance.Case {
	return balance.Case{ID: "new", Weight: 1.5, Skills: []string{"court"}, Group: "f000010"}
}

// eachShape runs bench as a sub-benchmark for every size, on its
// problem with every case assigned, skipping the national one under
// -short.
func eachShape(b *testing.B, bench func(b *testing.B, p balance.Problem)) {
	for _, s := range benchShapes {
		b.Run(s.name, func(b *testing.B) {
			if s.long && testing.Short() {
				b.Skip("large instance")
			}
			p := fixtures()[s.name]
			b.ReportAllocs()
			bench(b, p)
		})
	}
}

// BenchmarkRank ranks one new case, one shot: the problem is validated
// and its loads computed on every call.
func BenchmarkRank(b *testing.B) {
	c := newCase()
	eachShape(b, func(b *testing.B, p balance.Problem) {
		for b.Loop() {
			if _, err := balance.Rank(p, c, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkTeamRank ranks one new case on a team prepared once.
func BenchmarkTeamRank(b *testing.B) {
	c := newCase()
	eachShape(b, func(b *testing.B, p balance.Problem) {
		t, err := balance.Prepare(p, nil)
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := t.Rank(c); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPrepare validates a problem and computes its loads: the
// part of a one-shot [balance.Rank] that a prepared team does once.
func BenchmarkPrepare(b *testing.B) {
	eachShape(b, func(b *testing.B, p balance.Problem) {
		for b.Loop() {
			if _, err := balance.Prepare(p, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkScore scores the current assignment, one shot.
func BenchmarkScore(b *testing.B) {
	eachShape(b, func(b *testing.B, p balance.Problem) {
		for b.Loop() {
			if _, err := balance.Score(p, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// proposeFixtures builds the rebalance benchmark problems once: from an
// empty assignment (only pinned cases held), and a team from a skewed
// current assignment.
var proposeFixtures = sync.OnceValue(func() map[string]balance.Problem {
	m := map[string]balance.Problem{}
	for _, s := range benchShapes {
		m[s.name] = balancetest.Generate(1, s.shape)
	}
	skewed := balancetest.TeamSize()
	skewed.Assigned = true
	m["rebalance-team"] = balancetest.Generate(1, skewed)
	return m
})

func BenchmarkPropose(b *testing.B) {
	cases := []struct {
		name string
		opts *balance.RebalanceOptions
		long bool
	}{
		{"team", nil, false},
		{"region", nil, false},
		{"national", nil, true},
		{"rebalance-team", &balance.RebalanceOptions{MaxMoves: 10}, false},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if c.long && testing.Short() {
				b.Skip("large instance")
			}
			p := proposeFixtures()[c.name]
			pr := benchPropose(b, p, c.opts)
			b.ReportMetric(100*pr.Gap, "gap%")
			b.ReportMetric(float64(pr.MovesUsed), "moves")
		})
	}
}

// BenchmarkBaselines prints the comparison of the proposal with the ways
// a team would share out the queue by hand, as a metric per method: the
// median maximum utilization, in percent, over 10 seeded instances
// placed from an empty assignment. Run it with
//
//	go test -run xxx -bench Baselines ./balance
//
// (TestBaselines asserts that the proposal is never worse.)
func BenchmarkBaselines(b *testing.B) {
	for _, sh := range []struct {
		name  string
		shape balancetest.Size
	}{{"team", balancetest.TeamSize()}, {"sparse", balancetest.SparseSize()}} {
		var problems []balance.Problem
		for seed := 1; seed <= 10; seed++ {
			problems = append(problems, balancetest.Generate(uint64(seed), sh.shape))
		}
		b.Run(sh.name+"/proposal", func(b *testing.B) {
			var maxes, bounds []float64
			for b.Loop() {
				maxes, bounds = maxes[:0], bounds[:0]
				for _, p := range problems {
					pr, err := balance.Propose(context.Background(), p, nil)
					if err != nil {
						b.Fatal(err)
					}
					maxes = append(maxes, pr.MaxUtilization)
					bounds = append(bounds, pr.Bound)
				}
			}
			b.ReportMetric(100*median(maxes), "max-util%")
			b.ReportMetric(100*median(bounds), "bound%")
		})
		for _, bl := range baselines {
			b.Run(sh.name+"/"+strings.ReplaceAll(bl.name, " ", "-"), func(b *testing.B) {
				var maxes []float64
				for b.Loop() {
					maxes = maxes[:0]
					for _, p := range problems {
						m, ok := runBaseline(p, bl)
						if !ok {
							b.Fatal("a case found no worker")
						}
						maxes = append(maxes, m)
					}
				}
				b.ReportMetric(100*median(maxes), "max-util%")
			})
		}
	}
}

// solverFixtures builds the problems of the solver benchmarks once: a
// small team from empty, a skewed team of 25 workers and 260 held cases,
// a skewed region, and a sparse team from empty.
var solverFixtures = sync.OnceValue(func() map[string]balance.Problem {
	return map[string]balance.Problem{
		"small-6x14":    balancetest.Generate(1, smallTeam),
		"skewed-25x260": balancetest.Generate(1, skewedTeam),
		"skewed-500":    balancetest.Generate(1, balancetest.Size{Workers: 500, Cases: 12000, Assigned: true}),
		"sparse":        balancetest.Generate(1, balancetest.SparseSize()),
	}
})

// BenchmarkProposeSolver measures Propose on the families of the solver
// issue: a 6×14 team from empty, a skewed 25×260 team under budgets of
// 5, 15 and 30 moves and with no limit, a skewed 500-worker region with
// no limit (skipped under -short), and a sparse team from empty. It
// reports the gap to the bound, the moves and whether the proposal is
// proven optimal (1) or not (0).
func BenchmarkProposeSolver(b *testing.B) {
	cases := []struct {
		name, fixture string
		opts          *balance.RebalanceOptions
		long          bool
	}{
		{"small-6x14", "small-6x14", nil, false},
		{"skewed-25x260-k5", "skewed-25x260", &balance.RebalanceOptions{MaxMoves: 5}, false},
		{"skewed-25x260-k15", "skewed-25x260", &balance.RebalanceOptions{MaxMoves: 15}, false},
		{"skewed-25x260-k30", "skewed-25x260", &balance.RebalanceOptions{MaxMoves: 30}, false},
		{"skewed-25x260-all", "skewed-25x260", &balance.RebalanceOptions{MaxMoves: -1}, false},
		{"skewed-500-all", "skewed-500", &balance.RebalanceOptions{MaxMoves: -1}, true},
		{"sparse", "sparse", nil, false},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if c.long && testing.Short() {
				b.Skip("large instance")
			}
			p := solverFixtures()[c.fixture]
			pr := benchPropose(b, p, c.opts)
			proven := 0.0
			if pr.Status == balance.StatusOptimal {
				proven = 1
			}
			b.ReportMetric(100*pr.Gap, "gap%")
			b.ReportMetric(float64(pr.MovesUsed), "moves")
			b.ReportMetric(proven, "proven")
		})
	}
}

// benchPropose measures Propose on p with opts, allocations reported,
// and returns the last proposal for the benchmark's metrics.
func benchPropose(b *testing.B, p balance.Problem, opts *balance.RebalanceOptions) *balance.Proposal {
	b.Helper()
	b.ReportAllocs()
	b.ResetTimer()
	var pr *balance.Proposal
	for b.Loop() {
		var err error
		if pr, err = balance.Propose(context.Background(), p, opts); err != nil {
			b.Fatal(err)
		}
	}
	return pr
}
