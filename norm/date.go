package norm

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/caseload/caseload/internal/civil"
)

// A Date is a calendar date without a time of day or a time zone, in the
// proleptic Gregorian calendar, from 0001-01-01 to 9999-12-31: the dates
// the text form "2006-01-02" can hold, so that every Date survives a
// JSON round trip. The zero Date means "not set". In JSON a Date is a
// string "2006-01-02"; the zero Date is the empty string.
type Date struct {
	// days is the day number (see internal/civil) plus one, so that the
	// zero value is "not set".
	days int32
}

// dateOf returns the Date of day number n, which civil keeps in range.
func dateOf(n int) Date { return Date{days: int32(n + 1)} }

// NewDate returns the calendar date y-m-d. Out-of-range months and days
// are normalized as [time.Date] does (January 32 is February 1, month 0
// of 2025 is December 2024), for any int arguments. A result before
// 0001-01-01 gives 0001-01-01 and one after 9999-12-31 gives 9999-12-31,
// so NewDate never returns the zero Date.
func NewDate(y int, m time.Month, d int) Date { return dateOf(civil.DayOf(y, m, d)) }

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// ParseDate parses a date in the form "2006-01-02". It rejects dates that
// do not exist, such as "2025-02-29", and years outside 1 to 9999, such
// as "0000-12-31".
func ParseDate(s string) (Date, error) {
	n, err := civil.Parse(s)
	if err != nil {
		return Date{}, fmt.Errorf("norm: %w", err)
	}
	return dateOf(n), nil
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
// 9999-12-31. The zero Date, "not set", stays zero.
func (d Date) AddDays(n int) Date {
	if d.IsZero() {
		return d
	}
	return dateOf(civil.Add(int(d.days)-1, n))
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
func (d Date) Weekday() time.Weekday { return civil.Weekday(int(d.days) - 1) }

// String returns d as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return civil.Format(int(d.days) - 1)
}

// MarshalJSON encodes d as "2006-01-02", or "" for the zero Date. It
// never fails: every Date lies within years 1 to 9999.
func (d Date) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// UnmarshalJSON decodes "2006-01-02", "" or null; the last two give the
// zero Date.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("norm: bad date %s: want a string YYYY-MM-DD", b)
	}
	if s == nil || *s == "" {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(*s)
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
