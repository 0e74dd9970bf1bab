package balance

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/signal"
)

// Codes of the audit's findings, each also the code of its signal. The
// subject of each is the case ({[signal.Case], ID}); Value is 0 unless
// the code says otherwise. An audit also reports pending handovers
// unanswered too long, as [SignalHandoverLate].
const (
	// SignalAuditGhost: open in the case system, in no team's problem
	// and so in nobody's overview. Critical.
	SignalAuditGhost = "audit.ghost"
	// SignalAuditClosed: in a team's problem (held or queued) but no
	// longer open in the case system: to close. Warning.
	SignalAuditClosed = "audit.closed"
	// SignalAuditDuplicate: in two places at once, in the problems of
	// two teams or twice in one; Value is the number of places, listed
	// in [Finding.Places]. Critical.
	SignalAuditDuplicate = "audit.duplicate"
	// SignalAuditOrphaned: held by a worker who is not on the team
	// (who left); a rebalance places it again. Warning.
	SignalAuditOrphaned = "audit.orphaned"
	// SignalAuditAway: held by a worker who is away, or on leave on the
	// audit's date. Info.
	SignalAuditAway = "audit.away"
	// SignalAuditQueued: open and waiting in a team's intake queue,
	// owned by nobody but seen there. Value is the days since it
	// arrived ([Case.Arrived]), 0 when unknown. Info.
	SignalAuditQueued = "audit.queued"
	// SignalAuditUntouched: no activity for more than
	// [AuditOptions.Untouched] working days; Value is the working days
	// since the last activity, Threshold the limit. Warning.
	SignalAuditUntouched = "audit.untouched"
	// SignalAuditTransit: a pending handover that cannot complete as
	// offered: its sender does not hold the case, its receiver is not
	// on the receiving team, or the case is in no team's problem.
	// Warning.
	SignalAuditTransit = "audit.transit"
)

// An OpenCase is one case the case system holds open.
type OpenCase struct {
	// ID is the case's ID, as in [Case.ID]; it must be unique and not
	// empty.
	ID string `json:"id"`
	// LastActivity is the date of the last recorded work on the case.
	// The zero Date means unknown: the case is never reported as
	// untouched.
	LastActivity civil.Date `json:"last_activity,omitzero"`
}

// A TeamProblem is one team's [Problem], named.
type TeamProblem struct {
	// Team names the team, as in [Offer.Team]; names must be unique.
	// The empty name is a team like any other: the one team of a
	// program that has only one.
	Team    string  `json:"team,omitempty"`
	Problem Problem `json:"problem"`
}

// AuditOptions tunes [Audit]. The zero value, and a nil pointer, mean
// the documented defaults.
type AuditOptions struct {
	// Handovers sets when a pending handover is late.
	Handovers HandoverOptions `json:"handovers,omitzero"`
	// Untouched is how many working days a case may go without
	// activity before it is reported. Zero means 20 (four weeks);
	// a negative value means never; at most 520.
	Untouched int `json:"untouched,omitempty"`
}

// A Place is where a case is listed: a team, and the case's owner
// there (empty for the intake queue).
type Place struct {
	Team  string `json:"team,omitempty"`
	Owner string `json:"owner,omitempty"`
}

// A Finding is one thing the audit found about one case: a signal, and
// where the case is.
type Finding struct {
	// Signal is the finding as a signal: its code (one of the
	// SignalAudit codes or [SignalHandoverLate]), severity, numbers and
	// sentence.
	signal.Signal
	// Case is the case's ID; for a late handover, its first case.
	Case string `json:"case"`
	// Team and Worker are where the case is and who holds it, where
	// that is known and one place.
	Team   string `json:"team,omitempty"`
	Worker string `json:"worker,omitempty"`
	// Handover is the ID of the pending handover the case is in, if
	// any.
	Handover string `json:"handover,omitempty"`
	// Places lists every place of a duplicate, in the order of the
	// teams and their cases; nil for other findings.
	Places []Place `json:"places,omitempty"`
}

// An AuditReport is the reconciliation of the case system's open cases
// with the teams' problems and pending handovers.
type AuditReport struct {
	// AsOf is the audit's date.
	AsOf civil.Date `json:"as_of"`
	// Open counts the open cases checked; Listed the distinct case IDs
	// the problems list.
	Open   int `json:"open"`
	Listed int `json:"listed"`
	// Findings lists what the audit found, each once, sorted by case
	// ID, code and handover. Empty means every open case is held by a
	// worker on its team who is present, once, and every listed case
	// is open.
	Findings []Finding `json:"findings"`
}

