package weight_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/caseload/caseload/weight"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// trueModelGen draws a model to recover: no caps (Fit keeps caps as given,
// and a binding cap hides a factor), and values away from zero so that 5%
// of each is larger than what 1% noise on a few hundred cases blurs.
func trueModelGen() *rapid.Generator[weight.Model] {
	return rapid.Custom(func(t *rapid.T) weight.Model {
		var m weight.Model
		for i := range rapid.IntRange(1, 3).Draw(t, "types") {
			ct := weight.CaseType{Name: fmt.Sprint("t", i), Hours: weight.HoursPerWeek(rapid.Float64Range(1, 10).Draw(t, "hours"))}
			for j := range rapid.IntRange(0, 2).Draw(t, "phases") {
				ct.Phases = append(ct.Phases, weight.Phase{Name: fmt.Sprint("p", j), Hours: weight.HoursPerWeek(rapid.Float64Range(1, 10).Draw(t, "phase"))})
			}
			m.Types = append(m.Types, ct)
		}
		// Each attribute is read by one factor at most: factors on a shared
		// attribute may be collinear or nearly so (an additive and a
		// multiplier on one flag), which TestFitStatuses covers.
		attrs := rapid.Permutation(slices.Concat(flagNames, countNames, numberNames)).Draw(t, "attributes")
		for i := range rapid.IntRange(1, 6).Draw(t, "factors") {
			f := factorGen(fmt.Sprint("f", i), 0).Draw(t, "factor")
			f.Attribute = attrs[i]
			switch {
			case slices.Contains(flagNames, f.Attribute):
				f.On, f.Above = weight.Flag, 0
			case slices.Contains(countNames, f.Attribute):
				f.On = weight.Count // drawn 0 to 4 below
				f.Above = rapid.SampledFrom([]float64{0, 1, 2}).Draw(t, "above")
			default:
				f.On = weight.Number
			}
			f.Cap = 0
			switch f.Kind {
			case weight.Additive:
				f.Value = rapid.Float64Range(0.5, 3).Draw(t, "additive")
			case weight.PerUnit:
				f.Value = rapid.Float64Range(0.2, 1).Draw(t, "perUnit")
				if f.On == weight.Number {
					f.Value /= 20 // per km, over up to 60 km
				}
			case weight.Multiplier:
				f.Value = rapid.OneOf(rapid.Float64Range(0.6, 0.9), rapid.Float64Range(1.1, 1.6)).Draw(t, "multiplier")
			}
			if f.On == weight.Number {
				// Thresholds far apart: factors on one number with nearby
				// thresholds are near-collinear, which Fit reports with a
				// large standard error but cannot resolve.
				// An additive or multiplier with no threshold would apply to
				// every case (numbers are drawn above zero): collinear with
				// the bases.
				thresholds := []float64{15, 30}
				if f.Kind == weight.PerUnit {
					thresholds = append(thresholds, 0)
				}
				f.Above = rapid.SampledFrom(thresholds).Draw(t, "threshold")
			}
			m.Factors = append(m.Factors, f)
		}
		return m
	})
}

// observe draws n cases of m's types and records their weights under m
// with multiplicative Gaussian noise of relative size sd.
func observe(t require.TestingT, m weight.Model, n int, sd float64, rng *rand.Rand) []weight.Observation {
	c, err := weight.Compile(m, &weight.Options{IgnoreUnknown: true})
	require.NoError(t, err)
	obs := make([]weight.Observation, n)
	for i := range obs {
		ct := m.Types[rng.IntN(len(m.Types))]
		a := weight.Attributes{ID: fmt.Sprint(i), Type: ct.Name, Flags: map[string]bool{}, Counts: map[string]int{}, Numbers: map[string]float64{}}
		if k := rng.IntN(len(ct.Phases) + 1); k > 0 {
			a.Phase = ct.Phases[k-1].Name
		}
		for _, f := range flagNames {
			a.Flags[f] = rng.Float64() < 0.4
		}
		for _, f := range countNames {
			a.Counts[f] = rng.IntN(5)
		}
		for _, f := range numberNames {
			a.Numbers[f] = 60 * rng.Float64()
		}
		w, err := c.Weigh(a)
		require.NoError(t, err)
		obs[i] = weight.Observation{Attributes: a, Hours: w.Hours * weight.HoursPerWeek(1+sd*rng.NormFloat64())}
	}
	return obs
}

