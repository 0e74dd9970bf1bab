package norm_test

import (
	"math"
	"testing"

	"github.com/caseload/caseload/signal"

	"github.com/caseload/caseload/norm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cao holds the CAO Jeugdzorg caseload norms per 36-hour FTE: supervision
// orders (OTS) 16 in their first year and 21 later, guardianship 28,
// with later-year OTS as the reference case.
var cao = norm.CaseloadNorm{
	FullTime:  36,
	Reference: "ots",
	Types: []norm.CaseType{
		{Name: "ots-first-year", PerFTE: 16},
		{Name: "ots", PerFTE: 21},
		{Name: "guardianship", PerFTE: 28},
	},
}

func TestCaseloadShares(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		typ  string
		want norm.Shares
	}{
		{"ots", 1},
		{"ots-first-year", 21.0 / 16}, // 1.3125
		{"guardianship", 0.75},
	} {
		got, err := cao.Share(tt.typ)
		require.NoError(t, err)
		assert.InDelta(t, float64(tt.want), float64(got), 1e-12, tt.typ)
	}
	_, err := cao.Share("parole")
	assert.ErrorIs(t, err, norm.ErrUnknownType)

	// A mixed caseload: 8 first-year orders use half an FTE (8/16), 7
	// guardianships a quarter (7/28): 3/4 of 21 = 15.75 shares.
	load, err := cao.Load([]norm.CaseCount{{"guardianship", 7}, {"ots-first-year", 8}})
	require.NoError(t, err)
	assert.InDelta(t, 15.75, float64(load), 1e-12)

	_, err = cao.Load([]norm.CaseCount{{"parole", 1}, {"ots", -1}})
	assert.ErrorIs(t, err, norm.ErrUnknownType)
	assert.ErrorIs(t, err, norm.ErrNegative)

	first := cao
	first.Reference = ""
	s, err := first.Share("ots")
	require.NoError(t, err)
	assert.InDelta(t, 16.0/21, float64(s), 1e-12, "an empty reference is the first type")
}

// TestLoadHugeCounts: counts that once overflowed int (MaxInt + 2 gave
// -9.2e18 shares) or are beyond any caseload are errors naming the
// count, never a wrapped or infinite load.
func TestLoadHugeCounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		counts []norm.CaseCount
		field  string // of the ErrRange fault; "" for no error
	}{
		{"overflow", []norm.CaseCount{{"ots", math.MaxInt}, {"ots", 2}}, "counts[0].Count"},
		{"overflow on the second", []norm.CaseCount{{"ots", 2}, {"ots", math.MaxInt}}, "counts[1].Count"},
		{"max int twice", []norm.CaseCount{{"ots", math.MaxInt}, {"ots", math.MaxInt}}, "counts[0].Count"},
		{"just above the maximum", []norm.CaseCount{{"ots", norm.MaxCaseCount + 1}}, "counts[0].Count"},
		{"adds up above the maximum", []norm.CaseCount{{"ots", norm.MaxCaseCount}, {"ots", 1}}, "counts[1].Count"},
		{"the maximum per type", []norm.CaseCount{{"ots", norm.MaxCaseCount}, {"guardianship", norm.MaxCaseCount}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			load, err := cao.Load(tt.counts)
			if tt.field == "" {
				require.NoError(t, err)
				assert.InDelta(t, 1.75*norm.MaxCaseCount, float64(load), 1e-6) // 1 + 21/28 shares a pair
				return
			}
			require.ErrorIs(t, err, norm.ErrRange)
			var ie *norm.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.field, ie.Field)
			assert.Equal(t, "ots", ie.Name)
			assert.Zero(t, load)
		})
	}

	// A norm so small that one case overflows a float64 is an error too.
	tiny := norm.CaseloadNorm{FullTime: 36, Types: []norm.CaseType{{"ots", 21}, {"rare", 1e-310}}}
	_, err := tiny.Load([]norm.CaseCount{{"rare", 1}})
	assert.ErrorIs(t, err, norm.ErrRange)
	_, err = tiny.Share("rare")
	assert.ErrorIs(t, err, norm.ErrRange)
}

