package norm

import "math"

// A Period is a span of calendar dates that includes both its From and its
// To date: a reduction whose period ends on 31 March applies on 31 March
// and no longer on 1 April. A zero From means the period has no start and
// a zero To means it has no end, so the zero Period is "always".
type Period struct {
	From Date `json:"from,omitzero"` // first day included; zero means no start
	To   Date `json:"to,omitzero"`   // last day included; zero means no end
}

// Contains reports whether d falls within p, ends included.
func (p Period) Contains(d Date) bool {
	return p.span().contains(d.days)
}

// Days returns the number of days in p, both ends included, or zero when
// p is open at either end or ends before it starts.
func (p Period) Days() int {
	if p.From.IsZero() || p.To.IsZero() || p.To.Before(p.From) {
		return 0
	}
	return p.To.Sub(p.From) + 1
}

// validate adds a fault for a period that ends before it starts.
func (p Period) validate(f *faults, w where, leaf, name string) {
	if !p.From.IsZero() && !p.To.IsZero() && p.To.Before(p.From) {
		f.add(w, leaf, name, ErrBadPeriod)
	}
}

// A span is a Period as day numbers, both ends included, with open ends
// mapped to the extremes.
type span struct{ from, to int32 }

func (p Period) span() span {
	s := span{from: math.MinInt32, to: math.MaxInt32}
	if !p.From.IsZero() {
		s.from = p.From.days
	}
	if !p.To.IsZero() {
		s.to = p.To.days
	}
	return s
}

func (s span) contains(day int32) bool { return s.from <= day && day <= s.to }
