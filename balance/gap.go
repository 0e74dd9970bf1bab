package balance

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
)

// A gapInstance is a generalized assignment problem: n items, m agents;
// giving item i to agent j costs cost[i*m+j] and uses req[i*m+j] of the
// agent's capacity capa[j]. ok[i*m+j] marks the allowed pairs. Each
// agent may also take at most slots[j] cases in items other than those
// whose home it is (the intake cap; negative means no limit); an item
// holds size[i] cases (nil: one each).
type gapInstance struct {
	n, m      int
	cost, req []float64
	ok        []bool
	capa      []float64
	home      []int32 // per item: its current agent, or -1
	slots     []int32 // per agent: new cases allowed, or -1 for any number
	size      []int32 // per item: its cases, or nil for one each
	// budget is the number of items with a voluntary home (vol[i]) that
	// may leave it (the move budget), or -1 for any number.
	budget int
	vol    []bool
	// homeReq is, per agent, what the items with a voluntary home there
	// need at home: the items without one (placements, which come
	// before any move) fit in capa less it, so that placing them needs
	// no move first. Nil when vol is (no voluntary moves).
	homeReq []float64
	// freeReq is, per item and agent (n×m), what the item's cases
	// without a voluntary home need there: they are placed before any
	// move, so they fit in capa less homeReq. Nil when vol is.
	freeReq []float64
	// shr is each item's shares and shrCap each agent's room for
	// shares (a caseload norm); nil means no norms. homeShr and freeShr
	// are to shares what homeReq and freeReq are to effort (per agent
	// and per item); nil when there are no norms or vol is nil.
	shr, shrCap      []float64
	homeShr, freeShr []float64
	base, full       []float64
}

// gapEps is the tolerance of cost and capacity comparisons.
const gapEps = 1e-9

// A gapState is an assignment being improved: where each item is (-1
// for unassigned), each agent's used capacity and new items.
type gapState struct {
	g     *gapInstance
	where []int32
	used  []float64
	news  []int32
	moved int // items moved off a voluntary home
	// freeUsed and freeShr are, per agent, what the cases without a
	// voluntary home use of capacity and of shares; nil when homeReq
	// (homeShr) is.
	freeUsed, freeShr []float64
	shr               []float64
	cost              float64
	scr               *gapScratch // shared with clones; nil until needed
}

// gapScratch is working memory that the clones of a gapState share;
// they run one at a time.
type gapScratch struct {
	at, start, next, moved []int32
	gain, most             []float64
}

// scratch returns the working memory of s, made on first use.
func (s *gapState) scratch() *gapScratch {
	if s.scr == nil {
		s.scr = &gapScratch{}
	}
	return s.scr
}

func newGapState(g *gapInstance) *gapState {
	s := &gapState{g: g, where: make([]int32, g.n), used: make([]float64, g.m), news: make([]int32, g.m), shr: make([]float64, g.m)}
	if g.homeReq != nil {
		s.freeUsed = make([]float64, g.m)
	}
	if g.homeShr != nil {
		s.freeShr = make([]float64, g.m)
	}
	for i := range s.where {
		s.where[i] = -1
	}
	return s
}

func (s *gapState) clone() *gapState {
	return &gapState{g: s.g, where: slices.Clone(s.where), used: slices.Clone(s.used), news: slices.Clone(s.news), shr: slices.Clone(s.shr), cost: s.cost, moved: s.moved, freeUsed: slices.Clone(s.freeUsed), freeShr: slices.Clone(s.freeShr), scr: s.scr}
}

