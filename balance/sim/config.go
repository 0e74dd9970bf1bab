package sim

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/norm"
	"github.com/caseload/caseload/weight"
)

// A Config describes a study: the team, the work that arrives, what takes
// the team's time away, and the clock. It is plain data and reads from
// JSON, so a batch engine can run one configuration per job. The zero
// value of each field means the default given with it; a Config needs at
// least one case type and one worker.
type Config struct {
	// Seed seeds every random draw. The same Config gives the same
	// results bit for bit, whatever the number of goroutines. Zero is a
	// seed like any other.
	Seed uint64 `json:"seed"`
	// Start is the date of the first weekly allocation meeting. The zero
	// Date means Monday 5 January 2026.
	Start civil.Date `json:"start,omitzero"`
	// Weeks is the horizon, in weekly meetings. Zero means 52.
	Weeks int `json:"weeks,omitempty"`
	// WarmupWeeks are simulated but left out of a run's summary, so that
	// a policy's own pattern replaces the opening caseload. Zero means
	// none.
	WarmupWeeks int `json:"warmup_weeks,omitempty"`
	// HistoryWeeks is how many weeks of past arrivals, drawn from the same
	// process as the future ones, make up the opening caseload: the
	// cases among them still open at Start, shared out evenly by weighted
	// load, the same for every policy. Zero means 104; a negative value
	// starts with no cases.
	HistoryWeeks int `json:"history_weeks,omitempty"`

	// Model weighs every case (package weight); each case type's phases
	// are its phases. Unknown attributes are ignored.
	Model weight.Model `json:"model"`
	// CaseloadNorm, if not nil, gives each worker a caseload limit in
	// shares each week (norm.CaseloadLimit), which package balance holds
	// as a hard limit, and each case its share. Nil means no limit.
	CaseloadNorm *norm.CaseloadNorm `json:"caseload_norm,omitempty"`
	// Types are the kinds of case that arrive.
	Types []CaseType `json:"types"`
	// Workers is the team, with those who join or leave within the
	// horizon.
	Workers []WorkerSpec `json:"workers"`
	// Sickness is the process of sick spells, the same for every worker.
	// The zero Sickness means nobody falls ill.
	Sickness Sickness `json:"sickness,omitzero"`
	// Leave lists the blocks of planned leave each worker takes. Nil
	// means none.
	Leave []LeaveBlock `json:"leave,omitempty"`
	// DeclineProbability is the chance, from 0 to 1, that a worker
	// declines a case they are offered; each (case, worker) pair is drawn
	// once, so a worker who declines a case declines it every time.
	// Zero means nobody declines.
	DeclineProbability float64 `json:"decline_probability,omitempty"`
	// WaitingDays is how many working days a new case may wait for a
	// worker before it counts as waiting too long. Zero means 5, the
	// Dutch statutory term for Veilig Thuis's safety assessment.
	WaitingDays int `json:"waiting_days,omitempty"`
	// Options are package balance's settings for ranking and scoring
	// (leave look-ahead, fair turns, bands); the zero value means its
	// defaults.
	Options balance.Options `json:"options,omitzero"`
	// Thresholds tune the weekly signals; the zero value means package
	// balance's defaults.
	Thresholds balance.Thresholds `json:"thresholds,omitzero"`
	// Slowdown makes overload slow the work down: a worker above capacity
	// works each case at capacity/load of the normal pace, and a worker
	// without capacity (absent, or not started) does not work it, so
	// cases run longer and lead times depend on the policy. False means
	// every case closes its drawn duration after its first assignment,
	// whoever holds it.
	Slowdown bool `json:"slowdown,omitempty"`
	// NoSignals skips the weekly early-warning signals, which take about
	// a third of a run's time. False raises them every week.
	NoSignals bool `json:"no_signals,omitempty"`
}

