package balance

import (
	"fmt"
	"math"

	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/signal"
)

// Codes of the signals that [Team.Signals] raises. Value and Threshold
// are in the unit given for each.
const (
	SignalLoad         = "load.over"            // a worker's utilization (fraction) is above a band bound
	SignalOverNorm     = "caseload.over-norm"   // a worker's shares are above their caseload norm (shares)
	SignalSustained    = "load.sustained"       // utilization above a level (fraction) in each of the last weekly snapshots
	SignalRising       = "load.rising"          // a trend projects utilization (fraction) across a level within the horizon
	SignalImbalance    = "team.imbalance"       // the coefficient of variation of utilization is above a threshold
	SignalSevere       = "severe.concentration" // a worker holds more than a threshold share (fraction) of the team's severe cases
	SignalBottleneck   = "skill.bottleneck"     // queued demand for a skill (h/wk) is above the spare capacity of its holders (h/wk)
	SignalSingleHolder = "skill.single-holder"  // only one available worker holds a skill that cases need (workers)
	SignalShortfall    = "team.shortfall"       // the team's demand (h/wk) is above its capacity (h/wk)
	SignalWaiting      = "queue.waiting"        // a case has waited for a worker longer than a threshold (working days)
	SignalLeadTime     = "case.lead-time"       // a case is open longer than, or will pass, a lead-time norm (weeks)
	SignalPressureHigh = "pressure.high"        // a worker reports high pressure (0–1) at a normal utilization
	SignalPressureLow  = "pressure.low"         // a worker reports low pressure (0–1) while overloaded
	SignalDeclines     = "declines.worker"      // a worker declined more cases than a threshold (cases)
	SignalDeclinedCase = "declines.case"        // a case was declined by more than a share (fraction) of the workers who could take it
	SignalPaused       = "intake.paused"        // a worker's intake is paused (days left; 0 when until lifted)
	SignalPauseEnds    = "intake.pause-ends"    // a worker's intake pause ends within a week (days left)
)

// Thresholds tunes [Team.Signals]. The zero value, and a nil pointer,
// mean the documented defaults; a negative value switches a numeric
// test off where that is said.
type Thresholds struct {
	// Off lists signal codes not to raise, such as [SignalPressureHigh].
	Off []string `json:"off,omitempty"`

	// LoadInfo, LoadWarning and LoadCritical are the utilization
	// fractions above which [SignalLoad] is raised at info, warning and
	// critical severity. Zero means 0.9, 1.0 and 1.1: the UK probation
	// service's Workload Measurement Tool shades 90–110% as its target
	// band and shows capacity above 110% in red (HM Prison and Probation
	// Service, Workload Measurement Tool).
	LoadInfo     float64 `json:"load_info,omitempty"`
	LoadWarning  float64 `json:"load_warning,omitempty"`
	LoadCritical float64 `json:"load_critical,omitempty"`

	// SustainedLevel and SustainedWeeks define sustained overload: a
	// utilization above SustainedLevel in each of the last SustainedWeeks
	// weekly readings, today's included. Zero means 1.1 and 4: "anyone
	// over 110% for a period of 4 consecutive weeks is deemed to have an
	// excessive workload" (HM Prison and Probation Service, answer to a
	// written question in the UK Parliament, 30 March 2021).
	SustainedLevel float64 `json:"sustained_level,omitempty"`
	SustainedWeeks int     `json:"sustained_weeks,omitempty"`

	// RisingLevel, RisingHorizon and RisingPoints define a rising load:
	// a least-squares line through the last RisingPoints readings that
	// crosses RisingLevel within RisingHorizon days from today. Zero
	// means 1.0, 28 days and 6 readings; fewer than 3 readings never
	// raise it.
	RisingLevel   float64 `json:"rising_level,omitempty"`
	RisingHorizon int     `json:"rising_horizon,omitempty"`
	RisingPoints  int     `json:"rising_points,omitempty"`

	// ImbalanceCV is the coefficient of variation of utilization over
	// the workers with capacity above which the team is imbalanced. Zero
	// means 0.2: a typical worker 20% away from the team's mean. It is a
	// judgement, not a published norm.
	ImbalanceCV float64 `json:"imbalance_cv,omitempty"`

	// SevereAt is the severity, in the organisation's points, from which
	// a case counts as severe ([Case.Severity]); zero means 3. A worker
	// holding at least SevereMin severe cases (zero means 3) and more
	// than SevereFactor times their capacity's share of the team's severe
	// cases (zero means 1.5) raises [SignalSevere]. Judgements, not
	// published norms: heavy cases should not pile up on one person.
	SevereAt     float64 `json:"severe_at,omitempty"`
	SevereMin    int     `json:"severe_min,omitempty"`
	SevereFactor float64 `json:"severe_factor,omitempty"`

	// FullTime is one full-time worker's capacity for casework, in hours
	// per week, used to state a shortfall as the workers missing. Zero
	// means the largest capacity on the team.
	FullTime HoursPerWeek `json:"full_time,omitempty"`

	// WaitingDays is how many working days a case may wait for a worker;
	// zero means 5, the Dutch statutory term for Veilig Thuis's safety
	// assessment after a report. A case of priority above zero may wait
	// half as long (rounded up); a case whose deadline has passed, or
	// that waited twice as long, is critical.
	WaitingDays int `json:"waiting_days,omitempty"`

	// LeadTimeWeeks is how many weeks a case may be open, counted from
	// its arrival; zero means 10, the Dutch statutory term for completing
	// a Veilig Thuis investigation. A case that will pass it within
	// RisingHorizon days raises an info signal with the projected date.
	// Negative switches the lead-time test off, for services whose cases
	// run for years.
	LeadTimeWeeks int `json:"lead_time_weeks,omitempty"`

	// PressureHigh and PressureLow are the self-reported pressures
	// ([Worker.Pressure]) from which pressure counts as high and up to
	// which it counts as low; zero means 0.7 and 0.3. High pressure at a
	// utilization up to LoadInfo, or low pressure above LoadCritical,
	// raises a signal: pressure is perception, busyness is numbers, and
	// a gap between them deserves a conversation.
	PressureHigh float64 `json:"pressure_high,omitempty"`
	PressureLow  float64 `json:"pressure_low,omitempty"`

	// Declines is how many cases a worker may decline within
	// DeclineDays days (declines without a date count as recent) before
	// [SignalDeclines]; zero means 3 and 28. DeclinedShare is the share
	// of the workers who could take a case that may decline it before
	// [SignalDeclinedCase]; zero means 0.5.
	Declines      int     `json:"declines,omitempty"`
	DeclineDays   int     `json:"decline_days,omitempty"`
	DeclinedShare float64 `json:"declined_share,omitempty"`

	// PauseNotice is how many days before a pause ends [SignalPauseEnds]
	// is raised; zero means 7.
	PauseNotice int `json:"pause_notice,omitempty"`
}

