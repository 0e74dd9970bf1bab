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
//
// Its work is bounded: the construction takes O(n·m) steps and a
// little more for each item it looks at again (see
// [gapState.construct]), the repair O(n + m) for each item the
// construction left out ([gapState.repair]), and everything after
// them, polish, heuristics and perturbation, stops once the search has
// taken gapSteps + gapStepsPerPair·n·m steps in all (see
// [gapInstance.steps]), the heuristics of the subgradient steps once it
// has taken half of them, so that the perturbation has the rest; the
// subgradient steps are at most
// gapPairSteps/(n·m), and at least gapMinIters, each O(n·m) and run
// whatever the count, so that a bound comes with every solution; the
// relaxation of the assignment constraints is skipped above
// gapKnapPairs items × agents. It looks at ctx every gapLook steps, and
// returns the best assignment found so far once ctx is done: it may
// leave out items the construction had not come to.
func solveGAP(ctx context.Context, g *gapInstance, seed uint64) gapResult {
	g.work = newGapWork(ctx, gapSteps+gapStepsPerPair*int64(g.n)*int64(g.m))
	best := newGapState(g)
	if !best.construct(g.cost) || !best.repair() || !best.improve(ctx) {
		best.recost()
		return gapResult{where: best.where, cost: best.cost, bound: math.Inf(-1), cancelled: true}
	}
	lr := newLagrange(g)
	d := make([]float64, g.n*g.m)
	res := gapResult{}
	step := 2.0
	stall := 0
	iters := gapIters
	if pairs := g.n * g.m; pairs > 0 {
		iters = min(iters, max(gapMinIters, gapPairSteps/pairs))
	}
	for it := 0; it < iters; it++ {
		if g.steps(g.n * g.m) {
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
		if (it%gapEvery == 0 || it == iters-1) && !g.spentHalf() {
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
	if !res.cancelled && !closed() && best.unassigned() == 0 && g.n*g.m <= gapKnapPairs && !g.spent() {
		best, bound = knapSearch(ctx, best, lr, integral)
	}
	if !res.cancelled && !closed() && !g.spent() {
		best = perturb(ctx, best, lr, seed)
	}
	res.where, res.cost, res.bound = best.where, best.cost, bound
	if g.stopped() || ctx.Err() != nil {
		res.cancelled = true
	}
	return res
}

// The limits of solveGAP's work (see [gapInstance.steps]): gapSteps +
// gapStepsPerPair·n·m steps in all, a few seconds on a 2-core machine
// (BenchmarkFitShapes, BenchmarkFitCostsQueued); subgradient steps of the capacity
// relaxation at most gapPairSteps/(n·m) (each is n·m steps), and at
// least gapMinIters; no relaxation of the assignment constraints
// ([knapSearch]) above gapKnapPairs items × agents, where its
// evaluations, O(n·m·knapUnits) each at worst, cost more than they
// find.
const (
	gapSteps        = 400_000_000
	gapStepsPerPair = 4
	gapPairSteps    = 100_000_000
	gapMinIters     = 20
	gapKnapPairs    = 1_250_000
)

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
	for r := 0; r < rounds && !g.spent(); r++ {
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
		if !c.construct(d) || !c.repair() {
			break // ctx is done: c may leave items out
		}
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
	for it := 0; it < gapKnapIters && !g.spent(); it++ {
		g.steps(g.n * g.m)
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
