package balance

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"

	"github.com/caseload/caseload/civil"
)

// A unit is what the solver places: one case, or the cases of one
// family that belong with one worker.
type unit struct {
	cases []int32 // indices into Team.cases, in case ID order
	id    string  // the first case's ID, for tie-breaks
	idKey uint64  // id's first 8 bytes, big-endian, zero-padded
	w     int64   // weight under the policy, in micro-units
	h     int64   // hours, in micro-hours (for hard capacity)
	s     int64   // caseload shares, in micro-shares
	class int32
	decl  []int32 // workers (solver indices) who declined a member, ascending
	// orig is the worker that holds the unit now, or -1 for a free unit
	// (queued, orphaned, or re-placed from an away worker); pos is where
	// it is placed in the proposal, or -1.
	orig, pos int32
	slot      int32 // index of the unit in on[pos]
	free      bool
	prefer    int32 // the family's worker, or -1
	split     bool  // a family member placed apart from its family
	stuck     bool  // unplaceable, kept by its away worker: never moves
	anchored  bool  // held with new family members placed beside it: stays
	hopeless  bool  // no worker may take it: never searched for
	// outside marks a held unit whose worker has capacity but is not in
	// its class: it may go back to them ([solver.homeOutside]).
	outside bool
	// late marks a free unit that placement had not reached when the
	// solver stopped early: it stays unplaced, and is reported so.
	late bool
	// urgency, for choosing what waits when not everything fits.
	deadline civil.Date
	priority int
	arrived  civil.Date
}

// declined reports whether worker b declined a case of unit u.
func (u *unit) declined(b int32) bool {
	if len(u.decl) <= 8 {
		return slices.Contains(u.decl, b)
	}
	_, ok := slices.BinarySearch(u.decl, b)
	return ok
}

// compareUnits orders units by ID, the ID of their first case. IDs
// that differ in their first 8 bytes are told apart by idKey, which
// orders them as their bytes do, without reading the strings.
func compareUnits(a, b *unit) int {
	if a.idKey != b.idKey {
		return cmp.Compare(a.idKey, b.idKey)
	}
	return strings.Compare(a.id, b.id)
}

// idKey returns the first 8 bytes of id as a big-endian number, padded
// with zeros: keys that differ order as their IDs do.
func idKey(id string) uint64 {
	var k uint64
	for i := range 8 {
		k <<= 8
		if i < len(id) {
			k |= uint64(id[i])
		}
	}
	return k
}

// notStuck wraps movable to leave stuck units alone.
func notStuck(movable func(u *unit) bool) func(u *unit) bool {
	return func(u *unit) bool { return !u.stuck && movable(u) }
}

// A class is a set of workers who may take a unit: those who hold the
// skills it requires and may take new work. Units whose skills give the
// same workers share one class, whatever the skills, so that the
// classes number no more than the distinct sets of workers; a class's
// memory is the size of its members.
type class struct {
	elig []int32 // solver worker indices, ascending
	// bits marks elig as a bit set over the team when the class holds
	// at least a 32nd of it (no larger than elig then); nil otherwise,
	// and membership is found by binary search.
	bits []uint64
	heap *utilHeap // elig as a min-heap on utilization
	// open is elig as a min-heap on [solver.walkKey]: those with room
	// for a unit in order of utilization, then the rest. The searches
	// for where a unit goes walk it, and stop at the first without
	// room: with half a team at their caseload norm, every search
	// walked past them all.
	open *utilHeap
	// groups splits elig by capacity, each a min-heap on walkKey:
	// within a group of one capacity the emptiest worker is also the
	// one left emptiest by any unit, so the best worker for a unit is
	// among the groups' tops. A class
	// with more than maxCapGroups distinct capacities groups them in
	// ranges instead, whose largest capacity (capMax) bounds how far a
	// walk of the group must go.
	groups []utilHeap
	capMax []float64 // per group: its largest capacity
	// Per group, side by side for bestTarget's scan: 1/(capMax in
	// micro-units), as invCap gives it; the group's emptiest worker
	// and their walkKey when last looked at (-1 for an empty group;
	// +Inf for a group where no one has room); and whether a member's
	// utilization has changed since.
	invMax   []float64
	topW     []int32
	topU     []float64
	topStale []bool
	capMin   float64 // the smallest capacity in the class
	exact    bool    // each group holds one capacity
	group    []int32 // per local index in elig: its group
}

// has reports whether worker b is in class c.
func (c *class) has(b int32) bool {
	if c.bits != nil {
		return c.bits[b/64]&(1<<(b%64)) != 0
	}
	_, ok := slices.BinarySearch(c.elig, b)
	return ok
}

// classLazy and classDirty are the bits of [solver.classState].
const (
	classLazy uint8 = 1 << iota
	classDirty
)

