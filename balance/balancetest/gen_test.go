package balancetest_test

import (
	"math"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestProblemGenValid proves that every generated problem validates,
// with any generated options: 4,000 draws over the shapes of the
// property tests (800 with -short).
func TestProblemGenValid(t *testing.T) {
	t.Parallel()
	for _, sh := range shapes() {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			rounds(t, sh.rounds, func(t *rapid.T) {
				p := balancetest.ProblemGen(sh.shape).Draw(t, "problem")
				_, err := balance.Prepare(p, balancetest.OptionsGen().Draw(t, "options"))
				require.NoError(t, err)
				ro := balancetest.RebalanceOptionsGen().Draw(t, "rebalance-options")
				if ro != nil {
					_, err = balance.Prepare(p, &ro.Options)
					require.NoError(t, err)
				}
				_, err = balance.Rank(p, balancetest.CaseFor(p).Draw(t, "case"), nil)
				require.NoError(t, err)
			})
		})
	}
}

// TestPartsValid proves that generated workers and cases are valid on
// their own: a team of the drawn workers (IDs made unique) ranks every
// drawn case without an error.
func TestPartsValid(t *testing.T) {
	t.Parallel()
	rounds(t, 10, func(t *rapid.T) {
		ws := rapid.SliceOfNDistinct(balancetest.WorkerGen(), 0, 5, func(w balance.Worker) string { return w.ID }).Draw(t, "workers")
		cs := rapid.SliceOfNDistinct(balancetest.CaseGen(), 0, 8, func(c balance.Case) string { return c.ID }).Draw(t, "cases")
		p := balance.Problem{AsOf: civil.NewDate(2026, 3, 4), Workers: ws, Cases: cs}
		team, err := balance.Prepare(p, nil)
		require.NoError(t, err)
		for _, c := range cs {
			_, err := team.Rank(c)
			require.NoError(t, err)
		}
	})
}

// corners counts the hard corners a draw reaches.
type corners map[string]int

func (k corners) of(p balance.Problem) {
	add := func(name string, ok bool) {
		if ok {
			k[name]++
		}
	}
	ids := map[string]bool{}
	capSum := 0.0
	for _, w := range p.Workers {
		ids[w.ID] = true
		capSum += float64(w.Capacity)
		add("zero capacity", w.Capacity == 0)
		add("away", w.Away)
		add("norm", w.CaseloadNorm != nil)
		add("norm of zero", w.CaseloadNorm != nil && *w.CaseloadNorm == 0)
		add("paused", w.Pause != nil && (w.Pause.Until.IsZero() || !w.Pause.Until.Before(p.AsOf)))
		add("pause over", w.Pause != nil && !w.Pause.Until.IsZero() && w.Pause.Until.Before(p.AsOf))
		add("pressure", w.Pressure != nil)
		for _, a := range w.Absences {
			add("on leave today", a.Contains(p.AsOf))
			add("leave starting within a week", a.From.After(p.AsOf) && a.From.Sub(p.AsOf) <= 7)
			add("leave with no end", a.To.IsZero())
			add("leave with no start", a.From.IsZero())
		}
	}
	add("empty team", len(p.Workers) == 0)
	add("weekend date", p.AsOf.Weekday() == 6)
	for _, c := range p.Cases {
		add("queued", c.Owner == "")
		add("orphaned", c.Owner != "" && !ids[c.Owner])
		add("pinned", c.Pinned)
		add("stale pin", c.Pinned && !ids[c.Owner])
		add("family", c.Group != "")
		add("skill", len(c.Skills) > 0)
		add("skill no one holds", len(c.Skills) > 0 && c.Skills[0] == "sign-language")
		add("share", c.Share != 0)
		add("zero weight", c.Weight == 0)
		add("micro-hour weight", c.Weight == 1e-6)
		add("huge weight", c.Weight >= 1e4)
		add("deadline", !c.Deadline.IsZero())
		add("giant", c.ID == "giant" && float64(c.Weight) > capSum)
		for _, d := range c.Declines {
			add("decline", ids[d.Worker])
			add("decline by a stranger", !ids[d.Worker])
			add("owner declined", d.Worker == c.Owner)
		}
	}
}

// TestProblemGenReachesCorners checks that the shapes reach every
// corner they promise.
func TestProblemGenReachesCorners(t *testing.T) {
	t.Parallel()
	// Example draws with fixed seeds, so that the test does not depend
	// on luck or on -short.
	seen := corners{}
	plain := balancetest.ProblemGen(balancetest.Shape{})
	giant := balancetest.ProblemGen(balancetest.Shape{Workers: 3, Cases: 3, Giant: true, Tiny: 5})
	for i := range 500 {
		seen.of(plain.Example(i))
		seen.of(giant.Example(i))
	}
	for _, c := range []string{
		"zero capacity", "away", "norm", "norm of zero", "paused", "pause over", "pressure", "on leave today", "leave starting within a week",
		"leave with no end", "leave with no start", "empty team", "weekend date", "queued", "orphaned",
		"pinned", "stale pin", "family", "skill", "skill no one holds", "share", "zero weight",
		"micro-hour weight", "huge weight", "deadline", "giant", "decline", "decline by a stranger", "owner declined",
	} {
		assert.Positive(t, seen[c], "no draw reached %q", c)
	}
}

