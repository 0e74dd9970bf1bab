package norm

import "github.com/caseload/caseload/civil"

// MaxYearDays is the longest norm year a [Calendar] accepts, in days.
const MaxYearDays = 366

// A Calendar is the norm year over which a [ProductionNorm] is spread and
// the periods in it when no work is expected of anyone (a Christmas
// week, a summer closure). Working days are Monday to Friday within Year
// and outside NonWorking. The production target is spread over the
// working days only, so a non-working week does not lower the annual
// target; a worker's own absence, given as a [Reduction], does.
type Calendar struct {
	// Year is the norm year, both ends included, at most [MaxYearDays]
	// long, e.g. 2025-01-01 to 2025-12-31. Both ends are required.
	Year civil.Period `json:"year"`
	// NonWorking lists the non-working weeks (or any periods), both ends
	// included. Parts outside Year are ignored.
	NonWorking []civil.Period `json:"non_working,omitempty"`
}

// Validate reports every fault in c at once; nil means c is valid.
func (c Calendar) Validate() error {
	var f faults
	c.validate(&f, top("Calendar"))
	return f.err()
}

func (c Calendar) validate(f *faults, at where) {
	before := len(*f)
	y := c.Year
	switch {
	case y.From.IsZero() || y.To.IsZero():
		f.add(at, ".Year", "", ErrMissing)
	case y.To.Before(y.From):
		f.add(at, ".Year", "", ErrBadPeriod)
	case y.Days() > MaxYearDays:
		f.add(at, ".Year", "", ErrRange)
	}
	for i, p := range c.NonWorking {
		validatePeriod(p, f, func() string { return item(at, "NonWorking", i) }, "", "")
	}
	if len(*f) == before && c.WorkingDays() == 0 {
		f.add(at, ".NonWorking", "", ErrBadPeriod)
	}
}

// IsWorkingDay reports whether d is a working day of c: Monday to Friday,
// within Year and outside every NonWorking period.
func (c Calendar) IsWorkingDay(d civil.Date) bool {
	if !c.Year.Contains(d) || !d.IsWeekday() {
		return false
	}
	for _, p := range c.NonWorking {
		if p.Contains(d) {
			return false
		}
	}
	return true
}

// WorkingDays returns the number of working days in c's Year, or zero
// when Year is not a bounded period.
func (c Calendar) WorkingDays() int {
	n := 0
	for i := range c.Year.Days() {
		if c.IsWorkingDay(c.Year.From.AddDays(i)) {
			n++
		}
	}
	return n
}

// workdays returns the working days of c's Year as day numbers, in order.
func (c Calendar) workdays() []int32 {
	out := make([]int32, 0, c.Year.Days())
	for i := range c.Year.Days() {
		if d := c.Year.From.AddDays(i); c.IsWorkingDay(d) {
			out = append(out, dayNumber(d))
		}
	}
	return out
}
