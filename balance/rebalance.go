package balance

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/caseload/caseload/civil"
)

// A MoveKind says why a case changes hands in a proposal.
type MoveKind string

const (
	// KindPlace gives a queued case its first worker.
	KindPlace MoveKind = "place"
	// KindReplace re-places a case whose worker left the team, or is
	// away when [RebalanceOptions.ReplaceAway] asks for it.
	KindReplace MoveKind = "replace"
	// KindMove is a voluntary move, counted against the move budget.
	KindMove MoveKind = "move"
)

// A Move is one case changing hands.
type Move struct {
	// Case is the case's ID; Group its family, if any.
	Case  string `json:"case"`
	Group string `json:"group,omitempty"`
	// From is the worker who holds the case now ("" for a queued case);
	// To is the proposed worker.
	From string `json:"from,omitempty"`
	To   string `json:"to"`
	// Kind says why the case changes hands.
	Kind MoveKind `json:"kind"`
	// Step numbers voluntary moves from 1, in order of gain: taking the
	// moves of steps 1 to k, for any k, is a valid proposal no worse
	// than taking steps 1 to k-1. Moves that share a step (a family, a
	// swap) go together. Placements have step 0: they come with every
	// prefix.
	Step int `json:"step"`
	// Reasons explain the move.
	Reasons []Reason `json:"reasons"`
}

// Unplaced is a case the proposal could not place, with every reason.
type Unplaced struct {
	// Case is the case's ID; Owner is who holds it now, if anyone.
	Case  string `json:"case"`
	Owner string `json:"owner,omitempty"`
	// Reasons say why no worker may take it: each code with the number
	// of workers it rules out in Count.
	Reasons []Reason `json:"reasons"`
}

// A Placement is where a proposal puts one case.
type Placement struct {
	Case string `json:"case"`
	// Worker is the proposed worker, or "" if the case is unplaced.
	Worker string `json:"worker,omitempty"`
}

// A Proposal is a rebalance: who takes what, with reasons, how far it
// is from the best possible, and what it changes. It proposes; people
// decide.
type Proposal struct {
	// AsOf is the date of the problem; Policy what was evened out.
	AsOf   civil.Date `json:"as_of"`
	Policy Policy     `json:"policy"`
	// Assignment lists every case of the problem exactly once, by ID.
	Assignment []Placement `json:"assignment"`
	// Moves lists every case whose worker changes: placements first,
	// then voluntary moves by step.
	Moves []Move `json:"moves"`
	// MovesUsed counts voluntary moves against the budget: a family
	// moved together counts one.
	MovesUsed int `json:"moves_used"`
	// Unplaceable lists the cases no worker may take.
	Unplaceable []Unplaced `json:"unplaceable,omitempty"`
	// Before and After score the current and the proposed assignment.
	Before Imbalance `json:"before"`
	After  Imbalance `json:"after"`
	// MaxUtilization is the proposal's highest utilization under the
	// policy (for PolicyCounts, cases per hour of capacity), over
	// workers with capacity; Spread is Σc·u²/Σc, the capacity-weighted
	// mean of squared utilization, the secondary objective.
	MaxUtilization float64 `json:"max_utilization"`
	Spread         float64 `json:"spread"`
	// Bound is a proven lower bound on MaxUtilization: no assignment of
	// the placed cases that keeps pinned cases, families and skills can
	// do better (a max-flow relaxation over skill classes and workers,
	// bisected on the utilization level). Under a move budget of k
	// it is also at least what the fullest worker keeps after giving
	// away their k heaviest movable units. Gap is
	// (MaxUtilization - Bound) / Bound, or 0 when Bound is 0.
	Bound float64 `json:"bound"`
	Gap   float64 `json:"gap"`
	// Relaxed names the constraints the bound ignores: "declines",
	// "caseload norms", "move budget", "hard capacity". A gap under a
	// relaxed constraint may not be closable.
	Relaxed []string `json:"relaxed,omitempty"`
	// Notices repeats what [Team.Notices] says, and flags families the
	// proposal had to split.
	Notices []Reason `json:"notices,omitempty"`
}

