package balance

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/caseload/caseload/civil"
)

// A Code names a kind of [Reason]. Tests and programs compare codes;
// people read [Reason.Message].
type Code string

// Reasons a worker cannot take a case. Every ineligible worker carries
// all of the reasons that apply to them.
const (
	CodeMissingSkill Code = "missing-skill"    // the worker lacks Skill
	CodeDeclined     Code = "declined"         // the worker declined the case; Note holds their reason
	CodeAtNorm       Code = "at-caseload-norm" // Value shares after the case would exceed Threshold
	CodeAway         Code = "away"             // the worker is away
	CodeOnLeave      Code = "on-leave"         // the worker is on planned leave until Date
	CodeLeaveSoon    Code = "leave-soon"       // planned leave starts on Date, within the look-ahead
	CodeNoCapacity   Code = "no-capacity"      // the worker has zero capacity
	CodeOverCapacity Code = "over-capacity"    // with hard capacity: utilization Value would exceed 1
	CodePaused       Code = "paused"           // the worker's intake is paused until Date (zero: until lifted); Note holds the reason
)

// Reasons for a worker's rank at intake, and for a move.
const (
	CodeLoad         Code = "load"          // utilization goes from Before to Value
	CodeRecentIntake Code = "recent-intake" // Count cases given in the last 7 days, Count28 in the last 28
	CodeFamily       Code = "family"        // the worker holds the other cases of Group
	CodeOverload     Code = "overload"      // utilization after, Value, exceeds Threshold (1 = capacity)
)

// Notices about the problem itself: nothing is lost, everything odd is
// said.
const (
	CodeOrphaned        Code = "orphaned"         // the case's owner, Worker, is not on the team
	CodeStalePin        Code = "stale-pin"        // the case is pinned to Worker, who is not on the team; the pin does not bind
	CodeUnknownDecliner Code = "unknown-decliner" // Worker declined the case but is not on the team; ignored
	CodeAwayOwner       Code = "away-owner"       // the case's owner, Worker, is away or on leave

	// Held against a hard rule: the case stays, flagged, and a rebalance
	// does not have to move it; the team decides.
	CodeHeldMissingSkill Code = "held-missing-skill" // the case's owner, Worker, lacks its required Skill
	CodeHeldDeclined     Code = "held-declined"      // the case's owner, Worker, declined it; Note holds their reason
	CodeOverNorm         Code = "over-caseload-norm" // Worker holds Value shares, above their caseload norm Threshold
)

// Codes for rebalance reasons and notices.
const (
	CodeNoEligible  Code = "no-eligible-worker" // no worker may take the case
	CodeFamilySplit Code = "family-split"       // no one worker may take the whole family Group
	CodeFromAway    Code = "from-away"          // re-placed because Worker is away
	CodeCancelled   Code = "cancelled"          // the search stopped early
	CodePlaced      Code = "placed"             // placed with Worker, at utilization Value in the proposal

	// CodeNotReached: the search stopped early (ctx was done) before it
	// came to place the case, which stays as the problem has it: queued,
	// with the owner who left the team, or with its absent owner. It is
	// not a reason no worker may take the case: run Propose again with
	// more time to place it.
	CodeNotReached Code = "not-reached"
)

// CodeLoadChange explains a move: Worker's utilization goes from Before
// to Value.
const CodeLoadChange Code = "load-change"

// Codes for what is known of a proposal's quality ([Proposal.Status]).
const (
	CodeProvenOptimal Code = "proven-optimal" // the maximum utilization, Value, is proven the lowest any plan can reach
	CodeWithinGap     Code = "within-gap"     // the maximum utilization, Value, is at most Threshold (a fraction) above Before, below which no plan can go
)

// A Reason explains one thing: why a worker is out, why they rank
// where they do, or what was noticed about the input. It is data: a
// code, the numbers behind it, and a sentence built from them.
type Reason struct {
	// Code says what kind of reason this is.
	Code Code `json:"code"`
	// Case, Worker, Skill and Group name what the reason is about, where
	// it applies.
	Case   string `json:"case,omitempty"`
	Worker string `json:"worker,omitempty"`
	Skill  string `json:"skill,omitempty"`
	Group  string `json:"group,omitempty"`
	// Before and Value are the numbers the code speaks of (utilization
	// as a fraction, shares in cases); Threshold is the limit Value is
	// held against. Zero where the code has no such number.
	Before    float64 `json:"before,omitempty"`
	Value     float64 `json:"value,omitempty"`
	Threshold float64 `json:"threshold,omitempty"`
	// Count and Count28 are counts of cases, where the code has them.
	Count   int `json:"count,omitempty"`
	Count28 int `json:"count28,omitempty"`
	// Date is the date the reason speaks of, if any.
	Date civil.Date `json:"date,omitzero"`
	// Note carries a person's words, such as the reason given for a
	// decline.
	Note string `json:"note,omitempty"`
	// Message is an English sentence built from the fields above.
	Message string `json:"message"`
}