// Signals returns the findings as signals, sorted by [signal.Sort].
func (r *AuditReport) Signals() []signal.Signal {
	out := make([]signal.Signal, len(r.Findings))
	for i := range r.Findings {
		out[i] = r.Findings[i].Signal
	}
	signal.Sort(out)
	return out
}

// Audit reconciles the case system's open cases with the teams'
// problems and the pending handovers, on date asOf, so that a team
// leader can answer at any moment where a case is and who has it. It
// reports each finding once, with its code:
//
//   - [SignalAuditGhost]: open, but in no problem;
//   - [SignalAuditClosed]: in a problem, but not open;
//   - [SignalAuditDuplicate]: in two places at once;
//   - [SignalAuditOrphaned]: held by a worker not on the team;
//   - [SignalAuditAway]: held by a worker who is away or on leave;
//   - [SignalAuditQueued]: waiting in the intake queue;
//   - [SignalAuditUntouched]: no activity for too long;
//   - [SignalAuditTransit]: in a pending handover that cannot complete;
//   - [SignalHandoverLate]: in a pending handover unanswered too long.
//
// A case listed in one place is checked there for an orphaned, away or
// queued owner; a duplicate is reported with its places instead. A
// case in a pending handover is counted with its sender, as
// everywhere: pending names handovers such as [HandoverLog.Pending]
// returns (others are skipped), and each finding about a case in one
// names it.
//
// Audit does not validate the problems beyond what it reads: a case ID
// listed twice is a finding, not an error. It returns an error joining
// one [*InputError] per fault for an unset asOf, an empty or repeated
// open case ID, an empty case ID in a problem, a repeated team name,
// or bad options. It does not modify its arguments.
//
// The time complexity is O(n + c + m + f log f) for n open cases, c
// listed cases, m workers and f findings, with hashing of every ID.
func Audit(asOf civil.Date, open []OpenCase, teams []TeamProblem, pending []Handover, opts *AuditOptions) (*AuditReport, error) {
	a, err := newAuditor(asOf, open, teams, pending, opts)
	if err != nil {
		return nil, err
	}
	a.checkOpen()
	a.checkListed()
	a.checkHandovers()
	slices.SortFunc(a.findings, func(x, y Finding) int {
		return cmp.Or(strings.Compare(x.Case, y.Case), strings.Compare(x.Code, y.Code), strings.Compare(x.Handover, y.Handover))
	})
	return &AuditReport{AsOf: asOf, Open: len(open), Listed: len(a.listed), Findings: a.findings}, nil
}

// A caseRef locates a listed case: a team's index and the case's index
// in that team's problem.
type caseRef struct{ team, i int32 }

// An auditor holds the indexes of one audit.
type auditor struct {
	asOf       civil.Date
	open       []OpenCase
	teams      []TeamProblem
	pending    []Handover
	warn, crit int
	untouched  int // working days; negative means never
	refs       []caseRef
	// listed maps a listed case ID to its first place, an index in
	// refs.
	listed map[string]int32
	// others maps the first place of a case listed twice or more to its
	// other places.
	others map[int32][]int32
	// dup marks the places that repeat an earlier one.
	dup []bool
	// openAt is, per place, the index in open of its case, or -1;
	// placeOf is, per open case, its first place, or -1.
	openAt, placeOf []int32
	// workers maps, per team, a worker ID to whether they are absent.
	workers []map[string]bool
	// transit maps a case ID to the index of its pending handover.
	transit    map[string]int
	lastWorker workerMemo
	findings   []Finding
}

func (a *auditor) refID(k int32) string {
	r := a.refs[k]
	return a.teams[r.team].Problem.Cases[r.i].ID
}

func (a *auditor) refCase(k int32) *Case {
	r := a.refs[k]
	return &a.teams[r.team].Problem.Cases[r.i]
}

