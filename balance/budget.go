package balance

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// targetCandidates tries the target method from start in both its
// manners (see [solver.takeOffAbove]), each polished by the local
// search, and keeps the best of them and the current assignment. The
// two manners fail on different teams: neither is better everywhere.
// Then the shed search ([solver.shedLevels]) looks below the best of
// them.
//
// Before any of that, if the current assignment is above the bound,
// the shed search is asked for the bound itself ([solver.shedToBound]);
// if it finds it, that assignment stands and nothing else runs, for no
// plan has a lower maximum. On the skewed 25×260 team under a budget
// of 30 it finds the optimum below the local search's plan, where both
// manners of the target method fail, and they cost half of Propose's
// time. An assignment already at the bound goes on as before: the
// target method may still lower its spread.
func (s *solver) targetCandidates(movable func(u *unit) bool, start []int32) {
	if !s.atBound() && s.shedToBound(movable, start) {
		return
	}
	best, bestObj := s.snapshot(), s.objective()
	for _, smart := range [...]bool{false, true} {
		if s.cancelled {
			break
		}
		s.restore(start)
		s.targetMoves(smart)
		s.improve(movable, s.ro.minGain)
		if o := s.objective(); bestObj.worse(o) {
			best, bestObj = s.snapshot(), o
		}
	}
	s.restore(best)
	s.shedLevels(movable, start)
}

// probeVariants is how many manners of the shed search shedToBound
// tries: on 800 skewed teams of 10 to 60 workers under budgets of 1 to
// 50 moves, the first two find the bound on 117 of the 119 where any
// of the eight does there, and each manner that fails costs as much.
const probeVariants = 2

// probeWorkers is the largest team [solver.shedToBound] probes: each
// node of a shed search walks the team's heap for receivers, and at the
// bound, the hardest level to reach, the probe of 125,000 families on
// 5,000 workers under a budget of 50 took 2.8 s of a proposal's 3.5 and
// found nothing shedLevels did not. It was measured on teams of 10 to
// 60 workers.
const probeWorkers = 256

// shedToBound runs the shed search ([solver.shedder]) from start at the
// level of the bound, in its first probeVariants manners until one
// finds an assignment, as [solver.shedLevels] does at each level it
// tries. If one does, it leaves that assignment in place, polished by
// the local search, and reports true: no plan has a lower maximum.
// Otherwise it leaves the solver as it was, to the order of each
// worker's list ([solver.rewindTo]), so that the search that follows
// is the one that ran before it existed. It costs at most two of the
// up to shedLevels × shedVariants searches of shedLevels, and O(n) for
// n units.
func (s *solver) shedToBound(movable func(u *unit) bool, start []int32) bool {
	if s.cancelled || s.ro.maxMoves <= 0 || s.m > probeWorkers {
		return false
	}
	lb, _ := s.bound()
	if hi := s.maxUtil(); hi-lb <= 1e-5*hi {
		// As close to the bound as shedLevels looks: a probe there
		// costs a walk of the team per node of the search, 2.8 s on
		// 125,000 families of 5,000 workers 0.0000003% above it.
		return false
	}
	here := s.saveRewind()
	s.restore(start)
	h := s.newShedder()
	for v := range probeVariants {
		if h.shed(lb, v) == shedFound {
			// Every worker is at lb or below (loadAt): the local search
			// lowers only the spread.
			s.improve(movable, s.ro.minGain)
			return true
		}
		if s.cancelled {
			break
		}
	}
	s.rewindTo(here)
	return false
}

// A rewind is what [solver.rewindTo] needs to put the solver back as
// it was: where every unit is, and the order of each worker's list of
// units, in which the local search meets ties (a restore by positions
// alone leaves the lists in another order, and the local search that
// follows on another path).
type rewind struct {
	pos []int32
	on  []int32 // the workers' lists, one after another
}

