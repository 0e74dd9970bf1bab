package weight_test

import (
	"encoding/json"
	"testing"

	"github.com/caseload/caseload/weight"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzParseModel feeds arbitrary bytes to the JSON decoder. No input may
// panic; whatever parses is valid, compiles, weighs its first type, and
// survives a round trip through encoding/json exactly, with nil and empty
// lists kept apart (see [weight.Model]).
func FuzzParseModel(f *testing.F) {
	for _, m := range []weight.Model{youthProtection(), veiligThuis(), small()} {
		data, err := json.Marshal(m)
		require.NoError(f, err)
		f.Add(data)
	}
	for _, s := range []string{
		``, `null`, `{}`, `[]`, `{"types":[]}`, `{"types":[{"name":"a","hours":1}]} {}`,
		`{"types":[{"name":"a","hours":1e400}]}`, `{"types":[{"name":"a","hours":-0}]}`,
		`{"types":[{"name":"a","hours":1}],"factors":[{"name":"f","kind":"per-unit","on":"count","attribute":"c","value":1,"above":-1}]}`,
		`{"types":[{"name":"a","hours":1}],"effective":"2025-02-30"}`, `{"types":[{"name":"a","hours":1}],"unknown":1}`,
		`{"types":[{"name":"a","hours":1}],"factors":[{"name":"f","kind":7,"on":"flag","attribute":"x","value":1}]}`,
		`{"types":[{"name":"\ud800","hours":1}]}`,
		`{"types":[{"name":"a","hours":1}],"factors":[{"name":"f","kind":"additive","attribute":"x","value":1}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := weight.ParseModel(data)
		if err != nil {
			return
		}
		require.NoError(t, m.Validate())
		c, err := weight.Compile(m, nil)
		require.NoError(t, err)
		if _, err := c.Weigh(weight.Attributes{Type: m.Types[0].Name}); err != nil {
			require.ErrorIs(t, err, weight.ErrOverflow)
		}
		requireRoundTrip(t, m)
	})
}

// requireRoundTrip checks that m survives json.Marshal and ParseModel
// exactly: reflect.DeepEqual, which tells a nil list from an empty one,
// and the same bytes when encoded again.
func requireRoundTrip(t require.TestingT, m weight.Model) {
	data, err := json.Marshal(m)
	require.NoError(t, err)
	back, err := weight.ParseModel(data)
	require.NoError(t, err)
	require.Equal(t, m, back, "%s", data)
	again, err := json.Marshal(back)
	require.NoError(t, err)
	require.Equal(t, string(data), string(again))
}

// TestParseModelRoundTrip checks the round trip on named rows. The first
// is a failure collected from fuzzing, kept also in
// testdata/fuzz/FuzzParseModel; the others are its neighbours.
func TestParseModelRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		json string
	}{
		{"empty phase list after a type without", `{"types":[{"name":"a"},{"name":"b","phases":[]}]}`},
		{"empty factor list", `{"types":[{"name":"a","hours":1}],"factors":[]}`},
		{"null lists", `{"types":[{"name":"a","hours":1,"phases":null}],"factors":null}`},
		{"empty phase list with factors", `{"types":[{"name":"a","hours":1,"phases":[]}],"factors":[{"name":"f","kind":"additive","on":"flag","attribute":"x","value":1}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := weight.ParseModel([]byte(tt.json))
			require.NoError(t, err)
			requireRoundTrip(t, m)
		})
	}
	t.Run("nil and empty are kept apart", func(t *testing.T) {
		t.Parallel()
		m, err := weight.ParseModel([]byte(`{"types":[{"name":"a"},{"name":"b","phases":[]}],"factors":[]}`))
		require.NoError(t, err)
		assert.Nil(t, m.Types[0].Phases)
		assert.NotNil(t, m.Types[1].Phases)
		assert.Empty(t, m.Types[1].Phases)
		assert.NotNil(t, m.Factors)
		data, err := json.Marshal(m)
		require.NoError(t, err)
		assert.JSONEq(t, `{"types":[{"name":"a","hours":0},{"name":"b","hours":0,"phases":[]}],"factors":[]}`, string(data))
	})
	t.Run("a model built in Go", func(t *testing.T) {
		t.Parallel()
		m := small()
		m.Types[1].Phases = []weight.Phase{}
		requireRoundTrip(t, m)
		m.Factors = []weight.Factor{}
		requireRoundTrip(t, m)
		m.Factors = nil
		requireRoundTrip(t, m)
	})
}
