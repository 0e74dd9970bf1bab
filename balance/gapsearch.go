package balance

import (
	"context"
	"math"
	"slices"
)

// improve runs shifts and swaps that lower the cost (or keep it and
// lower the spread), and ejection chains that lower the cost when
// those find nothing, until none is left, the search has taken the
// steps it may, or ctx is done (see [gapInstance.steps]). It returns
// false if ctx stopped it. A round of shifts takes O(n·m) steps, one of
// swaps O(n²) (fewer after the first), and chains O(n·m) for each one
// they apply.
func (s *gapState) improve(ctx context.Context) bool {
	return s.improveFrom(ctx, nil)
}

// begin gives g's search a count of steps under ctx, with no limit,
// unless it has one.
func (g *gapInstance) begin(ctx context.Context) {
	if g.work == nil {
		g.work = newGapWork(ctx, 0)
	}
}

// improveFrom is improve for a state that differs from one improve
// left only on the agents marked in touched (nil: any agent may
// differ): the first round tries only swaps that involve them.
func (s *gapState) improveFrom(ctx context.Context, touched []bool) bool {
	g := s.g
	g.begin(ctx)
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
		if g.steps(1) || g.spent() {
			s.recost()
			return !g.stopped()
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
			if g.steps(g.m) {
				break
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
		// Only the agents b whose items could gain enough by going to
		// a (at most low[b*m+a] each) are paired with an item of a.
		low := s.swapBounds()
		cand := slices.Grow(s.scr.cand[:0], g.m)[:g.m]
		s.scr.cand = cand
		next := 0 // the first of moved after i
		for i := range g.n {
			for next < len(moved) && int(moved[next]) <= i {
				next++
			}
			a := int(s.where[i])
			if a < 0 {
				continue
			}
			if g.steps(g.m) || g.spent() {
				break
			}
			if !s.swapCands(i, a, low, cand) {
				continue
			}
			all := every || prev[a] || cur[a]
			if all {
				if g.steps(g.n-i) || g.spent() {
					break
				}
			} else if g.steps(len(moved)-next) || g.spent() {
				break
			}
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
				if b < 0 || !cand[b] || !every && !prev[a] && !prev[b] && !cur[a] && !cur[b] {
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
				// Each is checked with the other in place: checked
				// against the state without both, two moves off their
				// homes could pass the budget by one.
				s.remove(i)
				s.remove(k)
				if !s.fits(i, b, 0) {
					s.add(i, a)
					s.add(k, b)
					continue
				}
				s.add(i, b)
				if !s.fits(k, a, 0) {
					s.remove(i)
					s.add(i, a)
					s.add(k, b)
					continue
				}
				s.add(k, a)
				s.lowerSwapBounds(low, i, b)
				s.lowerSwapBounds(low, k, a)
				mark(a, b)
				a = b
				changed = true
				g.steps(g.m) // counted; the loop reads spent() before its next item
				if !s.swapCands(i, a, low, cand) {
					break
				}
			}
		}
		if !changed && !g.spent() {
			if changed = s.chains(); changed {
				everyNext = true
			}
		}
		if !changed || round > 200 || g.spent() {
			s.recost()
			return !g.stopped()
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
		g.steps(g.n * g.m)
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
		if g.steps(g.m) || g.spent() {
			break
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
			g.steps(int(start[b+1] - start[b]))
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

// swapBounds returns, per pair of agents b and a (at b·m+a), a lower
// bound on cost[k,a] − cost[k,b] over the items k on b allowed on a
// (+Inf if there are none): no swap of such an item with one of a
// saves more than that item of a loses by going to b, plus it. It takes
// O(n·m) steps.
func (s *gapState) swapBounds() []float64 {
	g := s.g
	sc := s.scratch()
	low := slices.Grow(sc.low[:0], g.m*g.m)[:g.m*g.m]
	sc.low = low
	for x := range low {
		low[x] = math.Inf(1)
	}
	g.steps(g.n * g.m)
	if g.costTol == 0 {
		most := 0.0
		for k, c := range g.cost {
			if g.ok[k] {
				most = max(most, math.Abs(c))
			}
		}
		// Four sums of numbers up to most, each rounding by at most
		// half an ulp of the largest: well within 16 ulps.
		g.costTol = 16 * (math.Nextafter(most, math.Inf(1)) - most)
		if g.costTol == 0 {
			g.costTol = math.SmallestNonzeroFloat64
		}
	}
	for k, b := range s.where {
		if b >= 0 {
			s.lowerSwapBounds(low, k, int(b))
		}
	}
	return low
}

// lowerSwapBounds makes the bounds of swapBounds hold for item k on
// agent b.
func (s *gapState) lowerSwapBounds(low []float64, k, b int) {
	g := s.g
	row, ok := g.cost[k*g.m:(k+1)*g.m], g.ok[k*g.m:(k+1)*g.m]
	lb := low[b*g.m : (b+1)*g.m]
	cb := row[b]
	for a, c := range row {
		if ok[a] && c-cb < lb[a] {
			lb[a] = c - cb
		}
	}
}

// swapCands marks in cand the agents whose items a swap with item i,
// on agent a, might lower the cost with (a superset: the bounds of
// swapBounds, with room for rounding), and reports whether there are
// any.
func (s *gapState) swapCands(i, a int, low []float64, cand []bool) bool {
	g := s.g
	row, ok := g.cost[i*g.m:(i+1)*g.m], g.ok[i*g.m:(i+1)*g.m]
	ca := row[a]
	some := false
	for b := range cand {
		// A swap needs dc < −gapEps, computed in another order: the
		// rounding of either sum is within g.costTol of it.
		cand[b] = b != a && ok[b] && row[b]-ca+low[b*g.m+a] < -gapEps+g.costTol
		some = some || cand[b]
	}
	return some
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
