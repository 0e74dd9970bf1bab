package norm_test

import (
	"testing"

	"github.com/caseload/caseload/signal"

	"github.com/caseload/caseload/civil"

	"github.com/caseload/caseload/norm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// vt is an illustrative Veilig Thuis norm: 36 services a year per
// 36-hour FTE, with the default bands.
var vt = norm.ProductionNorm{PerFTE: 36, FullTime: 36}

// paceStep is one row of a week-by-week step table: the reading on the
// Sunday that ends week Week of the test year.
type paceStep struct {
	Week      int
	Capacity  norm.HoursPerWeek // on that Sunday
	Expected  norm.Services
	Completed norm.Services
	Status    norm.PaceStatus
	Projected norm.Services
}

func runSteps(t *testing.T, cal norm.Calendar, c norm.Contract, target norm.Services, steps []paceStep) {
	t.Helper()
	var prev norm.Progress
	for i, s := range steps {
		at := sunday(s.Week)
		b, err := norm.Capacity(c, at)
		require.NoError(t, err)
		p, err := norm.Pace(vt, cal, c, s.Completed, at)
		require.NoError(t, err)
		assert.InDelta(t, float64(s.Capacity), float64(b.Available), 1e-4, "week %d capacity", s.Week)
		assert.InDelta(t, float64(target), float64(p.Target), 1e-4, "week %d target", s.Week)
		assert.InDelta(t, float64(s.Expected), float64(p.Expected), 1e-4, "week %d expected", s.Week)
		assert.Equal(t, s.Status, p.Status, "week %d status (ratio %.4f)", s.Week, p.Ratio)
		assert.InDelta(t, float64(s.Projected), float64(p.Projected), 1e-3, "week %d projected", s.Week)
		if i > 0 {
			assert.GreaterOrEqual(t, p.Expected, prev.Expected, "week %d: expectation never falls", s.Week)
			_, changed := norm.StatusChange(prev, p)
			assert.Equal(t, prev.Status != p.Status, changed, "week %d", s.Week)
		}
		prev = p
	}
}

// TestPaceSickLeaveAndOnboarding follows a new full-time worker through
// the year: she starts on 30 December at half capacity, ramps up linearly
// over four weeks and is off sick for the two weeks 3 to 16 March.
// Expected = 36 x (capacity-weighted working days so far) / 260; the ramp
// weeks weigh 2.5 + (35j + 10)/56 for j = 0..3, 14.4643 in all, and the
// year 244.4643, so the target is 36 x 244.4643 / 260 = 33.8489.
func TestPaceSickLeaveAndOnboarding(t *testing.T) {
	t.Parallel()
	c := norm.Contract{
		Worker:     "ann",
		Hours:      36,
		Onboarding: norm.Onboarding{Start: week1, StartShare: 0.5, Weeks: 4},
		Reductions: []norm.Reduction{{Reason: norm.ReasonSickness, Percent: 100,
			Period: civil.Period{From: day("2025-03-03"), To: day("2025-03-16")}}},
	}
	cal := norm.Calendar{Year: testYear}
	runSteps(t, cal, c, 33.8489, []paceStep{
		{1, 21.8571, 0.3709, 0, norm.PaceNoExpectation, 33.4780},
		{2, 26.3571, 0.8283, 1, norm.PaceNoExpectation, 34.0206},
		{3, 30.8571, 1.3723, 1, norm.PaceFarBehind, 24.6667},
		{4, 35.3571, 2.0027, 2, norm.PaceOnTrack, 33.8025},
		{8, 36, 4.7720, 4, norm.PaceBehind, 28.3731},
		{9, 36, 5.4643, 6, norm.PaceOnTrack, 37.1674},
		{10, 0, 5.4643, 6, norm.PaceOnTrack, 37.1674}, // sick: nothing more expected
		{11, 0, 5.4643, 7, norm.PaceAhead, 43.3620},   // last day of the sick leave
		{12, 36, 6.1566, 7, norm.PaceAhead, 38.4859},
		{26, 36, 15.8489, 15, norm.PaceOnTrack, 32.0359},
		{39, 36, 24.8489, 18, norm.PaceFarBehind, 24.5194},
		{52, 36, 33.8489, 34, norm.PaceOnTrack, 34.0},
	})
}

// TestPaceLeaveEndsMidWeek follows a full-timer on leave from Monday 3
// March to Wednesday 12 March, both included, so that the week-11 row
// counts exactly Thursday and Friday: the leave takes 8 of the 260
// working days, Expected is 36 x (working days so far less those on
// leave) / 260 and the target 36 x 252/260 = 34.8923. A leave ending a
// day early or late would give 48 or 46 days in week 11, not 47.
func TestPaceLeaveEndsMidWeek(t *testing.T) {
	t.Parallel()
	c := norm.Contract{Worker: "dee", Hours: 36, Reductions: []norm.Reduction{{Reason: norm.ReasonLeave, Percent: 100,
		Period: civil.Period{From: day("2025-03-03"), To: day("2025-03-12")}}}}
	cal := norm.Calendar{Year: testYear}
	runSteps(t, cal, c, 34.8923, []paceStep{
		{9, 36, 6.2308, 6, norm.PaceOnTrack, 33.6},     // 45 days
		{10, 0, 6.2308, 6, norm.PaceOnTrack, 33.6},     // on leave all week
		{11, 36, 6.5077, 6, norm.PaceOnTrack, 32.1702}, // 47: Thursday and Friday count
		{12, 36, 7.2, 6, norm.PaceBehind, 29.0769},     // 52
		{52, 36, 34.8923, 35, norm.PaceOnTrack, 35},
	})
	// The leave's last day and the day after, around the Sunday rows.
	for _, tt := range []struct {
		at   string
		want norm.HoursPerWeek
	}{{"2025-03-12", 0}, {"2025-03-13", 36}} {
		b, err := norm.Capacity(c, day(tt.at))
		require.NoError(t, err)
		assert.Equal(t, tt.want, b.Available, tt.at)
	}
}

// TestPacePartTimer follows a 24-hour worker (2/3 FTE, target 24) in a
// year whose last week (22 to 28 December) is a non-working week: the
// target is spread over the 255 remaining working days, 24/51 a week, and
// is reached at the end of week 51.
func TestPacePartTimer(t *testing.T) {
	t.Parallel()
	c := norm.Contract{Worker: "bo", Hours: 24}
	cal := norm.Calendar{Year: testYear, NonWorking: []civil.Period{{From: day("2025-12-22"), To: day("2025-12-28")}}}
	runSteps(t, cal, c, 24, []paceStep{
		{2, 24, 0.9412, 0, norm.PaceNoExpectation, 23.0588},
		{3, 24, 1.4118, 1, norm.PaceFarBehind, 17.0},
		{13, 24, 6.1176, 6, norm.PaceOnTrack, 23.5385},
		{26, 24, 12.2353, 11, norm.PaceBehind, 21.5769}, // 11/12.2353 = 0.899, just under 0.90
		{51, 24, 24, 24, norm.PaceOnTrack, 24},
		{52, 24, 24, 24, norm.PaceOnTrack, 24}, // the non-working week adds nothing
	})
}

// TestPaceSideDuties follows a full-timer with 4 hours of works council
// all year and 4 hours of practice education in weeks 27 to 39 (30 June
// to 28 September): 32 hours for 39 weeks and 28 for 13, so the target is
// (39 x 32 + 13 x 28) / 52 = 31.
func TestPaceSideDuties(t *testing.T) {
	t.Parallel()
	c := norm.Contract{Worker: "cas", Hours: 36, SideDuties: []norm.SideDuty{
		{Name: "works council", Hours: 4},
		{Name: "practice educator", Hours: 4, Period: civil.Period{From: day("2025-06-30"), To: day("2025-09-28")}},
	}}
	cal := norm.Calendar{Year: testYear}
	runSteps(t, cal, c, 31, []paceStep{
		{1, 32, 0.6154, 0, norm.PaceNoExpectation, 30.3846},
		{2, 32, 1.2308, 2, norm.PaceAhead, 50.375},
		{26, 32, 16, 15, norm.PaceOnTrack, 29.0625},
		{27, 28, 16.5385, 15, norm.PaceOnTrack, 28.1163},
		{39, 28, 23, 20, norm.PaceBehind, 26.9565}, // 28 September, the duty's last day
		{40, 32, 23.6154, 20, norm.PaceBehind, 26.2541},
		{52, 32, 31, 31, norm.PaceOnTrack, 31},
	})
}

func TestPaceBands(t *testing.T) {
	t.Parallel()
	// A flat 36-hour worker has 36/52 expected per week; at week 26 exactly 18.
	c := norm.Contract{Worker: "dee", Hours: 36}
	cal := norm.Calendar{Year: testYear}
	at := sunday(26)
	tests := []struct {
		name      string
		bands     norm.PaceBands
		completed norm.Services
		want      norm.PaceStatus
		threshold float64
	}{
		{"exactly ahead", norm.PaceBands{}, 19.8, norm.PaceAhead, 1.10},
		{"just under ahead", norm.PaceBands{}, 19.79, norm.PaceOnTrack, 0.90},
		{"exactly on track", norm.PaceBands{}, 18, norm.PaceOnTrack, 0.90},
		{"bound of behind is on track", norm.PaceBands{}, 16.2, norm.PaceOnTrack, 0.90},
		{"behind", norm.PaceBands{}, 16.19, norm.PaceBehind, 0.90},
		{"bound of far behind is behind", norm.PaceBands{}, 13.5, norm.PaceBehind, 0.90},
		{"far behind", norm.PaceBands{}, 13.49, norm.PaceFarBehind, 0.75},
		{"nothing done", norm.PaceBands{}, 0, norm.PaceFarBehind, 0.75},
		{"own bands", norm.PaceBands{Ahead: 1.2, Behind: 0.8, FarBehind: 0.5}, 14.4, norm.PaceOnTrack, 0.8},
		// Bounds are taken as given: 12 of 18 is exactly Behind.
		{"bound of thirds", norm.PaceBands{Ahead: 1, Behind: 2.0 / 3, FarBehind: 1.0 / 3}, 12, norm.PaceOnTrack, 2.0 / 3},
		{"verdict only from 20 expected", norm.PaceBands{MinExpected: 20}, 0, norm.PaceNoExpectation, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := vt
			n.Bands = tt.bands
			p, err := norm.Pace(n, cal, c, tt.completed, at)
			require.NoError(t, err)
			assert.InDelta(t, 18.0, float64(p.Expected), 1e-9)
			assert.Equal(t, tt.want, p.Status)
			assert.Equal(t, tt.threshold, p.Threshold)
			s := p.Signal()
			assert.Equal(t, "pace."+tt.want.Code(), s.Code)
			assert.Equal(t, tt.want.Severity(), s.Severity)
			assert.Equal(t, signal.Subject{Kind: signal.Worker, ID: "dee"}, s.Subject)
			assert.Equal(t, tt.threshold, s.Threshold)
		})
	}
}

