package norm_test

import (
	"testing"

	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/require"

	"fmt"

	"github.com/caseload/caseload/norm"
	"pgregory.net/rapid"
)

// Generators of valid configuration. They lean towards edge cases: zero
// hours, reductions larger than the contract, overlapping and open
// periods, leap days and year boundaries.

// anchors are dates near the edges of years, of leap days (2000 and 1600
// are leap years, 1900 and 2100 are not) and of the range of a Date,
// years 1 to 9999.
var anchors = []string{
	"2024-01-01", "2023-12-31", "2024-02-28", "2024-02-29", "2024-03-01",
	"2024-12-31", "2025-01-01", "2025-02-28", "2025-03-01", "2100-02-28", "2000-02-29",
	"1900-02-28", "1600-02-29", "0001-01-01", "0001-12-31", "0004-02-29",
	"9999-12-31", "9999-01-01", "9996-02-29",
}

// dateGen returns a date near an anchor, clamped to years 1 to 9999, or
// anywhere in that range.
func dateGen() *rapid.Generator[civil.Date] {
	return rapid.Custom(func(t *rapid.T) civil.Date {
		if rapid.IntRange(0, 5).Draw(t, "anywhere") == 0 {
			return minDate.AddDays(rapid.IntRange(0, maxDate.Sub(minDate)).Draw(t, "day"))
		}
		a := day(rapid.SampledFrom(anchors).Draw(t, "anchor"))
		return a.AddDays(rapid.IntRange(-400, 400).Draw(t, "offset"))
	})
}

func hoursGen() *rapid.Generator[norm.HoursPerWeek] {
	return rapid.Custom(func(t *rapid.T) norm.HoursPerWeek {
		return norm.HoursPerWeek(rapid.OneOf(
			rapid.SampledFrom([]float64{0, 36, 37, 24, 32, 40, 168}),
			rapid.Float64Range(0, 60),
		).Draw(t, "hours"))
	})
}

// periodGen returns a period that may be open at either end.
func periodGen() *rapid.Generator[civil.Period] {
	return rapid.Custom(func(t *rapid.T) civil.Period {
		from := dateGen().Draw(t, "from")
		p := civil.Period{From: from, To: from.AddDays(rapid.IntRange(0, 120).Draw(t, "length"))}
		switch rapid.IntRange(0, 4).Draw(t, "open") {
		case 1:
			p.From = civil.Date{}
		case 2:
			p.To = civil.Date{}
		case 3:
			p = civil.Period{}
		}
		return p
	})
}

func reductionGen() *rapid.Generator[norm.Reduction] {
	return rapid.Custom(func(t *rapid.T) norm.Reduction {
		r := norm.Reduction{
			Reason: rapid.SampledFrom([]string{norm.ReasonSickness, norm.ReasonLeave, norm.ReasonParentalLeave,
				norm.ReasonUnionTime, norm.ReasonTraining, norm.ReasonNonClient, "jury service"}).Draw(t, "reason"),
			Period: periodGen().Draw(t, "period"),
		}
		if rapid.Bool().Draw(t, "percent") {
			r.Percent = norm.Percent(rapid.OneOf(rapid.SampledFrom([]float64{0, 100, 50}),
				rapid.Float64Range(0, 100)).Draw(t, "pct"))
		} else {
			r.Hours = hoursGen().Draw(t, "hours")
		}
		if rapid.IntRange(0, 3).Draw(t, "capped") == 0 {
			r.Cap = hoursGen().Draw(t, "cap")
		}
		return r
	})
}

func sideDutyGen() *rapid.Generator[norm.SideDuty] {
	return rapid.Custom(func(t *rapid.T) norm.SideDuty {
		return norm.SideDuty{
			Name:   rapid.SampledFrom([]string{"works council", "practice educator", "duty rota"}).Draw(t, "name"),
			Hours:  hoursGen().Draw(t, "hours"),
			Period: periodGen().Draw(t, "period"),
		}
	})
}

