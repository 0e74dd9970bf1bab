package balance

import (
	"cmp"
	"math"
	"slices"

	"github.com/caseload/caseload/civil"
)

// freeOrder returns the free units heaviest first, ties by index (ID
// order, but for units split from a family, which come after the rest):
// longest processing time first. Units no worker may take are left out:
// they are reported, not searched for; so are late units, which
// nothing places. Once ctx is done it returns only the units placement
// will still come to, and marks the rest late ([solver.lateOrder]).
func (s *solver) freeOrder() []int32 {
	if s.stopIfDone() {
		return s.lateOrder()
	}
	// The sort reads keys, not units: a stable sort through the units
	// took 0.1 s at 150,000, and a sort of (weight, index) pairs by a
	// comparison function 0.03–0.05 s, before placement's first look
	// at ctx. Weights below 2^32 micro-units (4,294 hours), as nearly
	// all are, pack with the index into one number whose order is the
	// order sought.
	var order []int32
	packed := make([]uint64, 0, len(s.units))
	for x := range s.units {
		u := &s.units[x]
		if !u.free || u.hopeless || u.late {
			continue
		}
		if u.w < 0 || u.w > math.MaxUint32 {
			packed = nil
			break
		}
		packed = append(packed, uint64(math.MaxUint32-uint32(u.w))<<32|uint64(x))
	}
	if packed != nil {
		slices.Sort(packed)
		order = make([]int32, len(packed))
		for k, p := range packed {
			order[k] = int32(uint32(p))
		}
		return order
	}
	for x := range s.units {
		if u := &s.units[x]; u.free && !u.hopeless && !u.late {
			order = append(order, int32(x))
		}
	}
	slices.SortFunc(order, s.heavierByIndex)
	return order
}

// lateOrder is freeOrder once ctx is done: placement comes to no more
// than the lateGrace most urgent free units in all ([solver.placeFree]),
// so only those left of them are sorted, and the rest are marked late.
// Sorting every free unit cost 0.01 s past the deadline at 150,000.
func (s *solver) lateOrder() []int32 {
	var xs []int32
	for x := range s.units {
		if u := &s.units[x]; u.free && !u.hopeless && !u.late {
			xs = append(xs, int32(x))
		}
	}
	order := s.reachOnly(xs, lateGrace-s.latePlaced)
	slices.SortFunc(order, s.heavierByIndex)
	return order
}

// heavierByIndex orders units heaviest first, ties by index: the order
// of freeOrder.
func (s *solver) heavierByIndex(a, b int32) int {
	return cmp.Or(cmp.Compare(s.units[b].w, s.units[a].w), cmp.Compare(a, b))
}

// urgent orders units by deadline (earliest first, none last), then
// priority (highest first), then arrival (earliest first, unknown
// last), then ID.
func (s *solver) urgent(a, b int32) int {
	return compareUrgency(&s.units[a], &s.units[b])
}

// compareUrgency orders two units as [solver.urgent] does.
func compareUrgency(u, v *unit) int {
	if c := compareDates(u.deadline, v.deadline); c != 0 {
		return c
	}
	if u.priority != v.priority {
		return cmp.Compare(v.priority, u.priority)
	}
	if c := compareDates(u.arrived, v.arrived); c != 0 {
		return c
	}
	return compareUnits(u, v)
}

// compareDates orders dates with the zero Date last.
func compareDates(a, b civil.Date) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

// placeFree places the free units, heaviest first, each on the worker
// left least full. A family's new members go to the worker who holds the
// family when they may take them all; when not, the members are split
// and each goes to that worker if they may take it. It returns the units
// it could not place.
//
// Once ctx is done it places at most lateGrace more units, in all, the
// most urgent of those left ([solver.urgent]), in the order given: a
// team of ordinary size still gets every queued case placed, in a few
// milliseconds. The units it does not reach are marked late and stay
// where the problem has them, queued or with their owner, and the
// proposal lists them as unplaceable with [CodeNotReached]. Placing
// them all would cost each a search of its class and a change to every
// class its worker is in, 0.5 s after the deadline at national size on
// many-skills, which a caller who set the deadline cannot bound; a
// cheaper pass would place them worse than the proposal says, and
// quietly.
func (s *solver) placeFree(order []int32) []int32 {
	var failed []int32
	defer s.unpark() // placeOne parks
	for k, x := range order {
		if s.cancelled || k%cancelEvery == 0 && s.stopIfDone() {
			// Only the most urgent of the rest, in the order given: a
			// pass over the rest, to pass by those marked late, cost 4–7
			// ms at 150,000 once ctx was done.
			for _, y := range s.reachOnly(order[k:], lateGrace-s.latePlaced) {
				if !s.units[y].late {
					s.latePlaced++
					failed = s.placeOne(y, failed)
				}
			}
			return failed
		}
		if !s.units[x].late {
			failed = s.placeOne(x, failed)
		}
	}
	return failed
}

