package weight_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/caseload/caseload/civil"

	"github.com/caseload/caseload/weight"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// weighOrOverflow weighs a under c. The only error a valid case may give
// is an overflow from huge values; it reports whether a weight came back.
func weighOrOverflow(t *rapid.T, c *weight.Compiled, a weight.Attributes) (weight.Weight, bool) {
	w, err := c.Weigh(a)
	if err != nil {
		require.ErrorIs(t, err, weight.ErrOverflow)
		return weight.Weight{}, false
	}
	return w, true
}

// Invariant: a valid case of a valid model weighs a finite, non-negative
// number of hours and severity, or reports an overflow; never NaN.
func TestWeighFiniteNonNegative(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := modelGen(0).Draw(t, "model")
		c, err := weight.Compile(m, nil)
		require.NoError(t, err)
		w, ok := weighOrOverflow(t, c, attributesGen(m).Draw(t, "case"))
		if !ok {
			return
		}
		h := float64(w.Hours)
		assert.False(t, math.IsNaN(h) || math.IsInf(h, 0), "hours %v", h)
		assert.GreaterOrEqual(t, h, 0.0)
		assert.GreaterOrEqual(t, float64(w.Severity), 0.0)
		if last := w.Breakdown[len(w.Breakdown)-1]; last.Kind == weight.Limit {
			assert.Equal(t, float64(m.MaxHours), h, "a weight cut by the cap is the cap")
		} else if m.MaxHours > 0 {
			assert.LessOrEqual(t, h, float64(m.MaxHours))
		}
	})
}

// Invariant: the breakdown's parts, added in order, give the total
// exactly, for hours and for severity; the first line is the base, and
// factor lines follow the stage order of [weight.Compiled.Weigh] (additive
// and per-unit, then multipliers, then the cap).
func TestWeighBreakdownAddsUp(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := modelGen(0).Draw(t, "model")
		c, err := weight.Compile(m, nil)
		require.NoError(t, err)
		w, ok := weighOrOverflow(t, c, attributesGen(m).Draw(t, "case"))
		if !ok {
			return
		}
		require.NotEmpty(t, w.Breakdown)
		require.Equal(t, weight.Base, w.Breakdown[0].Kind)
		var hours weight.HoursPerWeek
		var sev weight.Severity
		stage := func(k weight.Kind) int {
			return map[weight.Kind]int{weight.Base: 0, weight.Additive: 1, weight.PerUnit: 1, weight.Multiplier: 2, weight.Limit: 3}[k]
		}
		for i, line := range w.Breakdown {
			hours += line.Hours
			sev += line.Severity
			if i > 0 {
				assert.LessOrEqual(t, stage(w.Breakdown[i-1].Kind), stage(line.Kind), "line %d out of order", i)
				assert.NotEqual(t, weight.Base, line.Kind)
			}
			if line.Kind == weight.Additive || line.Kind == weight.PerUnit {
				assert.GreaterOrEqual(t, float64(line.Hours), 0.0)
			}
		}
		assert.Equal(t, w.Hours, hours, "hours")
		assert.Equal(t, w.Severity, sev, "severity")
	})
}

// Invariant: each factor's line respects its cap, and appears exactly
// when the factor's attribute is above its threshold.
func TestWeighFactorLines(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := modelGen(0).Draw(t, "model")
		c, err := weight.Compile(m, nil)
		require.NoError(t, err)
		a := attributesGen(m).Draw(t, "case")
		w, ok := weighOrOverflow(t, c, a)
		if !ok {
			return
		}
		lines := map[string]weight.Contribution{}
		for _, l := range w.Breakdown[1:] {
			lines[l.Name] = l
		}
		for _, f := range m.Factors {
			var x float64
			switch f.On {
			case weight.Flag:
				if a.Flags[f.Attribute] {
					x = 1
				}
			case weight.Count:
				x = float64(a.Counts[f.Attribute])
			case weight.Number:
				x = a.Numbers[f.Attribute]
			}
			l, applied := lines[f.Name]
			assert.Equal(t, x-f.Above > 0, applied, "factor %q applied", f.Name)
			if applied && f.Cap > 0 {
				assert.LessOrEqual(t, l.Hours, f.Cap, "factor %q cap", f.Name)
			}
		}
	})
}

