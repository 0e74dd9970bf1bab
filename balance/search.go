package balance

import (
	"cmp"
	"math"
	"slices"
)

// A step is a candidate improvement: unit x to worker b, and, for a
// swap, unit y to x's worker.
type step struct {
	x, y   int32
	b      int32
	c      int32 // for a chain: y goes from b to c instead of to x's worker
	newMax float64
	dS     float64
}

// better reports whether st leaves a lower maximum than o, beyond
// rounding, or the same maximum and a lower spread.
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
		s.stopEarly()
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
//
// It looks at ctx before every step: a step scans the units of the
// fullest worker against several others, and 256 of them, between two
// looks of checkCancel, took 0.13 s on skewed at 200 × 20,000.
func (s *solver) lowerMax(movable func(u *unit) bool, minGain float64) bool {
	any := false
	for !s.stopIfDone() {
		a := s.top.top()
		if a < 0 {
			return any
		}
		best := s.bestStepOffAny(a, movable, minGain)
		if best.x < 0 {
			return any
		}
		s.apply(best, a)
		any = true
	}
	return any
}

// lowerMaxTo moves or swaps units off the fullest worker by any gain
// until the maximum utilization is at most level, while steps (which
// it counts down) last and its searches have looked at fewer than
// lookEnd workers in all ([solver.looked]), and reports whether it got
// there. It looks at ctx before every step, as lowerMax does.
func (s *solver) lowerMaxTo(movable func(u *unit) bool, level float64, steps *int, lookEnd int) bool {
	for ; *steps > 0 && s.maxUtil() > level && s.looked < lookEnd && !s.stopIfDone(); *steps-- {
		a := s.top.top()
		best := s.bestStepOff(a, movable, 0)
		if best.x < 0 {
			break
		}
		s.apply(best, a)
	}
	return s.maxUtil() <= level
}

// bestStepOff returns the best step that takes a unit off worker a, the
// fullest: a relocation, a swap or a chain that lowers the maximum
// utilization, or keeps it and lowers the spread by at least minGain.
// It returns a step with x < 0 if there is none.
func (s *solver) bestStepOff(a int32, movable func(u *unit) bool, minGain float64) step {
	return s.bestStepOffAt(a, movable, minGain, s.scanOffset(len(s.on[a]), scanReach))
}

// bestStepOffAny is [solver.bestStepOff], but where the window of
// worker a's units it looks at holds no step, it looks at the next
// until it finds one or has looked at every unit of a, or ctx is done.
// Without that improve stopped where a window had no step, swept every
// unit of the team in evenOut, and came back for a step in the next
// window, round after round.
func (s *solver) bestStepOffAny(a int32, movable func(u *unit) bool, minGain float64) step {
	n := len(s.on[a])
	off := s.scanOffset(n, scanReach)
	best := s.bestStepOffAt(a, movable, minGain, off)
	for k := scanReach; best.x < 0 && k < n && !s.stopIfDone(); k += scanReach {
		best = s.bestStepOffAt(a, movable, minGain, (off+k)%n)
	}
	return best
}