// String returns r.Message.
func (r Reason) String() string { return r.Message }

// withMessage fills in r.Message from its code and fields.
func (r Reason) withMessage() Reason {
	r.Message = r.message()
	return r
}

// message builds the English sentence for r from its code and fields.
func (r Reason) message() string {
	// Most sentences fit the stack buffer: one allocation, the string.
	var buf [160]byte
	return string(r.appendMessage(buf[:0]))
}

// appendMessage appends the English sentence for r, built from its
// code and fields, to b and returns the extended buffer. It builds
// with strconv's appends, not fmt, so that a ranking of many workers
// can build all its sentences in one buffer.
func (r *Reason) appendMessage(b []byte) []byte {
	switch r.Code {
	case CodeMissingSkill:
		return appendQuote(append(b, "lacks skill "...), r.Skill)
	case CodeDeclined:
		if r.Note == "" {
			return append(b, "declined this case"...)
		}
		return appendQuote(append(b, "declined this case: "...), r.Note)
	case CodeAtNorm:
		b = appendNum(append(b, "at caseload norm: "...), r.Value)
		return appendNum(append(b, " shares after intake, norm "...), r.Threshold)
	case CodeAway:
		return append(b, "is away"...)
	case CodeOnLeave:
		if r.Date.IsZero() {
			return append(b, "on leave, with no end date"...)
		}
		return append(append(b, "on leave until "...), r.Date.String()...)
	case CodeLeaveSoon:
		return append(append(append(b, "leave starts "...), r.Date.String()...), ", within the look-ahead"...)
	case CodePaused:
		b = append(b, "intake paused"...)
		if !r.Date.IsZero() {
			b = append(append(b, " until "...), r.Date.String()...)
		}
		if r.Note != "" {
			b = append(append(b, ": "...), r.Note...)
		}
		return b
	case CodeNoCapacity:
		return append(b, "has no capacity for casework"...)
	case CodeOverCapacity:
		return appendPct(append(b, "would exceed capacity: "...), r.Value)
	case CodeLoad:
		return appendPct(append(appendPct(append(b, "utilization "...), r.Before), " → "...), r.Value)
	case CodeRecentIntake:
		b = appendPlural(b, r.Count, "new case")
		return append(strconv.AppendInt(append(b, " in the last 7 days, "...), int64(r.Count28), 10), " in the last 28"...)
	case CodeFamily:
		return appendQuote(append(b, "holds the other cases of family "...), r.Group)
	case CodeOverload:
		return appendPct(append(b, "would be over capacity: "...), r.Value)
	case CodeOrphaned:
		b = appendQuote(append(b, "case "...), r.Case)
		b = appendQuote(append(b, " is held by "...), r.Worker)
		return append(b, ", who is not on the team; it is placed again"...)
	case CodeStalePin:
		b = appendQuote(append(b, "case "...), r.Case)
		b = appendQuote(append(b, " is pinned to "...), r.Worker)
		return append(b, ", who is not on the team; the pin does not bind"...)
	case CodeUnknownDecliner:
		b = appendQuote(append(b, "case "...), r.Case)
		b = appendQuote(append(b, " was declined by "...), r.Worker)
		return append(b, ", who is not on the team; ignored"...)
	case CodeNoEligible:
		return append(appendQuote(append(b, "no worker may take case "...), r.Case), " now"...)
	case CodeFamilySplit:
		return append(appendQuote(append(b, "no one worker may take all of family "...), r.Group), "; its cases are placed apart"...)
	case CodeFromAway:
		return append(appendQuote(append(b, "re-placed from "...), r.Worker), ", who is away or on leave"...)
	case CodeCancelled:
		return append(b, "the search stopped early; the proposal is complete but may not be the best"...)
	case CodeNotReached:
		return append(b, notReachedMessage...)
	case CodePlaced:
		b = append(append(b, "placed with "...), shorten(r.Worker)...)
		return append(appendPct(append(b, ", at "...), r.Value), " in the proposal"...)
	case CodeLoadChange:
		b = append(append(b, shorten(r.Worker)...), ": utilization "...)
		return appendPct(append(appendPct(b, r.Before), " → "...), r.Value)
	case CodeProvenOptimal:
		b = appendPct(append(b, "no plan can do better: the fullest worker is at "...), r.Value)
		return append(b, ", proven the lowest any plan can reach"...)
	case CodeWithinGap:
		b = appendPct(append(b, "the fullest worker is at "...), r.Value)
		b = appendPct(append(b, "; no plan can go below "...), r.Before)
		b = strconv.AppendFloat(append(b, ", so this is at most "...), r.Threshold*100, 'f', 1, 64)
		return append(b, "% above the best"...)
	case CodeHeldMissingSkill:
		b = appendQuote(append(b, "case "...), r.Case)
		b = appendQuote(append(b, " is held by "...), r.Worker)
		return appendQuote(append(b, ", who lacks skill "...), r.Skill)
	case CodeHeldDeclined:
		b = appendQuote(append(b, "case "...), r.Case)
		b = appendQuote(append(b, " is held by "...), r.Worker)
		return appendQuote(append(b, ", who declined it: "...), r.Note)
	case CodeOverNorm:
		b = appendNum(append(appendQuote(b, r.Worker), " holds "...), r.Value)
		return appendNum(append(b, " shares, above the caseload norm of "...), r.Threshold)
	case CodeAwayOwner:
		b = appendQuote(append(b, "case "...), r.Case)
		b = appendQuote(append(b, " is held by "...), r.Worker)
		return append(b, ", who is away or on leave"...)
	}
	if m, ok := r.fitMessage(); ok {
		return append(b, m...)
	}
	return append(b, r.Code...)
}

