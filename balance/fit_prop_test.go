package balance_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// fitProblemGen adds the fit fields of issue 17 to problemGen's
// problems: levels, efficiency, cost rules, per-pair fits, previous
// workers and co-workers.
func fitProblemGen(maxWorkers, maxCases int) *rapid.Generator[balance.Problem] {
	return rapid.Custom(func(t *rapid.T) balance.Problem {
		p := problemGen(maxWorkers, maxCases).Draw(t, "base")
		p.Workers = slices.Clone(p.Workers)
		p.Cases = slices.Clone(p.Cases)
		ids := []string{"gone"}
		for i := range p.Workers {
			w := &p.Workers[i]
			ids = append(ids, w.ID)
			if rapid.Bool().Draw(t, "graded") {
				w.Levels = []balance.Proficiency{{Skill: "court", Level: rapid.IntRange(1, 3).Draw(t, "level")}}
			}
			if rapid.Bool().Draw(t, "efficient") {
				w.Efficiency = []balance.Efficiency{{Kind: "aggression", Factor: rapid.SampledFrom([]float64{0.8, 1.3}).Draw(t, "factor")}}
			}
			if rapid.Bool().Draw(t, "costly") {
				w.Costs = []balance.CostRule{{Kind: "debt", Cost: rapid.SampledFrom([]float64{0, 2, 5}).Draw(t, "rule-cost")}}
			}
		}
		for i := range p.Cases {
			c := &p.Cases[i]
			c.Kind = rapid.SampledFrom([]string{"", "aggression", "debt"}).Draw(t, "kind")
			if rapid.IntRange(0, 3).Draw(t, "needs-level") == 0 {
				c.Levels = []balance.Proficiency{{Skill: "court", Level: rapid.IntRange(1, 3).Draw(t, "need")}}
			}
			if len(ids) > 1 && rapid.Bool().Draw(t, "pair") {
				pf := balance.PairFit{Worker: rapid.SampledFrom(ids[1:]).Draw(t, "pair-worker"), Cost: rapid.SampledFrom([]float64{0, 1, 7}).Draw(t, "pair-cost")}
				if rapid.Bool().Draw(t, "pair-effort") {
					e := balance.HoursPerWeek(rapid.Float64Range(0, 20).Draw(t, "effort"))
					pf.Effort = &e
				}
				c.Fit = []balance.PairFit{pf}
			}
			if rapid.IntRange(0, 3).Draw(t, "returns") == 0 {
				c.Previous = rapid.SampledFrom(ids).Draw(t, "previous")
			}
			if len(ids) > 1 && rapid.IntRange(0, 5).Draw(t, "shared") == 0 {
				c.CoWorker = rapid.SampledFrom(ids[1:]).Draw(t, "co-worker")
				c.CoShare = 0.3
			}
		}
		return p
	})
}

// refEffort is the effort of c for w as issue 17 defines it, written
// again for the tests: the pair's effort, else the weight times the
// factor for the case's kind, else the weight.
func refEffort(c *balance.Case, w *balance.Worker) float64 {
	for _, pf := range c.Fit {
		if pf.Worker == w.ID && pf.Effort != nil {
			return float64(*pf.Effort)
		}
	}
	for _, e := range w.Efficiency {
		if e.Kind != "" && e.Kind == c.Kind {
			return float64(c.Weight) * e.Factor
		}
	}
	return float64(c.Weight)
}

// refCost is the fit cost of giving c to w, continuity included.
func refCost(p balance.Problem, c *balance.Case, w *balance.Worker) float64 {
	cost := 0.0
	for _, r := range w.Costs {
		if r.Kind == c.Kind {
			cost += r.Cost
		}
	}
	for _, pf := range c.Fit {
		if pf.Worker == w.ID {
			cost += pf.Cost
		}
	}
	if c.Previous != "" && c.Previous != w.ID && slices.ContainsFunc(p.Workers, func(x balance.Worker) bool { return x.ID == c.Previous }) {
		cost++ // ContinuityCost zero means 1
	}
	return cost
}

