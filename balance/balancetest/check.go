package balancetest

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"

	"github.com/caseload/caseload/balance"
)

// CheckProposal reports every invariant of [balance.Propose] that pr
// breaks as the proposal for p under opts (nil means the defaults). It
// returns nil if pr keeps them all, and otherwise an error joining one
// [*Violation] per fault found (at most 100), in the order below; use
// errors.Is with the sentinels, or errors.As, to tell them apart.
//
//   - [ErrAssignment]: the assignment lists every case of p exactly
//     once, in ID order, each with a worker on the team or none, and
//     drops no case that a worker on the team holds.
//   - [ErrMoves]: the moves are exactly the cases whose worker changes,
//     once each, from the case's owner to its new worker, with the right
//     kind (place for a queued case, replace for an orphaned case or an
//     absent worker's, move otherwise), step 0 for placements and steps
//     numbered 1, 2, 3 without gaps for voluntary moves, placements
//     first, each with reasons.
//   - [ErrUnplaceable]: a case without a worker is listed as
//     unplaceable, with reasons, and stays where it was; a case listed as
//     unplaceable is one the proposal must place (queued, orphaned, or
//     re-placed from an absent worker), and no worker may take it where
//     the placements are made, before the voluntary moves (the
//     eligibility rule, the norm and, under hard capacity, the capacity
//     held against the totals there); but for a case whose reasons say
//     the search stopped before it came to place it
//     ([balance.CodeNotReached]), in a proposal whose status says it
//     stopped early, which some worker may take.
//   - [ErrIneligible]: every case that changes hands goes to a worker
//     who may take it ([Ineligible], but for the norm, which is checked
//     on totals).
//   - [ErrPinned], [ErrAbsent]: pinned cases stay with a worker on the
//     team they are pinned to; an absent worker's cases stay unless
//     [balance.RebalanceOptions.ReplaceAway] is set, and are then
//     re-placed, never moved voluntarily.
//   - [ErrNorm], [ErrCapacity]: no worker ends above their caseload
//     norm (with a tolerance of 1e-4 shares) nor, under hard capacity,
//     above capacity (with a tolerance of a micro-hour plus one part per
//     million), unless they held more before and end with no more than
//     that.
//   - [ErrBudget]: MovesUsed counts the voluntary moves (the cases of a
//     family moved from one worker count one) and is within MaxMoves.
//   - [ErrFamily]: no family ends with more workers than it had (one,
//     if it had none) unless a family-split notice names it; the cases
//     of a family that one worker holds move together, in one step; a
//     new member of a family that one worker holds goes to that worker
//     when they may take it (and have no norm, and capacity is soft).
//   - [ErrStranded]: with no move budget, no case that may move stays
//     with a worker who has no capacity and is not absent while another
//     worker may take it.
//   - [ErrScore]: Before and After equal a fresh [balance.Score] of p
//     and of p with the proposal's assignment; MaxUtilization and Spread
//     match the assignment under the policy; AsOf and Policy are p's and
//     the options'; no number is NaN or infinite.
//   - [ErrBound]: Bound is not above MaxUtilization beyond a relative
//     1e-9 or one micro-hour on the largest capacity (loads are sums of
//     micro-hours), Gap is (MaxUtilization - Bound) / Bound, or 0 when
//     Bound is 0, and Relaxed names only known constraints.
//   - [ErrNotices]: the notices start with the problem's own
//     ([balance.Team.Notices]) and add only family-split notices for
//     families of p and a cancelled notice.
//   - [ErrPrefix]: taking the placements and then the steps in order,
//     every prefix keeps norms and hard capacity, and none is worse
//     than the one before: less load left on workers without capacity
//     who are not absent, or as much and a maximum utilization no higher
//     (beyond a relative 1e-9), or as high and a spread no higher.
//
// If p or opts are not valid input, CheckProposal returns an error
// wrapping [ErrInput] and the validation error, and checks nothing else.
// It never modifies its arguments. The time is O((n + m)·s) for n cases,
// m workers and s steps.
func CheckProposal(p balance.Problem, opts *balance.RebalanceOptions, pr *balance.Proposal) error {
	var o balance.RebalanceOptions
	if opts != nil {
		o = *opts
	}
	team, err := balance.Prepare(p, &o.Options)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInput, err)
	}
	if err := checkRebalanceOptions(o); err != nil {
		return err
	}
	if pr == nil {
		return &Violation{Rule: ErrAssignment, Detail: "no proposal"}
	}
	c := newChecker(p, o, pr)
	c.assignment()
	c.moves()
	c.unplaceable()
	c.eligibility()
	c.kept()
	c.limits()
	c.budget()
	c.families()
	c.stranded()
	c.scores()
	c.bound()
	c.notices(team.Notices())
	c.prefixes()
	return c.r.err()
}

