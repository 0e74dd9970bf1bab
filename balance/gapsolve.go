package balance

import (
	"context"
	"math"
	"math/rand/v2"
)

// gapResult is what solveGAP finds.
type gapResult struct {
	where     []int32 // per item its agent, or -1
	cost      float64
	bound     float64 // a proven lower bound on the cost of placing every placeable item
	iters     int
	cancelled bool
	// exact is set when an exhaustive search proved where optimal under
	// every constraint, the intake cap and norms included.
	exact bool
}

// gapIters is the number of subgradient steps solveGAP takes at most,
// gapEvery how often it builds a solution from the multipliers, and
// gapKicks the rounds of perturbation that end it.
const (
	gapIters = 400
	gapEvery = 20  // steps between two Lagrangian heuristics
	gapKicks = 100 // perturbation rounds
)

// solveGAP finds a good assignment of g and a lower bound on its cost.
// It builds a regret construction on the costs, then runs subgradient
// steps on the Lagrangian relaxation of the capacities (see
// [lagrange]); every few steps it turns the relaxed assignment into a
// feasible one (keeping, on overfull agents, the items that would lose
// most by leaving, then placing the rest by regret on the Lagrangian
// costs), and polishes each by shifts, swaps and ejection chains. When
// its best places every item, it then runs subgradient steps on the
// relaxation of the assignment constraints (see [knapBound] and
// knapSearch), started from the first relaxation's duals: its bound can
// pass the linear relaxation's, and its relaxed solutions, which keep
// every capacity, make good starts for the same polish. A seeded
// perturbation step ends the search. The bound is the best of both
// relaxations (or the cost itself when an exhaustive search of a small
// instance completes). Deterministic for a seed.
func solveGAP(ctx context.Context, g *gapInstance, seed uint64) gapResult {
	best := newGapState(g)
	best.construct(g.cost)
	best.repair()
	if !best.improve(ctx) {
		return gapResult{where: best.where, cost: best.cost, cancelled: true}
	}
	lr := newLagrange(g)
	d := make([]float64, g.n*g.m)
	res := gapResult{}
	step := 2.0
	stall := 0
	for it := 0; it < gapIters; it++ {
		if ctx.Err() != nil {
			res.cancelled = true
			break
		}
		res.iters = it + 1
		val := lr.eval()
		if math.IsInf(lr.best, -1) || val > lr.best+gapEps*(1+math.Abs(lr.best)) {
			lr.best = val
			copy(lr.bestLambda, lr.lambda)
			stall = 0
		} else if stall++; stall >= 20 {
			step /= 2
			stall = 0
		}
		if best.unassigned() == 0 && best.cost-lr.best <= 1e-6*(1+math.Abs(best.cost)) {
			break
		}
		if it%gapEvery == 0 || it == gapIters-1 {
			if s := lr.heuristic(ctx, d); s.better(best) {
				best = s
			}
		}
		if step < 1e-6 {
			break
		}
		ub := best.cost
		if best.unassigned() > 0 || ub <= lr.best {
			ub = lr.best*1.05 + 1
		}
		lr.step(step * (ub - val))
	}
	bound := lr.best
	closed := func() bool {
		return best.unassigned() == 0 && best.cost-max(bound, lr.best) <= 1e-6*(1+math.Abs(best.cost))
	}
	if !res.cancelled && lr.best < best.cost {
		// A small instance is searched exhaustively; a complete search
		// proves its best, and the bound rises to it.
		if s, ok := exactGAP(ctx, best); ok {
			best = s
			lr.best = math.Max(lr.best, best.cost)
			res.exact = true
		}
	}
	integral := g.integralCosts()
	bound = roundBound(max(bound, lr.best), integral)
	if !res.cancelled && !closed() && best.unassigned() == 0 {
		best, bound = knapSearch(ctx, best, lr, integral)
	}
	if !res.cancelled && !closed() {
		best = perturb(ctx, best, lr, seed)
	}
	res.where, res.cost, res.bound = best.where, best.cost, bound
	if ctx.Err() != nil {
		res.cancelled = true
	}
	return res
}

