package balance

import (
	"math"
	"slices"

	"github.com/caseload/caseload/internal/maxflow"
)

// The lower bound on the best achievable maximum utilization.
//
// The bound relaxes the problem to a flow: units of work may be split
// over workers. Units with the same required skills form one class
// node, so the network has a node per class and per worker, not per
// case: a few thousand edges even for 150,000 cases. For a level T,
// source → class c carries the class's total weight, class → eligible
// worker is unbounded, and worker j → sink carries what j can take
// while staying at or below T: T·c_j minus the load fixed on j (pinned
// cases, and cases that may not move). If the maximum flow does not
// carry all the weight, no assignment reaches T, so the optimum is
// above T. Binary search finds the threshold.
//
// Loads are whole micro-hours, so a worker's room at level T is
// ⌊T·c_j − F_j⌋ micro-hours and only changes at the breakpoints
// (F_j + k)/c_j; below the next breakpoint above an infeasible level
// nothing changes, which lifts the bound to that breakpoint. When all
// weights share a larger unit g (quarter hours, minutes), the room is
// rounded down to whole units of g, which lifts it further and often
// proves a proposal optimal.
//
// Two simple bounds join it: the highest fixed load, and the heaviest
// unit on the best worker that may take it.
//
// Declines and caseload norms are relaxed (ignored), and so is the move
// budget when held cases may move at all; the result names what was
// relaxed, so that a gap under a move budget is read correctly. Under a
// budget of k a second bound holds without relaxing it (budgetBound,
// below): each worker keeps at least their load less their k heaviest
// movable units. It decides when the budget, not skills or capacity, is
// what keeps the fullest worker full.

// bound computes the proven lower bound for the proposal, and names
// what it relaxes.
func (s *solver) bound() (float64, []string) {
	if c := s.boundCache; c != nil && c.version == s.placedVersion {
		return c.value, c.relaxed
	}
	v, r := s.computeBound()
	s.boundCache = &cachedBound{version: s.placedVersion, value: v, relaxed: r}
	return v, r
}

// computeBound builds the flow bound's input from the units placed, and
// computes it. Where the units are does not matter, only which.
func (s *solver) computeBound() (float64, []string) {
	in := &boundInput{cap: s.capH, fixed: slices.Clone(s.fixed), stop: s.stopIfDone}
	movesAllowed := s.ro.maxMoves != 0
	// Which units the bound may place, and the shares that stay put.
	room := slices.Clone(s.shares)
	var xs []int32
	for x := range s.units {
		u := &s.units[x]
		if u.pos < 0 || u.stuck {
			continue // unplaced: not part of what is bounded
		}
		if !u.free && !movesAllowed {
			in.fixed[u.orig] += u.w
			continue
		}
		room[u.pos] -= u.s
		xs = append(xs, int32(x))
	}
	for j := range s.m {
		room[j] = s.normLimit[j] - room[j]
	}
	// A worker whose caseload norm leaves no room for even the smallest
	// unit of a class takes none of it: leaving them out of the class
	// keeps the bound proven and makes it tighter.
	minShare := map[int32]int64{}
	for _, x := range xs {
		u := &s.units[x]
		if v, ok := minShare[u.class]; !ok || u.s < v {
			minShare[u.class] = u.s
		}
	}
	key := map[[2]int32]int32{}
	anyDecl, normsBind := false, false
	for _, x := range xs {
		u := &s.units[x]
		anyDecl = anyDecl || len(u.decl) > 0
		cl := &s.classes[u.class]
		// A held unit may also stay with its worker, even one who takes
		// no new work: that worker joins its class in the bound.
		extra := int32(-1)
		if !u.free && !cl.has(u.orig) {
			extra = u.orig
		}
		k := [2]int32{u.class, extra}
		c, ok := key[k]
		if !ok {
			c = int32(len(in.demand))
			key[k] = c
			var elig []int32
			for _, j := range cl.elig {
				if s.norm[j] >= 0 && room[j] < minShare[u.class] {
					continue
				}
				if s.norm[j] >= 0 {
					normsBind = true
				}
				elig = append(elig, j)
			}
			if extra >= 0 {
				elig = append(elig, extra)
			}
			in.eligible = append(in.eligible, elig)
			in.demand = append(in.demand, 0)
		}
		in.demand[c] += u.w
		in.unitW = append(in.unitW, u.w)
		in.unitC = append(in.unitC, c)
	}
	var relaxed []string
	if anyDecl {
		relaxed = append(relaxed, "declines")
	}
	if normsBind {
		relaxed = append(relaxed, "caseload norms")
	}
	if s.ro.hardCapacity {
		relaxed = append(relaxed, "hard capacity")
	}
	flow, budget := lowerBound(in), s.budgetBound()
	if budget >= flow {
		// The move budget's own bound decides; the flow's relaxations
		// do not matter.
		return budget, nil
	}
	if s.ro.maxMoves > 0 {
		relaxed = append(relaxed, "move budget")
	}
	return flow, relaxed
}

