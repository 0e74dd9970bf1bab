package balance_test

import (
	"encoding/json"
	"math"
	"slices"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/signal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// sigAsOf is a Wednesday; the weekly snapshots below fall on Wednesdays.
var sigAsOf = civil.NewDate(2026, 3, 4)

// loaded returns a worker of capacity 100 h/wk and the case that loads
// them to utilization u, so that a utilization reads as its hours.
func loaded(id string, u float64) (balance.Worker, balance.Case) {
	return balance.Worker{ID: id, Capacity: 100}, balance.Case{ID: "c-" + id, Weight: balance.HoursPerWeek(100 * u), Owner: id}
}

// signalsOf prepares p and returns its signals with the given history
// and thresholds.
func signalsOf(t interface {
	require.TestingT
	Helper()
}, p balance.Problem, history []balance.Snapshot, th *balance.Thresholds) []signal.Signal {
	t.Helper()
	team, err := balance.Prepare(p, nil)
	require.NoError(t, err)
	s, err := team.Signals(history, th)
	require.NoError(t, err)
	return s
}

// only keeps the signals of one code.
func only(s []signal.Signal, code string) []signal.Signal {
	return slices.DeleteFunc(slices.Clone(s), func(x signal.Signal) bool { return x.Code != code })
}

func TestSignalLoadBands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		u    float64
		want signal.Severity
		none bool
	}{
		{0.89, 0, true},
		{0.9, 0, true}, // a bound belongs to the band below
		{0.9001, signal.Info, false},
		{1.0, signal.Info, false}, // exactly full is not over
		{1.0001, signal.Warning, false},
		{1.1, signal.Warning, false},
		{1.1001, signal.Critical, false},
	}
	for _, tt := range tests {
		w, c := loaded("ann", tt.u)
		got := only(signalsOf(t, balance.Problem{AsOf: sigAsOf, Workers: []balance.Worker{w}, Cases: []balance.Case{c}}, nil, nil), balance.SignalLoad)
		if tt.none {
			assert.Empty(t, got, "utilization %v", tt.u)
			continue
		}
		require.Len(t, got, 1, "utilization %v", tt.u)
		assert.Equal(t, tt.want, got[0].Severity, "utilization %v", tt.u)
		assert.InDelta(t, tt.u, got[0].Value, 1e-12)
		assert.NotContains(t, got[0].Message, "110%, above 110%", "the sentence never contradicts the value")
	}
	w, c := loaded("ann", 1.104)
	got := only(signalsOf(t, balance.Problem{AsOf: sigAsOf, Workers: []balance.Worker{w}, Cases: []balance.Case{c}}, nil, nil), balance.SignalLoad)
	assert.Equal(t, "ann is at 110.4% of capacity, above 110%", got[0].Message)
}

// weekly returns snapshots of one worker at the given utilizations, a
// week apart, the last one a week before sigAsOf.
func weekly(id string, utils ...float64) []balance.Snapshot {
	var h []balance.Snapshot
	for k, u := range utils {
		h = append(h, balance.Snapshot{
			Date:    sigAsOf.AddDays(-7 * (len(utils) - k)),
			Workers: []balance.WorkerSnapshot{{Worker: id, Load: balance.HoursPerWeek(100 * u), Capacity: 100, Cases: 1}},
		})
	}
	return h
}

// TestSustainedSteps is a step table over weekly histories: above 110%
// in each of the last 4 weekly readings, today's included, is an
// excessive workload since the first of them.
func TestSustainedSteps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		history []float64
		today   float64
		since   int // weeks before today; -1 for no signal
	}{
		{"three readings", []float64{1.2, 1.2}, 1.2, -1},
		{"four readings", []float64{1.2, 1.2, 1.2}, 1.2, 3},
		{"five readings", []float64{1.15, 1.2, 1.2, 1.2}, 1.2, 4},
		{"one week at 110% exactly breaks the run", []float64{1.2, 1.1, 1.2}, 1.2, -1},
		{"today back below", []float64{1.2, 1.2, 1.2}, 1.05, -1},
		{"an old run does not count", []float64{1.2, 1.2, 1.2, 1.2, 0.8, 1.2}, 1.2, -1},
	}
	for _, tt := range tests {
		w, c := loaded("ann", tt.today)
		got := only(signalsOf(t, balance.Problem{AsOf: sigAsOf, Workers: []balance.Worker{w}, Cases: []balance.Case{c}}, weekly("ann", tt.history...), nil), balance.SignalSustained)
		if tt.since < 0 {
			assert.Empty(t, got, tt.name)
			continue
		}
		require.Len(t, got, 1, tt.name)
		assert.Equal(t, signal.Critical, got[0].Severity, tt.name)
		assert.Equal(t, sigAsOf.AddDays(-7*tt.since), got[0].Since, tt.name)
	}
}

