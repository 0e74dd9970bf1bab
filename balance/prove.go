package balance

import (
	"fmt"
	"math"
	"slices"
)

// Limits of the proof search: it runs on at most proveUnits units and
// proveWorkers workers, and gives up after proveNodes nodes in all, so
// that its cost stays bounded whatever the input.
const (
	proveUnits   = 40
	proveWorkers = 12
	proveNodes   = 1 << 17
)

// prove tries to prove the current maximum utilization optimal over the
// units movable reports, by branch and bound, and improves the
// assignment on the way when it finds a better one. It reports whether
// it proved the maximum optimal, and sets s.proven.
//
// The search decides, for a target level (the current maximum), whether
// some valid assignment puts every worker strictly below it: if one
// exists it becomes the assignment (polished by the local search with
// minimum gain gain) and the search runs again below it; if none does,
// the maximum is optimal. It looks only at the maximum: which of the
// optimal assignments is kept is left to the local search.
//
// Units go heaviest first, each to one of the workers who may take it
// (a held unit first to the worker who holds it; a free unit only where
// it keeps the limits with no held unit moved, since a placement comes
// with every prefix of the steps); a branch is cut when
// the work left cannot fit in the room left under the target, in all or
// in the room of the workers eligible for a class, or when the fewest
// moves the workers must still make to come under the target exceed
// the move budget (the argument of the bound under a budget, see
// bound.go). Workers who are alike in every rule and load at a node are
// tried once, and units alike in every respect go to workers in
// ascending order. The search is complete but for proveNodes: every
// valid proposal for the units is in its space (valid as Propose's
// proposals are: the hard rules hold, placements hold their limits in
// every prefix of the steps, families together stay together, new
// members join their family's worker when they may), and the cuts only
// remove branches with no assignment below the target.
func (s *solver) prove(movable func(u *unit) bool, gain float64) bool {
	s.proven = false
	if s.cancelled || s.ro.noExact || s.stranded > 0 || s.m > proveWorkers {
		return false
	}
	movable = notStuck(movable)
	var xs []int32
	for x := range s.units {
		u := &s.units[x]
		if s.waits(u) {
			return false // something waits: the other exact search decides what
		}

		if movable(u) && u.pos >= 0 {
			xs = append(xs, int32(x))
		}
	}
	if len(xs) == 0 || len(xs) > proveUnits || s.familyMayMove(xs) {
		return false
	}
	slices.SortFunc(xs, s.heavierFirst)
	p := newProof(s, xs)
	// The local search that polishes a found assignment checks the
	// limits on the plan as a whole; a placement must keep them with no
	// held unit moved (it comes with every prefix of the steps). So when
	// held units may move, the polish leaves the free units where the
	// search put them.
	polish := movable
	if slices.ContainsFunc(xs, func(x int32) bool { return !s.units[x].free }) {
		polish = func(u *unit) bool { return !u.free && movable(u) }
	}
	for !s.cancelled {
		if lb, _ := s.bound(); s.maxUtil() <= lb {
			return true // the bound proves it
		}
		switch p.search(s.maxUtil()) {
		case proofFound:
			was := make([]int32, len(xs))
			for k, x := range xs {
				was[k] = s.units[x].pos
				s.place(x, -1)
			}
			for k, x := range xs {
				s.place(x, p.best[k])
			}
			if !s.withinLimits() {
				// A found assignment must keep every caseload norm and
				// hard capacity; should the search ever break one, keep
				// the plan it started from and claim nothing.
				for _, x := range xs {
					s.place(x, -1)
				}
				for k, x := range xs {
					s.place(x, was[k])
				}
				return false
			}
			s.improve(polish, gain)
		case proofNone:
			s.proven = true
			return true
		default:
			return false
		}
	}
	return false
}

// waits reports whether free unit u is left unplaced though some worker
// holds its skills and has not declined it: which units wait is then a
// choice, which the proof search does not make.
func (s *solver) waits(u *unit) bool {
	if !u.free || u.pos >= 0 || u.stuck || u.hopeless {
		// A hopeless unit's class holds only workers who declined it:
		// asking each of them costs a search of its declines.
		return false
	}
	return slices.ContainsFunc(s.classes[u.class].elig, func(b int32) bool { return !u.declined(b) })
}

// Outcomes of one proof search.
const (
	proofNone  = iota // no assignment below the target: proven
	proofFound        // an assignment below the target, in best
	proofLimit        // the node limit or ctx stopped the search
)