// lazyClass is the most workers a class may hold for its heaps to be
// rebuilt when read rather than told of each change ([solver.setUtil]):
// a worker is in every class whose skills they hold, and with thousands
// of skills that is dozens of small classes, scattered in memory, each
// told of every change of the worker's load. With 8,000 skills at
// 5,000 workers × 150,000 cases that took 0.43 s of placing the queued
// cases; rebuilding a class of a few dozen workers when it is read
// costs less than a few of those notes.
const lazyClass = 32

// classAt returns class c with its heaps in order: a small class whose
// members' utilization changed since it was last read is rebuilt. Every
// read of a class's heaps goes through it.
func (s *solver) classAt(c int32) *class {
	cl := &s.classes[c]
	if st := &s.classState[c]; *st&classDirty != 0 {
		*st &^= classDirty
		cl.heap.heapify()
		cl.open.heapify()
		for g := range cl.groups {
			cl.groups[g].heapify()
			cl.topStale[g] = true
		}
	}
	return cl
}

// maxCapGroups is the most capacity groups a class keeps one per
// distinct capacity; past it, capacities are grouped in ranges.
const maxCapGroups = 128

// A memberRef places a worker in one class: the class, the worker's
// local index in the class's heaps (heap and open), and in its
// capacity group's heap.
type memberRef struct {
	class, local, glocal int32
}

