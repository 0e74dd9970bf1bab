package balancetest_test

import (
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
				p = avoidSignalsHang(p, history)
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
	tests := []struct {
		name    string
		corrupt func(ss []signal.Signal) []signal.Signal
	}{
		{"dropped pause", func(ss []signal.Signal) []signal.Signal {
			return slices.Delete(ss, find(ss, balance.SignalPaused), find(ss, balance.SignalPaused)+1)
		}},
		{"pause days wrong", func(ss []signal.Signal) []signal.Signal { ss[find(ss, balance.SignalPaused)].Value++; return ss }},
		{"dropped norm", func(ss []signal.Signal) []signal.Signal {
			return slices.Delete(ss, find(ss, balance.SignalOverNorm), find(ss, balance.SignalOverNorm)+1)
		}},
		{"load at the wrong severity", func(ss []signal.Signal) []signal.Signal {
			ss[find(ss, balance.SignalLoad)].Severity = signal.Info
			return ss
		}},
		{"out of order", func(ss []signal.Signal) []signal.Signal { slices.Reverse(ss); return ss }},
		{"stranger", func(ss []signal.Signal) []signal.Signal { ss[0].Subject.ID = "zed"; return ss }},
		{"not finite", func(ss []signal.Signal) []signal.Signal { ss[0].Threshold = 1 / ss[0].Threshold * 0 / 0; return ss }},
		{"no message", func(ss []signal.Signal) []signal.Signal { ss[0].Message = ""; return ss }},
		{"a worker who is not over", func(ss []signal.Signal) []signal.Signal {
			s := ss[find(ss, balance.SignalLoad)]
			s.Subject.ID = "cas"
			return append(ss, s)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ss := tt.corrupt(slices.Clone(good))
			assert.ErrorIs(t, balancetest.CheckSignals(p, nil, nil, nil, ss), balancetest.ErrSignals)
		})
	}
	assert.ErrorIs(t, balancetest.CheckSignals(p, nil, nil, &balance.Thresholds{LoadInfo: -1}, good), balancetest.ErrInput)
	// Switched off, a signal must not be raised.
	assert.ErrorIs(t, balancetest.CheckSignals(p, nil, nil, &balance.Thresholds{Off: []string{balance.SignalLoad}}, good), balancetest.ErrSignals)
}