// Propose proposes who takes what: it places every queued and orphaned
// case, and, within [RebalanceOptions.MaxMoves], moves held cases so
// that the fullest worker is as little full as possible and the rest
// is spread evenly, with as few moves as that takes.
//
// Hard constraints always hold: required skills, declines, caseload
// norms, absent workers (away, or on leave today) take nothing new and
// keep what they hold, pinned cases stay, and a family goes to one
// worker whenever some worker may take all of it (otherwise it is split
// and flagged). Capacity is soft unless [RebalanceOptions.HardCapacity]
// is set. A case that cannot be placed is listed in Unplaceable with
// its reasons. A case already held against a hard rule (its owner
// lacks a skill, declined it, or is above their norm) is flagged in the
// notices and left where it is unless a voluntary move improves the
// objective: the team decides. No case is ever dropped.
//
// The objective is lexicographic, each key breaking the ties of the one
// before:
//  1. place as many cases as possible; when not everything fits, what
//     waits is chosen by deadline, then priority, then arrival, then ID;
//  2. the least load, in hours per week, left on workers with no
//     capacity who are not absent (all of it is overload);
//  3. the lowest maximum utilization over workers with capacity (under
//     [PolicyCounts], cases per hour of capacity);
//  4. the lowest spread, Σ c_j·u_j² / Σ c_j;
//  5. the fewest voluntary moves;
//
// and remaining ties are broken by ID. The method: free cases are
// placed heaviest first on the worker left least full (longest
// processing time first), then a local search moves and swaps units off
// the fullest worker and evens out the rest; under a move budget it
// also tries, for a target utilization found by binary search, to
// clear every worker above the target with the fewest moves, and keeps
// the better result. Teams of up to 24 units are searched exactly
// (branch and bound, at most 2^20 nodes); teams of up to 2,000 units
// whose search ends more than 0.5% above the bound are annealed. The
// result carries a proven lower bound ([Proposal.Bound]).
//
// Time: validation and placement take O(n log n + n·(m/64 + g)) for n
// cases, m workers and g distinct capacities; each step of the local
// search scans the units of the fullest worker against a few of the
// emptiest workers, and every step strictly improves the objective, in
// at most 50 rounds; annealing runs 2 × 300,000 steps. The local search
// has no polynomial bound on its number of steps: pass a ctx with a
// deadline to bound the time of a call on input you do not control.
//
// The team decides. A move it refuses can be fed back as a [Decline]
// (with the worker's reason) or a pin, and Propose run again.
//
// Propose does not modify p and is deterministic: the same problem and
// options give the same proposal, whatever the order of p's slices. If
// ctx is done it stops searching and returns the best complete proposal
// found so far, with an error wrapping ctx.Err().
func Propose(ctx context.Context, p Problem, opts *RebalanceOptions) (*Proposal, error) {
	return propose(ctx, p, opts, false)
}

// propose validates p and opts and runs the solver; noExact leaves
// small instances to the heuristics, for tests.
func propose(ctx context.Context, p Problem, opts *RebalanceOptions, noExact bool) (*Proposal, error) {
	_, ro, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	ro.noExact = noExact
	var o *Options
	if opts != nil {
		o = &opts.Options
	}
	t, err := Prepare(p, o)
	if err != nil {
		return nil, err
	}
	return t.propose(ctx, ro)
}

