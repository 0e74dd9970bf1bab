package balancetest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/caseload/caseload/balance"
)

// CheckRanking reports every invariant of [balance.Rank] that r breaks
// as the ranking of case c against p under opts (nil means the
// defaults). It returns nil if r keeps them all, and otherwise an error
// joining one [*Violation] per fault found (at most 100):
//
//   - [ErrCandidates]: r names c and its weight, lists every worker of p
//     exactly once, the Eligible ones first with ranks 1, 2, 3 and so on,
//     then the rest by ID with rank and score 0; Best agrees.
//   - [ErrReasons]: a candidate is eligible exactly when [Ineligible]
//     finds no reason, and an ineligible candidate carries exactly the
//     codes Ineligible returns, naming the skills it lacks; the notices
//     say no one may take c exactly when no one may, and name every
//     decliner who is not on the team; every reason has a message.
//   - [ErrLoads]: each candidate's capacity, load, case count, shares
//     and recent intake match p (c's own record, if a worker holds it,
//     left out of the load, count and shares), LoadAfter is Load plus
//     c's weight, utilizations are the loads over capacity (exactly 1
//     within the capacity tolerance, 0 without capacity), an eligible
//     candidate's score is UtilizationAfter plus the fair-turn terms
//     ([balance.Options.WeekTurn]), and one who ends over capacity says
//     so.
//   - [ErrOrder]: the eligible candidates come in the documented order:
//     the worker who holds the most other cases of c's family first,
//     when eligible, then by score, utilization after intake and ID.
//
// If p, c or opts are not valid input, CheckRanking returns an error
// wrapping [ErrInput] and the validation error. It never modifies its
// arguments. The time is O(m·n) for m workers and n cases.
func CheckRanking(p balance.Problem, c balance.Case, opts *balance.Options, r *balance.Ranking) error {
	team, err := balance.Prepare(p, opts)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInput, err)
	}
	if _, err := team.Rank(c); err != nil {
		return fmt.Errorf("%w: %w", ErrInput, err)
	}
	var rep report
	if r == nil {
		rep.addf(ErrCandidates, c.ID, "", "", "no ranking")
		return rep.err()
	}
	rc := rankChecker{p: p, c: c, opts: opts, r: r, rep: &rep, workers: map[string]balance.Worker{}}
	for _, w := range p.Workers {
		rc.workers[w.ID] = w
	}
	rc.candidates()
	rc.reasons()
	rc.loads()
	rc.order()
	return rep.err()
}

type rankChecker struct {
	p       balance.Problem
	c       balance.Case
	opts    *balance.Options
	r       *balance.Ranking
	rep     *report
	workers map[string]balance.Worker
}

