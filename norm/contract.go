package norm

import (
	"math"

	"github.com/caseload/caseload/civil"
)

// MaxHoursPerWeek is the number of hours in a week. Contract, side-duty
// and reduction hours above it are rejected as typing mistakes, and
// [Capacity] caps the hours available for casework at it, however large
// the positive expertise shares.
const MaxHoursPerWeek HoursPerWeek = 168

// A Contract describes what a worker is employed for and what takes time
// away from casework. [Capacity] turns it into hours per week for
// casework on a date. The zero Contract has no hours.
type Contract struct {
	// Worker identifies the worker in errors, limits and signals. It may
	// be empty for a lone contract; team functions require it.
	Worker string `json:"worker,omitempty"`
	// Hours is the contract hours per week. Zero means no capacity.
	Hours HoursPerWeek `json:"hours"`
	// SideDuties are fixed tasks besides casework ("neventaken"),
	// subtracted while their periods run.
	SideDuties []SideDuty `json:"side_duties,omitempty"`
	// Reductions take time away for a reason (sickness, leave, union
	// time, training) while their periods run. Those that take away all
	// the contract hours are the worker's absences ([Contract.Absences]).
	Reductions []Reduction `json:"reductions,omitempty"`
	// Expertise adds or removes shares of casework capacity, such as a
	// senior's time for mentoring newcomers.
	Expertise []Adjustment `json:"expertise,omitempty"`
	// Onboarding ramps a new worker up to full capacity. The zero
	// Onboarding means none: the worker is at full capacity.
	Onboarding Onboarding `json:"onboarding,omitzero"`
}

// A SideDuty is a task besides casework ("nevental"), such as works
// council membership or practice education.
type SideDuty struct {
	Name   string       `json:"name"`            // what the duty is; required
	Hours  HoursPerWeek `json:"hours"`           // hours per week it takes; zero means none
	Period civil.Period `json:"period,omitzero"` // when it applies; the zero Period means always
}

// Reasons for a [Reduction], the common ones. Organisations may use
// other, non-empty reasons as well. The reason names a reduction in the
// [Breakdown]; it does not change what the reduction does.
const (
	ReasonSickness      = "sickness"       // sick leave, whole or partial
	ReasonLeave         = "leave"          // annual or other leave
	ReasonParentalLeave = "parental-leave" // maternity, paternity or parental leave
	ReasonUnionTime     = "union-time"     // trade union facility time
	ReasonTraining      = "training"       // courses and study time
	ReasonNonClient     = "non-client"     // standing non-client time: admin, meetings, travel
)

// A Reduction takes time away from casework for a reason, as the
// reductions of the Workload Measurement Tool of HM Prison and Probation
// Service do. It is either a percentage of the contract hours or a
// fixed number of hours per week, optionally capped. Reductions larger
// than what is left are allowed; capacity stops at zero.
type Reduction struct {
	// Reason says why, e.g. [ReasonSickness]; required.
	Reason string `json:"reason"`
	// Percent is the share of the contract hours taken away, from 0 to
	// 100 (100 for full sick leave). Zero means the reduction is given in
	// Hours instead.
	Percent Percent `json:"percent,omitempty"`
	// Hours is a fixed amount taken away per week. Zero means the
	// reduction is given in Percent instead. Setting both is an error.
	Hours HoursPerWeek `json:"hours,omitempty"`
	// Cap limits the hours per week taken away. Zero means no cap.
	Cap HoursPerWeek `json:"cap,omitempty"`
	// Period is when the reduction applies, both ends included: a sick
	// leave ending on 16 March no longer applies on 17 March. The zero
	// Period means always.
	Period civil.Period `json:"period,omitzero"`
}

// An Adjustment adds or removes a share of casework capacity for
// expertise: -0.10 for a senior who spends a tenth of her casework time
// mentoring newcomers, +0.05 for a specialist whose cases go faster.
type Adjustment struct {
	// Name says why; required.
	Name string `json:"name"`
	// Share is the signed fraction of the casework hours left after side
	// duties and reductions, from -1 to 1. Zero changes nothing. The
	// negative shares that apply on any one day must not sum to less
	// than -1; shares whose periods do not overlap are not added up.
	// Positive shares may add up to more, but [Capacity] never exceeds
	// [MaxHoursPerWeek].
	Share float64 `json:"share"`
	// Period is when the adjustment applies; the zero Period means always.
	Period civil.Period `json:"period,omitzero"`
}

// An Onboarding ramps a new worker up from StartShare of full capacity on
// Start to full capacity Weeks weeks later, linearly by calendar day.
// Before Start the worker has no capacity (not yet started). A newly
// qualified worker at 90 of 100 points in the first year, as in the
// workload scheme of Wirral Council's social workers, is StartShare 0.9
// with Weeks 52. The zero Onboarding means none.
type Onboarding struct {
	// Start is the first working day; required when any other field is
	// set.
	Start civil.Date `json:"start,omitzero"`
	// StartShare is the share of full capacity on Start, from 0 to 1.
	StartShare float64 `json:"start_share,omitempty"`
	// Weeks is the number of weeks from Start to full capacity. Zero
	// means full capacity from Start on.
	Weeks int `json:"weeks,omitempty"`
}

