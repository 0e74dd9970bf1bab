package balancetest

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/signal"
	"pgregory.net/rapid"
)

// ErrSignals: a signal is malformed, out of order, about something the
// problem does not have, or disagrees with a rule that decides plainly
// who gets it.
var ErrSignals = errors.New("balancetest: signals wrong")

// signalCodes are the codes Team.Signals may raise.
func signalCodes() []string {
	return []string{
		balance.SignalLoad, balance.SignalOverNorm, balance.SignalSustained, balance.SignalRising,
		balance.SignalImbalance, balance.SignalSevere, balance.SignalBottleneck, balance.SignalSingleHolder,
		balance.SignalShortfall, balance.SignalWaiting, balance.SignalLeadTime, balance.SignalPressureHigh,
		balance.SignalPressureLow, balance.SignalDeclines, balance.SignalDeclinedCase, balance.SignalPaused,
		balance.SignalPauseEnds,
	}
}

// CheckSignals reports every invariant of [balance.Team.Signals] that ss
// breaks as the signals of p, prepared with opts, read against history
// under thresholds th (nil means the defaults). It returns nil if ss
// keeps them all, and otherwise an error joining one [*Violation] per
// fault found (at most 100), each wrapping [ErrSignals]:
//
//   - every signal passes [signal.Signal.Check] and has a message, its
//     code is one of the Signal… codes of package balance and not
//     switched off (th.Off), and they come sorted by [signal.Compare];
//   - every subject is something p has: a worker on the team, a case, a
//     family, a skill that a worker holds or a case requires, or the
//     team;
//   - [balance.SignalPaused] is raised exactly for the workers whose
//     intake is paused on p.AsOf (see [Ineligible]), with the days left,
//     today included, or 0 for a pause until lifted;
//     [balance.SignalPauseEnds] exactly for those of them whose pause ends
//     within th.PauseNotice days (7 when zero), today counted as the
//     first;
//   - [balance.SignalOverNorm] is raised exactly for the workers who are
//     not absent and hold more shares than their caseload norm (beyond
//     1e-4 shares), with the shares as its value and the norm as its
//     threshold;
//   - [balance.SignalLoad] is raised exactly for the workers with
//     capacity whose utilization is above th.LoadInfo (0.9 when zero), at
//     the severity and threshold of the highest of LoadInfo, LoadWarning
//     (1.0) and LoadCritical (1.1) it is above, with the utilization as
//     its value.
//
// The other kinds depend on history and judgement and are checked for
// form only. If p, opts, history or th are not valid input,
// CheckSignals returns an error wrapping [ErrInput]. It never modifies
// its arguments. The time is O(n + s·log s) for n cases and s signals,
// besides the validation.
func CheckSignals(p balance.Problem, opts *balance.Options, history []balance.Snapshot, th *balance.Thresholds, ss []signal.Signal) error {
	team, err := balance.Prepare(p, opts)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInput, err)
	}
	// Validate history and thresholds on the team without its cases:
	// the errors do not depend on them, and it is quicker.
	staff, err := balance.Prepare(balance.Problem{AsOf: p.AsOf, Workers: p.Workers}, opts)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInput, err)
	}
	if _, err := staff.Signals(history, th); err != nil {
		return fmt.Errorf("%w: %w", ErrInput, err)
	}
	var t balance.Thresholds
	if th != nil {
		t = *th
	}
	t.LoadInfo, t.LoadWarning, t.LoadCritical = or(t.LoadInfo, 0.9), or(t.LoadWarning, 1.0), or(t.LoadCritical, 1.1)
	if t.PauseNotice == 0 {
		t.PauseNotice = 7
	}
	var r report
	bad := func(s signal.Signal, format string, args ...any) {
		r.addf(ErrSignals, "", "", "", "%s about %s %q: %s", s.Code, s.Subject.Kind, s.Subject.ID, fmt.Sprintf(format, args...))
	}

	// Form, order and subjects.
	workers := map[string]balance.Worker{}
	subjects := map[signal.Subject]bool{{Kind: signal.Team}: true}
	for _, w := range p.Workers {
		workers[w.ID] = w
		subjects[signal.Subject{Kind: signal.Worker, ID: w.ID}] = true
		for _, s := range w.Skills {
			subjects[signal.Subject{Kind: signal.Skill, ID: s}] = true
		}
	}
	for _, c := range p.Cases {
		subjects[signal.Subject{Kind: signal.Case, ID: c.ID}] = true
		if c.Group != "" {
			subjects[signal.Subject{Kind: signal.Family, ID: c.Group}] = true
		}
		for _, s := range c.Skills {
			subjects[signal.Subject{Kind: signal.Skill, ID: s}] = true
		}
	}
	for k, s := range ss {
		if err := s.Check(); err != nil {
			bad(s, "%v", err)
		}
		if s.Message == "" {
			bad(s, "no message")
		}
		if !slices.Contains(signalCodes(), s.Code) || slices.Contains(t.Off, s.Code) {
			bad(s, "a code balance does not raise, or one switched off")
		}
		if s.Subject.Kind == signal.Team {
			s.Subject.ID = ""
		}
		if !subjects[s.Subject] {
			bad(s, "a subject the problem does not have")
		}
		if k > 0 && signal.Compare(ss[k-1], ss[k]) > 0 {
			bad(s, "out of order after %s about %q", ss[k-1].Code, ss[k-1].Subject.ID)
		}
	}

	// The plain rules: who gets which signal, and its numbers.
	type want struct {
		severity         signal.Severity
		value, threshold float64
		hasThreshold     bool
	}
	expect := map[string]map[string]want{}
	add := func(code, worker string, w want) {
		if slices.Contains(t.Off, code) {
			return
		}
		if expect[code] == nil {
			expect[code] = map[string]want{}
		}
		expect[code][worker] = w
	}
	im := team.Score()
	for _, wl := range im.Workers {
		w := workers[wl.Worker]
		if paused(p.AsOf, w) {
			left := 0
			if !w.Pause.Until.IsZero() {
				left = w.Pause.Until.Sub(p.AsOf) + 1
				if left <= t.PauseNotice {
					add(balance.SignalPauseEnds, w.ID, want{signal.Info, float64(left), float64(t.PauseNotice), true})
				}
			}
			add(balance.SignalPaused, w.ID, want{severity: signal.Info, value: float64(left)})
		}
		if w.CaseloadNorm != nil && !absent(p.AsOf, w) && overNorm(toMicro(float64(wl.Shares)), *w.CaseloadNorm) {
			add(balance.SignalOverNorm, w.ID, want{signal.Warning, float64(wl.Shares), float64(*w.CaseloadNorm), true})
		}
		if u := wl.Utilization; w.Capacity > 0 {
			switch {
			case u > t.LoadCritical:
				add(balance.SignalLoad, w.ID, want{signal.Critical, u, t.LoadCritical, true})
			case u > t.LoadWarning:
				add(balance.SignalLoad, w.ID, want{signal.Warning, u, t.LoadWarning, true})
			case u > t.LoadInfo:
				add(balance.SignalLoad, w.ID, want{signal.Info, u, t.LoadInfo, true})
			}
		}
	}
	for _, code := range []string{balance.SignalPaused, balance.SignalPauseEnds, balance.SignalOverNorm, balance.SignalLoad} {
		got := map[string]bool{}
		for _, s := range ss {
			if s.Code != code || s.Subject.Kind != signal.Worker {
				continue
			}
			got[s.Subject.ID] = true
			w, ok := expect[code][s.Subject.ID]
			switch {
			case !ok:
				bad(s, "raised, but the rule does not raise it")
			case s.Severity != w.severity:
				bad(s, "severity %v, want %v", s.Severity, w.severity)
			case !near(s.Value, w.value):
				bad(s, "value %v, want %v", s.Value, w.value)
			case w.hasThreshold && !near(s.Threshold, w.threshold):
				bad(s, "threshold %v, want %v", s.Threshold, w.threshold)
			}
		}
		for _, id := range sortedKeys(expect[code]) {
			if !got[id] {
				r.addf(ErrSignals, "", id, "", "%s not raised, but the rule raises it", code)
			}
		}
	}
	return r.err()
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// HistoryGen returns a generator of valid histories for p: up to eight
// weekly snapshots before p.AsOf, oldest first, a day or two early or
// late now and then, each with every worker's capacity and shares as
// they are today and a load drawn around today's (from empty to twice
// as full), some workers missing (not hired yet) and some waiting cases;
// now and then a last snapshot dated p.AsOf. It panics if p is not
// valid input, as a test helper may.
func HistoryGen(p balance.Problem) *rapid.Generator[[]balance.Snapshot] {
	team, err := balance.Prepare(p, nil)
	if err != nil {
		panic("balancetest: HistoryGen: " + err.Error())
	}
	now := team.Snapshot()
	return rapid.Custom(func(t *rapid.T) []balance.Snapshot {
		n := rapid.IntRange(0, 8).Draw(t, "weeks")
		var hs []balance.Snapshot
		last := civil.Date{}
		for k := n; k >= 1; k-- {
			d := p.AsOf.AddDays(-7*k + rapid.IntRange(-2, 2).Draw(t, "drift"))
			if !last.IsZero() && !d.After(last) || !d.Before(p.AsOf) {
				continue
			}
			last = d
			hs = append(hs, snapshotAround(t, now, d))
		}
		if chance(t, "today", 0.2) {
			hs = append(hs, snapshotAround(t, now, p.AsOf))
		}
		return hs
	})
}

