package sim

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/signal"
	"github.com/caseload/caseload/weight"
)

// A Result is one run: one policy on one replication.
type Result struct {
	// Policy names the policy; Replication numbers the replication from
	// 0. Replication r of a study and of Run draw the same world.
	Policy      string `json:"policy"`
	Replication int    `json:"replication"`
	// Weeks holds one row per weekly meeting, warm-up included.
	Weeks []WeekResult `json:"weeks"`
	// Summary sums up the weeks after the warm-up.
	Summary Summary `json:"summary"`
}

// A WeekResult is the team after one weekly meeting's allocation.
type WeekResult struct {
	// Week counts meetings from 0; Date is the meeting's date.
	Week int        `json:"week"`
	Date civil.Date `json:"date"`
	// Workers lists each worker on the team, by ID. Studies leave it nil
	// unless [StudyOptions.KeepWorkers] asks for it.
	Workers []WorkerWeek `json:"workers,omitempty"`
	// MaxUtilization, MeanUtilization and UtilizationCV summarize load as
	// a fraction of capacity (1 is full) over the workers with capacity:
	// the highest, the mean and the coefficient of variation. Gini is
	// the Gini coefficient of utilization (0 is even) and CountCV the
	// coefficient of variation of case counts in proportion to capacity
	// (package balance's Imbalance). All are 0 when no worker has
	// capacity.
	MaxUtilization  float64 `json:"max_utilization"`
	MeanUtilization float64 `json:"mean_utilization"`
	UtilizationCV   float64 `json:"utilization_cv"`
	Gini            float64 `json:"gini"`
	CountCV         float64 `json:"count_cv"`
	// Over110 counts the workers above 110% of their capacity.
	Over110 int `json:"over110"`
	// OverloadHours is the team's load above capacity, in hours per week.
	OverloadHours balance.HoursPerWeek `json:"overload_hours"`
	// Arrived counts every case that has arrived so far, the opening
	// caseload included; Open those held by a worker, Queued those
	// waiting for one, and Closed those closed, all after the meeting.
	// Arrived = Open + Queued + Closed always: nothing is lost.
	Arrived int `json:"arrived"`
	Open    int `json:"open"`
	Queued  int `json:"queued"`
	Closed  int `json:"closed"`
	// Placed counts new cases given their first worker at the meeting;
	// Replaced counts cases given a new worker because theirs left;
	// Moves counts voluntary moves; Declines counts the offers declined.
	Placed   int `json:"placed"`
	Replaced int `json:"replaced"`
	Moves    int `json:"moves"`
	Declines int `json:"declines"`
	// WaitDays is the mean wait of the cases placed, in working days
	// from arrival to the meeting; 0 when none was placed. WaitedPast
	// counts those that waited more than [Config.WaitingDays].
	WaitDays   float64 `json:"wait_days"`
	WaitedPast int     `json:"waited_past"`
	// ClosedNow counts the cases closed since the last meeting;
	// LeadTimeWeeks is their mean lead time from arrival to closing, in
	// weeks (0 when none closed), and LeadTimeOver counts those over
	// their type's [CaseType.LeadTimeWeeks].
	ClosedNow     int     `json:"closed_now"`
	LeadTimeWeeks float64 `json:"lead_time_weeks"`
	LeadTimeOver  int     `json:"lead_time_over"`
	// Signals counts the early-warning signals raised after the meeting
	// (package balance's Team.Signals), by severity and by code.
	Signals SignalCounts `json:"signals"`
}

// A WorkerWeek is one worker after a weekly meeting.
type WorkerWeek struct {
	Worker string `json:"worker"`
	// Capacity and Load are in hours per week; Utilization is Load /
	// Capacity, 0 when Capacity is 0 (absent or not started).
	Capacity    balance.HoursPerWeek `json:"capacity"`
	Load        balance.HoursPerWeek `json:"load"`
	Utilization float64              `json:"utilization"`
	// Cases counts the worker's open cases.
	Cases int `json:"cases"`
}

// SignalCounts counts signals by severity and by code.
type SignalCounts struct {
	Info     int `json:"info"`
	Warning  int `json:"warning"`
	Critical int `json:"critical"`
	// ByCode counts each code raised, sorted by code; nil when none.
	ByCode []CodeCount `json:"by_code,omitempty"`
}

// A CodeCount is the number of signals of one code.
type CodeCount struct {
	Code  string `json:"code"`
	Count int    `json:"count"`
}

// Case states in a run.
const (
	stateFuture = iota
	stateQueued
	stateOpen
	stateClosed
)

// historyLen is how many weekly snapshots a run keeps for the signals:
// enough for the rising trend (6 readings) and sustained overload (4).
const historyLen = 8