// newAuditor validates the input and builds the indexes.
func newAuditor(asOf civil.Date, open []OpenCase, teams []TeamProblem, pending []Handover, opts *AuditOptions) (*auditor, error) {
	a := &auditor{asOf: asOf, open: open, teams: teams, untouched: 20}
	var errs []error
	if asOf.IsZero() {
		errs = append(errs, &InputError{Field: "asOf", Err: ErrNoDate})
	}
	var err error
	if a.warn, a.crit, err = optsHandovers(opts).resolve("AuditOptions.Handovers"); err != nil {
		errs = append(errs, err)
	}
	if opts != nil {
		switch u := opts.Untouched; {
		case u > maxLookahead:
			errs = append(errs, &InputError{Field: "AuditOptions.Untouched",
				Err: fmt.Errorf("%w: %d working days is more than %d", ErrBadOption, u, maxLookahead)})
		case u != 0:
			a.untouched = u
		}
	}
	names := make(map[string]bool, len(teams))
	a.workers = make([]map[string]bool, len(teams))
	n := 0
	for t := range teams {
		tp := &teams[t]
		if names[tp.Team] {
			errs = append(errs, &InputError{Field: fmt.Sprintf("Teams[%d].Team", t), ID: tp.Team, Err: ErrDuplicateID})
		}
		names[tp.Team] = true
		ws := make(map[string]bool, len(tp.Problem.Workers))
		for _, w := range tp.Problem.Workers {
			ws[w.ID] = ws[w.ID] || absentOn(&w, asOf)
		}
		a.workers[t] = ws
		n += len(tp.Problem.Cases)
	}
	a.refs = make([]caseRef, 0, n)
	for t := range teams {
		for i, c := range teams[t].Problem.Cases {
			if c.ID == "" {
				errs = append(errs, &InputError{Field: fmt.Sprintf("Teams[%d].Problem.Cases[%d].ID", t, i), Err: ErrEmptyID})
			}
			a.refs = append(a.refs, caseRef{int32(t), int32(i)})
		}
	}
	errs = a.index(errs)
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	a.transit = map[string]int{}
	for k := range pending {
		if h := &pending[k]; h.Pending() {
			a.pending = append(a.pending, *h)
			for _, c := range h.Cases {
				if _, ok := a.transit[c]; !ok {
					a.transit[c] = len(a.pending) - 1
				}
			}
		}
	}
	return a, nil
}

// index maps the listed case IDs to their places and the open cases to
// theirs, and appends a fault for each open case ID that is empty or
// repeated. One map of the listed cases serves both directions: the
// open cases are looked up in it in order, so an audit hashes each ID
// once.
func (a *auditor) index(errs []error) []error {
	a.listed = make(map[string]int32, len(a.refs))
	a.dup = make([]bool, len(a.refs))
	a.others = map[int32][]int32{}
	// Assigned last to first, each ID keeps its first place, with one
	// map operation per case; the places that repeat one are sought
	// only if the map came out short.
	for k := len(a.refs) - 1; k >= 0; k-- {
		a.listed[a.refID(int32(k))] = int32(k)
	}
	if len(a.listed) < len(a.refs) {
		for k := range a.refs {
			if first := a.listed[a.refID(int32(k))]; first != int32(k) {
				a.dup[k] = true
				a.others[first] = append(a.others[first], int32(k))
			}
		}
	}
	a.openAt = make([]int32, len(a.refs))
	for k := range a.openAt {
		a.openAt[k] = -1
	}
	a.placeOf = make([]int32, len(a.open))
	ghosts := map[string]int{}
	for i := range a.open {
		id := a.open[i].ID
		a.placeOf[i] = -1
		if id == "" {
			errs = append(errs, &InputError{Field: fmt.Sprintf("Open[%d].ID", i), Err: ErrEmptyID})
			continue
		}
		k, ok := a.listed[id]
		dup := false
		if ok {
			dup = a.openAt[k] >= 0
			a.openAt[k], a.placeOf[i] = int32(i), k
		} else {
			_, dup = ghosts[id]
			ghosts[id] = i
		}
		if dup {
			errs = append(errs, &InputError{Field: fmt.Sprintf("Open[%d].ID", i), ID: id, Err: ErrDuplicateID})
		}
	}
	return errs
}

// optsHandovers returns the handover options within opts, or nil.
func optsHandovers(opts *AuditOptions) *HandoverOptions {
	if opts == nil {
		return nil
	}
	return &opts.Handovers
}