// Propose proposes a rebalance of the prepared team; see [Propose].
// The team keeps the options it was prepared with (look-ahead, fair
// turns, bands): opts.Options must be the zero Options or resolve to
// the same settings, or Propose returns an [*InputError] wrapping
// [ErrBadOption]; prepare the team again to change them.
func (t *Team) Propose(ctx context.Context, opts *RebalanceOptions) (*Proposal, error) {
	ro, err := opts.resolveRebalance()
	if err != nil {
		return nil, err
	}
	if opts != nil && !opts.Options.isZero() {
		o, err := opts.Options.resolve()
		if err != nil {
			return nil, err
		}
		if !o.equal(t.opts) {
			return nil, &InputError{Field: "Options.Options", Err: fmt.Errorf(
				"%w: the team was prepared with other options; prepare it again to change them", ErrBadOption)}
		}
	}
	return t.propose(ctx, ro)
}

// annealUnits and annealGap bound when Propose anneals: on at most
// annealUnits units, when the search ends more than annealGap above the
// lower bound.
const (
	annealUnits = 2000
	annealGap   = 0.005
)

// propose runs the solver with resolved options.
func (t *Team) propose(ctx context.Context, ro rebalanceOptions) (*Proposal, error) {
	s := newSolver(ctx, t, ro)
	free := s.freeOrder()
	failed := s.placeFree(free)
	if len(failed) > 0 {
		failed = s.replaceByUrgency(failed)
		s.repair(failed)
	}
	// Free units, but for a family's new members placed with its worker.
	freeOnly := func(u *unit) bool { return u.free && (u.prefer < 0 || u.pos != u.prefer) }
	s.improve(freeOnly, 0)
	// When the search is far from the bound, on teams small enough for
	// it, anneal and search again.
	if n := len(s.units); n <= annealUnits && !s.cancelled {
		if lb, _ := s.bound(); lb > 0 && s.maxUtil() > lb*(1+annealGap) {
			// Two runs from the same start, each polished by the local
			// search; the best of the start and the runs stands.
			start, best := s.snapshot(), s.snapshot()
			bestObj := s.objective()
			for run := range uint64(2) {
				s.restore(start)
				s.anneal(freeOnly, s.ro.seed+run)
				s.improve(freeOnly, 0)
				if o := s.objective(); bestObj.worse(o) {
					best, bestObj = s.snapshot(), o
				}
			}
			s.restore(best)
		}
	}
	s.exact(freeOnly)
	s.keepStuck()
	if ro.maxMoves != 0 {
		s.rebalanceHeld()
	}
	return s.proposal(), s.err()
}

func (s *solver) err() error {
	if s.cancelled {
		return fmt.Errorf("balance: search stopped early: %w", s.ctx.Err())
	}
	return nil
}