// knownAll declares every attribute the generators use, so cases may carry
// attributes no factor of a small model reads.
var knownAll = &weight.FitOptions{IgnoreUnknown: true}

// noise is the relative standard deviation of the simulated time
// registration in the recovery test. Weights there run to about 60 h
// while the smallest effect is 0.5 h, so 0.2% noise (0.12 h at worst)
// leaves an estimate's standard error well under 1% of its value with 50
// observations per parameter, and 5% is five standard errors or more.
const noise = 0.002

// Invariant: data generated from a known model with small noise is fitted
// back within 5% on every parameter, starting from a model whose values
// are off by up to a factor 2, or zero (at the given values a zero base
// hides every multiplier, and a zero multiplier every earlier parameter,
// so Fit must move them to find what the data identifies). Every parameter
// here is identifiable: each type and phase has cases, and each factor
// reads its own attribute, set at random on each case.
func TestFitRecoversKnownModel(t *testing.T) {
	t.Parallel()
	worst := 0.0
	rapid.Check(t, func(t *rapid.T) {
		truth := trueModelGen().Draw(t, "truth")
		seed := rapid.Uint64().Draw(t, "seed")
		rng := rand.New(rand.NewPCG(seed, 5))
		nparams := len(truth.Factors)
		for _, ct := range truth.Types {
			nparams += 1 + len(ct.Phases)
		}
		obs := observe(t, truth, 50*nparams, noise, rng)

		// off draws the factor by which a starting value is off: zero for
		// about one parameter in four.
		zeros := rapid.Float64Range(0, 0.5).Draw(t, "zeros")
		off := func() float64 {
			if rng.Float64() < zeros {
				return 0
			}
			return 0.5 + 1.5*rng.Float64()
		}
		start := truth
		start.Types = slices.Clone(truth.Types)
		for i := range start.Types {
			start.Types[i].Hours *= weight.HoursPerWeek(off())
			start.Types[i].Phases = slices.Clone(truth.Types[i].Phases)
			for j := range start.Types[i].Phases {
				start.Types[i].Phases[j].Hours *= weight.HoursPerWeek(off())
			}
		}
		start.Factors = slices.Clone(truth.Factors)
		for i := range start.Factors {
			start.Factors[i].Value *= off()
		}

		cal, err := weight.Fit(start, obs, knownAll)
		require.NoError(t, err)
		want := flatten(truth)
		require.Len(t, cal.Params, len(want))
		for j, p := range cal.Params {
			require.Equal(t, weight.Fitted, p.Status, p.Name)
			rel := math.Abs(p.Estimate-want[j]) / want[j]
			worst = max(worst, rel)
			assert.LessOrEqual(t, rel, 0.05, "%s: estimate %v, true %v ± %v", p.Name, p.Estimate, want[j], p.StdErr)
			assert.True(t, p.StdErrKnown && p.StdErr > 0 && !math.IsInf(p.StdErr, 0), "%s: standard error %v", p.Name, p.StdErr)
		}
		// The residuals are the noise: their RMS is about noise × RMS(y).
		var sq float64
		for _, o := range obs {
			sq += float64(o.Hours * o.Hours)
		}
		assert.Less(t, float64(cal.RMSE), 1.5*noise*math.Sqrt(sq/float64(len(obs))))
		assert.LessOrEqual(t, cal.R2, 1.0)
	})
	t.Logf("worst relative error of a fitted parameter: %.4f", worst)
}

// flatten lists m's parameters in Fit's order.
func flatten(m weight.Model) []float64 {
	var out []float64
	for _, ct := range m.Types {
		out = append(out, float64(ct.Hours))
		for _, p := range ct.Phases {
			out = append(out, float64(p.Hours))
		}
	}
	for _, f := range m.Factors {
		out = append(out, f.Value)
	}
	return out
}