// Invariant: adding a factor that increases work (additive, per-unit, or
// a multiplier of at least 1), anywhere in the list, never lowers a
// case's weight. Multipliers below 1 already in the model and the
// MaxHours line are computed in floating point, where x + x·(μ−1) and
// x + (max − x) are monotone only up to an ulp; hence the 1e-15 margin.
func TestWeighMonotoneInFactors(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := modelGen(0).Draw(t, "model")
		f := factorGen("added|", 1).Draw(t, "added")
		a := attributesGen(m).Draw(t, "case")
		switch f.On { // make sure the case has the added factor's attribute
		case weight.Flag:
			a.Flags = map[string]bool{f.Attribute: true}
		case weight.Count:
			a.Counts = map[string]int{f.Attribute: rapid.IntRange(0, 10).Draw(t, "n")}
		case weight.Number:
			a.Numbers = map[string]float64{f.Attribute: rapid.Float64Range(0, 100).Draw(t, "x")}
		}
		more := m
		more.Factors = slices.Insert(slices.Clone(m.Factors), rapid.IntRange(0, len(m.Factors)).Draw(t, "at"), f)
		lenient := &weight.Options{IgnoreUnknown: true}
		c1, err := weight.Compile(m, lenient)
		require.NoError(t, err)
		c2, err := weight.Compile(more, lenient)
		require.NoError(t, err)
		w1, ok1 := weighOrOverflow(t, c1, a)
		w2, ok2 := weighOrOverflow(t, c2, a)
		if !ok1 || !ok2 {
			return
		}
		assert.GreaterOrEqual(t, float64(w2.Hours), float64(w1.Hours)*(1-1e-15))
		assert.GreaterOrEqual(t, w2.Severity, w1.Severity)
	})
}

// Invariant: in a model whose multipliers are all at least 1, raising a
// count or number never lowers the weight.
func TestWeighMonotoneInAttributes(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := modelGen(1).Draw(t, "model")
		c, err := weight.Compile(m, nil)
		require.NoError(t, err)
		a := attributesGen(m).Draw(t, "case")
		more := a
		more.Counts = map[string]int{}
		for k, v := range a.Counts {
			more.Counts[k] = v + rapid.IntRange(0, 3).Draw(t, "dc")
		}
		more.Numbers = map[string]float64{}
		for k, v := range a.Numbers {
			more.Numbers[k] = v + rapid.Float64Range(0, 10).Draw(t, "dx")
		}
		w1, ok1 := weighOrOverflow(t, c, a)
		w2, ok2 := weighOrOverflow(t, c, more)
		if !ok1 || !ok2 {
			return
		}
		assert.GreaterOrEqual(t, float64(w2.Hours), float64(w1.Hours)*(1-1e-15))
	})
}

// Invariant: a valid model survives encoding/json and ParseModel exactly,
// nil and empty lists included.
func TestModelJSONRoundTrip(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		requireRoundTrip(t, modelGen(0).Draw(t, "model"))
	})
}

// Invariant: fitting's internal evaluation gives exactly the weight that
// Weigh gives, so a fitted model predicts what the report says.
func TestPredictMatchesWeigh(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := modelGen(0).Draw(t, "model")
		c, err := weight.Compile(m, nil)
		require.NoError(t, err)
		a := attributesGen(m).Draw(t, "case")
		w, ok := weighOrOverflow(t, c, a)
		if !ok {
			return
		}
		got, _, err := weight.Predict(c, a)
		require.NoError(t, err)
		assert.Equal(t, float64(w.Hours), got)
	})
}