// A solver holds a team's assignment while it is improved. Workers are
// numbered in ID order, units in the order of their first case ID, so
// that every loop runs in a canonical order.
type solver struct {
	t    *Team
	ro   rebalanceOptions
	ctx  context.Context
	team []int32 // solver index → Team worker index
	sidx []int32 // Team worker index → solver index
	m    int

	capH   []float64 // capacity, hours
	capM   []int64   // capacity, micro-hours
	inv    []float64 // 1/(capacity in micro-units), 0 for none
	load   []int64   // policy load, micro-units
	hours  []int64   // load in micro-hours
	shares []int64   // micro-shares
	fixed  []int64   // policy load that cannot move
	norm   []int64   // micro-shares, or -1 for none
	// normLimit and hourLimit are the most shares and hours a worker may
	// end with: the norm (capacity) or, if more, what they hold at the
	// start, with slack for shares that do not add up exactly.
	normLimit []int64
	hourLimit []int64
	canTake   []bool
	util      []float64
	// walkKey is, per worker, their utilization if they are in roomy,
	// and +Inf if not, once the limits are set: of a unit's class only
	// those in roomy may take it ([solver.fits] needs the room), so the
	// searches of the class for where a unit goes walk the class heaps
	// on it ([class.open]).
	walkKey []float64
	classOf [][]memberRef // classes each worker belongs to
	// classState holds, per class, classLazy for a small class, whose
	// heaps are not told of each change but rebuilt when next read, and
	// classDirty while such a class's heaps are out of date
	// ([solver.classAt]).
	classState []uint8
	topAt      []int32 // per worker: local index in top, or -1

	units []unit
	on    [][]int32 // movable units placed on each worker
	// onW holds the weights of on's units, slot by slot, in
	// micro-units: a pass of evenOut and the swaps tell by weight alone
	// which units they need not read ([spreadTest], [solver.swaps]), as
	// reading a unit misses the cache on a national team. readAll,
	// where a test sets it, has them read every unit, and evenOut
	// search for every unit, alike or not ([evenKey]); searchAlike has
	// it search for every unit alone.
	onW                  [][]int64
	readAll, searchAlike bool
	evenSearches         int        // evenOut's searches for where a unit goes, in all
	evenFails            []evenFail // evenOut's notes of searches that found no move, kept for the next pass
	// light is, per worker, the weight of their lightest unit on, in
	// micro-units: MaxInt64 for none, -1 where not known since it left
	// ([solver.lightOf]). outsideOn counts, per worker, the units on
	// them that may go back to a worker outside their class
	// ([unit.outside]). A pass of evenOut reads both ([evenSkip]).
	light     []int64
	outsideOn []int32
	classes   []class
	// classKey2 and classKey map the skill IDs a unit requires to its
	// class: sets of up to two IDs, padded with -1, and larger sets by
	// their IDs' bytes, little-endian ([solver.classFor]).
	classKey2 map[[2]int32]int32
	classKey  map[string]int32
	classSig  map[uint64][]int32 // hash of a class's workers → classes
	// fixedShares and fixedHours are the shares and hours that stay
	// with each worker whatever moves; minShare and minHours are the
	// least of any unit.
	fixedShares, fixedHours []int64
	minShare, minHours      int64
	why                     *whyIndex // built when a case is explained
	holders                 [][]int32 // per skill ID: its holders, ascending
	nobody                  int32     // the class of no worker, or -1
	top                     *utilHeap // workers with capacity, as a max-heap
	capSum                  float64
	spreadSum               spreadSum // Σ_j h_j²/c_j, kept as the loads change

	moved    int // held units away from their owner
	unplaced int // free units not placed
	// placedVersion counts changes to which units are placed; the bound
	// depends on that and not on where they are, so it is cached by it.
	placedVersion int
	boundCache    *cachedBound
	// room holds, once known, at least the most room under their norm
	// and capacity, in micro-shares and micro-hours, that any worker
	// who may take new work has ([solver.noRoomFor]): put keeps it so
	// as units leave workers, and a unit that joins one leaves it above.
	room struct {
		known       bool
		norm, hours int64
	}
	// roomy lists the workers who may take new work and have room
	// under their norm and capacity for the smallest share and weight
	// of any unit: no one else may take one. roomyAt holds, per
	// worker, their place in roomy or -1; nil until the limits are set.
	// cands is the scratch of the searches that read roomy.
	roomy   []int32
	roomyAt []int32
	// park, while placeAnew or placeFree places units under hard
	// capacity, is the least room in hours a worker needs to be in
	// roomy, and parked the workers it left out ([solver.parkFor]);
	// noPark, where a test sets it, parks no one.
	park   int64
	parked parkHeap
	noPark bool
	cands  []roomyCand
	// firsts and groupAt are the scratch of [solver.groupFirsts]: the
	// emptiest of each group, and per group its place in firsts or -1.
	firsts  []roomyCand
	groupAt []int32
	// hoursRoom holds, under hard capacity, each worker's room under
	// capacity in micro-hours (-Inf for those who take no new work),
	// and roomHeap is a max-heap of every worker by it; roomList and
	// roomStack are the scratch of its searches ([solver.roomFor]).
	// patience is how many workers who may not take a unit a walk
	// passes before it searches roomHeap (walkPatience), and
	// roomListMost, where a test sets it, the most workers that search
	// lists ([solver.roomLimit]).
	hoursRoom           []float64
	roomHeap            *utilHeap
	roomList, roomStack []int32
	roomMany            []roomCount // the last few searches that found too many, while no room changes
	patience            int
	roomListMost        int
	// byRoom lists, under hard capacity, the workers of roomy by room
	// in hours, the most first, each with the lowest utilization of
	// those with as much room or more, as they were when listed
	// ([solver.lowestWithRoom]); byRoomOK tells that it is listed, and
	// byRoomNext is the scratch of the next listing. roomDirty lists
	// the workers whose load, room or place in roomy changed since
	// (roomDirtyAt marks them), whom it reads as they are now.
	byRoom, byRoomNext []roomLow
	byRoomOK           bool
	byRoomX0           float64 // the lightest unit's weight when first listed, in hours or shares
	roomDirty          []int32
	roomDirtyAt        []bool
	// walkBuf is the copy of the workers a walk visits from a list
	// ([solver.visitCands]), while walking is set.
	walkBuf []roomyCand
	walking bool
	// looked counts the workers the searches for where a unit goes
	// have looked at ([solver.walk], [solver.bestTarget]), in all.
	looked int
	// evenEnd, where set, is the count of looked at which evenOut
	// stops ([solver.polishTo]).
	evenEnd   int
	stranded  int64 // micro-hours of movable units held by workers without capacity
	cancelled bool
	// building is set while newSolver makes units after ctx is done:
	// the free ones wait for a class ([solver.classifyLate]).
	// classesMade counts the classes made, and newSolver looks at ctx
	// again when it reaches checkAt ([solver.checkBuild]). With
	// limitClasses set, classFor makes no more than classesLeft new
	// classes. latePlaced counts the units placeFree placed once ctx
	// was done.
	building             bool
	classesMade, checkAt int
	limitClasses         bool
	classesLeft          int
	latePlaced           int
	// proven is set when an exhaustive search proved that no valid plan
	// has a lower maximum utilization than the current assignment.
	proven bool
	steps  int // improvement steps taken, for cancellation checks
	// heavy lists the units heaviest first, ties by ID: built on first
	// use, dropped when a unit is split ([solver.heavyOrder]).
	heavy []int32
	// reasonBlock is what is left of the block [solver.reasonList]
	// cuts lists of reasons from.
	reasonBlock []Reason
	reasonGrow  int // the size of the last block
	// caseBlock is what is left of the block [solver.caseList] cuts
	// units' lists of cases from; idBuf, keyBuf and keyFrom are the
	// scratch of classOfCases, classFor and newClassFor, kept from unit
	// to unit.
	caseBlock []int32
	idBuf     []int32
	keyBuf    []byte
	keyFrom   []int32
	// placedMsg holds, per worker, the sentence of a placement with
	// them, once built ([solver.placedMessage]).
	placedMsg []string
}

