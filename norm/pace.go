package norm

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/caseload/caseload/signal"

	"github.com/caseload/caseload/civil"
)

// PaceStatus grades a worker's or a team's production against the norm
// on a date. The zero PaceStatus is [PaceNoExpectation].
type PaceStatus int

// Pace statuses. With the default [PaceBands] a ratio of completed to
// expected services of 1.10 or more is ahead, 0.90 up to 1.10 on track,
// 0.75 up to 0.90 behind and below 0.75 far behind.
const (
	// PaceNoExpectation: fewer than MinExpected services are expected
	// so far (the start of the year, not yet started, a long absence,
	// no casework capacity all year, or a norm of zero), so no verdict
	// is given. Its message says which, and says "yet" only while more
	// is expected later in the year. Severity info.
	PaceNoExpectation PaceStatus = iota
	// PaceAhead: ratio at or above Ahead. Severity info.
	PaceAhead
	// PaceOnTrack: ratio from Behind up to Ahead. Severity info.
	PaceOnTrack
	// PaceBehind: ratio from FarBehind up to Behind. Severity warning.
	PaceBehind
	// PaceFarBehind: ratio below FarBehind. Severity critical.
	PaceFarBehind
)

var paceNames = [...]string{"no expectation", "ahead", "on track", "behind", "far behind"}

// String returns "no expectation", "ahead", "on track", "behind" or "far
// behind".
func (s PaceStatus) String() string {
	if s >= 0 && int(s) < len(paceNames) {
		return paceNames[s]
	}
	return fmt.Sprintf("pace(%d)", int(s))
}

// Code returns the status as a token: "no-expectation", "ahead",
// "on-track", "behind" or "far-behind".
func (s PaceStatus) Code() string { return strings.ReplaceAll(s.String(), " ", "-") }

// MarshalText encodes s as its [PaceStatus.Code].
func (s PaceStatus) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(paceNames) {
		return nil, fmt.Errorf("norm: unknown pace status %d", int(s))
	}
	return []byte(s.Code()), nil
}

// UnmarshalText decodes a code written by MarshalText.
func (s *PaceStatus) UnmarshalText(b []byte) error {
	for i := range paceNames {
		if PaceStatus(i).Code() == string(b) {
			*s = PaceStatus(i)
			return nil
		}
	}
	return fmt.Errorf("norm: unknown pace status %q", b)
}

// Severity returns the severity of s: warning for behind, critical for
// far behind, info otherwise.
func (s PaceStatus) Severity() signal.Severity {
	switch s {
	case PaceBehind:
		return signal.Warning
	case PaceFarBehind:
		return signal.Critical
	}
	return signal.Info
}

// Progress is a reading of production against the norm on one date, for
// one worker or a team.
type Progress struct {
	// Subject is the worker (the contract's Worker, which may be empty
	// for a lone [Pace]) or the team the reading is about.
	Subject string `json:"subject"`
	// At is the date of the reading, included in Expected; never the
	// zero Date.
	At civil.Date `json:"at"`
	// Target is the services expected over the whole norm year,
	// prorated by casework capacity. Zero means nothing is expected (no
	// norm, or no casework capacity all year).
	Target Services `json:"target"`
	// Expected is the services expected from the start of the year
	// through At, included. Zero before the year or before any
	// casework capacity.
	Expected Services `json:"expected"`
	// Completed is the services completed so far, as given; zero means
	// none.
	Completed Services `json:"completed"`
	// FTEDays is the casework capacity from the start of the norm year
	// through At, in full-time working days: each working day of the
	// calendar counts the worker's casework capacity that day divided
	// by the norm's FullTime, so a half-time worker earns 0.5 a day.
	// Expected is PerFTE × FTEDays / working days of the year. Zero
	// means no casework capacity in the year so far. For a team it is
	// the sum over the members.
	FTEDays float64 `json:"fte_days"`
	// YearFTEDays is FTEDays over the whole norm year, in full-time
	// working days; Target is PerFTE × YearFTEDays / working days of the
	// year. Zero means no casework capacity all year.
	YearFTEDays float64 `json:"year_fte_days"`
	// Ratio is Completed / Expected; zero when Status is
	// [PaceNoExpectation].
	Ratio float64 `json:"ratio"`
	// Status grades Ratio by the norm's bands.
	Status PaceStatus `json:"status"`
	// Threshold is the band bound that decided Status: Ahead for ahead,
	// Behind for on track and behind, FarBehind for far behind (all
	// ratios), and MinExpected (services) for no expectation.
	Threshold float64 `json:"threshold"`
	// Projected is the services completed by the end of the year at the
	// current rate: Completed × Target / Expected. With no expectation
	// yet it assumes the norm's pace for the rest: Completed + Target −
	// Expected. For a team it is the sum of the members' projections.
	Projected Services `json:"projected"`
	// Bands are the bounds that graded Ratio, with defaults applied
	// (see [PaceBands]). The zero PaceBands, in a Progress built by
	// hand, means the defaults.
	Bands PaceBands `json:"bands"`
}

