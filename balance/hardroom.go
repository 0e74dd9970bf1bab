package balance

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// Under hard capacity the workers who may take new work are also kept
// in a max-heap by their room under capacity ([solver.roomHeap]), so
// that those with room for a given unit are listed in time that grows
// with their number, not the team's. Where most of a team is nearly
// full, the walks of a class's heap in order of utilization
// ([solver.walk], [solver.bestTargetWalk]) passed nearly everyone for
// each unit: once a walk has passed walkPatience workers who may not
// take the unit, it asks the heap for the few who have the room, and,
// if they are few, goes on from them in the order the walk would have
// met them.

// walkPatience is how many workers who may not take a unit a walk
// passes before it looks for the few who have the room for it
// ([solver.roomFor]): a walk that finds a taker soon costs no more
// than it did.
const walkPatience = 32

// initHoursRoom builds the heap of the workers by their room under
// capacity, under hard capacity, once the limits are set.
func (s *solver) initHoursRoom() {
	if !s.ro.hardCapacity {
		return
	}
	s.hoursRoom = make([]float64, s.m)
	all := make([]int32, s.m)
	for b := range int32(s.m) {
		all[b] = b
		s.hoursRoom[b] = s.hoursRoomOf(b)
	}
	s.roomHeap = newUtilHeap(s.hoursRoom, all, false)
	s.roomDirtyAt = make([]bool, s.m)
	s.roomMany = make([]roomCount, 0, roomManyMost)
}

// hoursRoomOf returns worker b's key in roomHeap: their room under
// capacity in micro-hours, or -Inf if they take no new work.
func (s *solver) hoursRoomOf(b int32) float64 {
	if !s.canTake[b] {
		return math.Inf(-1)
	}
	return float64(s.hourLimit[b] - s.hours[b])
}

// setHoursRoom notes a change of worker b's hours in roomHeap.
func (s *solver) setHoursRoom(b int32) {
	if s.roomHeap == nil {
		return
	}
	if r := s.hoursRoomOf(b); r != s.hoursRoom[b] {
		s.hoursRoom[b] = r
		s.roomHeap.mark(b)
		s.roomMany = s.roomMany[:0] // what they noted may no longer hold
	}
}

// mostHoursRoom returns the most room under capacity that any worker
// who may take new work has, in micro-hours, as roomHeap holds it.
func (s *solver) mostHoursRoom() float64 {
	if t := s.roomHeap.top(); t >= 0 {
		return s.hoursRoom[t]
	}
	return math.Inf(-1)
}

// roomPerPassed is how many workers with the room for a unit a walk
// that has passed a number of workers who may not take it may list,
// per worker passed ([solver.roomTry]): a walk that found more than
// roomLimit with the room, and goes on passing workers who lack it,
// tries again once roomPerPassed times those it has passed exceed the
// most it listed, and then each time they double, so that it never
// costs much more than the cheaper of walking on and listing those
// with the room. Under hard capacity, on a team whose cases weigh twice
// its capacity, most walks passed the full workers, the emptiest, to
// reach those over capacity from the start, whose limit is what they
// held.
const roomPerPassed = 4

// roomTry reports whether a walk of class cl that has passed passed
// workers who may not take a unit, at least s.patience, lists those
// with the room for it now ([solver.roomFor]): the first time, or when
// it may list at least twice as many as the last time, *tried. It sets
// *tried to the most it may list.
func (s *solver) roomTry(cl *class, passed int, tried *int) bool {
	limit := max(s.roomLimit(cl), roomPerPassed*passed)
	if *tried > 0 && limit < 2**tried {
		return false
	}
	*tried = limit
	return true
}

