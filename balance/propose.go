package balance

import (
	"context"
	"fmt"
	"slices"
)

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
// clear every worker above the target with the fewest moves, then
// searches with backtracking which units leave and who takes them,
// making room through a third worker where needed (at most 6 levels,
// each in up to 8 manners of at most 128 nodes), and keeps the best
// result; without a move limit it also solves the held cases as if
// queued and reaches that level with few moves. Teams of
// up to 12 workers and 40 units get a proof search (branch and bound
// on the maximum, at most 2^17 nodes) that proves the optimum or finds
// it; when cases wait, teams of up to 24 units are searched exactly (at
// most 2^20 nodes); teams of up to 2,000 units whose search ends more
// than 0.5% above the bound and is not proven are annealed. The result
// carries a proven lower bound ([Proposal.Bound]) and says whether the
// maximum is proven optimal ([Proposal.Status]).
//
// Time: validation and placement take O(n log n + n·(m/64 + g)) for n
// cases, m workers and g distinct capacities; each step of the local
// search scans the units of the fullest worker against a few of the
// emptiest workers, and every step strictly improves the objective, in
// at most 50 rounds; annealing runs 2 × 300,000 steps; the search of
// which units leave under a budget does at most 48 searches of at most
// 2^17 workers and units looked at each. The local search
// has no polynomial bound on its number of steps: pass a ctx with a
// deadline to bound the time of a call on input you do not control.
//
// The team decides. A move it refuses can be fed back as a [Decline]
// (with the worker's reason) or a pin, and Propose run again.
//
// Propose does not modify p and is deterministic: the same problem and
// options give the same proposal, whatever the order of p's slices. If
// ctx is done it stops searching and returns the best complete proposal
// found so far, with an error wrapping ctx.Err(): every case is listed.
// Placement goes on for at most 1,024 more queued cases or families (a
// few milliseconds), the most urgent of those left (by deadline,
// priority, arrival, ID), so that a team of ordinary size gets every
// queued case placed; any it has not come to by then stay queued,
// listed in Unplaceable with [CodeNotReached]. What follows the
// deadline is linear in the input: building the solver goes on, as
// every case is listed, but makes classes of workers only for those
// 1,024 (a case no worker may take, explained instead, takes no place
// among them; it looks at no more than 4,096), and at most 64 new
// ones; load on workers without capacity is
// still drained; and the cases no worker may take are explained in
// short (BenchmarkHostileNationalDeadline measures the time past a
// deadline at 5,000 workers and 150,000 cases,
// BenchmarkHostileNationalExpired the work once it has passed).
// Validating p and computing its loads, as [Prepare] does, comes first
// and does not look at ctx: it is linear in the input, every decline
// included (BenchmarkHostileNationalPrepare). A service that holds calls
// to a deadline prepares the team once and calls [Team.Propose].
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
	if ro.policy == PolicyFit {
		return t.proposeFit(ctx, ro)
	}
	if ro.policy == PolicyLoad && t.effortVaries() {
		if pr, err := t.proposeFit(ctx, ro); pr != nil {
			return pr, err
		}
	}
	// The proposal lists the cases in ID order, sorted once per team:
	// sorted now, before the search, rather than past a deadline, where
	// it took 4 ms of a first proposal at 150,000 cases.
	t.caseOrder()
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
	if !s.prove(freeOnly, 0) {
		s.annealIfFar(freeOnly)
		s.exact(freeOnly)
	}
	waiting := s.unplaced
	s.fillWaiting()
	if s.unplaced < waiting {
		s.improve(freeOnly, 0) // even out around what it placed
	}
	s.keepStuck()
	if ro.maxMoves != 0 {
		s.rebalanceHeld()
	}
	pr, err := s.proposal(), s.err()
	s.release()
	return pr, err
}

