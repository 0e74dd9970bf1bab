package norm_test

import (
	"errors"
	"testing"

	"github.com/caseload/caseload/civil"

	"github.com/caseload/caseload/norm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCapacity(t *testing.T) {
	t.Parallel()
	at := day("2025-03-10")
	march := civil.Period{From: day("2025-03-03"), To: day("2025-03-16")}
	tests := []struct {
		name string
		c    norm.Contract
		want norm.HoursPerWeek
		// items lists the applied hours of each breakdown line, in order.
		items []norm.HoursPerWeek
	}{
		{"contract only", norm.Contract{Hours: 36}, 36, nil},
		{"zero hours", norm.Contract{Hours: 0}, 0, nil},
		{"side duty", norm.Contract{Hours: 36, SideDuties: []norm.SideDuty{{Name: "works council", Hours: 4}}},
			32, []norm.HoursPerWeek{-4}},
		{"side duty not yet started", norm.Contract{Hours: 36, SideDuties: []norm.SideDuty{
			{Name: "educator", Hours: 4, Period: civil.Period{From: day("2025-03-11")}}}}, 36, nil},
		{"percentage of contract", norm.Contract{Hours: 32, Reductions: []norm.Reduction{
			{Reason: norm.ReasonNonClient, Percent: 15}}}, 27.2, []norm.HoursPerWeek{-4.8}},
		// Percent is of the contract hours, not of what the side duty leaves.
		{"percentage after side duty", norm.Contract{Hours: 40,
			SideDuties: []norm.SideDuty{{Name: "rota", Hours: 10}},
			Reductions: []norm.Reduction{{Reason: norm.ReasonTraining, Percent: 10}}},
			26, []norm.HoursPerWeek{-10, -4}},
		// Trade union facility time, capped at half of the contract
		// hours as the Workload Measurement Tool of HM Prison and
		// Probation Service caps it.
		{"capped", norm.Contract{Hours: 36, Reductions: []norm.Reduction{
			{Reason: norm.ReasonUnionTime, Hours: 30, Cap: 18}}}, 18, []norm.HoursPerWeek{-18}},
		{"full sick leave", norm.Contract{Hours: 36, Reductions: []norm.Reduction{
			{Reason: norm.ReasonSickness, Percent: 100, Period: march}}}, 0, []norm.HoursPerWeek{-36}},
		{"reductions larger than contract stop at zero", norm.Contract{Hours: 20, Reductions: []norm.Reduction{
			{Reason: norm.ReasonLeave, Hours: 15}, {Reason: norm.ReasonTraining, Hours: 15}}},
			0, []norm.HoursPerWeek{-15, -5}},
		{"expired reduction", norm.Contract{Hours: 36, Reductions: []norm.Reduction{
			{Reason: norm.ReasonSickness, Percent: 100, Period: civil.Period{To: day("2025-03-09")}}}}, 36, nil},
		{"mentor gives a tenth", norm.Contract{Hours: 36, Expertise: []norm.Adjustment{
			{Name: "mentor", Share: -0.1}}}, 32.4, []norm.HoursPerWeek{-3.6}},
		{"expertise bonus may exceed contract", norm.Contract{Hours: 30, Expertise: []norm.Adjustment{
			{Name: "specialist", Share: 0.2}}}, 36, []norm.HoursPerWeek{6}},
		// The share applies to what side duties and reductions leave: (36-6) x 0.9.
		{"expertise after deductions", norm.Contract{Hours: 36,
			SideDuties: []norm.SideDuty{{Name: "rota", Hours: 6}},
			Expertise:  []norm.Adjustment{{Name: "mentor", Share: -0.1}}}, 27, []norm.HoursPerWeek{-6, -3}},
		// Day 7 of a four-week ramp from half: 0.5 + 0.5 x 7/28 = 0.625.
		{"onboarding ramp", norm.Contract{Hours: 36, Onboarding: norm.Onboarding{
			Start: day("2025-03-03"), StartShare: 0.5, Weeks: 4}}, 22.5, []norm.HoursPerWeek{-13.5}},
		{"not yet started", norm.Contract{Hours: 36, Onboarding: norm.Onboarding{Start: day("2025-03-11")}},
			0, []norm.HoursPerWeek{-36}},
		{"start without ramp", norm.Contract{Hours: 36, Onboarding: norm.Onboarding{Start: day("2025-03-10")}},
			36, nil},
		// Three +1 shares ask for 4 × 36 = 144 h/wk; only 168 fit in a week.
		{"bonuses within a week", norm.Contract{Hours: 36, Expertise: []norm.Adjustment{
			{Name: "a", Share: 1}, {Name: "b", Share: 1}, {Name: "c", Share: 1}}},
			144, []norm.HoursPerWeek{36, 36, 36}},
		// 168 - 68 leaves 100 h/wk; 100 × (1 + 1 + 0.5 - 0.25) = 225 is 57
		// above 168, so both bonuses (150 h/wk asked) keep the same
		// fraction 1 - 57/150 = 0.62 of what they asked, 62 and 31, and
		// the mentor keeps her -25.
		{"bonuses capped at 168", norm.Contract{Hours: 168, SideDuties: []norm.SideDuty{{Name: "rota", Hours: 68}},
			Expertise: []norm.Adjustment{{Name: "a", Share: 1}, {Name: "b", Share: 0.5}, {Name: "mentor", Share: -0.25}}},
			168, []norm.HoursPerWeek{-68, 62, 31, -25}},
		// A +1 share doubles 36 to 72 h/wk, and the first day of a ramp
		// from half halves it again; 168 is not reached.
		{"bonuses with onboarding", norm.Contract{Hours: 36, Expertise: []norm.Adjustment{{Name: "a", Share: 1}},
			Onboarding: norm.Onboarding{Start: at, StartShare: 0.5, Weeks: 1}}, 36, []norm.HoursPerWeek{36, -36}},
		// Disjoint negative periods do not add up: -0.6 in the first
		// quarter, -0.6 in the last.
		{"disjoint mentor periods", norm.Contract{Hours: 36, Expertise: []norm.Adjustment{
			{Name: "q1", Share: -0.6, Period: civil.Period{From: day("2025-01-01"), To: day("2025-03-31")}},
			{Name: "q4", Share: -0.6, Period: civil.Period{From: day("2025-09-01"), To: day("2025-12-31")}}}},
			14.4, []norm.HoursPerWeek{-21.6}},
		{"all of casework to mentoring", norm.Contract{Hours: 36, Expertise: []norm.Adjustment{
			{Name: "a", Share: -0.3}, {Name: "b", Share: -0.3}, {Name: "c", Share: -0.4}}},
			0, []norm.HoursPerWeek{-10.8, -10.8, -14.4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := norm.Capacity(tt.c, at)
			require.NoError(t, err)
			assert.InDelta(t, float64(tt.want), float64(b.Available), 1e-9)
			assert.Equal(t, tt.c.Hours, b.Contract)
			got := make([]norm.HoursPerWeek, 0, len(b.Items))
			sum := b.Contract
			for _, it := range b.Items {
				got = append(got, it.Hours)
				sum += it.Hours
			}
			require.Len(t, got, len(tt.items))
			for i := range got {
				assert.InDelta(t, float64(tt.items[i]), float64(got[i]), 1e-9, "item %d", i)
			}
			assert.InDelta(t, float64(b.Available), float64(sum), 1e-9, "the breakdown adds up")
		})
	}
}

