package balance

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/caseload/caseload/internal/civil"
)

// A Date is a calendar date without a time of day or a zone. The zero
// Date means "not set". In JSON a Date is a string "2006-01-02"; the
// zero Date is the empty string.
type Date struct {
	// days counts days since 0001-01-01 plus one, so that the zero
	// value is "not set".
	days int32
}

// NewDate returns the calendar date y-m-d. Out-of-range months and
// days are normalized as [time.Date] does (January 32 is February 1).
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC) // normalizes m and d
	y, m, d = t.Date()
	return Date{days: int32(civil.Days(y, int(m), d) + 1)}
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// ParseDate parses a date in the form "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("balance: bad date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date, "not set".
func (d Date) IsZero() bool { return d.days == 0 }

// Time returns midnight UTC at the start of d. The zero Date gives the
// zero time.Time.
func (d Date) Time() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	y, m, dd := civil.FromDays(int(d.days) - 1)
	return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC)
}

// AddDays returns d plus n calendar days (n may be negative).
func (d Date) AddDays(n int) Date { return Date{days: d.days + int32(n)} }

// Sub returns the number of calendar days from e to d: d - e.
func (d Date) Sub(e Date) int { return int(d.days - e.days) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.days < e.days }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.days > e.days }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
// The zero Date sorts first.
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
	return time.Weekday((int(d.days) % 7))
}

// String returns d as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format(time.DateOnly)
}

// MarshalJSON encodes d as "2006-01-02", or "" for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.String())
}

// UnmarshalJSON decodes "2006-01-02", "" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("balance: bad date %s: want a string YYYY-MM-DD", b)
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

// addWorkingDays returns the date n working days (Monday to Friday)
// after d. For n <= 0 it returns d.
func addWorkingDays(d Date, n int) Date {
	if n <= 0 {
		return d
	}
	// Every seven days hold five working days; jump whole weeks but step
	// the last one to land on the right weekday.
	weeks := (n - 1) / 5
	d = d.AddDays(7 * weeks)
	n -= 5 * weeks
	for n > 0 {
		d = d.AddDays(1)
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return d
}