// fillWaiting places, most urgent first, the free units still waiting
// where the search has since left room: it moves placed free units
// about, and a worker it emptied may now take one. A family that no
// one worker may take whole is split, and its cases placed apart where
// they fit, as after the first placement (the exact search may leave a
// whole family waiting). Nothing held has moved yet, so the placements
// stay in the first step. It does nothing once the solver has stopped.
func (s *solver) fillWaiting() {
	if s.cancelled {
		return
	}
	var xs []int32
	for x := range s.units {
		if u := &s.units[x]; u.free && !u.stuck && !u.hopeless && u.pos < 0 {
			xs = append(xs, int32(x))
		}
	}
	if len(xs) == 0 {
		return
	}
	slices.SortStableFunc(xs, s.urgent)
	var split []int32
	for _, x := range s.placeFree(xs) {
		if len(s.units[x].cases) > 1 {
			split = append(split, s.splitUnit(x)...)
		}
	}
	if len(split) > 0 {
		slices.SortStableFunc(split, s.urgent)
		s.placeFree(split)
	}
	// Every unit here was tried before: if ctx ended this pass, those
	// it did not reach keep their reasons, not "not reached".
	for _, x := range append(xs, split...) {
		s.units[x].late = false
	}
}

// annealIfFar anneals the units movable reports when the search has
// ended more than annealGap above the bound, on teams of at most
// annealUnits units: two runs from the same start, each polished by the
// local search. The best of the start and the runs stands.
func (s *solver) annealIfFar(movable func(u *unit) bool) {
	if len(s.units) > annealUnits || s.cancelled {
		return
	}
	lb, _ := s.bound()
	if far := lb > 0 && s.maxUtil() > lb*(1+annealGap); !far {
		return
	}
	start, best := s.snapshot(), s.snapshot()
	bestObj := s.objective()
	for run := range uint64(2) {
		s.restore(start)
		s.anneal(movable, s.ro.seed+run)
		s.improve(movable, 0)
		if o := s.objective(); bestObj.worse(o) {
			best, bestObj = s.snapshot(), o
		}
	}
	s.restore(best)
}

// rebalanceHeld improves the assignment by moving held units, within
// the move budget. Without a limit it also reaches for the level a solve
// from empty reaches; under a budget it also tries the target method;
// it keeps the better result, then takes back moves that gain nothing.
func (s *solver) rebalanceHeld() {
	// A family whose new members were placed with its worker stays
	// together: its held part no longer moves.
	withNew := map[[2]int32]bool{}
	for x := range s.units {
		if u := &s.units[x]; u.free && u.pos >= 0 && u.pos == u.prefer {
			withNew[[2]int32{s.groupOf(u), u.pos}] = true
		}
	}
	if len(withNew) > 0 {
		// Else, as most often, no look-up of each held unit's family:
		// 0.03 s at 150,000 one-case families.
		for x := range s.units {
			if u := &s.units[x]; !u.free && withNew[[2]int32{s.groupOf(u), u.orig}] {
				u.anchored = true
			}
		}
	}
	held := func(u *unit) bool { return !u.free && !u.anchored }
	s.drain()
	start := s.snapshot()
	if s.ro.maxMoves < 0 && !s.cancelled {
		// Without a limit, reach at least the level a solve from empty
		// reaches, with few moves, before the local search: one move at
		// a time off the fullest worker from a skewed start costs a
		// step per excess unit, each a scan of the team.
		s.levelFromEmpty(held, start)
	}
	s.improve(held, s.ro.minGain)
	if s.ro.maxMoves > 0 && !s.cancelled {
		s.targetCandidates(held, start)
	}
	// The proof looks at every unit that may move: a held family with
	// new members beside it too, which a valid plan may move.
	placed := func(u *unit) bool { return !u.free || u.pos >= 0 }
	if !s.prove(placed, s.ro.minGain) {
		s.exact(held)
	}
	s.pruneMoves()
}

// err returns the error Propose reports with its proposal: one that
// wraps ctx.Err() if the search stopped early, else nil.
func (s *solver) err() error {
	if s.cancelled {
		return fmt.Errorf("balance: search stopped early: %w", s.ctx.Err())
	}
	return nil
}
