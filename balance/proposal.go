package balance

import (
	"math"
	"slices"
	"strings"
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

// hoursUtil returns worker w's load in hours over their capacity,
// whatever the policy, for the sentences people read; 0 for none.
func (s *solver) hoursUtil(w int32) float64 {
	if s.capM[w] == 0 {
		return 0
	}
	return float64(s.hours[w]) / float64(s.capM[w])
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

// proposal assembles the result from the solver's final state.
func (s *solver) proposal() *Proposal {
	t := s.t
	steps := s.orderMoves()
	pr := &Proposal{AsOf: t.asOf, Policy: s.ro.policy, Before: t.Score()}

	// Where every case goes.
	where := make([]int32, len(t.cases)) // Team worker index, or noOwner
	for i := range t.cases {
		where[i] = t.owner[i]
	}
	stepOf := map[int32]int{}
	for k, st := range steps {
		for _, x := range st.units {
			stepOf[x] = k + 1
		}
	}
	unplaced := map[int32]bool{}
	for x := range s.units {
		if u := &s.units[x]; u.stuck || (u.free && u.pos < 0) {
			unplaced[int32(x)] = true
		}
	}
	// A unit left unplaced stays where it was: queued, orphaned, or with
	// its away worker.
	for x := range s.units {
		if u := &s.units[x]; u.pos >= 0 {
			for _, i := range u.cases {
				where[i] = s.team[u.pos]
			}
		}
	}

	// Assignment, by case ID.
	order := make([]int32, len(t.cases))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int { return strings.Compare(t.cases[a].ID, t.cases[b].ID) })
	pr.Assignment = make([]Placement, len(t.cases))
	for k, i := range order {
		pr.Assignment[k] = Placement{Case: t.cases[i].ID}
		if where[i] != noOwner {
			pr.Assignment[k].Worker = t.workers[where[i]].ID
		}
	}

	// Moves: placements, then voluntary moves by step.
	unitOf := make([]int32, len(t.cases))
	for i := range unitOf {
		unitOf[i] = -1
	}
	for x := range s.units {
		for _, i := range s.units[x].cases {
			unitOf[i] = int32(x)
		}
	}
	for _, i := range order {
		c := &t.cases[i]
		if where[i] == noOwner || where[i] == t.owner[i] {
			continue
		}
		x := unitOf[i]
		u := &s.units[x]
		mv := Move{Case: c.ID, Group: c.Group, From: c.Owner, To: t.workers[where[i]].ID, Kind: s.kindOf(i)}
		if u.free {
			if u.pos == u.prefer && u.prefer >= 0 {
				mv.Reasons = append(mv.Reasons, Reason{Code: CodeFamily, Case: c.ID, Worker: mv.To, Group: c.Group}.withMessage())
			}
			if t.owner[i] != noOwner && t.absent[t.owner[i]] {
				mv.Reasons = append(mv.Reasons, Reason{Code: CodeFromAway, Case: c.ID, Worker: c.Owner}.withMessage())
			}
			mv.Reasons = append(mv.Reasons, Reason{Code: CodePlaced, Case: c.ID, Worker: mv.To, Value: s.hoursUtil(u.pos)}.withMessage())
		} else {
			mv.Kind = KindMove
			mv.Step = stepOf[x]
			st := steps[mv.Step-1]
			for _, w := range []int32{u.orig, u.pos} {
				if s.capM[w] == 0 {
					mv.Reasons = append(mv.Reasons, Reason{Code: CodeNoCapacity, Case: c.ID, Worker: t.workers[s.team[w]].ID}.withMessage())
					continue
				}
				mv.Reasons = append(mv.Reasons, Reason{Code: CodeLoadChange, Case: c.ID, Worker: t.workers[s.team[w]].ID,
					Before: st.before[w], Value: st.after[w]}.withMessage())
			}
		}
		pr.Moves = append(pr.Moves, mv)
	}
	slices.SortStableFunc(pr.Moves, func(a, b Move) int { return a.Step - b.Step })
	pr.MovesUsed = s.moved

	// Unplaceable cases, with reasons.
	for _, i := range order {
		x := unitOf[i]
		if x < 0 || !unplaced[x] {
			continue
		}
		pr.Unplaceable = append(pr.Unplaceable, Unplaced{Case: t.cases[i].ID, Owner: t.cases[i].Owner, Reasons: s.whyNot(i)})
	}

	// Notices: the team's, and families split.
	pr.Notices = t.Notices()
	split := map[string]bool{}
	for x := range s.units {
		// A family split into cases, or new members placed apart from
		// the worker who holds the rest.
		if u := &s.units[x]; u.split || (u.free && u.prefer >= 0 && u.pos >= 0 && u.pos != u.prefer) {
			if g := t.cases[u.cases[0]].Group; !split[g] {
				split[g] = true
				pr.Notices = append(pr.Notices, Reason{Code: CodeFamilySplit, Group: g}.withMessage())
			}
		}
	}
	if s.cancelled {
		pr.Notices = append(pr.Notices, Reason{Code: CodeCancelled}.withMessage())
	}

	// Scores after: the team's loads with the new owners.
	ws := make([]wstate, len(t.workers))
	for i := range t.cases {
		if w := where[i]; w != noOwner {
			c := &t.cases[i]
			ws[w].load += toMicro(float64(c.Weight))
			ws[w].shares += toMicro(c.share())
			ws[w].count++
		}
	}
	pr.After = t.score(ws)
	pr.MaxUtilization = s.maxUtil()
	pr.Spread = s.spread()
	pr.Bound, pr.Relaxed = s.bound()
	// The bound is proven; above the proposal it can only be by
	// floating-point rounding, within a billionth, which is taken off.
	// (A larger excess would be a bug, and tests would see it.)
	if pr.Bound > pr.MaxUtilization && pr.Bound <= pr.MaxUtilization*(1+1e-9) {
		pr.Bound = pr.MaxUtilization
	}
	if pr.Bound > 0 {
		pr.Gap = (pr.MaxUtilization - pr.Bound) / pr.Bound
	}
	return pr
}

// whyNot explains why no worker may take case i now: each reason with
// the number of workers it rules out, in a sentence that holds for all
// of them.
func (s *solver) whyNot(i int32) []Reason {
	t := s.t
	c := &t.cases[i]
	need, unknown := t.required(c)
	var out []Reason
	add := func(code Code, skill string) {
		for k := range out {
			if out[k].Code == code && out[k].Skill == skill {
				out[k].Count++
				return
			}
		}
		out = append(out, Reason{Code: code, Case: c.ID, Skill: skill, Count: 1})
	}
	for k := range s.m {
		w := s.team[k]
		for _, r := range t.outReasons(w, c, need, unknown, s.shares[k]+toMicro(c.share())) {
			add(r.Code, r.Skill)
		}
		if s.ro.hardCapacity && s.hours[k]+toMicro(float64(c.Weight)) > s.hourLimit[k] {
			add(CodeOverCapacity, "")
		}
	}
	rs := []Reason{Reason{Code: CodeNoEligible, Case: c.ID, Count: s.m}.withMessage()}
	for _, r := range out {
		rs = append(rs, r.withCountMessage(s.m))
	}
	return rs
}

// bound computes the proven lower bound for the proposal, and names
// what it relaxes.
func (s *solver) bound() (float64, []string) {
	if c := s.boundCache; c != nil && c.version == s.placedVersion {
		return c.value, c.relaxed
	}
	v, r := s.computeBound()
	s.boundCache = &cachedBound{version: s.placedVersion, value: v, relaxed: r}
	return v, r
}

// computeBound builds the flow bound's input from the units placed, and
// computes it. Where the units are does not matter, only which.
func (s *solver) computeBound() (float64, []string) {
	in := &boundInput{cap: s.capH, fixed: slices.Clone(s.fixed)}
	movesAllowed := s.ro.maxMoves != 0
	// Which units the bound may place, and the shares that stay put.
	room := slices.Clone(s.shares)
	var xs []int32
	for x := range s.units {
		u := &s.units[x]
		if u.pos < 0 || u.stuck {
			continue // unplaced: not part of what is bounded
		}
		if !u.free && !movesAllowed {
			in.fixed[u.orig] += u.w
			continue
		}
		room[u.pos] -= u.s
		xs = append(xs, int32(x))
	}
	for j := range s.m {
		room[j] = s.normLimit[j] - room[j]
	}
	// A worker whose caseload norm leaves no room for even the smallest
	// unit of a class takes none of it: leaving them out of the class
	// keeps the bound proven and makes it tighter.
	minShare := map[int32]int64{}
	for _, x := range xs {
		u := &s.units[x]
		if v, ok := minShare[u.class]; !ok || u.s < v {
			minShare[u.class] = u.s
		}
	}
	key := map[[2]int32]int32{}
	anyDecl, normsBind := false, false
	for _, x := range xs {
		u := &s.units[x]
		anyDecl = anyDecl || len(u.decl) > 0
		cl := &s.classes[u.class]
		// A held unit may also stay with its worker, even one who takes
		// no new work: that worker joins its class in the bound.
		extra := int32(-1)
		if !u.free && cl.bits[u.orig/64]&(1<<(u.orig%64)) == 0 {
			extra = u.orig
		}
		k := [2]int32{u.class, extra}
		c, ok := key[k]
		if !ok {
			c = int32(len(in.demand))
			key[k] = c
			var elig []int32
			for _, j := range cl.elig {
				if s.norm[j] >= 0 && room[j] < minShare[u.class] {
					continue
				}
				if s.norm[j] >= 0 {
					normsBind = true
				}
				elig = append(elig, j)
			}
			if extra >= 0 {
				elig = append(elig, extra)
			}
			in.eligible = append(in.eligible, elig)
			in.demand = append(in.demand, 0)
		}
		in.demand[c] += u.w
		in.unitW = append(in.unitW, u.w)
		in.unitC = append(in.unitC, c)
	}
	var relaxed []string
	if anyDecl {
		relaxed = append(relaxed, "declines")
	}
	if normsBind {
		relaxed = append(relaxed, "caseload norms")
	}
	if s.ro.hardCapacity {
		relaxed = append(relaxed, "hard capacity")
	}
	flow, budget := lowerBound(in), s.budgetBound()
	if budget >= flow {
		// The move budget's own bound decides; the flow's relaxations
		// do not matter.
		return budget, nil
	}
	if s.ro.maxMoves > 0 {
		relaxed = append(relaxed, "move budget")
	}
	return flow, relaxed
}

// budgetBound is a lower bound that a move budget of k gives: no
// proposal takes more than k units off any one worker, so each worker
// keeps at least what they hold now but their k heaviest movable units
// (cases they may receive only add). It is 0 without a budget.
func (s *solver) budgetBound() float64 {
	k := s.ro.maxMoves
	if k <= 0 {
		return 0
	}
	kept := slices.Clone(s.fixed)
	movable := make([][]int64, s.m)
	for x := range s.units {
		if u := &s.units[x]; !u.free {
			kept[u.orig] += u.w
			if !u.anchored && !u.stuck {
				movable[u.orig] = append(movable[u.orig], u.w)
			}
		}
	}
	lb := 0.0
	for j := range s.m {
		if s.capH[j] == 0 {
			continue
		}
		ws := movable[j]
		slices.Sort(ws)
		for i := len(ws) - 1; i >= 0 && i >= len(ws)-k; i-- {
			kept[j] -= ws[i]
		}
		lb = math.Max(lb, float64(kept[j])*s.inv[j])
	}
	return lb
}

// Apply returns a copy of p with the proposal's owners: every case the
// proposal places or moves gets its new owner and, as its Assigned
// date, the proposal's AsOf; a pin that did not bind (its worker left)
// is cleared when the case is re-placed. Cases the proposal does not
// name are left as they are. Apply does not modify p.
func (pr *Proposal) Apply(p Problem) Problem {
	to := make(map[string]string, len(pr.Moves))
	for _, mv := range pr.Moves {
		to[mv.Case] = mv.To
	}
	q := p
	q.Cases = slices.Clone(p.Cases)
	for i := range q.Cases {
		c := &q.Cases[i]
		if w, ok := to[c.ID]; ok {
			c.Owner = w
			c.Assigned = pr.AsOf
			c.Pinned = false // only a pin that did not bind moves
		}
	}
	return q
}
