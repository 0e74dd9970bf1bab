package signal_test

import (
	"encoding/json"
	"math"
	"slices"
	"testing"

	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/signal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// signalGen draws valid signals from a small vocabulary, so that ties in
// the sort order are common.
func signalGen() *rapid.Generator[signal.Signal] {
	return rapid.Custom(func(t *rapid.T) signal.Signal {
		s := signal.Signal{
			Code:      rapid.SampledFrom([]string{"load.over", "load.rising", "queue.waiting"}).Draw(t, "code"),
			Severity:  signal.Severity(rapid.IntRange(0, 2).Draw(t, "severity")),
			Subject:   signal.Subject{Kind: rapid.SampledFrom([]signal.Kind{signal.Worker, signal.Case, signal.Team}).Draw(t, "kind"), ID: rapid.SampledFrom([]string{"", "ann", "bob"}).Draw(t, "id")},
			Value:     rapid.Float64Range(-10, 10).Draw(t, "value"),
			Threshold: rapid.Float64Range(0, 2).Draw(t, "threshold"),
			Message:   rapid.SampledFrom([]string{"a", "b"}).Draw(t, "message"),
		}
		if rapid.Bool().Draw(t, "since") {
			s.Since = civil.NewDate(2026, 1, rapid.IntRange(1, 300).Draw(t, "since-day"))
		}
		if rapid.Bool().Draw(t, "projected") {
			s.Projected = civil.NewDate(2026, 1, rapid.IntRange(1, 300).Draw(t, "projected-day"))
		}
		for i := range rapid.IntRange(0, 2).Draw(t, "figures") {
			s.Figures = append(s.Figures, signal.Figure{Name: []string{"load", "capacity"}[i], Value: rapid.Float64Range(0, 50).Draw(t, "figure"), Unit: "h/wk"})
		}
		return s
	})
}

func TestSignalJSONRoundTrip(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		s := signalGen().Draw(t, "signal")
		require.NoError(t, s.Check())
		b, err := json.Marshal(s)
		require.NoError(t, err)
		var got signal.Signal
		require.NoError(t, json.Unmarshal(b, &got))
		assert.Equal(t, s, got)
	})
}

// TestSortIgnoresInputOrder: sorting any permutation of a list gives the
// same list, most severe first.
func TestSortIgnoresInputOrder(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		list := rapid.SliceOfN(signalGen(), 0, 12).Draw(t, "signals")
		shuffled := rapid.Permutation(list).Draw(t, "shuffled")
		a, b := slices.Clone(list), slices.Clone(shuffled)
		signal.Sort(a)
		signal.Sort(b)
		for i := range a {
			// Signals that compare equal may differ in fields the order
			// ignores; compare what the order sees.
			assert.Zero(t, signal.Compare(a[i], b[i]))
			if i > 0 {
				assert.GreaterOrEqual(t, a[i-1].Severity, a[i].Severity)
			}
		}
	})
}

func TestSeverityText(t *testing.T) {
	t.Parallel()
	for _, s := range []signal.Severity{signal.Info, signal.Warning, signal.Critical} {
		b, err := s.MarshalText()
		require.NoError(t, err)
		var got signal.Severity
		require.NoError(t, got.UnmarshalText(b))
		assert.Equal(t, s, got)
	}
	_, err := signal.Severity(3).MarshalText()
	assert.Error(t, err)
	var s signal.Severity
	assert.Error(t, s.UnmarshalText([]byte("urgent")))
	assert.Equal(t, "severity(-1)", signal.Severity(-1).String())
}

func TestCheck(t *testing.T) {
	t.Parallel()
	ok := signal.Signal{Code: "load.over", Subject: signal.Subject{Kind: signal.Worker, ID: "ann"}, Value: 1.2, Threshold: 1.1}
	require.NoError(t, ok.Check())
	tests := []struct {
		name string
		edit func(*signal.Signal)
		want string
	}{
		{"empty code", func(s *signal.Signal) { s.Code = "" }, "empty code"},
		{"no subject kind", func(s *signal.Signal) { s.Subject.Kind = "" }, "empty subject kind"},
		{"unknown severity", func(s *signal.Signal) { s.Severity = 7 }, "unknown severity 7"},
		{"NaN value", func(s *signal.Signal) { s.Value = math.NaN() }, "not finite"},
		{"infinite figure", func(s *signal.Signal) { s.Figures = []signal.Figure{{Name: "x", Value: math.Inf(1)}} }, "figure x is not finite"},
	}
	for _, tt := range tests {
		s := ok
		tt.edit(&s)
		err := s.Check()
		require.ErrorIs(t, err, signal.ErrInvalid, tt.name)
		assert.Contains(t, err.Error(), tt.want, tt.name)
	}
}

func TestStrings(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "worker ann", signal.Subject{Kind: signal.Worker, ID: "ann"}.String())
	assert.Equal(t, "team", signal.Subject{Kind: signal.Team}.String())
	assert.Equal(t, "load 34.5 h/wk", signal.Figure{Name: "load", Value: 34.5, Unit: "h/wk"}.String())
	assert.Equal(t, "cases 12", signal.Figure{Name: "cases", Value: 12}.String())
}