// checkRebalanceOptions returns an ErrInput error for the options that
// Propose rejects.
func checkRebalanceOptions(o balance.RebalanceOptions) error {
	switch o.Policy {
	case "", balance.PolicyLoad, balance.PolicyCounts:
	default:
		return fmt.Errorf("%w: unknown policy %q", ErrInput, o.Policy)
	}
	if math.IsNaN(o.MinGain) || math.IsInf(o.MinGain, 0) {
		return fmt.Errorf("%w: MinGain %v is not finite", ErrInput, o.MinGain)
	}
	return nil
}

// A checker holds what the checks of one proposal share.
type checker struct {
	p    balance.Problem
	o    balance.RebalanceOptions
	pr   *balance.Proposal
	r    report
	days int // leave look-ahead in working days
	// policy is the resolved policy.
	policy balance.Policy
	// workers maps IDs to workers; ids lists them sorted.
	workers map[string]balance.Worker
	ids     []string
	// cases maps IDs to indices in p.Cases; byID lists the indices by
	// case ID.
	cases map[string]int
	byID  []int
	// final is each case's worker in the proposal ("" for none), by
	// index; missing cases keep their owner, so that one fault is not
	// reported again by every check.
	final []string
	// moved maps case indices to their move; unplaced to their entry.
	moved    map[int]balance.Move
	unplaced map[int]balance.Unplaced
	// initial and end are per-worker totals before and after.
	initial, end map[string]totals
}

// totals are one worker's sums, in millionths of the unit.
type totals struct {
	load   int64 // policy load: micro-hours, or a million per case
	hours  int64 // micro-hours
	shares int64 // micro-shares
}

func newChecker(p balance.Problem, o balance.RebalanceOptions, pr *balance.Proposal) *checker {
	c := &checker{p: p, o: o, pr: pr, days: lookahead(&o.Options), policy: o.Policy,
		workers: map[string]balance.Worker{}, cases: map[string]int{},
		moved: map[int]balance.Move{}, unplaced: map[int]balance.Unplaced{}}
	if c.policy == "" {
		c.policy = balance.PolicyLoad
	}
	for _, w := range p.Workers {
		c.workers[w.ID] = w
		c.ids = append(c.ids, w.ID)
	}
	slices.Sort(c.ids)
	for i, k := range p.Cases {
		c.cases[k.ID] = i
		c.byID = append(c.byID, i)
	}
	slices.SortFunc(c.byID, func(a, b int) int { return strings.Compare(p.Cases[a].ID, p.Cases[b].ID) })
	return c
}

// onTeam reports whether id names a worker of the problem.
func (c *checker) onTeam(id string) bool {
	_, ok := c.workers[id]
	return ok
}

// absent reports whether the worker named id is on the team and away
// or on leave today.
func (c *checker) absent(id string) bool {
	w, ok := c.workers[id]
	return ok && absent(c.p.AsOf, w)
}

// holder returns case i's owner if they are on the team, else "".
func (c *checker) holder(i int) string {
	if o := c.p.Cases[i].Owner; c.onTeam(o) {
		return o
	}
	return ""
}

// free reports whether case i must be placed by the proposal: it is
// queued, orphaned, or held by an absent worker whose cases the options
// re-place.
func (c *checker) free(i int) bool {
	k := c.p.Cases[i]
	h := c.holder(i)
	return h == "" || c.o.ReplaceAway && c.absent(h) && !k.Pinned
}

// fixed reports whether case i may not move at all: it is pinned to a
// worker on the team, or held by an absent worker who keeps it.
func (c *checker) fixed(i int) bool {
	h := c.holder(i)
	return h != "" && (c.p.Cases[i].Pinned || c.absent(h) && !c.o.ReplaceAway)
}

// weigh returns case i's load under the policy, in millionths.
func (c *checker) weigh(i int) int64 {
	if c.policy == balance.PolicyCounts {
		return micro
	}
	return toMicro(float64(c.p.Cases[i].Weight))
}

// sums returns the per-worker totals of the assignment owner (by case
// index), for workers on the team.
func (c *checker) sums(owner []string) map[string]totals {
	t := make(map[string]totals, len(c.workers))
	for i, k := range c.p.Cases {
		w := owner[i]
		if !c.onTeam(w) {
			continue
		}
		s := t[w]
		s.load += c.weigh(i)
		s.hours += toMicro(float64(k.Weight))
		s.shares += microShares(k)
		t[w] = s
	}
	return t
}