// saveRewind returns the rewind of the current state, in O(n) for n
// units.
func (s *solver) saveRewind() rewind {
	r := rewind{pos: s.snapshot(), on: make([]int32, 0, len(s.units))}
	for j := range s.m {
		r.on = append(r.on, s.on[j]...)
	}
	return r
}

// rewindTo puts every unit back where r says, each worker's list in
// the order r has it, in O(n) for n units.
func (s *solver) rewindTo(r rewind) {
	s.restore(r.pos)
	k := 0
	for j := range s.m {
		list := s.on[j]
		copy(list, r.on[k:k+len(list)])
		for i, x := range list {
			s.units[x].slot = int32(i)
			s.onW[j][i] = s.units[x].w
		}
		k += len(list)
	}
}

// atBound reports whether the maximum utilization is at the bound,
// proven: no plan lowers it.
func (s *solver) atBound() bool {
	lb, _ := s.bound()
	return s.maxUtil() <= lb
}

// targetScan is the number of levels between the bound and the level
// found by bisection that targetMoves tries on their own.
const targetScan = 8

// targetMoves searches, by bisection on a target utilization T, for the
// lowest T to which clearAbove brings every worker within the budget,
// and leaves that assignment in place (or the start, if none). In the
// smart manner the bisection starts at the bound and a few levels below
// the one it finds are tried on their own.
func (s *solver) targetMoves(smart bool) {
	start := s.snapshot()
	held := s.heldHeavyFirst()
	lb, _ := s.bound()
	lo, hi := 0.0, s.maxUtil()
	if smart {
		lo = lb
	}
	var best []int32
	for range 40 {
		if hi-lo <= 1e-6*hi || s.stopIfDone() {
			break
		}
		T := lo + (hi-lo)/2
		s.restore(start)
		if s.clearAbove(T, smart, held) {
			hi, best = T, s.snapshot()
		} else {
			lo = T
		}
	}
	// clearAbove is a heuristic: failing at a level does not mean it
	// fails at every level below. A few levels between the bound and
	// the level found get a try of their own, lowest first.
	for i := range targetScan {
		T := lb + (hi-lb)*float64(i)/targetScan
		if T >= hi || s.checkCancel() {
			break
		}
		s.restore(start)
		if s.clearAbove(T, smart, held) {
			best = s.snapshot()
			break
		}
	}
	s.restore(start)
	if best != nil {
		s.restore(best)
	}
}

// clearAbove tries to bring every worker to utilization T or below by
// taking the fewest held units off each worker above T and placing
// them, heaviest first, where they fit best under T. It reports whether
// it succeeded within the budget; on failure the state is left for the
// caller to restore. held is as for [solver.takeOffAbove].
func (s *solver) clearAbove(T float64, smart bool, held [][]int32) bool {
	pool, ok := s.takeOffAbove(T, smart, held)
	return ok && s.placeUnder(T, pool, false, smart)
}

// heldHeavyFirst returns, per worker, the held units that may leave
// them (neither free, anchored nor stuck, and with them from the
// start), heaviest first, ties by ID: [solver.takeOffAbove]'s
// candidates, listed in one pass over the units in that order
// ([solver.heavyOrder]) for the many levels targetMoves tries from one
// assignment. Sorted again for each, the 150,000 units of a worker who
// held every case took 1.9 s of a proposal under a budget of 30 moves.
func (s *solver) heldHeavyFirst() [][]int32 {
	may := func(u *unit) bool { return u.pos >= 0 && !u.free && !u.anchored && !u.stuck && u.pos == u.orig }
	// Each worker's list is cut from one array, counted first.
	count := make([]int32, s.m)
	n := 0
	for x := range s.units {
		if u := &s.units[x]; may(u) {
			count[u.pos]++
			n++
		}
	}
	all := make([]int32, 0, n)
	held := make([][]int32, s.m)
	for j, c := range count {
		held[j], all = all[:0:c], all[c:c]
	}
	for _, x := range s.heavyOrder() {
		if u := &s.units[x]; may(u) {
			held[u.pos] = append(held[u.pos], x)
		}
	}
	return held
}

