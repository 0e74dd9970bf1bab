package norm_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/caseload/caseload/norm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestDateAgreesWithTime(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(-800000, 800000).Draw(t, "days") // years about -200 to 4200
		base := time.Date(2000, time.January, 1, 0, 0, 0, 0, time.UTC)
		want := base.AddDate(0, 0, n)
		got := day("2000-01-01").AddDays(n)
		y, m, d := got.Date()
		wy, wm, wd := want.Date()
		assert.Equal(t, []int{wy, int(wm), wd}, []int{y, int(m), d})
		assert.Equal(t, want.Weekday(), got.Weekday())
		assert.Equal(t, want, got.Time())
		assert.Equal(t, n, got.Sub(day("2000-01-01")))
		assert.Equal(t, got, norm.DateOf(want))
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
			d, err := norm.ParseDate(tt.in)
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
		D norm.Date `json:"d"`
		Z norm.Date `json:"z,omitzero"`
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

	_, err = json.Marshal(doc{D: norm.NewDate(10000, 1, 1)})
	assert.Error(t, err)
}

func TestPeriodIncludesBothEnds(t *testing.T) {
	t.Parallel()
	p := norm.Period{From: day("2025-03-03"), To: day("2025-03-16")}
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
	assert.True(t, norm.Period{}.Contains(day("1900-01-01")), "the zero period is always")
	assert.True(t, norm.Period{To: day("2025-01-01")}.Contains(day("1900-01-01")))
	assert.False(t, norm.Period{From: day("2025-01-01")}.Contains(day("2024-12-31")))
	assert.Equal(t, 0, norm.Period{From: day("2025-01-01")}.Days())
}