// Invariant: the fitted model predicts what the report says: its RMSE,
// recomputed with Weigh, matches, and refitting from the fitted model
// changes nothing material.
func TestFitModelMatchesReport(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		truth := trueModelGen().Draw(t, "truth")
		rng := rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "seed"), 6))
		obs := observe(t, truth, 200, 0.05, rng)
		cal, err := weight.Fit(truth, obs, knownAll)
		require.NoError(t, err)
		c, err := weight.Compile(cal.Model, &weight.Options{IgnoreUnknown: true})
		require.NoError(t, err)
		var sse float64
		for _, o := range obs {
			w, err := c.Weigh(o.Attributes)
			require.NoError(t, err)
			r := float64(o.Hours - w.Hours)
			sse += r * r
		}
		assert.InDelta(t, float64(cal.RMSE), math.Sqrt(sse/float64(len(obs))), 1e-12)
		n := 0
		for _, tr := range cal.ByType {
			n += tr.N
		}
		assert.Equal(t, len(obs), n)
		assert.Equal(t, len(obs), cal.N)
	})
}

// youthObs simulates time registration for the example youth-protection
// model with 5% noise.
func youthObs(t require.TestingT, n int, edit func(i int, a *weight.Attributes)) []weight.Observation {
	c, err := weight.Compile(youthProtection(), nil)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(7, 7))
	obs := make([]weight.Observation, n)
	for i := range obs {
		a := weight.Attributes{
			Type:   []string{"ots", "voogdij"}[i%2],
			Flags:  map[string]bool{"court": rng.IntN(3) == 0, "interpreter": rng.IntN(4) == 0},
			Counts: map[string]int{"children": 1 + rng.IntN(3)},
		}
		if edit != nil {
			edit(i, &a)
		}
		w, err := c.Weigh(a)
		require.NoError(t, err)
		obs[i] = weight.Observation{Attributes: a, Hours: w.Hours * weight.HoursPerWeek(1+0.05*rng.NormFloat64())}
	}
	return obs
}

