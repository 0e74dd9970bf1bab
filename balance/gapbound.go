package balance

import (
	"context"
	"math"
	"slices"
)

// lagrange holds the Lagrangian relaxation of a generalized assignment
// problem's capacity constraints.
//
// The bound. For multipliers λ_j ≥ 0, one per agent, let
//
//	L(λ) = Σ_i min_{j allowed, req_ij ≤ cap_j} (c_ij + λ_j·req_ij) − Σ_j λ_j·cap_j,
//
// the minimum taken over the placeable items (those with some allowed
// agent they fit on alone), and cap_j with the tolerance fits allows.
// Proof sketch: any assignment x that places every placeable item
// within capacity has Σ_i req_ij·x_ij ≤ cap_j, so
// Σ c·x ≥ Σ c·x + Σ_j λ_j (Σ_i req_ij x_ij − cap_j), and the right-hand
// side, minimised over all assignments of each item to one allowed
// agent it fits on alone (capacities dropped), is L(λ). Every L(λ) is
// thus a lower bound on the optimum; the intake cap, also dropped, only
// tightens the optimum. This relaxation has the integrality property,
// so its best value equals the linear relaxation's (Fisher 1981;
// Martello and Toth, "Knapsack Problems", 1990, ch. 7). The best λ is
// sought by subgradient steps (Held, Wolfe and Crowder 1974): the
// subgradient at λ is g_j = Σ_i req_ij x_ij(λ) − cap_j, and λ_j ←
// max(0, λ_j + t·g_j) with t = θ(UB − L(λ))/‖g‖², θ halved after 20
// steps without progress. Each step is O(n·m).
type lagrange struct {
	g                  *gapInstance
	lambda, bestLambda []float64
	best               float64
	x                  []int32   // the relaxed assignment at lambda
	grad               []float64 // its subgradient
}

func newLagrange(g *gapInstance) *lagrange {
	return &lagrange{g: g, lambda: make([]float64, g.m), bestLambda: make([]float64, g.m),
		best: math.Inf(-1), x: make([]int32, g.n), grad: make([]float64, g.m)}
}

// eval returns L(lambda) and records the relaxed assignment and the
// subgradient. Items with no agent they could fit on are left out.
func (l *lagrange) eval() float64 {
	g := l.g
	v := 0.0
	for j := range g.m {
		// The capacity with the tolerance fits allows.
		c := g.capa[j] + gapEps*(1+g.capa[j])
		v -= l.lambda[j] * c
		l.grad[j] = -c
	}
	for i := range g.n {
		b, bj := math.Inf(1), -1
		for j := range g.m {
			k := i*g.m + j
			if !g.ok[k] || g.req[k] > g.capa[j]+gapEps*(1+g.capa[j]) {
				continue
			}
			if c := g.cost[k] + l.lambda[j]*g.req[k]; c < b {
				b, bj = c, j
			}
		}
		l.x[i] = int32(bj)
		if bj >= 0 {
			v += b
			l.grad[bj] += g.req[i*g.m+bj]
		}
	}
	return v
}

// step moves lambda along the subgradient by t/‖g‖² times it.
func (l *lagrange) step(t float64) {
	norm := 0.0
	for j, gj := range l.grad {
		if l.lambda[j] == 0 && gj < 0 {
			continue // projected out
		}
		norm += gj * gj
	}
	if norm == 0 || t <= 0 {
		return
	}
	for j, gj := range l.grad {
		l.lambda[j] = math.Max(0, l.lambda[j]+t/norm*gj)
	}
}

// costs writes the Lagrangian costs c_ij + λ_j·req_ij into d.
func (l *lagrange) costs(lambda, d []float64) []float64 {
	g := l.g
	for i := range g.n {
		for j := range g.m {
			k := i*g.m + j
			d[k] = g.cost[k] + lambda[j]*g.req[k]
		}
	}
	return d
}

