package weight_test

import (
	"encoding/json"
	"math"
	"slices"
	"testing"

	"github.com/caseload/caseload/weight"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestCheckFundingTable(t *testing.T) {
	t.Parallel()
	// small(): ots 2 h (+0.5 h per extra child, cap 1; court ×1.5), advies 0.5 h.
	cases := []weight.Attributes{
		{ID: "a", Type: "ots", Counts: map[string]int{"children": 1}},                                        // needs 2
		{ID: "b", Type: "ots", Counts: map[string]int{"children": 3}, Flags: map[string]bool{"court": true}}, // needs 4.5
		{ID: "c", Type: "advies"}, // needs 0.5
	}
	tests := []struct {
		name    string
		f       weight.Funding
		funded  []weight.HoursPerWeek
		short   int
		gap     weight.HoursPerWeek
		deficit weight.HoursPerWeek
	}{
		{"per case", weight.Funding{PerCase: 2}, []weight.HoursPerWeek{2, 2, 2}, 1, 7 - 6, 2.5},
		{"per child", weight.Funding{PerUnit: 1, Unit: "children"}, []weight.HoursPerWeek{1, 3, 0}, 3, 7 - 4, 1 + 1.5 + 0.5},
		{"per type", weight.Funding{Types: []weight.TypeFunding{{Type: "ots", PerCase: 4.5}, {Type: "advies", PerCase: 0.5}}}, []weight.HoursPerWeek{4.5, 4.5, 0.5}, 0, 7 - 9.5, 0},
		{"type overrides the default", weight.Funding{PerCase: 1, Types: []weight.TypeFunding{{Type: "advies", PerCase: 0.25}}}, []weight.HoursPerWeek{1, 1, 0.25}, 3, 7 - 2.25, 1 + 3.5 + 0.25},
		{"nothing funded", weight.Funding{}, []weight.HoursPerWeek{0, 0, 0}, 3, 7, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := weight.CheckFunding(small(), tt.f, cases, nil)
			require.NoError(t, err)
			require.Len(t, r.Cases, 3)
			for i, c := range r.Cases {
				assert.Equal(t, tt.funded[i], c.Funded, c.ID)
				assert.Equal(t, c.Needed-c.Funded, c.Gap, c.ID)
			}
			assert.Equal(t, []weight.HoursPerWeek{2, 4.5, 0.5}, []weight.HoursPerWeek{r.Cases[0].Needed, r.Cases[1].Needed, r.Cases[2].Needed})
			assert.Equal(t, 3, r.Total.Cases)
			assert.Equal(t, tt.short, r.Total.Short)
			assert.Equal(t, weight.HoursPerWeek(7), r.Total.Needed)
			assert.Equal(t, tt.gap, r.Total.Gap)
			assert.Equal(t, tt.deficit, r.Total.Shortfall)
			require.Len(t, r.ByType, 2)
			assert.Equal(t, "ots", r.ByType[0].Type)
			assert.Equal(t, "advies", r.ByType[1].Type)
			assert.Equal(t, 2, r.ByType[0].Cases)
		})
	}
}

func TestCheckFundingUnitNotInModel(t *testing.T) {
	t.Parallel()
	m := small()
	m.Factors = m.Factors[1:] // no factor reads "children" now
	r, err := weight.CheckFunding(m, weight.Funding{PerUnit: 1, Unit: "children"},
		[]weight.Attributes{{Type: "ots", Counts: map[string]int{"children": 2}}}, nil)
	require.NoError(t, err)
	assert.Equal(t, weight.HoursPerWeek(2), r.Total.Funded)
	// Any other unknown count is still an error.
	_, err = weight.CheckFunding(m, weight.Funding{PerUnit: 1, Unit: "children"},
		[]weight.Attributes{{Type: "ots", Counts: map[string]int{"kids": 2}}}, nil)
	assert.ErrorIs(t, err, weight.ErrUnknownAttribute)
}

func TestCheckFundingErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		f     weight.Funding
		cases []weight.Attributes
		want  []error
		field string
	}{
		{"negative rate", weight.Funding{PerCase: -1}, nil, []error{weight.ErrNegative}, "Funding.PerCase"},
		{"NaN rate", weight.Funding{PerUnit: weight.HoursPerWeek(nan()), Unit: "children"}, nil, []error{weight.ErrNotFinite}, "Funding.PerUnit"},
		{"per unit without unit", weight.Funding{PerUnit: 1}, nil, []error{weight.ErrMissing}, "Funding.Unit"},
		{"unknown type", weight.Funding{Types: []weight.TypeFunding{{Type: "x"}}}, nil, []error{weight.ErrUnknownType}, "Funding.Types[0].Type"},
		{"duplicate type", weight.Funding{Types: []weight.TypeFunding{{Type: "ots"}, {Type: "ots"}}}, nil, []error{weight.ErrDuplicate}, "Funding.Types[1].Type"},
		{"bad cases, all reported", weight.Funding{PerUnit: 1, Unit: "children"}, []weight.Attributes{
			{Type: "ots"}, {Type: "x"}, {Type: "ots", Counts: map[string]int{"children": -1}},
		}, []error{weight.ErrUnknownType, weight.ErrNegative}, "Cases[1].Type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := weight.CheckFunding(small(), tt.f, tt.cases, nil)
			assert.Nil(t, r)
			for _, w := range tt.want {
				assert.ErrorIs(t, err, w)
			}
			var ie *weight.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.field, ie.Field)
		})
	}
}