func param(t *testing.T, cal *weight.Calibration, name string) weight.Param {
	t.Helper()
	for _, p := range cal.Params {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no parameter %q", name)
	return weight.Param{}
}

func TestFitStatuses(t *testing.T) {
	t.Parallel()
	t.Run("not observed keeps the given value", func(t *testing.T) {
		t.Parallel()
		cal, err := weight.Fit(youthProtection(), youthObs(t, 100, nil), nil)
		require.NoError(t, err)
		for _, name := range []string{"ots/intake", "ots/first-year", "travel", "aggression", "sexual abuse", "complex divorce"} {
			p := param(t, cal, name)
			assert.Equal(t, weight.NotObserved, p.Status, name)
			assert.Equal(t, p.Given, p.Estimate, name)
			assert.Zero(t, p.StdErr, name)
			assert.Zero(t, p.Support, name)
		}
		assert.Equal(t, []string{"ots/intake", "ots/first-year", "travel", "aggression", "sexual abuse", "complex divorce"}, cal.Unidentified())
		assert.Equal(t, weight.Fitted, param(t, cal, "court").Status)
		assert.Equal(t, youthProtection().Factors[1], cal.Model.Factors[1], "unfitted factor unchanged")
	})
	t.Run("a flag on every case is collinear with the base", func(t *testing.T) {
		t.Parallel()
		obs := youthObs(t, 100, func(_ int, a *weight.Attributes) { a.Flags["court"] = true })
		cal, err := weight.Fit(youthProtection(), obs, nil)
		require.NoError(t, err)
		p := param(t, cal, "court")
		assert.Equal(t, weight.Collinear, p.Status)
		// Its column is the subtotal before it: base plus extra children.
		assert.Equal(t, []string{"ots", "voogdij", "extra children"}, p.With)
		assert.Equal(t, 1.3, p.Estimate)
		assert.Equal(t, weight.Fitted, param(t, cal, "ots").Status)
	})
	t.Run("two flags always together", func(t *testing.T) {
		t.Parallel()
		obs := youthObs(t, 100, func(_ int, a *weight.Attributes) { a.Flags["interpreter"] = a.Flags["court"] })
		cal, err := weight.Fit(youthProtection(), obs, nil)
		require.NoError(t, err)
		assert.Equal(t, weight.Fitted, param(t, cal, "court").Status)
		p := param(t, cal, "interpreter")
		assert.Equal(t, weight.Collinear, p.Status)
		assert.Equal(t, []string{"court"}, p.With)
	})
	t.Run("fixed", func(t *testing.T) {
		t.Parallel()
		cal, err := weight.Fit(youthProtection(), youthObs(t, 100, nil), &weight.FitOptions{Fixed: []string{"court"}})
		require.NoError(t, err)
		p := param(t, cal, "court")
		assert.Equal(t, weight.Fixed, p.Status)
		assert.Equal(t, 1.3, p.Estimate)
	})
	t.Run("estimate held at zero", func(t *testing.T) {
		t.Parallel()
		// More children, less recorded time (as when a big family's
		// hours are booked elsewhere): the best non-negative value per
		// extra child is zero.
		obs := youthObs(t, 100, nil)
		rng := rand.New(rand.NewPCG(8, 8))
		for i := range obs {
			a := obs[i].Attributes
			h := 3 - 0.5*float64(a.Counts["children"]-1)
			if a.Flags["court"] {
				h *= 1.3
			}
			obs[i].Hours = weight.HoursPerWeek(h * (1 + 0.05*rng.NormFloat64()))
		}
		cal, err := weight.Fit(youthProtection(), obs, nil)
		require.NoError(t, err)
		p := param(t, cal, "extra children")
		assert.Equal(t, weight.Fitted, p.Status)
		assert.True(t, p.AtBound)
		assert.Zero(t, p.Estimate)
	})
}

func TestFitErrors(t *testing.T) {
	t.Parallel()
	good := youthObs(t, 40, nil)
	tests := []struct {
		name string
		m    weight.Model
		obs  []weight.Observation
		opts *weight.FitOptions
		want []error
	}{
		{"no observations", youthProtection(), nil, nil, []error{weight.ErrNothingToFit}},
		{"ambiguous fixed parameter", clash(), good, &weight.FitOptions{Fixed: []string{"court"}}, []error{weight.ErrAmbiguous}},
		{"recorded hours overflow", youthProtection(), withHours(good[:2], 1e300), nil, []error{weight.ErrOverflow}},
		{"nothing identifiable", youthProtection(), good, &weight.FitOptions{Fixed: []string{"ots", "voogdij", "extra children", "court", "interpreter"}}, []error{weight.ErrNothingToFit}},
		{"unknown fixed parameter", youthProtection(), good, &weight.FitOptions{Fixed: []string{"courts"}}, []error{weight.ErrUnknownParameter}},
		{"invalid model", weight.Model{}, good, nil, []error{weight.ErrMissing}},
		{"bad observations, all reported", youthProtection(), []weight.Observation{
			{Attributes: weight.Attributes{Type: "ots"}, Hours: -1},
			{Attributes: weight.Attributes{Type: "x"}, Hours: 1},
			{Attributes: weight.Attributes{Type: "ots", Flags: map[string]bool{"urgent": true}}, Hours: weight.HoursPerWeek(nan())},
		}, nil, []error{weight.ErrNegative, weight.ErrUnknownType, weight.ErrUnknownAttribute, weight.ErrNotFinite}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cal, err := weight.Fit(tt.m, tt.obs, tt.opts)
			require.Error(t, err)
			assert.Nil(t, cal)
			for _, w := range tt.want {
				assert.ErrorIs(t, err, w)
			}
			assert.Regexp(t, `^weight: `, err.Error())
		})
	}
}

func TestFitObservationErrorNamesItem(t *testing.T) {
	t.Parallel()
	obs := youthObs(t, 20, nil)
	obs[7].Attributes.ID = "c-7"
	obs[7].Attributes.Counts["kids"] = 2
	_, err := weight.Fit(youthProtection(), obs, nil)
	var ie *weight.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "Observations[7].Attributes.Counts", ie.Field)
	assert.Equal(t, "kids", ie.Name)
	assert.Equal(t, "c-7", ie.Case)
	assert.ErrorIs(t, err, weight.ErrUnknownAttribute)
}

func TestFitDeterministic(t *testing.T) {
	t.Parallel()
	obs := youthObs(t, 120, nil)
	a, err := weight.Fit(youthProtection(), obs, nil)
	require.NoError(t, err)
	b, err := weight.Fit(youthProtection(), obs, nil)
	require.NoError(t, err)
	assert.Equal(t, a, b)
}

