package main

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/norm"
	"github.com/caseload/caseload/signal"
)

// The page's view model: everything the template shows, computed here
// so that templates/page.html only lays it out. Charts are SVG drawn in
// user units; numbers print with one decimal (type px).

// px is a length or coordinate in an SVG's user units.
type px float64

func (p px) String() string { return strconv.FormatFloat(float64(p), 'f', 1, 64) }

// barWidth is the width, in user units, of the bar area of a load bar;
// a bar of utilization u is u/scale of it wide.
const barWidth = 300

// A pageView is the whole page.
type pageView struct {
	AsOf     civil.Date
	Model    string
	Scale    scaleView
	Bars     []barView
	Signals  []signalView
	Pace     *paceView
	Queue    []queueRow
	Ranking  *rankingView
	Proposal *proposalView
	Flash    string // what the last action did, if anything
	Warning  string // why a new team file could not be read, if so
}

// A scaleView is the shared horizontal scale of every load bar: bars
// run from 0 to Max (a fraction), with guide lines at the band bounds.
type scaleView struct {
	Max   float64
	Lines []guideLine
}

// A guideLine marks a band bound, such as 100%, on a bar.
type guideLine struct {
	X     px
	Label string
}

// x returns the x coordinate of utilization u on the scale.
func (s scaleView) x(u float64) px {
	return px(barWidth * math.Min(u, s.Max) / s.Max)
}

// newScale returns the scale for bars up to the largest of utils, with
// lines at bounds: at least 130%, so that the 110% line always shows,
// rounded up to a tenth.
func newScale(bounds []float64, utils ...float64) scaleView {
	m := 1.3
	for _, u := range utils {
		m = math.Max(m, math.Ceil(u*10+0.5)/10)
	}
	s := scaleView{Max: m}
	for _, b := range bounds {
		s.Lines = append(s.Lines, guideLine{X: s.x(b), Label: pct(b)})
	}
	return s
}

// A barView is one worker's load bar.
type barView struct {
	Worker      string
	Utilization float64 // a fraction; 0 with no capacity
	Pct         string  // Utilization as a percentage, true to the band
	Width       px
	Band        int
	BandClass   string // "band-0" … "band-3", "band-none"
	BandText    string // the band in words: colour never carries it alone
	Label       string // the text alternative of the bar
	Capacity    balance.HoursPerWeek
	Load        balance.HoursPerWeek
	Cases       int
	Away        bool
	Weights     []caseWeight // the worker's cases, heaviest first
	After       *barView     // in the proposal's before/after chart
}

// A caseWeight is one case's weight and how it was reached.
type caseWeight struct {
	Case      string
	Family    string
	Hours     balance.HoursPerWeek
	Breakdown string
}

// pct formats a fraction as a whole percentage, "111%".
func pct(f float64) string { return strconv.FormatFloat(100*f, 'f', 0, 64) + "%" }

// pctOf formats utilization u as a percentage that never contradicts
// its band: whole when that rounds to the same side of every bound,
// with one or two decimals otherwise, so 100.03% over capacity does
// not read "100%", which is full.
func pctOf(u float64, bounds []float64) string {
	for dec := 0; dec <= 2; dec++ {
		s := strconv.FormatFloat(100*u, 'f', dec, 64)
		r, _ := strconv.ParseFloat(s, 64)
		ok := true
		for _, b := range bounds {
			if (u > b) != (r/100 > b) {
				ok = false
			}
		}
		if ok {
			return s + "%"
		}
	}
	return strconv.FormatFloat(100*u, 'f', 2, 64) + "%"
}

// bandText names band b of the bounds in words, as "above 110%:
// overloaded"; -1 is a worker with no capacity.
func bandText(b int, bounds []float64) string {
	if b < 0 {
		return "no capacity for casework"
	}
	words := []string{"room to take work", "nearly full", "over capacity", "overloaded"}
	w := ""
	if len(bounds) == 3 && b < len(words) {
		w = ": " + words[b]
	}
	switch {
	case len(bounds) == 0:
		return "no bands"
	case b == 0:
		return "up to " + pct(bounds[0]) + w
	case b == len(bounds):
		return "above " + pct(bounds[b-1]) + w
	default:
		return pct(bounds[b-1]) + "–" + pct(bounds[b]) + w
	}
}

// bandClass is the CSS class of band b.
func bandClass(b int) string {
	if b < 0 {
		return "band-none"
	}
	return "band-" + strconv.Itoa(min(b, 3))
}

