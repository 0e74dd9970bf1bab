package civil

import "errors"

// ErrBadPeriod is the error of a [Period] that ends before it starts.
var ErrBadPeriod = errors.New("civil: period ends before it starts")

// A Period is a span of calendar dates that includes both its From and
// its To date: a leave that ends on 31 March applies on 31 March and no
// longer on 1 April. A zero From means the period has no start and a
// zero To means it has no end, so the zero Period is "always". A Period
// whose To is before its From is invalid; [Period.Check] says so.
type Period struct {
	From Date `json:"from,omitzero"` // first day included; zero means no start
	To   Date `json:"to,omitzero"`   // last day included; zero means no end
}

// IsZero reports whether p is the zero Period, "always".
func (p Period) IsZero() bool { return p == Period{} }

// Check returns [ErrBadPeriod] if p ends before it starts, and nil
// otherwise.
func (p Period) Check() error {
	if !p.From.IsZero() && !p.To.IsZero() && p.To.Before(p.From) {
		return ErrBadPeriod
	}
	return nil
}

// Contains reports whether d falls within p, ends included. The zero
// Date falls within no Period.
func (p Period) Contains(d Date) bool {
	if d.IsZero() {
		return false
	}
	return (p.From.IsZero() || !d.Before(p.From)) && (p.To.IsZero() || !d.After(p.To))
}

// Overlaps reports whether p and q share a day. An invalid Period
// shares none.
func (p Period) Overlaps(q Period) bool {
	if p.Check() != nil || q.Check() != nil {
		return false
	}
	startsBeforeQEnds := p.From.IsZero() || q.To.IsZero() || !p.From.After(q.To)
	endsAfterQStarts := p.To.IsZero() || q.From.IsZero() || !p.To.Before(q.From)
	return startsBeforeQEnds && endsAfterQStarts
}

// Days returns the number of days in p, both ends included, or zero when
// p is open at either end or ends before it starts.
func (p Period) Days() int {
	if p.From.IsZero() || p.To.IsZero() || p.To.Before(p.From) {
		return 0
	}
	return p.To.Sub(p.From) + 1
}

// String returns p as "2025-03-03 to 2025-03-16", "from 2025-03-03",
// "until 2025-03-16" or "always".
func (p Period) String() string {
	switch {
	case p.From.IsZero() && p.To.IsZero():
		return "always"
	case p.From.IsZero():
		return "until " + p.To.String()
	case p.To.IsZero():
		return "from " + p.From.String()
	}
	return p.From.String() + " to " + p.To.String()
}