// A CaseType is one kind of case: how often it arrives, how long it
// runs, how its weight changes with its phase, and the attributes a case
// of the type draws when it arrives.
type CaseType struct {
	// Name is the case type of the weight model.
	Name string `json:"name"`
	// PerWeek is the mean number of arrivals per week, a Poisson rate.
	// Zero means none arrive.
	PerWeek float64 `json:"per_week"`
	// Seasonality multiplies PerWeek by month, January first: 12
	// non-negative factors whose mean is best kept at 1. Nil means the
	// same rate all year.
	Seasonality []float64 `json:"seasonality,omitempty"`
	// Duration is how long a case runs once a worker has it.
	Duration LogNormal `json:"duration"`
	// Phases are the weight model's phases the case goes through, each
	// for a number of weeks from its first assignment; the last lasts
	// until the case closes. A case waiting for a worker is in the first.
	// Nil means the type's base weight throughout.
	Phases []PhaseSpan `json:"phases,omitempty"`
	// Flags are yes/no attributes a case draws, each with a probability.
	Flags []FlagSpec `json:"flags,omitempty"`
	// Counts are whole-number attributes a case draws, such as children.
	Counts []CountSpec `json:"counts,omitempty"`
	// NormType is the caseload norm's case type this type counts
	// against. Empty means Name.
	NormType string `json:"norm_type,omitempty"`
	// LeadTimeWeeks is the norm on a case's lead time, from arrival to
	// closing, in weeks: 10 for a Veilig Thuis investigation. Zero means
	// no norm.
	LeadTimeWeeks int `json:"lead_time_weeks,omitempty"`
}

// A LogNormal is a log-normal distribution of a duration, given by its
// median and the standard deviation of its logarithm.
type LogNormal struct {
	// Median is the median, in the unit its field names (weeks for a
	// case's duration, days for a sick spell). It must be positive.
	Median float64 `json:"median"`
	// Sigma is the standard deviation of the logarithm, a pure number:
	// 0.5 puts the middle 68% within a factor e^0.5 ≈ 1.65 of the median.
	// Zero means every draw is the median.
	Sigma float64 `json:"sigma,omitempty"`
}

// A PhaseSpan is one phase of a case's life.
type PhaseSpan struct {
	// Phase names a phase of the type in the weight model; empty means
	// the type's base weight.
	Phase string `json:"phase,omitempty"`
	// Weeks is how long the phase lasts, in weeks; ignored for the last
	// span, which lasts until the case closes.
	Weeks int `json:"weeks,omitempty"`
}

// A FlagSpec is a yes/no attribute a case has with a probability.
type FlagSpec struct {
	// Name is the flag's attribute name in the weight model.
	Name string `json:"name"`
	// P is the probability, from 0 to 1, that a case has the flag.
	P float64 `json:"p"`
	// Skill, if not empty, is a skill a case with the flag requires of
	// its worker, such as "court".
	Skill string `json:"skill,omitempty"`
}

// A CountSpec is a whole-number attribute a case draws: Min plus a
// Poisson number with mean Mean - Min.
type CountSpec struct {
	// Name is the count's attribute name in the weight model.
	Name string `json:"name"`
	// Min is the smallest count, such as 1 child.
	Min int `json:"min,omitempty"`
	// Mean is the mean count; at most Min means always Min.
	Mean float64 `json:"mean"`
}

// A WorkerSpec is one member of the team.
type WorkerSpec struct {
	// Contract is the worker's contract (package norm): hours, side
	// duties, expertise and onboarding; its Worker is the worker's ID.
	// Sickness and planned leave are added by the simulation as
	// reductions.
	Contract norm.Contract `json:"contract"`
	// Skills lists the skills the worker holds.
	Skills []string `json:"skills,omitempty"`
	// JoinWeek is the meeting at which a new hire joins, counted from 0.
	// An onboarding without a start date starts on that meeting's date.
	// Zero means the worker is on the team from the start.
	JoinWeek int `json:"join_week,omitempty"`
	// LeaveWeek is the meeting from which the worker is gone; the cases
	// they hold then go back to the queue and are placed again. Zero
	// means the worker stays.
	LeaveWeek int `json:"leave_week,omitempty"`
}