// A cachedBound is a bound with the placedVersion it was computed at,
// and the set of units placed then ([solver.placedSet]).
type cachedBound struct {
	version int
	placed  []uint64
	value   float64
	relaxed []string
}

// swapReach is how many of the emptiest workers who may take a unit
// swaps and chains off the fullest worker try: the emptiest have the
// most room, so they are where a swap is most likely to lower the
// maximum, and each one tried costs a scan of all the units it holds.
const swapReach = 6

// eps absorbs rounding when utilizations are compared.
const eps = 1e-12

// loadAt returns the most micro-units worker j, who has capacity, may
// hold at utilization T or below, as setUtil computes utilization
// (load·inv): the largest l with l·inv ≤ T. ⌊T/inv⌋ alone comes out a
// hair low at a plan's own level, as often as one level in twenty
// (T = 25 h/37.5 h gives 24,999,999.999999996 µh), and its floor took
// a whole micro-unit off the room there. A load beyond 2^62 stands for
// any.
func (s *solver) loadAt(j int32, T float64) int64 {
	f := math.Floor(T / s.inv[j])
	if !(f < 1<<62) {
		return 1 << 62
	}
	l := int64(f)
	for float64(l+1)*s.inv[j] <= T {
		l++
	}
	for float64(l)*s.inv[j] > T {
		l--
	}
	return l
}

// setUtil recomputes worker j's utilization from their load and marks
// it changed in the heaps that hold j.
func (s *solver) setUtil(j int32) {
	s.util[j] = float64(s.load[j]) * s.inv[j]
	s.roomChanged(j)
	s.walkKey[j] = s.util[j]
	if s.roomyAt != nil && s.roomyAt[j] < 0 {
		s.walkKey[j] = math.Inf(1)
	}
	s.spreadSum.mark(j)
	if l := s.topAt[j]; l >= 0 {
		s.top.mark(l)
	}
	for _, r := range s.classOf[j] {
		if st := &s.classState[r.class]; *st&classLazy != 0 {
			*st |= classDirty
			continue
		}
		cl := &s.classes[r.class]
		cl.heap.mark(r.local)
		cl.open.mark(r.local)
		g := cl.group[r.local]
		cl.groups[g].mark(r.glocal)
		cl.topStale[g] = true
	}
}

// place puts unit x on worker b (b may be -1: unplaced), counting
// voluntary moves.
func (s *solver) place(x int32, b int32) {
	if u := &s.units[x]; !u.free {
		s.moved += s.cost(u, b)
	}
	s.put(x, b)
}

// put puts unit x on worker b (b may be -1: unplaced).
func (s *solver) put(x int32, b int32) {
	u := &s.units[x]
	if (u.pos < 0) != (b < 0) {
		s.placedVersion++
	}
	if u.free && !u.stuck && (u.pos < 0) != (b < 0) {
		if b < 0 {
			s.unplaced++
		} else {
			s.unplaced--
		}
	}
	if a := u.pos; a >= 0 {
		list := s.on[a]
		last := list[len(list)-1]
		list[u.slot] = last
		s.units[last].slot = u.slot
		s.on[a] = list[:len(list)-1]
		ws := s.onW[a]
		ws[u.slot] = ws[len(ws)-1]
		s.onW[a] = ws[:len(ws)-1]
		if u.w <= s.light[a] {
			s.light[a] = -1 // not known until asked for ([solver.lightOf])
		}
		if u.outside {
			s.outsideOn[a]--
		}
		s.load[a] -= u.w
		s.hours[a] -= u.h
		s.shares[a] -= u.s
		if s.capH[a] == 0 {
			s.stranded -= u.h
		}
		if s.room.known && s.canTake[a] {
			norm, hours := s.roomOf(a)
			s.room.norm, s.room.hours = max(s.room.norm, norm), max(s.room.hours, hours)
		}
		s.setRoomy(a)
		s.setUtil(a)
	}
	u.pos = b
	if b >= 0 {
		if s.capH[b] == 0 {
			s.stranded += u.h
		}
		u.slot = int32(len(s.on[b]))
		s.on[b] = append(s.on[b], x)
		s.onW[b] = append(s.onW[b], u.w)
		if u.w < s.light[b] {
			s.light[b] = u.w
		}
		if u.outside {
			s.outsideOn[b]++
		}
		s.load[b] += u.w
		s.hours[b] += u.h
		s.shares[b] += u.s
		s.setRoomy(b)
		s.setUtil(b)
	}
}

// cost returns the change in voluntary moves if unit u goes to b.
func (s *solver) cost(u *unit, b int32) int {
	if u.free {
		return 0
	}
	was, will := u.pos != u.orig, b != u.orig
	switch {
	case !was && will:
		return 1
	case was && !will:
		return -1
	}
	return 0
}