// heuristic turns the relaxed assignment into a feasible one: on each
// overfull agent it keeps the items that would lose most by leaving
// (per unit of capacity), places the rest by regret on the Lagrangian
// costs, repairs and polishes.
func (l *lagrange) heuristic(ctx context.Context, d []float64) *gapState {
	g := l.g
	l.costs(l.lambda, d)
	s := newGapState(g)
	type cand struct {
		i    int
		keep float64
	}
	by := make([][]cand, g.m)
	for i, j := range l.x {
		if j < 0 {
			continue
		}
		// What the item would lose by going to its next agent.
		second := math.Inf(1)
		for j2 := range g.m {
			if j2 != int(j) && g.ok[i*g.m+j2] {
				second = math.Min(second, d[i*g.m+j2])
			}
		}
		loss := second - d[i*g.m+int(j)]
		if math.IsInf(loss, 1) {
			loss = math.MaxFloat64
		}
		by[j] = append(by[j], cand{i, loss / math.Max(g.req[i*g.m+int(j)], 1e-9)})
	}
	for j := range by {
		slices.SortStableFunc(by[j], func(a, b cand) int {
			if a.keep != b.keep {
				if a.keep > b.keep {
					return -1
				}
				return 1
			}
			return a.i - b.i
		})
		for _, c := range by[j] {
			if s.fits(c.i, j, 0) {
				s.add(c.i, j)
			}
		}
	}
	if s.construct(d) && s.repair() {
		s.improve(ctx)
	}
	return s
}

// knapBound holds the Lagrangian relaxation of a generalized assignment
// problem's assignment constraints (each item goes to exactly one
// agent), keeping the capacities: Ross and Soland (1975); Fisher,
// Jaikumar and Van Wassenhove (1986), "A multiplier adjustment method
// for the generalized assignment problem", Management Science 32(9).
//
// The bound. For multipliers u_i of any sign, one per item, let
//
//	L(u) = Σ_i u_i + Σ_j min { Σ_i (c_ij − u_i)·x_i : x ∈ {0,1}ⁿ, Σ_i w_ij·x_i ≤ K_j },
//
// each inner minimum over the items agent j may take, where w_ij =
// ⌊req_ij·s_j⌋ and K_j = ⌊cap_j·s_j⌋ for a scale s_j > 0 (cap_j with
// the tolerance that fits allows). Proof sketch: an assignment x that
// places every item within capacity has Σ_j x_ij = 1 for every i, so
// Σ c·x = Σ c·x + Σ_i u_i (1 − Σ_j x_ij) = Σ_i u_i + Σ_j Σ_i (c_ij −
// u_i) x_ij; the items x gives agent j fit there, Σ_i req_ij x_ij ≤
// cap_j, hence Σ_i ⌊req_ij s_j⌋ x_ij ≤ ⌊Σ_i req_ij s_j x_ij⌋ ≤ ⌊cap_j
// s_j⌋, so they are one of the 0/1 vectors the j-th minimum ranges
// over, and Σ c·x ≥ L(u). The intake cap, the move budget, the norms
// and the home reserve, also dropped, only raise the optimum. The
// relaxation keeps the knapsacks' integrality, so its best value can
// exceed the linear relaxation's, which the capacity relaxation
// ([lagrange]) attains: started at u_i = min_j (c_ij + λ_j req_ij) with
// λ the capacity multipliers, L(u) is at least their bound when the
// requirements are integers scaled by 1, since then c_ij − u_i ≥
// −λ_j req_ij and each knapsack costs at least −λ_j K_j, and K_j ≤
// cap_j unless cap_j is an integer, when K_j = cap_j.
//
// Each knapsack is solved exactly by dynamic programming over the
// integer capacity (Martello and Toth, 1990, ch. 2), on the items with
// c_ij < u_i only (the others cannot lower the minimum): s_j is 1 when
// agent j's requirements are integers and cap_j ≤ knapUnits, and
// knapUnits/cap_j otherwise (cap_j with the tolerance), so one
// evaluation takes O(n·m·knapUnits) at worst. The multipliers follow
// subgradient steps: the subgradient is g_i = 1 − Σ_j x_ij(u), and u ←
// u + θ(UB − L(u))/‖g‖²·g.
type knapBound struct {
	g        *gapInstance
	w        []int32 // per pair the scaled requirement, or -1 if it may not go there
	kcap     []int32 // per agent the scaled capacity
	u, bestU []float64
	best     float64
	taken    []int32 // per item the agents whose knapsack holds it, count
	pick     []bool  // per pair whether agent j's knapsack holds item i
	grad     []float64
	dp       []float64  // scratch: best profit per capacity
	keep     []bool     // scratch: candidate × capacity, taken or not
	order    [][]int32  // per agent the items it may take, by ratio at the last evaluation
	key      []float64  // scratch: per item its ratio for one agent
	items    []knapItem // scratch: one agent's candidate items
	core     []knapItem // scratch: those the reduction leaves open
	cells    int        // dynamic-programming cells filled so far
	maxCells int        // cells allowed in all
}