// fits reports whether item i can join agent j, with freed of the
// agent's capacity given back (by an item it would eject).
func (s *gapState) fits(i, j int, freed float64) bool {
	g := s.g
	k := i*g.m + j
	if !g.ok[k] || s.used[j]-freed+g.req[k] > g.capa[j]+gapEps*(1+g.capa[j]) {
		return false
	}
	if g.shr != nil && s.shr[j]+g.shr[i] > g.shrCap[j]+1e-6 {
		return false
	}
	if g.budget >= 0 && g.moves(i, j) && s.moved >= g.budget {
		return false
	}
	if g.homeReq != nil && g.freeReq[k] > 0 && s.freeUsed[j]+g.freeReq[k] > g.capa[j]-g.homeReq[j]+gapEps*(1+g.capa[j]) {
		return false
	}
	if g.homeShr != nil && g.freeShr[i] > 0 && s.freeShr[j]+g.freeShr[i] > g.shrCap[j]-g.homeShr[j]+1e-6 {
		return false
	}
	return g.slots[j] < 0 || int(g.home[i]) == j || s.news[j]+g.cases(i) <= g.slots[j]
}

// moves reports whether item i at agent j counts against the budget:
// it leaves a voluntary home.
func (g *gapInstance) moves(i, j int) bool {
	return g.vol != nil && g.vol[i] && int(g.home[i]) != j
}

// cases returns the number of cases item i holds.
func (g *gapInstance) cases(i int) int32 {
	if g.size == nil {
		return 1
	}
	return g.size[i]
}

func (s *gapState) add(i, j int) {
	g := s.g
	s.where[i] = int32(j)
	s.used[j] += g.req[i*g.m+j]
	s.cost += g.cost[i*g.m+j]
	if int(g.home[i]) != j {
		s.news[j] += g.cases(i)
	}
	if g.moves(i, j) {
		s.moved++
	}
	if g.homeReq != nil {
		s.freeUsed[j] += g.freeReq[i*g.m+j]
	}
	if g.homeShr != nil {
		s.freeShr[j] += g.freeShr[i]
	}
	if g.shr != nil {
		s.shr[j] += g.shr[i]
	}
}

func (s *gapState) remove(i int) {
	g := s.g
	j := int(s.where[i])
	s.where[i] = -1
	s.used[j] -= g.req[i*g.m+j]
	s.cost -= g.cost[i*g.m+j]
	if int(g.home[i]) != j {
		s.news[j] -= g.cases(i)
	}
	if g.moves(i, j) {
		s.moved--
	}
	if g.homeReq != nil {
		s.freeUsed[j] -= g.freeReq[i*g.m+j]
	}
	if g.homeShr != nil {
		s.freeShr[j] -= g.freeShr[i]
	}
	if g.shr != nil {
		s.shr[j] -= g.shr[i]
	}
}

// unassigned counts the items without an agent.
func (s *gapState) unassigned() int {
	k := 0
	for _, w := range s.where {
		if w < 0 {
			k++
		}
	}
	return k
}

// recost sums the cost again, in item order, against drift.
func (s *gapState) recost() {
	g := s.g
	s.cost = 0
	for i := range g.n {
		if j := s.where[i]; j >= 0 {
			s.cost += g.cost[i*g.m+int(j)]
		}
	}
	clear(s.used)
	for i, j := range s.where {
		if j >= 0 {
			s.used[j] += g.req[i*g.m+int(j)]
		}
	}
}

// better reports whether a beats b: fewer unassigned items, then lower
// cost, then a lower spread Σ (base+used)²/full.
func (a *gapState) better(b *gapState) bool {
	if b == nil {
		return true
	}
	ua, ub := a.unassigned(), b.unassigned()
	if ua != ub {
		return ua < ub
	}
	if math.Abs(a.cost-b.cost) > gapEps*(1+math.Abs(b.cost)) {
		return a.cost < b.cost
	}
	return a.spread() < b.spread()-gapEps
}

// spread returns Σ (base+used)²/full over agents with capacity.
func (s *gapState) spread() float64 {
	g := s.g
	v := 0.0
	for j := range g.m {
		if g.full[j] > 0 {
			l := g.base[j] + s.used[j]
			v += l * l / g.full[j]
		}
	}
	return v
}