// budgetAllows reports whether extra more voluntary moves stay within
// the move budget.
func (s *solver) budgetAllows(extra int) bool {
	return s.ro.maxMoves < 0 || s.moved+extra <= s.ro.maxMoves
}

// fits reports whether worker b may take unit u, with the unit out
// (a unit already on b, for a swap) removed from b first.
func (s *solver) fits(u *unit, b int32, out *unit) bool {
	if b == u.orig && !u.free {
		// Back to its owner is always allowed when limits hold.
		return s.within(u, b, out)
	}
	c := &s.classes[u.class]
	if !s.canTake[b] || !c.has(b) || u.declined(b) {
		return false
	}
	return s.within(u, b, out)
}

// within checks the caseload norm and, if hard, the capacity of b with
// u added and out removed. A worker who already holds more than the
// limit keeps what they hold but takes on no more: the limit is the
// larger of the norm (or capacity) and what they held at the start.
func (s *solver) within(u *unit, b int32, out *unit) bool {
	sh, hr := s.shares[b]+u.s, s.hours[b]+u.h
	if out != nil {
		sh, hr = sh-out.s, hr-out.h
	}
	if s.norm[b] >= 0 && sh > s.normLimit[b] {
		return false
	}
	if s.ro.hardCapacity && hr > s.hourLimit[b] {
		return false
	}
	return true
}

// maxUtil returns the highest utilization over workers with capacity.
func (s *solver) maxUtil() float64 {
	if t := s.top.top(); t >= 0 {
		return s.util[t]
	}
	return 0
}

// spread returns the spread measure Σ_j c_j·u_j² / Σ_j c_j: the
// capacity-weighted mean of squared utilization, which is least when
// every worker is equally full. The sum is kept as loads change
// ([spreadSum]): a call costs O(k·log m) for the k workers whose load
// changed since the last, so the search may ask after every step.
func (s *solver) spread() float64 {
	if s.capSum == 0 {
		return 0
	}
	return s.spreadSum.sum(s.spreadTerm) / s.capSum
}

// spreadInOrder returns the spread measure summed worker by worker in
// index order, in O(m): the value a proposal reports, as it reported it
// before the solver kept the sum as loads change. It differs from
// [solver.spread] by rounding alone.
func (s *solver) spreadInOrder() float64 {
	if s.capSum == 0 {
		return 0
	}
	var sum float64
	for j := range int32(s.m) {
		if s.capH[j] > 0 {
			sum += s.spreadTerm(j)
		}
	}
	return sum / s.capSum
}

// spreadTerm returns worker j's term of the spread measure's sum,
// h_j²/c_j for load h_j in hours and capacity c_j, or 0 for a worker
// without capacity.
func (s *solver) spreadTerm(j int32) float64 {
	if s.capH[j] <= 0 {
		return 0
	}
	h := float64(s.load[j]) / micro
	return h * h / s.capH[j]
}

// dSpread returns the change in the spread measure when weight w (in
// micro-units) leaves a (-1 for none) and joins b (-1 for none).
func (s *solver) dSpread(a, b int32, w int64) float64 {
	var d float64
	x := float64(w) / micro
	if a >= 0 && s.capH[a] > 0 {
		la := float64(s.load[a]) / micro
		d += ((la-x)*(la-x) - la*la) / s.capH[a]
	}
	if b >= 0 && s.capH[b] > 0 {
		lb := float64(s.load[b]) / micro
		d += ((lb+x)*(lb+x) - lb*lb) / s.capH[b]
	}
	return d / s.capSum
}

// cannotLowerSpread reports whether no worker of unit u's class can
// lower the spread measure by more than thr by taking u from worker a:
// then evenOut need not look for one. Moving weight x from a to b
// changes Σc·u² by x·(2u_b + x/c_b − 2u_a + x/c_a), where u_b is at
// least the lowest utilization of the class's workers with room for a
// unit (b must have room: the first of [class.open]), and, under hard
// capacity, of any worker with room in hours for u
// ([solver.lowestWithRoom]), and x/c_b at least x over its largest
// capacity; under hard capacity, 2u_b + x/c_b is also at least the
// lowest 2u + x0/c of the workers with that room, x0 being the lightest
// unit's weight, plus (x − x0) over the largest capacity. The bound is
// lowered by a margin far above the rounding of [solver.dSpread], so
// that it never passes by a move dSpread would find; a class with a
// member of no capacity, whose term is zero, is always searched, and so
// is a unit that may go back to its worker outside its class
// ([solver.homeOutside]). A unit no one has the room for cannot lower
// it.
func (s *solver) cannotLowerSpread(u *unit, a int32, thr float64) bool {
	cl := s.classAt(u.class)
	if len(cl.elig) == 0 || cl.capMin <= 0 || s.capH[a] <= 0 || s.capSum == 0 || s.homeOutside(u, a) >= 0 {
		return false
	}
	x := float64(u.w) / micro
	la, ca := float64(s.load[a])/micro, s.capH[a]
	ua, cMax := la/ca, cl.capMax[len(cl.capMax)-1]
	roomLow, roomKey := s.lowestWithRoom(u.h)
	low := math.Max(s.util[cl.open.top()], roomLow)
	if math.IsInf(low, 1) {
		return true // no one has the room for u
	}
	// 2u_b + x/c_b is at least 2·low + x/cMax, and, for x no less than
	// x0, at least 2u_b + x0/c_b + (x-x0)/cMax.
	t := 2*low + x/cMax
	if x0 := s.byRoomX0; x >= x0 {
		t = math.Max(t, roomKey+(x-x0)/cMax)
	}
	lo := x*t + ((la-x)*(la-x)-la*la)/ca
	margin := 1e-9 * (la*la/ca + 3*ua*(ua*cMax+x) + x*x/cl.capMin)
	return (lo-margin)/s.capSum >= -thr
}