// normLimit and hourLimit return the most shares and hours worker w may
// end with, in millionths: the norm (or capacity, with its tolerance)
// or, if more, what they held before.
func (c *checker) normLimit(w balance.Worker) int64 {
	return max(toMicro(float64(*w.CaseloadNorm))+normSlack, c.initial[w.ID].shares)
}

func (c *checker) hourLimit(w balance.Worker) int64 {
	return max(capLimit(w.Capacity), c.initial[w.ID].hours)
}

func (c *checker) assignment() {
	p, pr := c.p, c.pr
	c.final = make([]string, len(p.Cases))
	seen := make([]bool, len(p.Cases))
	for k, pl := range pr.Assignment {
		i, ok := c.cases[pl.Case]
		switch {
		case !ok:
			c.r.addf(ErrAssignment, pl.Case, pl.Worker, "", "not a case of the problem")
			continue
		case seen[i]:
			c.r.addf(ErrAssignment, pl.Case, pl.Worker, "", "listed twice")
			continue
		}
		seen[i] = true
		if k > 0 && strings.Compare(pr.Assignment[k-1].Case, pl.Case) >= 0 {
			c.r.addf(ErrAssignment, pl.Case, "", "", "listed after %q: not in ID order", pr.Assignment[k-1].Case)
		}
		c.final[i] = pl.Worker
		if pl.Worker != "" && !c.onTeam(pl.Worker) {
			c.r.addf(ErrAssignment, pl.Case, pl.Worker, "", "given to a worker who is not on the team")
			c.final[i] = c.holder(i)
		}
		if h := c.holder(i); h != "" && c.final[i] == "" {
			c.r.addf(ErrAssignment, pl.Case, h, "", "held by %q and dropped: no worker in the assignment", h)
			c.final[i] = h
		}
	}
	for _, i := range c.byID {
		if !seen[i] {
			c.r.addf(ErrAssignment, p.Cases[i].ID, "", "", "missing from the assignment")
			c.final[i] = c.holder(i)
		}
	}
	owners := make([]string, len(p.Cases))
	for i, k := range p.Cases {
		owners[i] = k.Owner
	}
	c.initial = c.sums(owners)
	c.end = c.sums(c.final)
}

func (c *checker) unplaceable() {
	for _, u := range c.pr.Unplaceable {
		i, ok := c.cases[u.Case]
		switch {
		case !ok:
			c.r.addf(ErrUnplaceable, u.Case, "", "", "listed as unplaceable but not a case of the problem")
			continue
		case c.unplaced[i].Case != "":
			c.r.addf(ErrUnplaceable, u.Case, "", "", "listed as unplaceable twice")
			continue
		}
		c.unplaced[i] = u
		k := c.p.Cases[i]
		if u.Owner != k.Owner {
			c.r.addf(ErrUnplaceable, u.Case, "", "", "listed with owner %q, but its owner is %q", u.Owner, k.Owner)
		}
		if len(u.Reasons) == 0 {
			c.r.addf(ErrUnplaceable, u.Case, "", "", "listed as unplaceable without reasons")
		}
		for _, rs := range u.Reasons {
			if rs.Message == "" {
				c.r.addf(ErrUnplaceable, u.Case, "", "", "reason %q has no message", rs.Code)
			}
			if rs.Code == balance.CodeNotReached && c.pr.Status != balance.StatusStopped {
				c.r.addf(ErrUnplaceable, u.Case, "", "", "listed as not reached, but the search did not stop early (status %q)", c.pr.Status)
			}
		}
		if !c.free(i) {
			c.r.addf(ErrUnplaceable, u.Case, k.Owner, "", "listed as unplaceable, but its owner holds it and keeps it")
		}
		if c.final[i] != c.holder(i) {
			c.r.addf(ErrUnplaceable, u.Case, c.final[i], "", "listed as unplaceable, yet given to %q", c.final[i])
		}
	}
	for _, i := range c.byID {
		if _, ok := c.unplaced[i]; !ok && c.final[i] == "" {
			c.r.addf(ErrUnplaceable, c.p.Cases[i].ID, "", "", "has no worker and is not listed as unplaceable")
		}
	}
	// A case left unplaced must have no taker when the placements are
	// made: before the voluntary moves, which every placement precedes.
	placed := make([]string, len(c.p.Cases))
	for i, k := range c.p.Cases {
		placed[i] = k.Owner
		if mv, ok := c.moved[i]; ok && mv.Step <= 0 && c.onTeam(mv.To) {
			placed[i] = mv.To
		}
	}
	start := c.sums(placed)
	for _, i := range c.byID {
		u, ok := c.unplaced[i]
		if !ok || !c.free(i) || c.pr.Status == balance.StatusStopped && notReached(u) {
			// A stopped search that did not come to a case leaves it
			// as it was though a worker may take it, and says so.
			continue
		}
		k := c.p.Cases[i]
		for _, id := range c.ids {
			if id == c.holder(i) {
				continue
			}
			if c.mayTake(c.workers[id], start[id], []int{i}) {
				c.r.addf(ErrUnplaceable, k.ID, id, "", "listed as unplaceable, but the worker may take it in the proposal")
				break
			}
		}
	}
}

