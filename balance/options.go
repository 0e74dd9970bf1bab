package balance

import (
	"fmt"
	"math"
	"slices"
)

// Options tunes ranking, scoring and rebalancing. The zero value, and a
// nil *Options, mean the documented defaults.
type Options struct {
	// LeaveLookahead is how many working days (Monday to Friday) before
	// a planned absence a worker stops taking new cases, at most 520
	// (two years). Zero means 5; a negative value means no look-ahead
	// (only the absence itself counts).
	LeaveLookahead int `json:"leave_lookahead,omitempty"`

	// WeekTurn and MonthTurn weigh fair turns at intake: a worker's
	// ranking score is their utilization after intake plus WeekTurn for
	// each case given to them in the last 7 days plus MonthTurn for each
	// case given to them in the last 28 days (those of the last 7 days
	// included). They are fractions of capacity: 0.04 adds 4 percentage
	// points of utilization per case. Zero means the defaults, 0.04 and
	// 0.01, so that a case given this week counts 5 points and one given
	// one to four weeks ago 1 point; a negative value switches the term
	// off.
	WeekTurn  float64 `json:"week_turn,omitempty"`
	MonthTurn float64 `json:"month_turn,omitempty"`

	// Bands are the utilization bounds, as ascending fractions, that
	// split workers into bands: a worker falls in band i when their
	// utilization exceeds exactly i of the bounds, so a bound belongs to
	// the band below it (exactly 100% is full, not over). Nil means 0.9,
	// 1.0 and 1.1: up to 90%, over 90% to 100%, over 100% to 110%, and
	// over 110%.
	Bands []float64 `json:"bands,omitempty"`

	// IntakeCap, if not nil, limits new cases per worker per period: an
	// eligibility rule with its own reason, [CodeIntakeCap]. Nil means
	// no limit.
	IntakeCap *IntakeCap `json:"intake_cap,omitempty"`
}

// A Policy says what a rebalance evens out.
type Policy string

const (
	// PolicyLoad evens out weighted load: utilization, hours over
	// capacity. Where effort differs between workers ([Worker.Efficiency],
	// [Case.Fit], [Case.CoWorker]) it evens out effort on teams of
	// moderate size, with fit cost breaking ties (see
	// [CodeEffortVaries]). It is the default.
	PolicyLoad Policy = "load"
	// PolicyCounts evens out case counts in proportion to capacity
	// ("gelijke monniken, gelijke kappen"): every case counts one,
	// whatever its weight. The proposal is scored by weighted load all
	// the same, so that a team can compare the two.
	PolicyCounts Policy = "counts"
	// PolicyFit minimises the total fit cost ([CostRule], [PairFit],
	// continuity) with capacity a hard limit on effort, then evens out
	// load: the generalized assignment problem. See [FitReport]. As
	// under the other policies, a worker who is here may keep a case
	// they could not take anew (they lack its skill, or have intake
	// paused). Unlike them, it holds capacity and caseload norm hard
	// for what a worker keeps too: where a worker holds more than
	// either allows and no one else may take the rest, the cases that
	// do not fit stay with them and are listed in Unplaceable.
	//
	// Its cost grows with the movable cases or families n times the
	// workers m, in time and memory: building the problem and the first
	// plan take O(n·m), and O(n + m) more for each case the first plan
	// leaves out that a repair then places, and the search that
	// improves it stops after about 4·10⁸ + 4·n·m elementary steps, a
	// few seconds at 500 workers and 12,000 cases
	// (BenchmarkFitCostsQueued). It looks at ctx about every
	// millisecond of work or sooner. Once ctx is done it returns the
	// best plan found so far; the cases that plan does not place stay
	// as the problem has them (queued, or with their worker), listed in
	// Unplaceable with [CodeNotReached], under a notice
	// [CodeCancelled]. Every case is listed once either way.
	PolicyFit Policy = "fit"
)