// absentOn reports whether w is away, or on leave on date d.
func absentOn(w *Worker, d civil.Date) bool {
	if w.Away {
		return true
	}
	for _, p := range w.Absences {
		if p.Contains(d) {
			return true
		}
	}
	return false
}

// add records a finding about case id with code, severity and message;
// it names the case's pending handover, if any.
func (a *auditor) add(f Finding, code string, sev signal.Severity, msg string) {
	f.Code, f.Severity, f.Message = code, sev, msg
	if f.Subject.Kind == "" {
		f.Subject = signal.Subject{Kind: signal.Case, ID: f.Case}
	}
	if k, ok := a.transit[f.Case]; ok && f.Handover == "" {
		f.Handover = a.pending[k].ID
	}
	a.findings = append(a.findings, f)
}

// checkOpen checks every open case: listed nowhere, listed twice, or
// listed once with an owner who is not on the team, absent, or nobody;
// and untouched for too long.
func (a *auditor) checkOpen() {
	for i := range a.open {
		oc := &a.open[i]
		if a.untouched > 0 && !oc.LastActivity.IsZero() {
			if d := workingDaysAfter(oc.LastActivity, a.asOf); d > a.untouched {
				f := Finding{Case: oc.ID}
				f.Value, f.Threshold, f.Since = float64(d), float64(a.untouched), oc.LastActivity.AddWorkingDays(a.untouched+1)
				f.Figures = []signal.Figure{{Name: "untouched", Value: float64(d), Unit: "working days"}}
				a.add(f, SignalAuditUntouched, signal.Warning, fmt.Sprintf(
					"case %q has had no activity for %d working days, since %s; more than %d", shorten(oc.ID), d, oc.LastActivity, a.untouched))
			}
		}
		k := a.placeOf[i]
		if k < 0 {
			a.add(Finding{Case: oc.ID}, SignalAuditGhost, signal.Critical,
				"case "+strconv.Quote(shorten(oc.ID))+" is open in the case system but in no team's overview: nobody holds it")
			continue
		}
		if others := a.others[k]; len(others) > 0 {
			a.duplicate(oc.ID, k, others)
			continue
		}
		a.checkPlace(oc.ID, k)
	}
}

// duplicate reports case id, listed at place k and at others.
func (a *auditor) duplicate(id string, k int32, others []int32) {
	places := make([]Place, 0, 1+len(others))
	where := make([]string, 0, 1+len(others))
	for _, x := range append([]int32{k}, others...) {
		pl := Place{Team: a.teams[a.refs[x].team].Team, Owner: a.refCase(x).Owner}
		places = append(places, pl)
		where = append(where, placeString(pl))
	}
	slices.SortStableFunc(places, func(x, y Place) int {
		return cmp.Or(strings.Compare(x.Team, y.Team), strings.Compare(x.Owner, y.Owner))
	})
	slices.Sort(where)
	f := Finding{Case: id, Places: places}
	f.Value, f.Threshold = float64(len(places)), 1
	f.Figures = []signal.Figure{{Name: "places", Value: float64(len(places))}}
	a.add(f, SignalAuditDuplicate, signal.Critical,
		"case "+strconv.Quote(shorten(id))+" is in "+strconv.Itoa(len(places))+" places at once: "+strings.Join(where, "; "))
}

// placeString describes a place in a message.
func placeString(p Place) string {
	s := "held by " + holder(p.Owner)
	if p.Owner == "" {
		s = "in the intake queue"
	}
	if p.Team != "" {
		s += " in team " + strconv.Quote(shorten(p.Team))
	}
	return s
}

// checkPlace checks the one place k of open case id.
func (a *auditor) checkPlace(id string, k int32) {
	r := a.refs[k]
	c := a.refCase(k)
	team := a.teams[r.team].Team
	f := Finding{Case: id, Team: team, Worker: c.Owner}
	q := func() string { return strconv.Quote(shorten(id)) }
	if c.Owner == "" {
		if !c.Arrived.IsZero() && a.asOf.After(c.Arrived) {
			f.Value = float64(a.asOf.Sub(c.Arrived))
			f.Figures = []signal.Figure{{Name: "waiting", Value: f.Value, Unit: "days"}}
		}
		a.add(f, SignalAuditQueued, signal.Info, "case "+q()+" waits in the intake queue"+teamSuffix(team))
		return
	}
	absent, onTeam := a.worker(r.team, c.Owner)
	switch {
	case !onTeam:
		a.add(f, SignalAuditOrphaned, signal.Warning,
			"case "+q()+" is held by "+holder(c.Owner)+", who is not on "+teamName(team)+"; it is placed again")
	case absent:
		a.add(f, SignalAuditAway, signal.Info,
			"case "+q()+" is held by "+holder(c.Owner)+", who is away or on leave on "+a.asOf.String())
	}
}