// thresholds is Thresholds with its defaults applied.
type thresholds struct {
	Thresholds
	off map[string]bool
}

func (th *Thresholds) resolve() (thresholds, error) {
	var r thresholds
	if th != nil {
		r.Thresholds = *th
	}
	t := &r.Thresholds
	var errs []error
	fraction := func(name string, v *float64, def float64) {
		switch {
		case math.IsNaN(*v) || math.IsInf(*v, 0) || *v < 0:
			errs = append(errs, &InputError{Field: "Thresholds." + name, Err: fmt.Errorf("%w: %v", ErrBadOption, *v)})
		case *v == 0:
			*v = def
		}
	}
	count := func(name string, v *int, def int) {
		switch {
		case *v < 0:
			errs = append(errs, &InputError{Field: "Thresholds." + name, Err: fmt.Errorf("%w: %d", ErrBadOption, *v)})
		case *v == 0:
			*v = def
		}
	}
	fraction("LoadInfo", &t.LoadInfo, 0.9)
	fraction("LoadWarning", &t.LoadWarning, 1.0)
	fraction("LoadCritical", &t.LoadCritical, 1.1)
	fraction("SustainedLevel", &t.SustainedLevel, 1.1)
	count("SustainedWeeks", &t.SustainedWeeks, 4)
	fraction("RisingLevel", &t.RisingLevel, 1.0)
	count("RisingHorizon", &t.RisingHorizon, 28)
	count("RisingPoints", &t.RisingPoints, 6)
	fraction("ImbalanceCV", &t.ImbalanceCV, 0.2)
	fraction("SevereAt", &t.SevereAt, 3)
	count("SevereMin", &t.SevereMin, 3)
	fraction("SevereFactor", &t.SevereFactor, 1.5)
	full := float64(t.FullTime)
	fraction("FullTime", &full, 0)
	t.FullTime = HoursPerWeek(full)
	count("WaitingDays", &t.WaitingDays, 5)
	if t.LeadTimeWeeks == 0 {
		t.LeadTimeWeeks = 10
	}
	fraction("PressureHigh", &t.PressureHigh, 0.7)
	fraction("PressureLow", &t.PressureLow, 0.3)
	count("Declines", &t.Declines, 3)
	count("DeclineDays", &t.DeclineDays, 28)
	fraction("DeclinedShare", &t.DeclinedShare, 0.5)
	count("PauseNotice", &t.PauseNotice, 7)
	if !(t.LoadInfo <= t.LoadWarning && t.LoadWarning <= t.LoadCritical) {
		errs = append(errs, &InputError{Field: "Thresholds.LoadInfo", Err: fmt.Errorf("%w: load bounds do not ascend", ErrBadOption)})
	}
	if len(errs) > 0 {
		return r, joinErrors(errs)
	}
	r.off = map[string]bool{}
	for _, c := range t.Off {
		r.off[c] = true
	}
	return r, nil
}

