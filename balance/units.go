package balance

import "strconv"

// HoursPerWeek is an amount of work or capacity in hours per week.
// A zero HoursPerWeek means none.
type HoursPerWeek float64

// String formats h with one decimal, as "31.5 h/wk".
func (h HoursPerWeek) String() string {
	return strconv.FormatFloat(float64(h), 'f', 1, 64) + " h/wk"
}

// Limit returns a pointer to n, for [Worker.CaseloadNorm], whose nil
// value means "no limit".
func Limit(n float64) *float64 { return &n }
