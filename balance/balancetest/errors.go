package balancetest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Rules a proposal or a ranking may break. A [*Violation] wraps one of
// them; test for them with errors.Is.
var (
	// ErrInput: the problem or the options are not valid input for
	// package balance, so there is nothing to check against.
	ErrInput = errors.New("balancetest: invalid input")

	// ErrAssignment: the assignment does not list every case of the
	// problem exactly once, in ID order, with a worker on the team or
	// none, or it drops a case its owner held.
	ErrAssignment = errors.New("balancetest: assignment does not list every case once")
	// ErrIneligible: a case changes hands to a worker who may not take
	// it (see [Ineligible]).
	ErrIneligible = errors.New("balancetest: case given to a worker who may not take it")
	// ErrPinned: a pinned case left the worker it is pinned to.
	ErrPinned = errors.New("balancetest: pinned case moved")
	// ErrAbsent: an absent worker's case moved although the options do
	// not ask for it, or was moved voluntarily.
	ErrAbsent = errors.New("balancetest: absent worker's case moved")
	// ErrNorm: a worker ends above their caseload norm and above what
	// they held before.
	ErrNorm = errors.New("balancetest: caseload norm exceeded")
	// ErrCapacity: under hard capacity, a worker ends above capacity and
	// above what they held before.
	ErrCapacity = errors.New("balancetest: hard capacity exceeded")
	// ErrFamily: a family is split further than it was without a
	// family-split notice, a family moves apart, or a new member of a
	// family does not join the worker who holds it though they may take
	// it.
	ErrFamily = errors.New("balancetest: family split")
	// ErrBudget: more voluntary moves than the budget, or MovesUsed
	// does not count them.
	ErrBudget = errors.New("balancetest: move budget exceeded")
	// ErrMoves: the moves are not exactly the differences between the
	// problem and the assignment, or their kinds, origins or steps are
	// wrong.
	ErrMoves = errors.New("balancetest: moves do not match the assignment")
	// ErrPrefix: taking the steps of a proposal in order, some prefix
	// breaks a limit or is worse than the one before.
	ErrPrefix = errors.New("balancetest: a prefix of steps is invalid or worse")
	// ErrStranded: with no move budget, load stays on a worker who has
	// no capacity though another worker may take it.
	ErrStranded = errors.New("balancetest: load left on a worker without capacity")
	// ErrScore: a score does not match the assignment it scores.
	ErrScore = errors.New("balancetest: score does not match the assignment")
	// ErrBound: the lower bound is above the proposal, or the gap is
	// wrong.
	ErrBound = errors.New("balancetest: bound above the proposal")
	// ErrUnplaceable: a case without a worker is not listed as
	// unplaceable, is listed without reasons, or could be placed.
	ErrUnplaceable = errors.New("balancetest: unplaceable case wrongly reported")
	// ErrNotices: the notices leave out what the problem's notices say,
	// or say something they should not.
	ErrNotices = errors.New("balancetest: notices wrong")
	// ErrBest: a scenario's proposal does not reach the scenario's best.
	ErrBest = errors.New("balancetest: best not reached")

	// ErrCandidates: a ranking does not list every worker once, the
	// eligible ones first with ranks 1, 2, 3 and so on.
	ErrCandidates = errors.New("balancetest: candidates wrong")
	// ErrReasons: a candidate's eligibility or reasons disagree with
	// the eligibility rule.
	ErrReasons = errors.New("balancetest: reasons disagree with the eligibility rule")
	// ErrOrder: eligible candidates are not in the documented order.
	ErrOrder = errors.New("balancetest: candidates out of order")
	// ErrLoads: a candidate's loads, counts, utilizations or score do
	// not match the problem.
	ErrLoads = errors.New("balancetest: candidate numbers wrong")
)

// A Violation reports one invariant that a proposal or a ranking
// breaks.
type Violation struct {
	// Rule is the rule broken, a sentinel such as [ErrPinned].
	Rule error
	// Case, Worker and Group name what the violation is about, where
	// they apply; empty otherwise.
	Case, Worker, Group string
	// Detail says what was found, in English.
	Detail string
}

// Error returns "balancetest: rule: case "c1", worker "ann": detail",
// leaving out the parts that are empty.
func (v *Violation) Error() string {
	var b strings.Builder
	b.WriteString(v.Rule.Error())
	var about []string
	if v.Case != "" {
		about = append(about, "case "+strconv.Quote(v.Case))
	}
	if v.Group != "" {
		about = append(about, "family "+strconv.Quote(v.Group))
	}
	if v.Worker != "" {
		about = append(about, "worker "+strconv.Quote(v.Worker))
	}
	if len(about) > 0 {
		b.WriteString(": ")
		b.WriteString(strings.Join(about, ", "))
	}
	if v.Detail != "" {
		b.WriteString(": ")
		b.WriteString(v.Detail)
	}
	return b.String()
}

// Unwrap returns v.Rule.
func (v *Violation) Unwrap() error { return v.Rule }

// maxViolations caps the violations one check reports: past it, a
// broken result would bury the first, most telling ones.
const maxViolations = 100

// A report collects violations in the order they are found.
type report struct {
	errs    []error
	dropped int
}

func (r *report) add(v *Violation) {
	if len(r.errs) >= maxViolations {
		r.dropped++
		return
	}
	r.errs = append(r.errs, v)
}

// addf adds a violation of rule about a case, a worker or a group.
func (r *report) addf(rule error, caseID, worker, group, format string, args ...any) {
	r.add(&Violation{Rule: rule, Case: caseID, Worker: worker, Group: group, Detail: fmt.Sprintf(format, args...)})
}

func (r *report) err() error {
	if r.dropped > 0 {
		r.errs = append(r.errs, fmt.Errorf("balancetest: and %d more violations", r.dropped))
	}
	return errors.Join(r.errs...)
}