// roomFor returns, if there are at most a limit of them, the workers
// of class cl other than skip who may take unit u, as roomyCands in
// the order [solver.roomyFor] gives; ok is false if the workers with
// the room under capacity that u needs are more than limit, or there
// is no hard capacity. It costs
// O(k log k) for the k workers with that room: a search of roomHeap
// from its root that leaves every subtree whose root has too little;
// nothing where a search since anyone's room last changed found more
// than limit workers with as much room or more ([roomCount]).
// (A room in micro-hours converts to float64 in order, so a worker
// with the room is never left out; fits decides.)
func (s *solver) roomFor(u *unit, cl *class, skip int32, byGroup bool, limit int) (cs []roomyCand, ok bool) {
	rh := s.roomHeap
	if rh == nil {
		return nil, false // no hard capacity
	}
	need := float64(u.h)
	for _, f := range s.roomMany {
		if f.need >= need && f.limit >= limit {
			return nil, false // more than f.limit have f.need or more
		}
	}
	rh.order()
	list, stack := s.roomList[:0], s.roomStack[:0]
	if len(rh.item) > 0 {
		stack = append(stack, 0)
	}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		s.looked++
		b := rh.ids[rh.item[p]]
		if s.hoursRoom[b] < need {
			continue
		}
		if len(list) == limit {
			s.roomList, s.roomStack = list, stack
			if len(s.roomMany) == roomManyMost {
				s.roomMany = append(s.roomMany[:0], s.roomMany[1:]...)
			}
			s.roomMany = append(s.roomMany, roomCount{need, limit})
			return nil, false
		}
		list = append(list, b)
		if l := 2*p + 1; int(l) < len(rh.item) {
			stack = append(stack, l)
			if int(l)+1 < len(rh.item) {
				stack = append(stack, l+1)
			}
		}
	}
	s.roomList, s.roomStack = list, stack
	return s.candsOf(list, u, cl, skip, byGroup), true
}

// A roomCount notes that more than limit workers have need or more
// room under capacity, in micro-hours: a search of roomHeap
// ([solver.roomFor]) for no more room nor more workers need not be
// made while no one's room changes. Under hard capacity, where most
// workers had room for most units but the emptiest by their count of
// cases (PolicyCounts) had none, the walks of evenOut searched it again
// and again, each time to stop at its limit: a third of the time of a
// proposal at 2,000 workers and 60,000 cases.
type roomCount struct {
	need  float64
	limit int
}

// roomManyMost is how many roomCounts the solver keeps, the last noted.
const roomManyMost = 4

// roomLimit returns the most workers with room for a unit of class cl
// that [solver.roomFor] lists: an eighth of the class, as for
// [solver.fewRoomy], but at least 256, or roomListMost where a test
// sets it.
func (s *solver) roomLimit(cl *class) int {
	if s.roomListMost > 0 {
		return s.roomListMost
	}
	return max(len(cl.elig)/8, 256)
}

// While placeAnew places every unit again, heaviest first, under hard
// capacity, the workers who fill up are left with room for the lighter
// units to come but not for the one being placed, and every search
// walked past them in order of utilization: on a national team whose
// cases weigh twice its capacity, the workers who held more than their
// capacity at the start, whose limit is what they held, fill one by one
// below the level the rest rise to, and the solve from empty took 4.4 s.
// So, while it places, a worker whose room in hours falls short of the
// unit being placed is parked: out of roomy, as if they had no room,
// until a unit comes that fits their room ([solver.parkFor]).

// parkFor sets the room a worker needs to be in roomy to need, the
// hours of the unit placeAnew places next, where that is hard capacity:
// every worker parked with at least that room is put back, so that
// every worker with the room for the unit is in roomy. Those who lack
// it and are in roomy stay there until their load changes.
func (s *solver) parkFor(need int64) {
	if !s.ro.hardCapacity || s.roomyAt == nil || s.noPark {
		return
	}
	prev := s.park
	s.park = need
	if prev != 0 && need >= prev {
		return
	}
	for len(s.parked.items) > 0 && s.parked.items[0].room >= need {
		b := s.parked.pop()
		s.setRoomy(b) // parked again, with their room now, if short
		s.setUtil(b)
	}
}

// unpark puts every parked worker back as their room says, once
// placeAnew is done.
func (s *solver) unpark() {
	if s.park == 0 {
		return
	}
	s.park = 0
	for len(s.parked.items) > 0 {
		b := s.parked.pop()
		s.setRoomy(b)
		s.setUtil(b)
	}
}