// takeOffAbove takes held units off each worker above utilization T,
// fullest worker first, until they are at T or below: each time the
// smallest unit that clears the excess, else the largest, and repeat.
// The smart manner takes the workers with the least excess first, and
// only units that have room under T elsewhere when those suffice.
// It returns the units taken off, and false if a worker cannot be
// cleared or the budget does not allow it. held holds each worker's
// candidates, listed from this assignment ([solver.heldHeavyFirst]).
func (s *solver) takeOffAbove(T float64, smart bool, held [][]int32) ([]int32, bool) {
	var pool []int32
	// The workers with the least excess go first: what they shed beyond
	// it is room the others' units may use.
	over := s.fullestFirst(func(j int32) bool { return s.util[j] > T+eps })
	excessOf := func(a int32) int64 { return s.load[a] - s.loadAt(a, T) }
	if smart {
		slices.SortStableFunc(over, func(a, b int32) int { return cmp.Compare(excessOf(a), excessOf(b)) })
	}
	for _, a := range over {
		excess := excessOf(a)
		cands := slices.Clone(held[a]) // the picks below delete from it
		// In the smart manner, units with no room under T elsewhere, on
		// the loads so far, are taken only if the others cannot clear
		// the excess. The other manner takes any: it does not look for
		// room, a scan of the class's workers for each unit.
		if smart {
			var sum int64
			placeable := slices.DeleteFunc(slices.Clone(cands), func(x int32) bool { return !s.roomUnder(T, x, a) })
			for _, x := range placeable {
				sum += s.units[x].w
			}
			if sum >= excess {
				cands = placeable
			}
		}
		// Take the lightest unit that covers what is left of the excess,
		// else the heaviest. Heaviest first, the units that cover it are
		// a prefix of cands, so each pick is a binary search; only the
		// last pick leaves from inside, the others from the head.
		for head := 0; excess > 0; {
			if head == len(cands) {
				return pool, false
			}
			rest := cands[head:]
			pick := head
			if k := sort.Search(len(rest), func(i int) bool { return s.units[rest[i]].w < excess }); k > 0 {
				pick = head + k - 1
			}
			x := cands[pick]
			if pick == head {
				head++
			} else {
				cands = slices.Delete(cands, pick, pick+1)
			}
			s.place(x, -1)
			if !s.budgetAllows(0) {
				return pool, false
			}
			pool = append(pool, x)
			excess -= s.units[x].w
		}
	}
	return pool, true
}

// roomUnder reports whether some worker other than a who may take unit
// x has room for it at utilization T, on the current loads.
func (s *solver) roomUnder(T float64, x, a int32) bool {
	u := &s.units[x]
	for _, b := range s.classes[u.class].elig {
		if b != a && s.capH[b] > 0 && s.fits(u, b, nil) && s.loadAt(b, T)-s.load[b] >= u.w {
			return true
		}
	}
	return false
}

