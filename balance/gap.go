package balance

import (
	"cmp"
	"context"
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
	// costTol bounds the rounding error of a sum of four allowed
	// costs; 0 until improve works it out.
	costTol float64
	// scr is the working memory its states share (see
	// [gapState.scratch]).
	scr *gapScratch
	// work counts the search's steps and looks at its ctx; nil until
	// the first step (see [gapInstance.steps]).
	work *gapWork
}

// A gapWork counts the elementary steps of one solve of a gapInstance
// (a look at an item and an agent, or at a pair of items), looks at
// ctx every gapLook steps, and says when the steps pass a limit. The
// count, not the clock, decides where a search under the limit ends,
// so that a solve that ctx does not stop is deterministic. It lives as
// long as one call of [Team.Propose], like the solver's ctx.
type gapWork struct {
	ctx     context.Context
	steps   int64 // steps so far
	next    int64 // the steps at which ctx is looked at next
	limit   int64 // the steps the search may take; 0 means no limit
	stopped bool  // ctx was done at a look
}

// gapLook is how many steps the search takes between two looks at
// ctx: about 50 µs of them.
const gapLook = 1 << 14

// newGapWork returns a count of steps for a search of g under ctx,
// limited to limit steps (0: no limit).
func newGapWork(ctx context.Context, limit int64) *gapWork {
	return &gapWork{ctx: ctx, limit: limit}
}

// steps adds k steps to the count of g's search and reports whether
// ctx was done at the last look. The first call looks at once.
func (g *gapInstance) steps(k int) bool {
	w := g.work
	if w == nil {
		w = newGapWork(context.Background(), 0)
		g.work = w
	}
	w.steps += int64(k)
	if w.steps >= w.next && !w.stopped {
		w.next = w.steps + gapLook
		w.stopped = w.ctx.Err() != nil
	}
	return w.stopped
}

// stopped reports whether ctx was done at the search's last look.
func (g *gapInstance) stopped() bool { return g.work != nil && g.work.stopped }

// spent reports whether the search took all the steps it may, or ctx
// stopped it: the improvement of a complete assignment then ends.
func (g *gapInstance) spent() bool {
	w := g.work
	return w != nil && (w.stopped || w.limit > 0 && w.steps >= w.limit)
}

// spentHalf reports whether the search took half the steps it may,
// or ctx stopped it.
func (g *gapInstance) spentHalf() bool {
	w := g.work
	return w != nil && (w.stopped || w.limit > 0 && w.steps >= w.limit/2)
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
	// repair's: per agent the items whose cheapest other agent it is.
	follow [][]int32
	// construct's: per item its two best agents, its regret and its
	// place in the heap; the heap; per agent the items relying on it.
	j1, j2, pos, heap []int32
	sorted            []int32
	need              []gapNeed
	off, end, at2     []int32
	lost              []int32
	regret            []float64
	deps              [][]int32
	// improve's swap bounds (m×m) and candidate agents.
	low  []float64
	cand []bool
}

