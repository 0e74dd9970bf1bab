package norm

import (
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"github.com/caseload/caseload/internal/civil"
)

// A Date is a calendar date without a time of day or a time zone, in the
// proleptic Gregorian calendar, from 0001-01-01 to 9999-12-31: the dates
// the text form "2006-01-02" can hold, so that every Date survives a
// JSON round trip. The zero Date means "not set".
// In JSON a Date is a string "2006-01-02"; the zero Date is the empty
// string.
type Date struct {
	// days counts days since 0001-01-01 plus one, so that the zero value
	// is "not set"; otherwise it lies in [minDays, maxDays].
	days int32
}

// Day numbers of the first and last date a Date holds.
const (
	minDays = 1
	maxDays = 3652058 + 1 // civil.Days(9999, 12, 31) + 1
)

// clampDays returns the Date of day number n (days since 0001-01-01),
// clamped to 0001-01-01 and 9999-12-31.
func clampDays(n int64) Date {
	switch {
	case n < minDays-1:
		return Date{days: minDays}
	case n > maxDays-1:
		return Date{days: maxDays}
	}
	return Date{days: int32(n + 1)}
}

// NewDate returns the calendar date y-m-d. Out-of-range months and days
// are normalized as [time.Date] does (January 32 is February 1, month 0
// of 2025 is December 2024), for any int arguments. A result before
// 0001-01-01 gives 0001-01-01 and one after 9999-12-31 gives 9999-12-31,
// so NewDate never returns the zero Date.
func NewDate(y int, m time.Month, d int) Date {
	const lim = 1 << 20 // years, months and days this small cannot overflow
	if -lim < y && y < lim && -lim < m && m < lim && -lim < d && d < lim {
		ym := int64(y)*12 + int64(m) - 1 // months since year 0
		yy, mm := floorDiv(ym, 12), ym-12*floorDiv(ym, 12)
		return clampDays(int64(civil.Days(int(yy), int(mm)+1, 1)) + int64(d) - 1)
	}
	return newDateBig(y, m, d)
}

// newDateBig is NewDate for arguments so large that int64 arithmetic
// could overflow. It is exact: y-m-d is day
// 146097·q + civil.Days(r, mm, 1) + d − 1 for year y + (m−1) div 12 =
// 400·q + r, 146097 being the days of 400 Gregorian years.
func newDateBig(y int, m time.Month, d int) Date {
	months := new(big.Int).Mul(big.NewInt(int64(y)), big.NewInt(12))
	months.Add(months, big.NewInt(int64(m)))
	months.Sub(months, big.NewInt(1))
	year, month := new(big.Int).DivMod(months, big.NewInt(12), new(big.Int)) // Euclidean: month in [0, 12)
	q, r := new(big.Int).DivMod(year, big.NewInt(400), new(big.Int))         // r in [0, 400)
	n := new(big.Int).Mul(q, big.NewInt(146097))
	n.Add(n, big.NewInt(int64(civil.Days(int(r.Int64()), int(month.Int64())+1, 1))))
	n.Add(n, big.NewInt(int64(d)))
	n.Sub(n, big.NewInt(1))
	switch {
	case n.Sign() < 0:
		return Date{days: minDays}
	case !n.IsInt64():
		return Date{days: maxDays}
	}
	return clampDays(n.Int64())
}

// floorDiv returns a divided by b > 0, rounded down.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// ParseDate parses a date in the form "2006-01-02". It rejects dates that
// do not exist, such as "2025-02-29", and years outside 1 to 9999, such
// as "0000-12-31".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("norm: bad date %q: want YYYY-MM-DD", s)
	}
	if y := t.Year(); y < 1 || y > 9999 {
		return Date{}, fmt.Errorf("norm: bad date %q: year outside 1 to 9999", s)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date, "not set".
func (d Date) IsZero() bool { return d.days == 0 }

// Date returns the year, month and day of d. The zero Date gives
// 0, 0, 0.
func (d Date) Date() (year int, month time.Month, day int) {
	if d.IsZero() {
		return 0, 0, 0
	}
	y, m, dd := civil.FromDays(int(d.days) - 1)
	return y, time.Month(m), dd
}

// Time returns midnight UTC at the start of d. The zero Date gives the
// zero time.Time.
func (d Date) Time() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	y, m, dd := d.Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)
}

// AddDays returns d plus n calendar days; n may be negative. A result
// before 0001-01-01 gives 0001-01-01 and one after 9999-12-31 gives
// 9999-12-31.
// The zero Date, "not set", stays zero.
func (d Date) AddDays(n int) Date {
	if d.IsZero() {
		return d
	}
	// |n| may be up to 2^63; clamp it first so the sum cannot overflow.
	n = max(-maxDays, min(n, maxDays))
	return clampDays(int64(d.days) - 1 + int64(n))
}

// Sub returns the number of calendar days from e to d, that is d - e.
func (d Date) Sub(e Date) int { return int(d.days) - int(e.days) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.days < e.days }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.days > e.days }

// Compare returns -1, 0 or +1 as d is before, equal to or after e. The
// zero Date sorts first.
func (d Date) Compare(e Date) int {
	switch {
	case d.days < e.days:
		return -1
	case d.days > e.days:
		return 1
	}
	return 0
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// 0001-01-01 was a Monday; days is 1 on that day.
	return time.Weekday(mod(int(d.days), 7))
}

// String returns d as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	y, m, dd := d.Date()
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), dd)
}

// MarshalJSON encodes d as "2006-01-02", or "" for the zero Date. It
// never fails: every Date lies within years 1 to 9999.
func (d Date) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// UnmarshalJSON decodes "2006-01-02", "" or null; the last two give the
// zero Date.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("norm: bad date %s: want a string YYYY-MM-DD", b)
	}
	if s == "" {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// isWeekday reports whether d falls Monday to Friday.
func isWeekday(d Date) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// mod returns a modulo n in [0, n).
func mod(a, n int) int {
	r := a % n
	if r < 0 {
		r += n
	}
	return r
}