// A parkHeap holds the parked workers, the most room first. A worker's
// key is at least their room: it is raised when their room grows
// while parked, and read again when they leave.
type parkHeap struct {
	items []parkedWorker
	at    []int32 // per worker: their place in items, or -1
}

// A parkedWorker is a worker in a parkHeap and their key.
type parkedWorker struct {
	room int64 // micro-hours under capacity, or more
	b    int32
}

// push adds worker b with room room, or raises their key to room.
func (h *parkHeap) push(b int32, room int64) {
	for int(b) >= len(h.at) {
		h.at = append(h.at, -1)
	}
	i := int(h.at[b])
	switch {
	case i < 0:
		i = len(h.items)
		h.items = append(h.items, parkedWorker{room, b})
	case room > h.items[i].room:
		h.items[i].room = room
	default:
		return
	}
	for i > 0 {
		p := (i - 1) / 2
		if !h.above(i, p) {
			break
		}
		h.swap(i, p)
		i = p
	}
	h.at[h.items[i].b] = int32(i)
}

// pop takes the worker with the most room (ties by index) off the
// heap.
func (h *parkHeap) pop() int32 {
	top := h.items[0].b
	last := len(h.items) - 1
	h.swap(0, last)
	h.items = h.items[:last]
	h.at[top] = -1
	for i := 0; ; {
		c := 2*i + 1
		if c >= last {
			break
		}
		if c+1 < last && h.above(c+1, c) {
			c++
		}
		if !h.above(c, i) {
			break
		}
		h.swap(i, c)
		i = c
	}
	return top
}

// swap swaps items i and j, and their places.
func (h *parkHeap) swap(i, j int) {
	h.items[i], h.items[j] = h.items[j], h.items[i]
	h.at[h.items[i].b], h.at[h.items[j].b] = int32(i), int32(j)
}

// above reports whether item i ranks above item j: more room, or as
// much and a lower index.
func (h *parkHeap) above(i, j int) bool {
	a, b := h.items[i], h.items[j]
	return a.room > b.room || a.room == b.room && a.b < b.b
}

// A roomLow is an entry of [solver.byRoom]: a worker, their room in
// hours, in micro-hours, their utilization and their key, 2·u + x0/c
// for utilization u, capacity c and the lightest unit's weight x0
// ([solver.byRoomX0]), and the lowest utilization and key of the
// workers listed with that room or more.
type roomLow struct {
	room, util, key float64
	low, keyLow     float64
	b               int32
}

// roomDirtyMost is how many workers may have changed since roomy was
// last listed by room before [solver.lowestWithRoom] lists it again:
// until then it reads each of them as they are now.
const roomDirtyMost = 32

// lowestWithRoom returns lower bounds on the utilization u and on the
// key 2·u + x0/c ([roomLow]) of any worker who may take a unit of h
// micro-hours, under hard capacity: the lowest of the workers of roomy
// with h or more room in hours; +Inf if none has it. A worker of the
// unit's class who may take it has that room and is in roomy (roomy
// lists every worker with room for the smallest unit, but while
// placeAnew parks some). It returns -Inf, no bound, without hard
// capacity or while workers are parked.
//
// It reads the listing of roomy by room ([solver.byRoom]) and the
// workers who changed since, as they are now: a worker who changed may
// also be listed as they were, which can only lower the bounds. It lists
// roomy again once more than roomDirtyMost have changed, in O(r + d log
// d) for r workers listed and d changed (O(r log r) the first time), so
// that a pass of evenOut that moves a unit now and then pays little for
// it. Under hard capacity, on a national team whose cases weigh twice
// its capacity, each pass of evenOut after the solve from empty
// searched for 130,000 units among the 237 workers of roomy and found
// no one empty enough: the bound on utilization passes by all but 22 of
// them. Where most of a team has room, counts even out (PolicyCounts)
// and 3% of the cases decline each worker, 2,000 workers and 60,000
// cases, each pass searched for 59,000 units, each among 1,150 workers,
// and moved at most 341: the bound on utilization passes by 36,000 of
// them, and the key, which tells a worker of a small caseload norm
// from one of a large, 18,000 more. (It was listed afresh after each
// change and kept to teams where few have room, as the listing cost
// the most there.)
func (s *solver) lowestWithRoom(h int64) (low, key float64) {
	if s.roomHeap == nil || s.roomyAt == nil || s.park != 0 {
		return math.Inf(-1), math.Inf(-1)
	}
	if !s.byRoomOK || len(s.roomDirty) > roomDirtyMost {
		s.listByRoom()
	}
	need := float64(h)
	low, key = math.Inf(1), math.Inf(1)
	if n := sort.Search(len(s.byRoom), func(i int) bool { return s.byRoom[i].room < need }); n > 0 {
		low, key = s.byRoom[n-1].low, s.byRoom[n-1].keyLow
	}
	for _, b := range s.roomDirty {
		if s.roomyAt[b] >= 0 && s.hoursRoom[b] >= need {
			low, key = min(low, s.util[b]), min(key, s.roomKey(b))
		}
	}
	return low, key
}