// notReached reports whether u says the search stopped before it came
// to place the case.
func notReached(u balance.Unplaced) bool {
	return slices.ContainsFunc(u.Reasons, func(r balance.Reason) bool { return r.Code == balance.CodeNotReached })
}

// mayTake reports whether worker w may take the cases xs on top of
// their totals t: the eligibility rule for each, and the
// norm and, under hard capacity, the capacity for all of them, without
// the allowance for what a worker held before.
func (c *checker) mayTake(w balance.Worker, t totals, xs []int) bool {
	for _, i := range xs {
		if len(staticOut(c.p.AsOf, w, c.p.Cases[i], c.days)) > 0 {
			return false
		}
		t.shares += microShares(c.p.Cases[i])
		t.hours += toMicro(float64(c.p.Cases[i].Weight))
	}
	// The strict limits: a worker at or above them takes nothing new.
	if w.CaseloadNorm != nil && overNorm(t.shares, *w.CaseloadNorm) {
		return false
	}
	return !c.o.HardCapacity || t.hours <= capLimit(w.Capacity)
}

// kindOf returns the kind of move that gives case i a new worker.
func (c *checker) kindOf(i int) balance.MoveKind {
	switch h := c.holder(i); {
	case c.p.Cases[i].Owner == "":
		return balance.KindPlace
	case h == "" || c.absent(h):
		return balance.KindReplace
	}
	return balance.KindMove
}

func (c *checker) moves() {
	p, pr := c.p, c.pr
	lastStep := 0
	steps := map[int]bool{}
	for k, mv := range pr.Moves {
		i, ok := c.cases[mv.Case]
		switch {
		case !ok:
			c.r.addf(ErrMoves, mv.Case, mv.To, "", "moved but not a case of the problem")
			continue
		case c.moved[i].Case != "":
			c.r.addf(ErrMoves, mv.Case, mv.To, "", "moved twice")
			continue
		}
		c.moved[i] = mv
		kc := p.Cases[i]
		if mv.From != kc.Owner {
			c.r.addf(ErrMoves, mv.Case, "", "", "moved from %q, but its owner is %q", mv.From, kc.Owner)
		}
		if mv.To != c.final[i] {
			c.r.addf(ErrMoves, mv.Case, mv.To, "", "moved to %q, but the assignment gives it to %q", mv.To, c.final[i])
		}
		if mv.Group != kc.Group {
			c.r.addf(ErrMoves, mv.Case, "", "", "move names family %q, but the case's is %q", mv.Group, kc.Group)
		}
		if want := c.kindOf(i); mv.Kind != want {
			c.r.addf(ErrMoves, mv.Case, mv.To, "", "move of kind %q, want %q", mv.Kind, want)
		}
		switch {
		case mv.Kind == balance.KindMove && mv.Step < 1:
			c.r.addf(ErrMoves, mv.Case, mv.To, "", "voluntary move at step %d, want 1 or more", mv.Step)
		case mv.Kind != balance.KindMove && mv.Step != 0:
			c.r.addf(ErrMoves, mv.Case, mv.To, "", "%s at step %d, want 0", mv.Kind, mv.Step)
		}
		if mv.Step < lastStep {
			c.r.addf(ErrMoves, mv.Case, "", "", "step %d listed after step %d (move %d)", mv.Step, lastStep, k)
		}
		lastStep = max(lastStep, mv.Step)
		if mv.Step > 0 {
			steps[mv.Step] = true
		}
		if len(mv.Reasons) == 0 {
			c.r.addf(ErrMoves, mv.Case, mv.To, "", "move without reasons")
		}
	}
	for s := 1; s <= lastStep; s++ {
		if !steps[s] {
			c.r.addf(ErrMoves, "", "", "", "no move at step %d of %d", s, lastStep)
			break
		}
	}
	for _, i := range c.byID {
		kc := p.Cases[i]
		if _, ok := c.moved[i]; !ok && c.final[i] != kc.Owner && c.final[i] != "" {
			c.r.addf(ErrMoves, kc.ID, c.final[i], "", "given to %q but not listed among the moves", c.final[i])
		}
	}
}

