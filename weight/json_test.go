package weight_test

import (
	"encoding/json"
	"testing"

	"github.com/caseload/caseload/weight"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInputsAndResultsJSON: a case's attributes, an observation and a
// weight with its breakdown travel as snake_case JSON, as the model
// does, and come back equal (empty maps and lists come back nil).
func TestInputsAndResultsJSON(t *testing.T) {
	t.Parallel()
	a := weight.Attributes{ID: "c1", Type: "supervision", Phase: "intake",
		Flags: map[string]bool{"court": true}, Counts: map[string]int{"children": 3}, Numbers: map[string]float64{"travel_km": 12.5}}
	b, err := json.Marshal(weight.Observation{Attributes: a, Hours: 4.5})
	require.NoError(t, err)
	assert.JSONEq(t, `{"attributes":{"id":"c1","type":"supervision","phase":"intake","flags":{"court":true},
		"counts":{"children":3},"numbers":{"travel_km":12.5}},"hours":4.5}`, string(b))
	var o weight.Observation
	require.NoError(t, json.Unmarshal(b, &o))
	assert.Equal(t, a, o.Attributes)

	m := weight.Model{Types: []weight.CaseType{{Name: "supervision", Hours: 2, Severity: 1}},
		Factors: []weight.Factor{{Name: "court", Kind: weight.Multiplier, On: weight.Flag, Attribute: "court", Value: 1.5, Severity: 1}}}
	w, err := weight.Weigh(m, weight.Attributes{Type: "supervision", Flags: map[string]bool{"court": true}}, nil)
	require.NoError(t, err)
	b, err = json.Marshal(w)
	require.NoError(t, err)
	var back weight.Weight
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, w, back)
	assert.Contains(t, string(b), `"kind":"multiplier"`)
}