// construct places the unassigned items of s by regret: repeatedly the
// item whose best and second-best agents (by desirability d, with room)
// differ most goes to its best. Items with no agent with room stay
// unassigned. O(n²·m).
func (s *gapState) construct(d []float64) {
	g := s.g
	var open []int
	for i, w := range s.where {
		if w < 0 {
			open = append(open, i)
		}
	}
	for len(open) > 0 {
		bestK, bestJ, bestRegret := -1, -1, math.Inf(-1)
		for k := 0; k < len(open); k++ {
			i := open[k]
			b1, b2, j1 := math.Inf(1), math.Inf(1), -1
			for j := range g.m {
				if !s.fits(i, j, 0) {
					continue
				}
				v := d[i*g.m+j]
				if v < b1 {
					b2, b1, j1 = b1, v, j
				} else if v < b2 {
					b2 = v
				}
			}
			if j1 < 0 {
				// Nowhere to go: it stays out.
				open[k] = open[len(open)-1]
				open = open[:len(open)-1]
				k--
				continue
			}
			r := b2 - b1
			if r > bestRegret || (r == bestRegret && i < open[bestK]) {
				bestK, bestJ, bestRegret = k, j1, r
			}
		}
		if bestK < 0 {
			break
		}
		s.add(open[bestK], bestJ)
		open[bestK] = open[len(open)-1]
		open = open[:len(open)-1]
	}
}

// repair tries to place each unassigned item by ejecting one item of
// an agent to another agent with room, cheapest first.
func (s *gapState) repair() {
	g := s.g
	for i := range g.n {
		if s.where[i] >= 0 {
			continue
		}
		bestD, bj, bk, bj2 := math.Inf(1), -1, -1, -1
		for j := range g.m {
			if !g.ok[i*g.m+j] {
				continue
			}
			if s.fits(i, j, 0) {
				if c := g.cost[i*g.m+j]; c < bestD {
					bestD, bj, bk = c, j, -1
				}
				continue
			}
			for k := range g.n {
				if int(s.where[k]) != j || !s.fits(i, j, g.req[k*g.m+j]) {
					continue
				}
				for j2 := range g.m {
					if j2 == j || !s.fits(k, j2, 0) {
						continue
					}
					dc := g.cost[i*g.m+j] + g.cost[k*g.m+j2] - g.cost[k*g.m+j]
					if dc < bestD {
						bestD, bj, bk, bj2 = dc, j, k, j2
					}
				}
			}
		}
		if bj < 0 {
			continue
		}
		if bk >= 0 {
			s.remove(bk)
			s.add(bk, bj2)
			if !s.fits(i, bj, 0) {
				// Each fit was checked against the state before the
				// other: together they may break a limit (the move
				// budget, when both leave a home). Take k back.
				s.remove(bk)
				s.add(bk, bj)
				continue
			}
		}
		s.add(i, bj)
	}
}

// improve runs shifts and swaps that lower the cost (or keep it and
// lower the spread), and ejection chains that lower the cost when
// those find nothing, until none is left or ctx is done. It returns
// false if ctx stopped it.
func (s *gapState) improve(ctx context.Context) bool {
	return s.improveFrom(ctx, nil)
}