// Run simulates policy p on replication rep of cfg. It returns an error
// for an invalid cfg, for an assignment that names a case or worker not
// in the week's problem, and for an error of the policy; when ctx is
// done it stops and returns ctx's error.
func Run(ctx context.Context, cfg Config, p Policy, rep int) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	m, err := weight.Compile(cfg.Model, &weight.Options{IgnoreUnknown: true})
	if err != nil {
		return nil, err
	}
	s, err := newScenario(&cfg, m, rep)
	if err != nil {
		return nil, err
	}
	return s.run(ctx, p, true)
}

// runner is the state of one policy on one scenario.
type runner struct {
	s        *scenario
	opts     *balance.Options
	state    []uint8
	owner    []int        // roster index, -1 for none
	assigned []civil.Date // when the current owner took it
	started  []civil.Date // first assignment; zero while never placed
	closeAt  []civil.Date // when the work ends, once the pace says it ends before the next meeting
	left     []float64    // days of work left at the normal pace
	declines [][]balance.Decline
	active   []int // queued and open cases, by index
	next     int   // first case not yet arrived
	arrived  int
	closed   int
	intake   []int // per roster index, the sequence number of the last intake
	seq      int
	slot     []int // roster index to index in the week's team, -1 when not on it
	cases    []balance.Case
	hist     []balance.Snapshot
}

func (s *scenario) run(ctx context.Context, p Policy, keepWorkers bool) (*Result, error) {
	n := len(s.cases)
	r := &runner{
		s:        s,
		opts:     &s.cfg.Options,
		state:    make([]uint8, n),
		owner:    make([]int, n),
		assigned: make([]civil.Date, n),
		started:  make([]civil.Date, n),
		closeAt:  make([]civil.Date, n),
		left:     make([]float64, n),
		declines: make([][]balance.Decline, n),
		intake:   make([]int, len(s.roster)),
		slot:     make([]int, len(s.roster)),
	}
	for i := range r.intake {
		r.intake[i] = -1
	}
	for i := range r.owner {
		r.owner[i] = -1
	}
	res := &Result{Policy: p.Name(), Replication: s.rep, Weeks: make([]WeekResult, 0, len(s.dates))}
	for w := range s.dates {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		wr, err := r.meeting(ctx, p, w, keepWorkers)
		if err != nil {
			return nil, fmt.Errorf("sim: %s, replication %d, week %d: %w", p.Name(), s.rep, w, err)
		}
		res.Weeks = append(res.Weeks, wr)
	}
	res.Summary = summarize(res.Weeks, s.cfg.WarmupWeeks, r.stillWaiting())
	return res, nil
}

// weightOn returns case ci's weight on d: by its phase, counted in whole
// weeks from its first assignment; a case never placed is in its first.
func (r *runner) weightOn(ci int, d civil.Date) balance.HoursPerWeek {
	c := &r.s.cases[ci]
	if r.started[ci].IsZero() {
		return c.weights[0]
	}
	return c.weights[c.phase(d.Sub(r.started[ci])/7)]
}

