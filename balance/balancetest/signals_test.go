package balancetest_test

import (
	"math"
	"slices"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/signal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestSignalsKeepInvariants raises the signals of generated problems
// against generated histories and thresholds, and holds them against
// CheckSignals.
func TestSignalsKeepInvariants(t *testing.T) {
	t.Parallel()
	for _, sh := range shapes() {
		t.Run(sh.name, func(t *testing.T) {
			t.Parallel()
			rounds(t, max(1, sh.rounds/2), func(t *rapid.T) {
				p := balancetest.ProblemGen(sh.shape).Draw(t, "problem")
				opts := balancetest.OptionsGen().Draw(t, "options")
				history := balancetest.HistoryGen(p).Draw(t, "history")
				th := balancetest.ThresholdsGen().Draw(t, "thresholds")
				team, err := balance.Prepare(p, opts)
				require.NoError(t, err)
				ss, err := team.Signals(history, th)
				require.NoError(t, err)
				require.NoError(t, balancetest.CheckSignals(p, opts, history, th, ss))
			})
		})
	}
}

// TestCheckSignalsCatchesCorruption corrupts valid signals on purpose.
func TestCheckSignalsCatchesCorruption(t *testing.T) {
	t.Parallel()
	asOf := civil.NewDate(2026, 3, 4)
	p := balance.Problem{
		AsOf: asOf,
		Workers: []balance.Worker{
			{ID: "ann", Capacity: 20, CaseloadNorm: balance.CaseloadNorm(1)},
			{ID: "bob", Capacity: 20, Pause: &balance.Pause{Until: asOf.AddDays(2), Reason: "relief"}},
			{ID: "cas", Capacity: 20},
		},
		Cases: []balance.Case{
			{ID: "a1", Weight: 12, Owner: "ann"}, {ID: "a2", Weight: 11, Owner: "ann"},
			{ID: "b1", Weight: 3, Owner: "bob"}, {ID: "q1", Weight: 2},
		},
	}
	team, err := balance.Prepare(p, nil)
	require.NoError(t, err)
	good, err := team.Signals(nil, nil)
	require.NoError(t, err)
	require.NoError(t, balancetest.CheckSignals(p, nil, nil, nil, good))
	codes := map[string]bool{}
	for _, s := range good {
		codes[s.Code] = true
	}
	for _, c := range []string{balance.SignalLoad, balance.SignalOverNorm, balance.SignalPaused, balance.SignalPauseEnds} {
		require.True(t, codes[c], "the signals to corrupt include %s", c)
	}
	find := func(ss []signal.Signal, code string) int {
		return slices.IndexFunc(ss, func(s signal.Signal) bool { return s.Code == code })
	}
	// Each corruption names a part of the message that only the check
	// meant to catch it writes, so that a corruption caught by another
	// check by chance does not pass for this one.
	tests := []struct {
		name    string
		corrupt func(ss []signal.Signal) []signal.Signal
		want    string
	}{
		{"dropped pause", func(ss []signal.Signal) []signal.Signal {
			return slices.Delete(ss, find(ss, balance.SignalPaused), find(ss, balance.SignalPaused)+1)
		}, `worker "bob": intake.paused not raised`},
		{"pause days wrong", func(ss []signal.Signal) []signal.Signal { ss[find(ss, balance.SignalPaused)].Value++; return ss },
			`intake.paused about worker "bob": value 4, want 3`},
		{"dropped norm", func(ss []signal.Signal) []signal.Signal {
			return slices.Delete(ss, find(ss, balance.SignalOverNorm), find(ss, balance.SignalOverNorm)+1)
		}, `worker "ann": caseload.over-norm not raised`},
		{"load at the wrong severity", func(ss []signal.Signal) []signal.Signal {
			ss[find(ss, balance.SignalLoad)].Severity = signal.Info
			return ss
		}, `load.over about worker "ann": severity info, want critical`},
		{"out of order", func(ss []signal.Signal) []signal.Signal { slices.Reverse(ss); return ss }, "out of order"},
		{"stranger", func(ss []signal.Signal) []signal.Signal { ss[0].Subject.ID = "zed"; return ss }, "a subject the problem does not have"},
		{"not finite", func(ss []signal.Signal) []signal.Signal { ss[0].Threshold = math.NaN(); return ss }, "NaN"},
		{"no message", func(ss []signal.Signal) []signal.Signal { ss[0].Message = ""; return ss }, "no message"},
		{"a worker who is not over", func(ss []signal.Signal) []signal.Signal {
			s := ss[find(ss, balance.SignalLoad)]
			s.Subject.ID = "cas"
			return append(ss, s)
		}, `load.over about worker "cas": raised, but the rule does not raise it`},
		// Before these two were checked, a signal raised twice, or a
		// worker's signal raised about the team, passed.
		{"raised twice", func(ss []signal.Signal) []signal.Signal {
			i := find(ss, balance.SignalLoad)
			return slices.Insert(ss, i, ss[i])
		}, `load.over about worker "ann": raised twice`},
		{"about the team", func(ss []signal.Signal) []signal.Signal {
			s := ss[find(ss, balance.SignalOverNorm)]
			s.Subject = signal.Subject{Kind: signal.Team}
			return append(ss, s)
		}, "but the rule raises it about workers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ss := tt.corrupt(slices.Clone(good))
			err := balancetest.CheckSignals(p, nil, nil, nil, ss)
			require.ErrorIs(t, err, balancetest.ErrSignals)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	assert.ErrorIs(t, balancetest.CheckSignals(p, nil, nil, &balance.Thresholds{LoadInfo: -1}, good), balancetest.ErrInput)
	// Switched off, a signal must not be raised.
	assert.ErrorIs(t, balancetest.CheckSignals(p, nil, nil, &balance.Thresholds{Off: []string{balance.SignalLoad}}, good), balancetest.ErrSignals)
}
