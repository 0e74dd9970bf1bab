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

// micro is the number of fixed-point units in one hour, or in one case
// share. Loads and shares are summed exactly in these units, so that a
// sum does not depend on the order of the cases.
const micro = 1e6

// toMicro converts hours (or shares) to fixed-point units, rounding to
// the nearest unit. v must be finite and at most maxHours.
func toMicro(v float64) int64 { return int64(math.Round(v * micro)) }

// fromMicro converts fixed-point units back to hours or shares.
func fromMicro(u int64) float64 { return float64(u) / micro }

// capSlack is the tolerance, in micro-hours, with which a capacity of
// capM micro-hours is held: one micro-hour plus one part per million.
// Weights and capacities computed in floating point round to
// micro-hours one by one, so thirty cases of 4×12/52 h/wk sum to a few
// micro-hours more than the 120×12/52 h/wk they fill exactly; such a
// worker is full, not over.
func capSlack(capM int64) int64 { return 1 + capM/1_000_000 }

// normSlack is the tolerance, in micro-shares, with which a caseload
// norm is held: shares such as 1/21 do not add up exactly.
const normSlack = 100

// overCapacity reports whether a load of load micro-hours is above
// capacity, beyond [capSlack].
func overCapacity(load int64, capacity HoursPerWeek) bool {
	capM := toMicro(float64(capacity))
	return load > capM+capSlack(capM)
}

// utilization returns a load of load micro-hours as a fraction of
// capacity: exactly 1 when the load is within [capSlack] of it, and 0
// without capacity.
func utilization(load int64, capacity HoursPerWeek) float64 {
	if capacity <= 0 {
		return 0
	}
	capM := toMicro(float64(capacity))
	if d := load - capM; -capSlack(capM) <= d && d <= capSlack(capM) {
		return 1
	}
	return fromMicro(load) / float64(capacity)
}
