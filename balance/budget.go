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
		if hi-lo <= 1e-6*hi || s.checkCancel() {
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
// taking the fewest held units off each worker above T (the smallest
// unit that clears the excess, else the largest and repeat) and placing
// them, heaviest first, where they fit best under T. It reports whether
// it succeeded within the budget; on failure the state is left for the
// caller to restore.
func (s *solver) clearAbove(T float64) bool {
	over := s.fullestFirst(func(j int32) bool { return s.util[j] > T+eps })
	var pool []int32
	for _, a := range over {
		excess := s.load[a] - int64(math.Floor(T/s.inv[a]))
		var cands []int32
		for _, x := range s.on[a] {
			if u := &s.units[x]; !u.free && !u.anchored && !u.stuck && u.pos == u.orig {
				cands = append(cands, x)
			}
		}
		slices.SortFunc(cands, func(x, y int32) int {
			return cmp.Or(cmp.Compare(s.units[y].w, s.units[x].w), compareUnits(&s.units[x], &s.units[y]))
		})
		for excess > 0 {
			if len(cands) == 0 {
				return false
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
				return false
			}
			pool = append(pool, x)
			excess -= s.units[x].w
		}
	}
	slices.SortFunc(pool, func(x, y int32) int {
		return cmp.Or(cmp.Compare(s.units[y].w, s.units[x].w), compareUnits(&s.units[x], &s.units[y]))
	})
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
