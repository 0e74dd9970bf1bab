package balance_test

import (
	"context"
	"sync"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/internal/gen"
)

// benchShapes are the sizes of the foundation and rebalance issues.
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

func BenchmarkRank(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(s.name, func(b *testing.B) {
			if s.long && testing.Short() {
				b.Skip("large instance")
			}
			p := fixtures()[s.name]
			c := newCase()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := balance.Rank(p, c, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkTeamRank(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(s.name, func(b *testing.B) {
			if s.long && testing.Short() {
				b.Skip("large instance")
			}
			t, err := balance.Prepare(fixtures()[s.name], nil)
			if err != nil {
				b.Fatal(err)
			}
			c := newCase()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := t.Rank(c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkScore(b *testing.B) {
	for _, s := range benchShapes {
		b.Run(s.name, func(b *testing.B) {
			if s.long && testing.Short() {
				b.Skip("large instance")
			}
			p := fixtures()[s.name]
			b.ReportAllocs()
			for b.Loop() {
				if _, err := balance.Score(p, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
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