// TestPaceBandsTooNarrow: two bounds that differ by less than
// MinBandWidth leave a band no message can print a ratio in ("100.00%,
// below 100%"); the norm is refused, naming the bands. Equal bounds
// (an empty band) and bounds MinBandWidth apart are fine.
func TestPaceBandsTooNarrow(t *testing.T) {
	t.Parallel()
	c := norm.Contract{Worker: "dee", Hours: 36}
	cal := norm.Calendar{Year: testYear}
	for _, tt := range []struct {
		bands norm.PaceBands
		ok    bool
	}{
		{norm.PaceBands{FarBehind: 1, Behind: 1.0000000037, Ahead: 2}, false},
		{norm.PaceBands{FarBehind: 0.5, Behind: 1, Ahead: 1 + 5e-8}, false},
		{norm.PaceBands{Behind: norm.DefaultFarBehind + 5e-8}, false}, // against the default FarBehind
		{norm.PaceBands{FarBehind: 1, Behind: 1, Ahead: 2}, true},
		{norm.PaceBands{FarBehind: 1, Behind: 1 + norm.MinBandWidth, Ahead: 2}, true},
	} {
		n := vt
		n.Bands = tt.bands
		_, err := norm.Pace(n, cal, c, 10, sunday(26))
		if tt.ok {
			assert.NoError(t, err, "%+v", tt.bands)
			continue
		}
		require.ErrorIs(t, err, norm.ErrRange, "%+v", tt.bands)
		assert.Contains(t, err.Error(), "Bands")
	}
}