// after returns b's utilization with weight w added.
func (s *solver) after(b int32, w int64) float64 {
	return float64(s.load[b]+w) * s.inv[b]
}

// hoursUtil returns worker w's load in hours over their capacity,
// whatever the policy, for the sentences people read; 0 for none.
func (s *solver) hoursUtil(w int32) float64 {
	if s.capM[w] == 0 {
		return 0
	}
	return float64(s.hours[w]) / float64(s.capM[w])
}

// walk visits the workers of unit u's class who may take it, in order
// of increasing utilization, skipping skip, until visit returns false.
// Unless few workers have room ([solver.fewRoomy]), it walks the
// class's open heap, where the workers without room for any unit come
// last, and stops at the first of them.
//
// Under hard capacity, a walk that has passed s.patience workers who
// may not take u lists those with the room for u ([solver.roomFor]),
// and, if they are few, visits those of them the walk has not yet
// reached, in its order: the workers of the class's heap rank by
// utilization, then index.
func (s *solver) walk(u *unit, skip int32, visit func(b int32) bool) {
	cl := s.classAt(u.class)
	if s.fewRoomy(cl) {
		cs, ok := s.roomFor(u, cl, skip, false, len(s.roomy))
		if !ok {
			cs = s.roomyFor(u, cl, skip, false)
		}
		s.visitCands(cs, -1, visit)
		return
	}
	passed, tried, from := 0, 0, int32(-1)
	var rest []roomyCand
	walkHeap(cl.open, func(b int32) bool {
		if math.IsInf(s.walkKey[b], 1) {
			return false // no room for u, nor for anyone after b
		}
		s.looked++
		if b == skip || !s.fits(u, b, nil) {
			if passed++; s.roomHeap != nil && passed >= s.patience && s.roomTry(cl, passed, &tried) {
				if cs, ok := s.roomFor(u, cl, skip, false, tried); ok {
					from, rest = b, cs
					return false
				}
			}
			return true
		}
		return visit(b)
	})
	if from >= 0 {
		s.visitCands(rest, from, visit)
	}
}

// bestTarget returns the worker b that minimizes alpha·u_b + w/c_b
// among those who may take unit u, skipping skip, or -1. With alpha 1
// that is the lowest utilization after taking u; with alpha 2, the
// smallest increase in the spread measure. Within a capacity group the
// order of alpha·u_b + w/c_b is the order of u_b, so the best is the
// first worker in each group, in utilization order, who may take u. In
// a class whose groups hold ranges of capacities, each group is walked
// in utilization order until alpha·u_b + w/c_max cannot beat the best;
// so is a group of one capacity whose emptiest workers may not take u.
//
// The groups are tried from the largest capacity down, and the search
// stops at the first group where alpha·u_min + w/c_max cannot beat the
// best, u_min being the lowest utilization of the class's workers with
// room for a unit: every group after it has smaller capacities. A group
// whose emptiest worker with room cannot beat the best is passed by.
// The groups' heaps, like the class's open heap, rank those without
// room last ([solver.walkKey]), and a walk stops at the first of them:
// no one without room may take u. When utilizations are close, as they
// are once the team is level, few groups are looked at; the time is
// O(g) for g groups at most, when the group tops may take u.
//
// A search that finds no one after looking at an eighth of the team or
// more notes the most room any worker has ([solver.noteRoom]), a note
// that put keeps at least as large as units leave workers; a unit that
// needs more is told at once that no one of its class may take it.
//
// A held unit away from its worker may go back to them
// ([solver.homeOutside]) where the class's heaps do not hold them: a
// worker who has paused their intake keeps their cases, and their own
// cases may come back. They are taken where they are left emptiest by
// more than rounding; on seeded teams where nine in ten had paused,
// the solve from empty that an unlimited rebalance starts from sent
// every case of theirs to the few others, and the proposal ended 12%
// to 26% above the bound.
func (s *solver) bestTarget(u *unit, skip int32, alpha float64) int32 {
	best := int32(-1)
	if !s.noRoomFor(u) {
		var looked int
		best, looked = s.bestTargetWalk(u, skip, alpha)
		s.looked += looked
		if best < 0 && looked >= s.m/8 {
			s.noteRoom()
		}
	}
	if o := s.homeOutside(u, skip); o >= 0 {
		w := float64(u.w)
		v := alpha*s.util[o] + w*s.inv[o]
		if best < 0 || v < alpha*s.util[best]+w*s.inv[best]-eps {
			return o
		}
	}
	return best
}