func TestCaseloadLimit(t *testing.T) {
	t.Parallel()
	at := day("2025-03-10")
	tests := []struct {
		name     string
		rounding norm.Rounding
		c        norm.Contract
		exact    norm.Shares
		shares   norm.Shares
		cases    [3]int // of ots-first-year (16), ots (21) and guardianship (28)
	}{
		{"full time", norm.RoundDown, norm.Contract{Hours: 36}, 21, 21, [3]int{16, 21, 28}},
		// 32/36 FTE: 14.2, 18.7 and 24.9 cases, each rounded down.
		{"32 hours rounds down", norm.RoundDown, norm.Contract{Hours: 32}, 21 * 32.0 / 36, 21 * 32.0 / 36, [3]int{14, 18, 24}},
		// 24.9 guardianships round to 25, 25 × 0.75 = 18.75 shares.
		{"32 hours to nearest", norm.RoundNearest, norm.Contract{Hours: 32}, 21 * 32.0 / 36, 18.75, [3]int{14, 18, 25}},
		{"32 hours exact", norm.RoundNone, norm.Contract{Hours: 32}, 21 * 32.0 / 36, 21 * 32.0 / 36, [3]int{14, 18, 24}},
		// 21 x 36/36 computed through a reduction and back stays 21, not 20.
		{"rounding error is absorbed", norm.RoundDown, norm.Contract{Hours: 40, Reductions: []norm.Reduction{
			{Reason: norm.ReasonNonClient, Percent: 10}}}, 21, 21, [3]int{16, 21, 28}},
		// Day 14 of an 8-week ramp from a quarter: 0.25 + 0.75 x 14/56 = 0.4375.
		{"onboarding", norm.RoundDown, norm.Contract{Hours: 36, Onboarding: norm.Onboarding{
			Start: day("2025-02-24"), StartShare: 0.25, Weeks: 8}}, 21 * 0.4375, 21 * 0.4375, [3]int{7, 9, 12}},
		{"on sick leave", norm.RoundDown, norm.Contract{Hours: 36, Reductions: []norm.Reduction{
			{Reason: norm.ReasonSickness, Percent: 100}}}, 0, 0, [3]int{0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := cao
			n.Rounding = tt.rounding
			l, err := norm.CaseloadLimit(n, tt.c, at)
			require.NoError(t, err)
			assert.InDelta(t, float64(tt.exact), float64(l.Exact), 1e-9)
			assert.InDelta(t, float64(tt.shares), float64(l.Shares), 1e-9)
			for i, typ := range []string{"ots-first-year", "ots", "guardianship"} {
				k, err := n.Cases(l, typ)
				require.NoError(t, err)
				assert.Equal(t, tt.cases[i], k, typ)
			}
		})
	}

	// A norm of one type rounds its cases to the nearest: 18.67 gives 19.
	one := norm.CaseloadNorm{FullTime: 36, Types: []norm.CaseType{{Name: "ots", PerFTE: 21}}, Rounding: norm.RoundNearest}
	l, err := norm.CaseloadLimit(one, norm.Contract{Hours: 32}, at)
	require.NoError(t, err)
	assert.Equal(t, norm.Shares(19), l.Shares)
	k, err := one.Cases(l, "ots")
	require.NoError(t, err)
	assert.Equal(t, 19, k)

	_, err = one.Cases(l, "guardianship")
	assert.ErrorIs(t, err, norm.ErrUnknownType)
	_, err = one.Cases(norm.Limit{Shares: -1}, "ots")
	assert.ErrorIs(t, err, norm.ErrNegative)
	_, err = one.Cases(norm.Limit{Shares: norm.Shares(nan())}, "ots")
	assert.ErrorIs(t, err, norm.ErrNotFinite)
	huge := norm.CaseloadNorm{FullTime: 36, Types: []norm.CaseType{{Name: "ots", PerFTE: 21}, {Name: "tiny", PerFTE: 1e300}}}
	k, err = huge.Cases(norm.Limit{Shares: 21}, "tiny")
	require.NoError(t, err)
	assert.Equal(t, norm.MaxCaseCount, k, "held at MaxCaseCount")

	_, err = norm.CaseloadLimit(norm.CaseloadNorm{Types: []norm.CaseType{{Name: "a"}, {Name: "a", PerFTE: -1}},
		Reference: "b", Rounding: 7}, norm.Contract{Hours: 36}, at)
	for _, sentinel := range []error{norm.ErrMissing, norm.ErrDuplicate, norm.ErrNegative, norm.ErrUnknownType, norm.ErrRange} {
		assert.ErrorIs(t, err, sentinel)
	}
}

