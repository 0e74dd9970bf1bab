package balance

import (
	"cmp"
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
// complexity is O(m·(s/64 + d) + m log m) for m workers, s skills and d
// declines.
func (t *Team) Rank(c Case) (*Ranking, error) {
	if err := t.checkNewCase(&c); err != nil {
		return nil, err
	}
	m := len(t.workers)
	r := &Ranking{Case: c.ID, Weight: c.Weight, Candidates: make([]Candidate, 0, m)}

	// The case's own record in the problem, if any, leaves its owner.
	leaving, leaveW := int32(noOwner), int64(0)
	var leaveS int64
	if k, ok := t.caseIndex(c.ID); ok && t.owner[k] != noOwner {
		leaving = t.owner[k]
		leaveW = t.heldLoad(&t.cases[k], leaving)
		leaveS = toMicro(t.cases[k].share())
	}
	family := t.familyOwner(&c)
	prev := t.previous(&c, family)

	need, unknown := t.required(&c)
	s := toMicro(c.share())
	weight := toMicro(float64(c.Weight))
	for _, d := range c.Declines {
		if _, ok := t.worker(d.Worker); !ok {
			r.Notices = append(r.Notices, Reason{Code: CodeUnknownDecliner, Case: c.ID, Worker: d.Worker, Note: d.Reason}.withMessage())
		}
	}

	// Every candidate's reasons go into one array, and their sentences
	// are built at the end into one buffer ([fillMessages]): a few
	// allocations for the whole ranking, not a few per worker.
	all := make([]Reason, 0, m+m/4+4)
	starts := make([]int, m+1)
	for n, i := range t.byID {
		wk := &t.workers[i]
		st := &t.ws[i]
		load, shares, count := st.load, st.shares, int(st.count)
		w := t.heldLoad(&c, i) // the case's effort for this worker
		if i == leaving {
			load, shares, count = load-leaveW, shares-leaveS, count-1
		}
		cd := Candidate{
			Worker:      wk.ID,
			Capacity:    wk.Capacity,
			Load:        HoursPerWeek(fromMicro(load)),
			LoadAfter:   HoursPerWeek(fromMicro(load + w)),
			Cases:       count,
			CasesAfter:  count + 1,
			Shares:      Shares(fromMicro(shares)),
			SharesAfter: Shares(fromMicro(shares + s)),
			Recent7:     int(st.recent7),
			Recent28:    int(st.recent28),
		}
		cd.Cost = t.fitCost(&c, i)
		cd.Utilization = utilization(load, wk.Capacity)
		cd.UtilizationAfter = utilization(load+w, wk.Capacity)
		starts[n] = len(all)
		all = t.appendOutReasons(all, i, &c, need, unknown, shares+s)
		if len(all) == starts[n] {
			cd.Eligible = true
			cd.Score = cd.UtilizationAfter + t.opts.weekTurn*float64(cd.Recent7) + t.opts.monthTurn*float64(cd.Recent28)
			if i == family {
				all = append(all, Reason{Code: CodeFamily, Worker: wk.ID, Group: c.Group})
			} else if i == prev {
				all = append(all, Reason{Code: CodeContinuity, Case: c.ID, Worker: wk.ID})
				family = prev // ranked first, as the family's worker would be
			}
			all = append(all, Reason{Code: CodeLoad, Worker: wk.ID, Before: cd.Utilization, Value: cd.UtilizationAfter, Threshold: 1})
			if overCapacity(load+w, wk.Capacity) {
				all = append(all, Reason{Code: CodeOverload, Worker: wk.ID, Value: cd.UtilizationAfter, Threshold: 1})
			}
			if cd.Cost > 0 || w != weight {
				all = append(all, Reason{Code: CodeFitCost, Case: c.ID, Worker: wk.ID, Value: cd.Cost, Before: fromMicro(w)})
			}
			if cd.Recent28 > 0 && (t.opts.weekTurn > 0 || t.opts.monthTurn > 0) {
				all = append(all, Reason{Code: CodeRecentIntake, Worker: wk.ID, Count: cd.Recent7, Count28: cd.Recent28})
			}
		}
		r.Candidates = append(r.Candidates, cd)
	}
	starts[m] = len(all)
	fillMessages(all)
	for n := range r.Candidates {
		// A full slice expression, so that appending to one
		// candidate's reasons cannot overwrite the next one's.
		r.Candidates[n].Reasons = all[starts[n]:starts[n+1]:starts[n+1]]
	}
	r.Candidates, r.Eligible = t.orderCandidates(r.Candidates, family)
	if r.Eligible == 0 {
		r.Notices = append(r.Notices, Reason{Code: CodeNoEligible, Case: c.ID, Count: m}.withMessage())
	}
	return r, nil
}

// orderCandidates puts the candidates in order, in place: the eligible
// ones first, in rank order and with their ranks, then the rest in ID
// order. It returns them and the number of eligible ones. The
// candidates come in the order of t.byID, that is by worker ID; family
// is the worker who holds the case's family, or noOwner.
func (t *Team) orderCandidates(cs []Candidate, family int32) ([]Candidate, int) {
	// Sort positions, not the large structs: the eligible ones by rank,
	// then the rest as they come.
	order := make([]int32, 0, len(cs))
	for k := range cs {
		if cs[k].Eligible {
			order = append(order, int32(k))
		}
	}
	elig := len(order)
	fam := -1
	for k, i := range t.byID {
		if i == family {
			fam = k
		}
	}
	slices.SortFunc(order, func(x, y int32) int {
		if fx, fy := int(x) == fam, int(y) == fam; fx != fy {
			if fx {
				return -1
			}
			return 1
		}
		a, b := &cs[x], &cs[y]
		// Candidates are in ID order, so the index breaks ties by ID.
		return cmp.Or(cmp.Compare(a.Score, b.Score), cmp.Compare(a.UtilizationAfter, b.UtilizationAfter), cmp.Compare(a.Cost, b.Cost), cmp.Compare(x, y))
	})
	for k := range cs {
		if !cs[k].Eligible {
			order = append(order, int32(k))
		}
	}
	// Place cs[order[n]] at n by following each cycle of the
	// permutation; a placed position is marked with -1.
	for n := range order {
		if order[n] < 0 {
			continue
		}
		tmp := cs[n]
		k := n
		for int(order[k]) != n {
			from := int(order[k])
			cs[k] = cs[from]
			order[k] = -1
			k = from
		}
		cs[k] = tmp
		order[k] = -1
	}
	for i := range elig {
		cs[i].Rank = i + 1
	}
	return cs, elig
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
		o := t.owner[k]
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
