package norm_test

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/caseload/caseload/civil"

	"github.com/caseload/caseload/norm"
)

// FuzzContractJSON decodes arbitrary bytes as a Contract and validates
// it. No input may panic; a decoded contract either fails validation
// with input errors only, or gives a finite, non-negative capacity and
// caseload limit.
func FuzzContractJSON(f *testing.F) {
	for _, seed := range []string{
		`{"worker":"ann","hours":36,"reductions":[{"reason":"sickness","percent":100,"period":{"from":"2025-03-03","to":"2025-03-16"}}]}`,
		`{"hours":32,"side_duties":[{"name":"works council","hours":4}],"expertise":[{"name":"mentor","share":-0.1}]}`,
		`{"hours":36,"onboarding":{"start":"2024-02-29","start_share":0.5,"weeks":8}}`,
		`{"hours":20,"reductions":[{"reason":"leave","hours":50,"cap":10},{"reason":"x","percent":10,"hours":1}]}`,
		`{"hours":-1,"reductions":[{"reason":"","period":{"from":"2025-02-01","to":"2025-01-01"}}]}`,
		`{"hours":1e308,"expertise":[{"name":"a","share":-1},{"name":"b","share":-1}]}`,
		`{"onboarding":{"weeks":2147483647,"start":"0001-01-01"}}`,
		`{"hours":36,"reductions":[{"reason":"a","period":{"from":"9999-12-31"}}]}`,
		`{"hours":"36"}`, `null`, `[]`, `{"onboarding":{"start":"2025-02-29"}}`,
		`{"hours":36,"expertise":[{"name":"a","share":1},{"name":"b","share":1},{"name":"c","share":1}]}`,
		`{"hours":36,"expertise":[{"name":"q1","share":-0.6,"period":{"from":"2025-01-01","to":"2025-03-31"}},{"name":"q4","share":-0.6,"period":{"from":"2025-09-01"}}]}`,
		`{"hours":36,"onboarding":{"start":"0000-12-31","start_share":0,"weeks":1}}`,
	} {
		f.Add([]byte(seed))
	}
	at := []civil.Date{day("2025-03-10"), day("0001-01-01"), day("9999-12-31"), day("2024-02-29")}
	f.Fuzz(func(t *testing.T, data []byte) {
		var c norm.Contract
		if json.Unmarshal(data, &c) != nil {
			return
		}
		if err := c.Validate(); err != nil {
			for _, e := range inputErrors(err) {
				if e.Err == nil || e.Field == "" {
					t.Fatalf("input error without field or sentinel: %#v", e)
				}
			}
			var ie *norm.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("validation error is not an InputError: %v", err)
			}
			return
		}
		for _, d := range at {
			b, err := norm.Capacity(c, d)
			if err != nil {
				t.Fatalf("valid contract, Capacity error: %v", err)
			}
			x := float64(b.Available)
			if math.IsNaN(x) || math.IsInf(x, 0) || x < 0 || x > float64(norm.MaxHoursPerWeek) {
				t.Fatalf("capacity %v", x)
			}
			l, err := norm.CaseloadLimit(cao, c, d)
			if err != nil {
				t.Fatalf("valid contract, CaseloadLimit error: %v", err)
			}
			if y := float64(l.Shares); math.IsNaN(y) || math.IsInf(y, 0) || y < 0 {
				t.Fatalf("limit %v", y)
			}
		}
	})
}
