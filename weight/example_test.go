package weight_test

import (
	"encoding/json"
	"fmt"
	"log"
	"math/rand/v2"

	"github.com/caseload/caseload/civil"

	"github.com/caseload/caseload/weight"
)

// casework is the illustrative casework time of a 36-hour FTE, the basis
// of the caseload norms of the CAO Jeugdzorg (the Dutch youth-care
// collective agreement, published by FCB), after about 15% non-client
// time, the middle of the union FNV's estimate of 10–20% (Skipr,
// "Jeugdzorgmedewerker besteedt slechts 19 minuten per week aan cliënt"):
// 36 × 0.85 = 30.6 h.
const casework = 36 * 0.85

// youthProtection returns an example model for a youth-protection team
// (jeugdbescherming). The numbers are illustrative, not a standard:
//   - ots first year 1.9 h: 30.6 h / 16, the CAO Jeugdzorg caseload norm
//     for a supervision order (OTS) in its first year; later years 1.5 h
//     (30.6 / 21); guardianship 1.1 h (30.6 / 28), from the same norms;
//   - intake 3.0 h, interpreter ×1.2, court ×1.3, +0.6 h per additional
//     child and +1 h for travel over 30 km: assumptions, chosen to show
//     each kind of factor;
//   - complex divorce: one of the ten factors that made the work heavier
//     in "Benodigde tijd per gezin voor de jeugdbescherming" (Significant
//     Public for Jeugdzorg Nederland, 2022); ×1.2 is an assumption.
func youthProtection() weight.Model {
	return weight.Model{
		Name:      "Jeugdbescherming example (illustrative numbers)",
		Version:   "1",
		Effective: civil.NewDate(2025, 1, 1),
		Types: []weight.CaseType{
			{Name: "ots", Hours: casework / 21, Severity: 1, Phases: []weight.Phase{
				{Name: "intake", Hours: 3.0},
				{Name: "first-year", Hours: casework / 16},
			}},
			{Name: "voogdij", Hours: casework / 28, Severity: 1},
		},
		Factors: []weight.Factor{
			{Name: "extra children", Kind: weight.PerUnit, On: weight.Count, Attribute: "children", Above: 1, Value: 0.6, Cap: 1.8},
			{Name: "travel", Kind: weight.Additive, On: weight.Number, Attribute: "travel_km", Above: 30, Value: 1},
			{Name: "aggression", Kind: weight.Additive, On: weight.Flag, Attribute: "aggression", Value: 0.5, Severity: 2},
			{Name: "sexual abuse", Kind: weight.Additive, On: weight.Flag, Attribute: "sexual_abuse", Value: 0.5, Severity: 3},
			{Name: "court", Kind: weight.Multiplier, On: weight.Flag, Attribute: "court", Value: 1.3, Severity: 1},
			{Name: "interpreter", Kind: weight.Multiplier, On: weight.Flag, Attribute: "interpreter", Value: 1.2},
			{Name: "complex divorce", Kind: weight.Multiplier, On: weight.Flag, Attribute: "complex_divorce", Value: 1.2, Severity: 1},
		},
		MaxHours: 8,
	}
}

// veiligThuis returns an example model for a Veilig Thuis team. The
// numbers are illustrative assumptions: the statutory terms (a safety
// assessment within 5 working days, an investigation within 10 weeks; NOS,
// "Inspectie bezorgd: slachtoffers van huiselijk geweld wachten lang op
// hulp") are why the safety-assessment phase weighs most, but no public
// source gives hours per week.
func veiligThuis() weight.Model {
	return weight.Model{
		Name:    "Veilig Thuis example (illustrative numbers)",
		Version: "1",
		Types: []weight.CaseType{
			{Name: "advies", Hours: 0.5},
			{Name: "onderzoek", Hours: 3, Severity: 2, Phases: []weight.Phase{
				{Name: "veiligheidsbeoordeling", Hours: 6},
				{Name: "afronding", Hours: 1.5},
			}},
		},
		Factors: []weight.Factor{
			{Name: "extra children", Kind: weight.PerUnit, On: weight.Count, Attribute: "children", Above: 1, Value: 0.4, Cap: 1.6},
			{Name: "police", Kind: weight.Additive, On: weight.Flag, Attribute: "police", Value: 0.5, Severity: 1},
			{Name: "acute danger", Kind: weight.Multiplier, On: weight.Flag, Attribute: "acute", Value: 1.5, Severity: 3},
			{Name: "interpreter", Kind: weight.Multiplier, On: weight.Flag, Attribute: "interpreter", Value: 1.2},
		},
	}
}

