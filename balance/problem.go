package balance

import "github.com/caseload/caseload/civil"

// A Worker is one member of the team, as the case system knows them.
type Worker struct {
	// ID names the worker; it must be unique and not empty.
	ID string `json:"id"`
	// Capacity is the time available for casework, in hours per week,
	// after contract hours, side duties and leave (package norm computes
	// it). A zero Capacity takes no new cases and counts all its load as
	// overload; a rebalance moves that load off first (voluntary moves,
	// within the budget), unless the worker is absent (Away, or on leave
	// today), who keeps their cases.
	Capacity HoursPerWeek `json:"capacity"`
	// Skills lists the skills the worker holds. Names are compared
	// exactly; nil means none.
	Skills []string `json:"skills,omitempty"`
	// CaseloadNorm, if not nil, is the most open cases the worker may
	// carry, counted in shares (see [Case.Share]). It is a hard limit: a
	// case that would take the worker above it is not given to them. Nil
	// means no count limit; zero means no cases at all.
	CaseloadNorm *Shares `json:"caseload_norm,omitempty"`
	// Away marks a worker who is absent for now without a known period
	// (an unplanned absence). An away worker takes no new cases; the
	// cases they hold still count, stay with them in a rebalance and are
	// flagged, unless [RebalanceOptions.ReplaceAway] re-places them.
	Away bool `json:"away,omitempty"`
	// Absences lists periods of leave or sickness, both ends included;
	// an open end means unbounded (see [civil.Period]), so sickness with
	// no known end is {From: first day}. A worker takes no new cases
	// during one, nor in the look-ahead before one starts
	// ([Options.LeaveLookahead]). A worker on leave today is treated as
	// Away in a rebalance: they keep their cases. Package norm reports a
	// contract's absences in this form.
	Absences []civil.Period `json:"absences,omitempty"`
	// Pause, if not nil, pauses the worker's intake: relief after a
	// serious incident, say. A paused worker takes no new cases and keeps
	// their own; the pause holds until Pause.Until, included.
	Pause *Pause `json:"pause,omitempty"`
	// Pressure, if not nil, is the worker's own rating of the pressure
	// they feel, from 0 (none) to 1 (unbearable): perception, which the
	// numbers do not show. Signals compare it with utilization. Nil
	// means not reported.
	Pressure *float64 `json:"pressure,omitempty"`
	// Levels grades the worker's skills (see [Proficiency]); a skill
	// listed here is held, whether or not Skills lists it. A skill in
	// Skills without a level is held at level 1. Nil means no grades.
	Levels []Proficiency `json:"levels,omitempty"`
	// Efficiency lists factors on the weight of some kinds of cases for
	// this worker (see [Efficiency]); nil means every case takes its
	// weight.
	Efficiency []Efficiency `json:"efficiency,omitempty"`
	// Costs lists the fit costs of giving this worker cases of some
	// kinds (see [CostRule]); nil means none.
	Costs []CostRule `json:"costs,omitempty"`
}

// A Pause stops a worker's intake for a while, with the team's reason.
type Pause struct {
	// Until is the last day of the pause. The zero Date means until it is
	// lifted.
	Until civil.Date `json:"until,omitzero"`
	// Reason is the team's own words, such as "relief after the incident
	// of 2 March".
	Reason string `json:"reason,omitempty"`
}

// pausedOn reports whether p pauses intake on d.
func (p *Pause) pausedOn(d civil.Date) bool {
	return p != nil && (p.Until.IsZero() || !d.After(p.Until))
}

// A Decline records that a worker declined a case, with the reason they
// gave. A declined case is not given to that worker.
type Decline struct {
	// Worker is the ID of the worker who declined.
	Worker string `json:"worker"`
	// Reason is the worker's own words, kept for the team's record.
	Reason string `json:"reason,omitempty"`
	// Date is the day the worker declined; the zero Date means unknown.
	// Signals count a worker's recent declines with it.
	Date civil.Date `json:"date,omitzero"`
}

