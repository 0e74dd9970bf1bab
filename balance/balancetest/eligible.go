package balancetest

import (
	"math"
	"slices"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
)

// Ineligible returns the code of every reason worker w may not take
// case c in problem p, or nil if w may take it. It restates the one
// eligibility rule of package balance as plainly as it can, so that
// other code (a project's own filter, a ranking, a proposal) can be
// held against it. The codes come in this order:
//
//   - [balance.CodeMissingSkill] once for each distinct skill c requires
//     that w does not hold, in the order c lists them;
//   - [balance.CodeDeclined] if w declined c;
//   - [balance.CodeAtNorm] if w has a caseload norm and the shares of the
//     cases w holds in p (c's own record left out, if w holds it) plus
//     c's share exceed the norm by more than 1e-4 shares (each share
//     rounded to a millionth, as package balance sums them; a zero
//     [balance.Case.Share] counts 1);
//   - [balance.CodeAway] if w is away;
//   - [balance.CodeOnLeave] if one of w's absences contains p.AsOf, or
//     else [balance.CodeLeaveSoon] if one starts after p.AsOf and no
//     later than the look-ahead: opts.LeaveLookahead working days
//     (Monday to Friday) after p.AsOf, 5 when it is zero or opts is nil,
//     none when it is negative;
//   - [balance.CodePaused] if w's intake is paused on p.AsOf: w has a
//     [balance.Pause] whose Until is zero (until lifted) or not before
//     p.AsOf;
//   - [balance.CodeNoCapacity] if w's capacity is zero.
//
// Hard capacity is not part of the rule: it limits a rebalance, not a
// worker, and [CheckProposal] checks it. In a rebalance the norm is
// held against the proposal's totals rather than p's.
//
// Ineligible assumes p, w, c and opts are valid input (see
// [balance.Prepare]). It takes O(n + s·k + d) time for n cases in p, s
// skills of w, k of c and d declines.
func Ineligible(p balance.Problem, w balance.Worker, c balance.Case, opts *balance.Options) []balance.Code {
	codes := staticOut(p.AsOf, w, c, lookahead(opts))
	if w.CaseloadNorm != nil {
		held := int64(0)
		for _, k := range p.Cases {
			if k.Owner == w.ID && k.ID != c.ID {
				held += microShares(k)
			}
		}
		if overNorm(held+microShares(c), *w.CaseloadNorm) {
			codes = insertNorm(codes)
		}
	}
	return codes
}

// staticOut returns the codes of Ineligible that do not depend on who
// holds what: all but the caseload norm.
func staticOut(asOf civil.Date, w balance.Worker, c balance.Case, days int) []balance.Code {
	var codes []balance.Code
	for range missingSkills(w, c) {
		codes = append(codes, balance.CodeMissingSkill)
	}
	for _, d := range c.Declines {
		if d.Worker == w.ID {
			codes = append(codes, balance.CodeDeclined)
			break
		}
	}
	if w.Away {
		codes = append(codes, balance.CodeAway)
	}
	switch {
	case onLeave(asOf, w):
		codes = append(codes, balance.CodeOnLeave)
	case leaveSoon(asOf, w, days):
		codes = append(codes, balance.CodeLeaveSoon)
	}
	if paused(asOf, w) {
		codes = append(codes, balance.CodePaused)
	}
	if w.Capacity == 0 {
		codes = append(codes, balance.CodeNoCapacity)
	}
	return codes
}

// insertNorm puts CodeAtNorm after the skill and decline codes.
func insertNorm(codes []balance.Code) []balance.Code {
	i := 0
	for i < len(codes) && (codes[i] == balance.CodeMissingSkill || codes[i] == balance.CodeDeclined) {
		i++
	}
	return slices.Insert(codes, i, balance.CodeAtNorm)
}

// missingSkills returns the distinct skills c requires that w lacks, in
// the order c lists them.
func missingSkills(w balance.Worker, c balance.Case) []string {
	var missing []string
	for _, s := range c.Skills {
		if !slices.Contains(w.Skills, s) && !slices.Contains(missing, s) {
			missing = append(missing, s)
		}
	}
	return missing
}

// lookahead resolves the leave look-ahead of opts, in working days.
func lookahead(opts *balance.Options) int {
	switch {
	case opts == nil || opts.LeaveLookahead == 0:
		return 5
	case opts.LeaveLookahead < 0:
		return 0
	}
	return opts.LeaveLookahead
}

// onLeave reports whether one of w's absences contains asOf.
func onLeave(asOf civil.Date, w balance.Worker) bool {
	for _, a := range w.Absences {
		if a.Contains(asOf) {
			return true
		}
	}
	return false
}

// leaveSoon reports whether one of w's absences starts after asOf and
// no later than days working days after it.
func leaveSoon(asOf civil.Date, w balance.Worker, days int) bool {
	// Count working days one calendar day at a time: slow, and plainly
	// right.
	horizon := asOf
	for n := 0; n < days; {
		horizon = horizon.AddDays(1)
		if wd := horizon.Weekday(); wd >= 1 && wd <= 5 {
			n++
		}
	}
	for _, a := range w.Absences {
		if !a.From.IsZero() && a.From.After(asOf) && !a.From.After(horizon) {
			return true
		}
	}
	return false
}

// paused reports whether w's intake is paused on asOf: a pause holds
// until its Until date, included, or until lifted if it has none.
func paused(asOf civil.Date, w balance.Worker) bool {
	return w.Pause != nil && (w.Pause.Until.IsZero() || !asOf.After(w.Pause.Until))
}

// absent reports whether w is away or on leave on asOf: such a worker
// keeps their cases in a rebalance unless the options re-place them.
func absent(asOf civil.Date, w balance.Worker) bool {
	return w.Away || onLeave(asOf, w)
}

// micro is the number of fixed-point units in an hour or a share:
// package balance sums weights and shares in millionths, each rounded.
const micro = 1e6

func toMicro(v float64) int64 { return int64(math.Round(v * micro)) }

// microShares returns c's share of a caseload norm, in millionths.
func microShares(c balance.Case) int64 {
	if c.Share == 0 {
		return micro
	}
	return toMicro(float64(c.Share))
}

// normSlack is the tolerance of a caseload norm: 1e-4 shares, in
// millionths.
const normSlack = 100

// overNorm reports whether shares (in millionths) exceed norm beyond
// the tolerance.
func overNorm(shares int64, norm balance.Shares) bool {
	return shares > toMicro(float64(norm))+normSlack
}

// capLimit returns the most micro-hours a worker of capacity c may
// carry under hard capacity: the capacity plus one micro-hour plus one
// part per million of it.
func capLimit(c balance.HoursPerWeek) int64 {
	m := toMicro(float64(c))
	return m + 1 + m/1_000_000
}