func TestPaceNoExpectation(t *testing.T) {
	t.Parallel()
	cal := norm.Calendar{Year: testYear}
	tests := []struct {
		name string
		n    norm.ProductionNorm
		c    norm.Contract
		at   civil.Date
	}{
		{"before the year", vt, norm.Contract{Hours: 36}, day("2024-12-01")},
		{"first day", vt, norm.Contract{Hours: 36}, week1},
		{"not yet started", vt, norm.Contract{Hours: 36, Onboarding: norm.Onboarding{Start: day("2025-06-01")}}, day("2025-05-31")},
		{"zero hours", vt, norm.Contract{Hours: 0}, sunday(40)},
		{"no norm", norm.ProductionNorm{FullTime: 36}, norm.Contract{Hours: 36}, sunday(40)},
		{"sick from the start", vt, norm.Contract{Hours: 36, Reductions: []norm.Reduction{
			{Reason: norm.ReasonSickness, Percent: 100, Period: civil.Period{To: day("2025-06-01")}}}}, day("2025-05-31")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := norm.Pace(tt.n, cal, tt.c, 3, tt.at)
			require.NoError(t, err)
			assert.Equal(t, norm.PaceNoExpectation, p.Status)
			assert.Zero(t, p.Ratio)
			assert.InDelta(t, float64(3+p.Target-p.Expected), float64(p.Projected), 1e-9)
			s := p.Signal()
			assert.Equal(t, "pace.no-expectation", s.Code)
			assert.Equal(t, signal.Info, s.Severity)
			assert.Equal(t, float64(p.Expected), s.Value)
		})
	}
}