// homeOutside returns the worker who holds unit u, if u is away from
// them, they are not skip, have capacity and may take u back within
// their limits, but are not in u's class (they lack a skill it needs,
// or take no new work: a paused intake): the walks of the class's heaps
// do not meet them, though a held unit may always go back. It returns
// -1 otherwise.
func (s *solver) homeOutside(u *unit, skip int32) int32 {
	o := u.orig
	if u.free || o < 0 || o == skip || u.pos == o || s.capH[o] == 0 || s.classes[u.class].has(o) || !s.within(u, o, nil) {
		return -1
	}
	return o
}

// bestTargetWalk is [solver.bestTarget]'s search of u's class; it also
// returns how many workers it looked at, but for those that a search
// of roomHeap counted itself ([solver.roomFor]).
func (s *solver) bestTargetWalk(u *unit, skip int32, alpha float64) (best int32, looked int) {
	best, bestV := int32(-1), math.Inf(1)
	w := float64(u.w)
	cl := s.classAt(u.class)
	if len(cl.elig) == 0 {
		return -1, 0
	}
	if s.fewRoomy(cl) {
		if cs, ok := s.roomFor(u, cl, skip, true, len(s.roomy)); ok {
			return s.bestOf(cs, cl, u, alpha), 0 // roomFor counted its looks
		}
		return s.bestRoomy(u, cl, skip, alpha), len(s.roomy)
	}
	// Under hard capacity, once the walks below have passed s.patience
	// workers who may not take u, the best is found among those with
	// the room for u, if they are few ([solver.roomFor]).
	passed, tried := 0, 0
	var few []roomyCand
	listed := false
	first := cl.open.top()
	if math.IsInf(s.walkKey[first], 1) {
		return -1, 0 // no one in the class has room for u
	}
	uMin := alpha * s.util[first]
	for g := len(cl.groups) - 1; g >= 0; g-- {
		floor := w * cl.invMax[g]
		if uMin+floor > bestV+eps {
			break
		}
		if cl.topStale[g] {
			cl.topStale[g] = false
			if t := cl.groups[g].top(); t >= 0 {
				cl.topW[g], cl.topU[g] = t, s.walkKey[t]
			}
		}
		top := cl.topW[g]
		if top < 0 || math.IsInf(cl.topU[g], 1) || alpha*cl.topU[g]+floor > bestV+eps {
			continue
		}
		looked++
		if cl.exact && top != skip && s.fits(u, top, nil) {
			// What the walk below would do: the group's emptiest
			// worker may take u, and is the best of the group.
			if v := alpha*cl.topU[g] + w*s.inv[top]; v < bestV-eps || (v <= bestV+eps && top < best) {
				best, bestV = top, v
			}
			continue
		}
		h := &cl.groups[g]
		walkHeap(h, func(b int32) bool {
			if math.IsInf(s.walkKey[b], 1) {
				return false // nor has anyone after b room for u
			}
			looked++
			if alpha*s.util[b]+floor > bestV+eps {
				return false // nor can anyone after b in this group
			}
			if b == skip || !s.fits(u, b, nil) {
				if passed++; s.roomHeap != nil && passed >= s.patience && s.roomTry(cl, passed, &tried) {
					few, listed = s.roomFor(u, cl, skip, true, tried)
					return !listed
				}
				return true
			}
			v := alpha*s.util[b] + w*s.inv[b]
			if v < bestV-eps || (v <= bestV+eps && b < best) {
				best, bestV = b, v
			}
			return !cl.exact
		})
		if listed {
			return s.bestOf(few, cl, u, alpha), looked
		}
	}
	return best, looked
}

// invCap returns 1/(c in micro-units), as inv holds per worker, or 0.
func (s *solver) invCap(c float64) float64 {
	if c <= 0 {
		return 0
	}
	return 1 / (c * micro)
}

// fullestFirst returns the workers with capacity that keep reports,
// fullest first, ties by index.
func (s *solver) fullestFirst(keep func(j int32) bool) []int32 {
	var order []int32
	for j := range int32(s.m) {
		if s.capH[j] > 0 && keep(j) {
			order = append(order, j)
		}
	}
	slices.SortFunc(order, func(a, b int32) int {
		return cmp.Or(cmp.Compare(s.util[b], s.util[a]), cmp.Compare(a, b))
	})
	return order
}