// checkFit checks the invariants of a PolicyFit proposal.
func checkFit(t *rapid.T, p balance.Problem, opts *balance.RebalanceOptions, pr *balance.Proposal) {
	require.NotNil(t, pr.Fit)
	require.Len(t, pr.Assignment, len(p.Cases))
	team, err := balance.Prepare(p, &opts.Options)
	require.NoError(t, err)
	worker := map[string]*balance.Worker{}
	for i := range p.Workers {
		worker[p.Workers[i].ID] = &p.Workers[i]
	}
	to := map[string]string{}
	for _, mv := range pr.Moves {
		to[mv.Case] = mv.To
	}
	final := map[string]string{}
	for _, a := range pr.Assignment {
		final[a.Case] = a.Worker
	}
	unplaced := map[string]bool{}
	for _, u := range pr.Unplaceable {
		unplaced[u.Case] = true
	}
	absent := func(w *balance.Worker) bool {
		return w.Away || slices.ContainsFunc(w.Absences, func(a civil.Period) bool { return a.Contains(p.AsOf) })
	}
	// The cases PolicyFit may place or move, as its documentation says.
	movable := func(c *balance.Case) bool {
		w, ok := worker[c.Owner]
		switch {
		case !ok:
			return true
		case absent(w):
			return opts.ReplaceAway && !c.Pinned
		}
		return opts.MaxMoves != 0 && !c.Pinned
	}
	// The move budget: cases leaving a worker who is here, a family
	// once.
	if opts.MaxMoves > 0 {
		left := map[string]bool{}
		for _, mv := range pr.Moves {
			if w, ok := worker[mv.From]; ok && !absent(w) {
				key := "case " + mv.Case
				if mv.Group != "" {
					key = "family " + mv.Group
				}
				left[key] = true
			}
		}
		require.LessOrEqual(t, len(left), opts.MaxMoves, "move budget")
		require.LessOrEqual(t, pr.MovesUsed, opts.MaxMoves, "moves used")
	}
	// The first step is valid on its own: placements, with every held
	// case still where it was, keep capacity and caseload norms (or what
	// a worker held above them before: PolicyFit reserves a co-worker's
	// share of every case it may place).
	step0, held := map[string]float64{}, map[string]float64{}
	shares0, heldShares := map[string]float64{}, map[string]float64{}
	placed := map[string]bool{}
	for i := range p.Cases {
		c := &p.Cases[i]
		w := c.Owner
		if wk, ok := worker[w]; ok && !absent(wk) {
			held[w] += (1 - c.CoShare) * refEffort(c, wk)
			heldShares[w] += share(*c)
		} else {
			w = ""
			if mv, ok := to[c.ID]; ok {
				w, placed[mv] = mv, true
			}
		}
		if wk, ok := worker[w]; ok {
			step0[w] += (1 - c.CoShare) * refEffort(c, wk)
			shares0[w] += share(*c)
		}
		// A co-worker carries their share of a case someone holds:
		// not of a queued case, until it is placed. That share is not
		// the solver's to choose, so it counts in what a worker may
		// end with whatever the solver does.
		_, onTeam := worker[c.Owner]
		if c.CoWorker != "" && (onTeam || w != "") {
			step0[c.CoWorker] += c.CoShare * refEffort(c, worker[c.CoWorker])
		}
		if c.CoWorker != "" {
			held[c.CoWorker] += c.CoShare * refEffort(c, worker[c.CoWorker])
		}
	}
	for w := range placed {
		limit := math.Max(float64(worker[w].Capacity), held[w])
		require.LessOrEqual(t, step0[w], limit*(1+1e-9)+1e-6, "%s after the first step", w)
		if nm := worker[w].CaseloadNorm; nm != nil {
			require.LessOrEqual(t, shares0[w], math.Max(float64(*nm), heldShares[w])+1e-6, "%s's caseload norm after the first step", w)
		}
	}
	load := map[string]float64{}
	fixed := map[string]float64{} // what stays whatever the solver does
	shares := map[string]float64{}
	news := map[string]int{}
	cost := 0.0
	for i := range p.Cases {
		c := &p.Cases[i]
		owner := c.Owner
		if w, ok := to[c.ID]; ok {
			owner = w
			news[w]++
			// The one eligibility rule: the new worker passes every
			// clause but the norm, which is checked on the totals.
			r, err := team.Rank(*c)
			require.NoError(t, err)
			for _, cd := range r.Candidates {
				if cd.Worker == w && !cd.Eligible {
					for _, rs := range cd.Reasons {
						require.Equal(t, balance.CodeAtNorm, rs.Code, "case %s to %s: %s", c.ID, w, rs.Message)
					}
				}
			}
		}
		if movable(c) && !unplaced[c.ID] {
			require.Equal(t, owner, final[c.ID])
			cost += refCost(p, c, worker[owner])
		}
		if w, ok := worker[owner]; ok && !unplaced[c.ID] {
			e := (1 - c.CoShare) * refEffort(c, w)
			load[owner] += e
			if !movable(c) {
				fixed[owner] += e
			}
			sh := float64(c.Share)
			if sh == 0 {
				sh = 1
			}
			shares[owner] += sh
		}
		if c.CoWorker != "" && final[c.ID] != "" {
			e := c.CoShare * refEffort(c, worker[c.CoWorker])
			load[c.CoWorker] += e
			fixed[c.CoWorker] += e
		}
	}
	require.InDelta(t, cost, pr.Fit.Cost, 1e-6*(1+cost), "reported cost is the sum over the moves")
	// The maximum it reports is that of its own assignment, by effort,
	// with the cases left where they were.
	require.InDelta(t, pr.After.Utilization.Max, pr.MaxUtilization, 1e-9*(1+pr.MaxUtilization), "maximum utilization")
	if pr.Fit.Gap > 0 {
		require.LessOrEqual(t, pr.Fit.Bound, pr.Fit.Cost*(1+1e-9)+1e-9)
	}
	for id, k := range news {
		w := worker[id]
		limit := math.Max(float64(w.Capacity), fixed[id])
		require.LessOrEqual(t, load[id], limit*(1+1e-9)+1e-6, "capacity is hard for %s", id)
		if w.CaseloadNorm != nil {
			require.LessOrEqual(t, shares[id], float64(*w.CaseloadNorm)+1e-4, "norm of %s", id)
		}
		if ic := opts.IntakeCap; ic != nil {
			// The cap: Cases + ⌊open/PerOpen⌋ new cases in the last Days
			// days, those given before the proposal included.
			recent, open := 0, 0
			from := p.AsOf.AddDays(-(ic.Days - 1))
			for _, c := range p.Cases {
				if c.Owner == id {
					open++
					if !c.Assigned.IsZero() && !c.Assigned.Before(from) && !c.Assigned.After(p.AsOf) {
						recent++
					}
				}
			}
			limit := ic.Cases
			if ic.PerOpen > 0 {
				limit += open / ic.PerOpen
			}
			require.LessOrEqual(t, k, max(0, limit-recent), "intake cap of %s", id)
		}
	}
}

