package weight_test

import (
	"fmt"
	"math"
	"time"
	"unicode/utf8"

	"github.com/caseload/caseload/civil"

	"github.com/caseload/caseload/weight"
	"pgregory.net/rapid"
)

// Attribute names are drawn from small pools so that factors share
// attributes, as "children" is read by several factors in practice.
var (
	flagNames   = []string{"court", "interpreter", "aggression"}
	countNames  = []string{"children", "parents"}
	numberNames = []string{"travel_km", "distance"}
)

// amount draws a non-negative finite amount that reaches the edges: zero,
// ordinary values, and huge ones.
func amount(ordinary float64) *rapid.Generator[float64] {
	return rapid.OneOf(
		rapid.Just(0.0),
		rapid.Float64Range(0, ordinary),
		rapid.Float64Range(0, ordinary),
		rapid.Float64Range(0, 1e12),
		rapid.SampledFrom([]float64{1e-300, 1e300, math.MaxFloat64}),
	)
}

// optional draws zero (meaning "none") half of the time, else from g.
func optional(g *rapid.Generator[float64]) *rapid.Generator[float64] {
	return rapid.OneOf(rapid.Just(0.0), g)
}

// name draws a name unique by its prefix and index, with an arbitrary
// valid UTF-8 suffix.
func name(t *rapid.T, prefix string, i int, label string) string {
	return fmt.Sprintf("%s%d|%s", prefix, i, rapid.StringN(0, 6, -1).Draw(t, label))
}

// factorGen draws a valid factor named n.
func factorGen(n string, multiplierMin float64) *rapid.Generator[weight.Factor] {
	return rapid.Custom(func(t *rapid.T) weight.Factor {
		f := weight.Factor{
			Name: n,
			Kind: rapid.SampledFrom([]weight.Kind{weight.Additive, weight.PerUnit, weight.Multiplier}).Draw(t, "kind"),
			On:   rapid.SampledFrom([]weight.Input{weight.Flag, weight.Count, weight.Number}).Draw(t, "on"),
		}
		switch f.On {
		case weight.Flag:
			f.Attribute = rapid.SampledFrom(flagNames).Draw(t, "flag")
		case weight.Count:
			f.Attribute = rapid.SampledFrom(countNames).Draw(t, "count")
			f.Above = optional(rapid.SampledFrom([]float64{1, 2, 2.5})).Draw(t, "above")
		case weight.Number:
			f.Attribute = rapid.SampledFrom(numberNames).Draw(t, "number")
			f.Above = optional(rapid.Float64Range(0, 50)).Draw(t, "above")
		}
		if f.Kind == weight.Multiplier {
			f.Value = rapid.OneOf(rapid.Float64Range(multiplierMin, 3), rapid.SampledFrom([]float64{multiplierMin, 1, 3})).Draw(t, "multiplier")
		} else {
			f.Value = amount(5).Draw(t, "value")
		}
		f.Cap = weight.HoursPerWeek(optional(amount(5)).Draw(t, "cap"))
		f.Severity = weight.Severity(optional(rapid.Float64Range(0, 5)).Draw(t, "severity"))
		f.Note = rapid.StringN(0, 10, -1).Draw(t, "note")
		return f
	})
}

// modelGen draws a valid model. Multipliers are at least multiplierMin.
func modelGen(multiplierMin float64) *rapid.Generator[weight.Model] {
	return rapid.Custom(func(t *rapid.T) weight.Model {
		m := weight.Model{
			Name:     rapid.StringN(0, 10, -1).Draw(t, "name"),
			Version:  rapid.StringN(0, 4, -1).Draw(t, "version"),
			MaxHours: weight.HoursPerWeek(optional(amount(50)).Draw(t, "max")),
		}
		if rapid.Bool().Draw(t, "dated") {
			m.Effective = civil.NewDate(
				rapid.IntRange(1, 9999).Draw(t, "year"),
				rapid.SampledFrom([]time_Month{1, 2, 6, 12}).Draw(t, "month"),
				rapid.IntRange(1, 28).Draw(t, "day"),
			)
		}
		for i := range rapid.IntRange(1, 4).Draw(t, "types") {
			ct := weight.CaseType{
				Name:     name(t, "t", i, "type"),
				Hours:    weight.HoursPerWeek(amount(10).Draw(t, "hours")),
				Severity: weight.Severity(optional(rapid.Float64Range(0, 5)).Draw(t, "severity")),
			}
			if rapid.Bool().Draw(t, "emptyPhases") {
				ct.Phases = []weight.Phase{} // empty, not nil
			}
			for j := range rapid.IntRange(0, 3).Draw(t, "phases") {
				ct.Phases = append(ct.Phases, weight.Phase{
					Name:  name(t, "p", j, "phase"),
					Hours: weight.HoursPerWeek(amount(10).Draw(t, "phaseHours")),
				})
			}
			m.Types = append(m.Types, ct)
		}
		if rapid.Bool().Draw(t, "emptyFactors") {
			m.Factors = []weight.Factor{} // empty, not nil
		}
		for i := range rapid.IntRange(0, 8).Draw(t, "factors") {
			m.Factors = append(m.Factors, factorGen(name(t, "f", i, "factor"), multiplierMin).Draw(t, "factor"))
		}
		return m
	})
}

// attributesGen draws a case that m knows: its type and phase exist, and
// its attributes are ones m's factors read (with zero counts, absent
// flags and huge numbers among them).
func attributesGen(m weight.Model) *rapid.Generator[weight.Attributes] {
	return rapid.Custom(func(t *rapid.T) weight.Attributes {
		ct := rapid.SampledFrom(m.Types).Draw(t, "type")
		a := weight.Attributes{ID: rapid.StringN(0, 5, -1).Draw(t, "id"), Type: ct.Name}
		if len(ct.Phases) > 0 && rapid.Bool().Draw(t, "phased") {
			a.Phase = rapid.SampledFrom(ct.Phases).Draw(t, "phase").Name
		}
		for _, f := range m.Factors {
			if !rapid.Bool().Draw(t, "set") {
				continue
			}
			switch f.On {
			case weight.Flag:
				if a.Flags == nil {
					a.Flags = map[string]bool{}
				}
				a.Flags[f.Attribute] = rapid.Bool().Draw(t, "flag")
			case weight.Count:
				if a.Counts == nil {
					a.Counts = map[string]int{}
				}
				a.Counts[f.Attribute] = rapid.OneOf(rapid.IntRange(0, 6), rapid.IntRange(0, math.MaxInt32)).Draw(t, "count")
			case weight.Number:
				if a.Numbers == nil {
					a.Numbers = map[string]float64{}
				}
				a.Numbers[f.Attribute] = amount(100).Draw(t, "number")
			}
		}
		return a
	})
}

type time_Month = time.Month

func utf8Valid(s string) bool { return utf8.ValidString(s) }

func nan() float64 { return math.NaN() }
func inf() float64 { return math.Inf(1) }
