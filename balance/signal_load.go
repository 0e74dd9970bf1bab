package balance

import (
	"fmt"
	"math"
	"strconv"

	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/signal"
	"gonum.org/v1/gonum/stat"
)

// load raises the signals about each worker's load: bands, caseload
// norms, sustained overload and rising load.
func (g *gather) load() {
	t := g.t
	for k, wl := range g.im.Workers {
		i := t.byID[k]
		w := &t.workers[i]
		g.overNorm(i, wl)
		if wl.Capacity <= 0 {
			continue // no utilization to speak of; overload is counted in the team's figures
		}
		u := wl.Utilization
		dates, util := series(g.history, w.ID, t.asOf, u)
		figures := []signal.Figure{
			{Name: "load", Value: float64(wl.Load), Unit: "h/wk"},
			{Name: "capacity", Value: float64(wl.Capacity), Unit: "h/wk"},
			{Name: "cases", Value: float64(wl.Cases)},
		}
		if sev, bound, ok := g.severityFor(u); ok {
			from, _ := since(dates, func(k int) bool { return util[k] > bound })
			msg := fmt.Sprintf("%s is at %s of capacity, above %s", w.ID, pctVs(u, bound), pct(bound))
			if !from.IsZero() {
				msg += " since " + from.String()
			}
			g.raise(signal.Signal{Code: SignalLoad, Severity: sev, Subject: workerSubject(w.ID), Value: u, Threshold: bound,
				Since: from, Figures: figures, Message: msg})
		}
		g.sustained(w.ID, dates, util, figures)
		g.rising(w.ID, dates, util, figures)
	}
}

// overNorm raises [SignalOverNorm] for a worker, present today, who
// holds more shares than their caseload norm.
func (g *gather) overNorm(i int32, wl WorkerLoad) {
	w := &g.t.workers[i]
	if w.CaseloadNorm == nil || g.t.absent[i] || toMicro(float64(wl.Shares)) <= toMicro(float64(*w.CaseloadNorm))+normSlack {
		return
	}
	norm := float64(*w.CaseloadNorm)
	g.raise(signal.Signal{Code: SignalOverNorm, Severity: signal.Warning, Subject: workerSubject(w.ID),
		Value: float64(wl.Shares), Threshold: norm,
		Figures: []signal.Figure{{Name: "cases", Value: float64(wl.Cases)}, {Name: "shares", Value: float64(wl.Shares)}, {Name: "norm", Value: norm}},
		Message: fmt.Sprintf("%s holds %s shares, above the caseload norm of %s", w.ID, num(round2(float64(wl.Shares))), num(norm))})
}

// sustained raises [SignalSustained] when the readings of the last
// SustainedWeeks weeks, today's included, are all above the level.
func (g *gather) sustained(id string, dates []civil.Date, util []float64, figures []signal.Figure) {
	level, weeks := g.th.SustainedLevel, g.th.SustainedWeeks
	from, n := since(dates, func(k int) bool { return util[k] > level })
	// Weekly readings may drift by a few days: a run of at least weeks
	// readings that spans weeks-1 weeks, less three days, will do.
	if n < weeks || from.IsZero() || g.t.asOf.Sub(from) < 7*(weeks-1)-3 {
		return
	}
	lowest := math.Inf(1)
	for _, u := range util[len(util)-n:] {
		lowest = math.Min(lowest, u)
	}
	g.raise(signal.Signal{Code: SignalSustained, Severity: signal.Critical, Subject: workerSubject(id),
		Value: lowest, Threshold: level, Since: from,
		Figures: append(figures, signal.Figure{Name: "readings", Value: float64(n)}, signal.Figure{Name: "lowest", Value: lowest}),
		Message: fmt.Sprintf("%s has been above %s of capacity in each of %d readings since %s: an excessive workload", id, pct(level), n, from)})
}

// rising raises [SignalRising] when a least-squares line through the
// last readings crosses the level within the horizon.
func (g *gather) rising(id string, dates []civil.Date, util []float64, figures []signal.Figure) {
	level, horizon := g.th.RisingLevel, g.th.RisingHorizon
	k := max(0, len(util)-g.th.RisingPoints)
	dates, util = dates[k:], util[k:]
	now := util[len(util)-1]
	if len(util) < 3 || now > level {
		return
	}
	x := make([]float64, len(dates))
	for j, d := range dates {
		x[j] = float64(d.Sub(dates[0]))
	}
	alpha, beta := stat.LinearRegression(x, util, nil, false)
	if !(beta > 0) {
		return
	}
	today := x[len(x)-1]
	cross := (level - alpha) / beta // the day the line reaches the level
	days := math.Ceil(cross - today)
	if !(days > 0 && days <= float64(horizon)) {
		return
	}
	at := g.t.asOf.AddDays(int(days))
	g.raise(signal.Signal{Code: SignalRising, Severity: signal.Warning, Subject: workerSubject(id),
		Value: now, Threshold: level, Since: dates[0], Projected: at,
		Figures: append(figures, signal.Figure{Name: "trend", Value: 100 * beta * 7, Unit: "points/wk"}, signal.Figure{Name: "readings", Value: float64(len(util))}),
		Message: fmt.Sprintf("%s is at %s and rising %s points a week: at this pace above %s by %s",
			id, pct(now), strconv.FormatFloat(100*beta*7, 'f', 1, 64), pct(level), at)})
}

// pctVs formats v as a percentage with as few decimals (up to two) as
// keep it on its side of bound, so that "110.4%, above 110%" never
// reads "110%, above 110%".
func pctVs(v, bound float64) string {
	for d := 0; d < 2; d++ {
		s := strconv.FormatFloat(v*100, 'f', d, 64)
		b := strconv.FormatFloat(bound*100, 'f', d, 64)
		if x, _ := strconv.ParseFloat(s, 64); (v > bound) == (x > mustFloat(b)) && s != b {
			return s + "%"
		}
	}
	return strconv.FormatFloat(v*100, 'f', 2, 64) + "%"
}

func mustFloat(s string) float64 {
	x, _ := strconv.ParseFloat(s, 64)
	return x
}

// round2 rounds x to two decimals, for sentences.
func round2(x float64) float64 { return math.Round(x*100) / 100 }