// scratch returns the working memory of s, made on first use and
// shared by every state of its instance: they run one at a time.
func (s *gapState) scratch() *gapScratch {
	if s.scr == nil {
		if s.g.scr == nil {
			s.g.scr = &gapScratch{}
		}
		s.scr = s.g.scr
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
// differ most goes to its best, ties to the lowest index. Items with no
// agent with room stay unassigned, as do those it has not come to when
// ctx is done (see [gapInstance.steps]); it reports false then.
//
// Placing items only fills agents, so an agent that has no room for an
// item never has room for it again, and an item's two best agents
// change only when one of them loses its room: construct keeps each
// item's two best agents, in the order of d and then of index, and
// after each placement looks again only at the items that rely on the
// agent it filled (a look each), scanning the agents of those it no
// longer has room for (the move budget, once used up, takes room
// everywhere at once: every item is scanned again). The regrets are
// kept in a heap. For u unassigned items, the time is O(u·m) to start,
// then O(m) for each item that loses one of its two agents, O(log u)
// per change of regret, and one step for each item that relies on the
// agent a placement fills.
func (s *gapState) construct(d []float64) bool {
	g := s.g
	sc := s.scratch()
	if len(sc.j1) < g.n {
		sc.j1, sc.j2 = make([]int32, g.n), make([]int32, g.n)
		sc.regret = make([]float64, g.n)
		sc.pos = make([]int32, g.n)
		sc.off, sc.end, sc.at2, sc.lost = make([]int32, g.n), make([]int32, g.n), make([]int32, g.n), make([]int32, g.n)
	}
	if len(sc.deps) < g.m {
		sc.deps = make([][]int32, g.m)
	}
	j1, j2, regret, pos, deps := sc.j1, sc.j2, sc.regret, sc.pos, sc.deps[:g.m]
	for j := range deps {
		deps[j] = deps[j][:0]
	}
	// scan finds item i's two best agents with room; it reports false
	// if it has none.
	scan := func(i int) bool {
		b1, b2, a1, a2 := math.Inf(1), math.Inf(1), int32(-1), int32(-1)
		row := d[i*g.m : (i+1)*g.m]
		for j := range g.m {
			if !s.fits(i, j, 0) {
				continue
			}
			if v := row[j]; v < b1 {
				b2, a2, b1, a1 = b1, a1, v, int32(j)
			} else if v < b2 {
				b2, a2 = v, int32(j)
			}
		}
		j1[i], j2[i], regret[i] = a1, a2, b2-b1
		return a1 >= 0
	}
	// An item that loses agents often gets its allowed agents sorted by
	// d, then index, in sorted[off[i]:end[i]], where at2[i] is the place
	// of its second agent (or end[i]): the agents before it but its
	// first have no room, and never will again, so that its two best
	// agents are found by walking on, O(m) in all. off[i] is −1 until
	// then; lost[i] counts its losses.
	sorted := sc.sorted[:0]
	defer func() { sc.sorted = sorted[:0] }()
	off, end, at2, lost := sc.off[:g.n], sc.end[:g.n], sc.at2[:g.n], sc.lost[:g.n]
	for i := range off {
		off[i], lost[i] = -1, 0
	}
	// walk finds item i's two best agents with room on its sorted list,
	// from place x on.
	walk := func(i, x int) bool {
		row := d[i*g.m : (i+1)*g.m]
		a1, a2 := int32(-1), int32(-1)
		at2[i] = end[i]
		for ; x < int(end[i]); x++ {
			if j := sorted[x]; s.fits(i, int(j), 0) {
				if a1 < 0 {
					a1 = j
					continue
				}
				a2, at2[i] = j, int32(x)
				break
			}
		}
		g.steps(x - int(off[i]))
		j1[i], j2[i], regret[i] = a1, a2, math.Inf(1)
		if a2 >= 0 {
			regret[i] = row[a2] - row[a1]
		}
		return a1 >= 0
	}
	// lose updates item i, which lost agent j, one of its two best.
	lose := func(i, j int) bool {
		if off[i] < 0 {
			if lost[i]++; lost[i] < 3 {
				g.steps(g.m)
				return scan(i)
			}
			// Sort its allowed agents: O(m log m), once.
			off[i] = int32(len(sorted))
			row, ok := d[i*g.m:(i+1)*g.m], g.ok[i*g.m:(i+1)*g.m]
			for a := range ok {
				if ok[a] {
					sorted = append(sorted, int32(a))
				}
			}
			end[i] = int32(len(sorted))
			seg := sorted[off[i]:end[i]]
			slices.SortFunc(seg, func(a, b int32) int {
				return cmp.Or(cmp.Compare(row[a], row[b]), cmp.Compare(a, b))
			})
			g.steps(len(seg) * 8)
			return walk(i, int(off[i]))
		}
		if int32(j) == j1[i] {
			j1[i] = j2[i] // the second becomes the first
		}
		if j1[i] < 0 {
			return false
		}
		// The second is the next with room after the place of the last.
		x := int(at2[i]) + 1
		x0 := x
		row := d[i*g.m : (i+1)*g.m]
		j2[i], regret[i], at2[i] = -1, math.Inf(1), end[i]
		for ; x < int(end[i]); x++ {
			if a := sorted[x]; s.fits(i, int(a), 0) {
				j2[i], regret[i], at2[i] = a, row[a]-row[j1[i]], int32(x)
				break
			}
		}
		g.steps(1 + x - x0)
		return true
	}
	// most[j] holds the most any item filed under agent j needs of
	// each of its limits: while j has room for that, it has room for
	// every one of them, and a placement there looks at none.
	if len(sc.need) < g.m {
		sc.need = make([]gapNeed, g.m)
	}
	most := sc.need[:g.m]
	file := func(k, a int) {
		deps[a] = append(deps[a], int32(k))
		most[a].add(g, k, a)
	}
	h := &regretHeap{items: sc.heap[:0], regret: regret, pos: pos}
	defer func() { sc.heap = h.items[:0] }()
	// start (again) scans every unassigned item, and heaps and files
	// under their agents those with somewhere to go.
	start := func() bool {
		h.items = h.items[:0]
		for j := range deps {
			deps[j] = deps[j][:0]
			most[j] = gapNeed{}
		}
		for i, w := range s.where {
			pos[i] = -1
			if w >= 0 {
				continue
			}
			if g.steps(g.m) {
				return false
			}
			found := false
			if off[i] >= 0 {
				found = walk(i, int(off[i]))
			} else {
				found = scan(i)
			}
			if found {
				pos[i] = int32(len(h.items))
				h.items = append(h.items, int32(i))
				file(i, int(j1[i]))
				if j2[i] >= 0 {
					file(i, int(j2[i]))
				}
			}
		}
		h.init()
		return true
	}
	if !start() {
		return false
	}
	for len(h.items) > 0 {
		i := int(h.pop())
		j := int(j1[i])
		before := s.moved
		s.add(i, j)
		if g.budget >= 0 && before < g.budget && s.moved >= g.budget {
			// The budget is used up: every item may lose agents.
			if !start() {
				return false
			}
			continue
		}
		if g.steps(1) {
			return false
		}
		if most[j].fits(s, j) {
			continue // every item filed under j still has room there
		}
		list := deps[j]
		if g.steps(len(list)) {
			return false
		}
		keep := list[:0]
		most[j] = gapNeed{}
		for _, k32 := range list {
			k := int(k32)
			if pos[k] < 0 || j1[k] != int32(j) && j2[k] != int32(j) {
				continue // placed, left out, or no longer relying on j
			}
			if s.fits(k, j, 0) {
				keep = append(keep, k32)
				most[j].add(g, k, j)
				continue
			}
			// k loses j; the other of its two stays one of them.
			other := j1[k]
			if other == int32(j) {
				other = j2[k]
			}
			if !lose(k, j) {
				h.remove(k) // nowhere to go: it stays out
				continue
			}
			for _, a := range [2]int32{j1[k], j2[k]} {
				if a >= 0 && a != other {
					file(k, int(a))
				}
			}
			h.fix(k)
		}
		deps[j] = keep
	}
	return true
}

// A gapNeed is the most some items need of each limit of an agent
// ([gapState.fits]): effort, shares, new cases, and the effort and
// shares of their cases without a voluntary home.
type gapNeed struct {
	req, shr, freeReq, freeShr float64
	fresh                      int32
}

// add makes n cover item i on agent j.
func (n *gapNeed) add(g *gapInstance, i, j int) {
	k := i*g.m + j
	n.req = max(n.req, g.req[k])
	n.fresh = max(n.fresh, g.fresh(i, j))
	if g.shr != nil {
		n.shr = max(n.shr, g.shr[i])
	}
	if g.freeReq != nil {
		n.freeReq = max(n.freeReq, g.freeReq[k])
	}
	if g.freeShr != nil {
		n.freeShr = max(n.freeShr, g.freeShr[i])
	}
}

// fits reports whether agent j has room in s for all that n covers:
// then each item it covers, allowed there, fits there but for the move
// budget (the sums below are those of fits with larger terms).
func (n *gapNeed) fits(s *gapState, j int) bool {
	g := s.g
	if s.used[j]+n.req > g.capa[j]+gapEps*(1+g.capa[j]) {
		return false
	}
	if g.shr != nil && s.shr[j]+n.shr > g.shrCap[j]+1e-6 {
		return false
	}
	if g.homeReq != nil && s.freeUsed[j]+n.freeReq > g.capa[j]-g.homeReq[j]+gapEps*(1+g.capa[j]) {
		return false
	}
	if g.homeShr != nil && s.freeShr[j]+n.freeShr > g.shrCap[j]-g.homeShr[j]+1e-6 {
		return false
	}
	return g.slots[j] < 0 || s.news[j]+n.fresh <= g.slots[j]
}

// A regretHeap orders items by regret, highest first, ties to the
// lowest index; pos[i] is item i's place in items, or -1.
type regretHeap struct {
	items  []int32
	regret []float64
	pos    []int32
}

func (h *regretHeap) less(a, b int32) bool {
	ra, rb := h.regret[a], h.regret[b]
	return ra > rb || ra == rb && a < b
}

func (h *regretHeap) swap(x, y int) {
	h.items[x], h.items[y] = h.items[y], h.items[x]
	h.pos[h.items[x]], h.pos[h.items[y]] = int32(x), int32(y)
}

func (h *regretHeap) up(x int) {
	for x > 0 {
		p := (x - 1) / 2
		if !h.less(h.items[x], h.items[p]) {
			return
		}
		h.swap(x, p)
		x = p
	}
}

func (h *regretHeap) down(x int) {
	n := len(h.items)
	for {
		c := 2*x + 1
		if c >= n {
			return
		}
		if c+1 < n && h.less(h.items[c+1], h.items[c]) {
			c++
		}
		if !h.less(h.items[c], h.items[x]) {
			return
		}
		h.swap(x, c)
		x = c
	}
}

func (h *regretHeap) init() {
	for x, i := range h.items {
		h.pos[i] = int32(x)
	}
	for x := len(h.items)/2 - 1; x >= 0; x-- {
		h.down(x)
	}
}

// pop removes and returns the item of highest regret.
func (h *regretHeap) pop() int32 {
	i := h.items[0]
	h.remove(int(i))
	return i
}

// remove takes item i out of the heap.
func (h *regretHeap) remove(i int) {
	x := int(h.pos[i])
	last := len(h.items) - 1
	if x != last {
		h.swap(x, last)
	}
	h.items = h.items[:last]
	h.pos[i] = -1
	if x < last {
		h.fix(int(h.items[x]))
	}
}

// fix restores the order after item i's regret changed.
func (h *regretHeap) fix(i int) {
	x := int(h.pos[i])
	h.up(x)
	h.down(int(h.pos[i]))
}

// repair tries to place each unassigned item by ejecting one item of
// an agent to another agent with room, cheapest first. It stops when
// ctx is done (see [gapInstance.steps]), and reports false then.
//
// It keeps the items of each agent, in index order, and, for each item
// it has looked at, the cheapest other agent with room for it (ties to
// the lowest index): an ejection then costs one look. After each
// change it checks those agents against the two agents that changed,
// unless a change uses up the move budget or gives room back under it,
// when it forgets them. For u unassigned items the time is O(n + u·(n
// + m)), plus O(m) for each agent sought and O(n) after each change.
func (s *gapState) repair() bool {
	g := s.g
	var open []int32
	for i, w := range s.where {
		if w < 0 {
			open = append(open, int32(i))
		}
	}
	if len(open) == 0 {
		return true
	}
	if g.steps(g.n) {
		return false
	}
	sc := s.scratch()
	if len(sc.deps) < g.m {
		sc.deps = make([][]int32, g.m)
	}
	at := sc.deps[:g.m]
	for j := range at {
		at[j] = at[j][:0]
	}
	for k, w := range s.where {
		if w >= 0 {
			at[w] = append(at[w], int32(k))
		}
	}
	sc.next = slices.Grow(sc.next[:0], g.n)[:g.n]
	next := sc.next // per item its cheapest other agent with room; -2 if not yet sought
	for k := range next {
		next[k] = -2
	}
	// follow[c] lists the items whose next was set to c (some since
	// moved on): when c only loses room, only they can lose it as their
	// next.
	if len(sc.follow) < g.m {
		sc.follow = make([][]int32, g.m)
	}
	follow := sc.follow[:g.m]
	for c := range follow {
		follow[c] = follow[c][:0]
	}
	seek := func(k int) int32 {
		if next[k] != -2 {
			return next[k]
		}
		a, best, bc := int(s.where[k]), int32(-1), math.Inf(1)
		for j := range g.m {
			if j != a && s.fits(k, j, 0) {
				if c := g.cost[k*g.m+j]; c < bc || best < 0 {
					best, bc = int32(j), c
				}
			}
		}
		next[k] = best
		if best >= 0 {
			follow[best] = append(follow[best], int32(k))
		}
		return best
	}
	// insert puts item k in agent j's list, in index order; drop
	// takes it out.
	insert := func(j, k int) {
		l := at[j]
		x, _ := slices.BinarySearch(l, int32(k))
		at[j] = slices.Insert(l, x, int32(k))
	}
	drop := func(j, k int) {
		l := at[j]
		if x, ok := slices.BinarySearch(l, int32(k)); ok {
			at[j] = slices.Delete(l, x, x+1)
		}
	}
	// changed updates what was sought after agents a and b changed.
	// Agents a and b changed; a gained room in some limit if gained.
	// Only a can gain room (it gave up an item), and then any item may
	// now prefer it: every item is looked at, O(n). Otherwise only the
	// followers of a and b are.
	changed := func(a, b int, movedBefore int, gained bool) {
		if g.budget >= 0 && (movedBefore >= g.budget) != (s.moved >= g.budget) {
			for k := range next {
				next[k] = -2
			}
			return
		}
		if !gained {
			for _, c := range [2]int{a, b} {
				if c < 0 {
					continue
				}
				l := follow[c]
				g.steps(len(l))
				keep := l[:0]
				for _, k32 := range l {
					if k := int(k32); next[k] == int32(c) {
						if s.fits(k, c, 0) {
							keep = append(keep, k32)
						} else {
							next[k] = -2
						}
					}
				}
				follow[c] = keep
			}
			return
		}
		g.steps(g.n)
		for k, nk := range next {
			if nk == -2 {
				continue
			}
			w := int(s.where[k])
			for _, c := range [2]int{a, b} {
				if c < 0 || c == w {
					continue
				}
				// The costs first: they rule out most items at once.
				switch {
				case int(nk) == c:
					if !s.fits(k, c, 0) {
						nk = -2
					}
				case nk != -2 && g.ok[k*g.m+c] && (nk < 0 || g.cost[k*g.m+c] < g.cost[k*g.m+int(nk)] || g.cost[k*g.m+c] == g.cost[k*g.m+int(nk)] && int32(c) < nk) && s.fits(k, c, 0):
					nk = int32(c)
					follow[c] = append(follow[c], int32(k))
				}
			}
			next[k] = nk
		}
	}
	for _, i32 := range open {
		i := int(i32)
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
			if g.steps(1 + len(at[j])) {
				return false
			}
			for _, k32 := range at[j] {
				k := int(k32)
				if !s.fits(i, j, g.req[k*g.m+j]) {
					continue
				}
				if next[k] == -2 && g.steps(g.m) {
					return false
				}
				j2 := int(seek(k))
				if j2 < 0 {
					continue
				}
				dc := g.cost[i*g.m+j] + g.cost[k*g.m+j2] - g.cost[k*g.m+j]
				if dc < bestD {
					bestD, bj, bk, bj2 = dc, j, k, j2
				}
			}
		}
		if bj < 0 {
			continue
		}
		before := s.moved
		room := s.roomOf(bj)
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
			drop(bj, bk)
			insert(bj2, bk)
			next[bk] = -2
		}
		s.add(i, bj)
		insert(bj, i)
		next[i] = -2
		if g.steps(1) {
			return false
		}
		changed(bj, bj2, before, s.roomOf(bj).more(room))
	}
	return true
}

// A gapRoom is what an agent has used of each of its limits.
type gapRoom struct {
	used, shr, freeUsed, freeShr float64
	news                         int32
}

// roomOf returns what agent j has used of each limit in s.
func (s *gapState) roomOf(j int) gapRoom {
	r := gapRoom{used: s.used[j], shr: s.shr[j], news: s.news[j]}
	if s.freeUsed != nil {
		r.freeUsed = s.freeUsed[j]
	}
	if s.freeShr != nil {
		r.freeShr = s.freeShr[j]
	}
	return r
}

// more reports whether r leaves more room than was in some limit.
func (r gapRoom) more(was gapRoom) bool {
	return r.used < was.used || r.shr < was.shr || r.news < was.news || r.freeUsed < was.freeUsed || r.freeShr < was.freeShr
}
