package balance

import (
	"cmp"
	"slices"
)

// RankReference is the ranking as it was written before issue 21 made
// it faster: each candidate built whole, in ID order, then put in rank
// order in place, and the reasons' sentences filled in afterwards. It
// is kept as the reference [Team.Rank] must match exactly, field for
// field and reason for reason.
func RankReference(t *Team, c Case) (*Ranking, error) { return t.rankReference(c) }

// rankReference is [RankReference].
func (t *Team) rankReference(c Case) (*Ranking, error) {
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
	fillMessagesRef(all)
	for n := range r.Candidates {
		// A full slice expression, so that appending to one
		// candidate's reasons cannot overwrite the next one's.
		r.Candidates[n].Reasons = all[starts[n]:starts[n+1]:starts[n+1]]
	}
	r.Candidates, r.Eligible = orderCandidatesRef(t, r.Candidates, family)
	if r.Eligible == 0 {
		r.Notices = append(r.Notices, Reason{Code: CodeNoEligible, Case: c.ID, Count: m}.withMessage())
	}
	return r, nil
}

// orderCandidatesRef puts the candidates in order, in place: the eligible
// ones first, in rank order and with their ranks, then the rest in ID
// order. It returns them and the number of eligible ones. The
// candidates come in the order of t.byID, that is by worker ID; family
// is the worker who holds the case's family, or noOwner.
func orderCandidatesRef(t *Team, cs []Candidate, family int32) ([]Candidate, int) {
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

// fillMessagesRef builds the sentence of every reason in rs that has none.
func fillMessagesRef(rs []Reason) {
	// A missing skill's sentence names only the skill, and most workers
	// who are out lack the same one: each skill's is built once.
	type skillMsg struct{ skill, msg string }
	var bySkill []skillMsg
	for k := range rs {
		r := &rs[k]
		if r.Code != CodeMissingSkill || r.Message != "" {
			continue
		}
		i := slices.IndexFunc(bySkill, func(m skillMsg) bool { return m.skill == r.Skill })
		if i < 0 {
			i = len(bySkill)
			bySkill = append(bySkill, skillMsg{r.Skill, r.message()})
		}
		r.Message = bySkill[i].msg
	}
	buf := make([]byte, 0, 32*len(rs))
	ends := make([]int, len(rs))
	for k := range rs {
		if rs[k].Message == "" {
			buf = rs[k].appendMessage(buf)
		}
		ends[k] = len(buf)
	}
	all := string(buf)
	start := 0
	for k := range rs {
		if rs[k].Message == "" {
			rs[k].Message = all[start:ends[k]]
		}
		start = ends[k]
	}
}
