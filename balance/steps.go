package balance

import (
	"cmp"
	"math"
	"slices"
)

// greedyOrderLimit is the number of pending voluntary moves up to which
// the next move is chosen greedily, as the best next move each time:
// that costs quadratic time in the number of moves. Above it, moves are
// taken in the order of their own gain from the start until
// greedyOrderLimit remain.
const greedyOrderLimit = 300

// A stepRecord is one step of the proposal's voluntary moves, with the
// utilizations of the workers it touched, before and after.
type stepRecord struct {
	units   []int32
	touched []touchedWorker // by worker, ascending, once the step is closed
}

// A touchedWorker is a worker a step touched, with their utilization
// before and after the step.
type touchedWorker struct {
	w             int32
	before, after float64
}

// utilization returns worker w's utilization before and after the step,
// or zeros if the step did not touch w.
func (st *stepRecord) utilization(w int32) (before, after float64) {
	k, ok := slices.BinarySearchFunc(st.touched, w, func(t touchedWorker, w int32) int { return cmp.Compare(t.w, w) })
	if !ok {
		return 0, 0
	}
	return st.touched[k].before, st.touched[k].after
}

// orderMoves orders the voluntary moves into steps, each a valid
// proposal no worse than the one before, and leaves the solver in the
// final state. It takes the moves back to the start, then makes them
// again one at a time: greedily, best next move first, or, when there
// are more than greedyOrderLimit, first in the order of their own gain.
func (s *solver) orderMoves() []stepRecord {
	final := s.snapshot()
	var pending []int32
	for x := range s.units {
		if u := &s.units[x]; !u.free && u.pos != u.orig {
			pending = append(pending, int32(x))
		}
	}
	if len(pending) == 0 {
		return nil
	}
	for _, x := range pending {
		s.place(x, s.units[x].orig)
	}
	// A step holds at least one move: steps never outgrow pending.
	b := &stepBuilder{s: s, final: final, cur: s.objective(), at: make([]int32, s.m), steps: make([]stepRecord, 0, len(pending))}
	for w := range b.at {
		b.at[w] = -1
	}
	if len(pending) > greedyOrderLimit {
		b.byOwnGain(pending)
	} else {
		b.greedy(pending)
	}
	return b.finish()
}

// A stepBuilder makes the voluntary moves one at a time, from the start
// towards the final assignment, and closes a step whenever the moves
// made since the last one leave a valid proposal no worse than it.
type stepBuilder struct {
	s     *solver
	final []int32   // each unit's final worker
	cur   objective // the objective after the last step
	steps []stepRecord
	group []int32    // the moves made since the last step
	rec   stepRecord // the step being built
	at    []int32    // per worker: index in rec.touched, or -1
	grow  int        // the size of the last block, see blockSize
}

// greedy makes the pending moves, each time the one that leaves the
// best objective, until none are left or ctx is done.
func (b *stepBuilder) greedy(pending []int32) {
	for len(pending) > 0 {
		if b.s.checkCancel() {
			b.takeAll(pending)
			return
		}
		pick := b.bestNext(pending)
		x := pending[pick]
		pending = slices.Delete(pending, pick, pick+1)
		b.take(x)
	}
}

// byOwnGain orders the pending moves once, by the objective each leaves
// when made alone from the current state, and makes them in that order
// until greedyOrderLimit are left, which it makes greedily.
func (b *stepBuilder) byOwnGain(pending []int32) {
	// The objectives gainOf returns differ only in stranded load, the
	// maximum and the spread (none has a wait list; unplaced and moves
	// are the current ones), so the records keep those, and the order
	// compares them as worse does, in that order and within its
	// rounding.
	sc := make([]scored, len(pending))
	for k, x := range pending {
		o, f := b.gainOf(x)
		sc[k] = scored{x, f, o.stranded, o.max, o.spread, b.s.units[x].idKey}
	}
	// No two pending moves compare equal, as no two units share an ID,
	// so the sort need not be stable: the records sorted in place took
	// 22 ms of a national proposal with 100,935 moves, where a stable
	// sort of indices into them took 46 ms.
	slices.SortFunc(sc, func(p, q scored) int {
		if c := compareScored(&p, &q); c != 0 {
			return c
		}
		return compareUnits(&b.s.units[p.x], &b.s.units[q.x])
	})
	for k := range sc {
		pending[k] = sc[k].x
	}
	for len(pending) > greedyOrderLimit {
		if b.s.checkCancel() {
			b.takeAll(pending)
			return
		}
		x := pending[0]
		pending = pending[1:] // not slices.Delete: that is quadratic here
		b.take(x)
	}
	b.greedy(pending)
}