func ExampleCompiled_Weigh() {
	c, err := weight.Compile(youthProtection(), nil)
	if err != nil {
		log.Fatal(err)
	}
	w, err := c.Weigh(weight.Attributes{
		ID:      "family-17",
		Type:    "ots",
		Phase:   "first-year",
		Flags:   map[string]bool{"court": true, "aggression": true},
		Counts:  map[string]int{"children": 3},
		Numbers: map[string]float64{"travel_km": 42},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, line := range w.Breakdown {
		fmt.Println(line)
	}
	fmt.Println("total:", w)
	// Output:
	// base ots/first-year: 1.9 h/wk, 1.0 sev
	// extra children 2 × 0.6: +1.2 h/wk
	// travel: +1.0 h/wk
	// aggression: +0.5 h/wk, +2.0 sev
	// court ×1.3: +1.4 h/wk, +1.0 sev
	// total: 6.0 h/wk, 4.0 sev
}

func ExampleCompiled_Weigh_veiligThuis() {
	c, err := weight.Compile(veiligThuis(), nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range []weight.Attributes{
		{Type: "advies"},
		{Type: "onderzoek", Phase: "veiligheidsbeoordeling", Flags: map[string]bool{"acute": true}, Counts: map[string]int{"children": 2}},
		{Type: "onderzoek", Phase: "afronding", Counts: map[string]int{"children": 1}},
	} {
		w, err := c.Weigh(a)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-9s %-22s %v\n", a.Type, a.Phase, w)
	}
	// Output:
	// advies                           0.5 h/wk, 0.0 sev
	// onderzoek veiligheidsbeoordeling 9.6 h/wk, 5.0 sev
	// onderzoek afronding              1.5 h/wk, 2.0 sev
}

func ExampleCompiled_Weigh_errors() {
	c, err := weight.Compile(youthProtection(), nil)
	if err != nil {
		log.Fatal(err)
	}
	_, err = c.Weigh(weight.Attributes{
		ID:     "family-9",
		Type:   "ots",
		Phase:  "intke",
		Counts: map[string]int{"children": -1, "siblings": 2},
	})
	fmt.Println(err)
	// Output:
	// weight: case "family-9": Counts "children": negative value
	// weight: case "family-9": Counts "siblings": unknown attribute
	// weight: case "family-9": Phase "intke": unknown phase
}

func ExampleParseModel() {
	data, err := json.Marshal(veiligThuis())
	if err != nil {
		log.Fatal(err)
	}
	m, err := weight.ParseModel(data)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(m.Name, len(m.Types), "types", len(m.Factors), "factors")

	_, err = weight.ParseModel([]byte(`{"types":[{"name":"advies","hours":-1}],"factors":[{"name":"x","kind":"additive","on":"flag","attribute":"x","value":1,"cap":-2}]}`))
	fmt.Println(err)
	// Output:
	// Veilig Thuis example (illustrative numbers) 2 types 4 factors
	// weight: Types[0].Hours "advies": negative value
	// weight: Factors[0].Cap "x": negative value
}

// ExampleFit calibrates the youth-protection model against simulated time
// registration: the "true" hours per case differ from the model (intake
// and court take longer), with 5% noise, so a heavier case is noisier.
// Each estimate shows its classical and its robust standard error; see
// [weight.Fit] for which to read.
func ExampleFit() {
	truth := youthProtection()
	truth.Types[0].Phases[0].Hours = 4.0 // intake
	truth.Factors[4].Value = 1.5         // court
	truth.MaxHours = 0
	c, err := weight.Compile(truth, nil)
	if err != nil {
		log.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var obs []weight.Observation
	for i := range 300 {
		a := weight.Attributes{
			ID:     fmt.Sprint("case-", i),
			Type:   []string{"ots", "ots", "voogdij"}[i%3],
			Flags:  map[string]bool{"court": rng.IntN(3) == 0, "aggression": rng.IntN(5) == 0, "interpreter": rng.IntN(6) == 0},
			Counts: map[string]int{"children": 1 + rng.IntN(4)},
		}
		if a.Type == "ots" {
			a.Phase = []string{"", "intake", "first-year"}[rng.IntN(3)]
		}
		w, err := c.Weigh(a)
		if err != nil {
			log.Fatal(err)
		}
		obs = append(obs, weight.Observation{Attributes: a, Hours: w.Hours * weight.HoursPerWeek(1+0.05*rng.NormFloat64())})
	}
	cal, err := weight.Fit(youthProtection(), obs, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("R² %.2f, RMSE %v\n", cal.R2, cal.RMSE)
	for _, p := range cal.Params {
		if p.Status == weight.Fitted {
			fmt.Printf("%-15s given %4.2f fitted %4.2f ± %.2f (robust ± %.2f)\n", p.Name, p.Given, p.Estimate, p.StdErr, p.RobustStdErr)
		} else {
			fmt.Printf("%-15s given %4.2f kept: %v\n", p.Name, p.Given, p.Status)
		}
	}
	// Output:
	// R² 0.97, RMSE 0.3 h/wk
	// ots             given 1.46 fitted 1.43 ± 0.04 (robust ± 0.02)
	// ots/intake      given 3.00 fitted 4.04 ± 0.04 (robust ± 0.04)
	// ots/first-year  given 1.91 fitted 1.90 ± 0.04 (robust ± 0.03)
	// voogdij         given 1.09 fitted 1.07 ± 0.03 (robust ± 0.02)
	// extra children  given 0.60 fitted 0.60 ± 0.01 (robust ± 0.01)
	// travel          given 1.00 kept: not observed
	// aggression      given 0.50 fitted 0.50 ± 0.04 (robust ± 0.03)
	// sexual abuse    given 0.50 kept: not observed
	// court           given 1.30 fitted 1.52 ± 0.02 (robust ± 0.01)
	// interpreter     given 1.20 fitted 1.22 ± 0.02 (robust ± 0.01)
	// complex divorce given 1.20 kept: not observed
}

// ExampleCheckFunding checks a per-child funding rule against the
// youth-protection model: paid per child, the work is per family. The rate
// is illustrative: 30.6 casework hours over the CAO Jeugdzorg norm of 16
// children in a first-year supervision order is 1.9 h per child per week.
func ExampleCheckFunding() {
	perChild := weight.Funding{Name: "per child", PerUnit: casework / 16, Unit: "children"}
	cases := []weight.Attributes{
		{ID: "a", Type: "ots", Phase: "intake", Counts: map[string]int{"children": 1}, Flags: map[string]bool{"court": true}},
		{ID: "b", Type: "ots", Phase: "first-year", Counts: map[string]int{"children": 3}},
		{ID: "c", Type: "ots", Counts: map[string]int{"children": 1}, Flags: map[string]bool{"interpreter": true, "court": true}},
		{ID: "d", Type: "voogdij", Counts: map[string]int{"children": 1}},
		{ID: "e", Type: "voogdij", Counts: map[string]int{"children": 2}, Flags: map[string]bool{"sexual_abuse": true}},
	}
	r, err := weight.CheckFunding(youthProtection(), perChild, cases, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range r.Cases {
		fmt.Printf("%s %-7s funded %v needed %v\n", c.ID, c.Type, c.Funded, c.Needed)
	}
	for _, l := range append(r.ByType, r.Total) {
		fmt.Printf("%-7s %d cases, %d short: funded %v, needed %v, shortfall %v\n",
			cmpOr(l.Type, "total"), l.Cases, l.Short, l.Funded, l.Needed, l.Shortfall)
	}
	// Output:
	// a ots     funded 1.9 h/wk needed 3.9 h/wk
	// b ots     funded 5.7 h/wk needed 3.1 h/wk
	// c ots     funded 1.9 h/wk needed 2.3 h/wk
	// d voogdij funded 1.9 h/wk needed 1.1 h/wk
	// e voogdij funded 3.8 h/wk needed 2.2 h/wk
	// ots     3 cases, 2 short: funded 9.6 h/wk, needed 9.3 h/wk, shortfall 2.3 h/wk
	// voogdij 2 cases, 0 short: funded 5.7 h/wk, needed 3.3 h/wk, shortfall 0.0 h/wk
	// total   5 cases, 2 short: funded 15.3 h/wk, needed 12.6 h/wk, shortfall 2.3 h/wk
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func ExampleHoursPerWeek_String() {
	fmt.Println(weight.HoursPerWeek(3.46))
	// Output: 3.5 h/wk
}