// snapshotAround draws a snapshot dated d from now, with loads scaled.
func snapshotAround(t *rapid.T, now balance.Snapshot, d civil.Date) balance.Snapshot {
	s := balance.Snapshot{Date: d}
	for _, w := range now.Workers {
		if chance(t, "not-hired", 0.1) {
			continue
		}
		f := rapid.SampledFrom([]float64{1, 0.9, 1.1, 0, 0.5, 1.5, 2}).Draw(t, "load-factor")
		w.Load = balance.HoursPerWeek(math.Min(float64(w.Load)*f, maxHours))
		s.Workers = append(s.Workers, w)
	}
	for _, c := range now.Waiting {
		if chance(t, "was-waiting", 0.5) {
			s.Waiting = append(s.Waiting, c)
		}
	}
	return s
}

// ThresholdsGen returns a generator of valid thresholds for
// [balance.Team.Signals]: nil now and then, the load bands moved, a few
// kinds switched off, and other notice periods.
func ThresholdsGen() *rapid.Generator[*balance.Thresholds] {
	return rapid.Custom(func(t *rapid.T) *balance.Thresholds {
		if chance(t, "nil-thresholds", 0.3) {
			return nil
		}
		th := &balance.Thresholds{PauseNotice: rapid.SampledFrom([]int{0, 1, 14}).Draw(t, "pause-notice")}
		if chance(t, "bands", 0.5) {
			th.LoadInfo, th.LoadWarning, th.LoadCritical = 0.5, 0.8, 1.0
		}
		if chance(t, "off", 0.3) {
			th.Off = rapid.SliceOfNDistinct(rapid.SampledFrom(signalCodes()), 1, 3, rapid.ID[string]).Draw(t, "off")
		}
		return th
	})
}