// improveFrom is improve for a state that differs from one improve
// left only on the agents marked in touched (nil: any agent may
// differ): the first round tries only swaps that involve them.
func (s *gapState) improveFrom(ctx context.Context, touched []bool) bool {
	g := s.g
	// A swap of items on agents a and b that failed stays failed while
	// neither agent changes (its cost is fixed, and the rules it must
	// keep look at those two agents only, but for the move budget,
	// which counts moves anywhere): after the first round, swaps are
	// tried only where an agent changed in this round or the last,
	// which prev and cur mark, unless every says to try them all (the
	// first round without touched, the round after a chain, and any
	// round under a move budget, where cur is nil).
	var prev, cur []bool
	every, everyNext := true, false
	if g.budget < 0 {
		prev, cur = make([]bool, g.m), make([]bool, g.m)
		if touched != nil {
			copy(cur, touched) // the "last round" of the first
			every = false
		}
	}
	mark := func(a, b int) {
		if cur != nil {
			cur[a], cur[b] = true, true
		}
	}
	for round := 0; ; round++ {
		if ctx.Err() != nil {
			return false
		}
		changed := false
		if cur != nil {
			prev, cur = cur, prev
			clear(cur)
			if round > 0 {
				every, everyNext = everyNext, false
			}
		}
		// Shifts.
		for i := range g.n {
			a := int(s.where[i])
			if a < 0 {
				continue
			}
			ca, ra := g.cost[i*g.m+a], g.req[i*g.m+a]
			bj, bd, bs := -1, 0.0, 0.0
			for j := range g.m {
				if j == a || !s.fits(i, j, 0) {
					continue
				}
				dc := g.cost[i*g.m+j] - ca
				ds := s.shiftSpread(a, j, ra, g.req[i*g.m+j])
				if dc < bd-gapEps || (math.Abs(dc-bd) <= gapEps && ds < bs-gapEps) {
					bj, bd, bs = j, dc, ds
				}
			}
			if bj >= 0 {
				mark(a, bj)
				s.remove(i)
				s.add(i, bj)
				changed = true
			}
		}
		// Swaps that lower the cost. When only some agents changed, an
		// item on an agent that did not is paired only with the items
		// of agents that did (as of the round's start: a pair it
		// skips whose agent changes later in the round waits for the
		// next one).
		var moved []int32 // ascending; nil: every item
		if !every {
			moved = s.scratch().moved[:0]
			for k, b := range s.where {
				if b >= 0 && (prev[b] || cur[b]) {
					moved = append(moved, int32(k))
				}
			}
			s.scr.moved = moved
		}
		next := 0 // the first of moved after i
		for i := range g.n {
			for next < len(moved) && int(moved[next]) <= i {
				next++
			}
			a := int(s.where[i])
			if a < 0 {
				continue
			}
			all := every || prev[a] || cur[a]
			for k, t := i+1, next; ; k++ {
				if !all {
					if t == len(moved) {
						break
					}
					k, t = int(moved[t]), t+1
				} else if k >= g.n {
					break
				}
				b := int(s.where[k])
				if b < 0 || b == a || !every && !prev[a] && !prev[b] && !cur[a] && !cur[b] {
					continue
				}
				ia, ib, ka, kb := i*g.m+a, i*g.m+b, k*g.m+a, k*g.m+b
				if !g.ok[ib] || !g.ok[ka] {
					continue
				}
				dc := g.cost[ib] + g.cost[ka] - g.cost[ia] - g.cost[kb]
				if dc >= -gapEps {
					continue
				}
				if s.used[a]-g.req[ia]+g.req[ka] > g.capa[a]+gapEps*(1+g.capa[a]) ||
					s.used[b]-g.req[kb]+g.req[ib] > g.capa[b]+gapEps*(1+g.capa[b]) {
					continue
				}
				s.remove(i)
				s.remove(k)
				if !s.fits(i, b, 0) || !s.fits(k, a, 0) {
					s.add(i, a)
					s.add(k, b)
					continue
				}
				s.add(i, b)
				s.add(k, a)
				mark(a, b)
				a = b
				changed = true
			}
		}
		if !changed {
			if changed = s.chains(); changed {
				everyNext = true
			}
		}
		if !changed || round > 200 {
			s.recost()
			return true
		}
	}
}