// newBar builds the bar of wl on scale s.
func newBar(wl balance.WorkerLoad, bounds []float64, s scaleView, st *teamState) barView {
	b := barView{
		Worker: wl.Worker, Utilization: wl.Utilization, Pct: pctOf(wl.Utilization, bounds), Width: s.x(wl.Utilization),
		Band: wl.Band, BandClass: bandClass(wl.Band), BandText: bandText(wl.Band, bounds),
		Capacity: wl.Capacity, Load: wl.Load, Cases: wl.Cases, Away: wl.Away,
	}
	if wl.Capacity == 0 {
		b.Label = fmt.Sprintf("%s: no capacity for casework, %v of cases held", wl.Worker, wl.Load)
	} else {
		b.Label = fmt.Sprintf("%s: %s of capacity (%v of %v), %s", wl.Worker, b.Pct, wl.Load, wl.Capacity, b.BandText)
	}
	return b
}

// weightsOf lists the cases that owners holds in p, heaviest first.
func weightsOf(st *teamState, p balance.Problem) map[string][]caseWeight {
	m := map[string][]caseWeight{}
	for _, c := range p.Cases {
		if c.Owner == "" {
			continue
		}
		m[c.Owner] = append(m[c.Owner], caseWeight{Case: c.ID, Family: c.Group, Hours: c.Weight, Breakdown: breakdown(st, c.ID)})
	}
	for _, ws := range m {
		slices.SortFunc(ws, func(a, b caseWeight) int {
			return cmp.Or(cmp.Compare(b.Hours, a.Hours), strings.Compare(a.Case, b.Case))
		})
	}
	return m
}

// breakdown explains a case's weight in one line.
func breakdown(st *teamState, id string) string {
	var parts []string
	for _, c := range st.weights[id].Breakdown {
		parts = append(parts, c.String())
	}
	return strings.Join(parts, "; ")
}

// loadBars returns the team's load bars with the weights behind them.
func loadBars(st *teamState, im balance.Imbalance, s scaleView) []barView {
	ws := weightsOf(st, st.problem)
	var bars []barView
	for _, wl := range im.Workers {
		b := newBar(wl, im.Bounds, s, st)
		b.Weights = ws[wl.Worker]
		bars = append(bars, b)
	}
	return bars
}

// A signalView is one signal as the page lists it.
type signalView struct {
	Severity string // "critical", "warning", "info"
	Icon     string // a shape per severity, beside the word
	Subject  string
	Message  string
	Extra    string // since when, or when projected, unless the message says so
}

func newSignals(sigs []signal.Signal) []signalView {
	icons := map[signal.Severity]string{signal.Critical: "▲", signal.Warning: "●", signal.Info: "○"}
	var out []signalView
	for _, s := range sigs {
		v := signalView{Severity: s.Severity.String(), Icon: icons[s.Severity], Subject: s.Subject.String(), Message: s.Message}
		if d := s.Since; !d.IsZero() && !strings.Contains(s.Message, d.String()) {
			v.Extra = "since " + d.String()
		}
		if d := s.Projected; !d.IsZero() && !strings.Contains(s.Message, d.String()) {
			v.Extra = strings.TrimSpace(v.Extra + " projected " + d.String())
		}
		out = append(out, v)
	}
	return out
}

// A paceView is the team's production against its norm.
type paceView struct {
	Team    string // the team's reading in one sentence
	Status  string
	Workers []paceChart
}

// A paceChart is one worker's small chart: the services expected
// through the year (a line, with the on-track band around it), the
// services completed today (a dot) and the projection to the year's end
// (a dashed line).
type paceChart struct {
	Worker      string
	Status      string // in words
	StatusClass string
	Label       string // the chart's text alternative
	Summary     string
	Expected    string // polyline points
	Band        string // polygon points of the on-track band
	TodayX      px
	DotX, DotY  px
	ProjX       px
	ProjY       px
	Months      []guideLine
	YMax        string
}

// Geometry of a pace chart, in user units.
const (
	paceW, paceH = 240.0, 110.0
	paceL, paceB = 6.0, 96.0 // left edge and baseline of the plot
	paceT        = 8.0       // top of the plot
)

