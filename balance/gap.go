package balance

import (
	"math"
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
	// freshAtHome is, per item, how many of its cases are new to its
	// home (a family's queued cases beside its held ones); nil for none.
	freshAtHome []int32
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
	return g.slots[j] < 0 || s.news[j]+g.fresh(i, j) <= g.slots[j]
}

// fresh returns how many cases of item i are new to agent j: all of
// them but at its home, where only the queued ones of a family are.
func (g *gapInstance) fresh(i, j int) int32 {
	if int(g.home[i]) != j {
		return g.cases(i)
	}
	if g.freshAtHome == nil {
		return 0
	}
	return g.freshAtHome[i]
}

// limit returns the code of the limit that keeps item i, which may go
// to agent j, out of j in s: the caseload norm (or the shares that
// held cases keep until they move), the intake cap, capacity (or the
// room held cases keep), else the utilization ceiling below capacity
// ([CodeOverload]: evening out effort, or [RebalanceOptions.FitCeiling]).
// An item that fits, left out by the search's limits (the move budget,
// a search stopped early), reads as capacity.
func (s *gapState) limit(i, j int) Code {
	g := s.g
	k := i*g.m + j
	tol := func(c float64) float64 { return c + gapEps*(1+math.Abs(c)) }
	normOut := g.shr != nil && s.shr[j]+g.shr[i] > g.shrCap[j]+1e-6 ||
		g.homeShr != nil && g.freeShr[i] > 0 && s.freeShr[j]+g.freeShr[i] > g.shrCap[j]-g.homeShr[j]+1e-6
	room := g.full[j] - g.base[j] // capacity, whatever the ceiling
	switch {
	case normOut:
		return CodeAtNorm
	case g.slots[j] >= 0 && s.news[j]+g.fresh(i, j) > g.slots[j]:
		return CodeIntakeCap
	case s.used[j]+g.req[k] > tol(room),
		g.homeReq != nil && g.freeReq[k] > 0 && s.freeUsed[j]+g.freeReq[k] > tol(room-g.homeReq[j]):
		return CodeOverCapacity
	case s.used[j]+g.req[k] > tol(g.capa[j]),
		g.homeReq != nil && g.freeReq[k] > 0 && s.freeUsed[j]+g.freeReq[k] > tol(g.capa[j]-g.homeReq[j]):
		return CodeOverload
	}
	return CodeOverCapacity
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
	s.news[j] += g.fresh(i, j)
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
	s.news[j] -= g.fresh(i, j)
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