// notReachedMessage is the sentence of [CodeNotReached]. It names no
// case, so that every case a stopped search did not reach shares it: a
// deadline may leave a hundred thousand of them.
const notReachedMessage = "the search stopped before it came to place this case; it stays as it was"

// sentences builds the sentences of many reasons into one growing
// string, so that a ranking of a region's workers makes a few
// allocations for its sentences rather than one for each; a sentence
// kept on its own keeps its part of that string alive. A strings.Builder
// never changes bytes it has written, so each sentence can be sliced
// out of it as soon as it is built.
type sentences struct{ b strings.Builder }

// sentenceBytes is about the length of a ranking reason's sentence, in
// bytes, to size a [sentences]: "utilization 87% → 95%" is 25, a recent
// intake's 47.
const sentenceBytes = 40

// of builds r's sentence from its code and fields and returns it.
func (s *sentences) of(r *Reason) string {
	var buf [160]byte // on the stack: most sentences fit
	b := r.appendMessage(buf[:0])
	s.b.Write(b)
	all := s.b.String()
	return all[len(all)-len(b):]
}

// withCountMessage fills in r.Message for a reason that r.Count of the
// team's n workers share, as "3 of 5 workers lack skill "court"".
func (r Reason) withCountMessage(n int) Reason {
	// One allocation, the string: a case no one may take has a reason
	// of this kind per rule, and a team may hold many such cases.
	var buf [160]byte
	b := append(strconv.AppendInt(buf[:0], int64(r.Count), 10), " of "...)
	b = append(appendPlural(b, n, "worker"), ' ')
	r.Message = string(appendGroupPhrase(b, r.Code, r.Skill, r.Count))
	return r
}

// appendGroupPhrase appends what a reason says of one worker, of a
// number of them, leaving out each worker's own numbers and dates.
func appendGroupPhrase(b []byte, code Code, skill string, n int) []byte {
	one := n == 1
	verb := func(single, many string) []byte {
		if one {
			return append(b, single...)
		}
		return append(b, many...)
	}
	switch code {
	case CodeMissingSkill:
		return appendQuote(append(verb("lacks", "lack"), " skill "...), skill)
	case CodeDeclined:
		return append(b, "declined it"...)
	case CodeAtNorm:
		return append(verb("is", "are"), " at the caseload norm"...)
	case CodeAway:
		return append(verb("is", "are"), " away"...)
	case CodeOnLeave:
		return append(verb("is", "are"), " on leave"...)
	case CodeLeaveSoon:
		return append(verb("has", "have"), " leave starting within the look-ahead"...)
	case CodePaused:
		return append(verb("has", "have"), " intake paused"...)
	case CodeNoCapacity:
		return append(verb("has", "have"), " no capacity for casework"...)
	case CodeOverCapacity:
		return append(b, "would exceed capacity"...)
	case CodeOverload:
		return append(b, "would pass the utilization ceiling"...)
	case CodeIntakeCap:
		return append(verb("has", "have"), " had their allowance of new cases"...)
	}
	return append(b, code...)
}

// pct formats a fraction as a whole percentage, "87%".
func pct(f float64) string {
	return string(appendPct(nil, f))
}

