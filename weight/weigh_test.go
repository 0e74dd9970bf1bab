package weight_test

import (
	"errors"
	"testing"

	"github.com/caseload/caseload/weight"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// small is a model whose numbers are chosen to be exact in binary, so the
// expected weights below are exact.
func small() weight.Model {
	return weight.Model{
		Types: []weight.CaseType{
			{Name: "ots", Hours: 2, Severity: 1, Phases: []weight.Phase{{Name: "intake", Hours: 4}}},
			{Name: "advies", Hours: 0.5},
		},
		Factors: []weight.Factor{
			{Name: "children", Kind: weight.PerUnit, On: weight.Count, Attribute: "children", Above: 1, Value: 0.5, Cap: 1},
			{Name: "travel", Kind: weight.Additive, On: weight.Number, Attribute: "km", Above: 30, Value: 1},
			{Name: "aggression", Kind: weight.Additive, On: weight.Flag, Attribute: "aggression", Value: 0.25, Severity: 2},
			{Name: "court", Kind: weight.Multiplier, On: weight.Flag, Attribute: "court", Value: 1.5, Severity: 1},
			{Name: "interpreter", Kind: weight.Multiplier, On: weight.Flag, Attribute: "interpreter", Value: 1.25, Cap: 0.5},
		},
		MaxHours: 8,
	}
}

func TestWeighTable(t *testing.T) {
	t.Parallel()
	c, err := weight.Compile(small(), nil)
	require.NoError(t, err)
	tests := []struct {
		name  string
		a     weight.Attributes
		hours weight.HoursPerWeek
		sev   weight.Severity
		lines []string // names in the breakdown, in order
	}{
		{"base only", weight.Attributes{Type: "ots"}, 2, 1, []string{"ots"}},
		{"phase replaces base", weight.Attributes{Type: "ots", Phase: "intake"}, 4, 1, []string{"ots/intake"}},
		{"zero count is absent", weight.Attributes{Type: "ots", Counts: map[string]int{"children": 0}}, 2, 1, []string{"ots"}},
		{"first child is in the base", weight.Attributes{Type: "ots", Counts: map[string]int{"children": 1}}, 2, 1, []string{"ots"}},
		{"per additional child", weight.Attributes{Type: "ots", Counts: map[string]int{"children": 2}}, 2.5, 1, []string{"ots", "children"}},
		{"per-unit cap", weight.Attributes{Type: "ots", Counts: map[string]int{"children": 9}}, 3, 1, []string{"ots", "children"}},
		{"travel at threshold does not count", weight.Attributes{Type: "ots", Numbers: map[string]float64{"km": 30}}, 2, 1, []string{"ots"}},
		{"travel above threshold", weight.Attributes{Type: "ots", Numbers: map[string]float64{"km": 30.5}}, 3, 1, []string{"ots", "travel"}},
		{"false flag is absent", weight.Attributes{Type: "ots", Flags: map[string]bool{"court": false}}, 2, 1, []string{"ots"}},
		{"severity from a flag", weight.Attributes{Type: "ots", Flags: map[string]bool{"aggression": true}}, 2.25, 3, []string{"ots", "aggression"}},
		// (2 + 0.25) × 1.5 = 3.375
		{"multiplier on the running subtotal", weight.Attributes{Type: "ots", Flags: map[string]bool{"aggression": true, "court": true}}, 3.375, 4, []string{"ots", "aggression", "court"}},
		// 2 × 1.5 = 3, then the interpreter adds 3 × 0.25 = 0.75, capped at 0.5.
		{"multiplier cap", weight.Attributes{Type: "ots", Flags: map[string]bool{"court": true, "interpreter": true}}, 3.5, 2, []string{"ots", "court", "interpreter"}},
		// (4 + 1 + 1 + 0.25) × 1.5 = 9.375, then ×1.25 capped at +0.5 = 9.875, cut to 8.
		{"model cap", weight.Attributes{Type: "ots", Phase: "intake", Counts: map[string]int{"children": 3}, Numbers: map[string]float64{"km": 40},
			Flags: map[string]bool{"aggression": true, "court": true, "interpreter": true}}, 8, 4,
			[]string{"ots/intake", "children", "travel", "aggression", "court", "interpreter", "max"}},
		{"type with zero severity", weight.Attributes{Type: "advies"}, 0.5, 0, []string{"advies"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w, err := c.Weigh(tt.a)
			require.NoError(t, err)
			assert.Equal(t, tt.hours, w.Hours)
			assert.Equal(t, tt.sev, w.Severity)
			var names []string
			for _, l := range w.Breakdown {
				names = append(names, l.Name)
			}
			assert.Equal(t, tt.lines, names)
			assert.Nil(t, w.Ignored)
		})
	}
}

func TestWeighMarksCappedLines(t *testing.T) {
	t.Parallel()
	w, err := weight.Weigh(small(), weight.Attributes{Type: "ots", Counts: map[string]int{"children": 9}}, nil)
	require.NoError(t, err)
	require.Len(t, w.Breakdown, 2)
	assert.True(t, w.Breakdown[1].Capped)
	assert.Equal(t, 8.0, w.Breakdown[1].Units)
	assert.Equal(t, "children 8 × 0.5: +1.0 h/wk (capped)", w.Breakdown[1].String())
	assert.False(t, w.Breakdown[0].Capped)
}

func TestWeighErrors(t *testing.T) {
	t.Parallel()
	c, err := weight.Compile(small(), nil)
	require.NoError(t, err)
	tests := []struct {
		name  string
		a     weight.Attributes
		want  []error
		field string // of the first fault
	}{
		{"missing type", weight.Attributes{}, []error{weight.ErrMissing}, "Type"},
		{"unknown type", weight.Attributes{Type: "voogdij"}, []error{weight.ErrUnknownType}, "Type"},
		{"unknown phase", weight.Attributes{Type: "ots", Phase: "closing"}, []error{weight.ErrUnknownPhase}, "Phase"},
		{"unknown flag", weight.Attributes{Type: "ots", Flags: map[string]bool{"urgent": false}}, []error{weight.ErrUnknownAttribute}, "Flags"},
		{"flag name used as a count", weight.Attributes{Type: "ots", Counts: map[string]int{"court": 1}}, []error{weight.ErrUnknownAttribute}, "Counts"},
		{"negative count", weight.Attributes{Type: "ots", Counts: map[string]int{"children": -2}}, []error{weight.ErrNegative}, "Counts"},
		{"NaN number", weight.Attributes{Type: "ots", Numbers: map[string]float64{"km": nan()}}, []error{weight.ErrNotFinite}, "Numbers"},
		{"negative number", weight.Attributes{Type: "ots", Numbers: map[string]float64{"km": -1}}, []error{weight.ErrNegative}, "Numbers"},
		{"all at once", weight.Attributes{Type: "x", Counts: map[string]int{"children": -1}, Flags: map[string]bool{"y": true}},
			[]error{weight.ErrUnknownType, weight.ErrNegative, weight.ErrUnknownAttribute}, "Counts"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.a.ID = "case-1"
			_, err := c.Weigh(tt.a)
			require.Error(t, err)
			for _, w := range tt.want {
				assert.ErrorIs(t, err, w)
			}
			var ie *weight.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.field, ie.Field)
			assert.Equal(t, "case-1", ie.Case)
			assert.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), len(tt.want))
			assert.Regexp(t, `^weight: case "case-1": `, err.Error())
		})
	}
}