// TestOnboardingStartsAtZero: with StartShare 0 the start day is the
// first day of the ramp, at 0%, not a day before the worker started.
func TestOnboardingStartsAtZero(t *testing.T) {
	t.Parallel()
	c := norm.Contract{Hours: 36, Onboarding: norm.Onboarding{Start: day("2025-03-10"), StartShare: 0, Weeks: 2}}
	for _, tt := range []struct {
		at    string
		name  string
		hours norm.HoursPerWeek
	}{
		{"2025-03-09", "not started", 0},
		{"2025-03-10", "onboarding", 0},
		{"2025-03-17", "onboarding", 18}, // day 7 of 14
	} {
		b, err := norm.Capacity(c, day(tt.at))
		require.NoError(t, err)
		require.Len(t, b.Items, 1, tt.at)
		assert.Equal(t, norm.KindOnboarding, b.Items[0].Kind, tt.at)
		assert.Equal(t, tt.name, b.Items[0].Name, tt.at)
		assert.InDelta(t, float64(tt.hours), float64(b.Available), 1e-9, tt.at)
	}
}

// TestExpertiseOverlap: negative expertise shares are summed only where
// their periods overlap, checked at the start of each period.
func TestExpertiseOverlap(t *testing.T) {
	t.Parallel()
	q := func(from, to string) civil.Period {
		var p civil.Period
		if from != "" {
			p.From = day(from)
		}
		if to != "" {
			p.To = day(to)
		}
		return p
	}
	tests := []struct {
		name   string
		shares []norm.Adjustment
		bad    string // field of the ErrRange fault; "" for valid
	}{
		{"disjoint", []norm.Adjustment{{"a", -0.6, q("2025-01-01", "2025-03-31")}, {"b", -0.6, q("2025-09-01", "2025-12-31")}}, ""},
		{"touching ends", []norm.Adjustment{{"a", -0.6, q("2025-01-01", "2025-03-31")}, {"b", -0.6, q("2025-03-31", "")}},
			"Contract.Expertise[1].Share"},
		{"next day", []norm.Adjustment{{"a", -0.6, q("", "2025-03-31")}, {"b", -0.6, q("2025-04-01", "")}}, ""},
		{"open start overlaps later", []norm.Adjustment{{"a", -0.6, q("", "2025-06-30")}, {"b", -0.6, q("2025-04-01", "")}},
			"Contract.Expertise[1].Share"},
		{"both always", []norm.Adjustment{{"a", -0.6, q("", "")}, {"b", -0.6, q("", "")}}, "Contract.Expertise[0].Share"},
		// Three shares, pairwise overlapping but never all at once.
		{"chain", []norm.Adjustment{{"a", -0.6, q("2025-01-01", "2025-02-28")}, {"b", -0.4, q("2025-02-01", "2025-03-31")},
			{"c", -0.6, q("2025-03-01", "2025-04-30")}}, ""},
		{"chain with a bonus", []norm.Adjustment{{"a", -0.6, q("2025-01-01", "2025-02-28")}, {"b", 0.9, q("", "")},
			{"c", -0.6, q("2025-03-01", "2025-04-30")}}, ""},
		{"three at once", []norm.Adjustment{{"a", -0.5, q("2025-01-01", "2025-02-28")}, {"b", -0.3, q("2025-02-01", "2025-03-31")},
			{"c", -0.3, q("2025-02-15", "2025-04-30")}}, "Contract.Expertise[2].Share"},
		{"exactly -1", []norm.Adjustment{{"a", -0.3, q("", "")}, {"b", -0.3, q("", "")}, {"c", -0.4, q("", "")}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := norm.Contract{Worker: "ann", Hours: 36, Expertise: tt.shares}
			err := c.Validate()
			if tt.bad == "" {
				require.NoError(t, err)
				for d := day("2024-12-25"); d.Before(day("2025-05-10")); d = d.AddDays(1) {
					b, err := norm.Capacity(c, d)
					require.NoError(t, err)
					require.GreaterOrEqual(t, float64(b.Available), 0.0)
				}
				return
			}
			got := inputErrors(err)
			require.Len(t, got, 1, "%v", err)
			assert.Equal(t, tt.bad, got[0].Field)
			assert.ErrorIs(t, got[0], norm.ErrRange)
		})
	}
}

