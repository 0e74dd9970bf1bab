package norm_test

import (
	"math"
	"regexp"
	"strconv"
	"testing"

	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/norm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestPaceMessageAgreesWithStatus steps the completed services of a flat
// 36-hour worker, expected to have done exactly 18 at week 26, across
// each default band bound (75%, 90% and 110%). The percentage in the
// message must sit on the same side of every bound as the status says,
// so a ratio of 0.895, behind, never reads "90%, below 90%".
func TestPaceMessageAgreesWithStatus(t *testing.T) {
	t.Parallel()
	c := norm.Contract{Worker: "dee", Hours: 36}
	cal := norm.Calendar{Year: testYear}
	at := sunday(26)
	tests := []struct {
		completed norm.Services // of 18 expected
		status    norm.PaceStatus
		message   string
	}{
		{13.4, norm.PaceFarBehind, "dee is far behind pace: 13.4 services completed, 18.0 expected (74%, below 75%)"},
		{13.49, norm.PaceFarBehind, "dee is far behind pace: 13.5 services completed, 18.0 expected (74.9%, below 75%)"},
		{13.4991, norm.PaceFarBehind, "dee is far behind pace: 13.5 services completed, 18.0 expected (74.99%, below 75%)"},
		{13.5 - 1e-9, norm.PaceBehind, "dee is behind pace: 13.5 services completed, 18.0 expected (75%, below 90%)"},
		{13.5, norm.PaceBehind, "dee is behind pace: 13.5 services completed, 18.0 expected (75%, below 90%)"},
		{13.51, norm.PaceBehind, "dee is behind pace: 13.5 services completed, 18.0 expected (75%, below 90%)"},
		{16.11, norm.PaceBehind, "dee is behind pace: 16.1 services completed, 18.0 expected (89.5%, below 90%)"},
		{16.19, norm.PaceBehind, "dee is behind pace: 16.2 services completed, 18.0 expected (89.9%, below 90%)"},
		{16.1999, norm.PaceBehind, "dee is behind pace: 16.2 services completed, 18.0 expected (89.99%, below 90%)"},
		{16.2 - 1e-9, norm.PaceOnTrack, "dee is on track: 16.2 services completed, 18.0 expected (90%)"},
		{16.2, norm.PaceOnTrack, "dee is on track: 16.2 services completed, 18.0 expected (90%)"},
		{19.71, norm.PaceOnTrack, "dee is on track: 19.7 services completed, 18.0 expected (109.5%)"},
		{19.79, norm.PaceOnTrack, "dee is on track: 19.8 services completed, 18.0 expected (109.9%)"},
		{19.7999, norm.PaceOnTrack, "dee is on track: 19.8 services completed, 18.0 expected (109.99%)"},
		{19.8, norm.PaceAhead, "dee is ahead of pace: 19.8 services completed, 18.0 expected (110%)"},
		{19.81, norm.PaceAhead, "dee is ahead of pace: 19.8 services completed, 18.0 expected (110%)"},
	}
	for _, tt := range tests {
		p, err := norm.Pace(vt, cal, c, tt.completed, at)
		require.NoError(t, err)
		require.InDelta(t, 18.0, float64(p.Expected), 1e-9)
		assert.Equal(t, tt.status, p.Status, "%v completed, ratio %v", tt.completed, p.Ratio)
		assert.Equal(t, tt.message, p.Signal().Message, "%v completed, ratio %v", tt.completed, p.Ratio)
		assertPercentAgrees(t, p)
	}
}

// TestNoExpectationMessageAgrees: 0.96 services expected is below the
// verdict threshold of 1, so the message must not print it as 1.0.
func TestNoExpectationMessageAgrees(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		expected, min norm.Services
		want          string
	}{
		{0.4, 1, "0.4 services expected, a verdict from 1.0"},
		{0.96, 1, "0.96 services expected, a verdict from 1.0"},
		{0.9996, 1, "0.999 services expected, a verdict from 1.0"},
		{2.44, 2.45, "2.4 services expected, a verdict from 2.45"},
	} {
		p := norm.Progress{Subject: "ann", Status: norm.PaceNoExpectation, Expected: tt.expected,
			Target: 30, Threshold: float64(tt.min), Bands: norm.PaceBands{MinExpected: tt.min}}
		assert.Equal(t, "ann has no expectation yet: "+tt.want, p.Signal().Message)
	}
}

// percentRE finds the percentages in a pace message: the ratio first,
// then the bound it is below, if any.
var percentRE = regexp.MustCompile(`([0-9.]+)%`)

// assertPercentAgrees checks that the percentage printed for p's ratio
// lies in the band of p's status, compared with the default bounds as
// printed (75%, 90%, 110%).
func assertPercentAgrees(t assert.TestingT, p norm.Progress) {
	if h, ok := t.(interface{ Helper() }); ok {
		h.Helper()
	}
	m := percentRE.FindAllStringSubmatch(p.Signal().Message, -1)
	if !assert.NotEmpty(t, m, p.Signal().Message) {
		return
	}
	pct, err := strconv.ParseFloat(m[0][1], 64)
	assert.NoError(t, err)
	band := map[norm.PaceStatus][2]float64{
		norm.PaceFarBehind: {0, 75},
		norm.PaceBehind:    {75, 90},
		norm.PaceOnTrack:   {90, 110},
		norm.PaceAhead:     {110, math.Inf(1)},
	}[p.Status]
	lo, hi := band[0], band[1]
	assert.True(t, lo <= pct && pct < hi, "%s: %v%% outside [%v, %v)", p.Status, pct, lo, hi)
}