func TestPaceAfterYearIsTarget(t *testing.T) {
	t.Parallel()
	cal := norm.Calendar{Year: testYear}
	p, err := norm.Pace(vt, cal, norm.Contract{Hours: 18}, 18, day("2026-06-01"))
	require.NoError(t, err)
	assert.Equal(t, p.Target, p.Expected)
	assert.InDelta(t, 18.0, float64(p.Target), 1e-9)
	assert.Equal(t, norm.PaceOnTrack, p.Status)
}

func TestStatusChange(t *testing.T) {
	t.Parallel()
	prev := norm.Progress{Subject: "ann", Status: norm.PaceOnTrack, Expected: 10, Completed: 9.5, Ratio: 0.95, Threshold: 0.9}
	cur := norm.Progress{Subject: "ann", Status: norm.PaceBehind, Expected: 11, Completed: 9.5, Ratio: 9.5 / 11, Threshold: 0.9}
	s, ok := norm.StatusChange(prev, cur)
	require.True(t, ok)
	assert.Equal(t, signal.Signal{
		Code: "pace.behind", Subject: signal.Subject{Kind: signal.Worker, ID: "ann"}, Value: 9.5 / 11, Threshold: 0.9, Severity: signal.Warning,
		Message: "ann went from on track to behind: 9.5 services completed, 11.0 expected (86%, below 90%)",
	}, s)
	_, ok = norm.StatusChange(cur, cur)
	assert.False(t, ok)

	// Into "no expectation" (a long absence), for a subject whose name
	// holds ": ": the message is built from the fields, once.
	odd := "team: north"
	prev.Subject = odd
	none := norm.Progress{Subject: odd, Status: norm.PaceNoExpectation, Expected: 0.5, Target: 30, Threshold: 1}
	s, ok = norm.StatusChange(prev, none)
	require.True(t, ok)
	assert.Equal(t, "team: north went from on track to no expectation: 0.5 services expected, a verdict from 1.0", s.Message)
	assert.Equal(t, "team: north has no expectation yet: 0.5 services expected, a verdict from 1.0", none.Signal().Message)
	assert.Equal(t, 0.5, s.Value, "services expected")

	// And back out of it.
	s, ok = norm.StatusChange(none, norm.Progress{Subject: odd, Status: norm.PaceAhead, Expected: 2, Completed: 3,
		Ratio: 1.5, Threshold: 1.1})
	require.True(t, ok)
	assert.Equal(t, "team: north went from no expectation to ahead: 3.0 services completed, 2.0 expected (150%)", s.Message)
}

