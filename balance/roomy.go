package balance

import (
	"cmp"
	"math"
	"slices"
)

// The workers with room for a unit: the list of them ([solver.roomy]),
// the searches that look at them alone where they are few, and the
// note of the most room anyone has ([solver.noRoomFor]). The class
// heaps rank those without room last ([solver.walkKey]); under hard
// capacity, room in hours has a heap of its own (hardroom.go).

// initRoomy lists the workers with room for a unit ([solver.roomy]),
// once the limits are set.
func (s *solver) initRoomy() {
	s.roomyAt = make([]int32, s.m)
	for b := range int32(s.m) {
		s.roomyAt[b] = -1
		s.setRoomy(b)
		if s.roomyAt[b] < 0 {
			s.setUtil(b) // their walkKey
		}
	}
}

// setRoomy puts worker b in roomy or takes them out, as their room now
// says.
func (s *solver) setRoomy(b int32) {
	s.setHoursRoom(b)
	s.roomChanged(b)
	if s.roomyAt == nil {
		return
	}
	norm, hours := s.roomOf(b)
	in := s.canTake[b] && norm >= s.minShare && (!s.ro.hardCapacity || hours >= s.minHours)
	if in && hours < s.park {
		in = false
		s.parked.push(b, hours)
	}
	switch at := s.roomyAt[b]; {
	case in && at < 0:
		s.roomyAt[b] = int32(len(s.roomy))
		s.roomy = append(s.roomy, b)
	case !in && at >= 0:
		last := s.roomy[len(s.roomy)-1]
		s.roomy[at] = last
		s.roomyAt[last] = at
		s.roomy = s.roomy[:len(s.roomy)-1]
		s.roomyAt[b] = -1
	}
}

// A roomyCand is a worker of roomy who may take a unit: their group in
// the unit's class, utilization and index.
type roomyCand struct {
	g    int32
	util float64
	b    int32
}

// fewRoomy reports whether so few workers have room for a unit that
// looking at each of them costs less than walking class cl's heaps in
// order of utilization, past those with room for the smallest unit but
// not for this one (under hard capacity, room in hours), which those
// walks pass. While placeAnew parks the workers who lack the room for
// the unit it places ([solver.parkFor]), the walks pass few of them:
// it reports false.
func (s *solver) fewRoomy(cl *class) bool {
	return s.roomyAt != nil && s.park == 0 && len(s.roomy)*8 <= len(cl.elig)
}

// roomyFor returns the workers of roomy in class cl other than skip
// who may take u, as roomyCands, in cl's order of groups (the largest
// capacities first) and, within a group, in order of utilization, ties
// by index: the order in which class's heaps list them. By group in a
// class of one capacity per group, for [solver.bestOf], they come in
// no order ([solver.candsOf]).
func (s *solver) roomyFor(u *unit, cl *class, skip int32, byGroup bool) []roomyCand {
	return s.candsOf(s.roomy, u, cl, skip, byGroup)
}

// candsOf returns the workers of list in class cl other than skip who
// may take u, as [solver.roomyFor] orders them; by group, for
// [solver.bestOf], in a class of one capacity per group, in no order.
func (s *solver) candsOf(list []int32, u *unit, cl *class, skip int32, byGroup bool) []roomyCand {
	cs := s.cands[:0]
	for _, b := range list {
		if b == skip || !cl.has(b) || !s.fits(u, b, nil) {
			continue
		}
		g := int32(0)
		if byGroup {
			k, _ := slices.BinarySearch(cl.elig, b)
			g = cl.group[k]
		}
		cs = append(cs, roomyCand{g, s.util[b], b})
	}
	s.cands = cs
	if !byGroup || !cl.exact {
		sortCands(cs)
	}
	return cs
}

// sortCands puts cs in the order of a walk: groups from the largest
// capacities down, then utilization, then index.
func sortCands(cs []roomyCand) {
	slices.SortFunc(cs, func(x, y roomyCand) int {
		return cmp.Or(cmp.Compare(y.g, x.g), cmp.Compare(x.util, y.util), cmp.Compare(x.b, y.b))
	})
}

// visitCands visits the workers of cs, which are in the order of a
// walk ([solver.roomyFor]), until visit returns false; from b >= 0,
// only those the walk meets after b. It visits them from a copy of cs,
// as visit may search too: walkBuf, or a copy of its own where visit
// walks again.
func (s *solver) visitCands(cs []roomyCand, from int32, visit func(b int32) bool) {
	var own []roomyCand
	if s.walking {
		own = slices.Clone(cs)
	} else {
		s.walking = true
		defer func() { s.walking = false }()
		s.walkBuf = append(s.walkBuf[:0], cs...)
		own = s.walkBuf
	}
	for _, c := range own {
		s.looked++
		if from >= 0 && (c.util < s.util[from] || c.util == s.util[from] && c.b < from) {
			continue // the walk met them before from
		}
		if !visit(c.b) {
			return
		}
	}
}