// newSolver builds the solver's units, classes and loads from the team.
func newSolver(ctx context.Context, t *Team, ro rebalanceOptions) *solver {
	m := len(t.workers)
	s := &solver{t: t, ro: ro, ctx: ctx, team: t.byID, m: m, sidx: make([]int32, m), unplaced: 0,
		capH: make([]float64, m), capM: make([]int64, m), inv: make([]float64, m),
		load: make([]int64, m), hours: make([]int64, m), shares: make([]int64, m), fixed: make([]int64, m),
		norm: make([]int64, m), canTake: make([]bool, m), util: make([]float64, m), classOf: make([][]int32, m),
		on: make([][]int32, m), classKey: map[string]int32{},
	}
	// Swaps and chains off the fullest worker try the 6 emptiest workers
	// who may take the unit: trying everyone on a 25-worker team was
	// three times slower and no better on the seeded instances.
	s.swapReach = 6
	var withCap []int32
	for k, i := range t.byID {
		s.sidx[i] = int32(k)
		w := &t.workers[i]
		s.capH[k] = float64(w.Capacity)
		s.capM[k] = toMicro(float64(w.Capacity))
		if w.Capacity > 0 {
			s.inv[k] = 1 / (float64(w.Capacity) * micro)
			s.capSum += float64(w.Capacity)
			withCap = append(withCap, int32(k))
		}
		s.norm[k] = -1
		if w.CaseloadNorm != nil {
			s.norm[k] = toMicro(float64(*w.CaseloadNorm))
		}
		s.canTake[k] = len(t.avail[i]) == 0
	}
	s.top = newUtilHeap(s.util, withCap, false)

	addFixed := func(i int32, owner int32) {
		c := &t.cases[i]
		s.fixed[owner] += s.weigh(c)
		s.load[owner] += s.weigh(c)
		s.hours[owner] += toMicro(float64(c.Weight))
		s.shares[owner] += toMicro(c.share())
		s.setUtil(owner)
	}
	// stays reports whether a held case cannot move voluntarily: it is
	// pinned, or its worker is absent (away or on leave today: they keep
	// their cases). The cases of a worker with no capacity who is not
	// absent may move: they are all overload.
	stays := func(i int32, owner int32) bool {
		return t.cases[i].Pinned || t.absent[s.team[owner]]
	}

	var units []unit
	for i := range t.cases {
		if t.cases[i].Group != "" {
			continue
		}
		owner, free := s.status(int32(i))
		switch {
		case free:
			units = append(units, s.newUnit([]int32{int32(i)}, -1))
		case stays(int32(i), owner):
			addFixed(int32(i), owner)
		default:
			units = append(units, s.newUnit([]int32{int32(i)}, owner))
		}
	}
	groupNames := make([]string, 0, len(t.groups))
	for g := range t.groups {
		groupNames = append(groupNames, g)
	}
	slices.Sort(groupNames)
	for _, g := range groupNames {
		// The family's pinned worker, its held cases by worker, and its
		// free cases.
		pin := int32(-1)
		byOwner := map[int32][]int32{}
		var freeMs []int32
		for _, i := range t.groups[g] {
			owner, free := s.status(i)
			if free {
				freeMs = append(freeMs, i)
				continue
			}
			if t.cases[i].Pinned {
				pin = owner
			}
			byOwner[owner] = append(byOwner[owner], i)
		}
		owners := make([]int32, 0, len(byOwner))
		for o := range byOwner {
			owners = append(owners, o)
		}
		slices.Sort(owners)
		prefer := pin
		for _, o := range owners {
			held := byOwner[o]
			if o == pin || stays(held[0], o) && !slices.ContainsFunc(held, func(i int32) bool { return !stays(i, o) }) {
				for _, i := range held {
					addFixed(i, o)
				}
			} else {
				units = append(units, s.newUnit(held, o))
			}
			if pin < 0 && (prefer < 0 || len(held) > len(byOwner[prefer])) {
				prefer = o
			}
		}
		if len(freeMs) > 0 {
			u := s.newUnit(freeMs, -1)
			u.prefer = prefer
			units = append(units, u)
		}
	}
	slices.SortFunc(units, func(a, b unit) int { return compareUnits(&a, &b) })
	s.units = units
	for x := range s.units {
		if s.units[x].free {
			s.unplaced++
		}
	}
	for x := range s.units {
		if u := &s.units[x]; !u.free {
			s.put(int32(x), u.orig)
		}
	}
	s.normLimit = make([]int64, m)
	s.hourLimit = make([]int64, m)
	for k := range m {
		s.normLimit[k] = max(s.norm[k], s.shares[k]) + normSlack
		s.hourLimit[k] = max(s.capM[k]+capSlack(s.capM[k]), s.hours[k])
	}
	return s
}

// weigh returns a case's weight under the policy, in micro-units.
func (s *solver) weigh(c *Case) int64 {
	if s.ro.policy == PolicyCounts {
		return micro
	}
	return toMicro(float64(c.Weight))
}

// status returns the solver index of the worker who holds case i, and
// whether the case is free: queued, orphaned, or with an absent worker
// when the options re-place those.
func (s *solver) status(i int32) (owner int32, free bool) {
	o := s.t.owner[i]
	switch {
	case o == noOwner:
		return -1, true
	case s.t.absent[o] && s.ro.replaceAway && !s.t.cases[i].Pinned:
		return -1, true
	}
	return s.sidx[o], false
}

