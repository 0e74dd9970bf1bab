package balance

import (
	"fmt"
	"strconv"

	"github.com/caseload/caseload/signal"
)

// people raises the signals about how people experience the work:
// perceived pressure against the numbers, structural declines, and
// intake pauses.
func (g *gather) people() {
	t := g.t
	for k, i := range t.byID {
		w := &t.workers[i]
		u := g.im.Workers[k].Utilization
		g.pressure(w, u)
		g.pause(w)
	}
	g.declines()
}

// pressure compares a worker's own rating of their pressure with their
// utilization.
func (g *gather) pressure(w *Worker, u float64) {
	if w.Pressure == nil || w.Capacity <= 0 {
		return
	}
	p := *w.Pressure
	figs := []signal.Figure{{Name: "utilization", Value: u}, {Name: "pressure", Value: p}}
	switch {
	case p >= g.th.PressureHigh && u <= g.th.LoadInfo:
		g.raise(signal.Signal{Code: SignalPressureHigh, Severity: signal.Info, Subject: workerSubject(w.ID), Value: p, Threshold: g.th.PressureHigh, Figures: figs,
			Message: fmt.Sprintf("%s feels high pressure (%s) at a utilization of %s: worth asking what the numbers miss", w.ID, strconv.FormatFloat(p, 'f', 2, 64), pct(u))})
	case p <= g.th.PressureLow && u > g.th.LoadCritical:
		g.raise(signal.Signal{Code: SignalPressureLow, Severity: signal.Info, Subject: workerSubject(w.ID), Value: p, Threshold: g.th.PressureLow, Figures: figs,
			Message: fmt.Sprintf("%s feels little pressure (%s) at a utilization of %s: worth checking the weights, or how long it can last", w.ID, strconv.FormatFloat(p, 'f', 2, 64), pct(u))})
	}
}

// pause raises the signals of an intake pause.
func (g *gather) pause(w *Worker) {
	asOf := g.t.asOf
	if !w.Pause.pausedOn(asOf) {
		return
	}
	p := w.Pause
	left := 0
	msg := w.ID + "'s intake is paused until it is lifted"
	if !p.Until.IsZero() {
		left = p.Until.Sub(asOf) + 1
		msg = fmt.Sprintf("%s's intake is paused until %s", w.ID, p.Until)
	}
	if p.Reason != "" {
		msg += ": " + p.Reason
	}
	g.raise(signal.Signal{Code: SignalPaused, Severity: signal.Info, Subject: workerSubject(w.ID), Value: float64(left), Projected: p.Until, Message: msg})
	if !p.Until.IsZero() && p.Until.Sub(asOf) < g.th.PauseNotice {
		g.raise(signal.Signal{Code: SignalPauseEnds, Severity: signal.Info, Subject: workerSubject(w.ID),
			Value: float64(left), Threshold: float64(g.th.PauseNotice), Projected: p.Until,
			Message: fmt.Sprintf("%s's intake pause ends on %s; time to talk about their return to intake", w.ID, p.Until)})
	}
}

// declines raises the signals of structural declines: a worker who
// declines many cases, and a case that most of those who could take it
// declined. Neither is a fault; both are prompts for the team.
func (g *gather) declines() {
	t := g.t
	asOf := t.asOf
	from := asOf.AddDays(-g.th.DeclineDays + 1)
	count := make([]int, len(t.workers))
	for i := range t.cases {
		c := &t.cases[i]
		if len(c.Declines) == 0 {
			continue
		}
		for _, d := range c.Declines {
			w, ok := t.worker(d.Worker)
			if ok && (d.Date.IsZero() || (!d.Date.Before(from) && !d.Date.After(asOf))) {
				count[w]++
			}
		}
		g.declinedCase(c)
	}
	for _, i := range t.byID {
		if count[i] <= g.th.Declines {
			continue
		}
		id := t.workers[i].ID
		g.raise(signal.Signal{Code: SignalDeclines, Severity: signal.Info, Subject: workerSubject(id),
			Value: float64(count[i]), Threshold: float64(g.th.Declines),
			Message: fmt.Sprintf("%s declined %s in the last %d days: not a fault, but a prompt for the team to talk about how work is offered",
				id, plural(count[i], "case"), g.th.DeclineDays)})
	}
}

// declinedCase raises [SignalDeclinedCase] when more than a share of
// the workers who could take c, declines aside, declined it.
func (g *gather) declinedCase(c *Case) {
	t := g.t
	open := *c
	open.Declines = nil
	need, unknown := t.required(&open)
	k, _ := t.caseIndex(c.ID)
	could, declined := 0, 0
	for _, i := range t.byID {
		shares := t.ws[i].shares
		if t.owner[k] != i {
			shares += toMicro(c.share())
		}
		if !t.couldTake(i, need, unknown, shares) {
			continue
		}
		could++
		for _, d := range c.Declines {
			if d.Worker == t.workers[i].ID {
				declined++
				break
			}
		}
	}
	if could == 0 || float64(declined) <= g.th.DeclinedShare*float64(could) {
		return
	}
	share := float64(declined) / float64(could)
	g.raise(signal.Signal{Code: SignalDeclinedCase, Severity: signal.Info, Subject: caseSubject(c.ID),
		Value: share, Threshold: g.th.DeclinedShare,
		Figures: []signal.Figure{{Name: "declined", Value: float64(declined)}, {Name: "could take it", Value: float64(could)}},
		Message: fmt.Sprintf("case %s was declined by %d of the %d workers who could take it: a case the team may want to discuss", c.ID, declined, could)})
}