// bestRoomy is what bestTargetWalk finds, from the workers of roomy
// in class cl who may take u, skipping skip ([solver.roomyFor]), taken
// as the walk meets them ([solver.bestOf]): the first of each group,
// or, in a class whose groups hold several capacities, each.
func (s *solver) bestRoomy(u *unit, cl *class, skip int32, alpha float64) int32 {
	return s.bestOf(s.roomyFor(u, cl, skip, true), cl, u, alpha)
}

// bestOf is what bestTargetWalk finds for unit u of class cl from cs,
// the workers who may take u ([solver.candsOf], by group). In a class
// of one capacity per group only the emptiest of each group counts
// (ties by index): they are found in one pass and taken group by
// group, and cs is not sorted. Under hard capacity, on a national
// team whose cases weigh twice its capacity, sorting every worker
// with room took a fifth of the time.
func (s *solver) bestOf(cs []roomyCand, cl *class, u *unit, alpha float64) int32 {
	best, bestV := int32(-1), math.Inf(1)
	w := float64(u.w)
	take := func(c roomyCand) {
		if v := alpha*c.util + w*s.inv[c.b]; v < bestV-eps || (v <= bestV+eps && c.b < best) {
			best, bestV = c.b, v
		}
	}
	if !cl.exact {
		for _, c := range cs {
			take(c)
		}
		return best
	}
	firsts := s.groupFirsts(cs)
	if len(firsts)*8 < len(cl.groups) {
		// Few groups have anyone: sorting them costs less than a look
		// at every group.
		for _, c := range firsts {
			s.groupAt[c.g] = -1
		}
		sortCands(firsts)
		for _, c := range firsts {
			take(c)
		}
		return best
	}
	for g := len(cl.groups) - 1; g >= 0; g-- {
		if k := s.groupAt[g]; k >= 0 {
			s.groupAt[g] = -1
			take(firsts[k])
		}
	}
	return best
}

// groupFirsts returns, of cs, the emptiest worker of each group, ties
// by index, and sets groupAt[g] to the place of group g's in the list,
// where the caller sets it back to -1.
func (s *solver) groupFirsts(cs []roomyCand) []roomyCand {
	if s.groupAt == nil {
		s.groupAt = make([]int32, maxCapGroups)
		for g := range s.groupAt {
			s.groupAt[g] = -1
		}
	}
	firsts := s.firsts[:0]
	for _, c := range cs {
		k := s.groupAt[c.g]
		if k < 0 {
			s.groupAt[c.g] = int32(len(firsts))
			firsts = append(firsts, c)
		} else if f := &firsts[k]; c.util < f.util || c.util == f.util && c.b < f.b {
			*f = c
		}
	}
	s.firsts = firsts
	return firsts
}

// noRoomFor reports whether no worker may take u because none
// has the room under their caseload norm (or, with hard capacity, their
// capacity) that u needs ([solver.noteRoom]). On a team where every
// worker is at their norm, each unit then learns at once that no one
// may take it: with 500 workers at their norm and 2,000 cases on a
// worker without capacity, each of those cases walked the whole team,
// several times over, and a proposal took 2.3 s.
//
// Every worker a search of u's class looks at is in the class, and so
// may take new work ([solver.newClassFor]): its owner too, when it
// takes u back. An owner outside the class, whom bestTarget also looks
// at ([solver.homeOutside]), is not counted here: noRoomFor answers for
// the class alone.
//
// Under hard capacity, the most room under capacity is known at all
// times ([solver.roomHeap]).
func (s *solver) noRoomFor(u *unit) bool {
	if s.roomHeap != nil && float64(u.h) > s.mostHoursRoom() {
		return true
	}
	return s.room.known && (u.s > s.room.norm || s.ro.hardCapacity && u.h > s.room.hours)
}

// noteRoom notes, for noRoomFor, the most room under their caseload
// norm and capacity that any worker who may take new work has: O(m),
// after a search that found no target and cost more.
func (s *solver) noteRoom() {
	if s.normLimit == nil {
		return // the limits are not set yet
	}
	s.room.known = true
	s.room.norm, s.room.hours = math.MinInt64, math.MinInt64
	for b := range int32(s.m) {
		if s.canTake[b] {
			norm, hours := s.roomOf(b)
			s.room.norm, s.room.hours = max(s.room.norm, norm), max(s.room.hours, hours)
		}
	}
}

// roomOf returns the room worker b has under their caseload norm and,
// with hard capacity, their capacity, in micro-shares and micro-hours;
// math.MaxInt64 where there is no such limit.
func (s *solver) roomOf(b int32) (norm, hours int64) {
	norm, hours = math.MaxInt64, math.MaxInt64
	if s.norm[b] >= 0 {
		norm = s.normLimit[b] - s.shares[b]
	}
	if s.ro.hardCapacity {
		hours = s.hourLimit[b] - s.hours[b]
	}
	return norm, hours
}