func withHours(obs []weight.Observation, h weight.HoursPerWeek) []weight.Observation {
	out := slices.Clone(obs)
	for i := range out {
		out[i].Hours = h
	}
	return out
}

// clash is the youth-protection model with a case type named like a
// factor.
func clash() weight.Model {
	m := youthProtection()
	m.Types = append(m.Types, weight.CaseType{Name: "court", Hours: 1})
	return m
}

func TestFitFixedQualified(t *testing.T) {
	t.Parallel()
	obs := youthObs(t, 60, nil)
	for _, tt := range []struct {
		fixed string
		kind  weight.Kind
	}{{"factor:court", weight.Multiplier}, {"type:court", weight.Base}, {"phase:ots/intake", weight.Base}, {"extra children", weight.PerUnit}} {
		cal, err := weight.Fit(clash(), obs, &weight.FitOptions{Fixed: []string{tt.fixed}})
		require.NoError(t, err, tt.fixed)
		n := 0
		for _, p := range cal.Params {
			if p.Status == weight.Fixed {
				n++
				assert.Equal(t, tt.kind, p.Kind, tt.fixed)
			}
		}
		assert.Equal(t, 1, n, tt.fixed)
	}
}

// Hours near 1e308 overflow the sum of squares: the error names the
// observation, not the model.
func TestFitOverflowNamesObservation(t *testing.T) {
	t.Parallel()
	obs := youthObs(t, 20, nil)
	obs[5].Attributes.ID = "c-5"
	obs[5].Hours = 1e308
	_, err := weight.Fit(youthProtection(), obs, nil)
	require.ErrorIs(t, err, weight.ErrOverflow)
	var ie *weight.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "Observations[5].Hours", ie.Field)
	assert.Equal(t, "c-5", ie.Case)
}

// TestFitDroppedParameterScalesPrediction is collected from a failure of
// TestFitAnyInputFinite (testdata/rapid/TestFitAnyInputFinite), shrunk.
// The multiplier "kids" (given 0) hides "distance" at the given values;
// the first round fits "kids" to about 1.5, which reveals "distance",
// whose derivative on case "far" (1.8e308 km times 1.5) then overflows,
// so a later round drops it back to its given value. The fitted model
// predicts "far" at 1.5 × (0.29 + value × 1.8e308) h: finite for a value
// of 1e-10, though its square is not, and beyond the float64 range for 1.
// Neither the report nor the standard errors may square it.
func TestFitDroppedParameterScalesPrediction(t *testing.T) {
	t.Parallel()
	model := func(value float64) weight.Model {
		return weight.Model{
			Types: []weight.CaseType{{Name: "a", Hours: 1e-300}},
			Factors: []weight.Factor{
				{Name: "distance", Kind: weight.PerUnit, On: weight.Number, Attribute: "km", Value: value},
				{Name: "kids", Kind: weight.Multiplier, On: weight.Count, Attribute: "children", Value: 0, Above: 2},
			},
		}
	}
	obs := []weight.Observation{
		{Attributes: weight.Attributes{ID: "far", Type: "a", Counts: map[string]int{"children": 13558}, Numbers: map[string]float64{"km": math.MaxFloat64}}, Hours: 0.4361724853515625},
		{Attributes: weight.Attributes{Type: "a"}, Hours: 0.5791015625},
		{Attributes: weight.Attributes{Type: "a", Counts: map[string]int{"children": 1}, Numbers: map[string]float64{"km": 2.488607732579112}}, Hours: 0},
	}

	t.Run("a squared residual overflows", func(t *testing.T) {
		t.Parallel()
		cal, err := weight.Fit(model(1e-10), obs, nil)
		require.NoError(t, err)
		require.Equal(t, weight.NotObserved, param(t, cal, "distance").Status)
		require.Equal(t, weight.Fitted, param(t, cal, "kids").Status)
		// The RMSE is what the fitted model predicts, computed without
		// squaring: "far" is predicted at some 2.7e298 h, the other two
		// within an hour of what they record.
		c, err := weight.Compile(cal.Model, nil)
		require.NoError(t, err)
		w, err := c.Weigh(obs[0].Attributes)
		require.NoError(t, err)
		far := float64(obs[0].Hours - w.Hours)
		require.Less(t, far, -1e298)
		assert.InEpsilon(t, -far/math.Sqrt(3), float64(cal.RMSE), 1e-12)
		require.Len(t, cal.ByType, 1)
		assert.InEpsilon(t, far/3, float64(cal.ByType[0].Mean), 1e-12)
		assert.Equal(t, cal.RMSE, cal.ByType[0].RMSE)
		assert.False(t, cal.R2Known)
		assert.Zero(t, cal.R2)
		assert.Contains(t, cal.Notes, "the residuals are too large next to the spread of the recorded hours for R² to be a finite number: it is reported as 0")
		// JᵀJ would hold the square of the derivative by "kids" on "far"
		// (1.8e298 h), yet the information matrix is not singular: one
		// fitted DoF is left, and the classical standard errors are known.
		assert.Equal(t, 1, cal.DoF)
		for _, name := range []string{"a", "kids"} {
			p := param(t, cal, name)
			assert.True(t, p.StdErrKnown && p.StdErr > 0 && !math.IsInf(p.StdErr, 0), "%s: %v", name, p.StdErr)
		}
		for _, n := range cal.Notes {
			assert.NotContains(t, n, "singular")
		}
	})
	t.Run("the fitted weight overflows", func(t *testing.T) {
		t.Parallel()
		_, err := weight.Fit(model(1), obs, nil)
		require.ErrorIs(t, err, weight.ErrOverflow)
		var ie *weight.InputError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, "Observations[0].Attributes", ie.Field)
		assert.Equal(t, "far", ie.Case)
	})
}

