package balance

import (
	"cmp"
	"math"
	"slices"
)

// Limits of the shed search (see [solver.shedLevels]). It tries at
// most shedLevels levels, each in up to shedVariants manners; each node
// tries at most shedBranch workers for a unit and shedBranch workers to
// make room on, a chain moves at most shedChain units off the worker it
// makes room on, and each search stops after shedNodes nodes or
// shedWork units of work (a worker or a unit looked at), whichever
// comes first: a search on a team of 25 workers stops at the node
// limit (it does at most about 17,000 units of work there), one on a
// large team at the work limit, so that the cost stays bounded whatever
// the input. A search that finds an assignment does so in a few dozen
// nodes on the reference teams; eight times the nodes find no lower
// levels there, nor do ten levels rather than six (four already reach
// the same proposals: the local search that polishes the lowest level
// found does the rest).
const (
	shedLevels   = 6
	shedVariants = 8
	shedBranch   = 3
	shedChain    = 4
	shedNodes    = 1 << 7
	shedWork     = 1 << 17
)

// A shedder searches, for a target utilization T, which held units
// leave the workers above T and who takes them, so that every worker
// ends at T or below within the move budget. It is the decision the
// target method ([solver.clearAbove]) makes greedily, made by a
// depth-first search with backtracking: which of a worker's units leave
// is a choice it can take back when they find no room, where the greedy
// method keeps its first choice.
type shedder struct {
	s    *solver
	T    float64
	lim  []int64   // per worker, the most load at utilization T
	over []int32   // the workers above T, in the order searched
	home [][]int32 // per worker, the units they hold that may move, heaviest first
	// homePre holds, per worker, the prefix sums of the weights of home.
	homePre [][]int64
	units   [][]int32 // per worker of over, their home list
	pre     [][]int64 // per worker of over, their homePre
	excess  []int64   // per worker of over, the load still to shed
	after   []int     // after[i]: the fewest moves the workers over[i:] need
	overAt  []int     // per worker: their index in over, or -1
	cands   [][]int32 // per depth, the workers tried for the unit
	budget  int       // moves left, or -1 for no limit
	nodes   int
	work    int // workers and units looked at
	// variant chooses the manner: with bit 0 the workers above T go
	// least excess first, else fullest first; with bit 1 a unit tries
	// the workers with the least room for it first, else those
	// emptiest after taking it; with bit 2 room is made with the
	// heaviest units first, else with the lightest that make it. The
	// manners fail on different teams.
	variant int
	chained bool // room was made on a worker
	// Buffers, per depth: the units of a worker room is made on, and
	// those moved to make it.
	held, moved [][]int32
}

// Outcomes of one shed search.
const (
	shedFail  = iota // no assignment found in the space searched
	shedFound        // every worker at T or below, in place
	shedStop         // the node limit or ctx stopped the search
)

// shedLevels looks for levels below the maximum of the current
// assignment that the shed search reaches from start, by bisection
// between the bound and that maximum, and keeps the best assignment it
// finds, polished by the local search, if it beats the current one.
// The greedy target method fails on teams where a few workers hold
// skills the others lack: the units that must leave the fullest worker
// are the ones only the other holders of its skills may take, and which
// of them leave decides whether they fit.
//
// Time: O(n log n) for n units to list the units once, then at most
// shedLevels × shedVariants searches, each of at most shedWork units of
// work and O(m log m) for m workers to set up, and O(n) to take back a
// search that found a level.
func (s *solver) shedLevels(movable func(u *unit) bool, start []int32) {
	if s.cancelled || s.ro.maxMoves <= 0 {
		return
	}
	lb, _ := s.bound()
	if hi := s.maxUtil(); hi-lb <= 1e-5*hi {
		return // nothing to look for
	}
	best, bestObj := s.snapshot(), s.objective()
	lo, hi := lb, bestObj.max
	var found []int32
	s.restore(start)
	h := s.newShedder()
	for range shedLevels {
		if hi-lo <= 1e-5*hi || s.stopIfDone() {
			break
		}
		T := lo + (hi-lo)/2
		if found == nil {
			// The first level tried is just below the current maximum:
			// if even that fails, no lower level is worth the work.
			T = hi - max(1e-4*hi, (hi-lo)/64)
		}
		// A search that finds nothing leaves the assignment as it found
		// it, at start. The manners that make room another way are
		// tried only after a search that made room.
		r, chained := shedFail, [shedVariants]bool{}
		for v := range shedVariants {
			if v&4 != 0 && !chained[v&^4] {
				continue
			}
			r = h.shed(T, v)
			chained[v] = h.chained
			if r == shedFound || s.cancelled {
				break
			}
		}
		if r == shedFound {
			hi = T
			if found == nil {
				found = make([]int32, len(s.units))
			}
			for x := range s.units {
				found[x] = s.units[x].pos
			}
			s.restore(start)
			continue
		}
		if r == shedStop && s.cancelled {
			break
		}
		if found == nil {
			break
		}
		lo = T
	}
	if found == nil {
		s.restore(best)
		return
	}
	s.restore(found)
	s.improve(movable, s.ro.minGain)
	if o := s.objective(); !bestObj.worse(o) {
		s.restore(best)
	}
}

