package main

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
)

// Accepting steps of a proposal does not move a case: it offers each
// move as a handover, recorded in the team's balance.HandoverLog. Until
// the receiver accepts, the case stays with its sender, where every
// load, count, score and signal sees it; the receiver sees it as
// incoming. Acceptance moves the case in the team file, in one step.
// The two functions below are the whole of that; they are pure, and
// the store calls them under its lock.

// offerSteps offers the placements and the first k steps of pr, a
// proposal for p, as pending handovers dated on, and returns the new
// log with the handovers it opened. A move whose case is already in a
// pending handover is not offered again: it is returned, for the team
// to answer the pending handover first. The handovers are named after
// the date and a batch number, as "2026-03-04.1-2" (the second
// handover of the first batch of that day).
func offerSteps(p balance.Problem, l balance.HandoverLog, pr *balance.Proposal, k int, on civil.Date) (balance.HandoverLog, []balance.Handover, []balance.Move, error) {
	hs, err := l.Handovers()
	if err != nil {
		return l, nil, nil, err
	}
	sub := *pr
	sub.Moves = firstSteps(pr, k)
	nl, skipped, err := l.OfferProposal(&sub, on, batchPrefix(hs, on))
	if err != nil {
		return l, nil, nil, err
	}
	// The sender of each offer must hold its cases today; the proposal
	// was made on p, so this fails only on a bug, never on data.
	if _, err := (balance.HandoverLog{Events: nl.Events[len(l.Events):]}).Apply(p, ""); err != nil {
		return l, nil, nil, err
	}
	all, err := nl.Handovers()
	if err != nil {
		return l, nil, nil, err
	}
	return nl, all[len(hs):], skipped, nil
}

// batchPrefix returns the first prefix date.n, n = 1, 2, …, that no
// handover in hs is named with.
func batchPrefix(hs []balance.Handover, on civil.Date) string {
	for n := 1; ; n++ {
		prefix := on.String() + "." + strconv.Itoa(n)
		if !slices.ContainsFunc(hs, func(h balance.Handover) bool { return strings.HasPrefix(h.ID, prefix+"-") }) {
			return prefix
		}
	}
}

// answerHandover records e, an answer to a pending handover, in l, and
// returns the new team file and log and the handover as it now stands.
// An acceptance gives the handover's cases to the receiver, assigned on
// the event's date, as balance.HandoverLog.Apply does: it is refused,
// with nothing recorded, when the sender no longer holds a case (the
// case system moved it since the offer; the audit reports that as a
// case in transit, and the team revokes the handover). A rejection,
// revocation or expiry moves nothing. f is the team file of p.
func answerHandover(f teamFile, p balance.Problem, l balance.HandoverLog, e balance.HandoverEvent) (teamFile, balance.HandoverLog, balance.Handover, error) {
	nl, err := l.Record(e)
	if err != nil {
		return f, l, balance.Handover{}, err
	}
	hs, err := nl.Handovers()
	if err != nil {
		return f, l, balance.Handover{}, err
	}
	var h balance.Handover
	for _, x := range hs {
		if x.ID == e.Handover {
			h = x
		}
	}
	if h.State != balance.HandoverAccepted {
		return f, nl, h, nil
	}
	// Replay this handover alone on today's team: its offer checks that
	// the sender still holds every case, its acceptance moves them.
	moved, err := balance.HandoverLog{Events: h.History}.Apply(p, "")
	if err != nil {
		return f, l, balance.Handover{}, err
	}
	owner := make(map[string]balance.Case, len(h.Cases))
	for _, c := range moved.Cases {
		if slices.Contains(h.Cases, c.ID) {
			owner[c.ID] = c
		}
	}
	f.Cases = slices.Clone(f.Cases)
	for i := range f.Cases {
		if c, ok := owner[f.Cases[i].ID]; ok {
			f.Cases[i].Owner, f.Cases[i].Assigned = c.Owner, c.Assigned
		}
	}
	return f, nl, h, nil
}