// Signal returns p as an early-warning [signal.Signal] about worker
// p.Subject (see [TeamProgress.Signals] for a team's) with code "pace.<code>"
// (see [PaceStatus.Code]), the status's severity, Value = Ratio and
// Threshold = p.Threshold; for no expectation Value is Expected, in
// services.
//
// The message never contradicts the status. It prints the ratio as a
// whole percentage when that rounds into the status's band, and with
// one or two decimals otherwise, so a ratio of 0.895, behind, reads
// "89.5%, below 90%" and 1.0996, on track, reads "109.96%"; a ratio
// within [BoundTolerance] below a bound, graded above it, prints as the
// bound. Likewise the services expected before a verdict print below
// MinExpected ("0.96 services expected, a verdict from 1.0").
//
// With no expectation the message says why, from the fields: "has no
// expectation yet: 0.4 services expected, a verdict from 1.0" early in
// the year; "has no expectation yet: no casework capacity in the norm
// year so far" before any casework capacity; and without "yet" when
// nothing more is expected in the year: "has no expectation: no
// casework capacity in the norm year" for a worker absent all year,
// "the norm expects no services" for a zero norm, and "0.7 services
// expected in the whole norm year" when the year's whole expectation
// stays below MinExpected.
func (p Progress) Signal() signal.Signal {
	s := signal.Signal{
		Code:      "pace." + p.Status.Code(),
		Subject:   signal.Subject{Kind: signal.Worker, ID: p.Subject},
		Value:     p.Ratio,
		Threshold: p.Threshold,
		Severity:  p.Status.Severity(),
	}
	s.Message = p.Subject + " " + p.phrase() + ": " + p.detail()
	if p.Status == PaceNoExpectation {
		s.Value = float64(p.Expected)
	}
	return s
}

// StatusChange returns a [signal.Signal] when the status of cur differs from that
// of prev, two readings of the same subject, and false otherwise. The
// signal is cur's, with a message built from cur's fields that names
// both statuses, e.g. "ann went from on track to behind: 9.5 services
// completed, 11.0 expected (86%, below 90%)". Feed it week by week to
// warn early.
func StatusChange(prev, cur Progress) (signal.Signal, bool) {
	if prev.Status == cur.Status {
		return signal.Signal{}, false
	}
	s := cur.Signal()
	s.Message = cur.Subject + " went from " + prev.Status.String() + " to " + cur.Status.String() + ": " + cur.detail()
	return s, true
}

// Pace reads the production of the worker with contract c on at: the
// services expected so far and over the year, the completed services
// given, their ratio, a status and a projection.
//
// A full-time worker (casework capacity n.FullTime on every working day)
// is expected to complete n.PerFTE services over the working days of
// cal; each working day counts in proportion to the worker's casework
// capacity that day ([Capacity] divided by n.FullTime), so part-time
// work, side duties, absences and onboarding lower both the target and
// the expectation to date, and non-working weeks lower neither. The
// expectation counts working days up to and including at; before the
// year it is zero and after the year it is the target. Pace errors when
// n, cal or c is not valid, completed is negative or not finite, or at is
// zero. Its cost is O(d × k) for d days in the year and k items in c.
func Pace(n ProductionNorm, cal Calendar, c Contract, completed Services, at civil.Date) (Progress, error) {
	var f faults
	n.validate(&f, top("ProductionNorm"))
	cal.validate(&f, top("Calendar"))
	c.validate(&f, top("Contract"))
	f.amount(top("completed"), "", c.Worker, float64(completed))
	if at.IsZero() {
		f.add(top("At"), "", c.Worker, ErrMissing)
	}
	if err := f.err(); err != nil {
		return Progress{}, err
	}
	p := progress(n, cal.workdays(), &c, float64(completed), at)
	judge(&p, n.Bands.withDefaults())
	return p, nil
}

// A Member is one worker of a team, as input to [TeamPace].
type Member struct {
	Contract  Contract `json:"contract"`  // Contract.Worker is required and unique
	Completed Services `json:"completed"` // services completed so far this year
}

// TeamProgress is a team's production reading: the team's totals and each
// member's reading.
type TeamProgress struct {
	// Team sums the members' Target, Expected, Completed and Projected,
	// in worker-name order; its Ratio and Status come from those sums.
	Team Progress `json:"team"`
	// Members holds each member's reading, by worker name.
	Members []Progress `json:"members"`
}

