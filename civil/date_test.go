package civil_test

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestDateAgreesWithTime(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		// Years 1 to about 4200: 730119 days lie from 0001-01-01 to
		// 2000-01-01.
		n := rapid.IntRange(-730119, 800000).Draw(t, "days")
		base := time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)
		want := base.AddDate(0, 0, n)
		got := day("2000-01-01").AddDays(n)
		y, m, d := got.Date()
		wy, wm, wd := want.Date()
		assert.Equal(t, []int{wy, int(wm), wd}, []int{y, int(m), d})
		assert.Equal(t, want.Weekday(), got.Weekday())
		assert.Equal(t, want, got.Time())
		assert.Equal(t, n, got.Sub(day("2000-01-01")))
		assert.Equal(t, got, civil.DateOf(want))
	})
}

func TestDateText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
		ok   bool
	}{
		{"plain", "2025-03-16", "2025-03-16", true},
		{"leap day", "2024-02-29", "2024-02-29", true},
		{"no leap day in 2025", "2025-02-29", "", false},
		{"no leap day in 2100", "2100-02-29", "", false},
		{"leap day in 2000", "2000-02-29", "2000-02-29", true},
		{"time of day", "2025-03-16T10:00:00Z", "", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := civil.ParseDate(tt.in)
			if !tt.ok {
				assert.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, d.String())
		})
	}
}

func TestDateJSON(t *testing.T) {
	t.Parallel()
	type doc struct {
		D civil.Date `json:"d"`
		Z civil.Date `json:"z,omitzero"`
	}
	b, err := json.Marshal(doc{D: day("2024-02-29")})
	require.NoError(t, err)
	assert.JSONEq(t, `{"d":"2024-02-29"}`, string(b))

	var got doc
	require.NoError(t, json.Unmarshal([]byte(`{"d":"2025-01-01","z":null}`), &got))
	assert.Equal(t, day("2025-01-01"), got.D)
	assert.True(t, got.Z.IsZero())
	require.NoError(t, json.Unmarshal([]byte(`{"d":""}`), &got))
	assert.True(t, got.D.IsZero())
	assert.Error(t, json.Unmarshal([]byte(`{"d":"2025-02-30"}`), &got))
	assert.Error(t, json.Unmarshal([]byte(`{"d":20250101}`), &got))

	b, err = json.Marshal(doc{D: civil.NewDate(10000, 1, 1)}) // clamped
	require.NoError(t, err)
	assert.JSONEq(t, `{"d":"9999-12-31"}`, string(b))
	assert.Error(t, json.Unmarshal([]byte(`{"d":"0000-12-31"}`), &got))
}

// TestDateRange holds every way of making a Date to years 1 to 9999:
// NewDate and AddDays clamp, ParseDate rejects, and none of them gives
// the zero Date from a set one.
func TestDateRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		got  civil.Date
		want string
	}{
		{"year 0", civil.NewDate(0, 12, 31), "0001-01-01"},
		{"day before year 1", civil.NewDate(1, 1, 0), "0001-01-01"},
		{"year 1", civil.NewDate(1, 1, 1), "0001-01-01"},
		{"month 13 of year 0", civil.NewDate(0, 13, 1), "0001-01-01"},
		{"year 9999", civil.NewDate(9999, 12, 31), "9999-12-31"},
		{"day after year 9999", civil.NewDate(9999, 12, 32), "9999-12-31"},
		{"day 0 of year 10000", civil.NewDate(10000, 1, 0), "9999-12-31"},
		{"year 6 million, once wrapped int32", civil.NewDate(6_000_000, 1, 1), "9999-12-31"},
		{"largest int year", civil.NewDate(math.MaxInt, 1, 1), "9999-12-31"},
		{"smallest int year", civil.NewDate(math.MinInt, 1, 1), "0001-01-01"},
		{"largest int day", civil.NewDate(2025, 1, math.MaxInt), "9999-12-31"},
		{"smallest int month", civil.NewDate(2025, math.MinInt, 1), "0001-01-01"},
		{"smallest int day", civil.NewDate(2025, 1, math.MinInt), "0001-01-01"},
		// 2^30 years later and 12 × 2^30 months earlier is 2025-03-01,
		// computed exactly although the arguments are huge.
		{"huge arguments cancel", civil.NewDate(2025+1<<30, time.Month(3-12<<30), 1), "2025-03-01"},
		{"month 0", civil.NewDate(2025, 0, 1), "2024-12-01"},
		{"leap day normalized", civil.NewDate(2025, 2, 29), "2025-03-01"},
		{"AddDays max int32", day("2025-01-01").AddDays(math.MaxInt32), "9999-12-31"},
		{"AddDays max int", day("2025-01-01").AddDays(math.MaxInt), "9999-12-31"},
		{"AddDays min int", day("2025-01-01").AddDays(math.MinInt), "0001-01-01"},
		{"AddDays past the end", maxDate.AddDays(1), "9999-12-31"},
		{"AddDays before the start", minDate.AddDays(-1), "0001-01-01"},
		{"AddDays to the end", day("9999-12-30").AddDays(1), "9999-12-31"},
		{"DateOf a far year", civil.DateOf(time.Date(-50000, 1, 1, 0, 0, 0, 0, time.UTC)), "0001-01-01"},
		{"zero stays zero", civil.Date{}.AddDays(5), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.got.String())
		})
	}
	for _, s := range []string{"0000-12-31", "0000-01-01", "10000-01-01", "-001-01-01"} {
		_, err := civil.ParseDate(s)
		assert.Error(t, err, s)
	}
	assert.Equal(t, time.Monday, minDate.Weekday()) // proleptic Gregorian 0001-01-01
	assert.Equal(t, time.Friday, maxDate.Weekday()) // as time.Date says
}