// TestRisingSteps: a straight climb of 5 points a week from 70% reaches
// 100% two weeks after today's 90%; two readings are too few, and a
// climb that crosses beyond the 28-day horizon says nothing yet.
func TestRisingSteps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		history []float64
		today   float64
		in      int // days until the crossing; -1 for no signal
	}{
		{"rising 5 points a week", []float64{0.7, 0.75, 0.8, 0.85}, 0.9, 14},
		{"two readings only", []float64{0.85}, 0.9, -1},
		{"three readings", []float64{0.8, 0.85}, 0.9, 14},
		{"slow climb beyond the horizon", []float64{0.8, 0.81, 0.82}, 0.83, -1},
		{"falling", []float64{0.99, 0.95, 0.9}, 0.85, -1},
		{"already over is the load signal's business", []float64{0.9, 0.95, 1.0}, 1.05, -1},
	}
	for _, tt := range tests {
		w, c := loaded("ann", tt.today)
		got := only(signalsOf(t, balance.Problem{AsOf: sigAsOf, Workers: []balance.Worker{w}, Cases: []balance.Case{c}}, weekly("ann", tt.history...), nil), balance.SignalRising)
		if tt.in < 0 {
			assert.Empty(t, got, tt.name)
			continue
		}
		require.Len(t, got, 1, tt.name)
		assert.Equal(t, sigAsOf.AddDays(tt.in), got[0].Projected, tt.name)
	}
}

func TestSignalTeam(t *testing.T) {
	t.Parallel()
	a, ca := loaded("ann", 0.5)
	b, cb := loaded("bob", 0.5)
	even := balance.Problem{AsOf: sigAsOf, Workers: []balance.Worker{a, b}, Cases: []balance.Case{ca, cb}}
	assert.Empty(t, signalsOf(t, even, nil, nil), "an even team below capacity raises nothing")

	// Imbalance: 30% and 90% around a mean of 60% is a CV of 0.5.
	a, ca = loaded("ann", 0.3)
	b, cb = loaded("bob", 0.9)
	got := only(signalsOf(t, balance.Problem{AsOf: sigAsOf, Workers: []balance.Worker{a, b}, Cases: []balance.Case{ca, cb}}, nil, nil), balance.SignalImbalance)
	require.Len(t, got, 1)
	assert.InDelta(t, 0.5, got[0].Value, 1e-9)
	assert.Equal(t, signal.Team, got[0].Subject.Kind)

	// Shortfall: 230 h of work for 200 h of capacity, and a sick worker's
	// capacity does not count.
	a, ca = loaded("ann", 1.15)
	b, cb = loaded("bob", 1.15)
	sick := balance.Worker{ID: "cas", Capacity: 100, Away: true}
	got = only(signalsOf(t, balance.Problem{AsOf: sigAsOf, Workers: []balance.Worker{a, b, sick}, Cases: []balance.Case{ca, cb}}, nil, nil), balance.SignalShortfall)
	require.Len(t, got, 1)
	assert.InDelta(t, 230, got[0].Value, 1e-9)
	assert.InDelta(t, 200, got[0].Threshold, 1e-9)
	assert.Equal(t, signal.Figure{Name: "workers needed", Value: 0.3, Unit: "full-time"}, got[0].Figures[1])
	assert.Contains(t, got[0].Message, "the team needs people, not a better distribution")
}