func (c *checker) eligibility() {
	for _, i := range c.byID {
		mv, ok := c.moved[i]
		if !ok {
			continue
		}
		w, onTeam := c.workers[mv.To]
		if !onTeam {
			continue // reported with the assignment
		}
		if out := staticOut(c.p.AsOf, w, c.p.Cases[i], c.days); len(out) > 0 {
			c.r.addf(ErrIneligible, mv.Case, mv.To, "", "given to a worker who is out: %v", out)
		}
	}
}

func (c *checker) kept() {
	for _, i := range c.byID {
		k := c.p.Cases[i]
		h := c.holder(i)
		if h == "" || c.final[i] == h {
			if mv, ok := c.moved[i]; ok && h != "" && c.absent(h) && mv.Kind == balance.KindMove {
				c.r.addf(ErrAbsent, k.ID, h, "", "absent worker's case moved voluntarily")
			}
			continue
		}
		switch {
		case k.Pinned:
			c.r.addf(ErrPinned, k.ID, h, "", "pinned to %q, given to %q", h, c.final[i])
		case c.absent(h) && !c.o.ReplaceAway:
			c.r.addf(ErrAbsent, k.ID, h, "", "held by absent %q, given to %q without ReplaceAway", h, c.final[i])
		case c.absent(h) && c.moved[i].Kind == balance.KindMove:
			c.r.addf(ErrAbsent, k.ID, h, "", "absent worker's case moved voluntarily, not re-placed")
		}
	}
}

func (c *checker) limits() {
	for _, id := range c.ids {
		w := c.workers[id]
		t := c.end[id]
		if w.CaseloadNorm != nil && t.shares > c.normLimit(w) {
			c.r.addf(ErrNorm, "", id, "", "ends with %v shares, above the norm of %v and the %v held before",
				float64(t.shares)/micro, float64(*w.CaseloadNorm), float64(c.initial[id].shares)/micro)
		}
		if c.o.HardCapacity && t.hours > c.hourLimit(w) {
			c.r.addf(ErrCapacity, "", id, "", "ends with %v h/wk, above capacity %v h/wk and the %v held before",
				float64(t.hours)/micro, float64(w.Capacity), float64(c.initial[id].hours)/micro)
		}
	}
}

// unitKey names a unit of voluntary moves: a case, or a family's cases
// held by one worker.
func unitKey(k balance.Case) [2]string {
	if k.Group == "" {
		return [2]string{"case", k.ID}
	}
	return [2]string{k.Group, k.Owner}
}

func (c *checker) budget() {
	units := map[[2]string]bool{}
	for _, i := range c.byID {
		if mv, ok := c.moved[i]; ok && mv.Kind == balance.KindMove {
			units[unitKey(c.p.Cases[i])] = true
		}
	}
	if c.pr.MovesUsed != len(units) {
		c.r.addf(ErrBudget, "", "", "", "MovesUsed is %d, but the moves hold %d voluntary moves", c.pr.MovesUsed, len(units))
	}
	if c.o.MaxMoves >= 0 && len(units) > c.o.MaxMoves {
		c.r.addf(ErrBudget, "", "", "", "%d voluntary moves, budget %d", len(units), c.o.MaxMoves)
	}
}

// familyNames returns the families of p, sorted.
func (c *checker) familyNames() []string {
	var gs []string
	for _, k := range c.p.Cases {
		if k.Group != "" && !slices.Contains(gs, k.Group) {
			gs = append(gs, k.Group)
		}
	}
	slices.Sort(gs)
	return gs
}