func TestWeighIgnoreUnknown(t *testing.T) {
	t.Parallel()
	c, err := weight.Compile(small(), &weight.Options{IgnoreUnknown: true})
	require.NoError(t, err)
	w, err := c.Weigh(weight.Attributes{
		Type: "ots", Phase: "closing",
		Flags:  map[string]bool{"urgent": true, "court": true},
		Counts: map[string]int{"siblings": 2},
	})
	require.NoError(t, err)
	assert.Equal(t, weight.HoursPerWeek(3), w.Hours) // 2 × 1.5: the phase falls back to the type
	assert.Equal(t, []string{"Counts[siblings]", "Flags[urgent]", "Phase[closing]"}, w.Ignored)

	// Ignoring is no licence for bad values or an unknown type.
	_, err = c.Weigh(weight.Attributes{Type: "ots", Counts: map[string]int{"siblings": -1}})
	assert.ErrorIs(t, err, weight.ErrNegative)
	_, err = c.Weigh(weight.Attributes{Type: "x"})
	assert.ErrorIs(t, err, weight.ErrUnknownType)
}

func TestWeighOverflow(t *testing.T) {
	t.Parallel()
	m := small()
	m.Factors[0].Cap = 0
	m.Factors = append(m.Factors, weight.Factor{Name: "huge", Kind: weight.PerUnit, On: weight.Number, Attribute: "x", Value: 1e300})
	_, err := weight.Weigh(m, weight.Attributes{ID: "c", Type: "ots", Numbers: map[string]float64{"x": 1e300}}, nil)
	assert.ErrorIs(t, err, weight.ErrOverflow)
}