// A proof is the state of the branch and bound over the units xs.
type proof struct {
	s      *solver
	xs     []int32
	cands  [][]int32 // per unit, the workers who may take it; a held unit's own worker first
	same   []bool    // unit k is alike in every respect to unit k-1
	sig    []int32   // per worker, a class of interchangeable workers
	rem    []int64   // rem[k]: the weight of units k and after
	byCl   [][]int64 // per class, the weight of its units from k on: byCl[c][k]
	clElig [][]int32 // per class of the units, its eligible workers
	budget int

	// Per worker: the units they hold among xs (positions, heaviest
	// first) and prefix sums of their weights.
	held    [][]int
	heldPre [][]int64
	// mate[k] is the position of a unit before k of the same family that
	// is with the same worker now, or -1; mateAt[k] is that worker when
	// a unit of the family outside the search is with them, or -1. A
	// family together stays together.
	mate   []int
	mateAt []int32

	base   []int64 // load, shares and hours without the units
	load   []int64
	shares []int64
	hours  []int64
	// freeShares and freeHours are what each worker holds if no held
	// unit moves, with the free units placed so far: a placement comes
	// with every prefix of the steps, so it must keep the limits
	// without the voluntary moves.
	freeShares []int64
	freeHours  []int64
	limit      []int64 // the most load under the target, per worker
	done       []int   // per worker, how many of their held units are decided
	assign     []int32
	best       []int32
	order      [][]int32 // per depth, the candidates in the order tried
	moves      int
	nodes      int
}

// newProof prepares the search over xs, heaviest first.
func newProof(s *solver, xs []int32) *proof {
	n, m := len(xs), s.m
	p := &proof{s: s, xs: xs, budget: s.ro.maxMoves,
		cands: make([][]int32, n), same: make([]bool, n), rem: make([]int64, n+1),
		held: make([][]int, m), heldPre: make([][]int64, m),
		load: make([]int64, m), shares: make([]int64, m), hours: make([]int64, m), base: slices.Clone(s.load),
		freeShares: make([]int64, m), freeHours: make([]int64, m),
		limit: make([]int64, m), done: make([]int, m), assign: make([]int32, n), best: make([]int32, n),
		order: make([][]int32, n)}
	special := make([]bool, m)
	clIndex := map[int32]int{}
	var unitCl []int
	for k, x := range xs {
		u := &s.units[x]
		if u.pos >= 0 {
			p.base[u.pos] -= u.w
		}
		if !u.free {
			p.cands[k] = append(p.cands[k], u.orig)
			p.held[u.orig] = append(p.held[u.orig], k)
			special[u.orig] = true
		}
		for _, b := range s.classes[u.class].elig {
			if b != u.orig && !u.declined(b) {
				p.cands[k] = append(p.cands[k], b)
			}
		}
		for _, d := range u.decl {
			special[d] = true
		}
		if u.prefer >= 0 {
			special[u.prefer] = true
		}
		if k > 0 {
			v := &s.units[xs[k-1]]
			p.same[k] = u.free && v.free && u.w == v.w && u.h == v.h && u.s == v.s && u.class == v.class &&
				len(u.decl) == 0 && len(v.decl) == 0 && u.prefer < 0 && v.prefer < 0
		}
		// Classes for the room check: a held unit whose worker is not
		// eligible for its class may also stay, so it has its own.
		key := u.class
		if !u.free && !s.classes[u.class].has(u.orig) {
			key = -1 - int32(k)
		}
		c, ok := clIndex[key]
		if !ok {
			c = len(p.clElig)
			clIndex[key] = c
			elig := slices.Clone(s.classes[u.class].elig)
			if key < 0 {
				elig = append(elig, u.orig)
			}
			p.clElig = append(p.clElig, elig)
			p.byCl = append(p.byCl, make([]int64, n+1))
		}
		unitCl = append(unitCl, c)
	}
	p.mate, p.mateAt = make([]int, n), make([]int32, n)
	inSearch := map[int32]bool{}
	for _, x := range xs {
		inSearch[x] = true
	}
	firstAt := map[[2]int32]int{} // (family, worker) → first position k
	outside := map[[2]int32]bool{}
	for x := range s.units {
		if u := &s.units[x]; !inSearch[int32(x)] && u.pos >= 0 {
			if g := s.groupOf(u); g >= 0 {
				outside[[2]int32{g, u.pos}] = true
			}
		}
	}
	for k, x := range xs {
		u := &s.units[x]
		p.mate[k], p.mateAt[k] = -1, -1
		g := s.groupOf(u)
		if g < 0 || u.pos < 0 {
			continue
		}
		key := [2]int32{g, u.pos}
		if f, ok := firstAt[key]; ok {
			p.mate[k] = f
		} else {
			firstAt[key] = k
		}
		if outside[key] {
			p.mateAt[k] = u.pos
		}
	}
	for k := n - 1; k >= 0; k-- {
		w := s.units[xs[k]].w
		p.rem[k] = p.rem[k+1] + w
		for c := range p.byCl {
			p.byCl[c][k] = p.byCl[c][k+1]
		}
		p.byCl[unitCl[k]][k] += w
	}
	for j := range m {
		pre := []int64{0}
		for _, k := range p.held[j] {
			pre = append(pre, pre[len(pre)-1]+s.units[xs[k]].w)
		}
		p.heldPre[j] = pre
	}
	// Workers alike in capacity, classes and limits, and named by no
	// unit, are interchangeable.
	p.sig = make([]int32, m)
	sigs := map[string]int32{}
	for j := range m {
		key := fmt.Sprint(j)
		if !special[j] {
			key = fmt.Sprint(s.capM[j], s.canTake[j], s.classOf[j], s.norm[j], s.normLimit[j], s.hourLimit[j])
		}
		id, ok := sigs[key]
		if !ok {
			id = int32(len(sigs))
			sigs[key] = id
		}
		p.sig[j] = id
	}
	return p
}