func (c *checker) families() {
	split := map[string]bool{}
	for _, n := range c.pr.Notices {
		if n.Code == balance.CodeFamilySplit {
			split[n.Group] = true
		}
	}
	before, after := map[string]map[string]bool{}, map[string]map[string]bool{}
	holders := map[string]map[string]bool{}
	for _, i := range c.byID {
		k := c.p.Cases[i]
		if k.Group == "" {
			continue
		}
		if before[k.Group] == nil {
			before[k.Group], after[k.Group], holders[k.Group] = map[string]bool{}, map[string]bool{}, map[string]bool{}
		}
		if h := c.holder(i); h != "" {
			holders[k.Group][h] = true
			if !c.free(i) {
				before[k.Group][h] = true
			}
		}
		if _, u := c.unplaced[i]; !u && c.final[i] != "" {
			after[k.Group][c.final[i]] = true
		}
	}
	for _, g := range c.familyNames() {
		if !split[g] && len(after[g]) > max(1, len(before[g])) {
			c.r.addf(ErrFamily, "", "", g, "with %d workers after, %d before, and no family-split notice", len(after[g]), len(before[g]))
		}
	}
	// The cases of a family held by one worker move together.
	type dest struct {
		to   string
		step int
		id   string
	}
	unit := map[[2]string]dest{}
	for _, i := range c.byID {
		k := c.p.Cases[i]
		mv, ok := c.moved[i]
		if k.Group == "" || !ok || mv.Kind != balance.KindMove {
			continue
		}
		key := unitKey(k)
		if d, ok := unit[key]; !ok {
			unit[key] = dest{mv.To, mv.Step, k.ID}
		} else if d.to != mv.To || d.step != mv.Step {
			c.r.addf(ErrFamily, k.ID, k.Owner, k.Group, "moves to %q at step %d, but %q to %q at step %d", mv.To, mv.Step, d.id, d.to, d.step)
		}
	}
	for _, i := range c.byID {
		k := c.p.Cases[i]
		if k.Group == "" || c.fixed(i) || c.free(i) {
			continue
		}
		if d, ok := unit[unitKey(k)]; ok && c.final[i] == k.Owner {
			c.r.addf(ErrFamily, k.ID, k.Owner, k.Group, "stays with %q while %q of the same family moves to %q", k.Owner, d.id, d.to)
		}
	}
	// A new member of a family that one worker holds goes to that worker
	// when they may take it and no norm or hard capacity stands between.
	for _, i := range c.byID {
		k := c.p.Cases[i]
		if k.Group == "" || !c.free(i) || len(holders[k.Group]) != 1 || c.o.HardCapacity {
			continue
		}
		if _, u := c.unplaced[i]; u {
			continue
		}
		for h := range holders[k.Group] {
			w := c.workers[h]
			if w.CaseloadNorm != nil || c.o.ReplaceAway && c.absent(h) || len(staticOut(c.p.AsOf, w, k, c.days)) > 0 {
				continue
			}
			if c.final[i] != h {
				c.r.addf(ErrFamily, k.ID, c.final[i], k.Group, "new member given to %q, not to %q who holds the family and may take it", c.final[i], h)
			}
		}
	}
}

func (c *checker) stranded() {
	if c.o.MaxMoves >= 0 {
		return
	}
	// The family's pinned worker keeps all of its cases.
	pinnedTo := map[string]string{}
	for i, k := range c.p.Cases {
		if k.Group != "" && k.Pinned && c.holder(i) != "" {
			pinnedTo[k.Group] = k.Owner
		}
	}
	units := map[[2]string][]int{}
	var keys [][2]string
	for _, i := range c.byID {
		k := c.p.Cases[i]
		h := c.holder(i)
		if h == "" || c.workers[h].Capacity != 0 || c.absent(h) || k.Pinned || c.final[i] != h {
			continue
		}
		if k.Group != "" && pinnedTo[k.Group] == h {
			continue
		}
		key := unitKey(k)
		if units[key] == nil {
			keys = append(keys, key)
		}
		units[key] = append(units[key], i)
	}
	for _, key := range keys {
		xs := units[key]
		h := c.p.Cases[xs[0]].Owner
		if len(xs) < c.familySize(key, h) {
			continue // part of the family already moved: reported with families
		}
		var hours int64
		for _, i := range xs {
			hours += toMicro(float64(c.p.Cases[i].Weight))
		}
		if hours == 0 {
			continue // no load: nothing is stranded
		}
		for _, id := range c.ids {
			if id != h && c.workers[id].Capacity > 0 && c.mayTake(c.workers[id], c.end[id], xs) {
				c.r.addf(ErrStranded, c.p.Cases[xs[0]].ID, h, c.p.Cases[xs[0]].Group,
					"stays with %q, who has no capacity, though %q may take it", h, id)
				break
			}
		}
	}
}

// familySize returns the number of cases of unit key that worker h
// holds.
func (c *checker) familySize(key [2]string, h string) int {
	if key[0] == "case" {
		return 1
	}
	n := 0
	for _, k := range c.p.Cases {
		if k.Group == key[0] && k.Owner == h {
			n++
		}
	}
	return n
}