func TestSignalSevereAndSkills(t *testing.T) {
	t.Parallel()
	p := balance.Problem{
		AsOf: sigAsOf,
		Workers: []balance.Worker{
			{ID: "ann", Capacity: 30, Skills: []string{"court", "arabic"}},
			{ID: "bob", Capacity: 30, Skills: []string{"court"}},
			{ID: "cas", Capacity: 30, Skills: []string{"court"}, Away: true},
		},
	}
	// ann holds 4 of the 5 severe cases: 80% against a third of the
	// capacity (the absent cas's included), above 1.5 × 33%.
	for i, o := range []string{"ann", "ann", "ann", "ann", "bob"} {
		p.Cases = append(p.Cases, balance.Case{ID: "s" + string(rune('0'+i)), Weight: 2, Owner: o, Severity: 4})
	}
	// 12 h of arabic work waits; only ann holds arabic and she has 22 h
	// to spare, so it is a single holder but no bottleneck. 25 h of court
	// work waits against 22 + 28 spare: no bottleneck either.
	p.Cases = append(p.Cases,
		balance.Case{ID: "q1", Weight: 12, Skills: []string{"arabic"}},
		balance.Case{ID: "q2", Weight: 25, Skills: []string{"court"}})
	s := signalsOf(t, p, nil, nil)
	sev := only(s, balance.SignalSevere)
	require.Len(t, sev, 1)
	assert.Equal(t, "ann", sev[0].Subject.ID)
	assert.InDelta(t, 0.8, sev[0].Value, 1e-9)
	single := only(s, balance.SignalSingleHolder)
	require.Len(t, single, 1)
	assert.Equal(t, signal.Subject{Kind: signal.Skill, ID: "arabic"}, single[0].Subject)
	assert.Empty(t, only(s, balance.SignalBottleneck))

	// 30 h of arabic work waiting is more than ann's 22 h to spare.
	p.Cases[5].Weight = 30
	bottleneck := only(signalsOf(t, p, nil, nil), balance.SignalBottleneck)
	require.Len(t, bottleneck, 1)
	assert.InDelta(t, 30, bottleneck[0].Value, 1e-9)
	assert.InDelta(t, 22, bottleneck[0].Threshold, 1e-9)
}

// TestSignalQueueSteps: working days waited against the term, halved for
// priority cases, and critical past twice the term or a deadline.
func TestSignalQueueSteps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		c        balance.Case
		severity signal.Severity
		none     bool
	}{
		// sigAsOf is a Wednesday: the previous Wednesday is 5 working days back.
		{"5 working days is on time", balance.Case{ID: "n", Weight: 1, Arrived: sigAsOf.AddDays(-7)}, 0, true},
		{"6 working days is late", balance.Case{ID: "n", Weight: 1, Arrived: sigAsOf.AddDays(-8)}, signal.Warning, false},
		{"priority halves the term", balance.Case{ID: "n", Weight: 1, Priority: 1, Arrived: sigAsOf.AddDays(-6)}, signal.Warning, false},
		{"priority, 3 working days is on time", balance.Case{ID: "n", Weight: 1, Priority: 1, Arrived: sigAsOf.AddDays(-3)}, 0, true},
		{"twice the term is critical", balance.Case{ID: "n", Weight: 1, Arrived: sigAsOf.AddDays(-15)}, signal.Critical, false},
		{"a passed deadline is critical", balance.Case{ID: "n", Weight: 1, Arrived: sigAsOf.AddDays(-1), Deadline: sigAsOf.AddDays(-1)}, signal.Critical, false},
		{"no arrival date, no age", balance.Case{ID: "n", Weight: 1}, 0, true},
		// Counting working days from the zero Date once looped forever:
		// the zero Date plus any number of days stays zero.
		{"no arrival date, a passed deadline", balance.Case{ID: "n", Weight: 1, Deadline: sigAsOf.AddDays(-1)}, signal.Critical, false},
	}
	for _, tt := range tests {
		p := balance.Problem{AsOf: sigAsOf, Workers: []balance.Worker{{ID: "ann", Capacity: 30}}, Cases: []balance.Case{tt.c}}
		got := only(signalsOf(t, p, nil, &balance.Thresholds{LeadTimeWeeks: -1}), balance.SignalWaiting)
		if tt.none {
			assert.Empty(t, got, tt.name)
			continue
		}
		require.Len(t, got, 1, tt.name)
		assert.Equal(t, tt.severity, got[0].Severity, tt.name)
	}

	// Without an arrival date, history tells when the case first waited.
	p := balance.Problem{AsOf: sigAsOf, Workers: []balance.Worker{{ID: "ann", Capacity: 30}}, Cases: []balance.Case{{ID: "n", Weight: 1}}}
	h := []balance.Snapshot{{Date: sigAsOf.AddDays(-14), Waiting: []balance.WaitingCase{{Case: "n"}}}}
	got := only(signalsOf(t, p, h, nil), balance.SignalWaiting)
	require.Len(t, got, 1)
	assert.Equal(t, sigAsOf.AddDays(-14), got[0].Since)
	assert.Equal(t, 10.0, got[0].Value)
}

