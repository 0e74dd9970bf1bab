package balance

import (
	"context"
	"slices"
	"strings"
)

// newSolver builds the solver's units, classes and loads from the team.
func newSolver(ctx context.Context, t *Team, ro rebalanceOptions) *solver {
	m := len(t.workers)
	s := &solver{t: t, ro: ro, ctx: ctx, team: t.byID, m: m, sidx: make([]int32, m), unplaced: 0,
		capH: make([]float64, m), capM: make([]int64, m), inv: make([]float64, m),
		load: make([]int64, m), hours: make([]int64, m), shares: make([]int64, m), fixed: make([]int64, m),
		norm: make([]int64, m), canTake: make([]bool, m), util: make([]float64, m), classOf: make([][]int32, m),
		on: make([][]int32, m), classKey: map[string]int32{},
	}
	s.initWorkers()
	var units []unit
	for i := range t.cases {
		if t.cases[i].Group == "" {
			units = s.addCase(units, int32(i))
		}
	}
	groupNames := make([]string, 0, len(t.groups))
	for g := range t.groups {
		groupNames = append(groupNames, g)
	}
	slices.Sort(groupNames)
	for _, g := range groupNames {
		units = s.addFamily(units, g)
	}
	s.setUnits(units)
	s.setLimits()
	return s
}

// initWorkers numbers the workers in ID order and sets their capacities
// and caseload norms, whether they may take new work, and the heap of
// workers with capacity.
func (s *solver) initWorkers() {
	t := s.t
	var withCap []int32
	for k, i := range t.byID {
		s.sidx[i] = int32(k)
		w := &t.workers[i]
		s.capH[k] = float64(w.Capacity)
		s.capM[k] = toMicro(float64(w.Capacity))
		if w.Capacity > 0 {
			s.inv[k] = 1 / (float64(w.Capacity) * micro)
			s.capSum += float64(w.Capacity)
			withCap = append(withCap, int32(k))
		}
		s.norm[k] = -1
		if w.CaseloadNorm != nil {
			s.norm[k] = toMicro(float64(*w.CaseloadNorm))
		}
		s.canTake[k] = len(t.avail[i]) == 0
	}
	s.top = newUtilHeap(s.util, withCap, false)
}

// addFixed adds case i to the load that stays with worker owner.
func (s *solver) addFixed(i int32, owner int32) {
	c := &s.t.cases[i]
	s.fixed[owner] += s.weigh(c)
	s.load[owner] += s.weigh(c)
	s.hours[owner] += toMicro(float64(c.Weight))
	s.shares[owner] += toMicro(c.share())
	s.setUtil(owner)
}

// stays reports whether held case i cannot move voluntarily from its
// worker, owner: it is pinned, or its worker is absent (away or on
// leave today: they keep their cases). The cases of a worker with no
// capacity who is not absent may move: they are all overload.
func (s *solver) stays(i int32, owner int32) bool {
	return s.t.cases[i].Pinned || s.t.absent[s.team[owner]]
}

// addCase appends the unit of case i, which belongs to no family, to
// units, or adds it to its worker's fixed load if it stays.
func (s *solver) addCase(units []unit, i int32) []unit {
	owner, free := s.status(i)
	switch {
	case free:
		return append(units, s.newUnit([]int32{i}, -1))
	case s.stays(i, owner):
		s.addFixed(i, owner)
		return units
	}
	return append(units, s.newUnit([]int32{i}, owner))
}

// addFamily appends the units of family g to units: one unit for the
// cases each worker holds, unless they all stay (or the family is
// pinned to that worker), in which case they join the worker's fixed
// load; and one unit of the family's free cases, which prefers the
// worker the family is pinned to or, failing that, the one who holds
// most of it (ties: the lower index).
func (s *solver) addFamily(units []unit, g string) []unit {
	pin, byOwner, fresh := s.familyParts(g)
	owners := make([]int32, 0, len(byOwner))
	for o := range byOwner {
		owners = append(owners, o)
	}
	slices.Sort(owners)
	prefer := pin
	for _, o := range owners {
		held := byOwner[o]
		if o == pin || !slices.ContainsFunc(held, func(i int32) bool { return !s.stays(i, o) }) {
			for _, i := range held {
				s.addFixed(i, o)
			}
		} else {
			units = append(units, s.newUnit(held, o))
		}
		if pin < 0 && (prefer < 0 || len(held) > len(byOwner[prefer])) {
			prefer = o
		}
	}
	if len(fresh) > 0 {
		u := s.newUnit(fresh, -1)
		u.prefer = prefer
		units = append(units, u)
	}
	return units
}

// familyParts splits family g into the worker its pinned cases hold it
// to (-1 for none), its held cases by worker, and its free cases.
func (s *solver) familyParts(g string) (pin int32, byOwner map[int32][]int32, fresh []int32) {
	pin = -1
	byOwner = map[int32][]int32{}
	for _, i := range s.t.groups[g] {
		owner, free := s.status(i)
		if free {
			fresh = append(fresh, i)
			continue
		}
		if s.t.cases[i].Pinned {
			pin = owner
		}
		byOwner[owner] = append(byOwner[owner], i)
	}
	return pin, byOwner, fresh
}

