package balance

import (
	"cmp"
	"iter"
	"math"
	"slices"
	"sort"

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
// above T. Binary search finds the threshold. It first bisects on the
// sum of the rooms alone, which cannot carry the weight below the level
// where it first reaches it: a sum costs O(m) where a flow costs far
// more, and where skills do not bind one flow there settles the bound.
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
// Declines and caseload norms are relaxed (ignored); the result names
// what was relaxed, so that a gap is read correctly. Without a move
// limit held units go into the flow like free ones.
//
// # Under a move budget
//
// Under a budget of k voluntary moves the flow changes, and a count of
// moves joins it. At level T let room_j be worker j's room as above,
// H_j the weight of the movable units j holds, and e_j = H_j − room_j;
// the workers with e_j > 0 are above T. A unit of j may leave (at T) if
// some other worker eligible for its class who did not decline it has
// room for it whole: room_i ≥ w. The check at T passes only if
//
//  1. m_j, the fewest of j's units that may leave whose weights sum to
//     at least e_j, exists for every worker with capacity, and
//     M = Σ_j m_j ≤ k;
//  2. the flow carries all the weight in the network where held units
//     enter at their worker's node jt, which sends them either to j
//     itself (staying, up to H_j) or through leave_j (capacity S_j, the
//     sum of j's m_j + k − M heaviest units that fit whole in some
//     other worker of their class, declines aside) to their class node
//     (edge leave_j → c of capacity S_jc, the sum of j's m_j + k − M
//     heaviest units of class c that so fit), and so to any worker
//     eligible for the class;
//  3. for some R from 0 to k − M (the moves off workers not above T),
//     the count n_j of each worker above T, starting at m_j, settles
//     within k − R, where a round sets s = k − R − Σ n, lets each
//     worker i receive at most recv_i = room_i − (H_i less the weight
//     of i's l_i heaviest units), l_i = n_i + s above T and R
//     otherwise, and raises n_j to the fewest of j's units that weigh
//     at least e_j when each fits whole in some other eligible worker's
//     recv (who did not decline it) and those of class c weigh at most
//     cap_jc = Σ recv_i over the other workers eligible for c. The
//     most r such units weigh is found greedily: per class, the gains
//     of its units heaviest first, capped by cap_jc, do not grow, so
//     taking the largest gain of any class r times is best (a sum of
//     concave functions under a count). After moreIterations rounds in
//     all, the check passes.
//
// Proof that the check passes at every T ≥ OPT_k, the least maximum
// utilization of a plan with at most k moves: take such a plan P with
// maximum at most T, and let p_j be the units P moves off j. Loads are
// whole micro-units and every unit's weight is a multiple of g, so what
// j keeps and receives of the movable units is at most room_j: j sends
// away held weight of at least e_j, one move per unit (a family held
// by one worker is one unit and one move), and each unit P moves lands
// whole on another worker eligible for its class who did not decline
// it, and fits in their room: it may leave. No r of j's units that may
// leave weigh more than its r heaviest, so p_j ≥ m_j, and these must
// exist: M ≤ Σ p_j ≤ k, which is (1). P then moves at most
// k − (M − m_j) units off j, each of which fits whole in some other
// worker of its class: they weigh at most S_j, and those of class c
// among them at most S_jc. Routing each unit as P places it
// (staying units jt → j, moved ones jt → leave_j → class → their new
// worker, free units source → class → worker) respects every capacity
// of the network, because P respects skills (declines and norms are
// relaxed in the flow) and its loads are within room: (2) holds. For
// (3) take R = the moves P makes off workers not above T, at most
// k − M. By induction on the rounds n_j ≤ p_j for every j above T: so
// it starts, and if so, p_j ≤ k − R − Σ_{l≠j} p_l ≤ n_j + s; every
// worker i not above T moves at most R units. So i keeps at least H_i
// less their l_i heaviest units and receives at most recv_i; the units
// P moves off j each fit some other eligible worker's recv, and those
// of class c weigh at most cap_jc, since each receiver takes at most
// recv_i of all classes; p_j of them weigh at least e_j, so p_j is at
// least the greedy count. Then Σ n + R ≤ Σ p ≤ k in every round: R
// settles, and (3) holds. Rooms only grow with T, so the counts only
// fall and the capacities only grow; whether or not the check is
// monotone, a level where it fails is below OPT_k, and so is every
// level up to the next breakpoint, where no room changes: bisection
// with the breakpoint step above finds a proven lower bound on OPT_k.
// Without a budget constraints (1) and (3) are empty and S_j = H_j,
// which is the plain flow.

// bound computes the proven lower bound for the proposal, and names
// what it relaxes. It is cached: a change of placedVersion since costs
// a comparison of which units are placed, O(n) for n units, and a new
// bound only if they differ. A search that takes units off and puts
// them back (the target method, the shed search) changes the version
// and not the units placed: on the skewed 25×260 team under a budget
// of 30 moves, Propose computed the same bound three times, 15% of its
// instructions.
func (s *solver) bound() (float64, []string) {
	c := s.boundCache
	if c != nil && c.version == s.placedVersion {
		return c.value, c.relaxed
	}
	placed := s.placedSet(nil)
	if c != nil && slices.Equal(c.placed, placed) {
		c.version = s.placedVersion
		return c.value, c.relaxed
	}
	v, r := s.computeBound()
	s.boundCache = &cachedBound{version: s.placedVersion, placed: placed, value: v, relaxed: r}
	return v, r
}

// placedSet returns buf, grown as needed, holding the set of units
// placed, one bit per unit, and the number of units past them.
func (s *solver) placedSet(buf []uint64) []uint64 {
	n := (len(s.units) + 63) / 64
	buf = append(buf[:0], make([]uint64, n+1)...)
	for x := range s.units {
		if s.units[x].pos >= 0 {
			buf[x/64] |= 1 << (x % 64)
		}
	}
	buf[n] = uint64(len(s.units))
	return buf
}

// computeBound builds the flow bound's input from the units placed, and
// computes it. Where the units are does not matter, only which.
func (s *solver) computeBound() (float64, []string) {
	if s.stopIfDone() {
		// Stopped: the bound of the loads that cannot move, proven
		// and cheap; the input below costs a map look-up per unit.
		return lowerBound(&boundInput{cap: s.capH, fixed: s.fixed}), nil
	}
	in, relaxed := s.boundInput()
	in.hint = s.maxUtil()
	return lowerBound(in), relaxed
}

// boundInput returns the bound's input for the units placed, and names
// what the bound relaxes.
func (s *solver) boundInput() (*boundInput, []string) {
	in := &boundInput{cap: s.capH, fixed: slices.Clone(s.fixed), budget: -1, stop: s.stopIfDone}
	movesAllowed := s.ro.maxMoves != 0
	if s.ro.maxMoves > 0 {
		in.budget = s.ro.maxMoves
		in.held = make([][]heldUnit, s.m)
	}
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
	node := make([]int32, len(s.classes)) // per class, its node + 1, or 0
	held := map[[2]int32]int32{}          // per class and holder, their node
	anyDecl, normsBind := false, false
	// classNode returns the node of class cl, added at its first call:
	// its workers are the class's, less those whose caseload norm
	// leaves no room for its smallest unit.
	classNode := func(cl int32) int32 {
		if node[cl] > 0 {
			return node[cl] - 1
		}
		c := int32(len(in.demand))
		node[cl] = c + 1
		var elig []int32
		for _, j := range s.classes[cl].elig {
			if s.norm[j] >= 0 && room[j] < minShare[cl] {
				continue
			}
			if s.norm[j] >= 0 {
				normsBind = true
			}
			elig = append(elig, j)
		}
		in.eligible = append(in.eligible, elig)
		in.demand = append(in.demand, 0)
		in.via = append(in.via, -1)
		return c
	}
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
		c := classNode(u.class)
		if extra >= 0 {
			// Its own node, which goes through the class's node to the
			// class's workers, where a copy of their list for every
			// worker who holds such units made the network as large as
			// the team times those workers (half a team without
			// capacity holding cases of 50 skills: a million edges at
			// 2,000 workers).
			k := [2]int32{u.class, extra}
			if own, ok := held[k]; ok {
				c = own
			} else {
				held[k] = int32(len(in.demand))
				in.eligible = append(in.eligible, []int32{extra})
				in.demand = append(in.demand, 0)
				in.via = append(in.via, c)
				c = held[k]
			}
		}
		if in.budget > 0 && !u.free {
			d := int32(-1)
			if len(u.decl) > 0 {
				d = int32(len(in.decl))
				in.decl = append(in.decl, u.decl)
			}
			in.held[u.orig] = append(in.held[u.orig], heldUnit{w: u.w, c: c, d: d})
		} else {
			in.demand[c] += u.w
		}
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
	return in, relaxed
}

// A heldUnit is a unit that a worker holds, under a move budget: its
// weight in micro-units and its class node in the bound's network.
type heldUnit struct {
	w int64
	c int32
	d int32 // its index in boundInput.decl, or -1 if nobody declined it
}

// boundInput is what the bound needs: workers' capacities (hours) and
// fixed loads (micro), and the movable units by class.
type boundInput struct {
	cap   []float64
	fixed []int64
	// classes lists, per class, the workers it may go to (besides
	// those of its via class) and its total weight; units lists each
	// unit's weight and class, for the heaviest-unit bound and the unit
	// g.
	eligible [][]int32
	demand   []int64
	// via, if not nil, lists per class another class, or -1: a class
	// with via[c] >= 0 may also go to every worker of class via[c],
	// whose own via is -1 and whose index is lower, and the network
	// routes it through that class's node. Nil means -1 for every
	// class.
	via   []int32
	unitW []int64
	unitC []int32
	// budget is the move budget, or -1 for none. Under a budget, held
	// lists per worker the units they hold that may move (the bound
	// sorts each list in place); their weight is not in demand.
	budget int
	held   [][]heldUnit
	// decl lists the workers who declined a held unit, ascending, for
	// the units whose d is set.
	decl [][]int32
	// hint is a level the relaxation may well place everything at,
	// such as the maximum utilization of the proposal, or 0: the
	// bisection starts from it, having asked the flow.
	hint float64
	// stop, if not nil, reports whether to stop: the bound is then the
	// highest level proven infeasible so far, or, if it stops before
	// the network is built, the bound of the heaviest units.
	stop func() bool
}

// workers returns the workers class c may go to: its own, then those
// of the class it goes through, if any.
func (in *boundInput) workers(c int) iter.Seq[int32] {
	return func(yield func(int32) bool) {
		for _, j := range in.eligible[c] {
			if !yield(j) {
				return
			}
		}
		if c < len(in.via) && in.via[c] >= 0 {
			for _, j := range in.eligible[in.via[c]] {
				if !yield(j) {
					return
				}
			}
		}
	}
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
		for j := range in.workers(c) {
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
	if total == 0 || in.stop != nil && in.stop() {
		// Stopped: the simple bounds stand, without the network, whose
		// first two flows cost as much as the bisection's steps.
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

	net := newBoundNet(in, total, g)
	if net.feasible(lb) {
		return lb
	}
	lo := lb
	hiChecked := false
	stopped := in.stop != nil && in.stop()
	// Below the level where the rooms add up to the movable load no
	// flow carries it. Finding that level costs a sum of rooms a step,
	// where a step of the bisection below costs a flow; where skills
	// do not bind, the flow passes at the first level where the sum
	// does, and one flow settles a bound that took 20 (many-skills at
	// national size: 0.55 s of 1.5).
	if sLo, sHi := net.sumLevel(lo, hi); sLo > lo {
		lo = sLo
		if sHi < hi && !stopped {
			if net.feasible(sHi) {
				hi, hiChecked = sHi, true
			} else {
				lo = sHi
			}
		}
	}
	// The level of the proposal, if the relaxation places everything
	// there, brackets the bound far closer than hi: at national size
	// hi was 8,000 times the level, a dozen more steps of bisection.
	// The hint is raised by a billionth: at the proposal's own level a
	// worker's room, rounded down, may fall a unit short. If the flow
	// does not place everything there, nothing is learnt: the
	// relaxation may leave out what the proposal does (a worker above
	// their norm keeping a case).
	if h := in.hint * (1 + 1e-9); !hiChecked && h > lo && h < hi && !stopped && net.feasible(h) {
		hi, hiChecked = h, true
	}
	if !hiChecked && !net.feasible(hi) {
		// Only a unit with nowhere to go could cause this, and such
		// units are not bounded; fall back to the simple bounds.
		return lb
	}
	for range 60 {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi || (hi-lo) <= 1e-12*hi || in.stop != nil && in.stop() {
			break
		}
		if net.feasible(mid) {
			hi = mid
		} else {
			lo = mid
		}
		if lo > lb && !net.roomGrows(lo, hi) {
			// No room changes from lo up to hi: every level in
			// between is as infeasible as lo, and bisecting on to a
			// billionth (53 flows at national size, 14 ms each)
			// would end at hi.
			break
		}
	}
	// lo is infeasible, and nothing changes until some worker's room
	// grows by a unit: the smallest breakpoint above lo is a bound,
	// (F_j + k·g)/c_j, a rational as a plan's level is. It is taken as
	// it comes, even a hair above hi: hi passed with its rooms rounded
	// up by a trillionth ([boundNet.room]), so a breakpoint may sit that
	// far above it, and capping it at hi gave a bound of
	// 0.9904596874996612 beside a breakpoint of 0.9904596875. A
	// breakpoint farther above hi cannot be (the rooms at hi would be
	// those at lo, and lo is infeasible); should one come, lo stands.
	next := net.nextBreakpoint(lo, math.Inf(1))
	if next > hi*(1+1e-9) {
		next = lo
	}
	return math.Max(lo, next)
}

// sumLevel bisects between lo, where the relaxation fails, and hi,
// where it holds, on the sum of the workers' rooms alone: it returns
// the highest level it found where the rooms add up to less than the
// movable load, so that no flow can carry it, and the lowest where
// they add up to at least that load. It stops as the flow's bisection
// does: at a billionth, or when no room grows between the two.
func (n *boundNet) sumLevel(lo, hi float64) (float64, float64) {
	for range 60 {
		mid := lo + (hi-lo)/2
		if mid <= lo || mid >= hi || (hi-lo) <= 1e-12*hi {
			break
		}
		if n.roomSum(mid) >= n.total {
			hi = mid
		} else {
			lo = mid
		}
		if !n.roomGrows(lo, hi) {
			break
		}
	}
	return lo, hi
}

// roomSum returns the sum of the workers' rooms at level T, in
// micro-hours, capped at the movable load, as [boundNet.feasible]
// counts them: a worker without capacity, outside the maximum, has room
// for all the movable load.
func (n *boundNet) roomSum(T float64) int64 {
	var sum int64
	for j := range n.rooms {
		if sum >= n.total {
			// Enough.
			return sum
		}
		r := n.total
		if n.in.cap[j] > 0 {
			r = n.room(j, T)
		}
		// Each room is at most the total, so that the sum, capped at
		// it, cannot overflow, however many rooms there are and
		// however near the total comes to what an int64 holds.
		sum = min(sum, n.total-r) + r
	}
	return sum
}

// roomGrows reports whether some worker's room at a level in [lo, hi)
// may be larger than at lo. A level that is itself a breakpoint (the
// bisection's midpoints often are: lb and hi are) may get a room a
// unit short, rounded down: the next breakpoint then comes out at lo,
// and counts as a change.
func (n *boundNet) roomGrows(lo, hi float64) bool {
	for j, c := range n.in.cap {
		if c <= 0 {
			continue
		}
		r := n.room(j, lo)
		if r >= n.total {
			continue // room for everything: no more to grow
		}
		if bp := float64(n.in.fixed[j]+(r/n.g+1)*n.g) / (c * micro); bp < hi {
			return true
		}
	}
	return false
}

// nextBreakpoint returns the lowest level above lo at which some
// worker's room grows by a unit, or hi if none is below it.
func (n *boundNet) nextBreakpoint(lo, hi float64) float64 {
	next := hi
	for j, c := range n.in.cap {
		if c <= 0 {
			continue
		}
		units := n.room(j, lo) / n.g
		bp := float64(n.in.fixed[j]+(units+1)*n.g) / (c * micro)
		if bp > lo {
			next = math.Min(next, bp)
		}
	}
	return next
}

// A boundNet is the bound's network for one input, whose capacities
// are set for a level at a time.
type boundNet struct {
	in       *boundInput
	f        *maxflow.Network
	s, t     int32
	sink     []int32
	bw       *budgetNet
	rooms    []int64
	total, g int64
}

// newBoundNet builds the network of in, whose movable units weigh total
// in all and share the unit g: source 0, classes 1..k, workers
// k+1..k+m, sink k+m+1, and under a budget a pair of nodes (jt,
// leave_j) for each worker who holds movable units.
func newBoundNet(in *boundInput, total, g int64) boundNet {
	m, k := len(in.cap), len(in.demand)
	s, t := int32(0), int32(k+m+1)
	inflow := slices.Clone(in.demand) // what may reach each class node
	var bw *budgetNet
	nodes, edges := k+m+2, k+m
	if in.budget >= 0 {
		bw = newBudgetNet(in, inflow)
		nodes += 2 * len(bw.workers)
		edges += bw.edges
	}
	for c, e := range in.eligible {
		edges += len(e)
		if c < len(in.via) && in.via[c] >= 0 {
			edges++
			inflow[in.via[c]] += inflow[c]
		}
	}
	f := maxflow.New(nodes, edges)
	for c := range k {
		f.AddEdge(s, int32(1+c), in.demand[c])
		for _, j := range in.eligible[c] {
			f.AddEdge(int32(1+c), int32(1+k+int(j)), inflow[c])
		}
		if c < len(in.via) && in.via[c] >= 0 {
			f.AddEdge(int32(1+c), 1+in.via[c], inflow[c])
		}
	}
	sink := make([]int32, m)
	for j := range m {
		sink[j] = f.AddEdge(int32(1+k+j), t, 0)
	}
	if bw != nil {
		bw.build(f, s, int32(k+m+2), func(j int32) int32 { return int32(1 + k + int(j)) }, func(c int32) int32 { return 1 + c })
	}
	return boundNet{in: in, f: f, s: s, t: t, sink: sink, bw: bw, rooms: make([]int64, m), total: total, g: g}
}

// room returns worker j's room at level T, in micro-hours, rounded
// down to whole units of g. Room for all the movable load is as good
// as more, and keeps a giant capacity at a high level from
// overflowing int64 (a conversion out of range gives a negative room).
//
// The product T·c_j is rounded up by a trillionth before the floor: at
// the level of a plan, T = L_j/c_j, it comes out a hair below L_j
// (3.5e-5 × 10^11 µh is 3,499,999.9999999995), and the floor then took
// a whole unit off the room; the relaxation read the plan's own level
// as infeasible, and a bound stopped between two levels rose above the
// plan. More room only weakens the relaxation, so the bound stays
// proven.
func (n *boundNet) room(j int, T float64) int64 {
	r := math.Floor(T*n.in.cap[j]*micro*(1+1e-12)) - float64(n.in.fixed[j])
	if r <= 0 {
		return 0
	}
	if r >= float64(n.total) {
		return n.total
	}
	return int64(r) / n.g * n.g
}

// feasible reports whether the relaxation places every movable unit
// with every worker at or below level T.
func (n *boundNet) feasible(T float64) bool {
	var sum int64
	for j := range n.rooms {
		r := n.total // a worker without capacity is outside the maximum
		if n.in.cap[j] > 0 {
			r = n.room(j, T)
		}
		n.rooms[j] = r
		n.f.SetCapacity(n.sink[j], r)
		sum = min(sum, n.total-r) + r // enough, and no overflow: r is at most the total
	}
	if n.bw != nil && (!n.bw.setLeave(n.f, n.rooms) || !n.bw.moreMoves(n.rooms)) {
		return false
	}
	return sum >= n.total && n.f.MaxFlow(n.s, n.t, n.total) >= n.total
}

// A budgetNet is the part of the bound's network that counts moves
// under a move budget: for each worker who holds movable units, a node
// jt that takes their weight from the source and sends it to the
// worker (staying) or through leave_j (moving) to the units' class
// nodes.
type budgetNet struct {
	budget   int
	workers  []int32      // workers who hold movable units
	units    [][]heldUnit // per such worker, their units, heaviest first
	total    []int64      // per such worker, the weight of their units
	leave    []int32      // per such worker, the edge jt → leave_j
	decl     [][]int32    // boundInput.decl
	eligible [][]int32    // per class node, its own workers (see via)
	via      []int32      // boundInput.via
	edges    int
	// The edges leave_j → class, worker after worker (those of the
	// i-th worker are toClass[first[i]:first[i+1]]), each edge's class
	// node, and for each the prefix sums of the weights of j's units of
	// that class, heaviest first.
	toClass  []int32
	edgeCl   []int32
	classPre [][]int64
	first    []int

	// Per level checked: the roomiest workers of each class node
	// (topRooms per class), and per worker the scan of their units
	// that may leave: how many units were looked at, how many of them
	// may leave and their weight, and m_j.
	top    []roomTop
	next   []int
	count  []int
	sum    []int64
	need   []int
	excess []int64
	fits   []bool // per worker, whether every unit may leave
	// declined lists per worker the units of theirs that some worker
	// declined (indices into units).
	declinedAt [][]int32

	// For the count with receivers' room (see moreMoves): per worker
	// who holds units, the prefix sums of their weights heaviest first,
	// and per unit the index of its edge leave_j → class; per worker
	// of the team, their index in workers or -1; per edge leave_j →
	// class, whether j is eligible for the class. And scratch.
	pre      [][]int64
	unitEdge [][]int32
	holder   []int32
	selfIn   []bool
	recv     []int64
	recvSum  []int64
	recvTop  []roomTop
	used     []int64
	capped   []bool
	partial  []int64
	tight    []int
}

// topRooms is how many of a class's roomiest workers the bound keeps
// at each level, to find the roomiest one who is neither the unit's
// holder nor one who declined it.
const topRooms = 4

// A roomTop holds a class's roomiest workers at a level, roomiest
// first; n of them are set.
type roomTop struct {
	room   [topRooms]int64
	worker [topRooms]int32
	n      int
}

// add considers worker j with room r for t.
func (t *roomTop) add(j int32, r int64) {
	if t.n == topRooms && r <= t.room[topRooms-1] {
		return
	}
	k := min(t.n, topRooms-1)
	for k > 0 && t.room[k-1] < r {
		t.room[k], t.worker[k] = t.room[k-1], t.worker[k-1]
		k--
	}
	t.room[k], t.worker[k] = r, j
	t.n = min(t.n+1, topRooms)
}

// most returns the most room of any worker in t who is not j and did
// not decline (decl, ascending), or, if all of t are excluded and the
// class has more workers than t holds, the least room in t, which is
// at least theirs. It returns -1 if nobody else may take the unit.
func (t *roomTop) most(j int32, decl []int32, classSize int) int64 {
	for k := range t.n {
		w := t.worker[k]
		if w == j {
			continue
		}
		if _, no := slices.BinarySearch(decl, w); no {
			continue
		}
		return t.room[k]
	}
	if classSize > t.n {
		return t.room[t.n-1]
	}
	return -1
}

// viaOf returns the class that class node c goes through, or -1.
func (bw *budgetNet) viaOf(c int) int32 {
	if c < len(bw.via) {
		return bw.via[c]
	}
	return -1
}

// size returns the number of workers class node c may go to.
func (bw *budgetNet) size(c int32) int {
	n := len(bw.eligible[c])
	if v := bw.viaOf(int(c)); v >= 0 {
		n += len(bw.eligible[v])
	}
	return n
}

// newBudgetNet prepares the budget part of the network for in, and adds
// the held weight of each class to inflow.
func newBudgetNet(in *boundInput, inflow []int64) *budgetNet {
	bw := &budgetNet{budget: in.budget, decl: in.decl, eligible: in.eligible, via: in.via}
	n := 0
	for _, hs := range in.held {
		n += len(hs)
	}
	flat := make([]int64, 0, n+len(in.held)) // prefix sums, worker after worker
	for j, us := range in.held {
		if len(us) == 0 {
			continue
		}
		// Sorted in place, heaviest first; how units of the same weight
		// are ordered changes no count or sum.
		slices.SortFunc(us, func(a, b heldUnit) int { return cmp.Compare(b.w, a.w) })
		start := len(flat)
		flat = append(flat, 0)
		for _, u := range us {
			inflow[u.c] += u.w
			flat = append(flat, flat[len(flat)-1]+u.w)
		}
		pre := flat[start:len(flat):len(flat)]
		bw.workers = append(bw.workers, int32(j))
		bw.units = append(bw.units, us)
		bw.total = append(bw.total, pre[len(pre)-1])
		bw.pre = append(bw.pre, pre)
		bw.edges += 3 + len(us) // source → jt, jt → j, jt → leave_j, leave_j → classes
	}
	n = len(bw.workers)
	bw.top = make([]roomTop, len(in.eligible))
	bw.next, bw.count, bw.need = make([]int, n), make([]int, n), make([]int, n)
	bw.sum, bw.excess = make([]int64, n), make([]int64, n)
	bw.holder = make([]int32, len(in.cap))
	for j := range bw.holder {
		bw.holder[j] = -1
	}
	for i, j := range bw.workers {
		bw.holder[j] = int32(i)
	}
	bw.recv = make([]int64, len(in.cap))
	bw.recvSum = make([]int64, len(in.eligible))
	bw.recvTop = make([]roomTop, len(in.eligible))
	bw.tight = make([]int, n)
	bw.fits, bw.declinedAt = make([]bool, n), make([][]int32, n)
	at := make([]int32, 0, len(in.decl)) // the lists, worker after worker
	for i, us := range bw.units {
		start := len(at)
		for x, u := range us {
			if u.d >= 0 {
				at = append(at, int32(x))
			}
		}
		bw.declinedAt[i] = at[start:len(at):len(at)]
	}
	return bw
}

// build adds the budget part to f, numbering its nodes from first;
// worker and class map workers and class nodes to network nodes.
func (bw *budgetNet) build(f *maxflow.Network, src, first int32, worker, class func(int32) int32) {
	n, most := 0, 0
	for _, us := range bw.units {
		n += len(us)
		most = max(most, len(us))
	}
	hs := make([]heldUnit, 0, most)
	flat := make([]int64, 0, 2*n) // a unit and at most one class start each
	edgeOf := make([]int32, 0, n)
	bw.first = append(bw.first[:0], 0)
	for i := range bw.workers {
		j := bw.workers[i]
		jt, lv := first+int32(2*i), first+int32(2*i+1)
		total := bw.total[i]
		f.AddEdge(src, jt, total)
		f.AddEdge(jt, worker(j), total)
		bw.leave = append(bw.leave, f.AddEdge(jt, lv, total))
		// j's units by class, heaviest first within a class, and each
		// class's prefix sums, in arrays shared by the workers.
		hs = append(hs[:0], bw.units[i]...)
		slices.SortStableFunc(hs, func(a, b heldUnit) int { return cmp.Compare(a.c, b.c) })
		base := int32(len(bw.toClass))
		for lo := 0; lo < len(hs); {
			hi := lo + 1
			for hi < len(hs) && hs[hi].c == hs[lo].c {
				hi++
			}
			start := len(flat)
			flat = append(flat, 0)
			for _, h := range hs[lo:hi] {
				flat = append(flat, flat[len(flat)-1]+h.w)
			}
			pre := flat[start:len(flat):len(flat)]
			bw.toClass = append(bw.toClass, f.AddEdge(lv, class(hs[lo].c), pre[len(pre)-1]))
			bw.edgeCl = append(bw.edgeCl, hs[lo].c)
			bw.classPre = append(bw.classPre, pre)
			lo = hi
		}
		bw.first = append(bw.first, len(bw.toClass))
		start := len(edgeOf)
		for _, u := range bw.units[i] {
			es := bw.edgeCl[base:]
			k, _ := slices.BinarySearch(es, u.c)
			edgeOf = append(edgeOf, base+int32(k))
		}
		bw.unitEdge = append(bw.unitEdge, edgeOf[start:len(edgeOf):len(edgeOf)])
	}
	bw.used = make([]int64, len(bw.toClass))
	bw.capped = make([]bool, len(bw.toClass))
	// Whether each holder is eligible for the class of each of their
	// edges: the edges of a holder are in class order.
	bw.selfIn = make([]bool, len(bw.toClass))
	for c, el := range bw.eligible {
		for _, j := range el {
			if i := bw.holder[j]; i >= 0 {
				es := bw.edgeCl[bw.first[i]:bw.first[i+1]]
				if k, ok := slices.BinarySearch(es, int32(c)); ok {
					bw.selfIn[bw.first[i]+k] = true
				}
			}
		}
	}
}

// setLeave sets the capacity of each jt → leave_j for the workers'
// rooms at a level: the weight of j's m_j + k − M heaviest units that
// may leave, where m_j is the fewest of those units that bring j within
// their room and M their sum over workers. A unit may leave only if
// some other worker of its class who did not decline it has room for
// it whole. It reports false if some worker cannot be brought within
// their room, or M exceeds the budget.
func (bw *budgetNet) setLeave(f *maxflow.Network, rooms []int64) bool {
	for c, el := range bw.eligible {
		t := &bw.top[c]
		t.n = 0
		if v := bw.viaOf(c); v >= 0 {
			*t = bw.top[v]
		}
		for _, j := range el {
			t.add(j, rooms[j])
		}
	}
	for i, j := range bw.workers {
		// Whether every unit of j fits some other worker of its class,
		// declines aside: whether the heaviest of each class does.
		fits := true
		for k := bw.first[i]; fits && k < bw.first[i+1]; k++ {
			pre := bw.classPre[k]
			fits = pre[1]-pre[0] <= bw.top[bw.edgeCl[k]].most(j, nil, bw.size(bw.edgeCl[k]))
		}
		bw.fits[i] = fits
	}
	spent := 0
	for i, j := range bw.workers {
		bw.need[i] = 0
		bw.excess[i] = bw.total[i] - rooms[j]
		if bw.excess[i] <= 0 {
			continue
		}
		// The fewest heaviest units that may leave and sum to at least
		// the excess, with declines: if each unit somebody declined
		// fits some other worker who did not, every unit may leave.
		all := bw.fits[i]
		for _, x := range bw.declinedAt[i] {
			if !all {
				break
			}
			u := &bw.units[i][x]
			all = u.w <= bw.top[u.c].most(j, bw.declined(u), bw.size(u.c))
		}
		bw.next[i], bw.count[i], bw.sum[i] = 0, 0, 0
		if !bw.scan(i, bw.budget-spent+1, bw.excess[i], all, true) {
			return false
		}
		bw.need[i] = bw.count[i]
		spent += bw.count[i]
		if spent > bw.budget {
			return false
		}
	}
	slack := bw.budget - spent
	for i, j := range bw.workers {
		// What leaves j weighs at most their r heaviest units that fit
		// some other worker, declines aside, which is more than it
		// would be with them.
		r := bw.need[i] + slack
		bw.next[i], bw.count[i], bw.sum[i] = 0, 0, 0
		bw.scan(i, r, math.MaxInt64, bw.fits[i], false)
		f.SetCapacity(bw.leave[i], bw.sum[i])
		// Of each class, too, at most r units leave: the r heaviest of
		// those that fit some other worker of the class.
		for k := bw.first[i]; k < bw.first[i+1]; k++ {
			pre := bw.classPre[k]
			c := bw.edgeCl[k]
			most := bw.top[c].most(j, nil, bw.size(c))
			// The first of the class's units that fits: pre is
			// concave, and the unit at l weighs pre[l+1] − pre[l].
			lo := sort.Search(len(pre)-1, func(l int) bool { return pre[l+1]-pre[l] <= most })
			f.SetCapacity(bw.toClass[k], pre[min(len(pre)-1, lo+r)]-pre[lo])
		}
	}
	return true
}

// moreIterations limits the rounds of moreMoves at one level, so that
// its cost stays bounded whatever the budget; when they run out the
// level is not refuted, which keeps the bound proven.
const moreIterations = 64

// moreMoves counts moves again at the level setLeave last checked,
// with the room the other workers have to receive (condition 3 of the
// proof at the top of this file). It reports false if that proves no
// plan within the budget reaches the level.
func (bw *budgetNet) moreMoves(rooms []int64) bool {
	spent := 0
	for i := range bw.workers {
		spent += bw.need[i]
	}
	rounds := 0
	for R := 0; spent+R <= bw.budget; R++ {
		copy(bw.tight, bw.need)
		for {
			rounds++
			if rounds > moreIterations {
				return true
			}
			given := 0
			for _, n := range bw.tight {
				given += n
			}
			if given+R > bw.budget {
				break // not with R moves off the others
			}
			slack := bw.budget - R - given
			bw.setRecv(rooms, R, slack)
			changed := false
			for i := range bw.workers {
				if bw.excess[i] <= 0 {
					continue
				}
				if n := bw.cappedCount(i, bw.tight[i]+slack); n > bw.tight[i] {
					bw.tight[i], changed = n, true
				}
			}
			if !changed {
				return true
			}
		}
	}
	return false
}

// setRecv sets recv, the most each worker may receive at the level of
// rooms when the workers above it make tight[i] + slack moves at most
// and the others R each, and per class node its sum and roomiest
// workers.
func (bw *budgetNet) setRecv(rooms []int64, R, slack int) {
	copy(bw.recv, rooms)
	for i, j := range bw.workers {
		lim := R
		if bw.excess[i] > 0 {
			lim = bw.tight[i] + slack
		}
		pre := bw.pre[i]
		keep := pre[len(pre)-1] - pre[min(len(pre)-1, lim)]
		bw.recv[j] = max(0, rooms[j]-keep)
	}
	for c, el := range bw.eligible {
		t := &bw.recvTop[c]
		t.n = 0
		var sum int64
		if v := bw.viaOf(c); v >= 0 {
			*t, sum = bw.recvTop[v], bw.recvSum[v]
		}
		for _, j := range el {
			t.add(j, bw.recv[j])
			// Saturated: MaxInt64 stands for more than any worker holds.
			sum += min(bw.recv[j], math.MaxInt64-sum)
		}
		bw.recvSum[c] = sum
	}
}

// cappedCount returns the fewest units the i-th worker must send away
// to come within their room when what leaves of each class fits whole
// in some other worker's recv and in all weighs at most the others'
// recv for the class; limit + 1 if that is more than limit, or cannot
// be done. The most r such units can weigh is found greedily: per
// class the gains of its units, heaviest first, capped by the class's
// room, do not grow, so taking the largest gain of any class r times
// is best.
func (bw *budgetNet) cappedCount(i, limit int) int {
	j, us, ue := bw.workers[i], bw.units[i], bw.unitEdge[i]
	for k := bw.first[i]; k < bw.first[i+1]; k++ {
		bw.used[k], bw.capped[k] = 0, false
	}
	bw.partial = bw.partial[:0]
	next, full := 0, int64(-1) // full: the next unit's gain, -1 if not found yet
	count, sum := 0, int64(0)
	for sum < bw.excess[i] {
		for full < 0 {
			if next == len(us) {
				full = 0
				break
			}
			u, k := &us[next], ue[next]
			next++
			if bw.capped[k] || u.w > bw.recvTop[u.c].most(j, bw.declined(u), bw.size(u.c)) {
				continue
			}
			room := bw.recvSum[u.c]
			if bw.selfIn[k] && room < math.MaxInt64 {
				room -= bw.recv[j]
			}
			if bw.used[k]+u.w <= room {
				bw.used[k] += u.w
				full = u.w
				break
			}
			if p := room - bw.used[k]; p > 0 {
				bw.partial = append(bw.partial, p)
			}
			bw.capped[k] = true
		}
		best := -1
		for x, p := range bw.partial {
			if best < 0 || p > bw.partial[best] {
				best = x
			}
		}
		switch {
		case best >= 0 && bw.partial[best] > full:
			sum += bw.partial[best]
			bw.partial[best] = bw.partial[len(bw.partial)-1]
			bw.partial = bw.partial[:len(bw.partial)-1]
		case full > 0:
			sum += full
			full = -1
		default:
			return limit + 1
		}
		count++
		if count > limit {
			return limit + 1
		}
	}
	return count
}

// declined returns the workers who declined u, ascending.
func (bw *budgetNet) declined(u *heldUnit) []int32 {
	if u.d < 0 {
		return nil
	}
	return bw.decl[u.d]
}

// scan goes on through the i-th worker's units, heaviest first, and
// counts those that may leave (that fit some other worker of their
// class, and with decl one who did not decline them), until it has
// counted r of them or their weight reaches want. It reports whether it
// stopped for either reason rather than for running out of units. all
// says that every unit may leave.
func (bw *budgetNet) scan(i, r int, want int64, all, decl bool) bool {
	j, us := bw.workers[i], bw.units[i]
	if all {
		// The count is read off the prefix sums.
		pre := bw.pre[i]
		c := min(r, len(us))
		if k, _ := slices.BinarySearch(pre, want); k < c {
			c = k
		}
		bw.next[i], bw.count[i], bw.sum[i] = c, c, pre[c]
		return c == r || pre[c] >= want
	}
	for bw.count[i] < r && bw.sum[i] < want {
		if bw.next[i] == len(us) {
			return false
		}
		u := &us[bw.next[i]]
		bw.next[i]++
		var d []int32
		if decl {
			d = bw.declined(u)
		}
		if u.w <= bw.top[u.c].most(j, d, bw.size(u.c)) {
			bw.count[i]++
			bw.sum[i] += u.w
		}
	}
	return true
}

// gcd returns the greatest common divisor of a and b, by Euclid's
// algorithm; gcd(0, b) is b.
func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