// expertiseGen returns up to four expertise shares whose negative shares
// never take away more than everything on any day. It leans towards the
// edge: negative shares that apply together sum to anywhere from 0 down
// to exactly -1, or negative shares down to -1 each lie in disjoint
// periods (which validation must not add up). With bonus, up to two
// positive shares up to +1 each join in, enough to hit the 168-hour cap;
// without, no share is positive.
func expertiseGen(bonus bool) *rapid.Generator[[]norm.Adjustment] {
	return rapid.Custom(func(t *rapid.T) []norm.Adjustment {
		var out []norm.Adjustment
		k := rapid.IntRange(0, 3).Draw(t, "negative shares")
		if rapid.Bool().Draw(t, "disjoint") {
			from := dateGen().Draw(t, "first from")
			for i := range k {
				to := from.AddDays(rapid.IntRange(0, 90).Draw(t, "length"))
				p := civil.Period{From: from, To: to}
				if i == 0 && rapid.Bool().Draw(t, "open start") {
					p.From = civil.Date{}
				}
				if i == k-1 && rapid.Bool().Draw(t, "open end") {
					p.To = civil.Date{}
				}
				if to == maxDate && i < k-1 {
					break // no room for a later period
				}
				out = append(out, norm.Adjustment{Name: fmt.Sprintf("mentor%d", i), Period: p,
					Share: rapid.OneOf(rapid.SampledFrom([]float64{-1, -0.6}), rapid.Float64Range(-1, 0)).Draw(t, "share")})
				from = to.AddDays(rapid.IntRange(1, 60).Draw(t, "gap"))
			}
		} else {
			// Split a total into k parts; the parts may overlap or not.
			left := rapid.OneOf(rapid.SampledFrom([]float64{-1, -0.5, -0.1, 0}), rapid.Float64Range(-1, 0)).Draw(t, "total")
			for i := range k {
				share := left
				if i < k-1 {
					share = left * rapid.Float64Range(0, 1).Draw(t, "part")
				}
				left -= share
				out = append(out, norm.Adjustment{Name: fmt.Sprintf("mentor%d", i), Share: share,
					Period: periodGen().Draw(t, "period")})
			}
		}
		if bonus {
			for i := range rapid.IntRange(0, 2).Draw(t, "bonuses") {
				out = append(out, norm.Adjustment{Name: fmt.Sprintf("specialist%d", i),
					Share:  rapid.OneOf(rapid.SampledFrom([]float64{1, 0.05}), rapid.Float64Range(0, 1)).Draw(t, "bonus"),
					Period: periodGen().Draw(t, "period")})
			}
		}
		return nilIfEmpty(rapid.Permutation(out).Draw(t, "order"))
	})
}

func onboardingGen() *rapid.Generator[norm.Onboarding] {
	return rapid.Custom(func(t *rapid.T) norm.Onboarding {
		if rapid.Bool().Draw(t, "none") {
			return norm.Onboarding{}
		}
		return norm.Onboarding{
			Start:      dateGen().Draw(t, "start"),
			StartShare: rapid.OneOf(rapid.SampledFrom([]float64{0, 0.5, 0.9, 1}), rapid.Float64Range(0, 1)).Draw(t, "share"),
			Weeks:      rapid.IntRange(0, 60).Draw(t, "weeks"),
		}
	})
}

// nilIfEmpty keeps empty lists nil, as JSON decoding does.
func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

// contractGen returns a valid contract; with bonus false it has no
// positive expertise share.
func contractGen(bonus bool) *rapid.Generator[norm.Contract] {
	return rapid.Custom(func(t *rapid.T) norm.Contract {
		return norm.Contract{
			Worker:     fmt.Sprintf("w%d", rapid.IntRange(0, 99).Draw(t, "worker")),
			Hours:      hoursGen().Draw(t, "contract hours"),
			SideDuties: nilIfEmpty(rapid.SliceOfN(sideDutyGen(), 0, 3).Draw(t, "side duties")),
			Reductions: nilIfEmpty(rapid.SliceOfN(reductionGen(), 0, 4).Draw(t, "reductions")),
			Expertise:  expertiseGen(bonus).Draw(t, "expertise"),
			Onboarding: onboardingGen().Draw(t, "onboarding"),
		}
	})
}

