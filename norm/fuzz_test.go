package norm_test

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/caseload/caseload/civil"

	"github.com/caseload/caseload/norm"
	"pgregory.net/rapid"
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
			in := false
			for _, a := range c.Absences() {
				in = in || a.Contains(d)
			}
			if in != c.AbsentOn(d) {
				t.Fatalf("AbsentOn(%s) = %v, Absences %v", d, c.AbsentOn(d), c.Absences())
			}
			if in && b.Available != 0 {
				t.Fatalf("absent on %s with %v", d, b.Available)
			}
		}
		abs := c.Absences()
		for i, a := range abs {
			if a.Check() != nil || i > 0 && (abs[i-1].To.IsZero() || a.From.IsZero() || a.From.Sub(abs[i-1].To) < 2) {
				t.Fatalf("absences not sorted, disjoint and apart: %v", abs)
			}
		}
	})
}

// FuzzPaceMessage reads the pace of a worker under any norm, bands and
// completed services the fuzzer finds: no input may panic, and the
// message agrees with the status (its ratio lies in the status's band
// as printed) and holds no NaN or infinity.
func FuzzPaceMessage(f *testing.F) {
	f.Fuzz(rapid.MakeFuzz(paceMessageProp))
}

// paceMessageProp is the property of [FuzzPaceMessage].
func paceMessageProp(t *rapid.T) {
	anyFloat := func(label string) float64 {
		return rapid.OneOf(rapid.Float64(), rapid.Float64Range(0, 2),
			rapid.SampledFrom([]float64{0, 0.75, 0.9, 1.1, 1, 1e-300, 1e300, math.MaxFloat64})).Draw(t, label)
	}
	n := norm.ProductionNorm{
		PerFTE:   norm.ServicesPerYear(anyFloat("per fte")),
		FullTime: norm.HoursPerWeek(anyFloat("full time")),
		Bands: norm.PaceBands{Ahead: anyFloat("ahead"), Behind: anyFloat("behind"),
			FarBehind: anyFloat("far behind"), MinExpected: norm.Services(anyFloat("min expected"))},
	}
	c := norm.Contract{Worker: "ann", Hours: norm.HoursPerWeek(anyFloat("hours"))}
	cal := norm.Calendar{Year: testYear}
	at := week1.AddDays(rapid.IntRange(-3, 370).Draw(t, "day"))
	completed := norm.Services(anyFloat("completed"))
	p, err := norm.Pace(n, cal, c, completed, at)
	if err != nil {
		for _, e := range inputErrors(err) {
			if e.Err == nil || e.Field == "" {
				t.Fatalf("input error without field or sentinel: %#v", e)
			}
		}
		return
	}
	msg := p.Signal().Message
	if strings.Contains(msg, "NaN") || strings.Contains(msg, "Inf") {
		t.Fatalf("message %q", msg)
	}
	m := percentRE.FindAllStringSubmatch(msg, -1)
	if p.Status == norm.PaceNoExpectation || len(m) == 0 {
		if p.Status != norm.PaceNoExpectation {
			t.Fatalf("no percentage in %q", msg)
		}
		return
	}
	pct, err := strconv.ParseFloat(m[0][1], 64)
	if err != nil {
		t.Fatalf("%q: %v", msg, err)
	}
	b := p.Bands
	lo, hi := math.Inf(-1), math.Inf(1)
	switch p.Status {
	case norm.PaceAhead:
		lo = b.Ahead
	case norm.PaceOnTrack:
		lo, hi = b.Behind, b.Ahead
	case norm.PaceBehind:
		lo, hi = b.FarBehind, b.Behind
	case norm.PaceFarBehind:
		hi = b.FarBehind
	}
	round6 := func(x float64) float64 { return math.Round(x*1e6) / 1e6 }
	if 100*p.Ratio < 1e12 && !(round6(100*lo) <= pct && pct < round6(100*hi)) {
		t.Fatalf("%q: ratio %v outside its band %+v", msg, p.Ratio, b)
	}
}

// FuzzPoints converts any number the fuzzer finds on any scale: no input
// may panic, an error is an input error, and a result is finite, not
// negative, and no smaller than its truncation.
func FuzzPoints(f *testing.F) {
	f.Add(2176.0, 37.0, 35.2)
	f.Add(2176.0, 37.0, -1.0)
	f.Add(1e-300, 1e300, 1e300)
	f.Add(100.0, 37.0, math.Inf(1))
	f.Fuzz(func(t *testing.T, points, hours, x float64) {
		s := norm.PointsScale{Points: norm.PointsPerWeek(points), Hours: norm.HoursPerWeek(hours)}
		check := func(y float64, err error) {
			if err != nil {
				var ie *norm.InputError
				if !errors.As(err, &ie) {
					t.Fatalf("not an input error: %v", err)
				}
				if y != 0 {
					t.Fatalf("%v with error %v", y, err)
				}
				return
			}
			if math.IsNaN(y) || math.IsInf(y, 0) || y < 0 {
				t.Fatalf("converted %v to %v on %+v", x, y, s)
			}
			w := float64(norm.PointsPerWeek(y).Truncate())
			if w > y*(1+1e-12)+1e-12 || w < y-1 {
				t.Fatalf("truncated %v to %v", y, w)
			}
		}
		p, err := s.ToPoints(norm.HoursPerWeek(x))
		check(float64(p), err)
		h, err := s.ToHours(norm.PointsPerWeek(x))
		check(float64(h), err)
		_ = norm.PointsPerWeek(x).String()
	})
}