func TestSignalLeadTime(t *testing.T) {
	t.Parallel()
	p := balance.Problem{AsOf: sigAsOf, Workers: []balance.Worker{{ID: "ann", Capacity: 30}}, Cases: []balance.Case{
		{ID: "old", Weight: 1, Owner: "ann", Arrived: sigAsOf.AddDays(-71)},   // 10 weeks and a day
		{ID: "exact", Weight: 1, Owner: "ann", Arrived: sigAsOf.AddDays(-70)}, // 10 weeks: due today
		{ID: "soon", Weight: 1, Owner: "ann", Arrived: sigAsOf.AddDays(-50)},  // due in 20 days
		{ID: "new", Weight: 1, Owner: "ann", Arrived: sigAsOf.AddDays(-30)},   // due in 40 days
	}}
	got := only(signalsOf(t, p, nil, nil), balance.SignalLeadTime)
	require.Len(t, got, 3)
	bySubject := map[string]signal.Signal{}
	for _, s := range got {
		bySubject[s.Subject.ID] = s
	}
	assert.Equal(t, signal.Warning, bySubject["old"].Severity)
	assert.Equal(t, sigAsOf, bySubject["exact"].Projected)
	assert.Equal(t, sigAsOf.AddDays(20), bySubject["soon"].Projected)
	assert.Empty(t, only(signalsOf(t, p, nil, &balance.Thresholds{LeadTimeWeeks: -1}), balance.SignalLeadTime))
}

func TestSignalPeople(t *testing.T) {
	t.Parallel()
	high, low := 0.8, 0.2
	a, ca := loaded("ann", 0.6)
	a.Pressure = &high
	b, cb := loaded("bob", 1.2)
	b.Pressure = &low
	c := balance.Worker{ID: "cas", Capacity: 100, Pause: &balance.Pause{Until: sigAsOf.AddDays(3), Reason: "relief after the incident of 2 March"}}
	d := balance.Worker{ID: "dee", Capacity: 100}
	p := balance.Problem{AsOf: sigAsOf, Workers: []balance.Worker{a, b, c, d}, Cases: []balance.Case{ca, cb}}
	// dee declined four cases in the last two weeks and q on an unknown
	// day, and q was declined
	// by two of the three who could take it.
	for i := range 4 {
		p.Cases = append(p.Cases, balance.Case{ID: "d" + string(rune('0'+i)), Weight: 1, Owner: "ann",
			Declines: []balance.Decline{{Worker: "dee", Date: sigAsOf.AddDays(-3 * i)}}})
	}
	p.Cases = append(p.Cases, balance.Case{ID: "q", Weight: 1, Declines: []balance.Decline{{Worker: "ann"}, {Worker: "dee"}}})
	s := signalsOf(t, p, nil, nil)
	assert.Equal(t, "ann", only(s, balance.SignalPressureHigh)[0].Subject.ID)
	assert.Equal(t, "bob", only(s, balance.SignalPressureLow)[0].Subject.ID)
	assert.Equal(t, "cas's intake is paused until 2026-03-07: relief after the incident of 2 March", only(s, balance.SignalPaused)[0].Message)
	assert.Equal(t, sigAsOf.AddDays(3), only(s, balance.SignalPauseEnds)[0].Projected)
	dec := only(s, balance.SignalDeclines)
	require.Len(t, dec, 1)
	assert.Equal(t, 5.0, dec[0].Value, "four dated declines and one without a date")
	cased := only(s, balance.SignalDeclinedCase)
	require.Len(t, cased, 1)
	assert.Equal(t, "q", cased[0].Subject.ID)

	// A paused worker ranks out, with the pause's reason.
	team, err := balance.Prepare(p, nil)
	require.NoError(t, err)
	r, err := team.Rank(balance.Case{ID: "new", Weight: 1})
	require.NoError(t, err)
	for _, cd := range r.Candidates {
		if cd.Worker == "cas" {
			assert.False(t, cd.Eligible)
			assert.Equal(t, "intake paused until 2026-03-07: relief after the incident of 2 March", cd.Reasons[0].Message)
		}
	}
}

