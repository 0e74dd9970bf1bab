package norm

import "strconv"

// HoursPerWeek is an amount of work or capacity in hours per week. A zero
// HoursPerWeek means none.
type HoursPerWeek float64

// String returns h with one decimal, e.g. "32.0 h/wk".
func (h HoursPerWeek) String() string {
	return strconv.FormatFloat(float64(h), 'f', 1, 64) + " h/wk"
}

// FTE is a number of full-time equivalents: hours per week divided by the
// hours of one full-time week (for example 36 in the Dutch youth-care
// collective agreement), so 1 is one full-timer. A zero FTE means no
// capacity.
type FTE float64

// String returns f with two decimals, e.g. "0.89 FTE".
func (f FTE) String() string {
	return strconv.FormatFloat(float64(f), 'f', 2, 64) + " FTE"
}

// Hours returns f as hours per week, for a full-time week of fullTime
// hours per week.
func (f FTE) Hours(fullTime HoursPerWeek) HoursPerWeek {
	return HoursPerWeek(finite(float64(f) * float64(fullTime)))
}

// HoursToFTE returns h as full-time equivalents of a full-time week of
// fullTime hours: 32 h/wk of a 36-hour week is 0.89 FTE. It returns zero
// when fullTime is not positive or either argument is not finite.
func HoursToFTE(h, fullTime HoursPerWeek) FTE {
	if !(fullTime > 0) || !isFinite(float64(h)) || !isFinite(float64(fullTime)) {
		return 0
	}
	return FTE(finite(float64(h) / float64(fullTime)))
}

// Percent is a percentage: 100 is the whole. A zero Percent means none.
type Percent float64

// String returns p with as many decimals as it needs, e.g. "12.5%".
func (p Percent) String() string {
	return strconv.FormatFloat(float64(p), 'f', -1, 64) + "%"
}

// Shares is a caseload measured in case shares: a case of the reference
// type of a [CaseloadNorm] counts 1, and a case of another type counts in
// proportion to its norm. A zero Shares means no cases.
type Shares float64

// String returns s with one decimal, e.g. "18.7 shares".
func (s Shares) String() string {
	return strconv.FormatFloat(float64(s), 'f', 1, 64) + " shares"
}

// ServicesPerYear is a production rate in completed services per year,
// such as an illustrative Veilig Thuis norm of 36 a year, on average 3
// a month. A zero ServicesPerYear means nothing is expected.
type ServicesPerYear float64

// String returns r with one decimal, e.g. "36.0 services/yr".
func (r ServicesPerYear) String() string {
	return strconv.FormatFloat(float64(r), 'f', 1, 64) + " services/yr"
}

// Services is a number of completed or expected services. Expected
// numbers are fractional. A zero Services means none.
type Services float64

// String returns s with one decimal, e.g. "8.3 services".
func (s Services) String() string {
	return strconv.FormatFloat(float64(s), 'f', 1, 64) + " services"
}

func isFinite(x float64) bool { return x-x == 0 }