// Sickness is a process of sick spells: each worker falls ill at a rate,
// for a log-normal number of calendar days, fully absent.
type Sickness struct {
	// PerYear is the mean number of sick spells per worker per year, a
	// Poisson rate. Zero means nobody falls ill.
	PerYear float64 `json:"per_year"`
	// Days is the length of a spell in calendar days, at least 1.
	Days LogNormal `json:"days"`
}

// A LeaveBlock is planned leave every worker takes once: Weeks whole
// weeks from Monday to Sunday, starting at a meeting drawn uniformly from
// the window From to To (meeting indexes, both included).
type LeaveBlock struct {
	// Weeks is the length of the leave, in weeks; zero means none.
	Weeks int `json:"weeks"`
	// From and To bound the first week of the leave, as meeting indexes
	// counted from 0.
	From int `json:"from"`
	To   int `json:"to"`
}

// ErrConfig is wrapped by the errors of [Config.Validate].
var ErrConfig = errors.New("sim: invalid configuration")

func configErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, a...))
}

// Defaults of the documented zero values.
const (
	defaultWeeks       = 52
	defaultHistory     = 104
	defaultWaitingDays = 5
)

func (c *Config) start() civil.Date {
	if c.Start.IsZero() {
		return civil.NewDate(2026, time.January, 5)
	}
	return c.Start
}

func (c *Config) weeks() int {
	if c.Weeks == 0 {
		return defaultWeeks
	}
	return c.Weeks
}

func (c *Config) history() int {
	switch {
	case c.HistoryWeeks == 0:
		return defaultHistory
	case c.HistoryWeeks < 0:
		return 0
	}
	return c.HistoryWeeks
}