func TestCheckBand(t *testing.T) {
	t.Parallel()
	n := cao
	n.Band = norm.Band{Min: 17} // Max defaults to the reference norm, 21
	members := []norm.MemberLoad{
		{Worker: "eve", FTE: 1, Load: 24},        // above
		{Worker: "ann", FTE: 0.5, Load: 10},      // 20 per FTE, within
		{Worker: "bo", FTE: 1, Load: 16},         // below
		{Worker: "cas", FTE: 0, Load: 2},         // no capacity, any load is above
		{Worker: "dee", FTE: 0.8889, Load: 18.6}, // 20.9 per FTE, within
		{Worker: "fay", FTE: 0, Load: 0},         // away, nothing: within
	}
	r, err := norm.CheckBand(n, "north", members)
	require.NoError(t, err)
	assert.Equal(t, 17.0, r.Min)
	assert.Equal(t, 21.0, r.Max)
	var names []string
	var pos []norm.Position
	for _, m := range r.Members {
		names = append(names, m.Subject)
		pos = append(pos, m.Position)
	}
	assert.Equal(t, []string{"ann", "bo", "cas", "dee", "eve", "fay"}, names)
	assert.Equal(t, []norm.Position{norm.Within, norm.Below, norm.Above, norm.Within, norm.Above, norm.Within}, pos)
	require.Len(t, r.Outside, 3)
	// Team: 70.6 shares over 3.3889 FTE = 20.83 per FTE, within the band
	// while half its members are outside it: norms are averages.
	assert.InDelta(t, 3.3889, float64(r.Team.FTE), 1e-9)
	assert.InDelta(t, 70.6, float64(r.Team.Load), 1e-9)
	assert.InDelta(t, 70.6/3.3889, r.Team.PerFTE, 1e-9)
	assert.Equal(t, norm.Within, r.Team.Position)
	assert.InDelta(t, 21*3.3889-70.6, float64(r.Headroom), 1e-9)

	sig := r.Signals()
	var codes []string
	for _, s := range sig {
		codes = append(codes, s.Code)
	}
	assert.Equal(t, []string{"caseload.below-band", "caseload.above-band", "caseload.above-band"}, codes)
	require.Len(t, sig, 3)
	assert.Equal(t, "eve carries 24.0 shares per FTE, above the band maximum of 21.0", sig[2].Message)
	assert.Equal(t, signal.Warning, sig[2].Severity)
	assert.Equal(t, "cas carries 2.0 shares without casework capacity", sig[1].Message)

	// Adding a heavy member takes the team above its band.
	r, err = norm.CheckBand(n, "north", append(members, norm.MemberLoad{Worker: "gus", FTE: 1, Load: 30}))
	require.NoError(t, err)
	assert.Equal(t, norm.Above, r.Team.Position)
	sig = r.Signals()
	require.NotEmpty(t, sig)
	assert.Equal(t, "caseload.team-above-band", sig[0].Code)
	assert.Equal(t, signal.Subject{Kind: signal.Team, ID: "north"}, sig[0].Subject)
	assert.Less(t, float64(r.Headroom), 0.0)

	_, err = norm.CheckBand(n, "", []norm.MemberLoad{{Worker: "a"}, {Worker: "a", FTE: -1}, {Load: norm.Shares(nan())}})
	for _, sentinel := range []error{norm.ErrDuplicate, norm.ErrNegative, norm.ErrMissing, norm.ErrNotFinite} {
		assert.ErrorIs(t, err, sentinel)
	}
	bad := cao
	bad.Band = norm.Band{Min: 25} // above the default maximum 21
	assert.ErrorIs(t, bad.Validate(), norm.ErrRange)
}
