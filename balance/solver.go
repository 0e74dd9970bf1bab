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
	w     int64   // weight under the policy, in micro-units
	h     int64   // hours, in micro-hours (for hard capacity)
	s     int64   // caseload shares, in micro-shares
	class int32
	decl  []int32 // workers (solver indices) who declined a member
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
	// urgency, for choosing what waits when not everything fits.
	deadline civil.Date
	priority int
	arrived  civil.Date
}

// A class is a set of required skills, with the workers who hold them
// and may take new work.
type class struct {
	skills []string
	elig   []int32 // solver worker indices, ascending
	bits   []uint64
	heap   *utilHeap // elig as a min-heap on utilization
	// groups splits elig by capacity: within a group the emptiest
	// worker is also the one left emptiest by any unit, so the best
	// worker for a unit is among the groups' tops. Teams have few
	// distinct capacities, so there are few groups.
	groups []*utilHeap
	group  []int32 // per worker: its group in this class, or -1
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
	classOf   [][]int32 // classes each worker belongs to

	units    []unit
	on       [][]int32 // movable units placed on each worker
	classes  []class
	classKey map[string]int32
	top      *utilHeap // workers with capacity, as a max-heap
	capSum   float64

	swapReach int // how many of the emptiest workers to try swaps with
	moved     int // held units away from their owner
	unplaced  int // free units not placed
	// placedVersion counts changes to which units are placed; the bound
	// depends on that and not on where they are, so it is cached by it.
	placedVersion int
	boundCache    *cachedBound
	stranded      int64 // micro-hours of movable units held by workers without capacity
	cancelled     bool
	steps         int // improvement steps taken, for cancellation checks
}

// A cachedBound is a bound with the placedVersion it was computed at.
type cachedBound struct {
	version int
	value   float64
	relaxed []string
}

// eps absorbs rounding when utilizations are compared.
const eps = 1e-12

func (s *solver) setUtil(j int32) {
	s.util[j] = float64(s.load[j]) * s.inv[j]
	s.top.fix(j)
	for _, c := range s.classOf[j] {
		cl := &s.classes[c]
		cl.heap.fix(j)
		cl.groups[cl.group[j]].fix(j)
	}
}

// declined reports whether worker b declined a case of unit u.
func (u *unit) declined(b int32) bool {
	for _, d := range u.decl {
		if d == b {
			return true
		}
	}
	return false
}