// objective returns, for an assignment's totals, the load in
// micro-hours left on workers with no capacity who are not absent, the
// maximum utilization under the policy over workers with capacity, and
// the spread Σ c·u² / Σ c.
func (c *checker) objective(t map[string]totals) (stranded int64, maxU, spread float64) {
	var sum, capSum float64
	for _, id := range c.ids {
		w := c.workers[id]
		s := t[id]
		if w.Capacity == 0 {
			if !absent(c.p.AsOf, w) {
				stranded += s.hours
			}
			continue
		}
		load := float64(s.load) / micro
		maxU = math.Max(maxU, load/float64(w.Capacity))
		sum += load * load / float64(w.Capacity)
		capSum += float64(w.Capacity)
	}
	if capSum > 0 {
		spread = sum / capSum
	}
	return stranded, maxU, spread
}

// near reports whether a and b agree to a relative 1e-9.
func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func (c *checker) scores() {
	p, pr := c.p, c.pr
	if pr.AsOf != p.AsOf {
		c.r.addf(ErrScore, "", "", "", "AsOf is %v, the problem's %v", pr.AsOf, p.AsOf)
	}
	if pr.Policy != c.policy {
		c.r.addf(ErrScore, "", "", "", "Policy is %q, the options' %q", pr.Policy, c.policy)
	}
	for name, v := range map[string]float64{"MaxUtilization": pr.MaxUtilization, "Spread": pr.Spread, "Bound": pr.Bound, "Gap": pr.Gap} {
		if !finite(v) {
			c.r.addf(ErrScore, "", "", "", "%s is %v", name, v)
		}
	}
	if before, err := balance.Score(p, &c.o.Options); err == nil {
		diffImbalance(&c.r, "Before", pr.Before, before)
	}
	q := p
	q.Cases = slices.Clone(p.Cases)
	for i := range q.Cases {
		if w := c.final[i]; w != "" && w != q.Cases[i].Owner {
			q.Cases[i].Owner = w
			q.Cases[i].Pinned = false
		}
	}
	if after, err := balance.Score(q, &c.o.Options); err != nil {
		c.r.addf(ErrScore, "", "", "", "the assignment does not score: %v", err)
	} else {
		diffImbalance(&c.r, "After", pr.After, after)
	}
	_, maxU, spread := c.objective(c.end)
	if !near(pr.MaxUtilization, maxU) {
		c.r.addf(ErrScore, "", "", "", "MaxUtilization is %v, the assignment's %v", pr.MaxUtilization, maxU)
	}
	if !near(pr.Spread, spread) {
		c.r.addf(ErrScore, "", "", "", "Spread is %v, the assignment's %v", pr.Spread, spread)
	}
}

// diffImbalance reports how got differs from want, naming the first
// fields that differ.
func diffImbalance(r *report, name string, got, want balance.Imbalance) {
	if reflect.DeepEqual(got, want) {
		return
	}
	var diffs []string
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for k := range gv.NumField() {
		if !reflect.DeepEqual(gv.Field(k).Interface(), wv.Field(k).Interface()) {
			f := gv.Type().Field(k).Name
			if f == "Workers" {
				diffs = append(diffs, diffWorkers(got.Workers, want.Workers))
				continue
			}
			diffs = append(diffs, fmt.Sprintf("%s is %+v, want %+v", f, gv.Field(k).Interface(), wv.Field(k).Interface()))
		}
	}
	r.addf(ErrScore, "", "", "", "%s differs from a fresh Score: %s", name, strings.Join(diffs, "; "))
}

func diffWorkers(got, want []balance.WorkerLoad) string {
	if len(got) != len(want) {
		return fmt.Sprintf("Workers lists %d workers, want %d", len(got), len(want))
	}
	for k := range got {
		if !reflect.DeepEqual(got[k], want[k]) {
			return fmt.Sprintf("Workers[%d] is %+v, want %+v", k, got[k], want[k])
		}
	}
	return "Workers differ"
}