// TestTeamPace shows a team on track while one member is far behind and
// another ahead: at week 26 each flat 36-hour member is expected to have
// done 18, the part-timer 12.
func TestTeamPace(t *testing.T) {
	t.Parallel()
	cal := norm.Calendar{Year: testYear}
	members := []norm.Member{
		{Contract: norm.Contract{Worker: "eve", Hours: 36}, Completed: 26},
		{Contract: norm.Contract{Worker: "bo", Hours: 24}, Completed: 12},
		{Contract: norm.Contract{Worker: "ann", Hours: 36}, Completed: 10},
	}
	tp, err := norm.TeamPace(vt, cal, "north", members, sunday(26))
	require.NoError(t, err)
	require.Len(t, tp.Members, 3)
	assert.Equal(t, []string{"ann", "bo", "eve"}, []string{tp.Members[0].Subject, tp.Members[1].Subject, tp.Members[2].Subject})
	assert.Equal(t, []norm.PaceStatus{norm.PaceFarBehind, norm.PaceOnTrack, norm.PaceAhead},
		[]norm.PaceStatus{tp.Members[0].Status, tp.Members[1].Status, tp.Members[2].Status})
	assert.Equal(t, "north", tp.Team.Subject)
	assert.InDelta(t, 48.0, float64(tp.Team.Expected), 1e-9)
	assert.InDelta(t, 96.0, float64(tp.Team.Target), 1e-9)
	assert.Equal(t, norm.Services(48), tp.Team.Completed)
	assert.Equal(t, norm.PaceOnTrack, tp.Team.Status)
	sig := tp.Signals()
	require.Len(t, sig, 4)
	assert.Equal(t, []string{"pace.on-track", "pace.far-behind", "pace.on-track", "pace.ahead"},
		[]string{sig[0].Code, sig[1].Code, sig[2].Code, sig[3].Code})
	assert.Equal(t, "ann is far behind pace: 10.0 services completed, 18.0 expected (56%, below 75%)", sig[1].Message)
}

func TestPaceErrors(t *testing.T) {
	t.Parallel()
	_, err := norm.TeamPace(
		norm.ProductionNorm{PerFTE: -1, Bands: norm.PaceBands{Behind: 0.5}},
		norm.Calendar{Year: civil.Period{From: day("2025-01-01")}},
		"",
		[]norm.Member{
			{Contract: norm.Contract{Worker: "ann", Hours: 36}},
			{Contract: norm.Contract{Worker: "ann", Hours: 36}, Completed: -2},
			{Contract: norm.Contract{Hours: 200}},
		},
		civil.Date{})
	require.Error(t, err)
	var fields []string
	for _, e := range inputErrors(err) {
		fields = append(fields, e.Field)
	}
	assert.ElementsMatch(t, []string{
		"ProductionNorm.PerFTE", "ProductionNorm.FullTime", "ProductionNorm.Bands",
		"Calendar.Year", "members[1].Contract.Worker", "members[1].Completed",
		"members[2].Contract.Worker", "members[2].Contract.Hours", "At",
	}, fields)

	weekend := norm.Calendar{Year: civil.Period{From: day("2025-01-04"), To: day("2025-01-05")}}
	_, err = norm.Pace(vt, weekend, norm.Contract{Hours: 36}, 0, day("2025-01-05"))
	assert.ErrorIs(t, err, norm.ErrBadPeriod, "a year without working days")
	_, err = norm.Pace(norm.ProductionNorm{}, weekend, norm.Contract{Hours: 36}, 0, day("2025-01-05"))
	assert.ErrorIs(t, err, norm.ErrBadPeriod, "reported alongside other faults")
	long := norm.Calendar{Year: civil.Period{From: day("2025-01-01"), To: day("2026-01-02")}}
	_, err = norm.Pace(vt, long, norm.Contract{Hours: 36}, 0, day("2025-01-05"))
	assert.ErrorIs(t, err, norm.ErrRange)
}