func (rc *rankChecker) candidates() {
	r, c := rc.r, rc.c
	if r.Case != c.ID {
		rc.rep.addf(ErrCandidates, c.ID, "", "", "ranking names case %q", r.Case)
	}
	if r.Weight != c.Weight {
		rc.rep.addf(ErrCandidates, c.ID, "", "", "ranking gives weight %v, the case's is %v", r.Weight, c.Weight)
	}
	seen := map[string]bool{}
	eligible := 0
	for k, cd := range r.Candidates {
		switch {
		case !rc.onTeam(cd.Worker):
			rc.rep.addf(ErrCandidates, c.ID, cd.Worker, "", "candidate not on the team")
		case seen[cd.Worker]:
			rc.rep.addf(ErrCandidates, c.ID, cd.Worker, "", "listed twice")
		}
		seen[cd.Worker] = true
		if cd.Eligible {
			eligible++
			if k != eligible-1 {
				rc.rep.addf(ErrCandidates, c.ID, cd.Worker, "", "eligible candidate listed after an ineligible one")
			}
			if cd.Rank != k+1 {
				rc.rep.addf(ErrCandidates, c.ID, cd.Worker, "", "rank %d at place %d", cd.Rank, k+1)
			}
			continue
		}
		if cd.Rank != 0 || cd.Score != 0 {
			rc.rep.addf(ErrCandidates, c.ID, cd.Worker, "", "ineligible candidate with rank %d and score %v, want 0", cd.Rank, cd.Score)
		}
		if k > 0 && !r.Candidates[k-1].Eligible && strings.Compare(r.Candidates[k-1].Worker, cd.Worker) >= 0 {
			rc.rep.addf(ErrCandidates, c.ID, cd.Worker, "", "ineligible candidates not in ID order: after %q", r.Candidates[k-1].Worker)
		}
	}
	for _, w := range rc.p.Workers {
		if !seen[w.ID] {
			rc.rep.addf(ErrCandidates, c.ID, w.ID, "", "worker missing from the candidates")
		}
	}
	if r.Eligible != eligible {
		rc.rep.addf(ErrCandidates, c.ID, "", "", "Eligible is %d, but %d candidates are eligible", r.Eligible, eligible)
	}
	if r.Eligible < 0 || r.Eligible > len(r.Candidates) {
		return // Best would index out of range
	}
	best, ok := r.Best()
	switch {
	case ok != (eligible > 0):
		rc.rep.addf(ErrCandidates, c.ID, "", "", "Best reports %v with %d eligible", ok, eligible)
	case ok && !equalCandidates(best, r.Candidates[0]):
		rc.rep.addf(ErrCandidates, c.ID, best.Worker, "", "Best is not the first candidate")
	}
}

func equalCandidates(a, b balance.Candidate) bool {
	return a.Worker == b.Worker && a.Rank == b.Rank && a.Score == b.Score
}

func (rc *rankChecker) onTeam(id string) bool {
	_, ok := rc.workers[id]
	return ok
}

func (rc *rankChecker) reasons() {
	r, c := rc.r, rc.c
	for _, cd := range r.Candidates {
		w, ok := rc.workers[cd.Worker]
		if !ok {
			continue
		}
		want := Ineligible(rc.p, w, c, rc.opts)
		got := codesOf(cd.Reasons)
		for _, rs := range cd.Reasons {
			if rs.Message == "" {
				rc.rep.addf(ErrReasons, c.ID, cd.Worker, "", "reason %q has no message", rs.Code)
			}
		}
		if cd.Eligible {
			if len(want) > 0 {
				rc.rep.addf(ErrReasons, c.ID, cd.Worker, "", "eligible, but the rule says out: %v", want)
			}
			for _, code := range got {
				if isOutCode(code) {
					rc.rep.addf(ErrReasons, c.ID, cd.Worker, "", "eligible, with reason %q", code)
				}
			}
			continue
		}
		if !sameCodes(got, want) {
			rc.rep.addf(ErrReasons, c.ID, cd.Worker, "", "out for %v, the rule says %v", got, want)
			continue
		}
		var skills []string
		for _, rs := range cd.Reasons {
			if rs.Code == balance.CodeMissingSkill {
				skills = append(skills, rs.Skill)
			}
		}
		if miss := missingSkills(w, c); !sameStrings(skills, miss) {
			rc.rep.addf(ErrReasons, c.ID, cd.Worker, "", "lacks skills %q, the rule says %q", skills, miss)
		}
	}
	noOne := slices.ContainsFunc(r.Notices, func(n balance.Reason) bool { return n.Code == balance.CodeNoEligible })
	if noOne != (r.Eligible == 0) {
		rc.rep.addf(ErrReasons, c.ID, "", "", "the notice that no one may take it is %v with %d eligible", noOne, r.Eligible)
	}
	for _, d := range c.Declines {
		if rc.onTeam(d.Worker) {
			continue
		}
		if !slices.ContainsFunc(r.Notices, func(n balance.Reason) bool {
			return n.Code == balance.CodeUnknownDecliner && n.Worker == d.Worker
		}) {
			rc.rep.addf(ErrReasons, c.ID, d.Worker, "", "decline by a worker not on the team not noticed")
		}
	}
	for _, n := range r.Notices {
		if n.Message == "" {
			rc.rep.addf(ErrReasons, c.ID, n.Worker, "", "notice %q has no message", n.Code)
		}
	}
}

