package balance

import (
	"cmp"
	"math"
	"slices"
)

// targetMoves searches, by bisection on a target utilization T, for the
// lowest T to which clearAbove brings every worker within the budget,
// and leaves that assignment in place (or the start, if none).
func (s *solver) targetMoves() {
	start := s.snapshot()
	lo, hi := 0.0, s.maxUtil()
	var best []int32
	for range 40 {
		if hi-lo <= 1e-6*hi || s.stopIfDone() {
			break
		}
		T := lo + (hi-lo)/2
		s.restore(start)
		if s.clearAbove(T) {
			hi, best = T, s.snapshot()
		} else {
			lo = T
		}
	}
	s.restore(start)
	if best != nil {
		s.restore(best)
	}
}

// clearAbove tries to bring every worker to utilization T or below by
// taking the fewest held units off each worker above T and placing
// them, heaviest first, where they fit best under T. It reports whether
// it succeeded within the budget; on failure the state is left for the
// caller to restore.
func (s *solver) clearAbove(T float64) bool {
	pool, ok := s.takeOffAbove(T)
	return ok && s.placeUnder(T, pool)
}

// takeOffAbove takes held units off each worker above utilization T,
// fullest worker first, until they are at T or below: each time the
// smallest unit that clears the excess, else the largest, and repeat.
// It returns the units taken off, and false if a worker cannot be
// cleared or the budget does not allow it.
func (s *solver) takeOffAbove(T float64) ([]int32, bool) {
	var pool []int32
	for _, a := range s.fullestFirst(func(j int32) bool { return s.util[j] > T+eps }) {
		excess := s.load[a] - int64(math.Floor(T/s.inv[a]))
		var cands []int32
		for _, x := range s.on[a] {
			if u := &s.units[x]; !u.free && !u.anchored && !u.stuck && u.pos == u.orig {
				cands = append(cands, x)
			}
		}
		slices.SortFunc(cands, s.heavierFirst)
		for excess > 0 {
			if len(cands) == 0 {
				return pool, false
			}
			pick := 0
			for k, x := range cands {
				if s.units[x].w >= excess {
					pick = k
				}
			}
			x := cands[pick]
			cands = slices.Delete(cands, pick, pick+1)
			s.place(x, -1)
			if !s.budgetAllows(0) {
				return pool, false
			}
			pool = append(pool, x)
			excess -= s.units[x].w
		}
	}
	return pool, true
}

// placeUnder places the units of pool, heaviest first, each on the
// worker it leaves with the least room under utilization T (its own
// worker included). It reports whether every unit found a place within
// the budget.
func (s *solver) placeUnder(T float64, pool []int32) bool {
	slices.SortFunc(pool, s.heavierFirst)
	for _, x := range pool {
		u := &s.units[x]
		best, bestRoom := int32(-1), int64(math.MaxInt64)
		try := func(b int32) {
			if s.capH[b] == 0 || !s.fits(u, b, nil) {
				return
			}
			room := int64(math.Floor(T/s.inv[b])) - s.load[b] - u.w
			if room >= 0 && room < bestRoom {
				best, bestRoom = b, room
			}
		}
		try(u.orig)
		for _, b := range s.classes[u.class].elig {
			try(b)
		}
		if best < 0 {
			return false
		}
		s.place(x, best)
	}
	return s.budgetAllows(0)
}

// heavierFirst orders units by weight, heaviest first, then by ID.
func (s *solver) heavierFirst(x, y int32) int {
	return cmp.Or(cmp.Compare(s.units[y].w, s.units[x].w), compareUnits(&s.units[x], &s.units[y]))
}
