package balance_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/internal/gen"
)

// benchShapes are the sizes benchmarked: a team, a region and a whole
// national service ([gen.Team], [gen.Region], [gen.National]).
var benchShapes = []struct {
	name  string
	shape gen.Shape
	long  bool
}{
	{"team", gen.Team, false},
	{"region", gen.Region, false},
	{"national", gen.National, true},
}

// fixtures builds each benchmark problem once, with every case assigned
// so that loads must be computed from the cases.
var fixtures = sync.OnceValue(func() map[string]balance.Problem {
	m := map[string]balance.Problem{}
	for _, s := range benchShapes {
		sh := s.shape
		sh.Assigned = true
		m[s.name] = gen.Problem(sh, 1)
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
		m[s.name] = gen.Problem(s.shape, 1)
	}
	skewed := gen.Team
	skewed.Assigned = true
	m["rebalance-team"] = gen.Problem(skewed, 1)
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
			b.ReportAllocs()
			var pr *balance.Proposal
			for b.Loop() {
				var err error
				if pr, err = balance.Propose(context.Background(), p, c.opts); err != nil {
					b.Fatal(err)
				}
			}
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
		shape gen.Shape
	}{{"team", gen.Team}, {"sparse", gen.Sparse}} {
		var problems []balance.Problem
		for seed := 1; seed <= 10; seed++ {
			problems = append(problems, gen.Problem(sh.shape, uint64(seed)))
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
