package norm_test

import (
	"math"
	"strconv"
	"testing"

	"github.com/caseload/caseload/norm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wmt is the scale of the Workload Measurement Tool of HM Prison and
// Probation Service: 2,176 points for a 37-hour week.
var wmt = norm.PointsScale{Points: 2176, Hours: 37}

func TestPointsScale(t *testing.T) {
	t.Parallel()
	require.NoError(t, wmt.Validate())
	tests := []struct {
		name  string
		hours norm.HoursPerWeek
		exact float64 // hours × 2176/37
		whole norm.PointsPerWeek
	}{
		// 37 h with a 1.8 h reduction and 30 h with the same reduction:
		// 2070 and 1658 available points in the tool.
		{"full time less 1.8 h", 37 - 1.8, 2070.1405, 2070},
		{"30 h less 1.8 h", 30 - 1.8, 1658.4649, 1658},
		// 16 × 2176/37 = 940.97: the tool truncates to 940 where
		// rounding would show 941.
		{"truncated, not rounded", 16, 940.9730, 940},
		{"full time", 37, 2176, 2176},
		{"half time", 18.5, 1088, 1088},
		{"none", 0, 0, 0},
		// 100 × 2176/37 is 5881.08; a team's hours may exceed a week's.
		{"a team", 100, 5881.0811, 5881},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := wmt.ToPoints(tt.hours)
			require.NoError(t, err)
			assert.InDelta(t, tt.exact, float64(p), 1e-4)
			assert.Equal(t, tt.whole, p.Truncate())
			assert.Equal(t, strconv.FormatFloat(float64(tt.whole), 'f', 0, 64)+" pt/wk", p.String(), "people see the truncated figure")
			h, err := wmt.ToHours(p)
			require.NoError(t, err)
			assert.InDelta(t, float64(tt.hours), float64(h), 1e-9, "back to hours")
		})
	}
	// Points that are whole up to rounding error stay whole: 0.1 × 37
	// hours is not exactly 3.7 in binary, yet gives 217.6 points.
	for k := range 371 {
		h := norm.HoursPerWeek(float64(k) * 0.1)
		p, err := wmt.ToPoints(h)
		require.NoError(t, err)
		want := math.Floor(float64(k)*2176/370 + 1e-9) // k × 217.6 / 37, whole points
		assert.Equal(t, norm.PointsPerWeek(want), p.Truncate(), "%v h", h)
	}

	// Wirral: 100 points for a full-time week; a newly qualified worker 90.
	wirral := norm.PointsScale{Points: 100, Hours: 37}
	h, err := wirral.ToHours(90)
	require.NoError(t, err)
	assert.InDelta(t, 33.3, float64(h), 1e-9)
}

func TestPointsScaleErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		s        norm.PointsScale
		x        float64 // hours for ToPoints, points for ToHours
		field    string
		sentinel error
	}{
		{"negative hours", wmt, -1, "hours", norm.ErrNegative},
		{"NaN hours", wmt, math.NaN(), "hours", norm.ErrNotFinite},
		{"infinite hours", wmt, math.Inf(1), "hours", norm.ErrNotFinite},
		{"negative infinite hours", wmt, math.Inf(-1), "hours", norm.ErrNotFinite},
		{"overflow", wmt, math.MaxFloat64, "hours", norm.ErrRange},
		{"no scale", norm.PointsScale{Points: 2176}, 37, "PointsScale.Hours", norm.ErrMissing},
		{"negative scale", norm.PointsScale{Points: -2176, Hours: 37}, 37, "PointsScale.Points", norm.ErrNegative},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := tt.s.ToPoints(norm.HoursPerWeek(tt.x))
			require.ErrorIs(t, err, tt.sentinel)
			var ie *norm.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.field, ie.Field)
			assert.Zero(t, p)

			field := tt.field
			if field == "hours" {
				field = "points"
			}
			h, err := tt.s.ToHours(norm.PointsPerWeek(tt.x))
			if tt.name == "overflow" { // MaxFloat64 points × 37/2176 is finite
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tt.sentinel)
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, field, ie.Field)
			assert.Zero(t, h)
		})
	}
	_, err := norm.PointsScale{Points: 1e-300, Hours: 1e300}.ToHours(1e300)
	assert.ErrorIs(t, err, norm.ErrRange, "hours overflow")
}