// groupOf returns a number for the family of u (its index in
// Team.families), or -1.
func (s *solver) groupOf(u *unit) int32 {
	if s.t.famOf == nil {
		return -1 // no case has a group
	}
	return s.t.famOf[u.cases[0]]
}

// objective is the solver's lexicographic objective: fewest unplaced
// units, then maximum utilization, then spread, then voluntary moves.
type objective struct {
	unplaced int
	// stranded is the load, in micro-hours, of movable cases left with
	// workers who have no capacity: all of it is overload.
	stranded int64
	// wait, where set, lists the urgency ranks of the units left
	// unplaced, most urgent (lowest) first, and then decides before
	// unplaced: the proposal whose most urgent waiting unit is less
	// urgent is better, whatever the count.
	wait        []int
	max, spread float64
	moves       int
}

// objective returns the objective of the current assignment.
func (s *solver) objective() objective {
	return objective{unplaced: s.unplaced, stranded: s.stranded, max: s.maxUtil(), spread: s.spread(), moves: s.moved}
}

// worse reports whether o is worse than p beyond rounding. Two maxima
// within a billionth of the larger (of 1, below 100%) are equal, as
// balancetest's check of a proposal's steps holds them: with an
// absolute billionth, a step that lowered a maximum of 3,000% by 2e-9
// counted as better while it raised the spread, and the check, to
// which the two maxima were one, found a step that made things worse.
func (o objective) worse(p objective) bool {
	if o.wait != nil && p.wait != nil {
		// The most urgent waiting unit decides, then the next.
		for i := range min(len(o.wait), len(p.wait)) {
			if o.wait[i] != p.wait[i] {
				return o.wait[i] < p.wait[i]
			}
		}
		if len(o.wait) != len(p.wait) {
			return len(o.wait) > len(p.wait)
		}
	} else if o.unplaced != p.unplaced {
		return o.unplaced > p.unplaced
	}
	if o.stranded != p.stranded {
		return o.stranded > p.stranded
	}
	if math.Abs(o.max-p.max) > 1e-9*max(1, o.max, p.max) {
		return o.max > p.max
	}
	if math.Abs(o.spread-p.spread) > 1e-12 {
		return o.spread > p.spread
	}
	return o.moves > p.moves
}

// snapshot returns where every unit is.
func (s *solver) snapshot() []int32 {
	pos := make([]int32, len(s.units))
	for i := range s.units {
		pos[i] = s.units[i].pos
	}
	return pos
}

// restore puts every unit back where pos says.
func (s *solver) restore(pos []int32) {
	for i := range s.units {
		if s.units[i].pos != pos[i] {
			s.place(int32(i), pos[i])
		}
	}
}

// lateGrace is how many free units placement still handles once ctx is
// done ([solver.placeFree]), and newSolver makes with a class for it: a
// few milliseconds' work at most, so that a team of ordinary size gets
// every queued case placed whenever the deadline falls, while at
// national size the time past the deadline stays bounded.
const lateGrace = 1024

// lateLook is how many of the most urgent free units made once ctx is
// done newSolver looks at to find lateGrace that some worker may take
// ([solver.classifyLate]): a bound on the work past the deadline where
// many of the most urgent are hopeless.
const lateLook = 4 * lateGrace

// lateClasses is how many new classes newSolver still makes for the
// units it gives a class once ctx is done ([solver.classifyLate]): each
// may cost tens of microseconds when skills are many, and the units of
// an ordinary team need a few dozen.
const lateClasses = 64

// classCheck is how many classes newSolver makes between two looks at
// ctx ([solver.checkBuild]).
const classCheck = 16

// cancelEvery is how many cases, units or workers a loop outside the
// search handles between two looks at ctx: a look costs about as much
// as handling a few of them, and a thousand take well under a
// millisecond.
const cancelEvery = 1024

// checkCancel notes, every few hundred steps, whether ctx is done.
func (s *solver) checkCancel() bool {
	s.steps++
	if s.steps%256 == 0 && s.ctx.Err() != nil {
		s.stopEarly()
	}
	return s.cancelled
}

// stopIfDone notes at once whether ctx is done, and reports whether the
// solver has stopped.
func (s *solver) stopIfDone() bool {
	if !s.cancelled && s.ctx.Err() != nil {
		s.stopEarly()
	}
	return s.cancelled
}

// stopEarly records that the solver stops before it is done: the
// proposal it returns is complete, says so ([markStoppedEarly]), and
// comes with an error wrapping ctx.Err().
func (s *solver) stopEarly() { s.cancelled = true }