func (c *checker) bound() {
	pr := c.pr
	// Loads are sums of micro-hours: a bound within one micro-hour on
	// the largest capacity of the maximum is equal to it at the
	// resolution of the data.
	largest := 0.0
	for _, w := range c.p.Workers {
		largest = math.Max(largest, float64(w.Capacity))
	}
	tol := 1e-9 * math.Max(1, pr.MaxUtilization)
	if largest > 0 {
		tol = math.Max(tol, 1/(micro*largest))
	}
	if pr.Bound < 0 || pr.Bound > pr.MaxUtilization+tol {
		c.r.addf(ErrBound, "", "", "", "Bound %v is above MaxUtilization %v", pr.Bound, pr.MaxUtilization)
	}
	gap := 0.0
	if pr.Bound > 0 {
		gap = (pr.MaxUtilization - pr.Bound) / pr.Bound
	}
	if !near(pr.Gap, gap) {
		c.r.addf(ErrBound, "", "", "", "Gap is %v, want (MaxUtilization - Bound) / Bound = %v", pr.Gap, gap)
	}
	known := []string{"declines", "caseload norms", "move budget", "hard capacity"}
	for k, s := range pr.Relaxed {
		if !slices.Contains(known, s) || slices.Contains(pr.Relaxed[:k], s) {
			c.r.addf(ErrBound, "", "", "", "Relaxed names %q, which is unknown or named twice", s)
		}
	}
}

func (c *checker) notices(team []balance.Reason) {
	got := c.pr.Notices
	if len(got) < len(team) || !slices.EqualFunc(got[:len(team)], team, func(a, b balance.Reason) bool { return reflect.DeepEqual(a, b) }) {
		missing := 0
		for _, n := range team {
			if !slices.ContainsFunc(got, func(m balance.Reason) bool { return reflect.DeepEqual(m, n) }) {
				missing++
			}
		}
		c.r.addf(ErrNotices, "", "", "", "the notices do not start with the problem's %d notices (%d missing)", len(team), missing)
		return
	}
	groups := c.familyNames()
	seen := map[string]bool{}
	for _, n := range got[len(team):] {
		switch {
		case n.Code == balance.CodeFamilySplit && slices.Contains(groups, n.Group) && !seen["split "+n.Group]:
			seen["split "+n.Group] = true
		case n.Code == balance.CodeCancelled && !seen["cancelled"]:
			seen["cancelled"] = true
		default:
			c.r.addf(ErrNotices, n.Case, n.Worker, n.Group, "unexpected notice %q: %s", n.Code, n.Message)
		}
		if n.Message == "" {
			c.r.addf(ErrNotices, n.Case, n.Worker, n.Group, "notice %q has no message", n.Code)
		}
	}
}

func (c *checker) prefixes() {
	owner := make([]string, len(c.p.Cases))
	for i, k := range c.p.Cases {
		owner[i] = k.Owner
	}
	byStep := map[int][]int{}
	last := 0
	for _, i := range c.byID {
		mv, ok := c.moved[i]
		if !ok || !c.onTeam(mv.To) {
			continue
		}
		if mv.Step <= 0 {
			owner[i] = mv.To
			continue
		}
		byStep[mv.Step] = append(byStep[mv.Step], i)
		last = max(last, mv.Step)
	}
	valid := func(step int, t map[string]totals) bool {
		ok := true
		for _, id := range c.ids {
			w := c.workers[id]
			if w.CaseloadNorm != nil && t[id].shares > c.normLimit(w) {
				c.r.addf(ErrPrefix, "", id, "", "after step %d the worker is above their caseload norm", step)
				ok = false
			}
			if c.o.HardCapacity && t[id].hours > c.hourLimit(w) {
				c.r.addf(ErrPrefix, "", id, "", "after step %d the worker is above capacity", step)
				ok = false
			}
		}
		return ok
	}
	t := c.sums(owner)
	if !valid(0, t) {
		return
	}
	prevStranded, prevMax, prevSpread := c.objective(t)
	for step := 1; step <= last; step++ {
		for _, i := range byStep[step] {
			owner[i] = c.moved[i].To
		}
		t = c.sums(owner)
		if !valid(step, t) {
			return
		}
		stranded, maxU, spread := c.objective(t)
		switch {
		case stranded > prevStranded:
			c.r.addf(ErrPrefix, "", "", "", "step %d leaves %v h/wk on workers without capacity, up from %v",
				step, float64(stranded)/micro, float64(prevStranded)/micro)
			return
		case stranded < prevStranded:
			// Load moved off workers without capacity: that comes first.
		case !near(maxU, prevMax) && maxU > prevMax:
			c.r.addf(ErrPrefix, "", "", "", "step %d raises the maximum utilization from %v to %v", step, prevMax, maxU)
			return
		case near(maxU, prevMax) && !near(spread, prevSpread) && spread > prevSpread:
			c.r.addf(ErrPrefix, "", "", "", "step %d raises the spread from %v to %v", step, prevSpread, spread)
			return
		}
		prevStranded, prevMax, prevSpread = stranded, maxU, spread
	}
}