// TestFitZeroBaseHidesNoMultiplier: with a base of 0 h every
// multiplier's column is zero at the given values, yet the data
// identifies the multiplier. 40 cases: 5 h without court, 6.5 h
// with court, half each, so base 5 and court 6.5/5 = 1.3.
func TestFitZeroBaseHidesNoMultiplier(t *testing.T) {
	t.Parallel()
	m := weight.Model{
		Types:   []weight.CaseType{{Name: "a", Hours: 0}},
		Factors: []weight.Factor{{Name: "court", Kind: weight.Multiplier, On: weight.Flag, Attribute: "court", Value: 1}},
	}
	var obs []weight.Observation
	for i := range 40 {
		court := i%2 == 0
		h := weight.HoursPerWeek(5)
		if court {
			h = 6.5
		}
		obs = append(obs, weight.Observation{Attributes: weight.Attributes{Type: "a", Flags: map[string]bool{"court": court}}, Hours: h})
	}
	for _, given := range []float64{1, 0} { // a zero multiplier hides the base likewise
		m.Factors[0].Value = given
		cal, err := weight.Fit(m, obs, nil)
		require.NoError(t, err)
		base, court := param(t, cal, "a"), param(t, cal, "court")
		assert.Equal(t, weight.Fitted, base.Status)
		assert.Equal(t, weight.Fitted, court.Status)
		assert.InDelta(t, 5, base.Estimate, 1e-9)
		assert.InDelta(t, 1.3, court.Estimate, 1e-9)
		assert.InDelta(t, 1, cal.R2, 1e-9)
		assert.True(t, cal.R2Known)
		assert.Equal(t, 38, cal.DoF)
		assert.Nil(t, cal.Unidentified())
	}
}

