package norm

import "strconv"

// PointsPerWeek is an amount of work or capacity in points per week, the
// unit of points schemes such as the probation Workload Measurement Tool.
// A zero PointsPerWeek means none.
type PointsPerWeek float64

// String returns p rounded to a whole number, e.g. "2176 pt/wk".
func (p PointsPerWeek) String() string {
	return strconv.FormatFloat(float64(p), 'f', 0, 64) + " pt/wk"
}

// A PointsScale converts between hours and points per week: Points points
// per week correspond to Hours hours per week. The UK probation Workload
// Measurement Tool uses 2,176 points for a 37-hour week
// (ministryofjustice/hmpps-workload V1_1__SEED_REF_DATA.sql,
// nominal_target_po; see research/wmt.md §1.3). The conversion is linear
// and does not truncate, unlike that tool, which rounds available points
// down to a whole number.
type PointsScale struct {
	Points PointsPerWeek `json:"points"` // points per week of the reference week; must be positive
	Hours  HoursPerWeek  `json:"hours"`  // hours of the reference week; must be positive
}

// Validate reports whether s can convert: both fields finite and positive.
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

// ToPoints converts hours per week to points per week. It returns zero
// when s is not valid.
func (s PointsScale) ToPoints(h HoursPerWeek) PointsPerWeek {
	if !s.ok() || !isFinite(float64(h)) {
		return 0
	}
	return PointsPerWeek(finite(float64(h) * float64(s.Points) / float64(s.Hours)))
}

// ToHours converts points per week to hours per week. It returns zero
// when s is not valid.
func (s PointsScale) ToHours(p PointsPerWeek) HoursPerWeek {
	if !s.ok() || !isFinite(float64(p)) {
		return 0
	}
	return HoursPerWeek(finite(float64(p) * float64(s.Hours) / float64(s.Points)))
}

func (s PointsScale) ok() bool {
	return s.Points > 0 && s.Hours > 0 && isFinite(float64(s.Points)) && isFinite(float64(s.Hours))
}