// A scored is a pending move as [stepBuilder.byOwnGain] orders it: the
// unit, whether its worker's limits allow it now, and the stranded
// load, maximum and spread it leaves made alone.
type scored struct {
	x           int32
	f           bool
	stranded    int64
	max, spread float64
	key         uint64 // the unit's idKey: most ties end there
}

// compareScored orders two pending moves as [solver.betterMove] does,
// the better objective first, by the fields they differ in: a move the
// limits allow, then less stranded load, then the lower maximum beyond
// the rounding of [objective.worse] (a billionth of the larger, of 1
// below 100%), then the lower spread, then the unit's idKey; 0 when
// only the units' IDs can tell them apart.
func compareScored(p, q *scored) int {
	if p.f != q.f {
		if p.f {
			return -1
		}
		return 1
	}
	if p.stranded != q.stranded {
		return cmp.Compare(p.stranded, q.stranded)
	}
	if math.Abs(p.max-q.max) > 1e-9*max(1, p.max, q.max) {
		return cmp.Compare(p.max, q.max)
	}
	if math.Abs(p.spread-q.spread) > 1e-12 {
		return cmp.Compare(p.spread, q.spread)
	}
	return cmp.Compare(p.key, q.key)
}

// bestNext returns the index in pending of the move that leaves the best
// objective now, or 0 if no move keeps the limits.
func (b *stepBuilder) bestNext(pending []int32) int {
	pick := 0
	var bestO objective
	found := false
	for k, x := range pending {
		o, ok := b.gainOf(x)
		if ok && (!found || b.s.betterMove(o, bestO, x, pending[pick])) {
			pick, bestO, found = k, o, true
		}
	}
	return pick
}

// gainOf returns the objective if unit x went to its final worker now,
// and false if that worker's limits do not allow it.
func (b *stepBuilder) gainOf(x int32) (objective, bool) {
	s := b.s
	u := &s.units[x]
	a, to := u.pos, b.final[x]
	if !s.within(u, to, nil) {
		return objective{}, false
	}
	na := float64(s.load[a]-u.w) * s.inv[a]
	nb := s.after(to, u.w)
	newMax := s.top.maxExcept(a, to)
	if s.capH[a] > 0 {
		newMax = math.Max(newMax, na)
	}
	if s.capH[to] > 0 {
		newMax = math.Max(newMax, nb)
	}
	stranded := b.cur.stranded
	if s.capH[a] == 0 {
		stranded -= u.h
	}
	if s.capH[to] == 0 {
		stranded += u.h
	}
	return objective{unplaced: b.cur.unplaced, stranded: stranded, max: newMax, spread: b.cur.spread + s.dSpread(a, to, u.w)}, true
}

// betterMove reports whether the move of unit x, leaving objective o,
// comes before the move of unit y, leaving p: the better objective
// first, then the lower unit ID.
func (s *solver) betterMove(o, p objective, x, y int32) bool {
	if o.worse(p) != p.worse(o) {
		return p.worse(o)
	}
	return compareUnits(&s.units[x], &s.units[y]) < 0
}