// perturb runs an iterated local search from s: it ejects a few random
// items, places them by regret on the Lagrangian costs, polishes, and
// keeps the result if better, for a fixed number of rounds.
func perturb(ctx context.Context, s *gapState, lr *lagrange, seed uint64) *gapState {
	g := s.g
	if g.n < 2 {
		return s
	}
	rng := rand.New(rand.NewPCG(seed, 0x6761702d69747331))
	d := lr.costs(lr.bestLambda, make([]float64, g.n*g.m))
	best := s
	// Small instances are cheap to perturb: they get more rounds, so
	// that every size gets about the same work.
	rounds := gapKicks * max(1, 400/g.n)
	touched := make([]bool, g.m) // the agents a round changed
	for r := 0; r < rounds && ctx.Err() == nil; r++ {
		c := best.clone()
		k := 2 + rng.IntN(max(2, g.n/20))
		for range k {
			if i := rng.IntN(g.n); c.where[i] >= 0 {
				c.remove(i)
			}
		}
		if g.m > 0 {
			// It also empties two agents.
			a, b := rng.IntN(g.m), rng.IntN(g.m)
			for i, j := range c.where {
				if int(j) == a || int(j) == b {
					c.remove(i)
				}
			}
		}
		c.construct(d)
		c.repair()
		for i, j := range c.where {
			if j != best.where[i] {
				for _, a := range [2]int32{j, best.where[i]} {
					if a >= 0 {
						touched[a] = true
					}
				}
			}
		}
		c.improveFrom(ctx, touched)
		clear(touched)
		if c.better(best) {
			best = c
		}
	}
	return best
}

// gapKnapIters is the number of subgradient steps knapSearch takes at
// most, gapKnapEvery how often it builds a solution from them, and
// gapKnapTheta the first step's fraction of the gap (the multipliers
// start at the linear relaxation's duals, close to the best, so the
// steps start shorter than the capacity relaxation's).
const (
	gapKnapIters = 300
	gapKnapEvery = 5
	gapKnapTheta = 0.3
)

// knapSearch raises the bound of lr by the relaxation of the assignment
// constraints (see [knapBound]), started from lr's best multipliers,
// and turns every few relaxed solutions into feasible ones. s must
// place every item. It returns the best assignment found and the best
// bound of either relaxation, rounded up if integral (the costs are
// integers; see roundBound). Its work is at most gapKnapIters
// evaluations and knapCells cells of dynamic programming.
func knapSearch(ctx context.Context, s *gapState, lr *lagrange, integral bool) (*gapState, float64) {
	g := s.g
	bound := roundBound(lr.best, integral)
	kb := newKnapBound(g)
	if kb == nil {
		return s, bound
	}
	kb.start(lr.bestLambda)
	d := lr.costs(lr.bestLambda, make([]float64, g.n*g.m))
	best := s
	theta := gapKnapTheta
	stall := 0
	for it := 0; it < gapKnapIters && ctx.Err() == nil; it++ {
		val, ok := kb.eval()
		if !ok {
			break
		}
		if math.IsInf(kb.best, -1) || val > kb.best+gapEps*(1+math.Abs(kb.best)) {
			kb.best = val
			copy(kb.bestU, kb.u)
			stall = 0
		} else if stall++; stall >= 15 {
			theta /= 2
			stall = 0
		}
		bound = max(bound, roundBound(kb.best, integral))
		if best.cost-bound <= 1e-6*(1+math.Abs(best.cost)) {
			break
		}
		if it%gapKnapEvery == 0 {
			if c := kb.heuristic(ctx, d); c.better(best) {
				best = c
			}
		}
		if theta < 1e-4 || !kb.step(theta*(best.cost-val)) {
			break
		}
	}
	return best, bound
}