// TestPaceMessageProperty draws norms with their own bands and completed
// services close to a band bound: the percentage printed for the ratio
// always lies in the band of the status, compared with the bounds
// printed (rounded at six decimals of a percent, as the message prints
// them), and the bound the message names is the threshold.
func TestPaceMessageProperty(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		n := productionNormGen().Draw(t, "norm")
		cal := calendarGen().Draw(t, "calendar")
		c := contractGen(true).Draw(t, "contract")
		at := cal.Year.From.AddDays(rapid.IntRange(0, cal.Year.Days()+3).Draw(t, "at"))
		p0, err := norm.Pace(n, cal, c, 0, at)
		require.NoError(t, err)
		b := p0.Bands
		edge := rapid.SampledFrom([]float64{b.FarBehind, b.Behind, b.Ahead, 1}).Draw(t, "bound")
		r := edge * rapid.OneOf(rapid.Just(1.0), rapid.Just(1-1e-10), rapid.Float64Range(1-1e-4, 1+1e-4),
			rapid.Float64Range(0.99, 1.01)).Draw(t, "near")
		p, err := norm.Pace(n, cal, c, norm.Services(r*float64(p0.Expected)), at)
		require.NoError(t, err)
		msg := p.Signal().Message
		// Rounded to six places as the message rounds, exactly, ties to
		// even: a bound of 100.1953125% prints as 100.195312%, where
		// math.Round(x*1e6)/1e6 gave 100.195313.
		round6 := func(x float64) float64 {
			r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 6, 64), 64)
			return r
		}
		if p.Status == norm.PaceNoExpectation {
			return
		}
		m := percentRE.FindAllStringSubmatch(msg, -1)
		require.NotEmpty(t, m, msg)
		pct, err := strconv.ParseFloat(m[0][1], 64)
		require.NoError(t, err, msg)
		lo, hi := math.Inf(-1), math.Inf(1)
		switch p.Status {
		case norm.PaceAhead:
			lo = b.Ahead
		case norm.PaceOnTrack:
			lo, hi = b.Behind, b.Ahead
		case norm.PaceBehind:
			lo, hi = b.FarBehind, b.Behind
		case norm.PaceFarBehind:
			hi = b.FarBehind
		}
		require.True(t, round6(100*lo) <= pct && pct < round6(100*hi), "%s: ratio %v, bands %+v", msg, p.Ratio, b)
		if p.Status == norm.PaceBehind || p.Status == norm.PaceFarBehind {
			require.Len(t, m, 2, msg)
			th, err := strconv.ParseFloat(m[1][1], 64)
			require.NoError(t, err, msg)
			require.Equal(t, round6(100*p.Threshold), th, msg)
		}
	})
}

// TestNoExpectationMessage: "no expectation yet" only while something is
// still to be expected. A worker on leave all year reads on 31 December
// that nothing was expected because she had no casework capacity, not
// that nothing is expected yet.
func TestNoExpectationMessage(t *testing.T) {
	t.Parallel()
	cal := norm.Calendar{Year: testYear}
	leave := func(p civil.Period) []norm.Reduction {
		return []norm.Reduction{{Reason: norm.ReasonLeave, Percent: 100, Period: p}}
	}
	tests := []struct {
		name string
		n    norm.ProductionNorm
		c    norm.Contract
		at   civil.Date
		want string
	}{
		{"on leave all year, last day", vt, norm.Contract{Hours: 36, Reductions: leave(testYear)}, testYear.To,
			"ann has no expectation: no casework capacity in the norm year"},
		{"on leave all year, mid-year", vt, norm.Contract{Hours: 36, Reductions: leave(civil.Period{})}, sunday(26),
			"ann has no expectation: no casework capacity in the norm year"},
		{"on leave all year, after the year", vt, norm.Contract{Hours: 36, Reductions: leave(testYear)}, day("2026-02-01"),
			"ann has no expectation: no casework capacity in the norm year"},
		{"sick until June", vt, norm.Contract{Hours: 36, Reductions: leave(civil.Period{To: day("2025-06-01")})}, day("2025-05-31"),
			"ann has no expectation yet: no casework capacity in the norm year so far"},
		{"first day", vt, norm.Contract{Hours: 36}, week1,
			"ann has no expectation yet: 0.1 services expected, a verdict from 1.0"}, // 36/260
		{"no norm", norm.ProductionNorm{FullTime: 36}, norm.Contract{Hours: 36}, sunday(40),
			"ann has no expectation: the norm expects no services"},
		// Starts on Monday 22 December: 5 of 260 working days, 36 x 5/260 = 0.69.
		{"starts in the last week", vt, norm.Contract{Hours: 36, Onboarding: norm.Onboarding{Start: day("2025-12-22")}}, testYear.To,
			"ann has no expectation: 0.7 services expected in the whole norm year, a verdict from 1.0"},
		{"starts in the last week, on leave in it", vt, norm.Contract{Hours: 36, Onboarding: norm.Onboarding{Start: day("2025-12-22")},
			Reductions: leave(civil.Period{From: day("2025-12-24")})}, day("2025-12-23"),
			"ann has no expectation: 0.3 services expected in the whole norm year, a verdict from 1.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.c.Worker = "ann"
			p, err := norm.Pace(tt.n, cal, tt.c, 0, tt.at)
			require.NoError(t, err)
			assert.Equal(t, norm.PaceNoExpectation, p.Status)
			s := p.Signal()
			assert.Equal(t, "pace.no-expectation", s.Code)
			assert.Equal(t, tt.want, s.Message)
			tp, err := norm.TeamPace(tt.n, cal, "north", []norm.Member{{Contract: tt.c}}, tt.at)
			require.NoError(t, err)
			assert.Equal(t, "north"+tt.want[len("ann"):], tp.Team.Signal().Message, "a team reads as its only member")
		})
	}
}
