package balance

import (
	"math"
	"strconv"
)

// HoursPerWeek is an amount of work or capacity in hours per week.
// A zero HoursPerWeek means none.
type HoursPerWeek float64

// String formats h with one decimal, as "31.5 h/wk".
func (h HoursPerWeek) String() string {
	return strconv.FormatFloat(float64(h), 'f', 1, 64) + " h/wk"
}

// Shares counts cases against a caseload norm: a case counts one share
// unless it says otherwise ([Case.Share]), so that a mixed caseload in
// which some cases count as part of one adds up. Package norm computes
// shares of the same meaning.
type Shares float64

// String formats s with up to two decimals, as "27.75 shares".
func (s Shares) String() string {
	return strconv.FormatFloat(math.Round(float64(s)*100)/100, 'f', -1, 64) + " shares"
}

// CaseloadNorm returns a pointer to a caseload norm of n shares, for
// [Worker.CaseloadNorm], whose nil value means "no limit".
func CaseloadNorm(n Shares) *Shares { return &n }