// placeOne places free unit x, or its members if it is a family its
// worker may not take whole, each on the worker left least full, and
// returns failed with those no worker may take added. Under hard
// capacity it parks the workers who lack the room for the unit it
// places; placeFree puts them back when done.
func (s *solver) placeOne(x int32, failed []int32) []int32 {
	xs := []int32{x}
	if u := &s.units[x]; u.prefer >= 0 && len(u.cases) > 1 && !s.fits(u, u.prefer, nil) {
		xs = s.splitUnit(x)
	}
	for _, y := range xs {
		u := &s.units[y]
		if u.hopeless {
			continue // a split member no worker may take
		}
		b := int32(-1)
		if u.prefer >= 0 && s.fits(u, u.prefer, nil) {
			b = u.prefer
		} else {
			// Under hard capacity the workers who lack the room for u
			// are left out of the walks, as placeAnew leaves them
			// ([solver.parkFor]): under PolicyCounts the emptiest by
			// count were often full in hours, and each search walked
			// past them; placing 3% declines, national, under hard
			// capacity with counts evened out, took 4.2 s, 2.7 s since.
			s.parkFor(u.h)
			b = s.bestTarget(u, -1, 1)
		}
		if b < 0 {
			failed = append(failed, y)
			continue
		}
		s.place(y, b)
	}
	return failed
}

// reachOnly marks late every unit of xs but the g most urgent
// ([solver.urgent]), which it returns in the order of xs: placement
// does not come to the others.
func (s *solver) reachOnly(xs []int32, g int) []int32 {
	if len(xs) <= g {
		return xs
	}
	// The most urgent are chosen by their places in xs, so that they
	// keep its order.
	at := make([]int32, len(xs))
	for k, x := range xs {
		s.units[x].late = true
		at[k] = int32(k)
	}
	keep := mostUrgent(at, g, func(a, b int32) int { return s.urgent(xs[a], xs[b]) })
	slices.Sort(keep)
	reach := make([]int32, len(keep))
	for k, a := range keep {
		reach[k] = xs[a]
		s.units[xs[a]].late = false
	}
	return reach
}

// replaceByUrgency handles free units that did not fit. A family that
// no one worker may take is split into its cases; then, if anything
// still does not fit, every free unit is placed again, most urgent
// first, so that what waits is the least urgent. It returns the units
// left unplaced.
func (s *solver) replaceByUrgency(failed []int32) []int32 {
	if s.stopIfDone() {
		// Nothing will be placed again: a family that failed stays
		// whole, and each of its cases is explained.
		return failed
	}
	// Split families that failed into single cases.
	for _, x := range failed {
		if len(s.units[x].cases) > 1 {
			s.splitUnit(x)
		}
	}
	// The free units are taken anew each time: placing may split
	// families too.
	unplaceAll := func() {
		for x := range s.units {
			if u := &s.units[x]; u.free && u.pos >= 0 {
				s.place(int32(x), -1)
			}
		}
	}
	if s.stopIfDone() {
		return failed
	}
	// Each pass starts from nothing. One that ctx cuts short comes to
	// no more than lateGrace units from then on ([solver.placeFree]),
	// and may leave waiting, not reached, what the pass before placed:
	// that one is then put back.
	before := s.freeState()
	unplaceAll()
	again := s.placeFree(s.freeOrder())
	if s.stopIfDone() {
		return s.keepBetter(before, failed, again)
	}
	if failed = again; len(failed) == 0 {
		return failed
	}
	before = s.freeState()
	unplaceAll()
	byUrgency := s.freeOrder()
	slices.SortStableFunc(byUrgency, s.urgent)
	again = s.placeFree(byUrgency)
	if s.stopIfDone() {
		return s.keepBetter(before, failed, again)
	}
	return again
}

// A freeSnap is where the free units are: per case, the worker of its
// free unit or -1, and whether that unit was late; per unit then, whether
// it was split from a family; and how many cases were placed.
type freeSnap struct {
	units  int
	pos    []int32
	late   []bool
	split  []bool
	placed int
}

// freeState records where the free units are now.
func (s *solver) freeState() freeSnap {
	p := freeSnap{units: len(s.units), pos: make([]int32, len(s.t.cases)), late: make([]bool, len(s.t.cases)), split: make([]bool, len(s.units))}
	for i := range p.pos {
		p.pos[i] = -1
	}
	for x := range s.units {
		u := &s.units[x]
		p.split[x] = u.split
		if !u.free || u.stuck {
			continue
		}
		for _, i := range u.cases {
			p.pos[i], p.late[i] = u.pos, u.late
		}
		if u.pos >= 0 {
			p.placed += len(u.cases)
		}
	}
	return p
}

