package civil_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/caseload/caseload/civil"
)

// FuzzParseDate holds ParseDate and UnmarshalJSON to their promises on
// any text: a date either parses and prints back as the same text, or
// the error wraps ErrBadDate; nothing panics.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2025-02-28", "2024-02-29", "2025-02-29", "0001-01-01", "9999-12-31", "0000-12-31", "", "2025-1-1", "+2025-01-01"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := civil.ParseDate(s)
		if err != nil {
			if !errors.Is(err, civil.ErrBadDate) {
				t.Fatalf("ParseDate(%q): %v does not wrap ErrBadDate", s, err)
			}
		} else if d.String() != s {
			t.Fatalf("ParseDate(%q) prints as %q", s, d)
		}
		var j civil.Date
		b, _ := json.Marshal(s)
		jerr := j.UnmarshalJSON(b)
		if (jerr == nil) != (err == nil || s == "") {
			t.Fatalf("UnmarshalJSON(%s) = %v, ParseDate = %v", b, jerr, err)
		} else if jerr == nil && j != d {
			t.Fatalf("UnmarshalJSON(%s) = %v, ParseDate = %v", b, j, d)
		}
		if jerr != nil && !errors.Is(jerr, civil.ErrBadDate) {
			t.Fatalf("UnmarshalJSON(%s): %v does not wrap ErrBadDate", b, jerr)
		}
	})
}

// FuzzPeriod checks Check, Contains, Overlaps and Days on any two
// periods of dates given as day offsets: a period overlaps itself
// exactly when it is valid, overlap is symmetric, and Days counts the
// days Contains admits.
func FuzzPeriod(f *testing.F) {
	f.Add(int32(0), int32(10), int32(5), int32(20), uint8(0))
	f.Add(int32(-1), int32(3), int32(4), int32(-1), uint8(3))
	f.Fuzz(func(t *testing.T, a, b, c, d int32, open uint8) {
		base := civil.NewDate(2025, 1, 1)
		at := func(k int32, isOpen bool) civil.Date {
			if isOpen {
				return civil.Date{}
			}
			return base.AddDays(int(k % 4000))
		}
		p := civil.Period{From: at(a, open&1 != 0), To: at(b, open&2 != 0)}
		q := civil.Period{From: at(c, open&4 != 0), To: at(d, open&8 != 0)}
		if p.Overlaps(q) != q.Overlaps(p) {
			t.Fatalf("%v, %v: overlap is not symmetric", p, q)
		}
		if p.Overlaps(p) != (p.Check() == nil) {
			t.Fatalf("%v overlaps itself: %v, Check: %v", p, p.Overlaps(p), p.Check())
		}
		if n := p.Days(); n > 0 {
			if !p.Contains(p.From) || !p.Contains(p.To) || p.Contains(p.From.AddDays(-1)) || p.Contains(p.To.AddDays(1)) {
				t.Fatalf("%v: Contains disagrees with its ends", p)
			}
			if p.To.Sub(p.From)+1 != n {
				t.Fatalf("%v: Days %d", p, n)
			}
		}
	})
}
