package norm

import (
	"math"
	"slices"

	"github.com/caseload/caseload/civil"
)

// Absences returns the periods in which c's reductions take away all of
// its contract hours, sorted by start, with overlapping and adjacent
// periods merged and open ends kept open. The result is in the calendar
// type that package balance takes, so glue code can write
//
//	balance.Worker{Capacity: ..., Absences: c.Absences()}
//
// and enter leave and sickness once, as reductions. It returns nil when
// c has no absence.
//
// An absence is an absence from casework, whatever its reason: on a day
// where the reductions in force together take away at least the contract
// hours (a sick leave at 100%, a leave of as many hours as the contract,
// or 50% union time beside 50% sickness), the worker can neither take
// nor work cases, and that is what balance needs to know. So a week of
// full-time training, union secondment or 100% non-client time counts as
// well as sickness, leave and parental leave; the reason stays in the
// contract, for the [Breakdown]. The reductions are applied as
// [Capacity] applies them: to the contract hours, in list order, each
// capped at what is left. A reduction whose Cap leaves hours over does
// not take them all. A contract of zero hours is absent while a
// reduction of 100% or of positive Hours is in force. Zero capacity for
// other reasons (side duties that fill the week, an onboarding not yet
// started, negative expertise shares) is not an absence: it is a
// capacity of zero, which balance reads from [Capacity].
//
// Absences reads c as given; validate it first, as Capacity does. Its
// cost is O(k²) for k reductions.
func (c Contract) Absences() []civil.Period {
	// Whether the worker is absent changes only where a reduction starts
	// or ends, so evaluate each stretch between those days once.
	starts := []int32{math.MinInt32}
	for _, r := range c.Reductions {
		if !r.asks(float64(c.Hours)) {
			continue
		}
		s := spanOf(r.Period)
		if s.from != math.MinInt32 {
			starts = append(starts, s.from)
		}
		if s.to != math.MaxInt32 {
			starts = append(starts, s.to+1)
		}
	}
	slices.Sort(starts)
	starts = slices.Compact(starts)
	var out []civil.Period
	open := false // whether out's last period runs into the current stretch
	for i, from := range starts {
		to := int32(math.MaxInt32)
		if i+1 < len(starts) {
			to = starts[i+1] - 1
		}
		switch {
		case !c.absent(from):
			open = false
		case open:
			out[len(out)-1].To = dateOfDay(to, true)
		default:
			out = append(out, civil.Period{From: dateOfDay(from, false), To: dateOfDay(to, true)})
			open = true
		}
	}
	return out
}

// AbsentOn reports whether c's reductions take away all of its contract
// hours on d, that is whether one of [Contract.Absences] contains d; see
// there for what counts. Then [Capacity] is zero on d. The zero Date is
// no day: AbsentOn returns false. Its cost is linear in the number of
// reductions.
func (c Contract) AbsentOn(d civil.Date) bool {
	if d.IsZero() {
		return false
	}
	return c.absent(dayNumber(d))
}

// absent reports whether the reductions in force on day, applied to the
// contract hours as [Capacity] applies them, leave nothing, and at least
// one of them asks for time.
func (c Contract) absent(day int32) bool {
	h := float64(c.Hours)
	left, asked := h, false
	for _, r := range c.Reductions {
		if !spanOf(r.Period).contains(day) {
			continue
		}
		asked = asked || r.asks(h)
		left -= min(r.amount(h), left)
	}
	return asked && left <= 0
}

// amount returns the hours per week r takes away from a contract of
// hours: Percent of them or Hours, at most Cap when Cap is set.
func (r Reduction) amount(hours float64) float64 {
	a := float64(r.Hours)
	if r.Percent != 0 {
		a = float64(r.Percent) / 100 * hours
	}
	if r.Cap > 0 && a > float64(r.Cap) {
		a = float64(r.Cap)
	}
	return a
}

// asks reports whether r takes any time from a contract of hours, or is
// a whole absence even of a contract of no hours.
func (r Reduction) asks(hours float64) bool {
	return r.amount(hours) > 0 || r.Percent >= 100
}

// dateOfDay returns the Date of day number n; the extremes of a span
// are the open ends of a Period, given as the zero Date.
func dateOfDay(n int32, end bool) civil.Date {
	if end && n == math.MaxInt32 || !end && n == math.MinInt32 {
		return civil.Date{}
	}
	return epoch.AddDays(int(n))
}
