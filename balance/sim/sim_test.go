package sim_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/sim"
	"github.com/caseload/caseload/norm"
)

// configGen draws small valid configurations: 2 to 7 workers, one of
// whom may leave and one join, 3 to 16 weeks, one to three case types
// with phases, skills, declines, sickness and leave.
func configGen() *rapid.Generator[sim.Config] {
	return rapid.Custom(func(t *rapid.T) sim.Config {
		cfg := sim.DefaultConfig()
		cfg.Seed = rapid.Uint64().Draw(t, "seed")
		// Under the race detector each run costs several times more:
		// shorter worlds keep the property's hundred runs to a minute.
		weeks, history := 16, []int{-1, 8, 30}
		if raceEnabled {
			weeks, history = 6, []int{-1, 8}
		}
		cfg.Weeks = rapid.IntRange(3, weeks).Draw(t, "weeks")
		cfg.HistoryWeeks = rapid.SampledFrom(history).Draw(t, "history")
		cfg.Types = cfg.Types[:rapid.IntRange(1, 3).Draw(t, "types")]
		for i := range cfg.Types {
			cfg.Types[i].PerWeek = rapid.Float64Range(0, 6).Draw(t, "rate")
		}
		n := rapid.IntRange(2, 7).Draw(t, "workers")
		cfg.Workers = nil
		for i := range n {
			ws := sim.WorkerSpec{Contract: norm.Contract{Worker: fmt.Sprintf("w%d", i),
				Hours: norm.HoursPerWeek(rapid.SampledFrom([]float64{0, 16, 24, 36}).Draw(t, "hours"))}}
			if rapid.Bool().Draw(t, "court") {
				ws.Skills = []string{"court"}
			}
			cfg.Workers = append(cfg.Workers, ws)
		}
		if rapid.Bool().Draw(t, "leaver") {
			cfg.Workers[0].LeaveWeek = rapid.IntRange(1, cfg.Weeks-1).Draw(t, "leave week")
		}
		if rapid.Bool().Draw(t, "hire") {
			cfg.Workers[n-1].JoinWeek = rapid.IntRange(1, cfg.Weeks-1).Draw(t, "join week")
			cfg.Workers[n-1].Contract.Onboarding = norm.Onboarding{StartShare: 0.5, Weeks: 8}
		}
		cfg.DeclineProbability = rapid.Float64Range(0, 0.5).Draw(t, "declines")
		cfg.Sickness.PerYear = rapid.Float64Range(0, 10).Draw(t, "sickness")
		cfg.Slowdown = rapid.Bool().Draw(t, "slowdown")
		cfg.NoSignals = rapid.Bool().Draw(t, "no signals")
		cfg.Leave = []sim.LeaveBlock{{Weeks: 2, From: 0, To: cfg.Weeks}}
		if rapid.Bool().Draw(t, "no norm") {
			cfg.CaseloadNorm = nil
		}
		return cfg
	})
}

// recorder wraps a policy: it records every new case the policy is
// shown (ID, arrival, skills, weight, severity) and checks that each
// assignment of the wrapped policy goes to a worker the library's
// eligibility rule admits, with every other assignment of the meeting
// in place: placements of waiting cases by every clause, voluntary moves
// by every clause but the caseload norm (see below).
type recorder struct {
	sim.Policy
	check bool
	mu    sync.Mutex
	seen  map[string]string
	bad   []string
}