// search looks for an assignment of the units with every worker's
// utilization strictly below target, beyond the objective's rounding.
func (p *proof) search(target float64) int {
	s := p.s
	level := target - 1e-9
	for j := range s.m {
		p.load[j] = p.base[j]
		p.shares[j] = s.shares[j]
		p.hours[j] = s.hours[j]
		p.done[j] = 0
		if s.capH[j] == 0 {
			p.limit[j] = p.base[j] // takes nothing
			continue
		}
		// Room for every unit is as good as more, and keeps a giant
		// capacity from overflowing int64 below.
		if most := p.base[j] + p.rem[0]; level/s.inv[j] > float64(most)+1 {
			p.limit[j] = most
			continue
		}
		l := int64(math.Floor(level / s.inv[j]))
		for l > 0 && float64(l)*s.inv[j] >= level {
			l--
		}
		for float64(l+1)*s.inv[j] < level {
			l++
		}
		p.limit[j] = l
		if p.base[j] > l {
			return proofNone // fixed load alone is at the target
		}
	}
	for _, x := range p.xs {
		u := &s.units[x]
		if u.pos >= 0 {
			p.shares[u.pos] -= u.s
			p.hours[u.pos] -= u.h
		}
	}
	copy(p.freeShares, p.shares)
	copy(p.freeHours, p.hours)
	for _, x := range p.xs {
		if u := &s.units[x]; !u.free {
			p.freeShares[u.orig] += u.s
			p.freeHours[u.orig] += u.h
		}
	}
	p.moves = 0
	return p.dfs(0)
}

// dfs assigns unit k and those after it.
func (p *proof) dfs(k int) int {
	s := p.s
	p.nodes++
	// ctx is looked at every 1,024 nodes: checkCancel, which looks on
	// every 256th call, would look every 262,144, past the node limit.
	if p.nodes > proveNodes || (p.nodes%1024 == 0 && s.stopIfDone()) || s.cancelled {
		return proofLimit
	}
	if k == len(p.xs) {
		if !p.familiesKept() {
			return proofNone
		}
		copy(p.best, p.assign)
		return proofFound
	}
	if !p.fits(k) {
		return proofNone
	}
	x := p.xs[k]
	u := &s.units[x]
	order := p.order[k][:0]
	for _, b := range p.cands[k] {
		if p.load[b]+u.w > p.limit[b] {
			continue
		}
		if s.norm[b] >= 0 && p.shares[b]+u.s > s.normLimit[b] {
			continue
		}
		if s.ro.hardCapacity && p.hours[b]+u.h > s.hourLimit[b] {
			continue
		}
		if u.free && (s.norm[b] >= 0 && p.freeShares[b]+u.s > s.normLimit[b] ||
			s.ro.hardCapacity && p.freeHours[b]+u.h > s.hourLimit[b]) {
			continue // not without the voluntary moves
		}
		if p.same[k] && b < p.assign[k-1] {
			continue
		}
		if p.alikeTried(order, b) {
			continue
		}
		order = append(order, b)
	}
	// A held unit tries its own worker first, then the emptiest after.
	first := 0
	if !u.free && len(order) > 0 && order[0] == u.orig {
		first = 1
	}
	rest := order[first:]
	slices.SortStableFunc(rest, func(a, b int32) int {
		return cmpFloat(float64(p.load[a]+u.w)*s.inv[a], float64(p.load[b]+u.w)*s.inv[b])
	})
	p.order[k] = order
	for _, b := range order {
		moved := !u.free && b != u.orig
		if moved {
			if p.budget >= 0 && p.moves+1 > p.budget {
				continue
			}
			p.moves++
		}
		if !u.free {
			p.done[u.orig]++
		}
		p.load[b] += u.w
		p.shares[b] += u.s
		p.hours[b] += u.h
		if u.free {
			p.freeShares[b] += u.s
			p.freeHours[b] += u.h
		}
		p.assign[k] = b
		r := p.dfs(k + 1)
		p.load[b] -= u.w
		p.shares[b] -= u.s
		p.hours[b] -= u.h
		if u.free {
			p.freeShares[b] -= u.s
			p.freeHours[b] -= u.h
		}
		if !u.free {
			p.done[u.orig]--
		}
		if moved {
			p.moves--
		}
		if r != proofNone {
			return r
		}
	}
	return proofNone
}

