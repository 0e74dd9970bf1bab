package weight

import (
	"fmt"
	"time"
)

// A Date is a calendar date without a time of day or a zone, such as the
// date from which a [Model] is effective. Its zero value means no date.
// In JSON it is a string "2006-01-02", or "" for the zero Date.
type Date struct {
	Year  int        // e.g. 2025
	Month time.Month // 1 to 12
	Day   int        // 1 to 31
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String formats d as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// valid reports whether d is the zero Date or a real calendar date with a
// four-digit year.
func (d Date) valid() bool {
	if d.IsZero() {
		return true
	}
	if d.Year < 1 || d.Year > 9999 {
		return false
	}
	t := time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
	return t.Year() == d.Year && t.Month() == d.Month && t.Day() == d.Day
}

// MarshalText implements [encoding.TextMarshaler]. It fails for a date
// that does not exist.
func (d Date) MarshalText() ([]byte, error) {
	if !d.valid() {
		return nil, fmt.Errorf("weight: invalid date %d-%d-%d", d.Year, int(d.Month), d.Day)
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler]. It accepts
// "2006-01-02" and the empty string.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	t, err := time.Parse(time.DateOnly, string(b))
	if err != nil {
		return fmt.Errorf("weight: invalid date %s: want 2006-01-02", quote(string(b)))
	}
	nd := Date{Year: t.Year(), Month: t.Month(), Day: t.Day()}
	if !nd.valid() {
		return fmt.Errorf("weight: invalid date %s: year out of range", quote(string(b)))
	}
	*d = nd
	return nil
}