// kindOf returns how case i comes to its proposed worker.
func (s *solver) kindOf(i int32) MoveKind {
	switch c := &s.t.cases[i]; {
	case c.Owner == "":
		return KindPlace
	case s.t.owner[i] == noOwner || s.t.absent[s.t.owner[i]]:
		return KindReplace
	}
	return KindMove
}

// newUnit makes a unit of the given cases, held by owner (-1: free).
func (s *solver) newUnit(cases []int32, owner int32) unit {
	t := s.t
	u := unit{orig: owner, pos: -1, free: owner < 0, prefer: -1}
	var skills []string
	for _, i := range cases {
		c := &t.cases[i]
		u.cases = append(u.cases, i)
		u.w += s.weigh(c)
		u.h += toMicro(float64(c.Weight))
		u.s += toMicro(c.share())
		for _, sk := range c.Skills {
			if !slices.Contains(skills, sk) {
				skills = append(skills, sk)
			}
		}
		for _, d := range c.Declines {
			if j, ok := t.worker(d.Worker); ok && !slices.Contains(u.decl, s.sidx[j]) {
				u.decl = append(u.decl, s.sidx[j])
			}
		}
		if !c.Deadline.IsZero() && (u.deadline.IsZero() || c.Deadline.Before(u.deadline)) {
			u.deadline = c.Deadline
		}
		u.priority = max(u.priority, c.Priority)
		if !c.Arrived.IsZero() && (u.arrived.IsZero() || c.Arrived.Before(u.arrived)) {
			u.arrived = c.Arrived
		}
	}
	slices.SortFunc(u.cases, func(a, b int32) int { return strings.Compare(t.cases[a].ID, t.cases[b].ID) })
	u.id = t.cases[u.cases[0]].ID
	u.class = s.classFor(skills)
	return u
}

// classFor returns the class of units that require skills, making it
// if it is new: the workers who hold every skill and may take new work.
func (s *solver) classFor(skills []string) int32 {
	skills = slices.Clone(skills)
	slices.Sort(skills)
	key := strings.Join(skills, "\x00")
	if c, ok := s.classKey[key]; ok {
		return c
	}
	c := int32(len(s.classes))
	s.classKey[key] = c
	cl := class{skills: skills, bits: make([]uint64, (s.m+63)/64)}
	need, unknown := s.t.required(&Case{Skills: skills})
	for k := range s.m {
		i := s.team[k]
		if !s.canTake[k] || unknown != nil {
			continue
		}
		held := s.t.held[int(i)*s.t.words : int(i+1)*s.t.words]
		ok := true
		for wd, bits := range need {
			if bits&^held[wd] != 0 {
				ok = false
				break
			}
		}
		if ok {
			cl.elig = append(cl.elig, int32(k))
			cl.bits[k/64] |= 1 << (k % 64)
			s.classOf[k] = append(s.classOf[k], c)
		}
	}
	cl.heap = newUtilHeap(s.util, cl.elig, true)
	cl.group = make([]int32, s.m)
	var caps []float64
	members := map[float64][]int32{}
	for _, k := range cl.elig {
		if _, ok := members[s.capH[k]]; !ok {
			caps = append(caps, s.capH[k])
		}
		members[s.capH[k]] = append(members[s.capH[k]], k)
	}
	slices.Sort(caps)
	for g, cp := range caps {
		for _, k := range members[cp] {
			cl.group[k] = int32(g)
		}
		cl.groups = append(cl.groups, newUtilHeap(s.util, members[cp], true))
	}
	s.classes = append(s.classes, cl)
	return c
}

// freeOrder returns the free units heaviest first (ties by ID): longest
// processing time first.
func (s *solver) freeOrder() []int32 {
	var order []int32
	for x := range s.units {
		if s.units[x].free {
			order = append(order, int32(x))
		}
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		return cmp.Compare(s.units[b].w, s.units[a].w)
	})
	return order
}

