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
}

// isZero reports whether o is the zero Options, "the defaults".
func (o *Options) isZero() bool {
	return o.LeaveLookahead == 0 && o.WeekTurn == 0 && o.MonthTurn == 0 && o.Bands == nil
}

// equal reports whether o and p are the same settings.
func (o options) equal(p options) bool {
	return o.lookahead == p.lookahead && o.weekTurn == p.weekTurn && o.monthTurn == p.monthTurn &&
		slices.Equal(o.bands, p.bands)
}

// maxLookahead is the longest leave look-ahead accepted: two years of
// working days.
const maxLookahead = 520

// options is Options resolved to concrete values.
type options struct {
	lookahead int
	weekTurn  float64
	monthTurn float64
	bands     []float64
}

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
	if len(errs) > 0 {
		return r, joinErrors(errs)
	}
	return r, nil
}
