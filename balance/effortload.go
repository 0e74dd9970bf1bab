package balance

import (
	"context"
	"math"
	"slices"
)

// effortItems is the most movable cases or families a rebalance under
// PolicyLoad evens out by effort, when effort differs between workers,
// and effortWork the most items² × workers (the GAP heuristic's
// construction); above either it evens out weight (see
// [CodeEffortVaries]).
const (
	effortItems = 1000
	effortWork  = 100_000_000
)

// setCeiling sets every agent's capacity for the items to what keeps
// their utilization, fixed load included, at most ceiling.
func (g *gapInstance) setCeiling(ceiling float64) {
	for k := range g.capa {
		g.capa[k] = math.Max(0, ceiling*g.full[k]-g.base[k])
	}
}

// lowestCeiling returns, by bisection, about the lowest utilization
// ceiling (within 0.1%) at which placing the items largest first, each
// where it leaves the least utilization, then repairing, leaves no more
// items out than at any ceiling: the level to which effort can be
// evened out. Each try takes O(n·m + n log n). It leaves the
// capacities set for the ceiling it tried last.
func lowestCeiling(ctx context.Context, g *gapInstance) float64 {
	// Items by their least size relative to capacity, largest first.
	size := make([]float64, g.n)
	order := make([]int, g.n)
	for i := range g.n {
		order[i] = i
		size[i] = math.Inf(1)
		for j := range g.m {
			if k := i*g.m + j; g.ok[k] && g.full[j] > 0 {
				size[i] = min(size[i], g.req[k]/g.full[j])
			}
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(size[b], size[a]) })
	out := func(ceiling float64) int {
		g.setCeiling(ceiling)
		s := newGapState(g)
		for _, i := range order {
			best, bu := -1, math.Inf(1)
			for j := range g.m {
				if !s.fits(i, j, 0) {
					continue
				}
				u := math.Inf(1)
				if g.full[j] > 0 {
					u = (g.base[j] + s.used[j] + g.req[i*g.m+j]) / g.full[j]
				} else if g.req[i*g.m+j] == 0 {
					u = 0
				}
				if u < bu || best < 0 {
					best, bu = j, u
				}
			}
			if best >= 0 {
				s.add(i, best)
			}
		}
		s.repair()
		return s.unassigned()
	}
	least := out(math.MaxFloat64 / 4)
	hi := 1.0
	for out(hi) > least && hi < 1e12 && ctx.Err() == nil {
		hi *= 2
	}
	lo := 0.0
	for range 40 {
		if hi-lo <= 1e-3*hi || ctx.Err() != nil {
			break
		}
		mid := lo + (hi-lo)/2
		if out(mid) > least {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}
