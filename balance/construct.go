package balance

import (
	"cmp"
	"context"
	"encoding/binary"
	"math"
	"slices"
	"strings"
)

// newSolver builds the solver's units, classes and loads from the team.
func newSolver(ctx context.Context, t *Team, ro rebalanceOptions) *solver {
	m := len(t.workers)
	s := &solver{t: t, ro: ro, ctx: ctx, team: t.byID, m: m, sidx: make([]int32, m), unplaced: 0,
		capH: make([]float64, m), capM: make([]int64, m), inv: make([]float64, m),
		load: make([]int64, m), hours: make([]int64, m), shares: make([]int64, m), fixed: make([]int64, m),
		norm: make([]int64, m), canTake: make([]bool, m), util: make([]float64, m), walkKey: make([]float64, m), classOf: make([][]memberRef, m),
		on: make([][]int32, m), onW: make([][]int64, m), classKey: map[string]int32{}, classKey2: map[[2]int32]int32{}, classSig: map[uint64][]int32{}, nobody: -1,
		fixedShares: make([]int64, m), fixedHours: make([]int64, m), spreadSum: newSpreadSum(m),
	}
	s.initWorkers()
	units := t.unitArray(len(t.cases))
	for i := range t.cases {
		s.checkBuild(i)
		if t.cases[i].Group == "" {
			units = s.addCase(units, int32(i))
		}
	}
	// The families in name order, each with its cases, as the team
	// sorted them once: a look-up of the name per family, a few times
	// over, cost 0.07 s at 150,000, and the sort 0.04 s.
	for k, f := range t.families {
		s.checkBuild(k)
		units = s.addFamily(units, f)
	}
	if s.building {
		s.classifyLate(units)
	}
	s.building = false
	s.setUnits(units)
	s.setLimits()
	return s
}

// unitArray returns an empty array of units with room for n, one that
// an earlier proposal of the team left ([solver.release]) if there is
// one large enough.
func (t *Team) unitArray(n int) []unit {
	if b, ok := t.units.Get().(*[]unit); ok && cap(*b) >= n {
		return (*b)[:0]
	}
	return make([]unit, 0, n)
}

// release gives the solver's array of units back to the team, for its
// next proposal; the solver must not be used after it. Units past the
// next proposal's last keep what they referred to (the cases of a
// family, decliners) until then.
func (s *solver) release() {
	units := s.units[:0]
	s.units = nil
	s.t.units.Put(&units)
}

// initWorkers numbers the workers in ID order and sets their capacities
// and caseload norms, whether they may take new work, and the heap of
// workers with capacity. A worker whose caseload norm (or, with hard
// capacity, capacity) leaves no room for the smallest case even once
// every case that may move has left takes no new work: no class holds
// them, so that no search looks at them.
func (s *solver) initWorkers() {
	t := s.t
	s.minShare, s.minHours = math.MaxInt64, math.MaxInt64
	pinnedS, pinnedH := make([]int64, len(t.workers)), make([]int64, len(t.workers))
	// heldH is the weight each worker holds: the solver evens out weight
	// (the team's loads count effort, which may differ).
	heldH := make([]int64, len(t.workers))
	for i := range t.cases {
		c := &t.cases[i]
		s.minShare = min(s.minShare, toMicro(c.share()))
		s.minHours = min(s.minHours, toMicro(float64(c.Weight)))
		if o := t.owner[i]; o != noOwner {
			heldH[o] += toMicro(float64(c.Weight))
			if c.Pinned {
				pinnedS[o] += toMicro(c.share())
				pinnedH[o] += toMicro(float64(c.Weight))
			}
		}
	}
	var withCap []int32
	s.topAt = make([]int32, s.m)
	for k, i := range t.byID {
		s.sidx[i] = int32(k)
		s.topAt[k] = -1
		w := &t.workers[i]
		s.capH[k] = float64(w.Capacity)
		s.capM[k] = toMicro(float64(w.Capacity))
		if w.Capacity > 0 {
			s.inv[k] = 1 / (float64(w.Capacity) * micro)
			s.capSum += float64(w.Capacity)
			s.topAt[k] = int32(len(withCap))
			withCap = append(withCap, int32(k))
		}
		s.norm[k] = -1
		if w.CaseloadNorm != nil {
			s.norm[k] = toMicro(float64(*w.CaseloadNorm))
		}
		s.canTake[k] = len(t.avail[i]) == 0
		// The limits setLimits will set, from the shares and hours
		// held at the start.
		normLimit := max(s.norm[k], t.ws[i].shares) + normSlack
		hourLimit := max(s.capM[k]+capSlack(s.capM[k]), heldH[i])
		if s.norm[k] >= 0 && normLimit-pinnedS[i] < s.minShare ||
			s.ro.hardCapacity && hourLimit-pinnedH[i] < s.minHours {
			s.canTake[k] = false
		}
	}
	s.top = newUtilHeap(s.util, withCap, false)
}