func fitOptsGen() *rapid.Generator[*balance.RebalanceOptions] {
	return rapid.Custom(func(t *rapid.T) *balance.RebalanceOptions {
		o := &balance.RebalanceOptions{Policy: balance.PolicyFit, Seed: rapid.Uint64().Draw(t, "seed"),
			MaxMoves: rapid.SampledFrom([]int{0, -1, 1, 2}).Draw(t, "max-moves"), ReplaceAway: rapid.Bool().Draw(t, "replace-away")}
		if rapid.Bool().Draw(t, "capped") {
			o.IntakeCap = &balance.IntakeCap{Days: 7, Cases: rapid.IntRange(0, 3).Draw(t, "cap"), PerOpen: 6}
		}
		return o
	})
}

func TestFitProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := fitProblemGen(5, 14).Draw(t, "problem")
		opts := fitOptsGen().Draw(t, "opts")
		pr, err := balance.Propose(context.Background(), p, opts)
		require.NoError(t, err)
		checkFit(t, p, opts, pr)
		// Determinism and permutation invariance.
		pr2, err := balance.Propose(context.Background(), permute(t, p), opts)
		require.NoError(t, err)
		require.Equal(t, pr.Assignment, pr2.Assignment)
		require.Equal(t, pr.Fit.Cost, pr2.Fit.Cost)
	})
}

// Without any fit field, PolicyLoad gives what it gave before: the
// golden files pin that; here the fit fields must not disturb the
// other policies' invariants either.
func TestFitFieldsKeepLoadInvariants(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := fitProblemGen(4, 10).Draw(t, "problem")
		pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{MaxMoves: -1})
		require.NoError(t, err)
		require.Len(t, pr.Assignment, len(p.Cases))
		require.False(t, math.IsNaN(pr.MaxUtilization))
	})
}

// refLoads returns each worker's load by effort, as issue 17 defines
// it: the owner carries the case's effort for them less a co-worker's
// share; the co-worker carries that share of the effort for them.
func refLoads(p balance.Problem) map[string]float64 {
	ws := map[string]*balance.Worker{}
	for i := range p.Workers {
		ws[p.Workers[i].ID] = &p.Workers[i]
	}
	load := map[string]float64{}
	for i := range p.Cases {
		c := &p.Cases[i]
		o, ok := ws[c.Owner]
		if !ok {
			continue
		}
		share := 0.0
		if co, ok := ws[c.CoWorker]; ok {
			share = c.CoShare
			load[co.ID] += share * refEffort(c, co)
		}
		load[o.ID] += (1 - share) * refEffort(c, o)
	}
	return load
}

