package balance

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/caseload/caseload/signal"
)

// team raises the signals about the team as a whole: imbalance and a
// capacity shortfall.
func (g *gather) team() {
	t, u := g.t, g.im.Utilization
	with := 0
	for _, wl := range g.im.Workers {
		if wl.Capacity > 0 {
			with++
		}
	}
	if with >= 2 && u.CV > g.th.ImbalanceCV {
		g.raise(signal.Signal{Code: SignalImbalance, Severity: signal.Warning, Subject: teamSubject,
			Value: u.CV, Threshold: g.th.ImbalanceCV,
			Figures: []signal.Figure{{Name: "max", Value: u.Max}, {Name: "min", Value: u.Min}, {Name: "mean", Value: u.Mean}, {Name: "gini", Value: u.Gini}},
			Message: fmt.Sprintf("the team's load is uneven: utilization runs from %s to %s around a mean of %s (coefficient of variation %s, above %s)",
				pct(u.Min), pct(u.Max), pct(u.Mean), strconv.FormatFloat(u.CV, 'f', 2, 64), strconv.FormatFloat(g.th.ImbalanceCV, 'f', 2, 64))})
	}

	// Demand is every case's weight, placed or waiting; capacity is that
	// of the workers present today.
	var demand, capacity, full int64
	for i := range t.cases {
		demand += toMicro(float64(t.cases[i].Weight))
	}
	for i := range t.workers {
		c := toMicro(float64(t.workers[i].Capacity))
		full = max(full, c)
		if !t.absent[i] {
			capacity += c
		}
	}
	if !overCapacity(demand, HoursPerWeek(fromMicro(capacity))) {
		return
	}
	if g.th.FullTime > 0 {
		full = toMicro(float64(g.th.FullTime))
	}
	short := fromMicro(demand - capacity)
	need := 0.0
	if full > 0 {
		need = float64(demand-capacity) / float64(full)
	}
	g.raise(signal.Signal{Code: SignalShortfall, Severity: signal.Warning, Subject: teamSubject,
		Value: fromMicro(demand), Threshold: fromMicro(capacity),
		Figures: []signal.Figure{{Name: "shortfall", Value: short, Unit: "h/wk"}, {Name: "workers needed", Value: round2(need), Unit: "full-time"}},
		Message: fmt.Sprintf("the team's work, %v, is above its capacity, %v: %v short, about %s full-time workers; the team needs people, not a better distribution",
			HoursPerWeek(fromMicro(demand)), HoursPerWeek(fromMicro(capacity)), HoursPerWeek(short), strconv.FormatFloat(need, 'f', 1, 64))})
}

// severe raises [SignalSevere] for a worker who holds more than their
// share of the team's severe cases.
func (g *gather) severe() {
	t := g.t
	held := make([]int, len(t.workers))
	total := 0
	for i := range t.cases {
		if t.cases[i].Severity >= g.th.SevereAt && t.owner[i] != noOwner {
			held[t.owner[i]]++
			total++
		}
	}
	if total == 0 {
		return
	}
	var capSum float64
	for i := range t.workers {
		capSum += float64(t.workers[i].Capacity)
	}
	for _, i := range t.byID {
		w := &t.workers[i]
		if held[i] < g.th.SevereMin || capSum == 0 {
			continue
		}
		fair := float64(w.Capacity) / capSum // share of capacity
		share := float64(held[i]) / float64(total)
		limit := g.th.SevereFactor * fair
		if share <= limit {
			continue
		}
		g.raise(signal.Signal{Code: SignalSevere, Severity: signal.Warning, Subject: workerSubject(w.ID),
			Value: share, Threshold: limit,
			Figures: []signal.Figure{{Name: "severe cases", Value: float64(held[i])}, {Name: "team's severe cases", Value: float64(total)}, {Name: "capacity share", Value: round2(fair)}},
			Message: fmt.Sprintf("%s holds %d of the team's %d severe cases (%s), more than %s times their %s share of capacity",
				w.ID, held[i], total, pct(share), strconv.FormatFloat(g.th.SevereFactor, 'f', -1, 64), pct(fair))})
	}
}

// skills raises the signals about skills that cases need: a queue that
// the workers who hold the skill cannot absorb, and a skill that only
// one available worker holds.
func (g *gather) skills() {
	t := g.t
	type need struct {
		queued int64 // micro-hours of waiting cases that need the skill
		cases  int   // cases, open or waiting, that need it
	}
	needs := map[string]*need{}
	for i := range t.cases {
		for _, s := range t.cases[i].Skills {
			n := needs[s]
			if n == nil {
				n = &need{}
				needs[s] = n
			}
			n.cases++
			if t.owner[i] == noOwner {
				n.queued += toMicro(float64(t.cases[i].Weight))
			}
		}
	}
	names := make([]string, 0, len(needs))
	for s := range needs {
		names = append(names, s)
	}
	slices.Sort(names)
	for _, s := range names {
		n := needs[s]
		var spare int64
		var holders []string
		id, known := t.skillID[s]
		for _, i := range t.byID {
			if !known || t.held[int(i)*t.words+id/64]&(1<<(id%64)) == 0 || len(t.avail[i]) > 0 {
				continue
			}
			holders = append(holders, t.workers[i].ID)
			spare += max(0, toMicro(float64(t.workers[i].Capacity))-t.ws[i].load)
		}
		subject := signal.Subject{Kind: signal.Skill, ID: s}
		if n.queued > 0 && n.queued > spare {
			g.raise(signal.Signal{Code: SignalBottleneck, Severity: signal.Warning, Subject: subject,
				Value: fromMicro(n.queued), Threshold: fromMicro(spare),
				Figures: []signal.Figure{{Name: "available holders", Value: float64(len(holders))}, {Name: "cases needing it", Value: float64(n.cases)}},
				Message: fmt.Sprintf("waiting cases need %v of %q, and the %s who hold it have %v to spare",
					HoursPerWeek(fromMicro(n.queued)), s, plural(len(holders), "available worker"), HoursPerWeek(fromMicro(spare)))})
		}
		if len(holders) == 1 {
			g.raise(signal.Signal{Code: SignalSingleHolder, Severity: signal.Info, Subject: subject,
				Value: 1, Threshold: 2,
				Figures: []signal.Figure{{Name: "cases needing it", Value: float64(n.cases)}},
				Message: fmt.Sprintf("only %s can take cases that need %q now; %s need it", holders[0], s, plural(n.cases, "case"))})
		}
	}
}