// keepBetter ends a placement pass that ctx cut short: if it placed
// fewer cases than were placed before it (p), the free units go back
// where p has them, late as they were, and it returns the units that
// failed then; otherwise those that failed in the pass. A family split
// in the pass goes back whole to its worker, its cases as units of
// their own that are not marked split: they are together. Nothing is
// searched after a cut, so nothing moves them apart.
func (s *solver) keepBetter(p freeSnap, failedBefore, failed []int32) []int32 {
	now := 0
	for x := range s.units {
		if u := &s.units[x]; u.free && !u.stuck && u.pos >= 0 {
			now += len(u.cases)
		}
	}
	if now >= p.placed {
		return failed
	}
	for x := range s.units {
		if u := &s.units[x]; u.free && !u.stuck && u.pos >= 0 {
			s.place(int32(x), -1)
		}
	}
	for x := range s.units {
		u := &s.units[x]
		if !u.free || u.stuck {
			continue
		}
		i := u.cases[0]
		u.late = p.late[i]
		if x < p.units {
			u.split = p.split[x]
		} else {
			u.split = false
		}
		if w := p.pos[i]; w >= 0 {
			s.place(int32(x), w)
		}
	}
	return failedBefore
}

// repair tries to place each failed unit, most urgent first, by moving
// one free unit out of the way: off a worker who may take the failed
// unit but for their caseload norm or capacity, to another who may take
// it. It returns the units still unplaced. Once ctx is done it places
// no more, and does not sort them either: where the queue weighs twice
// a national team's capacity, sorting the 75,000 that did not fit by
// urgency took 50 ms past the deadline.
func (s *solver) repair(failed []int32) []int32 {
	if s.stopIfDone() {
		return failed
	}
	slices.SortStableFunc(failed, s.urgent)
	var out []int32
	for k, x := range failed {
		if k%64 == 0 && s.stopIfDone() {
			return append(out, failed[k:]...)
		}
		if !s.eject(x) {
			out = append(out, x)
		}
	}
	return out
}

// ejectReach is how many units eject looks at for one unit that did not
// fit, so that many units that do not fit cost linear time, not the
// units times the team.
const ejectReach = 4096

// eject places unit x by moving one free unit y off a worker b to make
// room, if it finds one among the first ejectReach units it looks at.
//
// Under hard capacity, the units of a worker b are not looked at where
// b's room under capacity and the most room any worker has fall short
// of u's hours together: a unit off b that leaves the room for u then
// fits on no one else. They still count against ejectReach, so that
// eject finds what it would find looking at them. Where the queue
// weighs twice the capacity of a team of 2,000, each of the 20,000
// units that did not fit looked at 4,096 units in vain.
func (s *solver) eject(x int32) bool {
	u := &s.units[x]
	cl := &s.classes[u.class]
	most := int64(math.MaxInt64)
	if s.roomHeap != nil {
		most = math.MinInt64 / 2 // no one may take new work
		if r := s.mostHoursRoom(); !math.IsInf(r, -1) {
			most = int64(r)
		}
	}
	seen := 0
	for _, b := range cl.elig {
		if u.declined(b) {
			continue
		}
		if seen += len(s.on[b]) + 1; seen > ejectReach {
			return false
		}
		if most < math.MaxInt64 && u.h-(s.hourLimit[b]-s.hours[b]) > most {
			continue
		}
		for _, y := range s.on[b] {
			v := &s.units[y]
			if !v.free || v.stuck || !s.within(u, b, v) {
				continue
			}
			if c := s.bestTarget(v, b, 1); c >= 0 {
				s.place(y, c)
				s.place(x, b)
				return true
			}
		}
	}
	return false
}

// keepStuck leaves each unplaceable case of an away worker with that
// worker, where it is flagged and never moves.
func (s *solver) keepStuck() {
	if !s.ro.replaceAway || !slices.Contains(s.t.absent, true) {
		// Only a case re-placed from an away worker is free and held
		// ([solver.status]): without one, no unit is kept, and the
		// scan of every unit cost 5 ms at 150,000 cases, past a
		// deadline too.
		return
	}
	var failed []int32
	for x := range s.units {
		if u := &s.units[x]; u.free && u.pos < 0 {
			failed = append(failed, int32(x))
		}
	}
	// A unit whose first case someone holds stays with them.
	keep := func(y int32) {
		u := &s.units[y]
		if o := s.t.owner[u.cases[0]]; o != noOwner {
			s.put(y, s.sidx[o])
			u.stuck = true
			s.unplaced++
		}
	}
	for _, x := range failed {
		if u := &s.units[x]; len(u.cases) > 1 && slices.ContainsFunc(u.cases, func(i int32) bool { return s.t.owner[i] != noOwner }) {
			for _, y := range s.splitUnit(x) {
				keep(y)
			}
			continue
		}
		keep(x)
	}
}

// splitUnit turns a family unit, free and unplaced, into one unit per
// case, flagged, each in the class of its own skills, and returns their
// indices. Each case then counts as unplaced, where the family counted
// once.
func (s *solver) splitUnit(x int32) []int32 {
	if s.units[x].pos >= 0 {
		s.put(x, -1)
	}
	u := s.units[x]
	if u.free && !u.stuck {
		s.unplaced += len(u.cases) - 1
	}
	xs := []int32{x}
	s.heavy = nil
	for k, i := range u.cases {
		v := s.newUnit([]int32{i}, -1)
		v.prefer = u.prefer
		v.split = true
		v.late = u.late
		if k == 0 {
			s.units[x] = v
		} else {
			xs = append(xs, int32(len(s.units)))
			s.units = append(s.units, v)
		}
	}
	return xs
}
