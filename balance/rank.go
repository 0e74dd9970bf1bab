package balance

import (
	"cmp"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// A Ranking answers "who should take this new case, and why?": every
// worker of the team once, those who can take the case first, best
// first, then those who cannot, by ID, each with their reasons.
type Ranking struct {
	// Case is the ID of the ranked case.
	Case string `json:"case"`
	// Weight is the ranked case's weight.
	Weight HoursPerWeek `json:"weight"`
	// Candidates lists every worker exactly once: the Eligible workers
	// who can take the case first, best first, then the rest by ID.
	Candidates []Candidate `json:"candidates"`
	// Eligible is the number of workers who can take the case: they are
	// Candidates[:Eligible]. Zero means no one can take it now; the
	// Notices then say so (code [CodeNoEligible]) and the candidates'
	// reasons say why, so do not give the case to Candidates[0] without
	// checking.
	Eligible int `json:"eligible"`
	// Notices says what was odd about the case, such as a decline by a
	// worker who is not on the team, or that no one can take it.
	Notices []Reason `json:"notices,omitempty"`
}

// Best returns the best eligible candidate, and false when no worker
// can take the case.
func (r *Ranking) Best() (Candidate, bool) {
	if r == nil || r.Eligible == 0 {
		return Candidate{}, false
	}
	return r.Candidates[0], true
}

// A Candidate is one worker's place in a [Ranking].
type Candidate struct {
	// Worker is the worker's ID.
	Worker string `json:"worker"`
	// Eligible reports whether the worker can take the case.
	Eligible bool `json:"eligible"`
	// Rank is 1 for the best eligible worker, 2 for the next, and so
	// on; it is 0 for a worker who is not eligible.
	Rank int `json:"rank,omitempty"`
	// Score is the ranking score: utilization after intake plus the
	// fair-turns terms (see [Options.WeekTurn]); lower ranks higher. It
	// is 0 for a worker who is not eligible.
	Score float64 `json:"score,omitempty"`
	// Capacity is the worker's capacity for casework.
	Capacity HoursPerWeek `json:"capacity"`
	// Load and LoadAfter are the worker's load before and after taking
	// the case: LoadAfter = Load + the case's effort for this worker (its
	// weight, unless efficiency factors, a pair's effort or a co-worker
	// say otherwise; see [Case.Fit]). For a worker who is not eligible
	// LoadAfter says what it would be.
	Load      HoursPerWeek `json:"load"`
	LoadAfter HoursPerWeek `json:"load_after"`
	// Utilization and UtilizationAfter are Load and LoadAfter as
	// fractions of Capacity (1 is full). They are 0 for a worker with no
	// capacity.
	Utilization      float64 `json:"utilization"`
	UtilizationAfter float64 `json:"utilization_after"`
	// Cases and CasesAfter count the worker's open cases before and
	// after; Shares and SharesAfter count them as shares of a caseload
	// norm (see [Case.Share]).
	Cases       int    `json:"cases"`
	CasesAfter  int    `json:"cases_after"`
	Shares      Shares `json:"shares"`
	SharesAfter Shares `json:"shares_after"`
	// Recent7 and Recent28 count the cases given to the worker in the
	// last 7 and 28 days, today included (see [Case.Assigned]).
	Recent7  int `json:"recent7"`
	Recent28 int `json:"recent28"`
	// Cost is the fit cost of giving the case to this worker, in cost
	// units ([CostRule], [PairFit]); it breaks ties in Score.
	Cost float64 `json:"cost,omitempty"`
	// Reasons explain the rank, or every reason the worker is out.
	Reasons []Reason `json:"reasons"`
}

// Rank ranks every worker of p for taking c, best first, with reasons.
// It is [Prepare] followed by [Team.Rank], and returns the same ranking
// and the same errors; to rank many cases against one team, prepare it
// once. It leaves out what Prepare finds that a ranking does not show,
// the team's notices.
func Rank(p Problem, c Case, opts *Options) (*Ranking, error) {
	t, err := prepare(p, opts, &c)
	if err != nil {
		return nil, err
	}
	return t.Rank(c)
}

// Rank ranks every worker for taking c, best first, with reasons.
//
// A worker is eligible when they hold every skill c requires, have not
// declined it, stay within their caseload norm with it, are not away,
// are not on leave and have none starting within the look-ahead, and
// have capacity; otherwise every reason that applies is listed.
//
// Eligible workers are ordered by these keys, each breaking the ties of
// the one before:
//  1. the worker who holds the most other cases of c's group (its
//     family) comes first, and says so;
//  2. the lowest score: utilization after intake plus
//     [Options.WeekTurn] for each case given in the last 7 days and
//     [Options.MonthTurn] for each given in the last 28, so that new
//     work does not keep flowing to whoever resists least;
//  3. the lowest utilization after intake;
//  4. the worker ID.
//
// If c has the ID of a case in the problem that has an owner, c is
// ranked as if it left that owner: their load before excludes it.
//
// Rank returns an error for an invalid c, naming the field. The time
// complexity is O(m·(s/64 + r) + d + m log m) for m workers, s skills,
// r skills that c requires and d declines.
func (t *Team) Rank(c Case) (*Ranking, error) {
	if err := t.checkNewCase(&c); err != nil {
		return nil, err
	}
	m := len(t.workers)
	r := &Ranking{Case: c.ID, Weight: c.Weight}
	q := t.newRankQuery(&c)
	for _, d := range c.Declines {
		if _, ok := t.worker(d.Worker); !ok {
			r.Notices = append(r.Notices, Reason{Code: CodeUnknownDecliner, Case: c.ID, Worker: d.Worker, Note: d.Reason}.withMessage())
		}
	}

	// The ranking is built in two passes over the workers, so that each
	// candidate and each reason is written once, in its final place,
	// with its sentence: its pointers then pass the garbage collector's
	// write barrier once, not again when the candidates are put in
	// order, and the reasons' array is allocated to its exact size.
	// The first pass finds who is eligible, with their sort keys, and
	// counts the reasons.
	keys := make([]rankKey, 0, min(m, 64))
	elig := make([]uint64, (m+63)/64)
	first := int32(noOwner)
	nReasons, nSentences := 0, 0
	for n, i := range t.byID {
		load, shares, _ := q.before(i)
		if k, own := q.outCount(i, shares+q.share); k > 0 {
			nReasons += k
			nSentences += own
			continue
		}
		elig[n/64] |= 1 << (n % 64)
		wk, st := &t.workers[i], &t.ws[i]
		w := q.effort(i)
		loadAfter, after := t.base[i].hoursAndUtilization(load+w, wk.Capacity)
		key := rankKey{
			n:         int32(n),
			w:         w,
			loadAfter: loadAfter,
			after:     after,
			score:     after + t.opts.weekTurn*float64(st.recent7) + t.opts.monthTurn*float64(st.recent28),
			cost:      q.cost(i),
		}
		if i == q.family || i == q.prev {
			// Ranked first whatever their score: the family's worker,
			// or else the worker who had the case before.
			first, key.first = i, true
		}
		keys = append(keys, key)
		k := q.inCount(i, load, &key)
		nReasons += k
		nSentences += k
	}
	slices.SortFunc(keys, compareRankKeys)

	// The second pass writes the candidates in rank order, then the
	// rest by ID, each with its reasons, into arrays of their exact
	// sizes.
	r.Candidates = make([]Candidate, m)
	r.Eligible = len(keys)
	all := make([]Reason, 0, nReasons)
	var ss sentences
	ss.b.Grow(sentenceBytes * nSentences)
	for k := range keys {
		key := &keys[k]
		cd := &r.Candidates[k]
		i := t.byID[key.n]
		load := q.fill(cd, i)
		cd.Eligible, cd.Rank, cd.Score, cd.UtilizationAfter = true, k+1, key.score, key.after
		cd.LoadAfter, cd.Cost = HoursPerWeek(key.loadAfter), key.cost
		start := len(all)
		all = q.appendIn(all, i, load, cd.Utilization, key, i == first, &ss)
		cd.Reasons = all[start:len(all):len(all)]
	}
	next := len(keys)
	for n, i := range t.byID {
		if elig[n/64]&(1<<(n%64)) != 0 {
			continue
		}
		cd := &r.Candidates[next]
		next++
		load := q.fill(cd, i)
		loadAfter, after := t.base[i].hoursAndUtilization(load+q.effort(i), t.workers[i].Capacity)
		cd.LoadAfter, cd.UtilizationAfter = HoursPerWeek(loadAfter), after
		cd.Cost = q.cost(i)
		start := len(all)
		all = q.appendOut(all, i, &ss)
		cd.Reasons = all[start:len(all):len(all)]
	}
	if r.Eligible == 0 {
		r.Notices = append(r.Notices, Reason{Code: CodeNoEligible, Case: c.ID, Count: m}.withMessage())
	}
	return r, nil
}

// A rankKey is what orders an eligible worker in a ranking, and what
// the first pass works out that the second writes: their place in ID
// order, whether they are ranked first whatever their score, the case's
// effort for them in micro-hours, their load after intake in hours, and
// their utilization after intake, score and fit cost.
type rankKey struct {
	n                             int32
	first                         bool
	w                             int64
	loadAfter, after, score, cost float64
}

// compareRankKeys orders eligible workers by rank: the one ranked first
// whatever their score, then by score, utilization after intake, fit
// cost and ID. It returns at the first key that differs, where cmp.Or
// would compare them all: sorting a team that may all take the case
// compares some 4,000 pairs.
func compareRankKeys(a, b rankKey) int {
	if a.first != b.first {
		if a.first {
			return -1
		}
		return 1
	}
	if c := cmp.Compare(a.score, b.score); c != 0 {
		return c
	}
	if c := cmp.Compare(a.after, b.after); c != 0 {
		return c
	}
	if c := cmp.Compare(a.cost, b.cost); c != 0 {
		return c
	}
	// The index in ID order breaks ties by ID.
	return cmp.Compare(a.n, b.n)
}

// A rankBase is what a ranking shows of one worker, and tests them by,
// that depends on no case: their load before intake in hours and as a
// utilization, their shares in cases, and their capacity and caseload
// norm in micro-units, as the ranking compares them. Worked out once
// when the team is prepared, they spare every ranking two divisions
// and three roundings a worker.
type rankBase struct {
	loadH, util, sharesH float64
	// capM is the capacity in micro-hours, and full the loads within
	// [capSlack] of it, from capM-slack to capM+slack; a load above
	// capM+slack is over capacity.
	capM, slack int64
	// normM is the most micro-shares the caseload norm allows, its
	// slack included, or math.MaxInt64 without a norm.
	normM int64
	// costs reports that the worker has cost rules ([Worker.Costs]):
	// without, a case without fit fields costs nothing, and the
	// ranking need not read the rules.
	costs bool
}

// setRankBases works out every worker's [rankBase] from their totals.
func (t *Team) setRankBases() {
	t.base = make([]rankBase, len(t.workers))
	for i := range t.workers {
		w, st, b := &t.workers[i], &t.ws[i], &t.base[i]
		b.capM = toMicro(float64(w.Capacity))
		b.slack = capSlack(b.capM)
		b.normM = math.MaxInt64
		if w.CaseloadNorm != nil {
			b.normM = toMicro(float64(*w.CaseloadNorm)) + normSlack
		}
		b.costs = len(w.Costs) > 0
		b.loadH, b.util = b.hoursAndUtilization(st.load, w.Capacity)
		b.sharesH = fromMicro(st.shares)
	}
}

// hoursAndUtilization returns a load of load micro-hours on the worker
// of b, whose capacity is capacity, in hours, as [fromMicro] does, and
// as a fraction of capacity, as [utilization] does, dividing once for
// both and with the capacity in micro-hours and its slack worked out
// already: a ranking computes them for every worker, and the divisions
// were a tenth of its time.
func (b *rankBase) hoursAndUtilization(load int64, capacity HoursPerWeek) (hours, util float64) {
	hours = fromMicro(load)
	if capacity <= 0 {
		return hours, 0
	}
	if d := load - b.capM; -b.slack <= d && d <= b.slack {
		return hours, 1
	}
	return hours, hours / float64(capacity)
}

// over reports whether a load of load micro-hours is above the
// capacity of the worker of b, as [overCapacity] does.
func (b *rankBase) over(load int64) bool { return load > b.capM+b.slack }

// A rankQuery holds what ranking one case works out once for all the
// workers.
type rankQuery struct {
	t *Team
	c *Case
	// leaving is the worker who holds the case in the problem, or
	// noOwner, and leaveW and leaveS the load, in micro-hours, and the
	// micro-shares it takes from them.
	leaving        int32
	leaveW, leaveS int64
	// family is the worker who holds the most other cases of its
	// family, prev the worker who had it before (noOwner when family is
	// someone); either is ranked first when eligible.
	family, prev int32
	// share and weight are the case's in micro-shares and micro-hours.
	share, weight int64
	// sameEffort reports that the case takes every worker its weight:
	// no worker has efficiency factors and it has no pair fits and no
	// co-worker.
	sameEffort bool
	// need is the bit set of the skills the case requires, and skills
	// lists them in the order their reasons come: by word of need, in
	// the case's order within a word, then those no worker holds.
	need   []uint64
	skills []rankSkill
	// declinedBy is, per worker, the index of their first decline of
	// the case, or -1; nil without declines.
	declinedBy []int32
}

// A rankSkill is one skill a ranked case requires: its word and bit in
// the workers' skill sets (word -1 for a skill no worker holds), its
// name, and the sentence of its missing-skill reason, built when first
// needed and shared by every worker who lacks it.
type rankSkill struct {
	word int
	bit  uint64
	name string
	msg  string
}

// newRankQuery works out what ranking c needs for every worker.
func (t *Team) newRankQuery(c *Case) rankQuery {
	q := rankQuery{t: t, c: c, leaving: noOwner}
	// The case's own record in the problem, if any, leaves its owner.
	if k, ok := t.caseIndex(c.ID); ok && t.ownerOf(k) != noOwner {
		q.leaving = t.ownerOf(k)
		q.leaveW = t.heldLoad(&t.cases[k], q.leaving)
		q.leaveS = toMicro(t.cases[k].share())
	}
	q.family = t.familyOwner(c)
	q.prev = t.previous(c, q.family)
	q.share = toMicro(c.share())
	q.weight = toMicro(float64(c.Weight))
	q.sameEffort = t.weightIsEffort && len(c.Fit) == 0 && c.CoWorker == ""
	if len(c.Skills) > 0 || len(c.Levels) > 0 {
		q.need = make([]uint64, t.words)
		var unknown []rankSkill
		for _, s := range c.levelSkills() {
			id, ok := t.skillID[s]
			switch {
			case !ok:
				if !slices.ContainsFunc(unknown, func(u rankSkill) bool { return u.name == s }) {
					unknown = append(unknown, rankSkill{word: -1, name: s})
				}
			case q.need[id/64]&(1<<(id%64)) == 0:
				q.need[id/64] |= 1 << (id % 64)
				q.skills = append(q.skills, rankSkill{word: id / 64, bit: 1 << (id % 64), name: s})
			}
		}
		slices.SortStableFunc(q.skills, func(a, b rankSkill) int { return cmp.Compare(a.word, b.word) })
		q.skills = append(q.skills, unknown...)
	}
	if len(c.Declines) > 0 {
		q.declinedBy = make([]int32, len(t.workers))
		fillInt32(q.declinedBy, -1)
		for j, d := range c.Declines {
			if i, ok := t.worker(d.Worker); ok && q.declinedBy[i] < 0 {
				q.declinedBy[i] = int32(j)
			}
		}
	}
	return q
}

// effort returns the case's effort for worker i in micro-hours, as
// [Team.heldLoad] does, without looking at the worker when it takes
// everyone its weight (a valid weight is finite and not negative).
func (q *rankQuery) effort(i int32) int64 {
	if q.sameEffort {
		return q.weight
	}
	return q.t.heldLoad(q.c, i)
}

// cost returns the fit cost of giving the case to worker i, as
// [Team.fitCost] does, without a call when neither has anything that
// costs.
func (q *rankQuery) cost(i int32) float64 {
	if len(q.c.Fit) == 0 && !q.t.base[i].costs {
		return 0
	}
	return q.t.fitCost(q.c, i)
}

// before returns worker i's load in micro-hours, shares in micro-shares
// and count of cases, the ranked case left out.
func (q *rankQuery) before(i int32) (load, shares int64, count int) {
	st := &q.t.ws[i]
	load, shares, count = st.load, st.shares, int(st.count)
	if i == q.leaving {
		load, shares, count = load-q.leaveW, shares-q.leaveS, count-1
	}
	return load, shares, count
}

// fill sets the fields of cd that do not depend on whether worker i is
// eligible, and returns their load before, in micro-hours.
func (q *rankQuery) fill(cd *Candidate, i int32) int64 {
	wk, st, b := &q.t.workers[i], &q.t.ws[i], &q.t.base[i]
	load, shares, count := q.before(i)
	cd.Worker = wk.ID
	cd.Capacity = wk.Capacity
	if i == q.leaving {
		loadH, util := b.hoursAndUtilization(load, wk.Capacity)
		cd.Load, cd.Utilization, cd.Shares = HoursPerWeek(loadH), util, Shares(fromMicro(shares))
	} else {
		cd.Load, cd.Utilization, cd.Shares = HoursPerWeek(b.loadH), b.util, Shares(b.sharesH)
	}
	cd.Cases, cd.CasesAfter = count, count+1
	cd.SharesAfter = Shares(fromMicro(shares + q.share))
	cd.Recent7, cd.Recent28 = int(st.recent7), int(st.recent28)
	return load
}

// outCount returns the number of reasons worker i cannot take the case
// with sharesAfter micro-shares after it, zero when they can, and how
// many of them have a sentence of their own to build (the others share
// theirs). It counts what [rankQuery.appendOut] lists.
func (q *rankQuery) outCount(i int32, sharesAfter int64) (n, own int) {
	t := q.t
	// Every required skill, less those the worker holds.
	n = len(q.skills)
	held := t.held[int(i)*t.words : int(i+1)*t.words]
	for k, need := range q.need {
		n -= bits.OnesCount64(need & held[k])
	}
	if q.declinedBy != nil && q.declinedBy[i] >= 0 {
		own++
	}
	if sharesAfter > t.base[i].normM {
		own++
	}
	return n + own + len(t.avail[i]), own
}

// appendOut appends to rs, within its capacity, every reason worker i
// cannot take the case, with their sentences: the missing skills, a
// decline, the caseload norm, then what keeps them from any new case.
// They are the reasons of [Team.appendOutReasons], the one eligibility
// rule, in the same order.
func (q *rankQuery) appendOut(rs []Reason, i int32, ss *sentences) []Reason {
	t, wk := q.t, &q.t.workers[i]
	held := t.held[int(i)*t.words : int(i+1)*t.words]
	for k := range q.skills {
		sk := &q.skills[k]
		if sk.word >= 0 && held[sk.word]&sk.bit != 0 {
			continue
		}
		if sk.msg == "" {
			sk.msg = Reason{Code: CodeMissingSkill, Skill: sk.name}.message()
		}
		rs = rs[:len(rs)+1]
		r := &rs[len(rs)-1]
		r.Code, r.Worker, r.Skill, r.Message = CodeMissingSkill, wk.ID, sk.name, sk.msg
	}
	if q.declinedBy != nil && q.declinedBy[i] >= 0 {
		rs = rs[:len(rs)+1]
		r := &rs[len(rs)-1]
		r.Code, r.Worker, r.Note = CodeDeclined, wk.ID, q.c.Declines[q.declinedBy[i]].Reason
		r.Message = ss.of(r)
	}
	if normM := t.base[i].normM; normM < math.MaxInt64 {
		// A worker with a caseload norm: are they at it?
		if _, shares, _ := q.before(i); shares+q.share > normM {
			rs = rs[:len(rs)+1]
			r := &rs[len(rs)-1]
			r.Code, r.Worker, r.Value, r.Threshold = CodeAtNorm, wk.ID, fromMicro(shares+q.share), float64(*wk.CaseloadNorm)
			r.Message = ss.of(r)
		}
	}
	if a := t.avail[i]; len(a) > 0 {
		rs = append(rs, a...)
	}
	return rs
}

// inCount returns the number of reasons [rankQuery.appendIn] gives
// eligible worker i, with load micro-hours before the case.
func (q *rankQuery) inCount(i int32, load int64, key *rankKey) int {
	n := 1 // the load
	if i == q.family || i == q.prev {
		n++
	}
	if q.t.base[i].over(load + key.w) {
		n++
	}
	if key.cost > 0 || key.w != q.weight {
		n++
	}
	if q.recentReason(i) {
		n++
	}
	return n
}

// recentReason reports whether eligible worker i's reasons say how many
// new cases they were given recently: when they were given some in the
// last 28 days and fair turns count them.
func (q *rankQuery) recentReason(i int32) bool {
	return q.t.ws[i].recent28 > 0 && (q.t.opts.weekTurn > 0 || q.t.opts.monthTurn > 0)
}

// appendIn appends to rs, within its capacity, the reasons for eligible
// worker i's rank, with load micro-hours and utilization before before
// intake, with their sentences: first, when they are ranked
// first for it, their family or their having had the case before, then
// their load, overload, fit cost and recent intake.
func (q *rankQuery) appendIn(rs []Reason, i int32, load int64, before float64, key *rankKey, first bool, ss *sentences) []Reason {
	t, c, wk := q.t, q.c, &q.t.workers[i]
	add := func() *Reason {
		rs = rs[:len(rs)+1]
		return &rs[len(rs)-1]
	}
	if first && i == q.family {
		r := add()
		r.Code, r.Worker, r.Group = CodeFamily, wk.ID, c.Group
		r.Message = ss.of(r)
	} else if first {
		r := add()
		r.Code, r.Case, r.Worker = CodeContinuity, c.ID, wk.ID
		r.Message = ss.of(r)
	}
	r := add()
	r.Code, r.Worker, r.Before, r.Value, r.Threshold = CodeLoad, wk.ID, before, key.after, 1
	r.Message = ss.of(r)
	if t.base[i].over(load + key.w) {
		r := add()
		r.Code, r.Worker, r.Value, r.Threshold = CodeOverload, wk.ID, key.after, 1
		r.Message = ss.of(r)
	}
	if key.cost > 0 || key.w != q.weight {
		r := add()
		r.Code, r.Case, r.Worker, r.Value, r.Before = CodeFitCost, c.ID, wk.ID, key.cost, fromMicro(key.w)
		r.Message = ss.of(r)
	}
	if q.recentReason(i) {
		st := &t.ws[i]
		r := add()
		r.Code, r.Worker, r.Count, r.Count28 = CodeRecentIntake, wk.ID, int(st.recent7), int(st.recent28)
		r.Message = ss.of(r)
	}
	return rs
}

// family returns the indices of the cases of group g, in case order.
// A team prepared for one ranking finds them among the few cases it
// listed, which costs less than building the map of all families for
// one look; g must then be the ranked case's group.
func (t *Team) family(g string) []int32 {
	if !t.oneShot {
		k, ok := slices.BinarySearchFunc(t.families, family{key: idKey(g), name: g}, compareFamilies)
		if !ok {
			return nil
		}
		return t.families[k].cases
	}
	var f []int32
	for _, k := range t.grouped {
		if t.cases[k].Group == g {
			f = append(f, k)
		}
	}
	return f
}

// familyOwner returns the worker who holds the most other cases of c's
// group (ties: the larger share of its weight, then the lower ID), or
// noOwner.
func (t *Team) familyOwner(c *Case) int32 {
	if c.Group == "" {
		return noOwner
	}
	type held struct {
		n int
		w int64
	}
	per := map[int32]held{}
	for _, k := range t.family(c.Group) {
		o := t.ownerOf(k)
		if o == noOwner || t.cases[k].ID == c.ID {
			continue
		}
		h := per[o]
		h.n++
		h.w += toMicro(float64(t.cases[k].Weight))
		per[o] = h
	}
	best := int32(noOwner)
	for o, h := range per {
		if best == noOwner {
			best = o
			continue
		}
		b := per[best]
		if c := cmp.Or(cmp.Compare(h.n, b.n), cmp.Compare(h.w, b.w), strings.Compare(t.workers[best].ID, t.workers[o].ID)); c > 0 {
			best = o
		}
	}
	return best
}