// urgent orders units by deadline (earliest first, none last), then
// priority (highest first), then arrival (earliest first, unknown
// last), then ID.
func (s *solver) urgent(a, b int32) int {
	u, v := &s.units[a], &s.units[b]
	if c := compareDates(u.deadline, v.deadline); c != 0 {
		return c
	}
	if u.priority != v.priority {
		return cmp.Compare(v.priority, u.priority)
	}
	if c := compareDates(u.arrived, v.arrived); c != 0 {
		return c
	}
	return compareUnits(u, v)
}

// compareDates orders dates with the zero Date last.
func compareDates(a, b civil.Date) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

// replaceByUrgency handles free units that did not fit. A family that
// no one worker may take is split into its cases; then, if anything
// still does not fit, every free unit is placed again, most urgent
// first, so that what waits is the least urgent. It returns the units
// left unplaced.
func (s *solver) replaceByUrgency(failed []int32) []int32 {
	// Split families that failed into single cases.
	for _, x := range failed {
		if len(s.units[x].cases) > 1 {
			s.splitUnit(x)
		}
	}
	// The free units are taken anew each time: placing may split
	// families too.
	unplaceAll := func() {
		for x := range s.units {
			if u := &s.units[x]; u.free && u.pos >= 0 {
				s.place(int32(x), -1)
			}
		}
	}
	unplaceAll()
	if failed = s.placeFree(s.freeOrder()); len(failed) == 0 {
		return nil
	}
	unplaceAll()
	byUrgency := s.freeOrder()
	slices.SortStableFunc(byUrgency, s.urgent)
	return s.placeFree(byUrgency)
}

// repair tries to place each failed unit, most urgent first, by moving
// one free unit out of the way: off a worker who may take the failed
// unit but for their caseload norm or capacity, to another who may take
// it. It returns the units still unplaced.
func (s *solver) repair(failed []int32) []int32 {
	slices.SortStableFunc(failed, s.urgent)
	var out []int32
	for _, x := range failed {
		if !s.eject(x) {
			out = append(out, x)
		}
	}
	return out
}

// eject places unit x by moving one free unit y off a worker b to make
// room, if it can.
func (s *solver) eject(x int32) bool {
	u := &s.units[x]
	cl := &s.classes[u.class]
	for _, b := range cl.elig {
		if u.declined(b) {
			continue
		}
		for _, y := range s.on[b] {
			v := &s.units[y]
			if !v.free || v.stuck || !s.within(u, b, v) {
				continue
			}
			if c := s.bestTarget(v, b, 1); c >= 0 {
				s.place(y, c)
				s.place(x, b)
				return true
			}
		}
	}
	return false
}

// keepStuck leaves each unplaceable case of an away worker with that
// worker, where it is flagged and never moves.
func (s *solver) keepStuck() {
	var failed []int32
	for x := range s.units {
		if u := &s.units[x]; u.free && u.pos < 0 {
			failed = append(failed, int32(x))
		}
	}
	for _, x := range failed {
		xs := []int32{x}
		if u := &s.units[x]; len(u.cases) > 1 && slices.ContainsFunc(u.cases, func(i int32) bool { return s.t.owner[i] != noOwner }) {
			xs = s.splitUnit(x)
		}
		for _, y := range xs {
			u := &s.units[y]
			if o := s.t.owner[u.cases[0]]; o != noOwner {
				s.put(y, s.sidx[o])
				u.stuck = true
				s.unplaced++
			}
		}
	}
}

// splitUnit turns a family unit into one unit per case, flagged, each
// in the class of its own skills, and returns their indices.
func (s *solver) splitUnit(x int32) []int32 {
	u := s.units[x]
	xs := []int32{x}
	for k, i := range u.cases {
		v := s.newUnit([]int32{i}, -1)
		v.prefer = u.prefer
		v.split = true
		if k == 0 {
			s.units[x] = v
		} else {
			xs = append(xs, int32(len(s.units)))
			s.units = append(s.units, v)
		}
	}
	return xs
}
