package norm

import (
	"math"
	"strconv"
)

// PointsPerWeek is an amount of work or capacity in points per week, the
// unit of points schemes such as the Workload Measurement Tool of HM
// Prison and Probation Service. A zero PointsPerWeek means none.
type PointsPerWeek float64

// String returns p truncated to whole points, as the Workload
// Measurement Tool shows available points, e.g. "940 pt/wk" for 940.97
// points. The value itself keeps its fraction; see [PointsPerWeek.Truncate].
func (p PointsPerWeek) String() string {
	return strconv.FormatFloat(float64(p.Truncate()), 'f', 0, 64) + " pt/wk"
}

// Truncate returns p without its fraction of a point, towards zero, as
// the Workload Measurement Tool counts available points: 940.97 points
// give 940, not the 941 that rounding would give. A value within a
// relative 1e-12 below a whole number counts as that number, so that
// 37 hours on a scale of 2,176 points per 37 hours is 2,176 points
// whatever the floating-point rounding on the way.
func (p PointsPerWeek) Truncate() PointsPerWeek {
	x := float64(p)
	if !isFinite(x) {
		return p
	}
	t := math.Trunc(math.Abs(x) + wholeTolerance*math.Max(1, math.Abs(x)))
	return PointsPerWeek(math.Copysign(t, x))
}

// wholeTolerance is the relative distance below a whole number at which
// [PointsPerWeek.Truncate] counts a value as that number: far above the
// rounding error of a conversion, far below a point's fraction anyone
// enters.
const wholeTolerance = 1e-12

// A PointsScale converts between hours and points per week: Points points
// per week correspond to Hours hours per week. The Workload Measurement
// Tool of HM Prison and Probation Service counts a nominal target of
// 2,176 points for a probation officer's 37-hour week. The conversion is
// linear and exact; [PointsPerWeek.Truncate] and [PointsPerWeek.String]
// give the whole points the tool shows, which it truncates rather than
// rounds.
type PointsScale struct {
	Points PointsPerWeek `json:"points"` // points per week of the reference week; must be positive
	Hours  HoursPerWeek  `json:"hours"`  // hours of the reference week; must be positive
}

// Validate reports whether s can convert: both fields finite and
// positive. Its faults are [*InputError] values wrapping [ErrNotFinite],
// [ErrNegative] or [ErrMissing] (for a zero field).
func (s PointsScale) Validate() error {
	var f faults
	s.validate(&f, top("PointsScale"))
	return f.err()
}

func (s PointsScale) validate(f *faults, at where) {
	for _, c := range []struct {
		name string
		x    float64
	}{{".Points", float64(s.Points)}, {".Hours", float64(s.Hours)}} {
		f.amount(at, c.name, "", c.x)
		if c.x == 0 {
			f.add(at, c.name, "", ErrMissing)
		}
	}
}

// ToPoints converts h hours per week to points per week, exactly:
// h × Points / Hours, without truncation. It errors, returning zero, when
// s is not valid (see [PointsScale.Validate]), h is negative
// ([ErrNegative], field "hours") or not finite ([ErrNotFinite]), or the
// points overflow a float64 ([ErrRange]). Hours above a week's 168 are
// accepted: a team's hours may be converted too.
func (s PointsScale) ToPoints(h HoursPerWeek) (PointsPerWeek, error) {
	x, err := s.convert(float64(h), "hours", float64(s.Points), float64(s.Hours))
	return PointsPerWeek(x), err
}

// ToHours converts p points per week to hours per week, exactly:
// p × Hours / Points. It errors, returning zero, when s is not valid, p is
// negative ([ErrNegative], field "points") or not finite
// ([ErrNotFinite]), or the hours overflow a float64 ([ErrRange]).
func (s PointsScale) ToHours(p PointsPerWeek) (HoursPerWeek, error) {
	x, err := s.convert(float64(p), "points", float64(s.Hours), float64(s.Points))
	return HoursPerWeek(x), err
}

// convert returns x × num / den after validating s and x.
func (s PointsScale) convert(x float64, field string, num, den float64) (float64, error) {
	var f faults
	s.validate(&f, top("PointsScale"))
	f.amount(top(field), "", "", x)
	if err := f.err(); err != nil {
		return 0, err
	}
	y := x * num / den
	if !isFinite(y) {
		y = x * (num / den) // x × num may overflow where the result does not
	}
	if !isFinite(y) {
		return 0, &InputError{Field: field, Err: ErrRange}
	}
	return y, nil
}