// placeUnder places the units of pool, heaviest first (in the smart
// manner, those of the classes fewest workers may take first), each on
// the worker it leaves with the least room under utilization T (its own
// worker included). It reports whether every unit found a place within
// the budget. With force, a unit that fits under T nowhere goes to the
// worker it leaves least full instead, and the placement goes on.
func (s *solver) placeUnder(T float64, pool []int32, force, smart bool) bool {
	slices.SortFunc(pool, s.heavierFirst)
	if smart {
		// Units few workers may take go first, so that the others do
		// not fill the room only those workers have.
		slices.SortStableFunc(pool, func(x, y int32) int {
			return cmp.Compare(len(s.classes[s.units[x].class].elig), len(s.classes[s.units[y].class].elig))
		})
	}
	slack := func(b int32) int64 { return s.loadAt(b, T) - s.load[b] }
	// A class with many units in the pool and many workers gets an index
	// of its workers by slack: a scan of the class for each unit costs
	// O(pool × workers), a million steps and more for a team whose
	// cases one worker holds.
	var index map[int32]*fitIndex
	if len(pool) >= fitPool {
		count := map[int32]int{}
		for _, x := range pool {
			count[s.units[x].class]++
		}
		for c, n := range count {
			elig := s.classes[c].elig
			if n < fitPool || len(elig) < fitBlock {
				continue
			}
			var entries []fitEntry
			for _, b := range elig {
				if s.capH[b] > 0 {
					entries = append(entries, fitEntry{slack(b), b})
				}
			}
			if index == nil {
				index = map[int32]*fitIndex{}
			}
			index[c] = s.newFitIndex(entries)
		}
	}
	for _, x := range pool {
		u := &s.units[x]
		best, bestRoom := int32(-1), int64(math.MaxInt64)
		try := func(b int32) {
			if s.capH[b] == 0 || !s.fits(u, b, nil) {
				return
			}
			room := slack(b) - u.w
			if room >= 0 && room < bestRoom {
				best, bestRoom = b, room
			}
		}
		try(u.orig)
		if ix := index[u.class]; ix != nil {
			// The first who may take u from the first of slack u.w or
			// more is the one a scan finds: least room, then lowest
			// index; u's own worker goes first among equals.
			if b, sl := ix.first(u.w, s.need(u), func(b int32) bool { return s.fits(u, b, nil) }); b >= 0 && sl-u.w < bestRoom {
				best, bestRoom = b, sl-u.w
			}
		} else {
			for _, b := range s.classes[u.class].elig {
				try(b)
			}
		}
		if best < 0 && force {
			if best = s.bestTarget(u, -1, 1); best < 0 {
				best = u.orig
			}
		}
		if best < 0 {
			return false
		}
		if index == nil {
			s.place(x, best)
			continue
		}
		from := u.pos
		var was [2]int64
		for i, b := range [2]int32{from, best} {
			if b >= 0 && s.capH[b] > 0 {
				was[i] = slack(b)
			}
		}
		s.place(x, best)
		for i, b := range [2]int32{from, best} {
			if b < 0 || s.capH[b] == 0 || i == 1 && b == from {
				continue
			}
			for _, r := range s.classOf[b] {
				if ix := index[r.class]; ix != nil {
					ix.update(b, was[i], slack(b))
				}
			}
		}
	}
	return s.budgetAllows(0)
}

// fitPool is the fewest units of one class in a pool, and of the pool,
// for which placeUnder indexes the class's workers by slack.
const fitPool = 16

// heavierFirst orders units by weight, heaviest first, then by ID. It
// looks at the IDs only when the weights are equal: the sorts by it run
// over hundreds of thousands of units. A list of all units in this
// order is [solver.heavyOrder].
func (s *solver) heavierFirst(x, y int32) int {
	a, b := &s.units[x], &s.units[y]
	if a.w != b.w {
		return cmp.Compare(b.w, a.w)
	}
	return compareUnits(a, b)
}

// heavyOrder returns the units heaviest first, ties by ID. It is sorted
// once, when first asked for, and kept until a unit is split: the
// placements from empty take the units in this order several times.
func (s *solver) heavyOrder() []int32 {
	if len(s.heavy) != len(s.units) {
		// The sort reads keys side by side, not units: the order of
		// heavierFirst, at a fraction of the cache misses.
		type key struct {
			w  int64
			id uint64
			x  int32
		}
		ks := make([]key, len(s.units))
		for x := range s.units {
			u := &s.units[x]
			ks[x] = key{u.w, u.idKey, int32(x)}
		}
		slices.SortFunc(ks, func(a, b key) int {
			if a.w != b.w {
				return cmp.Compare(b.w, a.w)
			}
			if a.id != b.id {
				return cmp.Compare(a.id, b.id)
			}
			return compareUnits(&s.units[a.x], &s.units[b.x])
		})
		xs := make([]int32, len(ks))
		for k := range ks {
			xs[k] = ks[k].x
		}
		s.heavy = xs
	}
	return s.heavy
}