// Signals returns the team's signal followed by each member's, by worker
// name. Filter on Severity to keep the warnings.
func (t TeamProgress) Signals() []signal.Signal {
	out := make([]signal.Signal, 0, 1+len(t.Members))
	team := t.Team.Signal()
	team.Subject.Kind = signal.Team
	out = append(out, team)
	for _, m := range t.Members {
		out = append(out, m.Signal())
	}
	return out
}

// TeamPace reads the production of a team on at, as [Pace] does for each
// member, and sums the members, because norms are averages: a team can be
// on track while its members differ. An empty team name reads "team". It
// errors when any input is invalid or a member's worker name is empty or
// repeated, listing every fault. Its cost is O(m × d × k) for m members.
func TeamPace(n ProductionNorm, cal Calendar, team string, members []Member, at civil.Date) (TeamProgress, error) {
	var f faults
	n.validate(&f, top("ProductionNorm"))
	cal.validate(&f, top("Calendar"))
	seen := make(map[string]bool, len(members))
	for i, m := range members {
		p := func() string { return "members[" + strconv.Itoa(i) + "]" }
		w := m.Contract.Worker
		if w == "" {
			f.add(p, ".Contract.Worker", "", ErrMissing)
		} else if seen[w] {
			f.add(p, ".Contract.Worker", w, ErrDuplicate)
		}
		seen[w] = true
		m.Contract.validate(&f, func() string { return p() + ".Contract" })
		f.amount(p, ".Completed", w, float64(m.Completed))
	}
	if at.IsZero() {
		f.add(top("At"), "", team, ErrMissing)
	}
	if err := f.err(); err != nil {
		return TeamProgress{}, err
	}
	if team == "" {
		team = "team"
	}
	bands := n.Bands.withDefaults()
	work := cal.workdays()
	sorted := slices.Clone(members)
	slices.SortFunc(sorted, func(a, b Member) int { return cmp.Compare(a.Contract.Worker, b.Contract.Worker) })
	t := TeamProgress{Team: Progress{Subject: team, At: at}, Members: make([]Progress, 0, len(sorted))}
	var target, expected, completed, projected, fteDays, yearFTEDays float64
	for i := range sorted {
		p := progress(n, work, &sorted[i].Contract, float64(sorted[i].Completed), at)
		judge(&p, bands)
		t.Members = append(t.Members, p)
		target += float64(p.Target)
		expected += float64(p.Expected)
		completed += float64(p.Completed)
		projected += float64(p.Projected)
		fteDays += p.FTEDays
		yearFTEDays += p.YearFTEDays
	}
	t.Team.FTEDays = finite(fteDays)
	t.Team.YearFTEDays = finite(yearFTEDays)
	t.Team.Target = Services(finite(target))
	t.Team.Expected = Services(finite(expected))
	t.Team.Completed = Services(finite(completed))
	judge(&t.Team, bands)
	t.Team.Projected = Services(finite(projected))
	return t, nil
}

// progress computes Target and Expected for one worker. work lists the
// working days of the year in order.
func progress(n ProductionNorm, work []int32, c *Contract, completed float64, at civil.Date) Progress {
	var cc compiled
	cc.compile(c)
	var total, elapsed float64
	for _, d := range work {
		avail, _ := cc.available(d, c, nil)
		total += avail / float64(n.FullTime)
		if d <= dayNumber(at) {
			elapsed = total
		}
	}
	days := float64(len(work))
	return Progress{
		Subject:     c.Worker,
		At:          at,
		Target:      Services(finite(float64(n.PerFTE) * (total / days))),
		Expected:    Services(finite(float64(n.PerFTE) * (elapsed / days))),
		Completed:   Services(completed),
		FTEDays:     finite(elapsed),
		YearFTEDays: finite(total),
	}
}

// judge sets Ratio, Status, Threshold and Projected of p from its
// Target, Expected and Completed.
func judge(p *Progress, b PaceBands) {
	p.Bands = b
	if p.Expected <= 0 || p.Expected < b.MinExpected {
		p.Ratio = 0
		p.Status = PaceNoExpectation
		p.Threshold = float64(b.MinExpected)
		p.Projected = Services(finite(float64(p.Completed) + float64(p.Target-p.Expected)))
		return
	}
	r := finite(float64(p.Completed) / float64(p.Expected))
	p.Ratio = r
	switch {
	case r >= b.Ahead-BoundTolerance:
		p.Status, p.Threshold = PaceAhead, b.Ahead
	case r >= b.Behind-BoundTolerance:
		p.Status, p.Threshold = PaceOnTrack, b.Behind
	case r >= b.FarBehind-BoundTolerance:
		p.Status, p.Threshold = PaceBehind, b.Behind
	default:
		p.Status, p.Threshold = PaceFarBehind, b.FarBehind
	}
	p.Projected = Services(finite(float64(p.Completed) * (float64(p.Target) / float64(p.Expected))))
}
