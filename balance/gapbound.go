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
// agent they fit on alone). Proof sketch: any assignment x that places
// every placeable item within capacity has Σ_i req_ij·x_ij ≤ cap_j, so
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
		v -= l.lambda[j] * g.capa[j]
		l.grad[j] = -g.capa[j]
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
	s.construct(d)
	s.repair()
	s.improve(ctx)
	return s
}