// alikeTried reports whether a worker alike to b in every rule and in
// load is among tried.
func (p *proof) alikeTried(tried []int32, b int32) bool {
	for _, a := range tried {
		if p.sig[a] == p.sig[b] && p.load[a] == p.load[b] && p.shares[a] == p.shares[b] && p.hours[a] == p.hours[b] {
			return true
		}
	}
	return false
}

// fits reports whether units k and after may still fit under the
// target: in the room of all workers, in the room of the workers
// eligible for each class, and within the move budget.
func (p *proof) fits(k int) bool {
	s := p.s
	var room int64
	for j := range s.m {
		if r := p.limit[j] - p.load[j]; r > 0 {
			room += r
		}
	}
	if room < p.rem[k] {
		return false
	}
	for c, elig := range p.clElig {
		need := p.byCl[c][k]
		if need == 0 {
			continue
		}
		var r int64
		for _, j := range elig {
			if d := p.limit[j] - p.load[j]; d > 0 {
				r += d
			}
		}
		if r < need {
			return false
		}
	}
	if p.budget < 0 {
		return true
	}
	// Each worker must still shed the excess of what they hold over
	// their room, with the fewest of their undecided units at least.
	need := p.moves
	for j := range s.m {
		pre := p.heldPre[j]
		d := p.done[j]
		undecided := pre[len(pre)-1] - pre[d]
		excess := p.load[j] + undecided - p.limit[j]
		if excess <= 0 {
			continue
		}
		r, ok := slices.BinarySearch(pre[d:], pre[d]+excess)
		if !ok && r == len(pre)-d {
			return false
		}
		if need += r; need > p.budget {
			return false
		}
	}
	return true
}

// familiesKept reports whether the assignment keeps the family rules
// the placement keeps: a family together now stays together, and a
// family's new members go to the worker who holds the family when that
// worker may take them.
func (p *proof) familiesKept() bool {
	s := p.s
	for k := range p.xs {
		if m := p.mate[k]; m >= 0 && p.assign[k] != p.assign[m] {
			return false
		}
		if a := p.mateAt[k]; a >= 0 && p.assign[k] != a {
			return false
		}
	}
	for k, x := range p.xs {
		u := &s.units[x]
		if !u.free || u.prefer < 0 || p.assign[k] == u.prefer {
			continue
		}
		b := u.prefer
		if s.canTake[b] && s.classes[u.class].has(b) && !u.declined(b) &&
			(s.norm[b] < 0 || p.shares[b]+u.s <= s.normLimit[b]) && (!s.ro.hardCapacity || p.hours[b]+u.h <= s.hourLimit[b]) {
			return false
		}
	}
	return true
}

// cmpFloat orders floats, for sorting.
func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// withinLimits reports whether every worker keeps their caseload norm
// and, with hard capacity, their capacity, as the solver's limits have
// them (the larger of the limit and what they held at the start).
func (s *solver) withinLimits() bool {
	for b := range s.m {
		if s.norm[b] >= 0 && s.shares[b] > s.normLimit[b] {
			return false
		}
		if s.ro.hardCapacity && s.hours[b] > s.hourLimit[b] {
			return false
		}
	}
	return true
}

// familyMayMove reports whether one of the units xs holds cases of a
// family whose new members wait to follow it: the proof keeps new
// members with the worker who held the family at the start, so were the
// family itself to move, it could split a family that placement keeps
// whole.
func (s *solver) familyMayMove(xs []int32) bool {
	waiting := map[string]bool{}
	for x := range s.units {
		if u := &s.units[x]; u.free && u.prefer >= 0 {
			waiting[s.t.cases[u.cases[0]].Group] = true
		}
	}
	if len(waiting) == 0 {
		return false
	}
	for _, x := range xs {
		if u := &s.units[x]; !u.free && waiting[s.t.cases[u.cases[0]].Group] {
			return true
		}
	}
	return false
}