// meeting runs weekly meeting w: workers who left hand back their cases,
// finished cases close, new cases join the queue, the policy allocates
// (again after declines), and the team is scored.
func (r *runner) meeting(ctx context.Context, p Policy, w int, keepWorkers bool) (WeekResult, error) {
	s := r.s
	d := s.dates[w]
	wr := WeekResult{Week: w, Date: d}
	for i := range r.slot {
		r.slot[i] = -1
	}
	for j, i := range s.onTeam[w] {
		r.slot[i] = j
	}
	// Cases of workers who left go back to the queue; the work left on
	// them waits with them.
	for _, ci := range r.active {
		if r.state[ci] == stateOpen && r.slot[r.owner[ci]] < 0 {
			r.state[ci] = stateQueued
			r.owner[ci] = -1
			r.closeAt[ci] = civil.Date{}
		}
	}
	// Finished cases close.
	var leadSum float64
	kept := r.active[:0]
	for _, ci := range r.active {
		if r.state[ci] == stateOpen && !r.closeAt[ci].IsZero() && !r.closeAt[ci].After(d) {
			r.state[ci] = stateClosed
			r.closed++
			wr.ClosedNow++
			c := &s.cases[ci]
			lead := float64(r.closeAt[ci].Sub(c.arrived)) / 7
			leadSum += lead
			if norm := s.cfg.Types[c.typ].LeadTimeWeeks; norm > 0 && lead > float64(norm) {
				wr.LeadTimeOver++
			}
			continue
		}
		kept = append(kept, ci)
	}
	r.active = kept
	if wr.ClosedNow > 0 {
		wr.LeadTimeWeeks = leadSum / float64(wr.ClosedNow)
	}
	// New cases arrive; at the first meeting, the opening caseload.
	for r.next < len(s.cases) && s.cases[r.next].arrived.Before(d) {
		ci := r.next
		r.next++
		r.arrived++
		c := &s.cases[ci]
		if w == 0 && c.initOwner >= 0 {
			r.state[ci] = stateOpen
			r.owner[ci] = c.initOwner
			r.assigned[ci], r.started[ci] = c.initAssigned, c.initAssigned
			r.left[ci] = float64(c.days - d.Sub(c.initAssigned))
		} else {
			r.state[ci] = stateQueued
		}
		r.active = append(r.active, ci)
	}
	// Allocation, in rounds while workers decline.
	team := s.team[w]
	var waitSum float64
	for round := 0; ; round++ {
		week := r.week(w, round)
		as, err := p.Allocate(ctx, week)
		if err != nil {
			return wr, err
		}
		declined := 0
		for _, a := range as {
			ci, ok := s.byID[a.Case]
			if !ok || (r.state[ci] != stateQueued && r.state[ci] != stateOpen) {
				return wr, fmt.Errorf("policy gave case %q, which is not open or waiting", a.Case)
			}
			wi, ok := s.workers[a.Worker]
			if !ok || r.slot[wi] < 0 {
				return wr, fmt.Errorf("policy gave case %q to %q, who is not on the team", a.Case, a.Worker)
			}
			if r.owner[ci] == wi {
				continue
			}
			if r.declinesNow(ci, wi) {
				r.declines[ci] = append(r.declines[ci], balance.Decline{Worker: a.Worker, Reason: "declined in the simulation", Date: d})
				declined++
				continue
			}
			switch {
			case r.state[ci] == stateOpen:
				wr.Moves++
			case r.started[ci].IsZero():
				wr.Placed++
				r.started[ci] = d
				r.left[ci] = float64(s.cases[ci].days)
				wait := workingDays(s.cases[ci].arrived, d)
				waitSum += float64(wait)
				if wait > s.cfg.waitingDays() {
					wr.WaitedPast++
				}
				r.intake[wi] = r.seq
				r.seq++
			default:
				wr.Replaced++
			}
			r.state[ci] = stateOpen
			r.owner[ci] = wi
			r.assigned[ci] = d
		}
		wr.Declines += declined
		if declined == 0 || round >= len(team) {
			break
		}
	}
	if wr.Placed > 0 {
		wr.WaitDays = waitSum / float64(wr.Placed)
	}
	for _, ci := range r.active {
		switch r.state[ci] {
		case stateOpen:
			wr.Open++
		case stateQueued:
			wr.Queued++
		}
	}
	wr.Arrived, wr.Closed = r.arrived, r.closed
	if wr.Arrived != wr.Open+wr.Queued+wr.Closed {
		panic(fmt.Sprintf("sim: lost cases: %d arrived, %d open, %d queued, %d closed", wr.Arrived, wr.Open, wr.Queued, wr.Closed))
	}
	return wr, r.score(&wr, w, keepWorkers)
}

// work advances every open case by the week after meeting d, at its
// owner's pace: the normal pace, or with [Config.Slowdown] capacity/load
// of it for an owner above capacity and none for an owner without
// capacity (absent, or not started). A case whose work ends within the
// week closes on the day it ends, at the next meeting.
func (r *runner) work(im balance.Imbalance, d civil.Date) {
	s := r.s
	pace := make([]float64, len(s.roster))
	for _, wl := range im.Workers {
		i := s.workers[wl.Worker]
		switch {
		case !s.cfg.Slowdown:
			pace[i] = 1
		case wl.Capacity <= 0:
			pace[i] = 0
		case wl.Utilization > 1:
			pace[i] = 1 / wl.Utilization
		default:
			pace[i] = 1
		}
	}
	for _, ci := range r.active {
		if r.state[ci] != stateOpen || !r.closeAt[ci].IsZero() {
			continue
		}
		step := 7 * pace[r.owner[ci]]
		if r.left[ci] <= step {
			r.closeAt[ci] = d.AddDays(max(1, int(math.Ceil(r.left[ci]/pace[r.owner[ci]]))))
		}
		r.left[ci] -= step
	}
}

// declinesNow reports whether worker wi declines case ci when offered
// it for the first time.
func (r *runner) declinesNow(ci, wi int) bool {
	if _, ok := slices.BinarySearch(r.s.cases[ci].declines, wi); !ok {
		return false
	}
	id := r.s.roster[wi]
	for _, d := range r.declines[ci] {
		if d.Worker == id {
			return false // declined before: a policy that offers again is told no again, but only once
		}
	}
	return true
}