// isOutCode reports whether code is a reason a worker cannot take a
// case.
func isOutCode(code balance.Code) bool {
	switch code {
	case balance.CodeMissingSkill, balance.CodeDeclined, balance.CodeAtNorm, balance.CodeAway,
		balance.CodeOnLeave, balance.CodeLeaveSoon, balance.CodePaused, balance.CodeNoCapacity:
		return true
	}
	return false
}

func codesOf(rs []balance.Reason) []balance.Code {
	var out []balance.Code
	for _, r := range rs {
		out = append(out, r.Code)
	}
	return out
}

// sameCodes reports whether a and b hold the same codes as many times,
// in any order.
func sameCodes(a, b []balance.Code) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func sameStrings(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// turns resolves the fair-turn weights of opts.
func turns(opts *balance.Options) (week, month float64) {
	week, month = 0.04, 0.01
	if opts == nil {
		return week, month
	}
	switch {
	case opts.WeekTurn > 0:
		week = opts.WeekTurn
	case opts.WeekTurn < 0:
		week = 0
	}
	switch {
	case opts.MonthTurn > 0:
		month = opts.MonthTurn
	case opts.MonthTurn < 0:
		month = 0
	}
	return week, month
}

// utilizationOf returns load over capacity as balance reports it: 1
// within the capacity tolerance of full, 0 without capacity.
func utilizationOf(load int64, capacity balance.HoursPerWeek) float64 {
	if capacity == 0 {
		return 0
	}
	capM := toMicro(float64(capacity))
	if d := load - capM; -(capLimit(capacity)-capM) <= d && d <= capLimit(capacity)-capM {
		return 1
	}
	return float64(load) / micro / float64(capacity)
}

func (rc *rankChecker) loads() {
	p, c := rc.p, rc.c
	week, month := turns(rc.opts)
	w7, w28 := p.AsOf.AddDays(-6), p.AsOf.AddDays(-27)
	type sums struct {
		load, shares   int64
		count, r7, r28 int
	}
	per := map[string]*sums{}
	for _, w := range p.Workers {
		per[w.ID] = &sums{}
	}
	for _, k := range p.Cases {
		s, ok := per[k.Owner]
		if !ok {
			continue
		}
		if !k.Assigned.IsZero() && !k.Assigned.After(p.AsOf) {
			if !k.Assigned.Before(w7) {
				s.r7++
			}
			if !k.Assigned.Before(w28) {
				s.r28++
			}
		}
		if k.ID == c.ID {
			continue // c leaves its owner
		}
		s.load += toMicro(float64(k.Weight))
		s.shares += microShares(k)
		s.count++
	}
	wc := toMicro(float64(c.Weight))
	for _, cd := range rc.r.Candidates {
		w, ok := rc.workers[cd.Worker]
		if !ok {
			continue
		}
		s := per[w.ID]
		bad := func(format string, args ...any) {
			rc.rep.addf(ErrLoads, c.ID, cd.Worker, "", format, args...)
		}
		if cd.Capacity != w.Capacity {
			bad("capacity %v, want %v", cd.Capacity, w.Capacity)
		}
		if !near(float64(cd.Load), float64(s.load)/micro) {
			bad("load %v, want %v", float64(cd.Load), float64(s.load)/micro)
		}
		if !near(float64(cd.LoadAfter), float64(s.load+wc)/micro) {
			bad("load after %v, want the load plus the case's weight, %v", float64(cd.LoadAfter), float64(s.load+wc)/micro)
		}
		if cd.Cases != s.count || cd.CasesAfter != s.count+1 {
			bad("cases %d and %d after, want %d and %d", cd.Cases, cd.CasesAfter, s.count, s.count+1)
		}
		if !near(float64(cd.Shares), float64(s.shares)/micro) || !near(float64(cd.SharesAfter), float64(s.shares+microShares(c))/micro) {
			bad("shares %v and %v after, want %v and %v", float64(cd.Shares), float64(cd.SharesAfter),
				float64(s.shares)/micro, float64(s.shares+microShares(c))/micro)
		}
		if cd.Recent7 != s.r7 || cd.Recent28 != s.r28 {
			bad("recent intake %d and %d, want %d in 7 days and %d in 28", cd.Recent7, cd.Recent28, s.r7, s.r28)
		}
		u, ua := utilizationOf(s.load, w.Capacity), utilizationOf(s.load+wc, w.Capacity)
		if !near(cd.Utilization, u) || !near(cd.UtilizationAfter, ua) {
			bad("utilization %v and %v after, want %v and %v", cd.Utilization, cd.UtilizationAfter, u, ua)
		}
		for _, v := range []float64{cd.Score, cd.Utilization, cd.UtilizationAfter, float64(cd.Load), float64(cd.LoadAfter)} {
			if !finite(v) {
				bad("a number is %v", v)
				break
			}
		}
		if !cd.Eligible {
			continue
		}
		if score := cd.UtilizationAfter + week*float64(cd.Recent7) + month*float64(cd.Recent28); !near(cd.Score, score) {
			bad("score %v, want utilization after plus fair turns, %v", cd.Score, score)
		}
		over := slices.ContainsFunc(cd.Reasons, func(r balance.Reason) bool { return r.Code == balance.CodeOverload })
		if over != (ua > 1) {
			bad("overload reason %v at utilization %v after", over, ua)
		}
	}
}

func (rc *rankChecker) order() {
	p, c, r := rc.p, rc.c, rc.r
	// The workers who hold the most other cases of c's family.
	var family []string
	if c.Group != "" {
		held := map[string]int{}
		most := 0
		for _, k := range p.Cases {
			if k.Group == c.Group && k.ID != c.ID && rc.onTeam(k.Owner) {
				held[k.Owner]++
				most = max(most, held[k.Owner])
			}
		}
		for id, n := range held {
			if n == most {
				family = append(family, id)
			}
		}
		slices.Sort(family)
	}
	first := -1
	for k, cd := range r.Candidates[:max(0, min(r.Eligible, len(r.Candidates)))] {
		if !slices.ContainsFunc(cd.Reasons, func(r balance.Reason) bool { return r.Code == balance.CodeFamily }) {
			continue
		}
		switch {
		case k != 0:
			rc.rep.addf(ErrOrder, c.ID, cd.Worker, c.Group, "holds the family but ranks %d", cd.Rank)
		case !slices.Contains(family, cd.Worker):
			rc.rep.addf(ErrOrder, c.ID, cd.Worker, c.Group, "says it holds the family, but %q hold the most of it", family)
		}
		first = k
	}
	if len(family) == 1 && first < 0 {
		for _, cd := range r.Candidates {
			if cd.Worker == family[0] && cd.Eligible {
				rc.rep.addf(ErrOrder, c.ID, cd.Worker, c.Group, "holds the most of the family and may take it, but does not rank first")
			}
		}
	}
	var prev *balance.Candidate
	for k := range r.Candidates[:max(0, min(r.Eligible, len(r.Candidates)))] {
		cd := &r.Candidates[k]
		if k == first {
			continue
		}
		if prev != nil && cmp.Or(cmp.Compare(prev.Score, cd.Score), cmp.Compare(prev.UtilizationAfter, cd.UtilizationAfter),
			strings.Compare(prev.Worker, cd.Worker)) > 0 {
			rc.rep.addf(ErrOrder, c.ID, cd.Worker, "", "ranks %d after %q, but its score %v, utilization after %v and ID come first",
				cd.Rank, prev.Worker, cd.Score, cd.UtilizationAfter)
		}
		prev = cd
	}
}