// bestStepOffAt is [solver.bestStepOff] on the window of scanReach
// units of worker a that starts at off.
func (s *solver) bestStepOffAt(a int32, movable func(u *unit) bool, minGain float64, off int) step {
	cur := s.util[a]
	best := step{x: -1, newMax: math.Inf(1)}
	// No load changes until the step is chosen: the fullest workers
	// are read off the heap once, not for each step looked at.
	top := s.top.fullest()
	consider := func(st step) {
		st.newMax = math.Max(st.newMax, top.except(a, st.b, -1))
		worth := st.newMax < cur-eps && (st.newMax < cur-minGain || st.dS < -minGain)
		if !worth {
			return
		}
		if st.better(best) || (best.x < 0) {
			best = st
		}
	}
	// hopeless reports whether no step with a new maximum of at least
	// lo and a change in spread of at least dsLo can be worth taking or
	// replace best: consider would pass every such step by, so skipping
	// them changes nothing.
	hopeless := func(lo, dsLo float64) bool {
		if lo >= cur-eps && (lo >= cur-minGain || dsLo >= -minGain) {
			return true
		}
		return best.x >= 0 && (lo > best.newMax || lo >= best.newMax-eps && dsLo >= best.dS)
	}
	on := s.on[a]
	for k := range min(len(on), scanReach) {
		x := on[(off+k)%len(on)]
		u := &s.units[x]
		if !movable(u) {
			continue
		}
		// Once a step is found, a unit none of whose steps can replace
		// it is passed by: on a team whose fullest worker stands far
		// above the rest, a lighter unit than the best so far. (No
		// chain is tried once a step is found.)
		if best.x >= 0 {
			if lo, dsLo := s.offBounds(u, a, &top); hopeless(lo, dsLo) {
				continue
			}
		}
		s.relocation(u, x, a, consider)
		s.swaps(u, x, a, &top, movable, consider, hopeless)
		// Chains reach past a small class of workers who hold a rare
		// skill but are full of work that others could do. They are
		// tried only when nothing simpler helps, and only off a worker
		// with few units, where they are cheap and matter most.
		if best.x < 0 && len(s.on[a]) <= 64 {
			s.chains(u, x, a, &top, movable, consider)
		}
	}
	return best
}

// relocation offers consider the best move of unit u (index x) off
// worker a to another worker, within the budget.
func (s *solver) relocation(u *unit, x, a int32, consider func(step)) {
	if !s.budgetAllows(s.cost(u, -2)) {
		return
	}
	if b := s.bestTarget(u, a, 1); b >= 0 && s.budgetAllows(s.cost(u, b)) {
		na := float64(s.load[a]-u.w) * s.inv[a]
		consider(step{x: x, y: -1, b: b, c: -1, newMax: math.Max(na, s.after(b, u.w)), dS: s.dSpread(a, b, u.w)})
	}
}