// newShedder returns a shedder for the current assignment, whose
// buffers serve every search from it: per worker, the units they hold
// that may move, heaviest first, are listed once.
func (s *solver) newShedder() *shedder {
	h := &shedder{s: s, lim: make([]int64, s.m), overAt: make([]int, s.m), home: make([][]int32, s.m), homePre: make([][]int64, s.m)}
	stays := func(u *unit) bool { return !u.free && !u.anchored && !u.stuck && u.pos == u.orig }
	// One array holds every list.
	count := make([]int, s.m+1)
	for x := range s.units {
		if u := &s.units[x]; stays(u) {
			count[u.pos+1]++
		}
	}
	for j := range s.m {
		count[j+1] += count[j]
	}
	all := make([]int32, count[s.m])
	for j := range s.m {
		h.home[j] = all[count[j]:count[j]:count[j+1]]
	}
	for x := range s.units {
		if u := &s.units[x]; stays(u) {
			h.home[u.pos] = append(h.home[u.pos], int32(x))
		}
	}
	pre := make([]int64, 0, count[s.m]+s.m)
	for j, xs := range h.home {
		slices.SortFunc(xs, s.heavierFirst)
		start := len(pre)
		pre = append(pre, 0)
		for _, x := range xs {
			pre = append(pre, pre[len(pre)-1]+s.units[x].w)
		}
		h.homePre[j] = pre[start:len(pre):len(pre)]
	}
	return h
}

// shed runs the shed search for level T in the given manner from the
// current assignment, and returns its outcome. On shedFound the
// assignment it found is in place; otherwise the assignment is as it
// was.
func (h *shedder) shed(T float64, variant int) int {
	s := h.s
	h.T, h.variant, h.nodes, h.work, h.budget, h.chained = T, variant, 0, 0, -1, false
	if s.ro.maxMoves >= 0 {
		h.budget = s.ro.maxMoves - s.moved
	}
	for j := range int32(s.m) {
		h.overAt[j] = -1
		if s.capH[j] == 0 {
			h.lim[j] = math.MaxInt64
			continue
		}
		h.lim[j] = s.loadAt(j, T)
	}
	h.over = s.fullestFirst(func(j int32) bool { return s.load[j] > h.lim[j] })
	if variant&1 != 0 {
		slices.SortStableFunc(h.over, func(a, b int32) int { return cmp.Compare(s.load[a]-h.lim[a], s.load[b]-h.lim[b]) })
	}
	n := len(h.over)
	h.units = grow(h.units, n)
	h.pre = slices.Grow(h.pre[:0], n)[:n]
	h.excess = slices.Grow(h.excess[:0], n)[:n]
	h.after = slices.Grow(h.after[:0], n+1)[:n+1]
	depth := 0
	for i, a := range h.over {
		xs := h.home[a]
		h.units[i], h.pre[i] = xs, h.homePre[a]
		h.excess[i] = s.load[a] - h.lim[a]
		h.overAt[a] = i
		depth += len(xs)
	}
	h.after[n] = 0
	for i := n - 1; i >= 0; i-- {
		need, ok := fewest(h.pre[i], 0, h.excess[i])
		if !ok {
			return shedFail
		}
		h.after[i] = h.after[i+1] + need
	}
	if h.budget >= 0 && h.after[0] > h.budget {
		return shedFail
	}
	// Each node is one level deeper at most.
	depth = min(depth, shedNodes) + 1
	h.cands = grow(h.cands, depth)
	h.held = grow(h.held, depth)
	h.moved = grow(h.moved, depth)
	return h.dfs(0, 0, 0, 0)
}