// roomKey returns worker b's key in byRoom: 2·u_b + x0/c_b, or +Inf
// for a worker without capacity.
func (s *solver) roomKey(b int32) float64 {
	if s.capH[b] <= 0 {
		return math.Inf(1)
	}
	return 2*s.util[b] + s.byRoomX0/s.capH[b]
}

// roomChanged notes, under hard capacity, that worker b's load, room or
// place in roomy changed, for [solver.lowestWithRoom].
func (s *solver) roomChanged(b int32) {
	if s.roomDirtyAt == nil || s.roomDirtyAt[b] {
		return
	}
	s.roomDirtyAt[b] = true
	s.roomDirty = append(s.roomDirty, b)
}

// listByRoom lists roomy by room in hours, the most first (ties by
// index), with the running minimum of utilization: the first time from
// roomy, after that by taking out the workers who changed and merging
// them back in as they are now, if they are in roomy.
func (s *solver) listByRoom() {
	order := func(x, y roomLow) int { return cmp.Or(cmp.Compare(y.room, x.room), cmp.Compare(x.b, y.b)) }
	var fresh []roomLow
	if s.byRoomOK {
		for _, b := range s.roomDirty {
			if s.roomyAt[b] >= 0 {
				fresh = append(fresh, roomLow{room: s.hoursRoom[b], util: s.util[b], key: s.roomKey(b), b: b})
			}
		}
	} else {
		s.byRoomX0 = math.Inf(1)
		for x := range s.units {
			if w := s.units[x].w; w > 0 {
				s.byRoomX0 = min(s.byRoomX0, float64(w)/micro)
			}
		}
		if math.IsInf(s.byRoomX0, 1) {
			s.byRoomX0 = 0
		}
		for _, b := range s.roomy {
			fresh = append(fresh, roomLow{room: s.hoursRoom[b], util: s.util[b], key: s.roomKey(b), b: b})
		}
		s.byRoom = s.byRoom[:0]
	}
	slices.SortFunc(fresh, order)
	next := s.byRoomNext[:0]
	i := 0
	for _, e := range s.byRoom {
		if s.roomDirtyAt[e.b] {
			continue // listed again as they are now, if in roomy
		}
		for ; i < len(fresh) && order(fresh[i], e) < 0; i++ {
			next = append(next, fresh[i])
		}
		next = append(next, e)
	}
	next = append(next, fresh[i:]...)
	for k := range next {
		next[k].low, next[k].keyLow = next[k].util, next[k].key
		if k > 0 {
			next[k].low, next[k].keyLow = min(next[k].low, next[k-1].low), min(next[k].keyLow, next[k-1].keyLow)
		}
	}
	s.byRoom, s.byRoomNext = next, s.byRoom[:0]
	for _, b := range s.roomDirty {
		s.roomDirtyAt[b] = false
	}
	s.roomDirty = s.roomDirty[:0]
	s.byRoomOK = true
}
