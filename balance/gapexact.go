package balance

import (
	"context"
	"math"
)

// gapExactItems and gapExactNodes bound the exhaustive search of small
// GAP instances: at most gapExactItems items, and gapExactNodes nodes.
const (
	gapExactItems = 16
	gapExactNodes = 200_000
)

// exactGAP searches every assignment of the items of s's instance that
// places them all, depth first with the cost of the best found as the
// cut, starting from s (which must place every item). It returns the
// best assignment and whether the search was complete, which proves it
// optimal. It gives up past gapExactNodes nodes or when ctx is done.
func exactGAP(ctx context.Context, s *gapState) (*gapState, bool) {
	g := s.g
	if g.n > gapExactItems || s.unassigned() > 0 {
		return s, false
	}
	// rest[i] is the least cost of items i.. over their allowed agents:
	// no assignment of them costs less.
	rest := make([]float64, g.n+1)
	for i := g.n - 1; i >= 0; i-- {
		least := math.Inf(1)
		for j := range g.m {
			if k := i*g.m + j; g.ok[k] {
				least = min(least, g.cost[k])
			}
		}
		if math.IsInf(least, 1) {
			return s, false // an item nobody may take: s could not place it
		}
		rest[i] = rest[i+1] + least
	}
	best := s.clone()
	cur := newGapState(g)
	nodes := 0
	complete := true
	var dfs func(i int)
	dfs = func(i int) {
		if !complete {
			return
		}
		if nodes++; nodes > gapExactNodes || nodes%1024 == 0 && ctx.Err() != nil {
			complete = false
			return
		}
		if cur.cost+rest[i] >= best.cost-gapEps*(1+math.Abs(best.cost)) {
			return
		}
		if i == g.n {
			best = cur.clone()
			return
		}
		for j := range g.m {
			if cur.fits(i, j, 0) {
				cur.add(i, j)
				dfs(i + 1)
				cur.remove(i)
			}
		}
	}
	dfs(0)
	return best, complete
}