// knapUnits is the largest scaled capacity of one knapsack, and
// knapCells the dynamic-programming cells one solve may fill over all
// its evaluations (about 0.1 s).
const (
	knapUnits = 2048
	knapCells = 60_000_000
)

// newKnapBound prepares the relaxation of g, or returns nil if g has a
// requirement or capacity that is negative or not finite.
func newKnapBound(g *gapInstance) *knapBound {
	kb := &knapBound{g: g, w: make([]int32, g.n*g.m), kcap: make([]int32, g.m),
		u: make([]float64, g.n), bestU: make([]float64, g.n), best: math.Inf(-1),
		taken: make([]int32, g.n), pick: make([]bool, g.n*g.m), grad: make([]float64, g.n),
		maxCells: knapCells}
	for j := range g.m {
		c := g.capa[j]
		if c < 0 || math.IsNaN(c) || math.IsInf(c, 0) {
			return nil
		}
		integral := c <= knapUnits
		for i := range g.n {
			r := g.req[i*g.m+j]
			if r < 0 || math.IsNaN(r) || math.IsInf(r, 0) {
				return nil
			}
			if g.ok[i*g.m+j] && r != math.Floor(r) {
				integral = false
			}
		}
		// Integers scaled by 1 stay exact; otherwise the requirements
		// are rounded down a little more than a product's rounding
		// error, so that none rounds up past its true floor.
		capT := c + gapEps*(1+c)
		s, down := 1.0, 1.0
		if !integral {
			s, down = knapUnits/capT, 1-1e-12
		}
		kb.kcap[j] = int32(min(knapUnits, math.Floor(capT*s)))
		for i := range g.n {
			k := i*g.m + j
			kb.w[k] = -1
			if !g.ok[k] {
				continue
			}
			if w := math.Floor(g.req[k] * s * down); w <= float64(kb.kcap[j]) {
				kb.w[k] = int32(w)
			}
		}
	}
	kb.order = make([][]int32, g.m)
	for j := range g.m {
		for i := range g.n {
			if kb.w[i*g.m+j] >= 0 {
				kb.order[j] = append(kb.order[j], int32(i))
			}
		}
	}
	kb.key = make([]float64, g.n)
	kb.dp = make([]float64, 0, knapUnits+1)
	return kb
}

// start sets u_i = min_j (c_ij + λ_j req_ij), the dual values of the
// linear relaxation when λ is optimal for [lagrange].
func (kb *knapBound) start(lambda []float64) {
	g := kb.g
	for i := range g.n {
		b := math.Inf(1)
		for j := range g.m {
			if k := i*g.m + j; kb.w[k] >= 0 {
				b = min(b, g.cost[k]+lambda[j]*g.req[k])
			}
		}
		if math.IsInf(b, 1) {
			b = 0
		}
		kb.u[i] = b
	}
}