// levelFromEmpty makes an unlimited rebalance at least as good as a
// solve from empty: the local search from the current assignment stops
// where several workers share the maximum and no single move helps,
// which a solve from empty does not meet. It places the held units
// movable reports as if they were queued (heaviest first, each on the
// worker left least full, then local search, and annealing if that
// ends far from the bound, as for queued cases) and, if that reaches a
// lower maximum than the current assignment, looks for few moves that
// reach the same level, within MinGain: a voluntary move must gain
// MinGain, so levels closer than that are the same level here. The
// candidates are the solve from empty with moves taken back
// ([solver.returnHome]); the units the workers above the level shed,
// placed again as from empty and repaired in rounds
// ([solver.keepHome]); the same solve with units kept by their
// workers up to a fraction of the level ([solver.placeAnew]); and the
// fewest units off each worker above the level, placed under it
// ([solver.takeOffAbove]). Each is polished by moves off the fullest
// worker, moves taken back, and the local search with MinGain; the one
// at the level with the fewest moves stands.
//
// The rounds of keepHome aim at the level itself, not the level and
// MinGain, so that where they stand the maximum is no higher than from
// empty. They are tried on teams of keepHomeAlone units or more where
// a plan at the level may move markedly fewer units than the best
// candidate so far (keepHomeWorth), and once they stand the last two
// candidates are not: each costs a placement of every unit, 0.2 s at
// 150,000 units, and on the seeded skewed teams of 100 and 500 workers
// neither had fewer moves where keepHome stood. On smaller teams the
// others cost little, and keepHome had fewer moves on 4 of the 6
// seeded teams of 25 workers where it stood, but more on the other 2.
// The last two are not tried either once a candidate has as few moves
// as any plan at the level can have ([solver.fewestMoves]), and no
// candidate is once the polishes have spent their budget
// ([polishLooks]).
func (s *solver) levelFromEmpty(movable func(u *unit) bool, start []int32) {
	movable = notStuck(movable)
	cur, curObj := s.snapshot(), s.objective()
	startLoad := slices.Clone(s.load)
	var xs []int32
	for _, x := range s.heavyOrder() {
		if u := &s.units[x]; movable(u) && u.pos >= 0 {
			xs = append(xs, x)
		}
	}
	if len(xs) == 0 {
		return
	}
	s.placeAnew(xs, -1)
	s.improve(movable, 0)
	s.annealIfFar(movable)
	emptyPos, emptyObj := s.snapshot(), s.objective()
	if s.cancelled || !s.limitsHold() || !curObj.worse(emptyObj) || emptyObj.unplaced != curObj.unplaced || emptyObj.stranded > curObj.stranded {
		s.restore(cur)
		return
	}
	level := emptyObj.max
	limit := level + s.ro.minGain + 1e-9
	best, bestObj := emptyPos, emptyObj
	// A candidate that does not come near the level soon is dropped:
	// within a number of steps, and of workers its searches look at,
	// polishLooks per unit and worker. (Under a hard capacity, on a
	// team whose cases weigh twice its capacity, the units off the
	// workers above the level, placed again under it, looked at 2,100
	// per unit and worker at 1,000 x 24,000 before they failed, 4,300
	// at 2,000 x 48,000; on 536 seeded teams and shapes a candidate
	// that came to the level looked at 143 at most.) The polishes of
	// all candidates share that number of workers: once they have
	// looked at it, no more candidates are tried. (On a national team
	// whose cases weigh twice its capacity, under hard capacity, five
	// polishes that failed looked at 77 million workers, 2.9 s of the
	// proposal; on the 157 seeded teams and shapes where this solve ran
	// none of the candidates that stood began after the polishes had
	// looked at that many.)
	steps := min(len(xs)/4, 1024) + 2*s.m
	looks := polishLooks * (len(s.units) + s.m)
	// consider polishes the candidate in place, aiming at utilization
	// to (the level or the limit), and keeps it if it is the best so
	// far.
	consider := func(to float64) bool {
		if s.cancelled || looks <= 0 {
			return false // the placement was cut short, or the polishes are done
		}
		before := s.looked
		ok := s.polishTo(movable, to, steps, looks)
		looks -= s.looked - before
		if !ok {
			return false
		}
		s.returnHome(to)
		s.evenOut(movable, s.ro.minGain)
		o := s.objective()
		if o.max <= limit && s.limitsHold() && o.stranded <= emptyObj.stranded && o.unplaced == emptyObj.unplaced &&
			(o.moves < bestObj.moves || o.moves == bestObj.moves && bestObj.worse(o)) {
			best, bestObj = s.snapshot(), o
			return true
		}
		return false
	}
	consider(limit)
	fewest := s.fewestMoves(xs, cur, startLoad, limit)
	// keepHome's rounds cost about a placement of the units the workers
	// above the level shed: they are worth it where a plan at the level
	// may move markedly fewer units than the best so far. When one
	// worker holds every case, any plan moves 149,569 of 150,000 and the
	// solve from empty with moves taken back 149,966; the rounds took
	// 0.3 s there and fell short of the level.
	worth := fewest < 0 || float64(fewest) < keepHomeWorth*float64(bestObj.moves)
	if len(xs) >= keepHomeAlone && worth && !s.cancelled && looks > 0 {
		s.restore(start)
		s.keepHome(level, movable)
		if consider(level) {
			s.restore(best)
			return
		}
	}
	s.restore(start)
	if !s.cancelled && looks > 0 {
		if pool, ok := s.takeOffAbove(level, false, s.heldHeavyFirst()); ok && !s.cancelled {
			s.placeUnder(level, pool, true, false)
			consider(limit)
		}
	}
	for _, f := range [...]float64{1, 0.98, 0.95} {
		if s.cancelled || bestObj.moves == fewest || looks <= 0 {
			break
		}
		s.placeAnew(xs, f*level)
		consider(limit)
	}
	s.restore(best)
}