// grow returns bufs with at least n buffers, keeping those it has.
func grow(bufs [][]int32, n int) [][]int32 {
	if len(bufs) < n {
		bufs = append(bufs, make([][]int32, n-len(bufs))...)
	}
	return bufs
}

// fewest returns the fewest units from position p of a list, heaviest
// first, whose weights sum to at least e, given the list's prefix sums
// pre, and false if all of them do not.
func fewest(pre []int64, p int, e int64) (int, bool) {
	if e <= 0 {
		return 0, true
	}
	r, _ := slices.BinarySearch(pre[p:], pre[p]+e)
	return r, r < len(pre)-p
}

// dfs decides unit p of worker over[i] and the units after it, at the
// given depth, with used moves spent so far. The first choice at each
// unit is the greedy one: leave, for the worker with room emptiest
// after taking it; then the other workers with room, then the workers
// room is made on, then stay.
func (h *shedder) dfs(i, p, depth, used int) int {
	s := h.s
	h.nodes++
	if h.nodes > shedNodes || h.work > shedWork || (h.nodes%64 == 0 && s.stopIfDone()) || s.cancelled {
		return shedStop
	}
	for i < len(h.over) && h.excess[i] <= 0 {
		i, p = i+1, 0
	}
	if i == len(h.over) {
		return shedFound
	}
	xs := h.units[i][p:]
	// The fewest of the units left that cover the excess, and the moves
	// of the workers after: beyond the budget, no completion exists.
	n, ok := fewest(h.pre[i], p, h.excess[i])
	if !ok || h.budget >= 0 && used+n+h.after[i+1] > h.budget {
		return shedFail
	}
	x := xs[0]
	u := &s.units[x]
	a := h.over[i]
	for _, b := range h.receivers(u, i, depth) {
		s.place(x, b)
		h.excess[i] -= u.w
		if k := h.overAt[b]; k >= 0 {
			h.excess[k] += u.w
		}
		r := h.dfs(i, p+1, depth+1, used+1)
		h.excess[i] += u.w
		if k := h.overAt[b]; k >= 0 {
			h.excess[k] -= u.w
		}
		if r == shedFound {
			return r
		}
		s.place(x, a)
		if r == shedStop {
			return r
		}
	}
	// Room made for u on a worker at T or below by moving a few of their
	// own units on to others: a chain through a third worker.
	if h.budget < 0 || used+2+h.after[i+1] <= h.budget {
		for _, b := range h.lacking(u, i, depth) {
			ys, made := h.makeRoom(u, b, used+1+h.after[i+1], depth)
			if made {
				s.place(x, b)
				h.excess[i] -= u.w
				r := h.dfs(i, p+1, depth+1, used+1+len(ys))
				h.excess[i] += u.w
				if r == shedFound {
					return r
				}
				s.place(x, a)
			}
			for _, y := range slices.Backward(ys) {
				s.place(y, b)
			}
			if s.cancelled || h.nodes > shedNodes || h.work > shedWork {
				return shedStop
			}
		}
	}
	return h.dfs(i, p+1, depth+1, used)
}

// lacking returns, for unit u at the given depth, up to shedBranch
// workers at T or below who may take u but lack the room, those who
// lack the least first.
func (h *shedder) lacking(u *unit, i, depth int) []int32 {
	s := h.s
	out := h.cands[depth][:0]
	walkHeap(s.classAt(u.class).heap, func(b int32) bool {
		h.work++
		if s.util[b] > h.T {
			return false
		}
		if k := h.overAt[b]; k >= i {
			return true // still to shed, or shedding now
		}
		if s.capH[b] > 0 && s.load[b]+u.w > h.lim[b] && s.fits(u, b, nil) {
			out = append(out, b)
		}
		return true
	})
	slices.SortStableFunc(out, func(b, c int32) int {
		return cmp.Compare(s.load[b]-h.lim[b], s.load[c]-h.lim[c])
	})
	if len(out) > shedBranch {
		out = out[:shedBranch]
	}
	h.cands[depth] = out
	return out
}