func TestCompileCopiesModel(t *testing.T) {
	t.Parallel()
	m := small()
	c, err := weight.Compile(m, nil)
	require.NoError(t, err)
	m.Types[0].Hours = 100
	m.Types[0].Phases[0].Hours = 100
	m.Factors[3].Value = 10
	w, err := c.Weigh(weight.Attributes{Type: "ots", Flags: map[string]bool{"court": true}})
	require.NoError(t, err)
	assert.Equal(t, weight.HoursPerWeek(3), w.Hours)
	got := c.Model()
	got.Factors[0].Value = 100
	assert.Equal(t, small(), c.Model())
}

func TestValidateTable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(*weight.Model)
		field string
		item  string
		want  error
	}{
		{"no types", func(m *weight.Model) { m.Types = nil }, "Types", "", weight.ErrMissing},
		{"empty type name", func(m *weight.Model) { m.Types[1].Name = "" }, "Types[1].Name", "", weight.ErrMissing},
		{"duplicate type", func(m *weight.Model) { m.Types[1].Name = "ots" }, "Types[1].Name", "ots", weight.ErrDuplicate},
		{"negative base", func(m *weight.Model) { m.Types[0].Hours = -1 }, "Types[0].Hours", "ots", weight.ErrNegative},
		{"NaN base", func(m *weight.Model) { m.Types[0].Hours = weight.HoursPerWeek(nan()) }, "Types[0].Hours", "ots", weight.ErrNotFinite},
		{"duplicate phase", func(m *weight.Model) { m.Types[0].Phases = append(m.Types[0].Phases, m.Types[0].Phases[0]) }, "Types[0].Phases[1].Name", "intake", weight.ErrDuplicate},
		{"negative phase", func(m *weight.Model) { m.Types[0].Phases[0].Hours = -1 }, "Types[0].Phases[0].Hours", "intake", weight.ErrNegative},
		{"negative type severity", func(m *weight.Model) { m.Types[0].Severity = -1 }, "Types[0].Severity", "ots", weight.ErrNegative},
		{"duplicate factor", func(m *weight.Model) { m.Factors[1].Name = "children" }, "Factors[1].Name", "children", weight.ErrDuplicate},
		{"base is no factor kind", func(m *weight.Model) { m.Factors[0].Kind = weight.Base }, "Factors[0].Kind", "children", weight.ErrInvalid},
		{"unknown input", func(m *weight.Model) { m.Factors[0].On = 7 }, "Factors[0].On", "children", weight.ErrInvalid},
		{"missing input", func(m *weight.Model) { m.Factors[0].On = 0 }, "Factors[0].On", "children", weight.ErrMissing},
		{"missing attribute", func(m *weight.Model) { m.Factors[0].Attribute = "" }, "Factors[0].Attribute", "", weight.ErrMissing},
		{"negative value", func(m *weight.Model) { m.Factors[1].Value = -1 }, "Factors[1].Value", "travel", weight.ErrNegative},
		{"negative multiplier", func(m *weight.Model) { m.Factors[3].Value = -0.5 }, "Factors[3].Value", "court", weight.ErrNegative},
		{"infinite threshold", func(m *weight.Model) { m.Factors[1].Above = inf() }, "Factors[1].Above", "travel", weight.ErrNotFinite},
		{"threshold on a flag", func(m *weight.Model) { m.Factors[2].Above = 1 }, "Factors[2].Above", "aggression", weight.ErrInvalid},
		{"negative cap", func(m *weight.Model) { m.Factors[0].Cap = -1 }, "Factors[0].Cap", "children", weight.ErrNegative},
		{"negative severity", func(m *weight.Model) { m.Factors[2].Severity = -1 }, "Factors[2].Severity", "aggression", weight.ErrNegative},
		{"negative max", func(m *weight.Model) { m.MaxHours = -1 }, "MaxHours", "", weight.ErrNegative},
		{"invalid UTF-8 name", func(m *weight.Model) { m.Factors[0].Name = "\xff" }, "Factors[0].Name", "\xff", weight.ErrInvalid},
		// encoding/json would turn these into U+FFFD, so a model holding
		// them would not round-trip exactly.
		{"invalid UTF-8 model name", func(m *weight.Model) { m.Name = "a\xff" }, "Name", "", weight.ErrInvalid},
		{"invalid UTF-8 version", func(m *weight.Model) { m.Version = "\xfe1" }, "Version", "", weight.ErrInvalid},
		{"invalid UTF-8 type note", func(m *weight.Model) { m.Types[1].Note = "\xff" }, "Types[1].Note", "advies", weight.ErrInvalid},
		{"invalid UTF-8 factor note", func(m *weight.Model) { m.Factors[2].Note = "x\x80" }, "Factors[2].Note", "aggression", weight.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := small()
			tt.edit(&m)
			err := m.Validate()
			require.ErrorIs(t, err, tt.want)
			var ie *weight.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.field, ie.Field)
			assert.Equal(t, tt.item, ie.Name)
			_, err = weight.Compile(m, nil)
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

func TestValidateReportsAllFaults(t *testing.T) {
	t.Parallel()
	m := small()
	m.Types[0].Hours = -1
	m.Factors[0].Cap = -1
	m.Factors[1].Value = nan()
	err := m.Validate()
	require.Error(t, err)
	assert.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), 3)
	assert.True(t, errors.Is(err, weight.ErrNegative) && errors.Is(err, weight.ErrNotFinite))
	assert.NoError(t, small().Validate())
}