// TestShapeSteers checks that a Shape's fields do what they say.
func TestShapeSteers(t *testing.T) {
	t.Parallel()
	t.Run("none", func(t *testing.T) {
		t.Parallel()
		none := balancetest.Shape{MinWorkers: 1, Skills: -1, FamilyShare: -1, QueueShare: -1, OrphanShare: -1, PinShare: -1,
			DeclineShare: -1, AwayShare: -1, LeaveShare: -1, NormShare: -1, ZeroCapacityShare: -1, PauseShare: -1, PressureShare: -1}
		rapid.Check(t, func(t *rapid.T) {
			p := balancetest.ProblemGen(none).Draw(t, "problem")
			k := corners{}
			k.of(p)
			for _, c := range []string{"zero capacity", "away", "norm", "paused", "pause over", "pressure", "on leave today", "queued", "orphaned",
				"pinned", "family", "skill", "decline", "decline by a stranger"} {
				require.Zero(t, k[c], "corner %q left out, yet reached", c)
			}
		})
	})
	t.Run("demand", func(t *testing.T) {
		t.Parallel()
		s := balancetest.Shape{Workers: 5, MinWorkers: 1, Cases: 20, MinCases: 1, Demand: 1.3, ZeroCapacityShare: -1}
		rapid.Check(t, func(t *rapid.T) {
			p := balancetest.ProblemGen(s).Draw(t, "problem")
			var load, capacity float64
			for _, c := range p.Cases {
				load += float64(c.Weight)
			}
			for _, w := range p.Workers {
				capacity += float64(w.Capacity)
			}
			if load < 1e6*0.99 { // no weight held at the largest accepted
				require.InDelta(t, 1.3, load/capacity, 1e-9)
			}
		})
	})
	t.Run("sizes", func(t *testing.T) {
		t.Parallel()
		s := balancetest.Shape{Workers: 3, MinWorkers: 2, Cases: 5, MinCases: 4, Tiny: 7, Giant: true, AsOf: civil.NewDate(2027, 1, 1)}
		rapid.Check(t, func(t *rapid.T) {
			p := balancetest.ProblemGen(s).Draw(t, "problem")
			require.GreaterOrEqual(t, len(p.Workers), 2)
			require.LessOrEqual(t, len(p.Workers), 3)
			require.GreaterOrEqual(t, len(p.Cases), 4+7+1)
			require.LessOrEqual(t, len(p.Cases), 5+7+1)
			require.Equal(t, civil.NewDate(2027, 1, 1), p.AsOf)
		})
	})
}

// TestGenerateValid checks that seeded problems of every size, with
// every corner switched on, validate and come out the same each time.
func TestGenerateValid(t *testing.T) {
	t.Parallel()
	corners := func(s balancetest.Size) balancetest.Size {
		s.AwayShare, s.LeaveShare, s.NormShare, s.ZeroCapacityShare, s.OrphanShare, s.PauseShare = 0.1, 0.2, 0.3, 0.1, 0.05, 0.1
		return s
	}
	sizes := map[string]balancetest.Size{
		"team":              balancetest.TeamSize(),
		"sparse":            balancetest.SparseSize(),
		"team-assigned":     {Workers: 25, Cases: 600, Assigned: true},
		"team-corners":      corners(balancetest.TeamSize()),
		"assigned-corners":  corners(balancetest.Size{Workers: 25, Cases: 600, Assigned: true, Unit: 0.25}),
		"no-skills":         {Workers: 10, Cases: 50, Skills: -1, FamilyShare: -1, PinShare: -1},
		"empty":             {},
		"workers-no-cases":  {Workers: 3},
		"cases-no-workers":  {Cases: 3},
		"region":            balancetest.RegionSize(),
		"region-corners":    corners(balancetest.RegionSize()),
		"skewed-capacities": {Workers: 40, Cases: 300, MinCapacity: 1, MaxCapacity: 60, Sigma: 1.5, Demand: 1.2},
	}
	for name, s := range sizes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if s.Cases > 1000 && (testing.Short() || raceDetector) {
				t.Skip("a region")
			}
			for seed := range uint64(5) {
				p := balancetest.Generate(seed, s)
				_, err := balance.Prepare(p, nil)
				require.NoError(t, err)
				require.Equal(t, p, balancetest.Generate(seed, s), "seed %d", seed)
				require.Len(t, p.Workers, s.Workers)
				require.Len(t, p.Cases, s.Cases)
			}
		})
	}
}

// TestGenerateDemand checks that seeded weights add up to the demand.
func TestGenerateDemand(t *testing.T) {
	t.Parallel()
	for _, demand := range []float64{0, 0.5, 1.2} {
		s := balancetest.TeamSize()
		s.Demand = demand
		p := balancetest.Generate(7, s)
		var load, capacity float64
		for _, c := range p.Cases {
			load += float64(c.Weight)
		}
		for _, w := range p.Workers {
			capacity += float64(w.Capacity)
		}
		want := demand
		if want == 0 {
			want = 0.95 // the default
		}
		assert.InDelta(t, want, load/capacity, 1e-9)
	}
	// The corners come from a stream of their own: switching them on
	// leaves the cases' weights as they were.
	plain := balancetest.Generate(3, balancetest.TeamSize())
	s := balancetest.TeamSize()
	s.NormShare, s.AwayShare = 0.5, 0.5
	withCorners := balancetest.Generate(3, s)
	for i := range plain.Cases {
		require.Equal(t, plain.Cases[i].Weight, withCorners.Cases[i].Weight)
	}
	assert.False(t, math.IsNaN(float64(plain.Cases[0].Weight)))
}