func newPace(tp *teamPace) *paceView {
	t := tp.progress.Team
	v := &paceView{
		Team: fmt.Sprintf("The team completed %v of the %v expected by %s; the norm asks %v this year.",
			t.Completed, t.Expected, t.At, t.Target),
		Status: t.Status.String(),
	}
	days := float64(tp.year.To.Sub(tp.year.From))
	xOf := func(d civil.Date) px { return px(paceL + (paceW-2*paceL)*float64(d.Sub(tp.year.From))/days) }
	for _, m := range tp.progress.Members {
		top := math.Max(float64(m.Target), math.Max(float64(m.Projected), float64(m.Completed)))
		top = math.Max(1, math.Ceil(top*1.15))
		yOf := func(s float64) px { return px(paceB - (paceB-paceT)*s/top) }
		ratio := m.Bands.Behind
		ahead := m.Bands.Ahead
		var line, upper, lower []string
		for _, p := range tp.curves[m.Subject] {
			x := xOf(p.Date)
			line = append(line, fmt.Sprintf("%v,%v", x, yOf(float64(p.Expected))))
			upper = append(upper, fmt.Sprintf("%v,%v", x, yOf(ahead*float64(p.Expected))))
			lower = append(lower, fmt.Sprintf("%v,%v", x, yOf(ratio*float64(p.Expected))))
		}
		slices.Reverse(lower)
		c := paceChart{
			Worker: m.Subject, Status: m.Status.String(), StatusClass: "pace-" + m.Status.Code(),
			Expected: strings.Join(line, " "), Band: strings.Join(append(upper, lower...), " "),
			TodayX: xOf(m.At), DotX: xOf(m.At), DotY: yOf(float64(m.Completed)),
			ProjX: xOf(tp.year.To), ProjY: yOf(float64(m.Projected)),
			YMax: strconv.FormatFloat(top, 'f', 0, 64),
		}
		c.Summary = fmt.Sprintf("%v completed, %v expected by today", m.Completed, m.Expected)
		if m.Status != norm.PaceNoExpectation {
			c.Summary += fmt.Sprintf(" (%s)", pct(m.Ratio))
		}
		c.Summary += fmt.Sprintf("; on this pace %v by the year's end, the norm asks %v.", m.Projected, m.Target)
		c.Label = fmt.Sprintf("Pace of %s: %s. Status: %s.", m.Subject, c.Summary, c.Status)
		for _, mo := range []struct {
			month int
			name  string
		}{{1, "Jan"}, {4, "Apr"}, {7, "Jul"}, {10, "Oct"}} {
			d := civil.NewDate(tp.year.From.Year(), time.Month(mo.month), 1)
			if tp.year.Contains(d) {
				c.Months = append(c.Months, guideLine{X: xOf(d), Label: mo.name})
			}
		}
		v.Workers = append(v.Workers, c)
	}
	return v
}

// A queueRow is one case waiting for a worker.
type queueRow struct {
	Case        string
	Family      string
	Arrived     civil.Date
	Days        int // calendar days waited; -1 when the arrival is unknown
	WorkingDays int
	Weight      balance.HoursPerWeek
	Breakdown   string
	Needs       string
	Selected    bool
}

// queue lists the cases waiting for a worker, longest waiting first
// (unknown arrivals last), then by ID.
func queue(st *teamState, selected string) []queueRow {
	var rows []queueRow
	for _, c := range st.problem.Cases {
		if c.Owner != "" {
			continue
		}
		r := queueRow{Case: c.ID, Family: c.Group, Arrived: c.Arrived, Days: -1, Weight: c.Weight,
			Breakdown: breakdown(st, c.ID), Needs: strings.Join(c.Skills, ", ")}
		if !c.Arrived.IsZero() {
			r.Days = st.problem.AsOf.Sub(c.Arrived)
			r.WorkingDays = workingDays(c.Arrived, st.problem.AsOf)
		}
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b queueRow) int {
		return cmp.Or(cmp.Compare(b.Days, a.Days), strings.Compare(a.Case, b.Case))
	})
	for i := range rows {
		rows[i].Selected = rows[i].Case == selected || (selected == "" && i == 0)
	}
	return rows
}

// workingDays counts the working days (Monday to Friday) after from up
// to and including to.
func workingDays(from, to civil.Date) int {
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if d.IsWeekday() {
			n++
		}
	}
	return n
}

// A rankingView is the intake ranking of one queued case.
type rankingView struct {
	Case       string
	Weight     balance.HoursPerWeek
	Candidates []candidateRow
	Notices    []string
}

// A candidateRow is one worker in a ranking.
type candidateRow struct {
	Place            string // "1", "2", … or "out"
	Worker           string
	Load, LoadAfter  balance.HoursPerWeek
	Utilization      string
	UtilizationAfter string
	Eligible         bool
	Reasons          []string
}

func newRanking(rk *balance.Ranking) *rankingView {
	v := &rankingView{Case: rk.Case, Weight: rk.Weight, Notices: messages(rk.Notices)}
	for _, c := range rk.Candidates {
		row := candidateRow{Place: "out", Worker: c.Worker, Load: c.Load, LoadAfter: c.LoadAfter,
			Utilization: "–", UtilizationAfter: "–", Eligible: c.Eligible, Reasons: messages(c.Reasons)}
		if c.Eligible {
			row.Place = strconv.Itoa(c.Rank)
		}
		if c.Capacity > 0 {
			row.Utilization, row.UtilizationAfter = pct(c.Utilization), pct(c.UtilizationAfter)
		}
		v.Candidates = append(v.Candidates, row)
	}
	return v
}

// messages returns the sentences of rs.
func messages(rs []balance.Reason) []string {
	var s []string
	for _, r := range rs {
		s = append(s, r.Message)
	}
	return s
}