func TestStrings(t *testing.T) {
	t.Parallel()
	tests := []struct{ got, want string }{
		{weight.HoursPerWeek(0).String(), "0.0 h/wk"},
		{weight.HoursPerWeek(3.46).String(), "3.5 h/wk"},
		{weight.Severity(2).String(), "2.0 sev"},
		{weight.PerUnit.String(), "per-unit"},
		{weight.Kind(9).String(), "Kind(9)"},
		{weight.Number.String(), "number"},
		{weight.Collinear.String(), "collinear"},
		{weight.Contribution{Name: "max", Kind: weight.Limit, Value: 8, Hours: -1.5}.String(), "max 8.0 h/wk: -1.5 h/wk"},
		{weight.Contribution{Name: "ots", Kind: weight.Base, Hours: 2, Severity: 1}.String(), "base ots: 2.0 h/wk, 1.0 sev"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.got)
	}
}

// TestWeighCapAddsUp pins the breakdown when MaxHours cuts a weight: the
// lines add up, in order, in float64, to exactly MaxHours. The first two
// rows are the hard cases: 14.9 − 2.1 is not exact, and no line added to
// 1e20 gives 1.
func TestWeighCapAddsUp(t *testing.T) {
	t.Parallel()
	court := weight.Factor{Name: "court", Kind: weight.Multiplier, On: weight.Flag, Attribute: "court", Value: 0.75}
	extra := weight.Factor{Name: "extra", Kind: weight.Additive, On: weight.Flag, Attribute: "extra", Value: 3}
	tests := []struct {
		name   string
		base   weight.HoursPerWeek
		max    weight.HoursPerWeek
		flags  map[string]bool
		hours  []weight.HoursPerWeek // the breakdown's Hours
		capped []bool
	}{
		{"cut by more than half", 14.9, 2.1, nil, []weight.HoursPerWeek{2.1, 0}, []bool{true, false}},
		{"huge base", 1e20, 1, nil, []weight.HoursPerWeek{1, 0}, []bool{true, false}},
		// 1 + 3 = 4 crosses 1.25 at "extra"; the multiplier then takes 4
		// to 3, still above twice the cap, so it adds zero.
		{"folded into the crossing line", 1, 1.25, map[string]bool{"extra": true, "court": true},
			[]weight.HoursPerWeek{1, 0.25, 0, 0}, []bool{false, true, true, false}},
		// 8 × 0.75 = 6: cut by at most half, so the lines are as computed.
		{"cut by at most half", 8, 3, map[string]bool{"court": true}, []weight.HoursPerWeek{8, -2, -3}, []bool{false, false, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := weight.Model{Types: []weight.CaseType{{Name: "a", Hours: tt.base}}, Factors: []weight.Factor{extra, court}, MaxHours: tt.max}
			w, err := weight.Weigh(m, weight.Attributes{Type: "a", Flags: tt.flags}, nil)
			require.NoError(t, err)
			assert.Equal(t, tt.max, w.Hours)
			var sum weight.HoursPerWeek
			var hours []weight.HoursPerWeek
			var capped []bool
			for _, l := range w.Breakdown {
				sum += l.Hours
				hours = append(hours, l.Hours)
				capped = append(capped, l.Capped)
			}
			assert.Equal(t, w.Hours, sum)
			assert.Equal(t, tt.hours, hours)
			assert.Equal(t, tt.capped, capped)
			assert.Equal(t, weight.Limit, w.Breakdown[len(w.Breakdown)-1].Kind)
		})
	}
}

