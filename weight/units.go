package weight

import (
	"math"
	"strconv"
)

// HoursPerWeek is an amount of work in hours per week. A zero HoursPerWeek
// means no work.
type HoursPerWeek float64

// String formats h with one decimal, e.g. "3.5 h/wk".
func (h HoursPerWeek) String() string {
	return strconv.FormatFloat(float64(h), 'f', 1, 64) + " h/wk"
}

// Severity is a case's emotional and safety load ("zwaarte") in points on
// a scale the organisation chooses. It is kept apart from hours because
// busy-ness numbers miss it. A zero Severity means no particular load.
type Severity float64

// String formats s with one decimal, e.g. "3.0 sev".
func (s Severity) String() string {
	return strconv.FormatFloat(float64(s), 'f', 1, 64) + " sev"
}

// finite reports whether x is neither NaN nor infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// checkAmount adds a fault when x is not finite or is negative.
func checkAmount(f *faults, field, name string, x float64) {
	switch {
	case !finite(x):
		f.add(field, name, ErrNotFinite)
	case x < 0:
		f.add(field, name, ErrNegative)
	}
}