// IsZero reports whether o is the zero Onboarding, "none".
func (o Onboarding) IsZero() bool { return o == Onboarding{} }

// Share returns the share of full capacity o allows on at: 0 before
// Start, StartShare on Start, rising linearly by calendar day to 1 after
// Weeks weeks, then 1. The zero Onboarding gives 1.
func (o Onboarding) Share(at civil.Date) float64 {
	if o.Start.IsZero() {
		return 1
	}
	return rampShare(dayNumber(at), dayNumber(o.Start), o.StartShare, float64(7*o.Weeks))
}

func rampShare(day, start int32, startShare, rampDays float64) float64 {
	if day < start {
		return 0
	}
	t := float64(day - start)
	if t >= rampDays {
		return 1
	}
	return startShare + (1-startShare)*t/rampDays
}

// overDrawn reports the first negative expertise share, in list order,
// on the first day of whose period the negative shares that apply sum to
// less than −1 (allowing for rounding). The sum of the shares that apply
// can only fall on the first day of some share's period, so checking
// those days suffices; shares whose periods do not overlap never add up.
// Its cost is O(k²) for k shares.
func overDrawn(list []Adjustment) (int, bool) {
	for i, a := range list {
		if !(a.Share < 0) {
			continue
		}
		start := spanOf(a.Period).from
		sum := 0.0
		for _, b := range list {
			if b.Share < 0 && spanOf(b.Period).contains(start) {
				sum += b.Share
			}
		}
		if sum < -1-shareTolerance {
			return i, true
		}
	}
	return 0, false
}

// shareTolerance absorbs rounding when negative expertise shares that
// apply together are checked against −1: −0.3, −0.3 and −0.4 may sum to
// a hair below −1.
const shareTolerance = 1e-9

// Validate reports every fault in c at once, each as an [*InputError]
// joined with [errors.Join]; nil means c is valid.
func (c Contract) Validate() error {
	var f faults
	c.validate(&f, top("Contract"))
	return f.err()
}

func (c Contract) validate(f *faults, at where) {
	w := c.Worker
	f.amount(at, ".Hours", w, float64(c.Hours))
	if c.Hours > MaxHoursPerWeek {
		f.add(at, ".Hours", w, ErrRange)
	}
	for i, d := range c.SideDuties {
		p := func() string { return item(at, "SideDuties", i) }
		if d.Name == "" {
			f.add(p, ".Name", w, ErrMissing)
		}
		f.amount(p, ".Hours", d.Name, float64(d.Hours))
		if d.Hours > MaxHoursPerWeek {
			f.add(p, ".Hours", d.Name, ErrRange)
		}
		validatePeriod(d.Period, f, p, ".Period", d.Name)
	}
	for i, r := range c.Reductions {
		p := func() string { return item(at, "Reductions", i) }
		if r.Reason == "" {
			f.add(p, ".Reason", w, ErrMissing)
		}
		f.inRange(p, ".Percent", r.Reason, float64(r.Percent), 0, 100)
		f.amount(p, ".Hours", r.Reason, float64(r.Hours))
		if r.Hours > MaxHoursPerWeek {
			f.add(p, ".Hours", r.Reason, ErrRange)
		}
		if r.Percent != 0 && r.Hours != 0 {
			f.add(p, "", r.Reason, ErrAmbiguous)
		}
		f.amount(p, ".Cap", r.Reason, float64(r.Cap))
		validatePeriod(r.Period, f, p, ".Period", r.Reason)
	}
	for i, a := range c.Expertise {
		p := func() string { return item(at, "Expertise", i) }
		if a.Name == "" {
			f.add(p, ".Name", w, ErrMissing)
		}
		f.inRange(p, ".Share", a.Name, a.Share, -1, 1)
		validatePeriod(a.Period, f, p, ".Period", a.Name)
	}
	if i, ok := overDrawn(c.Expertise); ok {
		// Shares that apply together must not take away more than
		// everything.
		f.add(func() string { return item(at, "Expertise", i) }, ".Share", c.Expertise[i].Name, ErrRange)
	}
	o := c.Onboarding
	if !o.IsZero() {
		if o.Start.IsZero() {
			f.add(at, ".Onboarding.Start", w, ErrMissing)
		}
		f.inRange(at, ".Onboarding.StartShare", w, o.StartShare, 0, 1)
		if o.Weeks < 0 {
			f.add(at, ".Onboarding.Weeks", w, ErrNegative)
		}
		if o.Weeks > math.MaxInt32/7 {
			f.add(at, ".Onboarding.Weeks", w, ErrRange)
		}
	}
}
