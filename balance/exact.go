package balance

import (
	"math"
	"slices"
)

// exactNodes caps the nodes the exact search visits; past it the search
// gives up and the heuristic result stands.
const exactNodes = 1 << 20

// exactLevelNodes caps the nodes of an exact search that cannot lower
// the maximum, only even out the rest ([solver.exact]).
const exactLevelNodes = 1 << 12

// exact replaces the heuristic assignment of the units movable reports
// by an optimal one, found by depth-first branch and bound, when the
// search finishes within exactNodes nodes. Small teams, where local
// search is most easily trapped, get a proven optimum this way.
//
// Units are assigned heaviest first. Loads only grow as the search goes
// deeper, so the fullest worker so far bounds every completion; a
// branch that cannot beat the best objective found is cut. It returns
// the number of nodes it visited.
func (s *solver) exact(movable func(u *unit) bool) (nodes int) {
	if s.cancelled || s.ro.noExact {
		return 0
	}
	movable = notStuck(movable)
	var xs []int32
	for x := range s.units {
		if u := &s.units[x]; movable(u) && (u.pos >= 0 || u.free) {
			xs = append(xs, int32(x))
		}
	}
	if len(xs) == 0 || len(xs) > 24 {
		return 0
	}
	slices.SortFunc(xs, s.heavierFirst)
	// Urgency ranks of the free units, for choosing what waits.
	var free []int32
	for _, x := range xs {
		if s.units[x].free {
			free = append(free, x)
		}
	}
	slices.SortStableFunc(free, s.urgent)
	rank := make(map[int32]int, len(free))
	for r, x := range free {
		rank[x] = r
	}
	objective := func() objective {
		o := s.objective()
		o.wait = []int{}
		for _, x := range free {
			if s.units[x].pos < 0 {
				o.wait = append(o.wait, rank[x])
			}
		}
		return o
	}
	start := s.snapshot()
	best, bestPos := objective(), start
	// Candidates per unit, in worker order.
	cands := make([][]int32, len(xs))
	for k, x := range xs {
		u := &s.units[x]
		if !u.free {
			cands[k] = append(cands[k], u.orig)
		}
		for _, b := range s.classes[u.class].elig {
			if b != u.orig && !u.declined(b) {
				cands[k] = append(cands[k], b)
			}
		}
		slices.Sort(cands[k])
		if u.free {
			cands[k] = append(cands[k], -1) // waiting, as a last resort
		}
	}
	for _, x := range xs {
		s.place(x, -1)
	}
	limit := exactNodes
	if best.unplaced == 0 && !fuller(best.max, s.leastMax(xs, cands)) {
		// Nothing waits, and no plan of these units has a lower
		// maximum: it then cuts no branch, and the search, left to
		// even out the rest, visits every plan. On a team of 500 with
		// a few queued cases it ran to exactNodes and gave up, 0.3–0.7
		// s, where a proposal took 30 ms: it gets a short search
		// instead.
		limit = exactLevelNodes
	}
	var dfs func(k, moves int) bool
	dfs = func(k, moves int) bool {
		nodes++
		if nodes > limit || s.cancelled {
			return false
		}
		if nodes%256 == 0 && s.stopIfDone() {
			return false
		}
		// When the best leaves nothing waiting, cut a branch that leaves
		// something waiting, strands more load with workers who have no
		// capacity, or is already fuller, as [objective.worse] reads
		// two maxima (beyond a billionth of the larger, of 1 below
		// 100%). (With units waiting, which ones wait comes first, and
		// nothing is cut.) Stranded load and fullness only grow deeper
		// down.
		if best.unplaced == 0 && (s.unplaced-(len(xs)-k) > 0 || s.stranded > best.stranded ||
			s.stranded == best.stranded && fuller(s.maxUtil(), best.max)) {
			return true
		}
		if k == len(xs) {
			if o := objective(); best.worse(o) {
				best, bestPos = o, s.snapshot()
			}
			return true
		}
		x := xs[k]
		u := &s.units[x]
		for _, b := range cands[k] {
			if b < 0 {
				ok := dfs(k+1, moves)
				if !ok {
					return false
				}
				continue
			}
			mv := moves
			if !u.free && b != u.orig {
				mv++
			}
			if !s.within(u, b, nil) || (s.ro.maxMoves >= 0 && mv > s.ro.maxMoves) {
				continue
			}
			if u.prefer >= 0 && b != u.prefer && s.fits(u, u.prefer, nil) {
				continue // a family goes to its worker when they may take it
			}
			s.place(x, b)
			ok := dfs(k+1, mv)
			s.place(x, -1)
			if !ok {
				return false
			}
		}
		return true
	}
	complete := dfs(0, 0)
	s.restore(start)
	if complete {
		s.restore(bestPos)
	}
	return nodes
}

// leastMax returns a lower bound on the maximum utilization of any
// plan that places every unit of xs, each on one of its candidates
// (cands, -1 for waiting), with the units of xs off the team: the
// fullest worker as it is, and for each unit the least full any of its
// candidates would be with it alone.
func (s *solver) leastMax(xs []int32, cands [][]int32) float64 {
	lb := s.maxUtil()
	for k, x := range xs {
		least := math.Inf(1)
		for _, b := range cands[k] {
			if b >= 0 {
				least = min(least, s.after(b, s.units[x].w))
			}
		}
		if !math.IsInf(least, 1) {
			lb = max(lb, least)
		}
	}
	return lb
}

// fuller reports whether a maximum utilization of m is above one of
// best beyond the rounding of [objective.worse]: a billionth of the
// larger, of 1 below 100%.
func fuller(m, best float64) bool { return m-best > 1e-9*max(1, m) }