// chains runs ejection chains of two links that lower the cost: item i
// leaves agent a for agent b, where it fits only once item k leaves b
// for the cheapest other agent c with room for k as things stand (c
// may be a). It returns whether it applied any. Each pass over the
// items takes O(n·m + Σ_b n_b·m) = O(n²) for n_b items on agent b, and
// O(n·m) again after each chain it applies.
func (s *gapState) chains() bool {
	g := s.g
	tol := func(c float64) float64 { return c + gapEps*(1+c) }
	// at[start[b]:start[b+1]] lists the items of agent b; next[k] is
	// where item k would go if it left its agent, and gain[k] what that
	// saves (negative: what it costs), capacities as they stand, and
	// most[b] the largest gain of an item of b. The scratch is shared
	// by the clones of a state.
	sc := s.scratch()
	sc.at = slices.Grow(sc.at[:0], g.n)[:g.n]
	sc.start = slices.Grow(sc.start[:0], g.m+2)[:g.m+2]
	sc.next = slices.Grow(sc.next[:0], g.n)[:g.n]
	sc.gain = slices.Grow(sc.gain[:0], g.n)[:g.n]
	sc.most = slices.Grow(sc.most[:0], g.m)[:g.m]
	at, start, next, gain, most := sc.at, sc.start, sc.next, sc.gain, sc.most
	prepare := func() {
		// Items by agent, in index order: a counting sort.
		clear(start)
		for _, b := range s.where {
			if b >= 0 {
				start[b+2]++
			}
		}
		for b := 2; b < len(start); b++ {
			start[b] += start[b-1]
		}
		for k, b := range s.where {
			if b >= 0 {
				at[start[b+1]] = int32(k)
				start[b+1]++
			}
		}
		for b := range most {
			most[b] = math.Inf(-1)
		}
		for k, b := range s.where {
			next[k], gain[k] = -1, math.Inf(-1)
			if b < 0 {
				continue
			}
			cb := g.cost[k*g.m+int(b)]
			for c := range g.m {
				kc := k*g.m + c
				if c != int(b) && g.ok[kc] && s.used[c]+g.req[kc] <= tol(g.capa[c]) && cb-g.cost[kc] > gain[k] {
					next[k], gain[k] = int32(c), cb-g.cost[kc]
				}
			}
			most[b] = max(most[b], gain[k])
		}
	}
	prepare()
	changed := false
	for i := range g.n {
		a := int(s.where[i])
		if a < 0 {
			continue
		}
		ca := g.cost[i*g.m+a]
		bestD, bb, bk := -gapEps, -1, -1
		for b := range g.m {
			ib := i*g.m + b
			if b == a || !g.ok[ib] || g.cost[ib]-ca-most[b] >= bestD {
				continue
			}
			need := s.used[b] + g.req[ib] - tol(g.capa[b]) // what k must free
			if need <= 0 {
				continue // a plain shift, which improve tries
			}
			for _, k32 := range at[start[b]:start[b+1]] {
				k := int(k32)
				if next[k] < 0 || g.req[k*g.m+b] < need {
					continue
				}
				if d := g.cost[ib] - ca - gain[k]; d < bestD {
					bestD, bb, bk = d, b, k
				}
			}
		}
		if bb < 0 {
			continue
		}
		// Apply it if every other rule allows; undo it if not.
		bc := int(next[bk])
		s.remove(i)
		s.remove(bk)
		if s.fits(bk, bc, 0) {
			s.add(bk, bc)
			if s.fits(i, bb, 0) {
				s.add(i, bb)
				changed = true
				prepare()
				continue
			}
			s.remove(bk)
		}
		s.add(bk, bb)
		s.add(i, a)
	}
	return changed
}

// shiftSpread is the change in Σ load²/full when an item using ra of
// agent a moves to agent j, where it uses rj.
func (s *gapState) shiftSpread(a, j int, ra, rj float64) float64 {
	g := s.g
	d := 0.0
	if g.full[a] > 0 {
		l := g.base[a] + s.used[a]
		d += ((l-ra)*(l-ra) - l*l) / g.full[a]
	}
	if g.full[j] > 0 {
		l := g.base[j] + s.used[j]
		d += ((l+rj)*(l+rj) - l*l) / g.full[j]
	}
	return d
}

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