func (r *recorder) Allocate(ctx context.Context, w *sim.Week) ([]sim.Assignment, error) {
	as, err := r.Policy.Allocate(ctx, w)
	if err != nil {
		return as, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, k := range w.Queue {
		// New arrivals, since the meeting a week ago.
		if c := w.Problem.Cases[k]; !c.Arrived.Before(w.Date.AddDays(-7)) {
			r.seen[c.ID] = fmt.Sprint(c.Arrived, c.Skills, c.Weight, c.Severity)
		}
	}
	if !r.check || len(as) == 0 {
		return as, nil
	}
	p := w.Problem
	p.Cases = slices.Clone(p.Cases)
	to := map[string]string{}
	queued := map[string]bool{}
	for _, k := range w.Queue {
		queued[w.Problem.Cases[k].ID] = true
	}
	for _, a := range as {
		to[a.Case] = a.Worker
	}
	for i := range p.Cases {
		if o, ok := to[p.Cases[i].ID]; ok {
			p.Cases[i].Owner = o
		}
	}
	team, err := balance.Prepare(p, w.Options)
	if err != nil {
		return nil, err
	}
	for _, c := range p.Cases {
		if _, ok := to[c.ID]; !ok {
			continue
		}
		rk, err := team.Rank(c)
		if err != nil {
			return nil, err
		}
		for _, cand := range rk.Candidates {
			if cand.Worker != c.Owner || cand.Eligible {
				continue
			}
			// A voluntary move may swap cases of equal shares with a worker
			// already above a caseload norm that shrank with their
			// capacity: the swap leaves them no further above it, which
			// Propose allows. Every other reason counts.
			if !queued[c.ID] && onlyNorm(cand.Reasons) {
				continue
			}
			// The same rule for a placement: a worker already above a
			// norm that shrank keeps what they held, and Propose may give
			// them a queued case when a move takes another away, as long
			// as they end no further above it than they started.
			if onlyNorm(cand.Reasons) && sharesOf(p, c.Owner) <= sharesOf(w.Problem, c.Owner)+1e-4 {
				continue
			}
			{
				r.bad = append(r.bad, fmt.Sprintf("week %d: %s to %s: %v", w.Index, c.ID, c.Owner, cand.Reasons))
			}
		}
	}
	return as, nil
}

func TestProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		cfg := configGen().Draw(t, "config")
		var recs []*recorder
		var ps []sim.Policy
		for i, p := range sim.Policies() {
			r := &recorder{Policy: p, check: i >= 3, seen: map[string]string{}}
			recs = append(recs, r)
			ps = append(ps, r)
		}
		sr, err := sim.Study(context.Background(), cfg, ps, &sim.StudyOptions{Replications: 1, Parallel: 1})
		require.NoError(t, err)
		for i, runs := range sr.Runs {
			for _, w := range runs[0].Weeks {
				// Conservation: nothing is lost, also when a worker leaves.
				if w.Arrived != w.Open+w.Queued+w.Closed {
					t.Fatalf("%s week %d: %d arrived, %d open, %d queued, %d closed", sr.Policies[i], w.Week, w.Arrived, w.Open, w.Queued, w.Closed)
				}
				// Every policy sees the same arrivals.
				if a := sr.Runs[0][0].Weeks[w.Week].Arrived; w.Arrived != a {
					t.Fatalf("%s week %d: %d arrived, round robin saw %d", sr.Policies[i], w.Week, w.Arrived, a)
				}
			}
			if !reflect.DeepEqual(recs[i].seen, recs[0].seen) {
				t.Fatalf("%s was shown other cases than round robin", sr.Policies[i])
			}
			if len(recs[i].bad) > 0 {
				t.Fatalf("%s placed cases on ineligible workers: %v", sr.Policies[i], recs[i].bad)
			}
		}
	})
}

func TestDeterminism(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		cfg := configGen().Draw(t, "config")
		p := rapid.SampledFrom(sim.Policies()).Draw(t, "policy")
		a, err := sim.Run(context.Background(), cfg, p, 2)
		require.NoError(t, err)
		b, err := sim.Run(context.Background(), cfg, p, 2)
		require.NoError(t, err)
		if !reflect.DeepEqual(a, b) {
			t.Fatal("two runs of one seed differ")
		}
	})
}

