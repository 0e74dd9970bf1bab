package balance

import (
	"cmp"
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
	// of workers it rules out in Count. A proposal that stopped early
	// gives only the first, CodeNoEligible; or, for a case it stopped
	// before it came to, only [CodeNotReached]: some worker may take
	// that case, and it stays as the problem has it. The cases not
	// reached share one list, whose Reason names no case.
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
	// Unplaceable lists the cases no worker may take and, when the
	// search stopped early (Status is StatusStopped), those it had not
	// come to place ([CodeNotReached]).
	Unplaceable []Unplaced `json:"unplaceable,omitempty"`
	// Before and After score the current and the proposed assignment.
	Before Imbalance `json:"before"`
	After  Imbalance `json:"after"`
	// MaxUtilization is the proposal's highest utilization under the
	// policy (for PolicyCounts, cases per hour of capacity), over
	// workers with capacity; Spread is Σc·u²/Σc, the capacity-weighted
	// mean of squared utilization, the secondary objective. Where effort
	// differs between workers (efficiency factors, a pair's effort,
	// co-workers), [PolicyLoad] evens out effort instead, on up to 1,000
	// movable cases or families (fewer on large teams), and
	// MaxUtilization counts effort; on more it evens out weight, which
	// MaxUtilization then counts while After counts effort. Either way
	// the status reason is [CodeEffortVaries]; only when it evened out
	// effort do Bound and Gap speak of effort.
	MaxUtilization float64 `json:"max_utilization"`
	Spread         float64 `json:"spread"`
	// Bound is a proven lower bound on MaxUtilization: no assignment of
	// the placed cases that keeps pinned cases, families and skills can
	// do better (a max-flow relaxation over skill classes and workers,
	// bisected on the utilization level). Under a move budget of k the
	// flow also counts the fewest moves each worker needs to come under
	// the level against k. When a proof search proved the proposal
	// optimal, Bound is its maximum. Where the rebalance evened out
	// effort, Bound is a Lagrangian bound on effort (the linear
	// relaxation's optimum at best, see [CodeEffortVaries]), and 0 when
	// some case that could be placed waits. Gap is
	// (MaxUtilization - Bound) / Bound, or 0 when Bound is 0.
	Bound float64 `json:"bound"`
	Gap   float64 `json:"gap"`
	// Relaxed names the constraints the bound ignores: "declines",
	// "caseload norms", "hard capacity", and where the rebalance evened
	// out effort also "intake cap" and "move budget". A gap under a
	// relaxed constraint may not be closable.
	Relaxed []string `json:"relaxed,omitempty"`
	// Status says what is known of the proposal's quality: proven
	// optimal, within Gap of the bound, or stopped early; StatusReason
	// says it in a sentence, "no plan can do better" only when proven.
	Status       Status `json:"status"`
	StatusReason Reason `json:"status_reason"`
	// Notices repeats what [Team.Notices] says, and flags families the
	// proposal had to split.
	Notices []Reason `json:"notices,omitempty"`
	// Fit reports the fit cost: under [PolicyFit] always, under the
	// other policies when the problem has a cost or a previous worker;
	// nil otherwise.
	Fit *FitReport `json:"fit,omitempty"`
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

// proposal assembles the result from the solver's final state.
func (s *solver) proposal() *Proposal {
	t := s.t
	// Whether ctx is done is noted now, if no step of the search has
	// looked: what follows explains less when it is.
	s.stopIfDone()
	steps := s.orderMoves()
	pr := &Proposal{AsOf: t.asOf, Policy: s.ro.policy, Before: t.Score()}
	where := s.finalOwners()
	order := t.caseOrder()
	unitOf := s.unitOfCase()
	pr.Assignment = t.assignment(order, where)
	pr.Moves = s.moves(order, where, unitOf, steps)
	pr.MovesUsed = s.moved
	pr.Unplaceable = s.unplaceable(order, unitOf)
	pr.Notices = s.notices()
	pr.After = t.score(t.totals(where))
	pr.Fit = t.fitReport(where, s.ro.continuity)
	pr.MaxUtilization = s.maxUtil()
	pr.Spread = s.spreadInOrder()
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
	s.setStatus(pr)
	if s.cancelled {
		markStoppedEarly(pr)
	}
	return pr
}

// finalOwners returns, per case, the Team index of the worker the
// proposal gives it to, or noOwner. A unit left unplaced stays where it
// was: queued, orphaned, or with its away worker.
func (s *solver) finalOwners() []int32 {
	t := s.t
	where := make([]int32, len(t.cases))
	copy(where, t.owner)
	for x := range s.units {
		if u := &s.units[x]; u.pos >= 0 {
			for _, i := range u.cases {
				where[i] = s.team[u.pos]
			}
		}
	}
	return where
}

// casesByID returns the indices of the cases in order of case ID.
//
// The sort compares the IDs' first 8 bytes, kept side by side with the
// indices ([idKey]), and reads the IDs only where those are equal: at
// 150,000 cases, reading two IDs through their cases for each
// comparison took 0.03–0.05 s of every proposal.
func (t *Team) casesByID() []int32 {
	type key struct {
		id uint64
		i  int32
	}
	ks := make([]key, len(t.cases))
	for i := range ks {
		ks[i] = key{idKey(t.cases[i].ID), int32(i)}
	}
	slices.SortFunc(ks, func(a, b key) int {
		if a.id != b.id {
			return cmp.Compare(a.id, b.id)
		}
		return strings.Compare(t.cases[a.i].ID, t.cases[b.i].ID)
	})
	order := make([]int32, len(ks))
	for k := range ks {
		order[k] = ks[k].i
	}
	return order
}

// unitOfCase returns, per case, the index of its unit, or -1 for a case
// in no unit (one that stays with its worker).
func (s *solver) unitOfCase() []int32 {
	unitOf := make([]int32, len(s.t.cases))
	for i := range unitOf {
		unitOf[i] = -1
	}
	for x := range s.units {
		for _, i := range s.units[x].cases {
			unitOf[i] = int32(x)
		}
	}
	return unitOf
}

// assignment lists every case, in order, with the worker where puts it.
func (t *Team) assignment(order, where []int32) []Placement {
	as := make([]Placement, len(t.cases))
	for k, i := range order {
		as[k] = Placement{Case: t.cases[i].ID}
		if where[i] != noOwner {
			as[k].Worker = t.workers[where[i]].ID
		}
	}
	return as
}

// moves lists every case whose worker changes, with its reasons:
// placements first, then voluntary moves by step, each group in case
// ID order.
func (s *solver) moves(order, where, unitOf []int32, steps []stepRecord) []Move {
	t := s.t
	stepOf := make([]int32, len(s.units)) // per held unit: its step, from 1
	for k, st := range steps {
		for _, x := range st.units {
			stepOf[x] = int32(k + 1)
		}
	}
	moved := func(i int32) bool { return where[i] != noOwner && where[i] != t.owner[i] }
	step := func(i int32) int32 {
		if x := unitOf[i]; !s.units[x].free {
			return stepOf[x]
		}
		return 0
	}
	// Each move goes straight to its place, by step and then in case ID
	// order (the order of order): start[k] is where the next move of
	// step k goes.
	start := make([]int, len(steps)+2)
	n, held := 0, 0 // moves, and voluntary ones
	for _, i := range order {
		if moved(i) {
			start[step(i)+1]++
			n++
			if !s.units[unitOf[i]].free {
				held++
			}
		}
	}
	if n == 0 {
		return nil
	}
	for k := range len(steps) + 1 {
		start[k+1] += start[k]
	}
	moves := make([]Move, n)
	// The two reasons of each voluntary move come from one block.
	if held > 0 && len(s.reasonBlock) < 2*held {
		s.reasonBlock = make([]Reason, 2*held)
	}
	for _, i := range order {
		if !moved(i) {
			continue
		}
		c := &t.cases[i]
		x := unitOf[i]
		u := &s.units[x]
		mv := Move{Case: c.ID, Group: c.Group, From: c.Owner, To: t.workers[where[i]].ID, Kind: s.kindOf(i)}
		if u.free {
			mv.Reasons = s.placementReasons(i, u, mv.To)
		} else {
			mv.Kind = KindMove
			mv.Step = int(stepOf[x])
			mv.Reasons = s.moveReasons(c, u, &steps[mv.Step-1])
		}
		k := step(i)
		moves[start[k]] = mv
		start[k]++
	}
	return moves
}

// placementReasons explains the placement of case i, of free unit u,
// with worker to. The list is cut from the solver's shared blocks, and
// the sentence that it is placed, which names only the worker and their
// utilization in the proposal, is built once per worker
// ([solver.placedMessage]): a proposal may place 150,000 cases.
func (s *solver) placementReasons(i int32, u *unit, to string) []Reason {
	t := s.t
	c := &t.cases[i]
	family := u.pos == u.prefer && u.prefer >= 0
	fromAway := t.owner[i] != noOwner && t.absent[t.owner[i]]
	n := 1
	if family {
		n++
	}
	if fromAway {
		n++
	}
	rs := s.reasonList(n)
	if family {
		rs = append(rs, Reason{Code: CodeFamily, Case: c.ID, Worker: to, Group: c.Group}.withMessage())
	}
	if fromAway {
		rs = append(rs, Reason{Code: CodeFromAway, Case: c.ID, Worker: c.Owner}.withMessage())
	}
	r := Reason{Code: CodePlaced, Case: c.ID, Worker: to, Value: s.hoursUtil(u.pos)}
	r.Message = s.placedMessage(u.pos, &r)
	return append(rs, r)
}

// placedMessage returns the sentence of r, a [CodePlaced] reason for
// worker b, built on the first call for b and kept: it is the same for
// every case placed with b.
func (s *solver) placedMessage(b int32, r *Reason) string {
	if s.placedMsg == nil {
		s.placedMsg = make([]string, s.m)
	}
	if s.placedMsg[b] == "" {
		s.placedMsg[b] = r.message()
	}
	return s.placedMsg[b]
}

// moveReasons explains the voluntary move of case c, of held unit u, in
// step st: how the utilization of the worker it leaves and of the one
// it joins changes over the step.
func (s *solver) moveReasons(c *Case, u *unit, st *stepRecord) []Reason {
	rs := s.reasonList(2)
	for _, w := range [2]int32{u.orig, u.pos} {
		id := s.t.workers[s.team[w]].ID
		if s.capM[w] == 0 {
			rs = append(rs, Reason{Code: CodeNoCapacity, Case: c.ID, Worker: id}.withMessage())
			continue
		}
		before, after := st.utilization(w)
		rs = append(rs, Reason{Code: CodeLoadChange, Case: c.ID, Worker: id,
			Before: before, Value: after}.withMessage())
	}
	return rs
}

// unplaceable lists the cases, in order, that the proposal leaves
// unplaced, with every reason no worker may take them.
func (s *solver) unplaceable(order, unitOf []int32) []Unplaced {
	t := s.t
	// Counted first: the list may hold every case, and growing it by
	// appends copies it over and over.
	n := 0
	for x := range s.units {
		if u := &s.units[x]; u.stuck || (u.free && u.pos < 0) {
			n += len(u.cases)
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]Unplaced, 0, n)
	// The cases not reached share one list of reasons, with a capacity
	// of its length: a deadline may leave a hundred thousand of them.
	late := []Reason{{Code: CodeNotReached, Message: notReachedMessage}}
	for k, i := range order {
		if k%cancelEvery == 0 {
			// Once ctx is done, the cases left are explained in short
			// ([solver.whyNot]): explaining each in full takes a look at
			// every skill and decline it lists.
			s.stopIfDone()
		}
		x := unitOf[i]
		if x < 0 {
			continue
		}
		u := &s.units[x]
		switch {
		case u.late && (u.stuck || u.pos < 0):
			out = append(out, Unplaced{Case: t.cases[i].ID, Owner: t.cases[i].Owner, Reasons: late[:1:1]})
		case u.stuck || (u.free && u.pos < 0):
			out = append(out, Unplaced{Case: t.cases[i].ID, Owner: t.cases[i].Owner, Reasons: s.whyNot(i)})
		}
	}
	return out
}

// markStoppedEarly records in pr that the solver stopped before it was
// done: the proposal is complete but may not be the best.
func markStoppedEarly(pr *Proposal) {
	pr.Notices = append(pr.Notices, Reason{Code: CodeCancelled}.withMessage())
}

// notices returns the team's notices, and one for each family the
// proposal splits.
func (s *solver) notices() []Reason {
	t := s.t
	ns := t.Notices()
	split := map[string]bool{}
	for x := range s.units {
		// A family split into cases, or new members placed apart from
		// the worker who holds the rest.
		if u := &s.units[x]; u.split || (u.free && u.prefer >= 0 && u.pos >= 0 && u.pos != u.prefer) {
			if g := t.cases[u.cases[0]].Group; !split[g] {
				split[g] = true
				ns = append(ns, Reason{Code: CodeFamilySplit, Group: g}.withMessage())
			}
		}
	}
	return ns
}

// totals returns the workers' running totals with the cases where says.
func (t *Team) totals(where []int32) []wstate {
	ws := make([]wstate, len(t.workers))
	for i := range t.cases {
		if w := where[i]; w != noOwner {
			c := &t.cases[i]
			ws[w].load += t.heldLoad(c, w)
			ws[w].shares += toMicro(c.share())
			ws[w].count++
			if j, l := t.coLoad(c); j != noOwner {
				ws[j].load += l
			}
		}
	}
	return ws
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

// reasonList returns an empty list of reasons with room for n, cut from
// a block the solver shares among the lists it explains a proposal
// with, and capped: a list each costs an allocation, and a proposal may
// explain a hundred thousand moves or cases no one may take.
func (s *solver) reasonList(n int) []Reason {
	if len(s.reasonBlock) < n {
		// Blocks double from a few reasons, so that a small proposal
		// does not pay for a large block.
		s.reasonGrow = min(max(2*s.reasonGrow, 8), reasonBlock)
		s.reasonBlock = make([]Reason, max(n, s.reasonGrow))
	}
	rs := s.reasonBlock[:0:n]
	s.reasonBlock = s.reasonBlock[n:]
	return rs
}

// reasonBlock is the most reasons reasonList allocates at a time.
const reasonBlock = 1024