// Invariant: the gradient used by Fit matches a finite difference of the
// weight, on ordinary values away from caps' kinks.
func TestPredictGradient(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := modelGen(0).Draw(t, "model")
		m.MaxHours = 0
		for i := range m.Types {
			m.Types[i].Hours = weight.HoursPerWeek(rapid.Float64Range(0.5, 10).Draw(t, "hours"))
			for j := range m.Types[i].Phases {
				m.Types[i].Phases[j].Hours = weight.HoursPerWeek(rapid.Float64Range(0.5, 10).Draw(t, "hours"))
			}
		}
		for i := range m.Factors {
			m.Factors[i].Cap = 0
			if m.Factors[i].Kind != weight.Multiplier {
				m.Factors[i].Value = rapid.Float64Range(0, 5).Draw(t, "value")
			}
		}
		a := attributesGen(m).Draw(t, "case")
		for k := range a.Counts {
			a.Counts[k] = rapid.IntRange(0, 6).Draw(t, "count")
		}
		for k := range a.Numbers {
			a.Numbers[k] = rapid.Float64Range(0, 100).Draw(t, "number")
		}
		c, err := weight.Compile(m, nil)
		require.NoError(t, err)
		f0, grad, err := weight.Predict(c, a)
		require.NoError(t, err)
		j := rapid.IntRange(0, len(grad)-1).Draw(t, "param")
		const h = 1e-6
		bumped := bump(m, j, h)
		c2, err := weight.Compile(bumped, nil)
		require.NoError(t, err)
		f1, _, err := weight.Predict(c2, a)
		require.NoError(t, err)
		assert.InDelta(t, grad[j], (f1-f0)/h, 1e-4*(1+math.Abs(grad[j])), "param %d", j)
	})
}

// bump returns m with parameter j (bases in order, each type then its
// phases, then factors) raised by h.
func bump(m weight.Model, j int, h float64) weight.Model {
	out := m
	out.Types = slices.Clone(m.Types)
	out.Factors = slices.Clone(m.Factors)
	k := 0
	for t := range out.Types {
		out.Types[t].Phases = slices.Clone(out.Types[t].Phases)
		if k == j {
			out.Types[t].Hours += weight.HoursPerWeek(h)
		}
		k++
		for p := range out.Types[t].Phases {
			if k == j {
				out.Types[t].Phases[p].Hours += weight.HoursPerWeek(h)
			}
			k++
		}
	}
	for f := range out.Factors {
		if k == j {
			out.Factors[f].Value += h
		}
		k++
	}
	return out
}

// anyModel draws a model that may be invalid in every way: NaN, infinite
// and negative numbers, unknown kinds and inputs, empty, duplicate and
// invalid UTF-8 names.
func anyModel() *rapid.Generator[weight.Model] {
	num := rapid.OneOf(
		rapid.Float64(),
		rapid.SampledFrom([]float64{0, math.Copysign(0, -1), -1, 1, math.NaN(), math.Inf(1), math.Inf(-1), math.MaxFloat64}),
	)
	str := rapid.OneOf(rapid.SampledFrom([]string{"", "a", "b", "\xff"}), rapid.String())
	return rapid.Custom(func(t *rapid.T) weight.Model {
		m := weight.Model{MaxHours: weight.HoursPerWeek(num.Draw(t, "max")), Name: str.Draw(t, "model"), Version: str.Draw(t, "version")}
		if rapid.Bool().Draw(t, "dated") {
			m.Effective = civil.NewDate(rapid.IntRange(-1, 10001).Draw(t, "y"),
				time_Month(rapid.IntRange(0, 13).Draw(t, "mo")), rapid.IntRange(0, 32).Draw(t, "d"))
		}
		for range rapid.IntRange(0, 3).Draw(t, "types") {
			ct := weight.CaseType{Name: str.Draw(t, "name"), Hours: weight.HoursPerWeek(num.Draw(t, "h")), Severity: weight.Severity(num.Draw(t, "s")), Note: str.Draw(t, "tnote")}
			for range rapid.IntRange(0, 2).Draw(t, "phases") {
				ct.Phases = append(ct.Phases, weight.Phase{Name: str.Draw(t, "pname"), Hours: weight.HoursPerWeek(num.Draw(t, "ph"))})
			}
			m.Types = append(m.Types, ct)
		}
		for range rapid.IntRange(0, 4).Draw(t, "factors") {
			m.Factors = append(m.Factors, weight.Factor{
				Name: str.Draw(t, "fname"), Kind: weight.Kind(rapid.IntRange(-1, 5).Draw(t, "kind")),
				On: weight.Input(rapid.IntRange(-1, 4).Draw(t, "on")), Attribute: str.Draw(t, "attr"),
				Value: num.Draw(t, "v"), Above: num.Draw(t, "above"), Cap: weight.HoursPerWeek(num.Draw(t, "cap")),
				Severity: weight.Severity(num.Draw(t, "sev")), Note: str.Draw(t, "fnote"),
			})
		}
		return m
	})
}