// polishTo lowers the maximum utilization to at most to
// ([solver.lowerMaxTo]) within steps steps and looks workers looked at
// in all, and reports whether it got there. Where no step off the
// fullest worker lowers the maximum, a pass of evenOut that takes any
// gain in spread may open one, as between the rounds of improve: it
// makes up to unstickRounds such passes, which look at no more than
// unstickLooks workers per unit and worker of the team in all.
//
// On a national team where half the workers have no capacity, the
// candidate that keeps units with their workers ([solver.keepHome])
// stopped 0.003 above the level, and three more candidates were tried,
// each placing every unit again: one pass took it to the level, with
// 100,935 moves where the best of the others had 116,614, in half the
// time. The passes are cheap where the team is nearly level, as it is
// near the end of a polish: that pass looked at 1.3 workers per unit.
// Under hard capacity, on a team whose cases weigh twice its capacity,
// a pass looked at 30 to 80 per unit, and took a second each, in vain.
func (s *solver) polishTo(movable func(u *unit) bool, to float64, steps, looks int) bool {
	end := s.looked + looks
	ok := s.lowerMaxTo(movable, to, &steps, end)
	s.evenEnd = min(end, s.looked+unstickLooks*(len(s.units)+s.m))
	defer func() { s.evenEnd = 0 }()
	for r := 0; !ok && r < unstickRounds && steps > 0 && s.looked < s.evenEnd && !s.cancelled && s.evenOut(movable, 0); r++ {
		ok = s.lowerMaxTo(movable, to, &steps, end)
	}
	return ok
}

// unstickRounds is the most passes of evenOut with which polishTo
// opens steps off the fullest worker, and unstickLooks how many
// workers per unit and worker of the team they may look at in all.
const (
	unstickRounds = 8
	unstickLooks  = 8
)