// RebalanceOptions tunes [Propose]. The zero value, and a nil pointer,
// mean the documented defaults.
type RebalanceOptions struct {
	// Options holds the settings shared with ranking and scoring: the
	// leave look-ahead and the utilization bands.
	Options
	// MaxMoves limits voluntary moves: cases taken from one worker and
	// given to another to even out the load. A family moved together
	// counts as one move; placing queued cases and re-placing orphaned
	// ones does not count. Zero means no voluntary moves, so a nil
	// *RebalanceOptions never reshuffles a team; a negative value means
	// no limit.
	MaxMoves int `json:"max_moves,omitempty"`
	// HardCapacity makes capacity a hard limit: a case that would take
	// every eligible worker above capacity is reported unplaceable
	// instead of overloading someone.
	HardCapacity bool `json:"hard_capacity,omitempty"`
	// Policy is what the proposal evens out; empty means PolicyLoad.
	Policy Policy `json:"policy,omitempty"`
	// MinGain is the least improvement a voluntary move must bring:
	// lowering the maximum utilization by at least MinGain (a fraction:
	// 0.001 is a tenth of a percentage point), or keeping it and
	// lowering the spread measure ([Proposal.Spread]) by at least
	// MinGain. It keeps families from being moved for a rounding error.
	// Zero means 0.0005; a negative value means any strict gain.
	MinGain float64 `json:"min_gain,omitempty"`
	// Seed seeds the randomized search that small teams get when the
	// local search ends far from the bound. The same problem, options
	// and Seed give the same proposal; another Seed may find another
	// proposal of the same or a different quality. Zero is a seed like
	// any other.
	Seed uint64 `json:"seed,omitempty"`
	// ReplaceAway re-places the cases of absent workers (away, or on
	// leave on the problem's date: a long absence) as if they were
	// queued; such re-placements are not counted against MaxMoves. By
	// default absent workers keep their cases, which are flagged in the
	// notices.
	ReplaceAway bool `json:"replace_away,omitempty"`
	// ContinuityCost is the fit cost, in cost units, of giving a case
	// with a [Case.Previous] worker on the team to anyone else, under
	// [PolicyFit]. Zero means 1; a negative value means none.
	ContinuityCost float64 `json:"continuity_cost,omitempty"`
	// FitCeiling is, under [PolicyFit], the highest utilization by effort
	// a worker may reach, as a fraction of capacity: the blend of fit and
	// balance. At 1 capacity is the only limit and the cheapest plan
	// wins; lower, the plan costs more and the team is more even (a
	// worker already above it takes nothing new). Zero means 1; it must
	// be finite and from 0 to 10.
	FitCeiling float64 `json:"fit_ceiling,omitempty"`
}

// isZero reports whether o is the zero Options, "the defaults".
func (o *Options) isZero() bool {
	return o.LeaveLookahead == 0 && o.WeekTurn == 0 && o.MonthTurn == 0 && o.Bands == nil && o.IntakeCap == nil
}

// options is Options resolved to concrete values.
type options struct {
	lookahead int
	weekTurn  float64
	monthTurn float64
	bands     []float64
	intake    *IntakeCap
}

// maxLookahead is the longest leave look-ahead accepted: two years of
// working days.
const maxLookahead = 520

var defaultBands = [...]float64{0.9, 1.0, 1.1}

// resolve checks o and fills in its defaults.
func (o *Options) resolve() (options, error) {
	r := options{lookahead: 5, weekTurn: 0.04, monthTurn: 0.01, bands: defaultBands[:]}
	if o == nil {
		return r, nil
	}
	var errs []error
	bad := func(field string, format string, args ...any) {
		errs = append(errs, &InputError{Field: "Options." + field, Err: fmt.Errorf("%w: "+format, append([]any{ErrBadOption}, args...)...)})
	}
	switch {
	case o.LeaveLookahead > maxLookahead:
		bad("LeaveLookahead", "%d working days is more than %d", o.LeaveLookahead, maxLookahead)
	case o.LeaveLookahead > 0:
		r.lookahead = o.LeaveLookahead
	case o.LeaveLookahead < 0:
		r.lookahead = 0
	}
	turn := func(name string, v float64, dst *float64) {
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			bad(name, "%v is not finite", v)
		case v > 0:
			*dst = v
		case v < 0:
			*dst = 0
		}
	}
	turn("WeekTurn", o.WeekTurn, &r.weekTurn)
	turn("MonthTurn", o.MonthTurn, &r.monthTurn)
	if o.Bands != nil {
		for i, b := range o.Bands {
			if math.IsNaN(b) || math.IsInf(b, 0) || b < 0 {
				bad(fmt.Sprintf("Bands[%d]", i), "%v is not a finite non-negative fraction", b)
			} else if i > 0 && b <= o.Bands[i-1] {
				bad(fmt.Sprintf("Bands[%d]", i), "%v does not ascend", b)
			}
		}
		r.bands = slices.Clone(o.Bands)
	}
	if o.IntakeCap != nil {
		errs = append(errs, checkIntakeCap(o.IntakeCap)...)
		c := *o.IntakeCap
		r.intake = &c
	}
	if len(errs) > 0 {
		return r, joinErrors(errs)
	}
	return r, nil
}