// calendarGen returns a valid calendar of 7 to 366 days, usually a
// whole calendar year (leap years, years 1 and 9999 among them), with up
// to three non-working periods, some open at one end. Non-working
// periods that would leave no working day are dropped.
func calendarGen() *rapid.Generator[norm.Calendar] {
	return rapid.Custom(func(t *rapid.T) norm.Calendar {
		y := rapid.OneOf(rapid.IntRange(2023, 2029),
			rapid.SampledFrom([]int{1, 4, 1600, 1900, 2000, 2024, 2100, 9996, 9999})).Draw(t, "year")
		from := civil.NewDate(y, 1, 1)
		to := civil.NewDate(y, 12, 31)
		if rapid.IntRange(0, 3).Draw(t, "odd year") == 0 {
			length := rapid.IntRange(6, 365).Draw(t, "length")
			from = dateGen().Draw(t, "from")
			to = from.AddDays(length)
			from = to.AddDays(-length) // near 9999-12-31, to was clamped
		}
		cal := norm.Calendar{Year: civil.Period{From: from, To: to}}
		for i := range rapid.IntRange(0, 3).Draw(t, "non-working") {
			start := from.AddDays(rapid.IntRange(-7, to.Sub(from)).Draw(t, fmt.Sprintf("off%d", i)))
			p := civil.Period{From: start, To: start.AddDays(rapid.SampledFrom([]int{0, 6, 13}).Draw(t, "off length"))}
			switch rapid.IntRange(0, 5).Draw(t, "open") {
			case 0:
				p.From = civil.Date{} // from the start of time
			case 1:
				p.To = civil.Date{} // for ever
			}
			cal.NonWorking = append(cal.NonWorking, p)
		}
		for len(cal.NonWorking) > 0 && cal.WorkingDays() == 0 {
			cal.NonWorking = cal.NonWorking[:len(cal.NonWorking)-1]
		}
		cal.NonWorking = nilIfEmpty(cal.NonWorking)
		return cal
	})
}

func productionNormGen() *rapid.Generator[norm.ProductionNorm] {
	return rapid.Custom(func(t *rapid.T) norm.ProductionNorm {
		n := norm.ProductionNorm{
			PerFTE:   norm.ServicesPerYear(rapid.OneOf(rapid.SampledFrom([]float64{0, 36, 12}), rapid.Float64Range(0, 500)).Draw(t, "per fte")),
			FullTime: norm.HoursPerWeek(rapid.SampledFrom([]float64{36, 37, 40, 0.5}).Draw(t, "full time")),
		}
		if rapid.Bool().Draw(t, "own bands") {
			// Bounds that differ differ by at least MinBandWidth; the
			// narrowest bands are drawn often.
			width := func(d float64) float64 {
				if d < norm.MinBandWidth {
					return 0
				}
				return d
			}
			far := rapid.Float64Range(0.1, 1).Draw(t, "far")
			behind := far + width(rapid.Float64Range(0, 0.5).Draw(t, "behind"))
			n.Bands = norm.PaceBands{FarBehind: far, Behind: behind,
				Ahead:       behind + width(rapid.Float64Range(0, 1).Draw(t, "ahead")),
				MinExpected: norm.Services(rapid.Float64Range(0, 5).Draw(t, "min"))}
		}
		return n
	})
}

func caseloadNormGen() *rapid.Generator[norm.CaseloadNorm] {
	return rapid.Custom(func(t *rapid.T) norm.CaseloadNorm {
		k := rapid.IntRange(1, 4).Draw(t, "types")
		n := norm.CaseloadNorm{
			FullTime: norm.HoursPerWeek(rapid.SampledFrom([]float64{36, 37, 40}).Draw(t, "full time")),
			Rounding: norm.Rounding(rapid.IntRange(0, 2).Draw(t, "rounding")),
		}
		for i := range k {
			n.Types = append(n.Types, norm.CaseType{Name: fmt.Sprintf("type%d", i),
				PerFTE: rapid.OneOf(rapid.SampledFrom([]float64{16, 21, 28, 12}), rapid.Float64Range(0.5, 100)).Draw(t, "per fte")})
		}
		if rapid.Bool().Draw(t, "reference") {
			n.Reference = n.Types[rapid.IntRange(0, k-1).Draw(t, "ref")].Name
		}
		if rapid.Bool().Draw(t, "band") {
			lo := rapid.Float64Range(0, 20).Draw(t, "min")
			n.Band = norm.Band{Min: lo, Max: lo + rapid.Float64Range(0.1, 20).Draw(t, "width")}
		}
		return n
	})
}

func TestGeneratorsAreValid(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		require.NoError(t, contractGen(true).Draw(t, "contract").Validate())
		require.NoError(t, productionNormGen().Draw(t, "production").Validate())
		require.NoError(t, caseloadNormGen().Draw(t, "caseload").Validate())
		require.NoError(t, calendarGen().Draw(t, "calendar").Validate())
	})
}
