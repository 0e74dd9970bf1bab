package civil

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// ErrBadDate is wrapped by every error for text that is not a date in
// the form "2006-01-02" between 0001-01-01 and 9999-12-31.
var ErrBadDate = errors.New("civil: bad date")

// A Date is a calendar date without a time of day or a time zone, in the
// proleptic Gregorian calendar, from 0001-01-01 to 9999-12-31. The zero
// Date means "not set". In JSON a Date is a string "2006-01-02"; the
// zero Date is the empty string. Dates compare with == and order with
// [Date.Compare].
type Date struct {
	// days is the day number (days since 0001-01-01) plus one, so that
	// the zero value is "not set".
	days int32
}

// dateOf returns the Date of day number n, which the callers keep in
// range.
func dateOf(n int) Date { return Date{days: int32(n + 1)} }

// NewDate returns the calendar date y-m-d. Out-of-range months and days
// are normalized as [time.Date] does (January 32 is February 1, month 0
// of 2025 is December 2024), for any int arguments. A result before
// 0001-01-01 gives 0001-01-01 and one after 9999-12-31 gives 9999-12-31,
// so NewDate never returns the zero Date.
func NewDate(y int, m time.Month, d int) Date { return dateOf(dayOf(y, m, d)) }

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// ParseDate parses a date in the form "2006-01-02". It rejects dates that
// do not exist, such as "2025-02-29", and years outside 1 to 9999, such
// as "0000-12-31", with an error that wraps [ErrBadDate].
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%w %q: want YYYY-MM-DD", ErrBadDate, s)
	}
	y, m, d := t.Date()
	if y < 1 || y > 9999 {
		return Date{}, fmt.Errorf("%w %q: year outside 1 to 9999", ErrBadDate, s)
	}
	return dateOf(daysFrom(y, int(m), d)), nil
}

// MustParseDate is [ParseDate] for dates written in a program or a test.
// It panics if s is not a date.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is the zero Date, "not set".
func (d Date) IsZero() bool { return d.days == 0 }

// Date returns the year, month and day of d. The zero Date gives
// 0, 0, 0.
func (d Date) Date() (year int, month time.Month, day int) {
	if d.IsZero() {
		return 0, 0, 0
	}
	y, m, dd := fromDays(int(d.days) - 1)
	return y, time.Month(m), dd
}

// Year returns the year of d, or 0 for the zero Date.
func (d Date) Year() int {
	y, _, _ := d.Date()
	return y
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
// 9999-12-31. The zero Date, "not set", stays zero.
func (d Date) AddDays(n int) Date {
	if d.IsZero() {
		return d
	}
	return dateOf(addDays(int(d.days)-1, n))
}

// Sub returns the number of calendar days from e to d, that is d − e.
// Neither should be the zero Date.
func (d Date) Sub(e Date) int { return int(d.days) - int(e.days) }

// Before reports whether d is before e. The zero Date is before every
// other Date.
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

// Weekday returns the day of the week of d. The zero Date gives Sunday.
func (d Date) Weekday() time.Weekday {
	if d.IsZero() {
		return time.Sunday
	}
	return weekday(int(d.days) - 1)
}

// IsWeekday reports whether d falls on Monday to Friday.
func (d Date) IsWeekday() bool {
	wd := d.Weekday()
	return !d.IsZero() && wd != time.Saturday && wd != time.Sunday
}

// AddWorkingDays returns the date n working days (Monday to Friday)
// after d, held at 9999-12-31. For n <= 0 or the zero Date it returns d.
// It knows no public holidays.
func (d Date) AddWorkingDays(n int) Date {
	if n <= 0 || d.IsZero() {
		return d
	}
	// Every seven days hold five working days; jump whole weeks but step
	// the last one to land on the right weekday.
	weeks := (n - 1) / 5
	d = d.AddDays(7 * weeks)
	n -= 5 * weeks
	for n > 0 {
		next := d.AddDays(1)
		if next == d {
			return d // the last date there is
		}
		d = next
		if d.IsWeekday() {
			n--
		}
	}
	return d
}

// String returns d as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return format(int(d.days) - 1)
}

// MarshalJSON encodes d as "2006-01-02", or "" for the zero Date. It
// never fails: every Date lies within years 1 to 9999.
func (d Date) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// UnmarshalJSON decodes "2006-01-02", "" or null; the last two give the
// zero Date. Its errors wrap [ErrBadDate].
func (d *Date) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("%w %s: want a string YYYY-MM-DD", ErrBadDate, truncate(b))
	}
	if s == nil || *s == "" {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(truncate([]byte(*s)))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// truncate keeps an error about a long text short: no date is longer
// than ten bytes.
func truncate(b []byte) string {
	const n = 32
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