// addFixed adds case i to the load that stays with worker owner.
func (s *solver) addFixed(i int32, owner int32) {
	c := &s.t.cases[i]
	s.fixed[owner] += s.weigh(c)
	s.fixedShares[owner] += toMicro(c.share())
	s.fixedHours[owner] += toMicro(float64(c.Weight))
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

// A family is a group's name and its cases, as Team.families lists them,
// with the name's first 8 bytes as a number ([idKey]) to sort by.
type family struct {
	key   uint64
	name  string
	cases []int32
}

// addFamily appends the units of family f to units: one unit for the
// cases each worker holds, unless they all stay (or the family is
// pinned to that worker), in which case they join the worker's fixed
// load; and one unit of the family's free cases, which prefers the
// worker the family is pinned to or, failing that, the one who holds
// most of it (ties: the lower index). A family of one case is a case.
func (s *solver) addFamily(units []unit, f family) []unit {
	if len(f.cases) == 1 {
		return s.addCase(units, f.cases[0])
	}
	pin, parts, fresh := s.familyParts(f.cases)
	prefer := pin
	preferN := 0
	for _, p := range parts {
		o, held := p.owner, p.cases
		if o == pin || !slices.ContainsFunc(held, func(i int32) bool { return !s.stays(i, o) }) {
			for _, i := range held {
				s.addFixed(i, o)
			}
		} else {
			units = append(units, s.newUnit(held, o))
		}
		if pin < 0 && (prefer < 0 || len(held) > preferN) {
			prefer, preferN = o, len(held)
		}
	}
	if len(fresh) > 0 {
		u := s.newUnit(fresh, -1)
		u.prefer = prefer
		units = append(units, u)
	}
	return units
}

// A familyPart is the cases of one family that one worker holds.
type familyPart struct {
	owner int32
	cases []int32
}

// familyParts splits the cases of a family into the worker its pinned
// cases hold it to (-1 for none), its held cases by worker in worker
// order, and its free cases.
func (s *solver) familyParts(cases []int32) (pin int32, parts []familyPart, fresh []int32) {
	pin = -1
	type held struct{ owner, i int32 }
	var hs []held
	for _, i := range cases {
		owner, free := s.status(i)
		if free {
			fresh = append(fresh, i)
			continue
		}
		if s.t.cases[i].Pinned {
			pin = owner
		}
		hs = append(hs, held{owner, i})
	}
	// Stable: each worker's cases stay in case order.
	slices.SortStableFunc(hs, func(a, b held) int { return cmp.Compare(a.owner, b.owner) })
	for k, h := range hs {
		if k == 0 || h.owner != hs[k-1].owner {
			parts = append(parts, familyPart{owner: h.owner})
		}
		p := &parts[len(parts)-1]
		p.cases = append(p.cases, h.i)
	}
	return pin, parts, fresh
}

// setUnits sorts the units by ID, counts the free ones as unplaced, and
// puts each held unit on its worker.
func (s *solver) setUnits(units []unit) {
	sortUnits(units)
	s.units = units
	// Each worker's lists start with room for an even share of the
	// units, cut from one array each: grown one append at a time, they
	// took 52,000 of a proposal's 78,500 allocations at 5,000 workers.
	if per := (len(units) + s.m - 1) / max(s.m, 1); per > 0 {
		on, onW := make([]int32, per*s.m), make([]int64, per*s.m)
		for j := range s.m {
			s.on[j], s.onW[j] = on[j*per:j*per:(j+1)*per], onW[j*per:j*per:(j+1)*per]
		}
	}
	for x := range s.units {
		if s.units[x].free {
			s.unplaced++
		}
	}
	s.light, s.outsideOn = make([]int64, s.m), make([]int32, s.m)
	for j := range s.light {
		s.light[j] = math.MaxInt64
	}
	for x := range s.units {
		if u := &s.units[x]; !u.free {
			o := u.orig
			u.outside = s.capH[o] > 0 && (u.class < 0 || !s.classes[u.class].has(o))
			s.put(int32(x), o)
		}
	}
}

// sortUnits sorts units by ID ([compareUnits]; no two units share
// one). It sorts their keys, then moves each unit once to its place: a
// sort that moved the units, 150 bytes each, took 0.1 s of a proposal
// at 150,000 cases with families, past a deadline too. Units made in
// order, as from cases listed by ID and no families, are left as they
// are.
func sortUnits(units []unit) {
	type key struct {
		k uint64
		x int32
	}
	ks := make([]key, len(units))
	sorted := true
	for x := range units {
		ks[x] = key{units[x].idKey, int32(x)}
		if x > 0 && sorted && compareUnits(&units[x-1], &units[x]) > 0 {
			sorted = false
		}
	}
	if sorted {
		return
	}
	slices.SortFunc(ks, func(a, b key) int {
		if a.k != b.k {
			return cmp.Compare(a.k, b.k)
		}
		return strings.Compare(units[a.x].id, units[b.x].id)
	})
	// Place k takes the unit at ks[k].x: each cycle of that
	// permutation is followed once, with one unit held aside, and each
	// place marked done (-1) as it is filled.
	for i := range ks {
		if ks[i].x < 0 || ks[i].x == int32(i) {
			continue
		}
		held := units[i]
		j := int32(i)
		for {
			next := ks[j].x
			ks[j].x = -1
			if next == int32(i) {
				units[j] = held
				break
			}
			units[j] = units[next]
			j = next
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
	s.initRoomy()
	s.initHoursRoom()
	s.patience = walkPatience
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
// Its skills and decliners are sorted and counted once, so that a case
// that lists thousands of either costs no more than reading them.
func (s *solver) newUnit(cases []int32, owner int32) unit {
	t := s.t
	u := unit{orig: owner, pos: -1, free: owner < 0, prefer: -1, decl: s.declinedBy(cases)}
	u.cases = s.caseList(len(cases))
	for _, i := range cases {
		c := &t.cases[i]
		u.cases = append(u.cases, i)
		u.w += s.weigh(c)
		u.h += toMicro(float64(c.Weight))
		u.s += toMicro(c.share())
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
	u.idKey = idKey(u.id)
	if s.building && u.free {
		// ctx was done while the solver was built: the unit's class,
		// which takes a look-up per skill and, for a set of skills not
		// seen before, a search of their holders, waits for
		// [solver.classifyLate], which gives one to the most urgent
		// of these units only. (A held unit gets its class: load left
		// with a worker without capacity is drained even after ctx is
		// done.)
		u.class = s.nobodyClass()
		u.late = true
		return u
	}
	s.classify(&u)
	return u
}

// classify sets u's class, and whether no worker may take it. A
// family's members may each find a worker where the whole does not:
// only a single case is known hopeless here. It reports false, and
// leaves u as it was, when making u's class would pass the classes
// that may still be made once ctx was done ([solver.limitClasses]).
func (s *solver) classify(u *unit) bool {
	c := s.classOfCases(u.cases)
	if c < 0 {
		return false
	}
	u.class = c
	u.hopeless = len(u.cases) == 1 && s.noneMayTake(u)
	return true
}

// checkBuild notes, while newSolver makes its units, whether ctx is
// done: every cancelEvery cases or families (k counts them), and after
// every classCheck classes made, as a class of a new set of skills
// takes a search of their holders, and thousands of skills make
// thousands of classes, each costing up to tens of microseconds.
func (s *solver) checkBuild(k int) {
	if s.building || k%cancelEvery != 0 && s.classesMade < s.checkAt {
		return
	}
	s.checkAt = s.classesMade + classCheck
	if s.stopIfDone() {
		// Construction goes on, as the proposal lists every case, but
		// the free units it makes from now on get no class yet.
		s.building = true
	}
}

// classifyLate gives a class to the most urgent free units made once
// ctx was done ([solver.urgent]), until lateGrace of them may go to
// some worker; placement comes to no more than that many once ctx is
// done, the most urgent first ([solver.placeFree]). A unit no worker
// may take (hopeless) is explained, not placed, and one that gets no
// class ([solver.limitClasses]) is not reached: neither counts against
// lateGrace, or the most urgent cases being such would leave queued
// cases not reached with the grace unused. It looks at no more than
// lateLook units, and makes at most lateClasses new classes. The units
// left without a class stay late: listed as not reached.
func (s *solver) classifyLate(units []unit) {
	// Room for every unit: grown by appends, the list of up to
	// 150,000 allocated 3 MB a proposal, past the deadline.
	xs := make([]int32, 0, len(units))
	for x := range units {
		if u := &units[x]; u.free && u.late {
			xs = append(xs, int32(x))
		}
	}
	urgent := func(a, b int32) int { return compareUrgency(&units[a], &units[b]) }
	keep := mostUrgent(xs, lateLook, urgent)
	slices.SortFunc(keep, urgent)
	s.limitClasses, s.classesLeft = true, lateClasses
	left := lateGrace
	for _, x := range keep {
		if left == 0 {
			break
		}
		if u := &units[x]; s.classify(u) {
			u.late = false
			if !u.hopeless {
				left--
			}
		}
	}
	s.limitClasses = false
}

// mostUrgent returns the g first of xs in the order of urgent, in no
// particular order, without sorting xs: a heap of g holds the most
// urgent seen so far, its least urgent on top, so that each of xs costs
// one comparison unless it displaces that one. It may reorder xs.
func mostUrgent(xs []int32, g int, urgent func(a, b int32) int) []int32 {
	if len(xs) <= g {
		return xs
	}
	if g <= 0 {
		return nil
	}
	h := xs[:g]
	// less reports whether h[i] should sit above h[j]: it is less urgent.
	less := func(i, j int) bool { return urgent(h[i], h[j]) > 0 }
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			if r := l + 1; r < len(h) && less(r, l) {
				l = r
			}
			if !less(l, i) {
				return
			}
			h[i], h[l] = h[l], h[i]
			i = l
		}
	}
	for i := g/2 - 1; i >= 0; i-- {
		down(i)
	}
	for _, x := range xs[g:] {
		if urgent(x, h[0]) < 0 {
			h[0] = x
			down(0)
		}
	}
	return h
}

// declinedBy returns the workers (solver indices, ascending, once each)
// who declined any of the given cases: the team's list for one case,
// shared, not copied (the solver numbers workers in ID order, as the
// team's lists do), or the lists merged for a family.
func (s *solver) declinedBy(cases []int32) []int32 {
	if len(cases) == 1 {
		return s.t.declined(cases[0])
	}
	n := 0
	for _, i := range cases {
		n += len(s.t.declined(i))
	}
	if n == 0 {
		return nil
	}
	decl := make([]int32, 0, n)
	for _, i := range cases {
		decl = append(decl, s.t.declined(i)...)
	}
	slices.Sort(decl)
	return slices.Compact(decl)
}

// noneMayTake reports whether no worker of u's class may take u, all
// of them having declined it: such a unit is reported without being
// searched for.
func (s *solver) noneMayTake(u *unit) bool {
	cl := &s.classes[u.class]
	if len(u.decl) < len(cl.elig) {
		return false
	}
	n := 0
	for _, b := range u.decl {
		if cl.has(b) {
			n++
		}
	}
	return n == len(cl.elig)
}

// nobodyClass returns the class of units no worker may take: those that
// require a skill no worker holds.
func (s *solver) nobodyClass() int32 {
	if s.nobody < 0 {
		s.nobody = s.addClass(nil)
	}
	return s.nobody
}

// caseList returns an empty list with room for n case indices, cut
// from a block the solver shares among its units' lists: a list each
// would be an allocation per unit, 150,000 at national size.
func (s *solver) caseList(n int) []int32 {
	if len(s.caseBlock) < n {
		s.caseBlock = make([]int32, max(n, caseBlock))
	}
	l := s.caseBlock[:0:n]
	s.caseBlock = s.caseBlock[n:]
	return l
}

// caseBlock is the most case indices caseList allocates at a time.
const caseBlock = 4096

// classOfCases returns the class of units that require the skills of cases:
// that of no worker if one of them is a skill no worker holds, else
// [solver.classFor] their skill IDs, or -1 where that may make no new
// class ([solver.limitClasses]). It reads each skill once and allocates
// nothing, but for a class that is new.
func (s *solver) classOfCases(cases []int32) int32 {
	ids := s.idBuf[:0]
	for _, i := range cases {
		for _, sk := range s.t.cases[i].Skills {
			id, ok := s.t.skillID[sk]
			if !ok {
				s.idBuf = ids
				return s.nobodyClass()
			}
			ids = append(ids, int32(id))
		}
	}
	// Skill IDs are numbered in name order: sorted, they are the
	// skills sorted.
	slices.Sort(ids)
	ids = slices.Compact(ids)
	s.idBuf = ids
	return s.classFor(ids)
}

// classFor returns the class of units that require the skills ids (skill
// IDs, sorted, with no repeats), making it if it is new: the workers who
// hold every skill and may take new work. Skills that give the same
// workers share one class. A known set of skills costs a look-up with
// no allocation: sets of up to two skills, most of them, are keyed by
// their IDs, larger ones by their IDs' bytes. A new one takes O(h + k)
// for the h holders of the rarest of the k skills, and O(m) for a
// class with no skills. It returns -1 for a new set of skills when
// limitClasses is set and classesLeft is 0.
func (s *solver) classFor(ids []int32) int32 {
	var key2 [2]int32
	var key []byte
	if len(ids) <= 2 {
		key2 = [2]int32{-1, -1}
		copy(key2[:], ids)
		if c, ok := s.classKey2[key2]; ok {
			return c
		}
	} else {
		key = s.keyBuf[:0]
		for _, id := range ids {
			key = binary.LittleEndian.AppendUint32(key, uint32(id))
		}
		s.keyBuf = key
		if c, ok := s.classKey[string(key)]; ok {
			return c
		}
	}
	if s.limitClasses {
		if s.classesLeft == 0 {
			return -1
		}
		s.classesLeft--
	}
	c := s.newClassFor(ids)
	if key == nil {
		s.classKey2[key2] = c
	} else {
		s.classKey[string(key)] = c
	}
	return c
}

// newClassFor returns the class of the workers who hold every skill of
// ids and may take new work, making it if no class holds the same
// workers. The holders of the rarest skill are looked up in the other
// skills' lists of holders (ascending, so each search starts where the
// last ended), not in the workers' bit sets: a team's bit sets over
// thousands of skills are megabytes, and each look there a cache miss.
func (s *solver) newClassFor(ids []int32) int32 {
	s.classesMade++
	var elig []int32
	if len(ids) == 0 {
		for k := range int32(s.m) {
			if s.canTake[k] {
				elig = append(elig, k)
			}
		}
		return s.addClass(elig)
	}
	holders := s.skillHolders()
	rare := ids[0]
	for _, id := range ids {
		if len(holders[id]) < len(holders[rare]) {
			rare = id
		}
	}
	from := s.keyFrom[:0] // per skill of ids: where the next search starts
	for range ids {
		from = append(from, 0)
	}
	s.keyFrom = from
next:
	for _, k := range holders[rare] {
		if !s.canTake[k] {
			continue
		}
		for j, id := range ids {
			if id == rare {
				continue
			}
			h := holders[id][from[j]:]
			at, ok := slices.BinarySearch(h, k)
			from[j] += int32(at)
			if !ok {
				continue next
			}
		}
		elig = append(elig, k)
	}
	return s.addClass(elig)
}

// skillHolders returns, per skill ID, the solver indices of the workers
// who hold it, ascending ([Team.skillHolders]).
func (s *solver) skillHolders() [][]int32 {
	if s.holders == nil {
		s.holders = s.t.holders()
	}
	return s.holders
}

// skillHolders returns, per skill ID, the workers who hold it, by their
// place in ID order (the solver's indices), ascending, in time linear
// in the workers' skills. The team keeps them ([Team.holders]): they
// depend on nothing a proposal changes, and with thousands of skills
// building them took 0.01 s of every proposal at 5,000 workers. The
// lists are counted first and cut from one array, not grown by appends,
// one allocation for all.
func (t *Team) skillHolders() [][]int32 {
	count := make([]int32, len(t.skillID)+1)
	last := make([]int32, len(t.skillID))
	for id := range last {
		last[id] = -1
	}
	// each calls f with the ID of each skill worker k holds, once each
	// (last remembers the worker who last counted a skill).
	each := func(k int32, f func(id int)) {
		for _, sk := range t.workers[t.byID[k]].Skills {
			if id, ok := t.skillID[sk]; ok && last[id] != k {
				last[id] = k
				f(id)
			}
		}
	}
	for k := range int32(len(t.byID)) {
		each(k, func(id int) { count[id+1]++ })
	}
	for id := range len(t.skillID) {
		count[id+1] += count[id]
	}
	all := make([]int32, count[len(t.skillID)])
	holders := make([][]int32, len(t.skillID))
	for id := range holders {
		holders[id] = all[count[id]:count[id]:count[id+1]]
		last[id] = -1
	}
	for k := range int32(len(t.byID)) {
		each(k, func(id int) { holders[id] = append(holders[id], k) })
	}
	return holders
}

// addClass returns the class of the workers elig (ascending), making it
// if no class holds the same workers.
func (s *solver) addClass(elig []int32) int32 {
	sig := uint64(14695981039346656037) // FNV-1a over the indices
	for _, k := range elig {
		sig = (sig ^ uint64(k)) * 1099511628211
	}
	for _, c := range s.classSig[sig] {
		if slices.Equal(s.classes[c].elig, elig) {
			return c
		}
	}
	c := int32(len(s.classes))
	s.classSig[sig] = append(s.classSig[sig], c)
	cl := class{elig: elig, group: make([]int32, len(elig))}
	if len(elig)*32 >= s.m {
		cl.bits = make([]uint64, (s.m+63)/64)
		for _, k := range elig {
			cl.bits[k/64] |= 1 << (k % 64)
		}
	}
	cl.heap = newUtilHeap(s.util, elig, true)
	cl.open = newUtilHeap(s.walkKey, elig, true)
	// Capacity groups: one per distinct capacity, or ranges of them.
	var caps []float64
	for _, k := range elig {
		caps = append(caps, s.capH[k])
	}
	slices.Sort(caps)
	caps = slices.Compact(caps)
	if len(caps) > 0 {
		cl.capMin = caps[0]
	}
	cl.exact = len(caps) <= maxCapGroups
	groupOf := func(cp float64) int32 {
		r, _ := slices.BinarySearch(caps, cp)
		if cl.exact {
			return int32(r)
		}
		return int32(r * maxCapGroups / len(caps))
	}
	ngroups := len(caps)
	if !cl.exact {
		ngroups = maxCapGroups
	}
	// The groups' members lie in one slice, group after group, each
	// group's ascending: start[g] is where group g begins.
	start := make([]int32, ngroups+1)
	cl.capMax = make([]float64, ngroups)
	for l, k := range elig {
		g := groupOf(s.capH[k])
		cl.group[l] = g
		start[g+1]++
		cl.capMax[g] = max(cl.capMax[g], s.capH[k])
	}
	for g := range ngroups {
		start[g+1] += start[g]
	}
	members := make([]int32, len(elig))
	glocal := make([]int32, ngroups)
	for l, k := range elig {
		g := cl.group[l]
		members[start[g]+glocal[g]] = k
		s.classOf[k] = append(s.classOf[k], memberRef{class: c, local: int32(l), glocal: glocal[g]})
		glocal[g]++
	}
	cl.groups = make([]utilHeap, ngroups)
	cl.invMax, cl.topU = make([]float64, ngroups), make([]float64, ngroups)
	cl.topW, cl.topStale = make([]int32, ngroups), make([]bool, ngroups)
	for g := range cl.groups {
		cl.groups[g].init(s.walkKey, members[start[g]:start[g+1]:start[g+1]], true)
		cl.invMax[g] = s.invCap(cl.capMax[g])
		cl.topW[g], cl.topStale[g] = -1, true
	}
	s.classes = append(s.classes, cl)
	st := uint8(0)
	if len(elig) <= lazyClass {
		st = classLazy
	}
	s.classState = append(s.classState, st)
	return c
}