func TestSignalsOff(t *testing.T) {
	t.Parallel()
	w, c := loaded("ann", 1.2)
	p := balance.Problem{AsOf: sigAsOf, Workers: []balance.Worker{w}, Cases: []balance.Case{c}}
	assert.NotEmpty(t, signalsOf(t, p, nil, nil))
	assert.Empty(t, only(signalsOf(t, p, nil, &balance.Thresholds{Off: []string{balance.SignalLoad}}), balance.SignalLoad))
	got := only(signalsOf(t, p, nil, &balance.Thresholds{LoadCritical: 1.25}), balance.SignalLoad)
	assert.Equal(t, signal.Warning, got[0].Severity, "a moved threshold moves the severity")
}

func TestSignalsBadInput(t *testing.T) {
	t.Parallel()
	w, c := loaded("ann", 0.5)
	team, err := balance.Prepare(balance.Problem{AsOf: sigAsOf, Workers: []balance.Worker{w}, Cases: []balance.Case{c}}, nil)
	require.NoError(t, err)
	snap := func(d civil.Date, ws ...balance.WorkerSnapshot) balance.Snapshot {
		return balance.Snapshot{Date: d, Workers: ws}
	}
	ok := balance.WorkerSnapshot{Worker: "ann", Load: 10, Capacity: 100}
	tests := []struct {
		name    string
		history []balance.Snapshot
		th      *balance.Thresholds
		field   string
		err     error
	}{
		{"unknown worker", []balance.Snapshot{snap(sigAsOf.AddDays(-7), balance.WorkerSnapshot{Worker: "zed"})}, nil, "history[0].Workers[0]", balance.ErrUnknownWorker},
		{"twice", []balance.Snapshot{snap(sigAsOf.AddDays(-7), ok, ok)}, nil, "history[0].Workers[1]", balance.ErrDuplicateID},
		{"out of order", []balance.Snapshot{snap(sigAsOf.AddDays(-7), ok), snap(sigAsOf.AddDays(-14), ok)}, nil, "history[1].Date", balance.ErrBadHistory},
		{"same date", []balance.Snapshot{snap(sigAsOf.AddDays(-7), ok), snap(sigAsOf.AddDays(-7), ok)}, nil, "history[1].Date", balance.ErrBadHistory},
		{"in the future", []balance.Snapshot{snap(sigAsOf.AddDays(1), ok)}, nil, "history[0].Date", balance.ErrBadHistory},
		{"no date", []balance.Snapshot{snap(civil.Date{}, ok)}, nil, "history[0].Date", balance.ErrNoDate},
		{"NaN load", []balance.Snapshot{snap(sigAsOf.AddDays(-7), balance.WorkerSnapshot{Worker: "ann", Load: balance.HoursPerWeek(math.NaN())})}, nil, "history[0].Workers[0].Load", balance.ErrNotFinite},
		{"bad threshold", nil, &balance.Thresholds{ImbalanceCV: -1}, "Thresholds.ImbalanceCV", balance.ErrBadOption},
		{"bands out of order", nil, &balance.Thresholds{LoadInfo: 1.2}, "Thresholds.LoadInfo", balance.ErrBadOption},
	}
	for _, tt := range tests {
		_, err := team.Signals(tt.history, tt.th)
		require.ErrorIs(t, err, tt.err, tt.name)
		var ie *balance.InputError
		require.ErrorAs(t, err, &ie, tt.name)
		assert.Equal(t, tt.field, ie.Field, tt.name)
	}
	// A new hire missing from old snapshots, and today's own snapshot as
	// the last, are fine.
	_, err = team.Signals([]balance.Snapshot{snap(sigAsOf.AddDays(-7)), team.Snapshot()}, nil)
	assert.NoError(t, err)
}