// Signals returns the team's early-warning signals, most severe first,
// then by code and subject (see [signal.Sort]): load bands, caseload
// norms, sustained and rising overload over history, team imbalance,
// heavy-case concentration, skill bottlenecks, capacity shortfall and
// the workers it takes, queue ageing and lead times, perceived pressure
// against the numbers, structural declines, and intake pauses. Each
// signal names its subject, the value and the threshold it crossed,
// since when it holds where history tells, the projected date of a
// trend, the figures behind it and a sentence to read aloud. The codes
// are the Signal… constants; th switches kinds off and moves their
// thresholds, and nil means the defaults.
//
// history is the team's earlier snapshots ([Team.Snapshot]), oldest
// first, dated strictly before the team's date; a last snapshot dated
// the team's date is read as the team itself. A worker missing from
// old snapshots (a new hire) is normal. Signals returns an error naming
// the item for a snapshot out of order, a worker not on the team or
// listed twice, a number that is not finite, and for bad thresholds.
//
// Signals inform; they decide nothing. It takes O(n + h·m) time for n
// cases, m workers and h snapshots.
func (t *Team) Signals(history []Snapshot, th *Thresholds) ([]signal.Signal, error) {
	r, err := th.resolve()
	if err != nil {
		return nil, err
	}
	if err := t.checkHistory(history); err != nil {
		return nil, err
	}
	g := &gather{t: t, th: &r, history: history, im: t.Score()}
	g.load()
	g.team()
	g.severe()
	g.skills()
	g.queue()
	g.people()
	signal.Sort(g.out)
	return g.out, nil
}

// A gather collects signals.
type gather struct {
	t       *Team
	th      *thresholds
	history []Snapshot
	im      Imbalance
	out     []signal.Signal
}

// raise adds s unless its code is switched off.
func (g *gather) raise(s signal.Signal) {
	if !g.th.off[s.Code] {
		g.out = append(g.out, s)
	}
}

func workerSubject(id string) signal.Subject { return signal.Subject{Kind: signal.Worker, ID: id} }
func caseSubject(id string) signal.Subject   { return signal.Subject{Kind: signal.Case, ID: id} }

var teamSubject = signal.Subject{Kind: signal.Team}

// since returns the first date of the run of readings, ending today,
// for which ok holds, or the zero Date when only today's does.
func since(dates []civil.Date, ok func(k int) bool) (civil.Date, int) {
	n := len(dates)
	k := n
	for k > 0 && ok(k-1) {
		k--
	}
	if k >= n-1 {
		return civil.Date{}, n - k
	}
	return dates[k], n - k
}

// workingDaysBetween counts the working days after a up to and
// including b; zero when b is not after a.
func workingDaysBetween(a, b civil.Date) int {
	if a.IsZero() || b.IsZero() || !b.After(a) {
		return 0 // the zero Date plus any number of days stays zero
	}
	// Whole weeks hold five working days each.
	days := b.Sub(a)
	n := days / 7 * 5
	for d := a.AddDays(days / 7 * 7); d.Before(b); {
		d = d.AddDays(1)
		if d.IsWeekday() {
			n++
		}
	}
	return n
}

// severityFor grades a utilization against the load bands.
func (g *gather) severityFor(u float64) (signal.Severity, float64, bool) {
	switch {
	case u > g.th.LoadCritical:
		return signal.Critical, g.th.LoadCritical, true
	case u > g.th.LoadWarning:
		return signal.Warning, g.th.LoadWarning, true
	case u > g.th.LoadInfo:
		return signal.Info, g.th.LoadInfo, true
	}
	return 0, 0, false
}
