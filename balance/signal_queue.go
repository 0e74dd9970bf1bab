package balance

import (
	"fmt"
	"strconv"

	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/signal"
)

// queue raises the signals about time: cases waiting for a worker too
// long, and cases open longer than the lead-time norm.
func (g *gather) queue() {
	t := g.t
	// A waiting case without an arrival date arrived, as far as history
	// tells, on the first snapshot that lists it waiting.
	firstSeen := map[string]civil.Date{}
	for _, s := range g.history {
		for _, c := range s.Waiting {
			if _, ok := firstSeen[c.Case]; !ok {
				firstSeen[c.Case] = s.Date
			}
		}
	}
	for i := range t.cases {
		c := &t.cases[i]
		if t.owner[i] == noOwner {
			arrived := c.Arrived
			if arrived.IsZero() {
				arrived = firstSeen[c.ID]
			}
			g.waiting(c, arrived)
		}
		if g.th.LeadTimeWeeks > 0 && !c.Arrived.IsZero() {
			g.leadTime(c)
		}
	}
}

// waiting raises [SignalWaiting] for a case that has waited for a
// worker longer than its term.
func (g *gather) waiting(c *Case, arrived civil.Date) {
	asOf := g.t.asOf
	limit := g.th.WaitingDays
	if c.Priority > 0 {
		limit = (limit + 1) / 2
	}
	late := !c.Deadline.IsZero() && asOf.After(c.Deadline)
	if arrived.IsZero() && !late {
		return
	}
	days := workingDaysBetween(arrived, asOf)
	if days <= limit && !late {
		return
	}
	sev := signal.Warning
	if late || days > 2*limit {
		sev = signal.Critical
	}
	msg := fmt.Sprintf("case %s has waited %s for a worker, longer than %d", c.ID, plural(days, "working day"), limit)
	if arrived.IsZero() {
		msg = fmt.Sprintf("case %s waits for a worker", c.ID)
	}
	if late {
		msg += "; its deadline, " + c.Deadline.String() + ", has passed"
	}
	figures := []signal.Figure{{Name: "weight", Value: float64(c.Weight), Unit: "h/wk"}}
	if c.Priority != 0 {
		figures = append(figures, signal.Figure{Name: "priority", Value: float64(c.Priority)})
	}
	g.raise(signal.Signal{Code: SignalWaiting, Severity: sev, Subject: caseSubject(c.ID),
		Value: float64(days), Threshold: float64(limit), Since: arrived, Figures: figures, Message: msg})
}

// leadTime raises [SignalLeadTime] for a case open longer than the
// lead-time norm, or that will be within the horizon.
func (g *gather) leadTime(c *Case) {
	asOf := g.t.asOf
	norm := g.th.LeadTimeWeeks
	due := c.Arrived.AddDays(7 * norm)
	weeks := float64(asOf.Sub(c.Arrived)) / 7
	s := signal.Signal{Code: SignalLeadTime, Subject: caseSubject(c.ID), Value: weeks, Threshold: float64(norm), Since: c.Arrived,
		Figures: []signal.Figure{{Name: "open", Value: round2(weeks), Unit: "weeks"}}}
	switch {
	case asOf.After(due):
		s.Severity = signal.Warning
		s.Message = "case " + c.ID + " has been open " + strconv.FormatFloat(weeks, 'f', 1, 64) +
			" weeks, past the lead-time norm of " + strconv.Itoa(norm) + " weeks"
	case due.Sub(asOf) <= g.th.RisingHorizon:
		s.Severity = signal.Info
		s.Projected = due
		s.Message = "case " + c.ID + " will pass the lead-time norm of " + strconv.Itoa(norm) + " weeks on " + due.String()
	default:
		return
	}
	g.raise(s)
}
