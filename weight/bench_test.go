package weight_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/caseload/caseload/weight"
)

// benchModel has 20 factors on 20 attributes, a realistic upper end for a
// scheme that must stay simple enough to be used.
func benchModel() (weight.Model, weight.Attributes) {
	m := weight.Model{Types: []weight.CaseType{{Name: "ots", Hours: 1.5, Phases: []weight.Phase{{Name: "intake", Hours: 3}}}}}
	a := weight.Attributes{Type: "ots", Phase: "intake", Flags: map[string]bool{}, Counts: map[string]int{}, Numbers: map[string]float64{}}
	for i := range 20 {
		f := weight.Factor{Name: fmt.Sprint("factor ", i), Attribute: fmt.Sprint("attr", i), Value: 0.5, Cap: 2}
		switch i % 4 {
		case 0:
			f.Kind, f.On = weight.Additive, weight.Flag
			a.Flags[f.Attribute] = true
		case 1:
			f.Kind, f.On, f.Above = weight.PerUnit, weight.Count, 1
			a.Counts[f.Attribute] = 3
		case 2:
			f.Kind, f.On, f.Above = weight.Additive, weight.Number, 30
			a.Numbers[f.Attribute] = 42
		case 3:
			f.Kind, f.On, f.Value = weight.Multiplier, weight.Flag, 1.1
			a.Flags[f.Attribute] = true
		}
		m.Factors = append(m.Factors, f)
	}
	return m, a
}

func BenchmarkWeigh(b *testing.B) {
	m, a := benchModel()
	b.Run("compiled/20-factors", func(b *testing.B) {
		c, err := weight.Compile(m, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.Weigh(a); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("one-shot/20-factors", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := weight.Weigh(m, a, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkFit(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprint("youth-protection/", n), func(b *testing.B) {
			obs := youthObs(b, n, func(i int, a *weight.Attributes) {
				rng := rand.New(rand.NewPCG(uint64(i), 1))
				a.Flags["aggression"] = rng.IntN(4) == 0
				a.Numbers = map[string]float64{"travel_km": 60 * rng.Float64()}
			})
			b.ReportAllocs()
			for b.Loop() {
				if _, err := weight.Fit(youthProtection(), obs, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
