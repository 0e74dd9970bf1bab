package norm_test

import (
	"testing"

	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/norm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestAbsences(t *testing.T) {
	t.Parallel()
	p := func(from, to string) civil.Period {
		var q civil.Period
		if from != "" {
			q.From = day(from)
		}
		if to != "" {
			q.To = day(to)
		}
		return q
	}
	c := norm.Contract{Worker: "ann", Hours: 36, Reductions: []norm.Reduction{
		{Reason: norm.ReasonNonClient, Percent: 15},                                              // standing: not an absence
		{Reason: norm.ReasonSickness, Percent: 100, Period: p("2025-03-03", "2025-03-16")},       // ...
		{Reason: norm.ReasonLeave, Percent: 100, Period: p("2025-03-17", "2025-03-23")},          // adjacent: one absence
		{Reason: norm.ReasonLeave, Percent: 100, Cap: 10, Period: p("2025-05-01", "2025-05-31")}, // capped: 10 of 36 hours
		// 15% + 50% + 50% take all the hours on 4 to 6 June only.
		{Reason: norm.ReasonUnionTime, Percent: 50, Period: p("2025-06-02", "2025-06-06")},
		{Reason: norm.ReasonSickness, Percent: 50, Period: p("2025-06-04", "2025-06-13")},
		{Reason: norm.ReasonTraining, Hours: 40, Period: p("2025-09-01", "2025-09-01")}, // 40 of 36 hours
		{Reason: norm.ReasonParentalLeave, Percent: 100, Period: p("2025-10-01", "")},   // no known end
		{Reason: norm.ReasonSickness, Percent: 100, Period: p("", "2025-01-10")},        // since before records
		{Reason: norm.ReasonLeave, Percent: 100, Period: p("2025-10-20", "2025-10-24")}, // within the parental leave
	}}
	require.NoError(t, c.Validate())
	want := []civil.Period{
		p("", "2025-01-10"),
		p("2025-03-03", "2025-03-23"),
		p("2025-06-04", "2025-06-06"),
		p("2025-09-01", "2025-09-01"),
		p("2025-10-01", ""),
	}
	assert.Equal(t, want, c.Absences())
	for _, tt := range []struct {
		at     string
		absent bool
	}{
		{"2024-06-01", true}, {"2025-01-10", true}, {"2025-01-11", false},
		{"2025-03-02", false}, {"2025-03-03", true}, {"2025-03-17", true}, {"2025-03-23", true}, {"2025-03-24", false},
		{"2025-05-15", false},
		{"2025-06-03", false}, {"2025-06-04", true}, {"2025-06-06", true}, {"2025-06-07", false},
		{"2025-08-31", false}, {"2025-09-01", true}, {"2025-09-02", false},
		{"2025-09-30", false}, {"2025-10-01", true}, {"9999-12-31", true},
	} {
		assert.Equal(t, tt.absent, c.AbsentOn(day(tt.at)), tt.at)
		b, err := norm.Capacity(c, day(tt.at))
		require.NoError(t, err)
		if tt.absent {
			assert.Zero(t, b.Available, tt.at)
		} else {
			assert.Positive(t, float64(b.Available), tt.at)
		}
	}
	assert.False(t, c.AbsentOn(civil.Date{}), "the zero Date is no day")

	assert.Nil(t, norm.Contract{Hours: 36}.Absences())
	always := norm.Contract{Hours: 36, Reductions: []norm.Reduction{{Reason: norm.ReasonSickness, Percent: 100}}}
	assert.Equal(t, []civil.Period{{}}, always.Absences(), "sick with no known start or end: always")

	// A contract of no hours is absent only under a reduction of 100% or
	// of fixed hours; a percentage of nothing takes nothing.
	zero := norm.Contract{Reductions: []norm.Reduction{
		{Reason: norm.ReasonTraining, Percent: 10},
		{Reason: norm.ReasonSickness, Percent: 100, Period: p("2025-03-03", "2025-03-16")},
	}}
	assert.Equal(t, []civil.Period{p("2025-03-03", "2025-03-16")}, zero.Absences())
}

// TestAbsencesProperties: AbsentOn(d) holds exactly when one of
// Absences() contains d; an absent worker has no casework capacity; and
// Absences() are valid, sorted by start, and neither overlap nor touch.
func TestAbsencesProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		c := contractGen(true).Draw(t, "contract")
		abs := c.Absences()
		for i, a := range abs {
			require.NoError(t, a.Check())
			if i > 0 {
				prev := abs[i-1]
				require.False(t, prev.To.IsZero(), "only the last absence is open at the end")
				require.False(t, a.From.IsZero(), "only the first absence is open at the start")
				require.Greater(t, a.From.Sub(prev.To), 1, "absences %v and %v touch or overlap", prev, a)
			}
		}
		// Dates on and next to the ends of every reduction, and anywhere.
		dates := []civil.Date{dateGen().Draw(t, "at"), minDate, maxDate}
		for _, r := range c.Reductions {
			for _, d := range []civil.Date{r.Period.From, r.Period.To} {
				if !d.IsZero() {
					dates = append(dates, d.AddDays(-1), d, d.AddDays(1))
				}
			}
		}
		for _, d := range dates {
			in := false
			for _, a := range abs {
				in = in || a.Contains(d)
			}
			require.Equal(t, in, c.AbsentOn(d), "%s in %v", d, abs)
			if in {
				b, err := norm.Capacity(c, d)
				require.NoError(t, err)
				require.Zero(t, b.Available, "absent on %s", d)
			}
		}
	})
}