// Effort counts the same everywhere: in the scores, in each candidate's
// load after taking a case, and in a proposal's After, whose status
// says when the rebalance evened out weight instead.
func TestEffortCountsEverywhere(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := fitProblemGen(5, 14).Draw(t, "problem")
		tol := 1e-6 * float64(len(p.Cases)+1)
		sc, err := balance.Score(p, nil)
		require.NoError(t, err)
		want := refLoads(p)
		for _, wl := range sc.Workers {
			require.InDelta(t, want[wl.Worker], float64(wl.Load), tol, "load of %s", wl.Worker)
		}
		if len(p.Cases) > 0 {
			c := p.Cases[rapid.IntRange(0, len(p.Cases)-1).Draw(t, "ranked")]
			c.ID, c.Owner = "new", ""
			r, err := balance.Rank(p, c, nil)
			require.NoError(t, err)
			for _, cd := range r.Candidates {
				w := p.Workers[slices.IndexFunc(p.Workers, func(w balance.Worker) bool { return w.ID == cd.Worker })]
				share := 0.0
				if c.CoWorker != "" {
					share = c.CoShare
				}
				require.InDelta(t, (1-share)*refEffort(&c, &w), float64(cd.LoadAfter-cd.Load), 2e-6, "effort for %s", cd.Worker)
				require.InDelta(t, refCost(p, &c, &w)-continuity(p, &c, &w), cd.Cost, 1e-9, "cost for %s", cd.Worker)
			}
		}
		pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{MaxMoves: -1})
		require.NoError(t, err)
		after, err := balance.Score(pr.Apply(p), nil)
		require.NoError(t, err)
		for k, wl := range pr.After.Workers {
			require.InDelta(t, float64(after.Workers[k].Load), float64(wl.Load), tol, "after, %s", wl.Worker)
		}
		varies := slices.ContainsFunc(p.Workers, func(w balance.Worker) bool { return len(w.Efficiency) > 0 }) ||
			slices.ContainsFunc(p.Cases, func(c balance.Case) bool {
				return c.CoWorker != "" || slices.ContainsFunc(c.Fit, func(f balance.PairFit) bool { return f.Effort != nil })
			})
		require.Equal(t, varies, pr.StatusReason.Code == balance.CodeEffortVaries, "status %s", pr.StatusReason.Message)
		if varies {
			// Evened out by effort: every case once, deterministic
			// whatever the input order, and no worse by effort than the
			// assignment it started from when nothing waits.
			require.Len(t, pr.Assignment, len(p.Cases))
			pr2, err := balance.Propose(context.Background(), permute(t, p), &balance.RebalanceOptions{MaxMoves: -1})
			require.NoError(t, err)
			require.Equal(t, pr.Assignment, pr2.Assignment)
		}
	})
}

// continuity is the continuity part of refCost, which ranking leaves
// out of a candidate's cost: it prefers the previous worker outright.
func continuity(p balance.Problem, c *balance.Case, w *balance.Worker) float64 {
	if c.Previous != "" && c.Previous != w.ID && slices.ContainsFunc(p.Workers, func(x balance.Worker) bool { return x.ID == c.Previous }) {
		return 1
	}
	return 0
}