// A factor in JSON without "on" is a validation error naming the factor,
// not silently a flag.
func TestParseModelMissingInput(t *testing.T) {
	t.Parallel()
	_, err := weight.ParseModel([]byte(`{"types":[{"name":"a","hours":1}],"factors":[{"name":"f","kind":"additive","attribute":"x","value":1}]}`))
	require.ErrorIs(t, err, weight.ErrMissing)
	var ie *weight.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "Factors[0].On", ie.Field)
	assert.Equal(t, "f", ie.Name)
	m, err := weight.ParseModel([]byte(`{"types":[{"name":"a","hours":1}],"factors":[{"name":"f","kind":"additive","on":"flag","attribute":"x","value":1}]}`))
	require.NoError(t, err)
	assert.Equal(t, weight.Flag, m.Factors[0].On)
}

// Every sentinel error names the package, and none repeats another's
// message.
func TestSentinelsPrefixed(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, err := range []error{
		weight.ErrMissing, weight.ErrDuplicate, weight.ErrNegative, weight.ErrNotFinite,
		weight.ErrInvalid, weight.ErrUnknownType, weight.ErrUnknownPhase, weight.ErrUnknownAttribute,
		weight.ErrUnknownParameter, weight.ErrOverflow, weight.ErrAmbiguous, weight.ErrNothingToFit,
	} {
		assert.Regexp(t, `^weight: [a-z]`, err.Error())
		assert.False(t, seen[err.Error()], err.Error())
		seen[err.Error()] = true
	}
}