// teamSuffix names a team at the end of a message, if it has a name.
func teamSuffix(team string) string {
	if team == "" {
		return ""
	}
	return " of team " + strconv.Quote(shorten(team))
}

// worker returns whether the worker with the given ID is absent and
// whether they are on team t. Case systems often list cases by owner,
// so the last answer is kept.
func (a *auditor) worker(t int32, id string) (absent, onTeam bool) {
	if c := &a.lastWorker; c.ok && c.team == t && c.id == id {
		return c.absent, c.onTeam
	}
	absent, onTeam = a.workers[t][id]
	a.lastWorker = workerMemo{ok: true, team: t, id: id, absent: absent, onTeam: onTeam}
	return absent, onTeam
}

// A workerMemo is the last answer of auditor.worker.
type workerMemo struct {
	ok             bool
	team           int32
	id             string
	absent, onTeam bool
}

// teamName names a team in a message: "team "north"", or "the team".
func teamName(team string) string {
	if team == "" {
		return "the team"
	}
	return "team " + strconv.Quote(shorten(team))
}

// checkListed reports the listed cases that are not open, once each.
func (a *auditor) checkListed() {
	for k := range a.refs {
		if a.dup[k] {
			continue
		}
		id := a.refID(int32(k))
		if a.openAt[k] >= 0 {
			continue
		}
		c := a.refCase(int32(k))
		team := a.teams[a.refs[k].team].Team
		f := Finding{Case: id, Team: team, Worker: c.Owner}
		where := placeString(Place{Team: team, Owner: c.Owner})
		if n := len(a.others[int32(k)]); n > 0 {
			f.Team, f.Worker = "", ""
			where = "listed in " + strconv.Itoa(n+1) + " places"
		}
		a.add(f, SignalAuditClosed, signal.Warning,
			"case "+strconv.Quote(shorten(id))+" is no longer open in the case system but is "+where+": close it")
	}
}

// checkHandovers reports pending handovers that are late or cannot
// complete as offered.
func (a *auditor) checkHandovers() {
	teamOf := make(map[string]int, len(a.teams))
	for t := range a.teams {
		teamOf[a.teams[t].Team] = t
	}
	for x := range a.pending {
		h := &a.pending[x]
		first := ""
		if len(h.Cases) > 0 {
			first = h.Cases[0]
		}
		if s, late := lateSignal(h, a.asOf, a.warn, a.crit); late {
			a.add(Finding{Signal: s, Case: first, Worker: h.From, Handover: h.ID}, s.Code, s.Severity, s.Message)
		}
		for _, id := range h.Cases {
			f := Finding{Case: id, Worker: h.From, Handover: h.ID}
			hq, q := strconv.Quote(shorten(h.ID)), strconv.Quote(shorten(id))
			k, ok := a.listed[id]
			if !ok {
				a.add(f, SignalAuditTransit, signal.Warning,
					"case "+q+" is in handover "+hq+" but in no team's overview")
				continue
			}
			c := a.refCase(k)
			f.Team = a.teams[a.refs[k].team].Team
			if c.Owner != h.From {
				a.add(f, SignalAuditTransit, signal.Warning, "case "+q+" is in handover "+hq+" from "+holder(h.From)+
					" but "+placeString(Place{Team: f.Team, Owner: c.Owner}))
				continue
			}
			to, known := int(a.refs[k].team), true
			if h.Team != "" {
				to, known = teamOf[h.Team]
			}
			if !known {
				continue // the receiving team is not audited
			}
			if _, onTeam := a.workers[to][h.To]; !onTeam {
				a.add(f, SignalAuditTransit, signal.Warning, "case "+q+" is in handover "+hq+" to "+receiver(h)+
					", who is not on the receiving team")
			}
		}
	}
}