func (c *Config) waitingDays() int {
	if c.WaitingDays == 0 {
		return defaultWaitingDays
	}
	return c.WaitingDays
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func prob(v float64) bool { return finite(v) && v >= 0 && v <= 1 }

// Validate reports every fault of c at once, joined, each wrapping
// [ErrConfig]; faults in the weight model and contracts are those of
// packages weight and norm. Nil means c can be simulated.
func (c *Config) Validate() error {
	var errs []error
	add := func(format string, a ...any) { errs = append(errs, configErr(format, a...)) }
	if c.Weeks < 0 || c.Weeks > 5200 {
		add("weeks %d: want 0 to 5200", c.Weeks)
	}
	if c.WarmupWeeks < 0 || c.WarmupWeeks >= c.weeks() {
		add("warmup_weeks %d: want 0 up to weeks", c.WarmupWeeks)
	}
	if c.HistoryWeeks > 5200 {
		add("history_weeks %d: want at most 5200", c.HistoryWeeks)
	}
	if !prob(c.DeclineProbability) {
		add("decline_probability %v: want 0 to 1", c.DeclineProbability)
	}
	if c.WaitingDays < 0 {
		add("waiting_days %d: negative", c.WaitingDays)
	}
	if len(c.Types) == 0 {
		add("no case types")
	}
	if len(c.Workers) == 0 {
		add("no workers")
	}
	m, err := weight.Compile(c.Model, &weight.Options{IgnoreUnknown: true})
	if err != nil {
		errs = append(errs, err)
	}
	if c.CaseloadNorm != nil {
		if err := c.CaseloadNorm.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	names := map[string]bool{}
	for i, t := range c.Types {
		if names[t.Name] {
			add("types[%d]: duplicate name %q", i, t.Name)
		}
		names[t.Name] = true
		if !finite(t.PerWeek) || t.PerWeek < 0 || t.PerWeek > 1e4 {
			add("types[%d] (%s): per_week %v: want 0 to 10000", i, t.Name, t.PerWeek)
		}
		if t.Seasonality != nil && len(t.Seasonality) != 12 {
			add("types[%d] (%s): seasonality has %d factors, want 12", i, t.Name, len(t.Seasonality))
		}
		for k, f := range t.Seasonality {
			if !finite(f) || f < 0 || f > 100 {
				add("types[%d] (%s): seasonality[%d] %v: want 0 to 100", i, t.Name, k, f)
			}
		}
		if err := t.Duration.check(); err != nil {
			add("types[%d] (%s): duration: %v", i, t.Name, err)
		}
		for k, p := range t.Phases {
			if p.Weeks < 0 {
				add("types[%d] (%s): phases[%d]: negative weeks", i, t.Name, k)
			}
		}
		for k, f := range t.Flags {
			if f.Name == "" || !prob(f.P) {
				add("types[%d] (%s): flags[%d]: want a name and a probability from 0 to 1", i, t.Name, k)
			}
		}
		for k, n := range t.Counts {
			if n.Name == "" || n.Min < 0 || !finite(n.Mean) || n.Mean < 0 || n.Mean > 1000 {
				add("types[%d] (%s): counts[%d]: want a name, min ≥ 0 and a mean from 0 to 1000", i, t.Name, k)
			}
		}
		if t.LeadTimeWeeks < 0 {
			add("types[%d] (%s): negative lead_time_weeks", i, t.Name)
		}
		if m != nil {
			for _, p := range phaseNames(t) {
				if _, err := m.Weigh(weight.Attributes{Type: t.Name, Phase: p}); err != nil {
					errs = append(errs, fmt.Errorf("types[%d] (%s): %w", i, t.Name, err))
				}
			}
		}
		if c.CaseloadNorm != nil {
			if _, err := c.CaseloadNorm.Share(t.normType()); err != nil {
				errs = append(errs, fmt.Errorf("types[%d] (%s): %w", i, t.Name, err))
			}
		}
	}
	ids := map[string]bool{}
	for i, w := range c.Workers {
		id := w.Contract.Worker
		if id == "" || ids[id] {
			add("workers[%d]: want a unique, non-empty contract.worker, got %q", i, id)
		}
		ids[id] = true
		ct := w.Contract
		if !ct.Onboarding.IsZero() && ct.Onboarding.Start.IsZero() {
			ct.Onboarding.Start = c.start().AddDays(7 * w.JoinWeek) // the simulation fills it in
		}
		if err := ct.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("workers[%d] (%s): %w", i, id, err))
		}
		if w.JoinWeek < 0 || w.LeaveWeek < 0 || (w.LeaveWeek > 0 && w.LeaveWeek <= w.JoinWeek) {
			add("workers[%d] (%s): want 0 ≤ join_week < leave_week, or leave_week 0", i, id)
		}
	}
	if !finite(c.Sickness.PerYear) || c.Sickness.PerYear < 0 || c.Sickness.PerYear > 52 {
		add("sickness.per_year %v: want 0 to 52", c.Sickness.PerYear)
	}
	if c.Sickness.PerYear > 0 {
		if err := c.Sickness.Days.check(); err != nil {
			add("sickness.days: %v", err)
		}
	}
	for i, l := range c.Leave {
		if l.Weeks < 0 || l.From < 0 || l.To < l.From {
			add("leave[%d]: want weeks ≥ 0 and 0 ≤ from ≤ to", i)
		}
	}
	return errors.Join(errs...)
}

func (d LogNormal) check() error {
	if !finite(d.Median) || d.Median <= 0 || d.Median > 1e4 {
		return fmt.Errorf("median %v: want above 0, at most 10000", d.Median)
	}
	if !finite(d.Sigma) || d.Sigma < 0 || d.Sigma > 5 {
		return fmt.Errorf("sigma %v: want 0 to 5", d.Sigma)
	}
	return nil
}

func (t *CaseType) normType() string {
	if t.NormType == "" {
		return t.Name
	}
	return t.NormType
}

// phaseNames returns the phases of t in order; a type without phases has
// one, its base.
func phaseNames(t CaseType) []string {
	if len(t.Phases) == 0 {
		return []string{""}
	}
	out := make([]string, len(t.Phases))
	for i, p := range t.Phases {
		out[i] = p.Phase
	}
	return out
}
