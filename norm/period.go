package norm

import (
	"math"

	"github.com/caseload/caseload/civil"
)

// validatePeriod adds a fault for a period that ends before it starts.
func validatePeriod(p civil.Period, f *faults, w where, leaf, name string) {
	if p.Check() != nil {
		f.add(w, leaf, name, ErrBadPeriod)
	}
}

// epoch is day number 0, 0001-01-01.
var epoch = civil.NewDate(1, 1, 1)

// dayNumber returns the days from 0001-01-01 to d.
func dayNumber(d civil.Date) int32 { return int32(d.Sub(epoch)) }

// A span is a Period as day numbers, both ends included, with open ends
// mapped to the extremes.
type span struct{ from, to int32 }

func spanOf(p civil.Period) span {
	s := span{from: math.MinInt32, to: math.MaxInt32}
	if !p.From.IsZero() {
		s.from = dayNumber(p.From)
	}
	if !p.To.IsZero() {
		s.to = dayNumber(p.To)
	}
	return s
}

func (s span) contains(day int32) bool { return s.from <= day && day <= s.to }