// Invariant: the funding report does not depend on the order of cases
// (apart from the order of Cases), totals equal the sum of the lines,
// every number is finite, and each line's gap is exactly its needed minus
// its funded hours.
func TestCheckFundingOrderFree(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := modelGen(0).Draw(t, "model")
		cases := rapid.SliceOfN(attributesGen(m), 0, 12).Draw(t, "cases")
		f := weight.Funding{
			PerCase: weight.HoursPerWeek(amount(5).Draw(t, "perCase")),
			PerUnit: weight.HoursPerWeek(optional(amount(1)).Draw(t, "perUnit")),
			Unit:    rapid.SampledFrom(countNames).Draw(t, "unit"),
		}
		r1, err := weight.CheckFunding(m, f, cases, nil)
		if err != nil {
			require.ErrorIs(t, err, weight.ErrOverflow)
			return
		}
		shuffled := rapid.Permutation(cases).Draw(t, "shuffled")
		r2, err := weight.CheckFunding(m, f, shuffled, nil)
		require.NoError(t, err)
		assert.Equal(t, r1.ByType, r2.ByType)
		assert.Equal(t, r1.Total, r2.Total)
		var n, short int
		var needed weight.HoursPerWeek
		for _, l := range append(slices.Clone(r1.ByType), r1.Total) {
			for _, x := range []weight.HoursPerWeek{l.Funded, l.Needed, l.Gap, l.Shortfall} {
				assert.False(t, math.IsNaN(float64(x)) || math.IsInf(float64(x), 0), "%s: %v", l.Type, x)
			}
			assert.Equal(t, l.Needed-l.Funded, l.Gap, l.Type)
		}
		for _, c := range r1.Cases {
			assert.False(t, math.IsInf(float64(c.Funded), 0), c.ID)
		}
		for _, l := range r1.ByType {
			n += l.Cases
			short += l.Short
			needed += l.Needed
			assert.GreaterOrEqual(t, l.Shortfall, weight.HoursPerWeek(0))
			assert.GreaterOrEqual(t, float64(l.Shortfall), float64(l.Gap)*(1-1e-12)-1e-9)
		}
		assert.Equal(t, len(cases), n)
		assert.Equal(t, r1.Total.Short, short)
		assert.Equal(t, r1.Total.Needed, needed)
		assert.True(t, slices.IsSortedFunc(r1.ByType, func(a, b weight.FundingLine) int {
			return slices.IndexFunc(m.Types, func(ct weight.CaseType) bool { return ct.Name == a.Type }) -
				slices.IndexFunc(m.Types, func(ct weight.CaseType) bool { return ct.Name == b.Type })
		}))
	})
}

// TestCheckFundingOverflow: a funded amount or a sum too large for a
// float64 is an error naming where.
func TestCheckFundingOverflow(t *testing.T) {
	t.Parallel()
	huge := weight.HoursPerWeek(math.MaxFloat64)
	tests := []struct {
		name  string
		f     weight.Funding
		cases []weight.Attributes
		field string
		case_ string
	}{
		{"sum of two huge rates", weight.Funding{PerCase: huge}, []weight.Attributes{{ID: "a", Type: "ots"}, {ID: "b", Type: "ots"}}, "ByType.Funded", ""},
		{"sum over types", weight.Funding{PerCase: huge}, []weight.Attributes{{ID: "a", Type: "ots"}, {ID: "b", Type: "advies"}}, "Total.Funded", ""},
		{"one case's funding", weight.Funding{PerCase: 1, PerUnit: huge, Unit: "children"},
			[]weight.Attributes{{ID: "a", Type: "ots", Counts: map[string]int{"children": 2}}}, "Cases[0].Counts", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := weight.CheckFunding(small(), tt.f, tt.cases, nil)
			assert.Nil(t, r)
			require.ErrorIs(t, err, weight.ErrOverflow)
			var ie *weight.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.field, ie.Field)
			assert.Equal(t, tt.case_, ie.Case)
		})
	}
}

// A negative count of the funding's unit hides none of the case's other
// faults, whether or not a factor reads the unit.
func TestCheckFundingNegativeUnitReportsAll(t *testing.T) {
	t.Parallel()
	bad := weight.Attributes{ID: "x", Type: "ots", Phase: "closing", Counts: map[string]int{"children": -1}}
	for _, m := range []weight.Model{small(), func() weight.Model { m := small(); m.Factors = m.Factors[1:]; return m }()} {
		_, err := weight.CheckFunding(m, weight.Funding{PerUnit: 1, Unit: "children"}, []weight.Attributes{bad}, nil)
		assert.ErrorIs(t, err, weight.ErrNegative)
		assert.ErrorIs(t, err, weight.ErrUnknownPhase)
		assert.Len(t, err.(interface{ Unwrap() []error }).Unwrap(), 2, "%v", err)
	}
}

func TestFundingJSON(t *testing.T) {
	t.Parallel()
	f := weight.Funding{Name: "tariff", PerCase: 2, PerUnit: 0.5, Unit: "children", Types: []weight.TypeFunding{{Type: "advies", PerCase: 0.5}}}
	data, err := json.Marshal(f)
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"tariff","per_case":2,"per_unit":0.5,"unit":"children","types":[{"type":"advies","per_case":0.5}]}`, string(data))
	var back weight.Funding
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, f, back)
}

// An empty list of type rates is kept apart from nil, as in a Model.
func TestFundingJSONEmptyTypes(t *testing.T) {
	t.Parallel()
	for _, f := range []weight.Funding{{PerCase: 1}, {PerCase: 1, Types: []weight.TypeFunding{}}} {
		data, err := json.Marshal(f)
		require.NoError(t, err)
		var back weight.Funding
		require.NoError(t, json.Unmarshal(data, &back))
		assert.Equal(t, f, back, "%s", data)
	}
}