// eval returns L(u) and records which knapsacks hold each item and the
// subgradient. It returns false, and no value, once the cells filled
// reach maxCells; the last evaluation may pass it by at most
// n·Σ_j (K_j+1) cells.
func (kb *knapBound) eval() (float64, bool) {
	g := kb.g
	if kb.cells >= kb.maxCells {
		return 0, false
	}
	v := 0.0
	for i := range g.n {
		v += kb.u[i]
	}
	clear(kb.taken)
	clear(kb.pick)
	size := 0.0
	for j := range g.m {
		v -= kb.knapsack(j)
	}
	for i := range g.n {
		kb.grad[i] = 1 - float64(kb.taken[i])
		size += math.Abs(kb.u[i])
	}
	// Less a margin for rounding: each of the O(n) sums and
	// differences above errs by at most about 1e-16 of the largest
	// multiplier.
	return v - 1e-12*size, true
}

// A knapItem is an item in one agent's knapsack: its index, scaled
// requirement and profit u_i − c_ij.
type knapItem struct {
	i int32
	w int32
	p float64
}

// knapsack solves agent j's knapsack at u: the largest Σ (u_i − c_ij)
// over items that fit together, which it marks in pick and taken.
//
// Before the dynamic program it fixes the items whose state the bound
// of Dantzig (1957) decides (Martello and Toth, 1990, §2.7): with the
// items by profit per unit of requirement, the greedy fill stops at the
// critical item of ratio ρ; every solution's profit is at most U = ρ·K
// + Σ max(0, p_i − ρ·w_i) (which holds for any ρ ≥ 0, so a ratio that
// rounding puts slightly out of order costs no validity), and the
// greedy fill gives a solution worth G. An item with p_i − ρ·w_i > U −
// G is in every optimal solution (leaving it out caps the profit below
// G), and one with ρ·w_i − p_i > U − G in none; the rest, the core, go
// to the dynamic program over the capacity the fixed items leave. The
// time is O(c·K_j) for c core items, plus the sort.
func (kb *knapBound) knapsack(j int) float64 {
	g := kb.g
	// Agent j's items by ratio, best first (items needing nothing
	// first, ties by index): the order of the last evaluation, in which
	// only the items whose multiplier moved can be out of place, sorted
	// again by insertion.
	ord := kb.order[j]
	for _, i := range ord {
		k := int(i)*g.m + j
		p, w := kb.u[i]-g.cost[k], kb.w[k]
		switch {
		case w > 0:
			kb.key[i] = p / float64(w)
		case p > 0:
			kb.key[i] = math.Inf(1)
		default:
			kb.key[i] = math.Inf(-1)
		}
	}
	before := func(a, b int32) bool {
		return kb.key[a] > kb.key[b] || kb.key[a] == kb.key[b] && a < b
	}
	for t := 1; t < len(ord); t++ {
		x := ord[t]
		r := t
		for ; r > 0 && before(x, ord[r-1]); r-- {
			ord[r] = ord[r-1]
		}
		ord[r] = x
	}
	items := kb.items[:0]
	capJ := int(kb.kcap[j])
	wsum := 0
	for _, i := range ord {
		if k := int(i)*g.m + j; g.cost[k] < kb.u[i] {
			items = append(items, knapItem{i, kb.w[k], kb.u[i] - g.cost[k]})
			wsum += int(kb.w[k])
		}
	}
	kb.items = items
	take := func(it knapItem) float64 {
		kb.pick[int(it.i)*g.m+j] = true
		kb.taken[it.i]++
		return it.p
	}
	profit := 0.0
	if wsum <= capJ {
		// They all fit.
		for _, it := range items {
			profit += take(it)
		}
		return profit
	}
	// The greedy fill, its critical item and value.
	crit, room, greedy := -1, capJ, 0.0
	for t, it := range items {
		if int(it.w) <= room {
			room -= int(it.w)
			greedy += it.p
		} else if crit < 0 {
			crit = t
		}
	}
	if crit < 0 {
		return profit // cannot happen: the items did not all fit
	}
	rho := items[crit].p / float64(items[crit].w)
	upper := rho * float64(capJ)
	for _, it := range items {
		if d := it.p - rho*float64(it.w); d > 0 {
			upper += d
		}
	}
	slack := upper - greedy + 1e-9*(1+math.Abs(upper))
	core := kb.core[:0]
	rest := capJ
	for _, it := range items {
		switch d := it.p - rho*float64(it.w); {
		case d > slack:
			profit += take(it)
			rest -= int(it.w)
		case -d > slack:
		default:
			core = append(core, it)
		}
	}
	// The items fixed in are part of the greedy fill: rest ≥ 0.
	kb.core = core
	wsum = 0
	for _, it := range core {
		wsum += int(it.w)
	}
	if wsum <= rest {
		for _, it := range core {
			profit += take(it)
		}
		return profit
	}
	c := rest
	width := c + 1
	kb.cells += len(core) * width
	kb.dp = slices.Grow(kb.dp[:0], width)[:width]
	clear(kb.dp)
	if need := len(core) * width; cap(kb.keep) < need {
		kb.keep = make([]bool, need)
	} else {
		kb.keep = kb.keep[:need]
		clear(kb.keep)
	}
	for t, it := range core {
		w, p := int(it.w), it.p
		row := kb.keep[t*width : (t+1)*width]
		for r := c; r >= w; r-- {
			if q := kb.dp[r-w] + p; q > kb.dp[r] {
				kb.dp[r] = q
				row[r] = true
			}
		}
	}
	r := c
	for t := len(core) - 1; t >= 0; t-- {
		if kb.keep[t*width+r] {
			profit += take(core[t])
			r -= int(core[t].w)
		}
	}
	return profit
}