// equal reports whether o and p are the same settings.
func (o options) equal(p options) bool {
	return o.lookahead == p.lookahead && o.weekTurn == p.weekTurn && o.monthTurn == p.monthTurn &&
		slices.Equal(o.bands, p.bands) && (o.intake == nil) == (p.intake == nil) && (o.intake == nil || *o.intake == *p.intake)
}

type rebalanceOptions struct {
	maxMoves     int
	hardCapacity bool
	policy       Policy
	minGain      float64
	replaceAway  bool
	noExact      bool // tests only: leave small instances to the heuristics
	seed         uint64
	continuity   float64
	ceiling      float64
}

// resolve checks o and fills in its defaults, both the shared Options
// and the fields only a rebalance uses, and joins the faults of both.
func (o *RebalanceOptions) resolve() (options, rebalanceOptions, error) {
	var base *Options
	if o != nil {
		base = &o.Options
	}
	b, err1 := base.resolve()
	r, err2 := o.resolveRebalance()
	if err1 != nil || err2 != nil {
		return b, r, joinErrors(slices.DeleteFunc([]error{err1, err2}, func(e error) bool { return e == nil }))
	}
	return b, r, nil
}

// resolveRebalance checks and resolves the fields of o that only a
// rebalance uses.
func (o *RebalanceOptions) resolveRebalance() (rebalanceOptions, error) {
	r := rebalanceOptions{policy: PolicyLoad, minGain: 0.0005, continuity: 1, ceiling: 1}
	if o == nil {
		return r, nil
	}
	var errs []error
	r.maxMoves, r.hardCapacity, r.replaceAway, r.seed = o.MaxMoves, o.HardCapacity, o.ReplaceAway, o.Seed
	if o.MaxMoves < 0 {
		r.maxMoves = -1
	}
	switch o.Policy {
	case "", PolicyLoad:
	case PolicyCounts, PolicyFit:
		r.policy = o.Policy
	default:
		errs = append(errs, &InputError{Field: "Options.Policy", Err: fmt.Errorf("%w: unknown policy %s", ErrBadOption, quote(string(o.Policy)))})
	}
	switch {
	case math.IsNaN(o.MinGain) || math.IsInf(o.MinGain, 0):
		errs = append(errs, &InputError{Field: "Options.MinGain", Err: fmt.Errorf("%w: %v is not finite", ErrBadOption, o.MinGain)})
	case o.MinGain > 0:
		r.minGain = o.MinGain
	case o.MinGain < 0:
		r.minGain = 0
	}
	switch c := o.FitCeiling; {
	case !(c >= 0 && c <= 10):
		errs = append(errs, &InputError{Field: "Options.FitCeiling", Err: fmt.Errorf("%w: %v is not a utilization from 0 to 10", ErrBadOption, c)})
	case c > 0:
		r.ceiling = c
	}
	switch c := o.ContinuityCost; {
	case !isFinite(c) || c > maxHours:
		errs = append(errs, &InputError{Field: "Options.ContinuityCost", Err: fmt.Errorf("%w: %v is not a finite cost up to 1e6", ErrBadOption, c)})
	case c > 0:
		r.continuity = c
	case c < 0:
		r.continuity = 0
	}
	if len(errs) > 0 {
		return r, joinErrors(errs)
	}
	return r, nil
}