// swaps offers consider every swap of unit u (index x) on worker a with
// a lighter unit on one of the swapReach emptiest workers who may take
// u; top holds the fullest workers. It skips the units of a worker b
// when hopeless reports that no swap with b can matter, given lower
// bounds on the swap's new maximum and change in spread: a worker's
// scan costs up to swapScan units, the bounds a few operations. Of the
// units it scans, it reads only those its weight ([solver.onW]) does
// not already rule out.
func (s *solver) swaps(u *unit, x, a int32, top *fullest, movable func(*unit) bool, consider func(step), hopeless func(lo, dsLo float64) bool) {
	n := 0
	s.walk(u, a, func(b int32) bool {
		n++
		if lo, dsLo := s.swapBounds(u, a, b, top); hopeless(lo, dsLo) {
			return n < swapReach
		}
		on, ws, off := s.on[b], s.onW[b], s.scanOffset(len(s.on[b]), swapScan)
		for k := range min(len(on), swapScan) {
			i := (off + k) % len(on)
			// By its weight alone, a unit no lighter than u, or whose
			// swap leaves b too full to matter (b's new utilization
			// bounds the swap's new maximum), is passed by unread.
			if d := u.w - ws[i]; d <= 0 || !s.readAll && hopeless(float64(s.load[b]+d)*s.inv[b], math.Inf(-1)) {
				continue
			}
			y := on[i]
			v := &s.units[y]
			if !movable(v) || !s.fits(v, a, u) || !s.fits(u, b, v) {
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
		return n < swapReach
	})
}

// offBounds returns lower bounds on the new maximum utilization and on
// the change in the spread measure of any relocation or swap that
// moves unit u off worker a, the fullest, top holding the fullest
// workers: the weight d that leaves a lies in (0, u.w], and goes to a
// worker of u's class with room for it (a swap's too: [solver.walk]
// lists only those), whose utilization is at least the lowest of such
// workers ([class.open]) and capacity at most the class's largest. The
// new maximum is at least a's with u gone and the highest of the
// others' (a worker who takes weight ends above their own); the change in the spread is at least
// the least of the convex ((la-d)²-la²)/ca + d·(2·u_min + d/c_max),
// lowered by a margin far above the rounding of dSpread, as in
// [solver.cannotLowerSpread]; a unit that may go back to its worker
// outside its class ([solver.homeOutside]) has no bound on the spread.
// A chain may end lower on both counts.
func (s *solver) offBounds(u *unit, a int32, top *fullest) (lo, dsLo float64) {
	lo = math.Max(float64(s.load[a]-u.w)*s.inv[a], top.except(a, -1, -1))
	cl := s.classAt(u.class)
	if len(cl.elig) == 0 || cl.capMin <= 0 || s.capH[a] <= 0 || s.capSum == 0 || s.homeOutside(u, a) >= 0 {
		return lo, math.Inf(-1)
	}
	la, ca, xu := float64(s.load[a])/micro, s.capH[a], float64(u.w)/micro
	ua, cMax, uMin := la/ca, cl.capMax[len(cl.capMax)-1], s.util[cl.open.top()]
	xs := min(max((ua-uMin)/(1/ca+1/cMax), 0), xu)
	f := ((la-xs)*(la-xs)-la*la)/ca + xs*(2*uMin+xs/cMax)
	margin := 1e-9 * (la*la/ca + 3*ua*(ua*cMax+xu) + xu*xu/cl.capMin)
	return lo, (f - margin) / s.capSum
}

// swapBounds returns lower bounds on the new maximum utilization and
// on the change in the spread measure of any swap that moves unit u
// from worker a to b and a lighter unit back, top holding the fullest
// workers: the weight d that moves
// from a to b lies in (0, u.w), and dSpread(a, b, d) is convex in d.
// The bound on the maximum is exact in floating point (each term is
// monotone in d); the one on the spread is lowered by a margin far
// above the rounding of dSpread.
func (s *solver) swapBounds(u *unit, a, b int32, top *fullest) (lo, dsLo float64) {
	lo = math.Max(math.Max(float64(s.load[a]-u.w)*s.inv[a], s.util[b]), top.except(a, b, -1))
	if s.capH[a] == 0 || s.capH[b] == 0 || s.capSum == 0 {
		return lo, math.Inf(-1)
	}
	la, lb, xu := float64(s.load[a])/micro, float64(s.load[b])/micro, float64(u.w)/micro
	ca, cb := s.capH[a], s.capH[b]
	// The real minimum of ((la-x)²-la²)/ca + ((lb+x)²-lb²)/cb on [0, xu].
	xs := min(max((la/ca-lb/cb)/(1/ca+1/cb), 0), xu)
	f := ((la-xs)*(la-xs)-la*la)/ca + ((lb+xs)*(lb+xs)-lb*lb)/cb
	margin := 1e-9 * (la*la/ca + (lb+xu)*(lb+xu)/cb)
	return lo, (f - margin) / s.capSum
}

// chains offers consider every chain u: a→b, y: b→c for the emptiest
// workers b who may take u (b's limits are checked with y gone); top
// holds the fullest workers.
func (s *solver) chains(u *unit, x, a int32, top *fullest, movable func(*unit) bool, consider func(step)) {
	n := 0
	h := s.classAt(u.class).heap
	walkHeap(h, func(b int32) bool {
		if b == a || !s.canTake[b] || !s.classes[u.class].has(b) || u.declined(b) {
			return true
		}
		n++
		nb0 := s.after(b, u.w)
		for _, y := range s.on[b] {
			v := &s.units[y]
			if !movable(v) || !s.fits(u, b, v) {
				continue
			}
			// Wherever y goes, it costs at least this many moves: once
			// the budget is spent, no chain through y is allowed, and
			// the search for where y goes (a walk of its class) is
			// spared.
			if !s.budgetAllows(s.cost(u, b) + s.leastCost(v)) {
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
			newMax := math.Max(math.Max(na, nb), math.Max(nc, top.except(a, b, c)))
			dS := s.dSpread(a, b, u.w) + s.dSpread(b, c, v.w)
			consider(step{x: x, y: y, b: b, c: c, newMax: newMax, dS: dS})
		}
		return n < swapReach
	})
}

// A fullest holds the four fullest workers with capacity and their
// utilizations, highest first, as they were when it was made
// ([utilHeap.fullest]): while no
// load changes, the highest utilization of all but up to three given
// workers, which each step's new maximum needs, is read off it at once
// rather than from the first 15 positions of the heap
// ([utilHeap.maxExcept3]), 14% of Propose's instructions on a skewed
// 25×260 team under a budget of 30 moves.
type fullest struct {
	w [4]int32
	u [4]float64
	n int
}

// fullest returns the four members of the max-heap h with the highest
// keys, as they are now. The four highest keys of a binary heap lie in
// its first four levels.
func (h *utilHeap) fullest() fullest {
	h.order()
	var f fullest
	for i := 0; i < len(h.item) && i < 15; i++ {
		w := h.ids[h.item[i]]
		k := h.key[w]
		j := f.n
		switch {
		case f.n < len(f.w):
			f.n++
		case k <= f.u[len(f.u)-1]:
			continue
		default:
			j = len(f.w) - 1
		}
		for ; j > 0 && f.u[j-1] < k; j-- {
			f.w[j], f.u[j] = f.w[j-1], f.u[j-1]
		}
		f.w[j], f.u[j] = w, k
	}
	return f
}

// except returns the highest utilization among workers other than a, b
// and c (-1 for none), or 0, as [utilHeap.maxExcept3] does.
func (f *fullest) except(a, b, c int32) float64 {
	for i := range f.n {
		if w := f.w[i]; w != a && w != b && w != c {
			return math.Max(f.u[i], 0)
		}
	}
	return 0
}

// leastCost returns the fewest moves unit u costs wherever it goes off
// its worker ([solver.cost]): one off its owner, none for a queued
// unit, and one back for a held unit away from its owner, which may go
// home.
func (s *solver) leastCost(u *unit) int {
	switch {
	case u.free:
		return 0
	case u.pos == u.orig:
		return 1
	}
	return -1
}

// scanReach is the most units of one worker that one step looks at,
// off the fullest worker and on each worker a swap tries: a worker who
// holds thousands of units is looked at a window at a time, the window
// moving with every step, so that a step costs O(scanReach²), not the
// square of the units one worker holds. (lowerMax's last step off a
// worker, which finds none, looks at every window: [solver.bestStepOffAny].)
const scanReach = 128

// swapScan is the most units on each of the emptiest workers that a
// swap looks at for one unit of the fullest.
const swapScan = 32

// scanOffset returns where the window of reach units of a worker
// holding n starts this step: 0 when all fit in it.
func (s *solver) scanOffset(n, reach int) int {
	if n <= reach {
		return 0
	}
	return s.steps % n
}

// apply takes step st off worker a.
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
// It stops early once ctx is done, or once its searches have looked at
// evenEnd workers in all where that is set ([solver.polishTo]). A
// worker none of whose units can lower the spread is passed by without
// reading their units ([evenSkip]), and of the rest, a unit that
// cannot by its weight alone is not read ([spreadTest]).
func (s *solver) evenOut(movable func(u *unit) bool, minGain float64) bool {
	order := s.fullestFirst(func(j int32) bool { return len(s.on[j]) > 0 })
	any := false
	thr := math.Max(minGain, eps)
	skip := s.newEvenSkip()
	failedBuf := s.evenFails
	for _, a := range order {
		t := skip.test(s, a, thr)
		if skip.passes(s, a, t) {
			// None of their units can lower the spread: they are passed
			// by unread, with the steps they count all the same (the
			// windows of later searches turn with them: scanOffset).
			for range s.on[a] {
				if s.checkCancel() || s.evenEnd > 0 && s.looked >= s.evenEnd {
					return any
				}
			}
			continue
		}
		limit := s.maxUtil()
		failed := failedBuf[:0]
		for i := 0; i < len(s.on[a]); i++ {
			if s.checkCancel() || s.evenEnd > 0 && s.looked >= s.evenEnd {
				return any
			}
			if t.passesBy(s.onW[a][i]) && !s.readAll {
				continue // not read: cannotLowerSpread would pass it by
			}
			x := s.on[a][i]
			u := &s.units[x]
			if !movable(u) || !s.budgetAllows(s.cost(u, -2)) || s.cannotLowerSpread(u, a, thr) {
				continue
			}
			k, h, alike := s.evenKeyOf(u)
			if alike && !s.readAll && !s.searchAlike {
				if f := slices.IndexFunc(failed, func(f evenFail) bool { return f.passes(k, h) }); f >= 0 {
					// A unit alike found no move, and nothing has moved
					// since. The search counts as made: the budgets of
					// looks last as long as they did.
					s.looked += failed[f].looked
					continue
				}
			}
			looked := s.looked
			s.evenSearches++
			b := s.bestTarget(u, a, 2)
			mono := b < 0 // no one may take it, nor a unit alike of more hours
			if b >= 0 && s.budgetAllows(s.cost(u, b)) && s.after(b, u.w) <= limit+eps {
				d := s.dSpread(a, b, u.w)
				if d < -minGain && d < -eps {
					s.place(x, b)
					skip.moved(s, a)
					t = skip.test(s, a, thr)
					any = true
					failed = failed[:0]
					i-- // the slot now holds another unit
					continue
				}
				// The best worker for u raises the spread: so would any
				// who may take a unit alike of more hours.
				mono = d >= 0
			}
			if alike {
				if len(failed) == evenFailsMost {
					// The last noted: a worker's units in a row are
					// most often alike, and a long list would cost a
					// look at each of them for every unit.
					failed = append(failed[:0], failed[1:]...)
				}
				failed = append(failed, evenFail{k, h, mono, s.looked - looked})
			}
		}
		failedBuf = failed
	}
	s.evenFails = failedBuf
	return any
}

// An evenKey is what the search of evenOut for where a unit goes reads
// of a unit without declines, but for its hours ([solver.evenKeyOf]):
// of two units alike on one worker, the second finds no move where the
// first found none, as long as nothing moves ([evenFail]). Under
// PolicyCounts, where a unit of one case weighs one share whatever its
// hours, a worker's units are mostly alike, and on a skewed national
// team the searches of evenOut took a quarter of a proposal.
type evenKey struct {
	class, orig int32
	w, s        int64
	free        bool
}

// evenKeyOf returns u's evenKey and hours, and whether u may share its
// search: a unit without declines, whose search reads no more of it
// than the key and hours hold. That is the worker it came from too,
// where it counts: a held unit may go back to them outside its class,
// and going back costs a move less; without a limit on moves and with
// that worker in its class and taking work, it does not, and the key
// leaves it out. Its hours count only under hard capacity: else they
// are 0.
func (s *solver) evenKeyOf(u *unit) (evenKey, int64, bool) {
	if len(u.decl) > 0 {
		return evenKey{}, 0, false
	}
	k := evenKey{class: u.class, w: u.w, s: u.s, free: u.free, orig: u.orig}
	if o := u.orig; s.ro.maxMoves < 0 && (o < 0 || s.canTake[o] && s.classes[u.class].has(o)) {
		k.orig = -1
	}
	var h int64
	if s.ro.hardCapacity {
		h = u.h
	}
	return k, h, true
}

// An evenFail notes a search of evenOut that found no move for a unit
// of key k and hours h. Where no one could take the unit, or the best
// worker for it would raise the spread (mono), a unit alike of more
// hours finds no move either: fewer workers have the room for it, and
// the best of them is no better. (Where the best worker would end
// above the maximum, another of more room might not: only a unit of
// the same hours is passed by.) Under hard capacity, counts evened out
// and a worker holding every case, evenOut's searches took 7.4 s of a
// national proposal. A search passed by counts the workers the one
// noted looked at ([solver.looked]), so that the budgets of looks
// last as they did.
type evenFail struct {
	k      evenKey
	h      int64
	mono   bool
	looked int // the workers the search looked at
}

// evenFailsMost is how many evenFails evenOut keeps for one worker.
const evenFailsMost = 8

// passes reports whether f passes by a unit of key k and hours h.
func (f evenFail) passes(k evenKey, h int64) bool {
	return f.k == k && (h == f.h || f.mono && h > f.h)
}

// drain moves the movable units of workers without capacity, heaviest
// first, each to the worker left least full, within the budget: their
// load is all overload where it is. Once ctx is done it moves no more:
// the units left stay with their workers, as the problem has them.
func (s *solver) drain() {
	if s.stopIfDone() {
		return
	}
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
	// The ejections together look at no more than 256 workers and
	// units per unit of the team, a search for where a unit goes
	// counting as many as the team has workers: with every worker at
	// their caseload norm, each unit that fits nowhere looked at
	// ejectReach units in vain, and 4,000 of them took minutes. The
	// team of TestDrainMakesRoom used 177 per unit.
	look := ejectReach + 256*len(s.units)
	wanted := s.wantedByWaiting()
	for k, x := range xs {
		if k%cancelEvery == 0 && k > 0 && s.stopIfDone() {
			// Half the team without capacity, holding 75,000 cases at
			// national size: 145 ms past the deadline.
			return
		}
		u := &s.units[x]
		if !s.budgetAllows(s.cost(u, -2)) {
			return
		}
		if b := s.bestTarget(u, u.pos, 1); b >= 0 {
			s.place(x, b)
		} else if look > 0 && s.budgetAllows(s.cost(u, -2)+1) {
			look = s.drainEject(x, look, wanted)
		}
	}
}

// drainEject moves unit x off a worker without capacity, where no
// worker may take it as things stand, to a worker b who may once one of
// their units moves on to another worker. It looks at no more than
// ejectReach units, nor more than look workers and units in all (a
// search for where a unit goes counting as many as the team has
// workers), and returns how many of look are left. Load left where there is no
// capacity is all overload, and comes before the maximum: a team whose
// skill holders were all at their caseload norm kept 56 h there, though
// each could have passed a case on.
func (s *solver) drainEject(x int32, look int, wanted []bool) int {
	u := &s.units[x]
	seen := 0
	for _, b := range s.classes[u.class].elig {
		if look--; look <= 0 {
			return 0
		}
		if s.capH[b] == 0 || b == u.pos {
			continue
		}
		if seen += len(s.on[b]) + 1; seen > ejectReach {
			return look
		}
		for _, y := range s.on[b] {
			if look--; look <= 0 {
				return 0
			}
			v := &s.units[y]
			// A placed free unit stays with a worker a waiting unit
			// may go to: its placement is the first step, and moved it
			// would leave room there that the waiting unit could have
			// had (a queued case listed as unplaceable though its only
			// taker had room once a queued case was moved off them for
			// a held one).
			if v.stuck || v.anchored || v.free && wanted != nil && wanted[b] || !s.fits(u, b, v) {
				continue
			}
			// A search for where v goes may walk the team.
			if look -= s.m; look <= 0 {
				return 0
			}
			if c := s.bestTarget(v, b, 1); c >= 0 && s.capH[c] > 0 {
				s.place(y, c)
				s.place(x, b)
				return look
			}
		}
	}
	return look
}

// wantedByWaiting marks the workers of the classes of the free units
// that wait and that some worker may take, or returns nil if none
// waits.
func (s *solver) wantedByWaiting() []bool {
	var wanted, done []bool // done: per class, its workers marked
	for x := range s.units {
		u := &s.units[x]
		if !u.free || u.pos >= 0 || u.stuck || u.hopeless || done != nil && done[u.class] {
			continue
		}
		if wanted == nil {
			wanted, done = make([]bool, s.m), make([]bool, len(s.classes))
		}
		done[u.class] = true
		for _, j := range s.classes[u.class].elig {
			wanted[j] = true
		}
	}
	return wanted
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