// step moves u along the subgradient by t/‖g‖² times it, and reports
// false if the subgradient is zero: the relaxed solution then places
// every item once.
func (kb *knapBound) step(t float64) bool {
	norm := 0.0
	for _, gi := range kb.grad {
		norm += gi * gi
	}
	if norm == 0 {
		return false
	}
	for i, gi := range kb.grad {
		kb.u[i] += t / norm * gi
	}
	return true
}

// heuristic turns the relaxed solution into a feasible assignment: each
// item held by some knapsack goes to the cheapest of them that has room
// (items held once first), the rest are placed by regret on d, then
// repaired and polished.
func (kb *knapBound) heuristic(ctx context.Context, d []float64) *gapState {
	g := kb.g
	s := newGapState(g)
	for pass := 0; pass < 2; pass++ {
		for i := range g.n {
			if kb.taken[i] == 0 || (pass == 0) != (kb.taken[i] == 1) {
				continue
			}
			bj, bc := -1, math.Inf(1)
			for j := range g.m {
				if k := i*g.m + j; kb.pick[k] && g.cost[k] < bc && s.fits(i, j, 0) {
					bj, bc = j, g.cost[k]
				}
			}
			if bj >= 0 {
				s.add(i, bj)
			}
		}
	}
	if s.construct(d) && s.repair() {
		s.improve(ctx)
	}
	return s
}

// integralCosts reports whether the cost of every allowed pair is an
// integer: every assignment then costs an integer, and a lower bound
// b on the optimum rounds up to ⌈b⌉ (see roundBound).
func (g *gapInstance) integralCosts() bool {
	for k, c := range g.cost {
		if g.ok[k] && c != math.Floor(c) {
			return false
		}
	}
	return true
}

// roundBound returns the bound b rounded up to an integer if integral,
// after a tolerance of 1e-6·(1+|b|) for the rounding error of its sum.
func roundBound(b float64, integral bool) float64 {
	if !integral || math.IsInf(b, 0) {
		return b
	}
	return math.Ceil(b - 1e-6*(1+math.Abs(b)))
}
