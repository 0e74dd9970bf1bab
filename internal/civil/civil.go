// Package civil holds the calendar arithmetic behind the Date types of
// packages balance and norm, which keep their own types so that neither
// imports the other.
package civil

// Days returns the number of days from 0001-01-01 to y-m-d in the
// proleptic Gregorian calendar, for a valid date. It is H. Hinnant's
// days_from_civil (http://howardhinnant.github.io/date_algorithms.html),
// shifted to start at year 1.
func Days(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468 + 719162
}

// FromDays is the inverse of Days (Hinnant's civil_from_days).
func FromDays(n int) (y, m, d int) {
	z := n - 719162 + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}