// appendPct appends f, a fraction, as a whole percentage: "87%".
func appendPct(b []byte, f float64) []byte {
	if p := f * 100; p >= 0 && !math.Signbit(p) && p < 1<<53 {
		// What strconv prints with no decimals, the nearest whole
		// number, ties to even, at a fraction of the cost: a ranking
		// prints two percentages for every eligible worker.
		return append(strconv.AppendInt(b, int64(math.RoundToEven(p)), 10), '%')
	}
	return append(strconv.AppendFloat(b, f*100, 'f', 0, 64), '%')
}

// num formats a count of shares without trailing zeros.
func num(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// appendNum appends a count of shares without trailing zeros.
func appendNum(b []byte, f float64) []byte {
	return strconv.AppendFloat(b, f, 'f', -1, 64)
}

// appendQuote appends s, shortened as [quote] does, in Go quotes.
func appendQuote(b []byte, s string) []byte {
	return strconv.AppendQuote(b, shorten(s))
}

// appendPlural appends n and what, with an s unless n is 1: "3 new
// cases".
func appendPlural(b []byte, n int, what string) []byte {
	b = append(strconv.AppendInt(b, int64(n), 10), ' ')
	b = append(b, what...)
	if n != 1 {
		b = append(b, 's')
	}
	return b
}

// plural returns n and what, with an s unless n is 1: "3 new cases".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// Reasons of the fit model: proficiency, continuity, fit cost, shared
// cases and the intake cap.
const (
	CodeIntakeCap  Code = "intake-cap" // the worker had Value new cases in the last Count days; the cap allows Threshold
	CodeContinuity Code = "continuity" // Worker had the case before, and is preferred for it
	CodeFitCost    Code = "fit-cost"   // giving the case to Worker costs Value cost units, and takes Before hours per week
	CodeCoWorker   Code = "co-worker"  // Worker carries the share Value of the case's effort
	// CodeEffortVaries: effort differs between workers; the highest
	// utilization by effort is Value, Before a proven lower bound on it
	// and Threshold the gap between them as a fraction of Before (equal
	// when proven the lowest), Before 0 when no bound applies (some case
	// that could be placed waits) or none above 0 was found. With Count set, the
	// rebalance evened out weight, as more cases or families could move
	// than it evens out effort on (at most Count), and no bound on effort
	// is proven.
	CodeEffortVaries Code = "effort-varies"
	// CodeFitGap: under PolicyFit, the fit cost Value against the proven
	// lower bound Before, Threshold above it as a fraction; Count items
	// could not be placed (the bound then speaks of more cases).
	CodeFitGap Code = "fit-gap"
)

// fitMessage builds the sentence of a fit reason.
func (r Reason) fitMessage() (string, bool) {
	switch r.Code {
	case CodeIntakeCap:
		return fmt.Sprintf("intake cap: %s in the last %s, the cap allows %s", plural(int(r.Value), "new case"), plural(r.Count, "day"), num(r.Threshold)), true
	case CodeContinuity:
		return strconv.Quote(r.Worker) + " had this case before", true
	case CodeFitCost:
		return fmt.Sprintf("fit cost %s with %s, effort %s h/wk", num(r.Value), strconv.Quote(r.Worker), strconv.FormatFloat(r.Before, 'f', 1, 64)), true
	case CodeCoWorker:
		return strconv.Quote(r.Worker) + " carries " + pct(r.Value) + " of the case's effort", true
	case CodeFitGap:
		switch {
		case r.Count > 0:
			return fmt.Sprintf("fit cost %s; %d cases or families could not be placed, so no bound applies", num(r.Value), r.Count), true
		case r.Value == r.Before:
			return fmt.Sprintf("no plan within the limits costs less: fit cost %s, proven the lowest", num(r.Value)), true
		}
		return fmt.Sprintf("fit cost %s, at most %s above the proven lower bound %s", num(r.Value), pct(r.Threshold), num(r.Before)), true
	case CodeEffortVaries:
		if r.Count > 0 {
			return "evened out by weight, as too many cases or families may move to even out effort; effort differs between workers, the fullest is at " + pct(r.Value) + " by effort, and no bound on it is proven", true
		}
		const head = "evened out by effort, which differs between workers: the fullest is at "
		switch {
		case r.Before > 0 && r.Value <= r.Before:
			return head + pct(r.Value) + ", and no plan can do better", true
		case r.Before > 0:
			return head + pct(r.Value) + ", at most " + strconv.FormatFloat(r.Threshold*100, 'f', 1, 64) + "% above the proven lower bound " + pct(r.Before), true
		}
		return head + pct(r.Value) + ", and no bound on it is proven", true
	}
	return "", false
}