// setUnits sorts the units by ID, counts the free ones as unplaced, and
// puts each held unit on its worker.
func (s *solver) setUnits(units []unit) {
	slices.SortFunc(units, func(a, b unit) int { return compareUnits(&a, &b) })
	s.units = units
	for x := range s.units {
		if s.units[x].free {
			s.unplaced++
		}
	}
	for x := range s.units {
		if u := &s.units[x]; !u.free {
			s.put(int32(x), u.orig)
		}
	}
}

// setLimits sets the most shares and hours each worker may end with:
// the caseload norm (capacity) or, if more, what they hold at the
// start, with slack for rounding.
func (s *solver) setLimits() {
	s.normLimit = make([]int64, s.m)
	s.hourLimit = make([]int64, s.m)
	for k := range s.m {
		s.normLimit[k] = max(s.norm[k], s.shares[k]) + normSlack
		s.hourLimit[k] = max(s.capM[k]+capSlack(s.capM[k]), s.hours[k])
	}
}

// weigh returns a case's weight under the policy, in micro-units.
func (s *solver) weigh(c *Case) int64 {
	if s.ro.policy == PolicyCounts {
		return micro
	}
	return toMicro(float64(c.Weight))
}

// status returns the solver index of the worker who holds case i, and
// whether the case is free: queued, orphaned, or with an absent worker
// when the options re-place those.
func (s *solver) status(i int32) (owner int32, free bool) {
	o := s.t.owner[i]
	switch {
	case o == noOwner:
		return -1, true
	case s.t.absent[o] && s.ro.replaceAway && !s.t.cases[i].Pinned:
		return -1, true
	}
	return s.sidx[o], false
}

// newUnit makes a unit of the given cases, held by owner (-1: free).
func (s *solver) newUnit(cases []int32, owner int32) unit {
	t := s.t
	u := unit{orig: owner, pos: -1, free: owner < 0, prefer: -1}
	var skills []string
	for _, i := range cases {
		c := &t.cases[i]
		u.cases = append(u.cases, i)
		u.w += s.weigh(c)
		u.h += toMicro(float64(c.Weight))
		u.s += toMicro(c.share())
		for _, sk := range c.Skills {
			if !slices.Contains(skills, sk) {
				skills = append(skills, sk)
			}
		}
		for _, d := range c.Declines {
			if j, ok := t.worker(d.Worker); ok && !slices.Contains(u.decl, s.sidx[j]) {
				u.decl = append(u.decl, s.sidx[j])
			}
		}
		if !c.Deadline.IsZero() && (u.deadline.IsZero() || c.Deadline.Before(u.deadline)) {
			u.deadline = c.Deadline
		}
		u.priority = max(u.priority, c.Priority)
		if !c.Arrived.IsZero() && (u.arrived.IsZero() || c.Arrived.Before(u.arrived)) {
			u.arrived = c.Arrived
		}
	}
	slices.SortFunc(u.cases, func(a, b int32) int { return strings.Compare(t.cases[a].ID, t.cases[b].ID) })
	u.id = t.cases[u.cases[0]].ID
	u.class = s.classFor(skills)
	return u
}

// classFor returns the class of units that require skills, making it
// if it is new: the workers who hold every skill and may take new work.
func (s *solver) classFor(skills []string) int32 {
	skills = slices.Clone(skills)
	slices.Sort(skills)
	key := strings.Join(skills, "\x00")
	if c, ok := s.classKey[key]; ok {
		return c
	}
	c := int32(len(s.classes))
	s.classKey[key] = c
	cl := class{skills: skills, bits: make([]uint64, (s.m+63)/64)}
	need, unknown := s.t.required(&Case{Skills: skills})
	for k := range s.m {
		i := s.team[k]
		if !s.canTake[k] || unknown != nil {
			continue
		}
		held := s.t.held[int(i)*s.t.words : int(i+1)*s.t.words]
		ok := true
		for wd, bits := range need {
			if bits&^held[wd] != 0 {
				ok = false
				break
			}
		}
		if ok {
			cl.elig = append(cl.elig, int32(k))
			cl.bits[k/64] |= 1 << (k % 64)
			s.classOf[k] = append(s.classOf[k], c)
		}
	}
	cl.heap = newUtilHeap(s.util, cl.elig, true)
	cl.group = make([]int32, s.m)
	var caps []float64
	members := map[float64][]int32{}
	for _, k := range cl.elig {
		if _, ok := members[s.capH[k]]; !ok {
			caps = append(caps, s.capH[k])
		}
		members[s.capH[k]] = append(members[s.capH[k]], k)
	}
	slices.Sort(caps)
	for g, cp := range caps {
		for _, k := range members[cp] {
			cl.group[k] = int32(g)
		}
		cl.groups = append(cl.groups, newUtilHeap(s.util, members[cp], true))
	}
	s.classes = append(s.classes, cl)
	return c
}