// A Case is one open case (or a service, a client, a family member's
// case) as the case system knows it.
type Case struct {
	// ID names the case; it must be unique and not empty.
	ID string `json:"id"`
	// Weight is the expected work in hours per week (package weight
	// computes it). A zero Weight is allowed and adds no load.
	Weight HoursPerWeek `json:"weight"`
	// Share is how much the case counts against a caseload norm, in
	// cases. Zero means 1, so leave it unset unless a mixed caseload
	// counts some cases as a part of one.
	Share Shares `json:"share,omitempty"`
	// Skills lists the skills the case requires; its worker must hold
	// all of them. A skill nobody holds makes the case unplaceable,
	// which is reported, not an error.
	Skills []string `json:"skills,omitempty"`
	// Group, if not empty, names a family: the cases of one group belong
	// with one worker whenever some worker can take them all.
	Group string `json:"group,omitempty"`
	// Owner is the ID of the worker who holds the case. Empty means the
	// case waits in the intake queue. An owner who is not on the team
	// (a worker who left) makes the case orphaned: it is reported and
	// placed again, never lost.
	Owner string `json:"owner,omitempty"`
	// Pinned keeps the case with its owner: no proposal moves it.
	Pinned bool `json:"pinned,omitempty"`
	// Declines lists the workers who declined the case, with reasons.
	Declines []Decline `json:"declines,omitempty"`
	// Arrived is the date the case came in. The zero Date means unknown.
	Arrived civil.Date `json:"arrived,omitzero"`
	// Assigned is the date the case was given to its current owner; it
	// drives the fair-turns count of recent intake. The zero Date means
	// unknown, which counts as long ago.
	Assigned civil.Date `json:"assigned,omitzero"`
	// Deadline, if set, is the date by which work on the case must have
	// started (a statutory term). When not everything fits, cases with an
	// earlier deadline are placed first.
	Deadline civil.Date `json:"deadline,omitzero"`
	// Priority orders cases when not everything fits: higher first.
	// Zero is the ordinary priority.
	Priority int `json:"priority,omitempty"`
	// Severity is how serious the case is, in points on the
	// organisation's own severity scale (package weight computes it
	// beside the hours). It carries no weight in balancing: signals
	// count a worker's severe cases with it. Zero means not severe; it
	// must be finite, not negative and at most 1e6.
	Severity float64 `json:"severity,omitempty"`
	// Kind names the kind of case ("aggression", "debt"), matched by the
	// workers' efficiency factors and cost rules. Empty means none.
	Kind string `json:"kind,omitempty"`
	// Levels lists the least proficiency the case needs in some skills
	// (see [Proficiency]); each skill is required as Skills are. Nil
	// means level 1 in every required skill.
	Levels []Proficiency `json:"levels,omitempty"`
	// Fit lists, per worker, the effort and cost the caller computed
	// for giving them the case (see [PairFit]); at most one entry per
	// worker. Nil means computed from the weight and the workers' rules.
	Fit []PairFit `json:"fit,omitempty"`
	// Previous names the worker who had the case before (a family that
	// returns). Ranking and [PolicyFit] prefer them when they are
	// eligible, and say so; the hard rules come first. Empty means none;
	// a worker not on the team is ignored.
	Previous string `json:"previous,omitempty"`
	// CoWorker names a worker on the team who carries CoShare of the
	// case's effort, wherever the case goes; the case moves as one.
	// Empty means none. CoShare is the fraction, strictly between 0 and
	// 1; it must be zero without a co-worker.
	CoWorker string  `json:"co_worker,omitempty"`
	CoShare  float64 `json:"co_share,omitempty"`
}

// share returns how much c counts against a caseload norm.
func (c *Case) share() float64 {
	if c.Share == 0 {
		return 1
	}
	return float64(c.Share)
}

// A Problem is the team as it stands on a date: its workers, their
// cases, and the cases waiting in the intake queue. It is plain data: a
// case system fills it in, and it can be saved as JSON and replayed.
// The order of Workers and Cases does not matter.
type Problem struct {
	// AsOf is the date the problem describes; the library never reads
	// the clock. It must be set.
	AsOf civil.Date `json:"as_of"`
	// Workers is the team.
	Workers []Worker `json:"workers"`
	// Cases are the team's open cases and its intake queue.
	Cases []Case `json:"cases"`
}