// week builds the problem of meeting w for the policy.
func (r *runner) week(w, round int) *Week {
	s := r.s
	d := s.dates[w]
	r.fill(d)
	wk := &Week{Index: w, Date: d, Round: round, Options: r.opts,
		Problem:    balance.Problem{AsOf: d, Workers: s.team[w], Cases: r.cases},
		lastIntake: make([]int, len(s.team[w]))}
	for j, i := range s.onTeam[w] {
		wk.lastIntake[j] = r.intake[i]
	}
	for k, ci := range r.active {
		if r.state[ci] == stateQueued {
			wk.Queue = append(wk.Queue, k)
		}
	}
	return wk
}

// fill writes the active cases, as package balance sees them on d, into
// r.cases: a fresh slice, since a policy may keep the week's problem
// while the next meeting is built.
func (r *runner) fill(d civil.Date) {
	s := r.s
	r.cases = make([]balance.Case, len(r.active))
	for k, ci := range r.active {
		c := &s.cases[ci]
		bc := balance.Case{ID: c.id, Weight: r.weightOn(ci, d), Share: c.share, Skills: c.skills,
			Severity: c.severity, Arrived: c.arrived, Declines: r.declines[ci]}
		if r.state[ci] == stateOpen {
			bc.Owner = s.roster[r.owner[ci]]
			bc.Assigned = r.assigned[ci]
		}
		r.cases[k] = bc
	}
}

// score scores the team after meeting w and raises its signals.
func (r *runner) score(wr *WeekResult, w int, keepWorkers bool) error {
	s := r.s
	d := s.dates[w]
	r.fill(d)
	t, err := balance.Prepare(balance.Problem{AsOf: d, Workers: s.team[w], Cases: r.cases}, r.opts)
	if err != nil {
		return err
	}
	im := t.Score()
	r.work(im, d)
	u := im.Utilization
	wr.MaxUtilization, wr.MeanUtilization, wr.UtilizationCV, wr.Gini = u.Max, u.Mean, u.CV, u.Gini
	wr.CountCV = im.Counts.CV
	wr.OverloadHours = im.OverloadHours
	for _, wl := range im.Workers {
		if wl.Capacity > 0 && wl.Utilization > 1.1 {
			wr.Over110++
		}
		if keepWorkers {
			wr.Workers = append(wr.Workers, WorkerWeek{Worker: wl.Worker, Capacity: wl.Capacity, Load: wl.Load, Utilization: wl.Utilization, Cases: wl.Cases})
		}
	}
	if s.cfg.NoSignals {
		return nil
	}
	// A worker who left is not in the history the signals read.
	for h := range r.hist {
		ws := r.hist[h].Workers
		kept := ws[:0]
		for _, x := range ws {
			if i, ok := s.workers[x.Worker]; ok && r.slot[i] >= 0 {
				kept = append(kept, x)
			}
		}
		r.hist[h].Workers = kept
	}
	sigs, err := t.Signals(r.hist, &s.cfg.Thresholds)
	if err != nil {
		return err
	}
	wr.Signals = countSignals(sigs)
	if len(r.hist) == historyLen {
		copy(r.hist, r.hist[1:])
		r.hist = r.hist[:historyLen-1]
	}
	r.hist = append(r.hist, t.Snapshot())
	return nil
}

func countSignals(sigs []signal.Signal) SignalCounts {
	var sc SignalCounts
	for _, g := range sigs {
		switch g.Severity {
		case signal.Info:
			sc.Info++
		case signal.Warning:
			sc.Warning++
		default:
			sc.Critical++
		}
		k, ok := slices.BinarySearchFunc(sc.ByCode, g.Code, func(c CodeCount, code string) int {
			if c.Code < code {
				return -1
			} else if c.Code > code {
				return 1
			}
			return 0
		})
		if !ok {
			sc.ByCode = slices.Insert(sc.ByCode, k, CodeCount{Code: g.Code})
		}
		sc.ByCode[k].Count++
	}
	return sc
}

// stillWaiting counts the new cases waiting at the end of the run for
// longer than the waiting threshold.
func (r *runner) stillWaiting() int {
	s := r.s
	end := s.dates[len(s.dates)-1]
	n := 0
	for _, ci := range r.active {
		if r.state[ci] == stateQueued && r.started[ci].IsZero() && workingDays(s.cases[ci].arrived, end) > s.cfg.waitingDays() {
			n++
		}
	}
	return n
}

// workingDays counts the days Monday to Friday after a up to and
// including b.
func workingDays(a, b civil.Date) int {
	n := 0
	for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
		if d.IsWeekday() {
			n++
		}
	}
	return n
}