// TestEffortBoundOracle checks the bound on effort against brute force
// on tiny teams whose workers differ in efficiency: it is never above
// the least highest utilization by effort any assignment reaches, the
// proposal never below it, and a proposal proven optimal is at it.
func TestEffortBoundOracle(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := balance.Problem{AsOf: asOfDate}
		var ids []string
		for i := range rapid.IntRange(1, 3).Draw(t, "workers") {
			w := balance.Worker{ID: fmt.Sprintf("w%d", i), Capacity: balance.HoursPerWeek(rapid.SampledFrom([]float64{0, 8, 16, 24}).Draw(t, "capacity"))}
			w.Efficiency = []balance.Efficiency{{Kind: "aggression", Factor: rapid.SampledFrom([]float64{0.5, 0.8, 1.3, 2}).Draw(t, "factor")}}
			if rapid.Bool().Draw(t, "court") {
				w.Skills = []string{"court"}
			}
			ids = append(ids, w.ID)
			p.Workers = append(p.Workers, w)
		}
		for i := range rapid.IntRange(0, 7).Draw(t, "cases") {
			c := balance.Case{
				ID:     fmt.Sprintf("c%d", i),
				Weight: balance.HoursPerWeek(rapid.IntRange(0, 40).Draw(t, "weight")) / 4,
				Kind:   rapid.SampledFrom([]string{"", "aggression"}).Draw(t, "kind"),
			}
			if rapid.IntRange(0, 9).Draw(t, "huge") == 0 {
				c.Weight = 10000 // far above any capacity
			}
			if rapid.IntRange(0, 2).Draw(t, "needs-court") == 0 {
				c.Skills = []string{"court"}
			}
			if rapid.Bool().Draw(t, "held") {
				c.Owner = rapid.SampledFrom(ids).Draw(t, "owner")
			}
			p.Cases = append(p.Cases, c)
		}
		pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{MaxMoves: -1})
		require.NoError(t, err)
		require.Equal(t, balance.CodeEffortVaries, pr.StatusReason.Code)

		// Brute force: every case to a worker with capacity and the
		// skill it needs, or who holds it (with or without capacity if
		// it takes no hours), when there is one; the least highest
		// utilization by effort. A case that waits voids the bound.
		var open []int
		for j, w := range p.Workers {
			if w.Capacity > 0 {
				open = append(open, j)
			}
		}
		if len(open) == 0 || len(pr.Unplaceable) > 0 {
			return
		}
		can := func(i, j int) bool {
			return len(p.Cases[i].Skills) == 0 || slices.Contains(p.Workers[j].Skills, "court") || p.Cases[i].Owner == p.Workers[j].ID
		}
		load := make([]float64, len(p.Workers))
		opt := math.Inf(1)
		var rec func(i int)
		rec = func(i int) {
			if i == len(p.Cases) {
				m := 0.0
				for _, j := range open {
					m = math.Max(m, load[j]/float64(p.Workers[j].Capacity))
				}
				opt = math.Min(opt, m)
				return
			}
			cands := open
			if o := slices.IndexFunc(p.Workers, func(w balance.Worker) bool { return w.ID == p.Cases[i].Owner }); o >= 0 &&
				p.Workers[o].Capacity == 0 && refEffort(&p.Cases[i], &p.Workers[o]) == 0 {
				cands = append([]int{o}, open...) // a holder without capacity keeps what takes no hours
			}
			for _, j := range cands {
				if !can(i, j) {
					continue
				}
				e := refEffort(&p.Cases[i], &p.Workers[j])
				load[j] += e
				rec(i + 1)
				load[j] -= e
			}
		}
		rec(0)
		require.LessOrEqual(t, pr.Bound, opt+1e-9, "the bound is above the optimum")
		require.LessOrEqual(t, pr.Bound, pr.MaxUtilization)
		require.GreaterOrEqual(t, pr.MaxUtilization, opt-1e-9, "better than the optimum: the oracle is wrong")
		if pr.Status == balance.StatusOptimal {
			require.InDelta(t, opt, pr.MaxUtilization, 1e-9, "proven optimal, but it is not")
		}
	})
}

// TestFitCutAnywhere: wherever the deadline falls in a PolicyFit
// proposal (and a PolicyLoad one whose efforts vary, which goes through
// the same search), Propose returns a complete proposal that keeps
// the invariants of [checkFit] (for PolicyFit), says it stopped only
// when it did, and is the same
// on a second run cut at the same step.
func TestFitCutAnywhere(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := fitProblemGen(5, 14).Draw(t, "problem")
		opts := fitOptsGen().Draw(t, "opts")
		load := rapid.Bool().Draw(t, "load")
		if load {
			opts.Policy = balance.PolicyLoad
		}
		steps := int64(rapid.IntRange(0, 300).Draw(t, "steps"))
		pr, _, err := proposeCut(p, opts, steps)
		require.NotNil(t, pr, "%v", err)
		if load {
			// checkProposal counts load by weight, not effort: here every
			// case is listed once, and the numbers are numbers.
			require.Len(t, pr.Assignment, len(p.Cases))
			seen := map[string]bool{}
			for _, a := range pr.Assignment {
				require.False(t, seen[a.Case], "case %s listed twice", a.Case)
				seen[a.Case] = true
			}
			require.False(t, math.IsNaN(pr.MaxUtilization) || math.IsNaN(pr.Bound))
		} else {
			checkFit(t, p, opts, pr)
		}
		checkCut(t, p, opts, steps, pr, err)
	})
}