// budgetBound is a lower bound that a move budget of k gives: no
// proposal takes more than k units off any one worker, so each worker
// keeps at least what they hold now but their k heaviest movable units
// (cases they may receive only add). It is 0 without a budget.
func (s *solver) budgetBound() float64 {
	k := s.ro.maxMoves
	if k <= 0 {
		return 0
	}
	kept := slices.Clone(s.fixed)
	movable := make([][]int64, s.m)
	for x := range s.units {
		if u := &s.units[x]; !u.free {
			kept[u.orig] += u.w
			if !u.anchored && !u.stuck {
				movable[u.orig] = append(movable[u.orig], u.w)
			}
		}
	}
	lb := 0.0
	for j := range s.m {
		if s.capH[j] == 0 {
			continue
		}
		ws := movable[j]
		slices.Sort(ws)
		for i := len(ws) - 1; i >= 0 && i >= len(ws)-k; i-- {
			kept[j] -= ws[i]
		}
		lb = math.Max(lb, float64(kept[j])*s.inv[j])
	}
	return lb
}

// boundInput is what the bound needs: workers' capacities (hours) and
// fixed loads (micro), and the movable units by class.
type boundInput struct {
	cap   []float64
	fixed []int64
	// classes lists, per class, the workers it may go to and its total
	// weight; units lists each unit's weight and class, for the
	// heaviest-unit bound and the unit g.
	eligible [][]int32
	demand   []int64
	unitW    []int64
	unitC    []int32
	// stop, if not nil, reports whether to stop bisecting: the bound
	// is then the highest level proven infeasible so far.
	stop func() bool
}

// lowerBound returns a proven lower bound on the maximum utilization of
// any assignment of the units. It does not look at the proposal, so
// that tests can hold it against an optimum found by brute force.
func lowerBound(in *boundInput) float64 {
	m := len(in.cap)
	lb := 0.0
	for j := range m {
		if in.cap[j] > 0 {
			lb = math.Max(lb, float64(in.fixed[j])/(in.cap[j]*micro))
		}
	}
	// The heaviest unit of each class: min_j (F_j + w)/c_j grows with
	// w, so within a class the heaviest unit gives the largest bound.
	var g, total int64
	heaviest := make([]int64, len(in.demand))
	for u, w := range in.unitW {
		g = gcd(g, w)
		heaviest[in.unitC[u]] = max(heaviest[in.unitC[u]], w)
		total += w
	}
	for c, w := range heaviest {
		best := math.Inf(1)
		for _, j := range in.eligible[c] {
			if in.cap[j] == 0 {
				best = 0 // it may stay with a worker outside the maximum
				break
			}
			best = math.Min(best, float64(in.fixed[j]+w)/(in.cap[j]*micro))
		}
		if !math.IsInf(best, 1) {
			lb = math.Max(lb, best)
		}
	}
	if g <= 0 {
		g = 1
	}
	if total == 0 {
		return lb
	}
	// At hi any worker with capacity has room for all the movable load,
	// so the relaxation is feasible there.
	hi := lb
	for j := range m {
		if in.cap[j] > 0 {
			hi = math.Max(hi, float64(in.fixed[j]+total)/(in.cap[j]*micro))
		}
	}

	// The network: source 0, classes 1..k, workers k+1..k+m, sink k+m+1.
	k := len(in.demand)
	s, t := int32(0), int32(k+m+1)
	edges := k + m
	for _, e := range in.eligible {
		edges += len(e)
	}
	f := maxflow.New(k+m+2, edges)
	for c := range k {
		f.AddEdge(s, int32(1+c), in.demand[c])
		for _, j := range in.eligible[c] {
			f.AddEdge(int32(1+c), int32(1+k+int(j)), in.demand[c])
		}
	}
	sink := make([]int32, m)
	for j := range m {
		sink[j] = f.AddEdge(int32(1+k+j), t, 0)
	}

	// room returns worker j's room at level T, in micro-hours, rounded
	// down to whole units of g.
	room := func(j int, T float64) int64 {
		r := math.Floor(T*in.cap[j]*micro) - float64(in.fixed[j])
		if r <= 0 {
			return 0
		}
		return int64(r) / g * g
	}
	feasible := func(T float64) bool {
		var sum int64
		for j := range m {
			r := total // a worker without capacity is outside the maximum
			if in.cap[j] > 0 {
				r = room(j, T)
			}
			f.SetCapacity(sink[j], r)
			sum += r
		}
		return sum >= total && f.MaxFlow(s, t, total) >= total
	}
	if feasible(lb) {
		return lb
	}
	if !feasible(hi) {
		// Only a unit with nowhere to go could cause this, and such
		// units are not bounded; fall back to the simple bounds.
		return lb
	}
	lo := lb
	for range 60 {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi || (hi-lo) <= 1e-12*hi || in.stop != nil && in.stop() {
			break
		}
		if feasible(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	// lo is infeasible, and nothing changes until some worker's room
	// grows by a unit: the smallest breakpoint above lo is a bound.
	next := hi
	for j := range m {
		if in.cap[j] <= 0 {
			continue
		}
		units := (int64(math.Floor(lo*in.cap[j]*micro)) - in.fixed[j]) / g
		if units < 0 {
			units = 0
		}
		bp := float64(in.fixed[j]+(units+1)*g) / (in.cap[j] * micro)
		if bp > lo {
			next = math.Min(next, bp)
		}
	}
	return math.Max(lo, next)
}

// gcd returns the greatest common divisor of a and b, by Euclid's
// algorithm; gcd(0, b) is b.
func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
