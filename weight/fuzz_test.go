package weight_test

import (
	"encoding/json"
	"testing"

	"github.com/caseload/caseload/weight"
	"github.com/stretchr/testify/require"
)

// FuzzParseModel feeds arbitrary bytes to the JSON decoder. No input may
// panic; whatever parses is valid, compiles, weighs its first type, and
// survives a round trip through encoding/json exactly.
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
		out, err := json.Marshal(m)
		require.NoError(t, err)
		back, err := weight.ParseModel(out)
		require.NoError(t, err)
		require.Equal(t, m, back)
	})
}