// polishLooks is how many workers the searches of levelFromEmpty's
// polishes of its candidates may look at ([solver.lowerMaxTo]), for
// each unit and each worker of the team: polishLooks·(units + workers)
// in all, shared by the candidates.
const polishLooks = 256

// keepHomeAlone is the fewest units that may move for which
// levelFromEmpty tries [solver.keepHome], and, if it stands, no more
// candidates.
const keepHomeAlone = 2000

// keepHomeWorth is the largest fraction of the moves of the best
// candidate so far that the fewest moves any plan at the level needs
// ([solver.fewestMoves]) may be for levelFromEmpty to try
// [solver.keepHome].
const keepHomeWorth = 0.9

// fewestMoves returns a lower bound on the voluntary moves of any plan
// that brings every worker with capacity to utilization limit or below
// from the assignment pos, with loads load, where xs are the units that
// may move, heaviest first: each worker above the limit must shed at
// least their heaviest units that cover the excess, one move each. It
// returns -1 if some unit that may move is away from its worker in pos
// (a plan may take that move back) or some worker cannot shed enough.
// The excess is counted to a micro-unit below the limit's, so that
// rounding cannot make the bound exceed what a plan needs.
func (s *solver) fewestMoves(xs, pos []int32, load []int64, limit float64) int {
	need := make([]int64, s.m)
	for j := range s.m {
		if s.capH[j] > 0 {
			need[j] = max(load[j]-(int64(math.Floor(limit/s.inv[j]))+1), 0)
		}
	}
	n := 0
	for _, x := range xs {
		u := &s.units[x]
		if pos[x] != u.orig {
			return -1
		}
		if j := pos[x]; need[j] > 0 {
			need[j] -= u.w
			n++
		}
	}
	for j := range s.m {
		if need[j] > 0 {
			return -1
		}
	}
	return n
}

// limitsHold reports whether every worker keeps their caseload norm
// and, if hard, their capacity: a unit that may go nowhere else is put
// back with its worker whatever their limits, which a candidate must
// not keep.
func (s *solver) limitsHold() bool {
	for j := range s.m {
		if s.norm[j] >= 0 && s.shares[j] > s.normLimit[j] || s.ro.hardCapacity && s.hours[j] > s.hourLimit[j] {
			return false
		}
	}
	return true
}

// placeAnew takes the units xs off their workers and places them again
// in the order given, each on the worker it leaves least full or, if
// its own worker stays at utilization home or below with it, there.
// With home negative every unit goes to the worker left least full.
// Once ctx is done it places no more: the units left stay unplaced, and
// the caller restores a whole assignment. Under hard capacity, the
// workers who lack the room for the unit it places are parked while it
// places ([solver.parkFor]).
func (s *solver) placeAnew(xs []int32, home float64) {
	for k, x := range xs {
		if k%cancelEvery == 0 && s.stopIfDone() {
			return
		}
		s.place(x, -1)
	}
	defer s.unpark()
	for k, x := range xs {
		if k%cancelEvery == 0 && s.stopIfDone() {
			return
		}
		u := &s.units[x]
		s.parkFor(u.h)
		b := u.orig
		if home < 0 || s.capH[b] == 0 || s.after(b, u.w) > home+eps || !s.within(u, b, nil) {
			if b = s.bestTarget(u, -1, 1); b < 0 {
				b = u.orig // no one else may take it: it stays
			}
		}
		s.place(x, b)
	}
}

// returnHome takes back moved held units, lightest first (ties by ID),
// each when its worker stays at utilization level or below with it and
// within their limits: few moves that keep the level, greedily.
func (s *solver) returnHome(level float64) {
	heavy := s.heavyOrder()
	for i := len(heavy) - 1; i >= 0; i-- {
		x := heavy[i]
		u := &s.units[x]
		if u.free || u.pos == u.orig || u.pos < 0 {
			continue
		}
		b := u.orig
		if s.capH[b] > 0 && s.after(b, u.w) <= level+eps && s.within(u, b, nil) {
			s.place(x, b)
		}
	}
}