// TestStudyIndependentOfScheduling runs one study on one goroutine and
// on four, and against the same replication run alone.
func TestStudyIndependentOfScheduling(t *testing.T) {
	t.Parallel()
	cfg := sim.DefaultConfig()
	cfg.Weeks = 10
	ctx := context.Background()
	one, err := sim.Study(ctx, cfg, sim.Policies(), &sim.StudyOptions{Replications: 4, Parallel: 1, KeepWorkers: true})
	require.NoError(t, err)
	four, err := sim.Study(ctx, cfg, sim.Policies(), &sim.StudyOptions{Replications: 4, Parallel: 4, KeepWorkers: true})
	require.NoError(t, err)
	assert.True(t, reflect.DeepEqual(one, four), "studies on 1 and 4 goroutines differ")
	alone, err := sim.Run(ctx, cfg, sim.Ranking(), 3)
	require.NoError(t, err)
	assert.True(t, reflect.DeepEqual(alone, one.Runs[3][3]), "replication 3 run alone differs")
}

// TestWeightedBeatRoundRobin: in the default study, with seed 1 and 10
// replications, every weighted policy has a lower 95th percentile of
// the maximum utilization than round robin, and the paired 95%
// confidence interval of the difference lies below zero.
func TestWeightedBeatRoundRobin(t *testing.T) {
	if testing.Short() {
		t.Skip("a study of 10 replications")
	}
	t.Parallel()
	policies := []sim.Policy{sim.RoundRobin(), sim.LeastLoad(), sim.Ranking(), sim.RankingPropose(2)}
	sr, err := sim.Study(context.Background(), sim.DefaultConfig(), policies, &sim.StudyOptions{Replications: 10})
	require.NoError(t, err)
	p95 := sim.Metrics()[1]
	require.Equal(t, "p95_max_util", p95.Name)
	for _, p := range policies[1:] {
		c, ok := sr.Compare(p.Name(), "round-robin", p95)
		require.True(t, ok)
		assert.Less(t, c.Diff.Mean+c.Diff.HalfWidth, 0.0, "%s against round robin: %+v", p.Name(), c)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	cfg := sim.DefaultConfig()
	require.NoError(t, cfg.Validate())
	cfg.Weeks = -1
	cfg.DeclineProbability = 2
	cfg.Types[0].Seasonality = []float64{1}
	cfg.Workers[1].Contract.Worker = cfg.Workers[0].Contract.Worker
	err := cfg.Validate()
	require.ErrorIs(t, err, sim.ErrConfig)
	for _, want := range []string{"weeks -1", "decline_probability 2", "seasonality has 1", "unique"} {
		assert.Contains(t, err.Error(), want)
	}
}

func TestPair(t *testing.T) {
	t.Parallel()
	// Differences 1, 2, 3: mean 2, sd 1, t = 2/(1/√3) = 3.4641; the
	// two-sided p-value of t with 2 degrees of freedom is 0.0742.
	p := sim.Pair("a", "b", "m", []float64{2, 4, 6}, []float64{1, 2, 3})
	assert.InDelta(t, 2, p.Diff.Mean, 1e-12)
	assert.InDelta(t, 3.4641, p.T, 1e-4)
	assert.InDelta(t, 0.0742, p.P, 1e-4)
	// t(0.975, 2) = 4.3027, times 1/√3.
	assert.InDelta(t, 4.3027/1.7320508, p.Diff.HalfWidth, 1e-4)
	same := sim.Pair("a", "b", "m", []float64{1, 1}, []float64{1, 1})
	assert.Equal(t, 1.0, same.P)
}

func onlyNorm(rs []balance.Reason) bool {
	for _, r := range rs {
		if r.Code != balance.CodeAtNorm {
			return false
		}
	}
	return true
}

// sharesOf sums the caseload shares of the cases id holds in p.
func sharesOf(p balance.Problem, id string) float64 {
	var n float64
	for _, c := range p.Cases {
		if c.Owner == id {
			if c.Share == 0 {
				n++
			} else {
				n += float64(c.Share)
			}
		}
	}
	return n
}