// Invariant: validation never panics, accepts exactly the models that an
// independent check finds valid, and reports each fault as an InputError
// wrapping a sentinel.
func checkValidate(t *rapid.T) {
	m := anyModel().Draw(t, "model")
	err := m.Validate()
	assert.Equal(t, independentlyValid(m), err == nil, "Validate: %v", err)
	if err != nil {
		for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
			var ie *weight.InputError
			require.ErrorAs(t, e, &ie)
			require.NotNil(t, ie.Err)
			assert.Contains(t, e.Error(), "weight: ")
		}
		_, err := weight.Compile(m, nil)
		assert.Error(t, err)
		return
	}
	c, err := weight.Compile(m, nil)
	require.NoError(t, err)
	_, _ = c.Weigh(weight.Attributes{Type: m.Types[0].Name})
}

func TestValidateNeverPanics(t *testing.T) {
	t.Parallel()
	rapid.Check(t, checkValidate)
}

func FuzzValidate(f *testing.F) {
	f.Fuzz(rapid.MakeFuzz(checkValidate))
}

// independentlyValid restates the validity rules of Model.Validate.
func independentlyValid(m weight.Model) bool {
	ok := func(x float64) bool { return x >= 0 && !math.IsInf(x, 1) }
	good := func(s string) bool { return s != "" && s != "\xff" && utf8Valid(s) }
	if len(m.Types) == 0 || !ok(float64(m.MaxHours)) || !utf8Valid(m.Name) || !utf8Valid(m.Version) {
		return false
	}
	types := map[string]bool{}
	for _, ct := range m.Types {
		if !good(ct.Name) || types[ct.Name] || !ok(float64(ct.Hours)) || !ok(float64(ct.Severity)) || !utf8Valid(ct.Note) {
			return false
		}
		types[ct.Name] = true
		phases := map[string]bool{}
		for _, p := range ct.Phases {
			if !good(p.Name) || phases[p.Name] || !ok(float64(p.Hours)) {
				return false
			}
			phases[p.Name] = true
		}
	}
	factors := map[string]bool{}
	for _, f := range m.Factors {
		if !good(f.Name) || factors[f.Name] || !good(f.Attribute) || !utf8Valid(f.Note) {
			return false
		}
		factors[f.Name] = true
		if f.Kind != weight.Additive && f.Kind != weight.PerUnit && f.Kind != weight.Multiplier {
			return false
		}
		if f.On != weight.Flag && f.On != weight.Count && f.On != weight.Number {
			return false
		}
		if !ok(f.Value) || !ok(f.Above) || !ok(float64(f.Cap)) || !ok(float64(f.Severity)) {
			return false
		}
		if f.On == weight.Flag && f.Above != 0 {
			return false
		}
	}
	return true
}

var _ = errors.Is