// touch notes, before unit x moves, the utilization of the workers it
// leaves and joins, if the step has not touched them yet.
func (b *stepBuilder) touch(x int32) {
	for _, w := range [2]int32{b.s.units[x].pos, b.final[x]} {
		if b.at[w] < 0 {
			b.at[w] = int32(len(b.rec.touched))
			if len(b.rec.touched) == cap(b.rec.touched) {
				// Steps' lists are cut from shared blocks: a list each
				// was an allocation per step, and a proposal may hold
				// a hundred thousand steps.
				blk := make([]touchedWorker, len(b.rec.touched), b.blockSize(len(b.rec.touched)))
				copy(blk, b.rec.touched)
				b.rec.touched = blk
			}
			b.rec.touched = append(b.rec.touched, touchedWorker{w: w, before: b.s.hoursUtil(w)})
		}
	}
}

// take makes the move of unit x, and closes the step if the proposal is
// then valid and no worse than after the last step.
func (b *stepBuilder) take(x int32) {
	b.touch(x)
	b.s.place(x, b.final[x])
	if len(b.group) == cap(b.group) {
		// Cut from shared blocks, as the touched workers are.
		blk := make([]int32, len(b.group), b.blockSize(len(b.group)))
		copy(blk, b.group)
		b.group = blk
	}
	b.group = append(b.group, x)
	if now := b.s.objective(); !now.worse(b.cur) && b.s.validAgainst(b.rec.touched) {
		b.close()
		b.cur = now
	}
}

// takeAll makes the moves of xs, when ctx is done: [stepBuilder.finish]
// judges them as one group.
func (b *stepBuilder) takeAll(xs []int32) {
	for _, x := range xs {
		b.touch(x)
		b.s.place(x, b.final[x])
	}
	b.group = append(b.group, xs...)
}

// close ends the step with the moves made since the last one.
func (b *stepBuilder) close() {
	for k := range b.rec.touched {
		t := &b.rec.touched[k]
		t.after = b.s.hoursUtil(t.w)
		b.at[t.w] = -1
	}
	slices.SortFunc(b.rec.touched, func(p, q touchedWorker) int { return cmp.Compare(p.w, q.w) })
	n := len(b.rec.touched)
	rest := b.rec.touched[n:cap(b.rec.touched)]
	b.rec.touched = b.rec.touched[:n:n]
	k := len(b.group)
	b.rec.units = b.group[:k:k]
	b.steps = append(b.steps, b.rec)
	b.group = b.group[k:k]
	b.rec = stepRecord{touched: rest[:0]}
}

// blockSize returns the size of the next block a list of n touched
// workers or moves moves to: twice n, or, as blocks are used up, up to
// touchBlock, growing from a few so that few moves pay for no large
// block.
func (b *stepBuilder) blockSize(n int) int {
	b.grow = min(max(2*b.grow, 8), touchBlock)
	return max(2*n, b.grow)
}

// touchBlock is the most touched workers, and moves, that a stepBuilder
// allocates at a time for its steps.
const touchBlock = 1024

// finish returns the steps. Moves left over that do not add up to a
// step no worse than the one before (their gain lay in moves already
// taken) are taken back, which leaves the proposal better, with fewer
// moves; when the search stopped early they go as one step if they
// can.
func (b *stepBuilder) finish() []stepRecord {
	if len(b.group) > 0 {
		if !b.s.objective().worse(b.cur) && b.s.validAgainst(b.rec.touched) {
			b.close()
			return b.steps
		}
		for _, x := range b.group {
			b.s.place(x, b.s.units[x].orig)
		}
	}
	return b.steps
}

// validAgainst reports whether the workers touched since a step began
// break no caseload norm or hard capacity they kept before it.
func (s *solver) validAgainst(touched []touchedWorker) bool {
	for _, t := range touched {
		w := t.w
		if s.norm[w] >= 0 && s.shares[w] > s.normLimit[w] {
			return false
		}
		if s.ro.hardCapacity && s.hours[w] > s.hourLimit[w] {
			return false
		}
	}
	return true
}
