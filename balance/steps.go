package balance

import (
	"math"
	"slices"
)

// greedyOrderLimit is the number of voluntary moves up to which steps
// are ordered greedily (best next step each time, quadratic); above it
// they are ordered once by their own gain.
const greedyOrderLimit = 300

// A stepRecord is one step of the proposal's voluntary moves, with the
// utilizations of the workers it touched, before and after.
type stepRecord struct {
	units  []int32
	before map[int32]float64
	after  map[int32]float64
}

// orderMoves orders the voluntary moves into steps, each a valid
// proposal no worse than the one before, and leaves the solver in the
// final state.
func (s *solver) orderMoves() []stepRecord {
	final := s.snapshot()
	var pending []int32
	for x := range s.units {
		if u := &s.units[x]; !u.free && u.pos != u.orig {
			pending = append(pending, int32(x))
		}
	}
	if len(pending) == 0 {
		return nil
	}
	for _, x := range pending {
		s.place(x, s.units[x].orig)
	}
	var steps []stepRecord
	cur := s.objective()
	// gainOf evaluates moving x to its final worker now.
	gainOf := func(x int32) (objective, bool) {
		u := &s.units[x]
		a, b := u.pos, final[x]
		if !s.within(u, b, nil) {
			return objective{}, false
		}
		na := float64(s.load[a]-u.w) * s.inv[a]
		nb := s.after(b, u.w)
		newMax := s.top.maxExcept(a, b)
		if s.capH[a] > 0 {
			newMax = math.Max(newMax, na)
		}
		if s.capH[b] > 0 {
			newMax = math.Max(newMax, nb)
		}
		stranded := cur.stranded
		if s.capH[a] == 0 {
			stranded -= u.h
		}
		if s.capH[b] == 0 {
			stranded += u.h
		}
		return objective{unplaced: cur.unplaced, stranded: stranded, max: newMax, spread: cur.spread + s.dSpread(a, b, u.w)}, true
	}
	better := func(o, p objective, x, y int32) bool {
		if o.worse(p) != p.worse(o) {
			return p.worse(o)
		}
		return compareUnits(&s.units[x], &s.units[y]) < 0
	}
	if len(pending) > greedyOrderLimit {
		// Order once by each move's own gain from the start.
		type scored struct {
			x int32
			o objective
			f bool
		}
		sc := make([]scored, len(pending))
		for k, x := range pending {
			o, f := gainOf(x)
			sc[k] = scored{x, o, f}
		}
		slices.SortStableFunc(sc, func(a, b scored) int {
			if a.f != b.f {
				if a.f {
					return -1
				}
				return 1
			}
			if better(a.o, b.o, a.x, b.x) {
				return -1
			}
			if better(b.o, a.o, b.x, a.x) {
				return 1
			}
			return 0
		})
		for k, p := range sc {
			pending[k] = p.x
		}
	}
	var group []int32
	rec := stepRecord{before: map[int32]float64{}, after: map[int32]float64{}}
	touch := func(x int32) {
		for _, w := range []int32{s.units[x].pos, final[x]} {
			if _, ok := rec.before[w]; !ok {
				rec.before[w] = s.hoursUtil(w)
			}
		}
	}
	for len(pending) > 0 {
		if s.checkCancel() {
			// Out of time: the rest are judged as one group below.
			for _, x := range pending {
				touch(x)
				s.place(x, final[x])
			}
			group = append(group, pending...)
			pending = nil
			break
		}
		pick := 0
		if len(pending) <= greedyOrderLimit {
			var bestO objective
			found := false
			for k, x := range pending {
				o, ok := gainOf(x)
				if ok && (!found || better(o, bestO, x, pending[pick])) {
					pick, bestO, found = k, o, true
				}
			}
		}
		x := pending[pick]
		pending = slices.Delete(pending, pick, pick+1)
		touch(x)
		s.place(x, final[x])
		group = append(group, x)
		now := s.objective()
		if !now.worse(cur) && s.validAgainst(rec.before) {
			for w := range rec.before {
				rec.after[w] = s.hoursUtil(w)
			}
			rec.units = group
			steps = append(steps, rec)
			cur = now
			group = nil
			rec = stepRecord{before: map[int32]float64{}, after: map[int32]float64{}}
		}
	}
	if len(group) > 0 {
		if !s.objective().worse(cur) && s.validAgainst(rec.before) {
			// Stopped early: the rest go as one step.
			for w := range rec.before {
				rec.after[w] = s.hoursUtil(w)
			}
			rec.units = group
			return append(steps, rec)
		}
		// What is left does not add up to a step no worse than the one
		// before (its gain lay in moves already taken): leave it out. The
		// proposal is then better, with fewer moves.
		for _, x := range group {
			s.place(x, s.units[x].orig)
		}
	}
	return steps
}

// validAgainst reports whether the workers touched since a step began
// break no caseload norm or hard capacity they kept before it.
func (s *solver) validAgainst(before map[int32]float64) bool {
	for w := range before {
		if s.norm[w] >= 0 && s.shares[w] > s.normLimit[w] {
			return false
		}
		if s.ro.hardCapacity && s.hours[w] > s.hourLimit[w] {
			return false
		}
	}
	return true
}
