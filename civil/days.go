package civil

import (
	"fmt"
	"math/big"
	"time"
)

// daysFrom returns the number of days from 0001-01-01 to y-m-d in the
// proleptic Gregorian calendar, for a valid date. It is H. Hinnant's
// days_from_civil (http://howardhinnant.github.io/date_algorithms.html),
// shifted to start at year 1.
func daysFrom(y, m, d int) int {
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

// fromDays is the inverse of daysFrom (Hinnant's civil_from_days).
func fromDays(n int) (y, m, d int) {
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

// Day numbers count days since 0001-01-01, which is day 0. The dates
// that the text form "2006-01-02" can hold run to 9999-12-31, day
// maxDay; every function below keeps its result in [0, maxDay], so that
// a date always prints and parses back.
const maxDay = 3652058

// clamp returns day n, held to [0, maxDay].
func clamp(n int64) int {
	return int(max(0, min(n, maxDay)))
}

// dayOf returns the day number of y-m-d, months and days out of range
// normalized as time.Date does (January 32 is February 1, month 0 of
// 2025 is December 2024), for any int arguments, and clamped to
// [0, maxDay].
func dayOf(y int, m time.Month, d int) int {
	const lim = 1 << 20 // years, months and days this small cannot overflow
	if -lim < y && y < lim && -lim < m && m < lim && -lim < d && d < lim {
		ym := int64(y)*12 + int64(m) - 1 // months since year 0
		yy := floorDiv(ym, 12)
		return clamp(int64(daysFrom(int(yy), int(ym-12*yy)+1, 1)) + int64(d) - 1)
	}
	return dayOfBig(y, m, d)
}

// dayOfBig is dayOf for arguments so large that int64 arithmetic could
// overflow. It is exact: y-m-d is day 146097·q + daysFrom(r, mm, 1) + d − 1
// for year y + (m−1) div 12 = 400·q + r, 146097 being the days of 400
// Gregorian years.
func dayOfBig(y int, m time.Month, d int) int {
	months := new(big.Int).Mul(big.NewInt(int64(y)), big.NewInt(12))
	months.Add(months, big.NewInt(int64(m)))
	months.Sub(months, big.NewInt(1))                                        // in big: m-1 would wrap for the smallest int
	year, month := new(big.Int).DivMod(months, big.NewInt(12), new(big.Int)) // Euclidean: month in [0, 12)
	q, r := new(big.Int).DivMod(year, big.NewInt(400), new(big.Int))         // r in [0, 400)
	n := new(big.Int).Mul(q, big.NewInt(146097))
	n.Add(n, big.NewInt(int64(daysFrom(int(r.Int64()), int(month.Int64())+1, 1))))
	n.Add(n, big.NewInt(int64(d)))
	n.Sub(n, big.NewInt(1))
	switch {
	case n.Sign() < 0:
		return 0
	case !n.IsInt64():
		return maxDay
	}
	return clamp(n.Int64())
}

// floorDiv returns a divided by b > 0, rounded down.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// addDays returns day n plus k days, clamped to [0, maxDay], for any k.
func addDays(n, k int) int {
	k = max(-maxDay, min(k, maxDay)) // so that the sum cannot overflow
	return clamp(int64(n) + int64(k))
}

// weekday returns the day of the week of day n; day 0 was a Monday.
func weekday(n int) time.Weekday {
	return time.Weekday((n + 1) % 7)
}

// format returns day n as "2006-01-02".
func format(n int) string {
	y, m, d := fromDays(n)
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}
