package norm_test

import (
	"github.com/stretchr/testify/require"
	"testing"

	"fmt"

	"github.com/caseload/caseload/norm"
	"pgregory.net/rapid"
)

// Generators of valid configuration. They lean towards edge cases: zero
// hours, reductions larger than the contract, overlapping and open
// periods, leap days and year boundaries.

// anchors are dates near the edges of years and leap days.
var anchors = []string{
	"2024-01-01", "2023-12-31", "2024-02-28", "2024-02-29", "2024-03-01",
	"2024-12-31", "2025-01-01", "2025-02-28", "2025-03-01", "2100-02-28", "2000-02-29",
}

func dateGen() *rapid.Generator[norm.Date] {
	return rapid.Custom(func(t *rapid.T) norm.Date {
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
func periodGen() *rapid.Generator[norm.Period] {
	return rapid.Custom(func(t *rapid.T) norm.Period {
		from := dateGen().Draw(t, "from")
		p := norm.Period{From: from, To: from.AddDays(rapid.IntRange(0, 120).Draw(t, "length"))}
		switch rapid.IntRange(0, 4).Draw(t, "open") {
		case 1:
			p.From = norm.Date{}
		case 2:
			p.To = norm.Date{}
		case 3:
			p = norm.Period{}
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

// adjustmentGen draws shares in [-0.5, 0.5], so two of them never take
// away more than everything; with bonus false, shares are not positive.
func adjustmentGen(bonus bool) *rapid.Generator[norm.Adjustment] {
	return rapid.Custom(func(t *rapid.T) norm.Adjustment {
		hi := 0.0
		if bonus {
			hi = 0.5
		}
		return norm.Adjustment{
			Name:   rapid.SampledFrom([]string{"mentor", "specialist"}).Draw(t, "name"),
			Share:  rapid.OneOf(rapid.SampledFrom([]float64{-0.5, 0, -0.1}), rapid.Float64Range(-0.5, hi)).Draw(t, "share"),
			Period: periodGen().Draw(t, "period"),
		}
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
			Expertise:  nilIfEmpty(rapid.SliceOfN(adjustmentGen(bonus), 0, 2).Draw(t, "expertise")),
			Onboarding: onboardingGen().Draw(t, "onboarding"),
		}
	})
}

// calendarGen returns a calendar of up to 366 days, usually a whole
// calendar year, with up to three non-working periods.
func calendarGen() *rapid.Generator[norm.Calendar] {
	return rapid.Custom(func(t *rapid.T) norm.Calendar {
		y := rapid.IntRange(2023, 2029).Draw(t, "year")
		from := norm.NewDate(y, 1, 1)
		to := norm.NewDate(y, 12, 31)
		if rapid.IntRange(0, 3).Draw(t, "odd year") == 0 {
			from = dateGen().Draw(t, "from")
			to = from.AddDays(rapid.IntRange(6, 365).Draw(t, "length"))
		}
		var off []norm.Period
		for i := range rapid.IntRange(0, 3).Draw(t, "non-working") {
			start := from.AddDays(rapid.IntRange(-7, to.Sub(from)).Draw(t, fmt.Sprintf("off%d", i)))
			off = append(off, norm.Period{From: start, To: start.AddDays(6)})
		}
		return norm.Calendar{Year: norm.Period{From: from, To: to}, NonWorking: off}
	})
}

func productionNormGen() *rapid.Generator[norm.ProductionNorm] {
	return rapid.Custom(func(t *rapid.T) norm.ProductionNorm {
		n := norm.ProductionNorm{
			PerFTE:   norm.ServicesPerYear(rapid.OneOf(rapid.SampledFrom([]float64{0, 36, 12}), rapid.Float64Range(0, 500)).Draw(t, "per fte")),
			FullTime: norm.HoursPerWeek(rapid.SampledFrom([]float64{36, 37, 40, 0.5}).Draw(t, "full time")),
		}
		if rapid.Bool().Draw(t, "own bands") {
			far := rapid.Float64Range(0.1, 1).Draw(t, "far")
			behind := far + rapid.Float64Range(0, 0.5).Draw(t, "behind")
			n.Bands = norm.PaceBands{FarBehind: far, Behind: behind,
				Ahead:       behind + rapid.Float64Range(0, 1).Draw(t, "ahead"),
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
		cal := calendarGen().Draw(t, "calendar")
		if cal.WorkingDays() > 0 {
			require.NoError(t, cal.Validate())
		}
	})
}