// handoverStatus is the HTTP status of an error from recording or
// answering a handover: 404 for a handover that does not exist, 409
// for one that cannot take the answer as things stand, 400 otherwise.
func handoverStatus(err error) int {
	switch {
	case errors.Is(err, balance.ErrUnknownHandover):
		return http.StatusNotFound
	case errors.Is(err, balance.ErrNotPending), errors.Is(err, balance.ErrNotHeld),
		errors.Is(err, balance.ErrUnknownCase), errors.Is(err, balance.ErrBackdated),
		errors.Is(err, balance.ErrInTransit), errors.Is(err, errStale):
		return http.StatusConflict
	}
	return http.StatusBadRequest
}

// actions are the answers a pending handover takes, by the name the
// page and the JSON service use: the library's own.
var actions = map[string]balance.HandoverAction{
	"accept": balance.ActionAccept,
	"reject": balance.ActionReject,
	"revoke": balance.ActionRevoke,
	"expire": balance.ActionExpire,
}

// casesText names a handover's cases for the page: "2026-0141", or
// "family jansen: 2026-0131, 2026-0132".
func casesText(h balance.Handover) string {
	s := strings.Join(h.Cases, ", ")
	if h.Group != "" {
		s = "family " + h.Group + ": " + s
	}
	return s
}

// fromText names a handover's sender for the page.
func fromText(from string) string {
	if from == "" {
		return "the intake queue"
	}
	return from
}

// plural is "1 case", "2 cases".
func plural(n int, what string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", what)
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// A handoversView is the team's handovers as the page shows them: the
// pending ones, oldest first, each with the forms that answer it, and
// the last ones answered.
type handoversView struct {
	Pending []handoverRow
	Closed  []handoverRow // the last answered first, at most maxClosed
	Version string        // the team's version, for the forms
}

// maxClosed is how many answered handovers the page lists.
const maxClosed = 8

// A handoverRow is one handover on the page.
type handoverRow struct {
	ID      string
	Cases   string
	From    string
	To      string
	Load    balance.HoursPerWeek // the weight of its cases, counted on the sender until accepted
	Offered civil.Date
	Waited  string // working days waited, for a pending one
	Late    string // "warning" or "critical" when late, else ""
	State   string
	Note    string
	Reasons []string
}

// newHandovers builds the handover section of st.
func newHandovers(st *teamState) *handoversView {
	weight := map[string]balance.HoursPerWeek{}
	for _, c := range st.problem.Cases {
		weight[c.ID] = c.Weight
	}
	late := map[string]string{}
	for _, f := range st.audit.Findings {
		if f.Code == balance.SignalHandoverLate {
			late[f.Handover] = f.Severity.String()
		}
	}
	v := &handoversView{Version: st.version}
	for i := len(st.handovers) - 1; i >= 0; i-- {
		h := st.handovers[i]
		row := handoverRow{ID: h.ID, Cases: casesText(h), From: fromText(h.From), To: h.To, Offered: h.Offered,
			State: string(h.State), Note: h.Note, Reasons: messages(h.Reasons)}
		for _, c := range h.Cases {
			row.Load += weight[c]
		}
		if h.Pending() {
			row.Waited = plural(workingDays(h.Offered, st.file.AsOf), "working day")
			row.Late = late[h.ID]
			v.Pending = append(v.Pending, row)
		} else if len(v.Closed) < maxClosed {
			row.State += " on " + h.Answered.String()
			v.Closed = append(v.Closed, row)
		}
	}
	slices.Reverse(v.Pending)
	return v
}

// incomingText says what pending handovers would bring worker w, or "".
func incomingText(st *teamState, w string) string {
	for _, in := range st.incoming {
		if in.Worker == w {
			return fmt.Sprintf("incoming: %s (%v) in %s, counted when accepted",
				plural(in.Cases, "case"), in.Load, plural(in.Handovers, "pending handover"))
		}
	}
	return ""
}

// inTransit maps each case in a pending handover of st to the handover.
func inTransit(st *teamState) map[string]string {
	m := map[string]string{}
	for _, h := range st.pending {
		for _, c := range h.Cases {
			m[c] = h.ID
		}
	}
	return m
}