// TestSignalProperties holds the signals to their invariants on random
// problems with a random weekly history.
func TestSignalProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := problemGen(6, 16).Draw(t, "problem")
		team, err := balance.Prepare(p, nil)
		require.NoError(t, err)
		var history []balance.Snapshot
		for k := rapid.IntRange(0, 6).Draw(t, "weeks"); k > 0; k-- {
			s := team.Snapshot()
			s.Date = p.AsOf.AddDays(-7 * k)
			for j := range s.Workers {
				s.Workers[j].Load = balance.HoursPerWeek(rapid.Float64Range(0, 60).Draw(t, "load"))
			}
			history = append(history, s)
		}
		got, err := team.Signals(history, nil)
		require.NoError(t, err)

		// Deterministic, sorted, and every subject exists.
		again, err := team.Signals(history, nil)
		require.NoError(t, err)
		require.Equal(t, got, again)
		require.True(t, slices.IsSortedFunc(got, signal.Compare))
		workers, cases := map[string]bool{}, map[string]bool{}
		for _, w := range p.Workers {
			workers[w.ID] = true
		}
		for _, c := range p.Cases {
			cases[c.ID] = true
		}
		for _, s := range got {
			require.NoError(t, s.Check())
			switch s.Subject.Kind {
			case signal.Worker:
				require.True(t, workers[s.Subject.ID], "signal about unknown worker %q", s.Subject.ID)
			case signal.Case:
				require.True(t, cases[s.Subject.ID], "signal about unknown case %q", s.Subject.ID)
			}
		}

		// Invariant under permutation of the problem.
		team2, err := balance.Prepare(permute(t, p), nil)
		require.NoError(t, err)
		got2, err := team2.Signals(history, nil)
		require.NoError(t, err)
		require.Equal(t, got, got2)

		// Raising one worker's load never removes their load signal.
		for _, s := range got {
			if s.Code != balance.SignalLoad {
				continue
			}
			more := slices.Clone(p.Cases)
			more = append(more, balance.Case{ID: "extra", Weight: 5, Owner: s.Subject.ID})
			q := p
			q.Cases = more
			team3, err := balance.Prepare(q, nil)
			require.NoError(t, err)
			after, err := team3.Signals(history, nil)
			require.NoError(t, err)
			found := false
			for _, a := range after {
				if a.Code == balance.SignalLoad && a.Subject == s.Subject && a.Severity >= s.Severity {
					found = true
				}
			}
			require.True(t, found, "more load removed %s's load signal", s.Subject.ID)
			break
		}
	})
}

// TestEvenTeamRaisesNothing: identical workers with perfectly even load
// and no history raise no signal, but a shortfall when the work is more
// than the team's capacity.
func TestEvenTeamRaisesNothing(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 8).Draw(t, "workers")
		u := rapid.Float64Range(0, 1.5).Draw(t, "utilization")
		p := balance.Problem{AsOf: sigAsOf}
		for i := range n {
			w, c := loaded(string(rune('a'+i)), u)
			p.Workers = append(p.Workers, w)
			p.Cases = append(p.Cases, c)
		}
		got := signalsOf(t, p, nil, &balance.Thresholds{Off: []string{balance.SignalLoad, balance.SignalSustained}})
		for _, s := range got {
			require.Equal(t, balance.SignalShortfall, s.Code, s.Message)
		}
		team, _ := balance.Prepare(p, nil)
		over := team.Score().OverloadHours > 0
		require.Equal(t, over, len(got) == 1, "shortfall exactly when demand exceeds capacity")
	})
}

func TestSnapshotJSON(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := problemGen(6, 16).Draw(t, "problem")
		team, err := balance.Prepare(p, nil)
		require.NoError(t, err)
		s := team.Snapshot()
		b, err := json.Marshal(s)
		require.NoError(t, err)
		var got balance.Snapshot
		require.NoError(t, json.Unmarshal(b, &got))
		require.Equal(t, s, got)
	})
}