func TestCapacityBreakdownNames(t *testing.T) {
	t.Parallel()
	c := norm.Contract{
		Worker:     "ann",
		Hours:      36,
		SideDuties: []norm.SideDuty{{Name: "works council", Hours: 2}},
		Reductions: []norm.Reduction{
			{Reason: norm.ReasonLeave, Hours: 8, Period: civil.Period{From: day("2025-01-01"), To: day("2025-01-02")}},
			{Reason: norm.ReasonSickness, Hours: 40},
		},
		Onboarding: norm.Onboarding{Start: day("2024-12-01"), StartShare: 0.5, Weeks: 52},
	}
	b, err := norm.Capacity(c, day("2025-01-01"))
	require.NoError(t, err)
	assert.Equal(t, "ann", b.Worker)
	assert.Equal(t, []norm.Item{
		{Kind: norm.KindSideDuty, Index: 0, Name: "works council", Wanted: -2, Hours: -2},
		{Kind: norm.KindReduction, Index: 0, Name: "leave", Wanted: -8, Hours: -8},
		{Kind: norm.KindReduction, Index: 1, Name: "sickness", Wanted: -40, Hours: -26},
		{Kind: norm.KindOnboarding, Name: "onboarding", Wanted: 0, Hours: 0},
	}, b.Items, "the ramp is listed even when nothing is left for it to change")
	assert.Zero(t, b.Available)
	assert.InDelta(t, 0.5+0.5*31/364.0, b.Onboarding, 1e-12)
}