// makeRoom moves units of b that b holds, each to the worker at T or
// below emptiest after taking it, until b has room for u: each time the
// lightest unit that makes the rest of the room, else the heaviest. It
// moves at most shedChain units and stays within the budget given moves
// already spent. It returns the units it moved, in order, and whether
// it made the room; the caller takes them back.
func (h *shedder) makeRoom(u *unit, b int32, spent, depth int) ([]int32, bool) {
	s := h.s
	h.chained = true
	xs := h.held[depth][:0]
	defer func() { h.held[depth] = xs }()
	h.work += len(s.on[b])
	for _, y := range s.on[b] {
		if v := &s.units[y]; !v.free && !v.anchored && !v.stuck && v.pos == v.orig {
			xs = append(xs, y)
		}
	}
	slices.SortFunc(xs, s.heavierFirst)
	ys := h.moved[depth][:0]
	defer func() { h.moved[depth] = ys }()
	for need := s.load[b] + u.w - h.lim[b]; need > 0; {
		if len(ys) == shedChain || h.budget >= 0 && spent+len(ys)+1 > h.budget {
			return ys, false
		}
		pick, to := -1, int32(-1)
		for k, y := range xs {
			v := &s.units[y]
			if v.pos != b || !s.fits(u, b, v) {
				continue
			}
			if pick >= 0 && v.w < need && s.units[xs[pick]].w >= need {
				break // lighter units do not make the room alone
			}
			if c := h.emptiestFor(v, b); c >= 0 {
				pick, to = k, c
				if v.w < need || h.variant&4 != 0 {
					break // none makes the room alone: the heaviest
				}
			}
		}
		if pick < 0 {
			return ys, false
		}
		y := xs[pick]
		s.place(y, to)
		ys = append(ys, y)
		need -= s.units[y].w
	}
	return ys, true
}

// emptiestFor returns the worker below T other than skip, emptiest
// after taking unit v, with room for it who may take it, or -1.
func (h *shedder) emptiestFor(v *unit, skip int32) int32 {
	s := h.s
	best, bestU := int32(-1), math.Inf(1)
	walkHeap(s.classAt(v.class).heap, func(c int32) bool {
		h.work++
		if s.util[c] > h.T {
			return false
		}
		if c == skip || s.capH[c] == 0 || s.load[c]+v.w > h.lim[c] || !s.fits(v, c, nil) {
			return true
		}
		if a := s.after(c, v.w); a < bestU {
			best, bestU = c, a
		}
		return true
	})
	return best
}

// receivers returns, for unit u off worker over[i] at the given
// depth, up to shedBranch workers at T or below with room for it who
// may take it, emptiest after taking it first, and then one of the
// workers still above T who come later and may take it (their excess
// grows by it: a unit only they and u's worker may take can go nowhere
// else); of workers alike in capacity, load and classes only the first.
func (h *shedder) receivers(u *unit, i, depth int) []int32 {
	s := h.s
	cands := h.cands[depth][:0]
	walkHeap(s.classAt(u.class).heap, func(b int32) bool {
		h.work++
		if s.util[b] > h.T {
			return false // the rest are fuller still
		}
		if s.capH[b] == 0 || s.load[b]+u.w > h.lim[b] || !s.fits(u, b, nil) {
			return true
		}
		for _, c := range cands {
			if s.capM[c] == s.capM[b] && s.load[c] == s.load[b] && s.sameClasses(b, c) {
				return true
			}
		}
		cands = append(cands, b)
		return true
	})
	if h.variant&2 != 0 {
		slices.SortStableFunc(cands, func(b, c int32) int { return cmp.Compare(h.lim[b]-s.load[b], h.lim[c]-s.load[c]) })
	} else {
		slices.SortStableFunc(cands, func(b, c int32) int { return cmpFloat(s.after(b, u.w), s.after(c, u.w)) })
	}
	if len(cands) > shedBranch {
		cands = cands[:shedBranch]
	}
	cl := &s.classes[u.class]
	for _, b := range h.over[i+1:] {
		if h.excess[h.overAt[b]] > 0 && cl.has(b) && s.fits(u, b, nil) {
			cands = append(cands, b)
			break
		}
	}
	h.cands[depth] = cands
	return cands
}

// sameClasses reports whether workers b and c belong to the same
// classes.
func (s *solver) sameClasses(b, c int32) bool {
	return slices.EqualFunc(s.classOf[b], s.classOf[c], func(x, y memberRef) bool { return x.class == y.class })
}