// fits reports whether worker b may take unit u, with the unit out
// (a unit already on b, for a swap) removed from b first.
func (s *solver) fits(u *unit, b int32, out *unit) bool {
	if b == u.orig && !u.free {
		// Back to its owner is always allowed when limits hold.
		return s.within(u, b, out)
	}
	c := &s.classes[u.class]
	if !s.canTake[b] || c.bits[b/64]&(1<<(b%64)) == 0 || u.declined(b) {
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

func (s *solver) budgetAllows(extra int) bool {
	return s.ro.maxMoves < 0 || s.moved+extra <= s.ro.maxMoves
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
		s.load[a] -= u.w
		s.hours[a] -= u.h
		s.shares[a] -= u.s
		if s.capH[a] == 0 {
			s.stranded -= u.h
		}
		s.setUtil(a)
	}
	u.pos = b
	if b >= 0 {
		if s.capH[b] == 0 {
			s.stranded += u.h
		}
		u.slot = int32(len(s.on[b]))
		s.on[b] = append(s.on[b], x)
		s.load[b] += u.w
		s.hours[b] += u.h
		s.shares[b] += u.s
		s.setUtil(b)
	}
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
// every worker is equally full.
func (s *solver) spread() float64 {
	var sum float64
	for j := range s.m {
		if s.capH[j] > 0 {
			h := float64(s.load[j]) / micro
			sum += h * h / s.capH[j]
		}
	}
	if s.capSum == 0 {
		return 0
	}
	return sum / s.capSum
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

// after returns b's utilization with weight w added.
func (s *solver) after(b int32, w int64) float64 {
	return float64(s.load[b]+w) * s.inv[b]
}

// checkCancel notes, every few hundred steps, whether ctx is done.
func (s *solver) checkCancel() bool {
	s.steps++
	if s.steps%256 == 0 && s.ctx.Err() != nil {
		s.cancelled = true
	}
	return s.cancelled
}

// walk visits the workers of unit u's class who may take it, in order
// of increasing utilization, skipping skip, until visit returns false.
func (s *solver) walk(u *unit, skip int32, visit func(b int32) bool) {
	walkHeap(s.classes[u.class].heap, func(b int32) bool {
		if b == skip || !s.fits(u, b, nil) {
			return true
		}
		return visit(b)
	})
}

// bestTarget returns the worker b that minimizes alpha·u_b + w/c_b
// among those who may take unit u, skipping skip, or -1. With alpha 1
// that is the lowest utilization after taking u; with alpha 2, the
// smallest increase in the spread measure. Within a capacity group the
// order of alpha·u_b + w/c_b is the order of u_b, so the best is the
// first worker in each group, in utilization order, who may take u; the
// time is O(g) for g groups when the group tops may take u.
func (s *solver) bestTarget(u *unit, skip int32, alpha float64) int32 {
	best, bestV := int32(-1), math.Inf(1)
	w := float64(u.w)
	for _, h := range s.classes[u.class].groups {
		walkHeap(h, func(b int32) bool {
			if b == skip || !s.fits(u, b, nil) {
				return true
			}
			v := alpha*s.util[b] + w*s.inv[b]
			if v < bestV-eps || (v <= bestV+eps && b < best) {
				best, bestV = b, v
			}
			return false
		})
	}
	return best
}

// walkHeap visits the members of a min-heap in order of increasing key
// until visit returns false.
func walkHeap(h *utilHeap, visit func(b int32) bool) {
	if len(h.item) == 0 {
		return
	}
	// A frontier of heap positions: the classic way to list a binary
	// heap in order without popping it. It stays small because visit
	// usually stops at the first member.
	front := []int32{0}
	for len(front) > 0 {
		bi := 0
		for i := 1; i < len(front); i++ {
			if h.above(h.item[front[i]], h.item[front[bi]]) {
				bi = i
			}
		}
		p := front[bi]
		front[bi] = front[len(front)-1]
		front = front[:len(front)-1]
		if !visit(h.item[p]) {
			return
		}
		if l := 2*p + 1; int(l) < len(h.item) {
			front = append(front, l)
			if l+1 < int32(len(h.item)) {
				front = append(front, l+1)
			}
		}
	}
}

// placeFree places the free units, heaviest first, each on the worker
// left least full. A family's new members go to the worker who holds the
// family when they may take them all; when not, the members are split
// and each goes to that worker if they may take it. It returns the units
// it could not place.
func (s *solver) placeFree(order []int32) []int32 {
	var failed []int32
	for _, x := range order {
		xs := []int32{x}
		if u := &s.units[x]; u.prefer >= 0 && len(u.cases) > 1 && !s.fits(u, u.prefer, nil) {
			xs = s.splitUnit(x)
		}
		for _, y := range xs {
			u := &s.units[y]
			b := int32(-1)
			if u.prefer >= 0 && s.fits(u, u.prefer, nil) {
				b = u.prefer
			} else {
				b = s.bestTarget(u, -1, 1)
			}
			if b < 0 {
				failed = append(failed, y)
				continue
			}
			s.place(y, b)
		}
	}
	return failed
}

// A step is a candidate improvement: unit x to worker b, and, for a
// swap, unit y to x's worker.
type step struct {
	x, y   int32
	b      int32
	c      int32 // for a chain: y goes from b to c instead of to x's worker
	newMax float64
	dS     float64
}

func (st step) better(o step) bool {
	if st.newMax != o.newMax {
		return st.newMax < o.newMax-eps
	}
	return st.dS < o.dS
}

// improve runs local search on the units movable reports, alternating a
// phase that lowers the fullest worker with one that evens out the
// rest, until neither finds a step worth minGain or ctx is done.
func (s *solver) improve(movable func(u *unit) bool, minGain float64) {
	if s.ctx.Err() != nil {
		s.cancelled = true
		return
	}
	movable = notStuck(movable)
	for round := 0; round < 50 && !s.cancelled; round++ {
		a := s.lowerMax(movable, minGain)
		b := s.evenOut(movable, minGain)
		if !a && !b {
			return
		}
	}
}

// lowerMax repeatedly moves or swaps units off the fullest worker while
// that lowers the maximum utilization, or keeps it and lowers the
// spread by at least minGain.
func (s *solver) lowerMax(movable func(u *unit) bool, minGain float64) bool {
	any := false
	for !s.checkCancel() {
		a := s.top.top()
		if a < 0 {
			return any
		}
		cur := s.util[a]
		best := step{x: -1, newMax: math.Inf(1)}
		consider := func(st step) {
			st.newMax = math.Max(st.newMax, s.top.maxExcept(a, st.b))
			worth := st.newMax < cur-eps && (st.newMax < cur-minGain || st.dS < -minGain)
			if !worth {
				return
			}
			if st.better(best) || (best.x < 0) {
				best = st
			}
		}
		for _, x := range s.on[a] {
			u := &s.units[x]
			if !movable(u) {
				continue
			}
			// The best relocation.
			if s.budgetAllows(s.cost(u, -2)) {
				if b := s.bestTarget(u, a, 1); b >= 0 && s.budgetAllows(s.cost(u, b)) {
					na := float64(s.load[a]-u.w) * s.inv[a]
					consider(step{x: x, y: -1, b: b, c: -1, newMax: math.Max(na, s.after(b, u.w)), dS: s.dSpread(a, b, u.w)})
				}
			}
			// Swaps with a lighter unit on one of the emptiest workers
			// who may take u.
			n := 0
			s.walk(u, a, func(b int32) bool {
				n++
				for _, y := range s.on[b] {
					v := &s.units[y]
					if v.w >= u.w || !movable(v) || !s.fits(v, a, u) || !s.fits(u, b, v) {
						continue
					}
					if !s.budgetAllows(s.cost(u, b) + s.cost(v, a)) {
						continue
					}
					d := u.w - v.w
					na := float64(s.load[a]-d) * s.inv[a]
					nb := float64(s.load[b]+d) * s.inv[b]
					consider(step{x: x, y: y, b: b, c: -1, newMax: math.Max(na, nb), dS: s.dSpread(a, b, d)})
				}
				return n < s.swapReach
			})
			// Chains: u goes to b, and to make room a unit y on b goes on
			// to a third worker c. They reach past a small class of
			// workers who hold a rare skill but are full of work that
			// others could do. They are tried only when nothing simpler
			// helps, and only off a worker with few units, where they
			// are cheap and matter most.
			if best.x < 0 && len(s.on[a]) <= 64 {
				s.chains(u, x, a, movable, consider)
			}
		}
		if best.x < 0 {
			return any
		}
		s.apply(best, a)
		any = true
	}
	return any
}

// chains offers consider every chain u: a→b, y: b→c for the emptiest
// workers b who may take u (b's limits are checked with y gone).
func (s *solver) chains(u *unit, x, a int32, movable func(*unit) bool, consider func(step)) {
	n := 0
	h := s.classes[u.class].heap
	walkHeap(h, func(b int32) bool {
		if b == a || !s.canTake[b] || s.classes[u.class].bits[b/64]&(1<<(b%64)) == 0 || u.declined(b) {
			return true
		}
		n++
		nb0 := s.after(b, u.w)
		for _, y := range s.on[b] {
			v := &s.units[y]
			if !movable(v) || !s.fits(u, b, v) {
				continue
			}
			c := s.bestTarget(v, b, 1)
			if c < 0 || c == a {
				continue
			}
			if !s.budgetAllows(s.cost(u, b) + s.cost(v, c)) {
				continue
			}
			na := float64(s.load[a]-u.w) * s.inv[a]
			nb := nb0 - float64(v.w)*s.inv[b]
			nc := s.after(c, v.w)
			newMax := math.Max(math.Max(na, nb), math.Max(nc, s.top.maxExcept3(a, b, c)))
			dS := s.dSpread(a, b, u.w) + s.dSpread(b, c, v.w)
			consider(step{x: x, y: y, b: b, c: c, newMax: newMax, dS: dS})
		}
		return n < s.swapReach
	})
}

func (s *solver) apply(st step, a int32) {
	if st.c >= 0 {
		s.place(st.y, st.c) // make room first, so limits hold throughout
		s.place(st.x, st.b)
		return
	}
	s.place(st.x, st.b)
	if st.y >= 0 {
		s.place(st.y, a)
	}
}

// evenOut sweeps the workers from fullest to emptiest and moves each
// movable unit to the worker where it lowers the spread most, when that
// gains at least minGain and no one ends above the current maximum.
func (s *solver) evenOut(movable func(u *unit) bool, minGain float64) bool {
	order := s.fullestFirst(func(j int32) bool { return len(s.on[j]) > 0 })
	any := false
	for _, a := range order {
		limit := s.maxUtil()
		for i := 0; i < len(s.on[a]); i++ {
			if s.checkCancel() {
				return any
			}
			x := s.on[a][i]
			u := &s.units[x]
			if !movable(u) || !s.budgetAllows(s.cost(u, -2)) {
				continue
			}
			b := s.bestTarget(u, a, 2)
			if b < 0 || !s.budgetAllows(s.cost(u, b)) || s.after(b, u.w) > limit+eps {
				continue
			}
			if d := s.dSpread(a, b, u.w); d < -minGain && d < -eps {
				s.place(x, b)
				any = true
				i-- // the slot now holds another unit
			}
		}
	}
	return any
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

func (s *solver) objective() objective {
	return objective{unplaced: s.unplaced, stranded: s.stranded, max: s.maxUtil(), spread: s.spread(), moves: s.moved}
}

// worse reports whether o is worse than p beyond rounding.
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
	if math.Abs(o.max-p.max) > 1e-9 {
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

// groupOf returns a number for the family of u (the index of its first
// case), or -1.
func (s *solver) groupOf(u *unit) int32 {
	g := s.t.cases[u.cases[0]].Group
	if g == "" {
		return -1
	}
	return s.t.groups[g][0]
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

// notStuck wraps movable to leave stuck units alone.
func notStuck(movable func(u *unit) bool) func(u *unit) bool {
	return func(u *unit) bool { return !u.stuck && movable(u) }
}

func compareUnits(a, b *unit) int { return strings.Compare(a.id, b.id) }

// rebalanceHeld improves the assignment by moving held units, within
// the move budget. Under a budget it also tries the target method and
// keeps the better result; then it takes back moves that gain nothing.
func (s *solver) rebalanceHeld() {
	// A family whose new members were placed with its worker stays
	// together: its held part no longer moves.
	withNew := map[[2]int32]bool{}
	for x := range s.units {
		if u := &s.units[x]; u.free && u.pos >= 0 && u.pos == u.prefer {
			withNew[[2]int32{s.groupOf(u), u.pos}] = true
		}
	}
	for x := range s.units {
		if u := &s.units[x]; !u.free && withNew[[2]int32{s.groupOf(u), u.orig}] {
			u.anchored = true
		}
	}
	held := func(u *unit) bool { return !u.free && !u.anchored }
	s.drain()
	start := s.snapshot()
	s.improve(held, s.ro.minGain)
	if s.ro.maxMoves > 0 && !s.cancelled {
		greedy, gObj := s.snapshot(), s.objective()
		s.restore(start)
		s.targetMoves()
		s.improve(held, s.ro.minGain)
		if s.objective().worse(gObj) {
			s.restore(greedy)
		}
	}
	s.exact(held)
	s.pruneMoves()
}

// drain moves the movable units of workers without capacity, heaviest
// first, each to the worker left least full, within the budget: their
// load is all overload where it is.
func (s *solver) drain() {
	var xs []int32
	for j := range s.m {
		if s.capH[j] == 0 {
			for _, x := range s.on[j] {
				if u := &s.units[x]; !u.free && !u.anchored && !u.stuck {
					xs = append(xs, x)
				}
			}
		}
	}
	slices.SortFunc(xs, func(a, b int32) int {
		return cmp.Or(cmp.Compare(s.units[b].h, s.units[a].h), compareUnits(&s.units[a], &s.units[b]))
	})
	for _, x := range xs {
		u := &s.units[x]
		if !s.budgetAllows(s.cost(u, -2)) {
			return
		}
		if b := s.bestTarget(u, u.pos, 1); b >= 0 {
			s.place(x, b)
		}
	}
}

// targetMoves searches, by bisection on a target utilization T, for the
// lowest T to which clearAbove brings every worker within the budget,
// and leaves that assignment in place (or the start, if none).
func (s *solver) targetMoves() {
	start := s.snapshot()
	lo, hi := 0.0, s.maxUtil()
	var best []int32
	for range 40 {
		if hi-lo <= 1e-6*hi || s.checkCancel() {
			break
		}
		T := lo + (hi-lo)/2
		s.restore(start)
		if s.clearAbove(T) {
			hi, best = T, s.snapshot()
		} else {
			lo = T
		}
	}
	s.restore(start)
	if best != nil {
		s.restore(best)
	}
}

// clearAbove tries to bring every worker to utilization T or below by
// taking the fewest held units off each worker above T (the smallest
// unit that clears the excess, else the largest and repeat) and placing
// them, heaviest first, where they fit best under T. It reports whether
// it succeeded within the budget; on failure the state is left for the
// caller to restore.
func (s *solver) clearAbove(T float64) bool {
	over := s.fullestFirst(func(j int32) bool { return s.util[j] > T+eps })
	var pool []int32
	for _, a := range over {
		excess := s.load[a] - int64(math.Floor(T/s.inv[a]))
		var cands []int32
		for _, x := range s.on[a] {
			if u := &s.units[x]; !u.free && !u.anchored && !u.stuck && u.pos == u.orig {
				cands = append(cands, x)
			}
		}
		slices.SortFunc(cands, func(x, y int32) int {
			return cmp.Or(cmp.Compare(s.units[y].w, s.units[x].w), compareUnits(&s.units[x], &s.units[y]))
		})
		for excess > 0 {
			if len(cands) == 0 {
				return false
			}
			pick := 0
			for k, x := range cands {
				if s.units[x].w >= excess {
					pick = k
				}
			}
			x := cands[pick]
			cands = slices.Delete(cands, pick, pick+1)
			s.place(x, -1)
			if !s.budgetAllows(0) {
				return false
			}
			pool = append(pool, x)
			excess -= s.units[x].w
		}
	}
	slices.SortFunc(pool, func(x, y int32) int {
		return cmp.Or(cmp.Compare(s.units[y].w, s.units[x].w), compareUnits(&s.units[x], &s.units[y]))
	})
	for _, x := range pool {
		u := &s.units[x]
		best, bestRoom := int32(-1), int64(math.MaxInt64)
		try := func(b int32) {
			if s.capH[b] == 0 || !s.fits(u, b, nil) {
				return
			}
			room := int64(math.Floor(T/s.inv[b])) - s.load[b] - u.w
			if room >= 0 && room < bestRoom {
				best, bestRoom = b, room
			}
		}
		try(u.orig)
		for _, b := range s.classes[u.class].elig {
			try(b)
		}
		if best < 0 {
			return false
		}
		s.place(x, best)
	}
	return s.budgetAllows(0)
}

// pruneMoves takes back voluntary moves that gain nothing: a unit
// returns to its worker when that leaves the maximum and the spread no
// worse.
func (s *solver) pruneMoves() {
	for x := range s.units {
		u := &s.units[x]
		if u.free || u.pos == u.orig || s.capH[u.orig] == 0 || !s.within(u, u.orig, nil) {
			continue
		}
		a, b := u.pos, u.orig
		cur := s.maxUtil()
		na := float64(s.load[a]-u.w) * s.inv[a]
		nb := s.after(b, u.w)
		newMax := math.Max(math.Max(na, nb), s.top.maxExcept(a, b))
		if newMax <= cur+eps && s.dSpread(a, b, u.w) <= eps {
			s.place(int32(x), b)
		}
	}
}