// TestCapacityReductionEnds pins the inclusive end: a sick leave ending on
// Sunday 16 March still applies that day and no longer on Monday 17 March.
func TestCapacityReductionEnds(t *testing.T) {
	t.Parallel()
	c := norm.Contract{Hours: 36, Reductions: []norm.Reduction{{Reason: norm.ReasonSickness, Percent: 100,
		Period: civil.Period{From: day("2025-03-03"), To: day("2025-03-16")}}}}
	steps := []struct {
		at   string
		want norm.HoursPerWeek
	}{
		{"2025-03-02", 36},
		{"2025-03-03", 0},
		{"2025-03-16", 0},
		{"2025-03-17", 36},
	}
	for _, s := range steps {
		b, err := norm.Capacity(c, day(s.at))
		require.NoError(t, err)
		assert.Equal(t, s.want, b.Available, s.at)
	}
}

func TestCapacityErrors(t *testing.T) {
	t.Parallel()
	c := norm.Contract{
		Worker:     "ann",
		Hours:      -1,
		SideDuties: []norm.SideDuty{{Hours: 2}},
		Reductions: []norm.Reduction{
			{Reason: norm.ReasonSickness, Percent: 120},
			{Reason: norm.ReasonLeave, Percent: 10, Hours: 4},
			{Reason: norm.ReasonTraining, Period: civil.Period{From: day("2025-02-01"), To: day("2025-01-01")}},
			{Reason: norm.ReasonUnionTime, Hours: norm.HoursPerWeek(nan())},
		},
		Expertise:  []norm.Adjustment{{Name: "a", Share: -0.6}, {Name: "b", Share: -0.6}},
		Onboarding: norm.Onboarding{StartShare: 0.5, Weeks: -1},
	}
	_, err := norm.Capacity(c, civil.Date{})
	require.Error(t, err)
	want := []struct {
		field    string
		sentinel error
	}{
		{"Contract.Hours", norm.ErrNegative},
		{"Contract.SideDuties[0].Name", norm.ErrMissing},
		{"Contract.Reductions[0].Percent", norm.ErrRange},
		{"Contract.Reductions[1]", norm.ErrAmbiguous},
		{"Contract.Reductions[2].Period", norm.ErrBadPeriod},
		{"Contract.Reductions[3].Hours", norm.ErrNotFinite},
		{"Contract.Expertise[0].Share", norm.ErrRange},
		{"Contract.Onboarding.Start", norm.ErrMissing},
		{"Contract.Onboarding.Weeks", norm.ErrNegative},
		{"At", norm.ErrMissing},
	}
	got := inputErrors(err)
	fields := make([]string, len(got))
	for i, e := range got {
		fields[i] = e.Field
		assert.Regexp(t, `^norm: `, e.Error())
	}
	for _, w := range want {
		assert.Contains(t, fields, w.field)
		for _, e := range got {
			if e.Field == w.field {
				assert.ErrorIs(t, e, w.sentinel, w.field)
			}
		}
	}
	assert.Len(t, got, len(want), "every fault, each once: %v", fields)
	assert.ErrorIs(t, err, norm.ErrAmbiguous)
	var ie *norm.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, `norm: Contract.Reductions[0].Percent ("sickness"): value out of range`,
		inputErrors(err)[2].Error())
}

// inputErrors unpacks a joined error into its input errors.
func inputErrors(err error) []*norm.InputError {
	var out []*norm.InputError
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			var ie *norm.InputError
			if errors.As(e, &ie) {
				out = append(out, ie)
			}
		}
	}
	return out
}

func TestFTEAndPoints(t *testing.T) {
	t.Parallel()
	assert.InDelta(t, 32.0/36, float64(norm.HoursToFTE(32, 36)), 1e-12)
	assert.Zero(t, norm.HoursToFTE(32, 0), "no full-time week, no FTE")
	assert.Zero(t, norm.HoursToFTE(norm.HoursPerWeek(nan()), 36))
	assert.InDelta(t, 27.0, float64(norm.FTE(0.75).Hours(36)), 1e-12)
	assert.Equal(t, "0.89 FTE", norm.HoursToFTE(32, 36).String())
	assert.Equal(t, "32.0 h/wk", norm.HoursPerWeek(32).String())
}