// TestNewDateAgreesWithTime normalizes as time.Date does, clamped to
// years 1 to 9999, for years far beyond that range and for arguments
// past 2^20, where NewDate takes its exact slow path.
func TestNewDateAgreesWithTime(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		y := rapid.OneOf(rapid.IntRange(-3, 10003), rapid.IntRange(-5_000_000, 5_000_000)).Draw(t, "year")
		m := rapid.OneOf(rapid.IntRange(-14, 26), rapid.IntRange(-3_000_000, 3_000_000)).Draw(t, "month")
		d := rapid.OneOf(rapid.IntRange(-400, 400), rapid.IntRange(-4_000_000, 4_000_000)).Draw(t, "day")
		tm := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		want := minDate
		switch {
		case tm.Year() > 9999:
			want = maxDate
		case tm.Year() >= 1:
			want = civil.DateOf(tm)
			assert.Equal(t, tm, want.Time())
		}
		assert.Equal(t, want, civil.NewDate(y, time.Month(m), d), "%d-%d-%d is %v", y, m, d, tm)
	})
}

// TestDateJSONAllDates: every Date that can be made survives a JSON
// round trip, including the first and last and the leap days between.
func TestDateJSONAllDates(t *testing.T) {
	t.Parallel()
	span := maxDate.Sub(minDate)
	rapid.Check(t, func(t *rapid.T) {
		d := minDate.AddDays(rapid.OneOf(rapid.IntRange(0, span),
			rapid.IntRange(0, 800), rapid.IntRange(span-800, span)).Draw(t, "days"))
		b, err := json.Marshal(d)
		require.NoError(t, err)
		var got civil.Date
		require.NoError(t, json.Unmarshal(b, &got), "%s", b)
		assert.Equal(t, d, got, "%s", b)
		p, err := civil.ParseDate(d.String())
		require.NoError(t, err)
		assert.Equal(t, d, p)
	})
}

func TestPeriodIncludesBothEnds(t *testing.T) {
	t.Parallel()
	p := civil.Period{From: day("2025-03-03"), To: day("2025-03-16")}
	tests := []struct {
		at   string
		want bool
	}{
		{"2025-03-02", false},
		{"2025-03-03", true},
		{"2025-03-16", true},
		{"2025-03-17", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, p.Contains(day(tt.at)), tt.at)
	}
	assert.Equal(t, 14, p.Days())
	assert.True(t, civil.Period{}.Contains(day("1900-01-01")), "the zero period is always")
	assert.True(t, civil.Period{To: day("2025-01-01")}.Contains(day("1900-01-01")))
	assert.False(t, civil.Period{From: day("2025-01-01")}.Contains(day("2024-12-31")))
	assert.Equal(t, 0, civil.Period{From: day("2025-01-01")}.Days())
}