// Fit errs only when nothing can be fitted. An exact fit and constant
// hours are fitted; what cannot be known is flagged and noted, never NaN.
func TestFitExactOrConstant(t *testing.T) {
	t.Parallel()
	m := weight.Model{Types: []weight.CaseType{{Name: "a", Hours: 1}, {Name: "b", Hours: 1}}}
	t.Run("as many observations as parameters", func(t *testing.T) {
		t.Parallel()
		obs := []weight.Observation{{Attributes: weight.Attributes{Type: "a"}, Hours: 2}, {Attributes: weight.Attributes{Type: "b"}, Hours: 3}}
		cal, err := weight.Fit(m, obs, nil)
		require.NoError(t, err)
		assert.Equal(t, 0, cal.DoF)
		assert.Equal(t, 2.0, param(t, cal, "a").Estimate)
		assert.Equal(t, 3.0, param(t, cal, "b").Estimate)
		for _, p := range cal.Params {
			assert.Equal(t, weight.Fitted, p.Status, p.Name)
			assert.False(t, p.StdErrKnown, p.Name)
			assert.Zero(t, p.StdErr, p.Name)
		}
		assert.True(t, cal.R2Known)
		assert.Equal(t, 1.0, cal.R2)
		require.Len(t, cal.Notes, 1)
		assert.Contains(t, cal.Notes[0], "standard errors are unknown")
	})
	t.Run("constant hours", func(t *testing.T) {
		t.Parallel()
		obs := withHours(youthObs(t, 10, func(_ int, a *weight.Attributes) { a.Type = "ots" }), 3)
		one := weight.Model{Types: []weight.CaseType{{Name: "ots", Hours: 1}}}
		cal, err := weight.Fit(one, obs, knownAll)
		require.NoError(t, err)
		p := param(t, cal, "ots")
		assert.Equal(t, 3.0, p.Estimate)
		assert.True(t, p.StdErrKnown)
		assert.Zero(t, p.StdErr, "an exact fit with degrees of freedom left")
		assert.Equal(t, 9, cal.DoF)
		assert.False(t, cal.R2Known)
		assert.Zero(t, cal.R2)
		require.Len(t, cal.Notes, 1)
		assert.Contains(t, cal.Notes[0], "R² is undefined")
	})
	t.Run("three observations of a larger model", func(t *testing.T) {
		t.Parallel()
		cal, err := weight.Fit(youthProtection(), youthObs(t, 40, nil)[:3], nil)
		require.NoError(t, err)
		assert.GreaterOrEqual(t, cal.DoF, 0)
		for _, p := range cal.Params {
			assert.False(t, math.IsNaN(p.Estimate) || math.IsNaN(p.StdErr), p.Name)
		}
		assert.False(t, math.IsNaN(cal.R2))
	})
}

// Invariant: on any valid model and observations, Fit never panics, and it
// either fails with ErrOverflow or ErrNothingToFit or returns only finite
// numbers, with standard errors (classical and robust) and R² flagged
// where unknown.
func TestFitAnyInputFinite(t *testing.T) {
	t.Parallel()
	rapid.Check(t, checkFitFinite)
}

// FuzzFit runs the invariant of TestFitAnyInputFinite on fuzzed input.
func FuzzFit(f *testing.F) {
	f.Fuzz(rapid.MakeFuzz(checkFitFinite))
}

func checkFitFinite(t *rapid.T) {
	m := modelGen(0).Draw(t, "model")
	cases := rapid.SliceOfN(attributesGen(m), 0, 8).Draw(t, "cases")
	obs := make([]weight.Observation, len(cases))
	for i, a := range cases {
		obs[i] = weight.Observation{Attributes: a, Hours: weight.HoursPerWeek(amount(10).Draw(t, "hours"))}
	}
	cal, err := weight.Fit(m, obs, nil)
	if err != nil {
		if !errors.Is(err, weight.ErrOverflow) {
			require.ErrorIs(t, err, weight.ErrNothingToFit)
		}
		return
	}
	fin := func(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
	assert.True(t, fin(cal.R2) && fin(float64(cal.RMSE)), "R² %v, RMSE %v", cal.R2, cal.RMSE)
	assert.Equal(t, cal.R2Known, cal.R2 != 0 || cal.R2Known)
	for _, p := range cal.Params {
		assert.True(t, fin(p.Estimate) && fin(p.StdErr) && fin(p.RobustStdErr), "%s: %v ± %v (robust %v)", p.Name, p.Estimate, p.StdErr, p.RobustStdErr)
		assert.GreaterOrEqual(t, p.Estimate, 0.0, p.Name)
		if !p.StdErrKnown {
			assert.Zero(t, p.StdErr, p.Name)
			assert.False(t, p.RobustStdErrKnown, "%s: a robust standard error without a classical one", p.Name)
		}
		if !p.RobustStdErrKnown {
			assert.Zero(t, p.RobustStdErr, p.Name)
		}
		if p.Status != weight.Fitted {
			assert.False(t, p.StdErrKnown || p.RobustStdErrKnown, "%s is %v and has a standard error", p.Name, p.Status)
		}
	}
	for _, tr := range cal.ByType {
		assert.True(t, fin(float64(tr.Mean)) && fin(float64(tr.RMSE)), tr.Type)
	}
	assert.NoError(t, cal.Model.Validate())
}
