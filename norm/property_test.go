package norm_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/caseload/caseload/norm"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func finiteValue(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

func TestCapacityProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		bonus := rapid.Bool().Draw(t, "bonus")
		c := contractGen(bonus).Draw(t, "contract")
		at := dateGen().Draw(t, "at")
		b, err := norm.Capacity(c, at)
		require.NoError(t, err)
		avail := float64(b.Available)
		require.True(t, finiteValue(avail), "finite: %v", avail)
		require.GreaterOrEqual(t, avail, 0.0, "never negative")
		require.LessOrEqual(t, avail, float64(norm.MaxHoursPerWeek), "never more than a week holds")
		if !bonus {
			require.LessOrEqual(t, avail, float64(c.Hours), "no more than the contract without a bonus")
		}
		sum := b.Contract
		for _, it := range b.Items {
			require.True(t, finiteValue(float64(it.Hours)) && finiteValue(float64(it.Wanted)))
			if it.Kind == norm.KindSideDuty || it.Kind == norm.KindReduction {
				require.LessOrEqual(t, float64(it.Hours), 0.0)
				require.GreaterOrEqual(t, float64(it.Hours), float64(it.Wanted), "applied no more than wanted")
			}
			sum += it.Hours
		}
		require.InDelta(t, avail, float64(sum), 1e-9*(1+float64(c.Hours)), "the breakdown adds up")
		require.GreaterOrEqual(t, b.Onboarding, 0.0)
		require.LessOrEqual(t, b.Onboarding, 1.0)
	})
}

// TestCapacityMonotone adds a reduction or a side duty anywhere in its
// list: capacity never rises.
func TestCapacityMonotone(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		c := contractGen(true).Draw(t, "contract")
		at := dateGen().Draw(t, "at")
		before, err := norm.Capacity(c, at)
		require.NoError(t, err)
		more := c
		if rapid.Bool().Draw(t, "reduction") {
			i := rapid.IntRange(0, len(c.Reductions)).Draw(t, "at index")
			more.Reductions = slices.Insert(slices.Clone(c.Reductions), i, reductionGen().Draw(t, "extra"))
		} else {
			i := rapid.IntRange(0, len(c.SideDuties)).Draw(t, "at index")
			more.SideDuties = slices.Insert(slices.Clone(c.SideDuties), i, sideDutyGen().Draw(t, "extra"))
		}
		after, err := norm.Capacity(more, at)
		require.NoError(t, err)
		require.LessOrEqual(t, after.Available, before.Available)

		l1, err := norm.CaseloadLimit(cao, c, at)
		require.NoError(t, err)
		l2, err := norm.CaseloadLimit(cao, more, at)
		require.NoError(t, err)
		require.LessOrEqual(t, l2.Shares, l1.Shares, "the caseload norm follows capacity")
	})
}

func TestCaseloadLimitProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		n := caseloadNormGen().Draw(t, "norm")
		c := contractGen(true).Draw(t, "contract")
		l, err := norm.CaseloadLimit(n, c, dateGen().Draw(t, "at"))
		require.NoError(t, err)
		require.True(t, finiteValue(float64(l.Shares)) && finiteValue(float64(l.Exact)))
		require.GreaterOrEqual(t, float64(l.Shares), 0.0)
		switch n.Rounding {
		case norm.RoundDown, norm.RoundNone:
			// The exact prorated limit, raised by at most a millionth
			// of a case to a whole case within rounding error.
			require.GreaterOrEqual(t, l.Shares, l.Exact)
			require.InDelta(t, float64(l.Exact), float64(l.Shares), 1e-6*(1+float64(l.Exact)))
		case norm.RoundNearest:
			// Whole cases of the finest type, within half of one.
			finest := n.Types[0]
			for _, typ := range n.Types {
				if typ.PerFTE > finest.PerFTE {
					finest = typ
				}
			}
			share, err := n.Share(finest.Name)
			require.NoError(t, err)
			k := float64(l.Shares) / float64(share)
			require.InDelta(t, math.Round(k), k, 1e-6*(1+k))
			require.InDelta(t, float64(l.Exact), float64(l.Shares), 0.5*float64(share)+1e-6*(1+k))
		}
	})
}

func TestPaceProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		n := productionNormGen().Draw(t, "norm")
		cal := calendarGen().Draw(t, "calendar")
		c := contractGen(true).Draw(t, "contract")
		completed := norm.Services(rapid.Float64Range(0, 60).Draw(t, "completed"))
		d1 := cal.Year.From.AddDays(rapid.IntRange(-10, cal.Year.Days()+10).Draw(t, "d1"))
		d2 := d1.AddDays(rapid.IntRange(0, 60).Draw(t, "later"))
		p1, err := norm.Pace(n, cal, c, completed, d1)
		require.NoError(t, err)
		p2, err := norm.Pace(n, cal, c, completed, d2)
		require.NoError(t, err)
		end, err := norm.Pace(n, cal, c, completed, cal.Year.To)
		require.NoError(t, err)
		for _, p := range []norm.Progress{p1, p2, end} {
			for _, x := range []float64{float64(p.Target), float64(p.Expected), p.Ratio, p.Threshold, float64(p.Projected)} {
				require.True(t, finiteValue(x), "no NaN or Inf: %+v", p)
			}
			require.GreaterOrEqual(t, float64(p.Expected), 0.0)
			require.LessOrEqual(t, p.Expected, p.Target)
			require.GreaterOrEqual(t, p.Projected, p.Completed)
			require.True(t, finiteValue(p.FTEDays) && finiteValue(p.YearFTEDays))
			require.LessOrEqual(t, p.FTEDays, p.YearFTEDays)
			if p.Status == norm.PaceNoExpectation {
				yet := strings.Contains(p.Signal().Message, "no expectation yet")
				require.Equal(t, p.Expected < p.Target, yet, "%s: %+v", p.Signal().Message, p)
			}
		}
		require.Equal(t, end.YearFTEDays, end.FTEDays, "the whole year's capacity is in by its last day")
		require.LessOrEqual(t, p1.Expected, p2.Expected, "expected to date is monotone in the date")
		require.Equal(t, end.Target, end.Expected, "the whole target is expected at the end of the year")
	})
}

// TestPaceFullYearReachesTarget: without absences, side duties or
// onboarding, a worker on exactly full time is expected to complete the
// whole annual norm by the last day of the year.
func TestPaceFullYearReachesTarget(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		n := productionNormGen().Draw(t, "norm")
		cal := calendarGen().Draw(t, "calendar")
		c := norm.Contract{Worker: "ann", Hours: n.FullTime}
		p, err := norm.Pace(n, cal, c, 0, cal.Year.To)
		require.NoError(t, err)
		require.InDelta(t, float64(n.PerFTE), float64(p.Expected), 1e-9*(1+float64(n.PerFTE)))
	})
}

func TestTeamTotalsAreSums(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		n := productionNormGen().Draw(t, "norm")
		cal := calendarGen().Draw(t, "calendar")
		k := rapid.IntRange(0, 5).Draw(t, "members")
		var members []norm.Member
		for i := range k {
			c := contractGen(true).Draw(t, "contract")
			c.Worker = string(rune('a' + (i*7)%26)) // unique, not in input order
			members = append(members, norm.Member{Contract: c,
				Completed: norm.Services(rapid.Float64Range(0, 40).Draw(t, "completed"))})
		}
		at := cal.Year.From.AddDays(rapid.IntRange(0, cal.Year.Days()).Draw(t, "at"))
		tp, err := norm.TeamPace(n, cal, "team", members, at)
		require.NoError(t, err)
		require.Len(t, tp.Members, k)
		var target, expected, completed, projected float64
		for i, m := range tp.Members {
			if i > 0 {
				require.Less(t, tp.Members[i-1].Subject, m.Subject, "members by name")
			}
			alone, err := norm.Pace(n, cal, members[slices.IndexFunc(members, func(x norm.Member) bool {
				return x.Contract.Worker == m.Subject
			})].Contract, m.Completed, at)
			require.NoError(t, err)
			require.Equal(t, alone, m, "a member reads as if alone")
			target += float64(m.Target)
			expected += float64(m.Expected)
			completed += float64(m.Completed)
			projected += float64(m.Projected)
		}
		require.InDelta(t, target, float64(tp.Team.Target), 1e-9*(1+target))
		require.InDelta(t, expected, float64(tp.Team.Expected), 1e-9*(1+expected))
		require.InDelta(t, completed, float64(tp.Team.Completed), 1e-9*(1+completed))
		require.InDelta(t, projected, float64(tp.Team.Projected), 1e-9*(1+projected))
	})
}

// roundTrip encodes v as JSON, decodes it into a new value, and checks
// that the two are equal.
func roundTrip[T any](t *rapid.T, v T) {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var got T
	require.NoError(t, json.Unmarshal(b, &got), "%s", b)
	require.Equal(t, v, got, "%s", b)
}

func TestJSONRoundTrip(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		roundTrip(t, dateGen().Draw(t, "date"))
		roundTrip(t, periodGen().Draw(t, "period"))
		c := contractGen(true).Draw(t, "contract")
		roundTrip(t, c)
		roundTrip(t, norm.Member{Contract: c, Completed: 3.5})
		roundTrip(t, productionNormGen().Draw(t, "production norm"))
		roundTrip(t, caseloadNormGen().Draw(t, "caseload norm"))
		roundTrip(t, calendarGen().Draw(t, "calendar"))
		roundTrip(t, norm.PointsScale{Points: 2176, Hours: 37})
		roundTrip(t, norm.MemberLoad{Worker: "ann", FTE: 0.8, Load: 17.5})
		roundTrip(t, norm.CaseCount{Type: "ots", Count: 3})
		roundTrip(t, norm.PaceStatus(rapid.IntRange(0, 4).Draw(t, "status")))
		roundTrip(t, norm.Position(rapid.IntRange(0, 2).Draw(t, "position")))
	})
}

// TestResultJSONRoundTrip: the results, not only the configuration, can
// be stored as JSON and read back unchanged.
func TestResultJSONRoundTrip(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		c := contractGen(true).Draw(t, "contract")
		at := dateGen().Draw(t, "at")
		b, err := norm.Capacity(c, at)
		require.NoError(t, err)
		roundTrip(t, b)

		n := caseloadNormGen().Draw(t, "caseload norm")
		l, err := norm.CaseloadLimit(n, c, at)
		require.NoError(t, err)
		roundTrip(t, l)

		var members []norm.MemberLoad
		for i := range rapid.IntRange(0, 4).Draw(t, "members") {
			members = append(members, norm.MemberLoad{Worker: string(rune('a' + i)),
				FTE:  norm.FTE(rapid.SampledFrom([]float64{0, 0.5, 1, 0.89}).Draw(t, "fte")),
				Load: norm.Shares(rapid.Float64Range(0, 40).Draw(t, "load"))})
		}
		r, err := norm.CheckBand(n, "north", members)
		require.NoError(t, err)
		roundTrip(t, r)
		for _, s := range r.Signals() {
			roundTrip(t, s)
		}

		cal := calendarGen().Draw(t, "calendar")
		tp, err := norm.TeamPace(productionNormGen().Draw(t, "production norm"), cal, "north",
			[]norm.Member{{Contract: c, Completed: 4}}, cal.Year.From.AddDays(rapid.IntRange(0, 400).Draw(t, "day")))
		require.NoError(t, err)
		roundTrip(t, tp)
	})
}

// TestBandReportJSON reads a band report back from JSON, positions
// included, and rejects an unknown position.
func TestBandReportJSON(t *testing.T) {
	t.Parallel()
	banded := cao
	banded.Band = norm.Band{Min: 17, Max: 21}
	r, err := norm.CheckBand(banded, "north", []norm.MemberLoad{
		{Worker: "ann", FTE: 1, Load: 25}, {Worker: "bo", FTE: 1, Load: 3}, {Worker: "cas", FTE: 1, Load: 20}})
	require.NoError(t, err)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"position":"above"`)
	var got norm.BandReport
	require.NoError(t, json.Unmarshal(b, &got))
	assert.Equal(t, r, got)
	require.Len(t, got.Outside, 2)
	assert.Equal(t, []norm.Position{norm.Above, norm.Below}, []norm.Position{got.Outside[0].Position, got.Outside[1].Position})
	var p norm.Position
	assert.Error(t, json.Unmarshal([]byte(`"sideways"`), &p))
}

func TestContractJSONShape(t *testing.T) {
	t.Parallel()
	const doc = `{
		"worker": "ann",
		"hours": 36,
		"side_duties": [{"name": "works council", "hours": 4}],
		"reductions": [
			{"reason": "sickness", "percent": 100, "period": {"from": "2025-03-03", "to": "2025-03-16"}},
			{"reason": "union-time", "hours": 30, "cap": 18}
		],
		"expertise": [{"name": "mentor", "share": -0.1}],
		"onboarding": {"start": "2024-12-30", "start_share": 0.5, "weeks": 4}
	}`
	var c norm.Contract
	require.NoError(t, json.Unmarshal([]byte(doc), &c))
	require.NoError(t, c.Validate())
	assert.Equal(t, day("2025-03-16"), c.Reductions[0].Period.To)
	assert.Equal(t, norm.HoursPerWeek(18), c.Reductions[1].Cap)
	b, err := json.Marshal(c)
	require.NoError(t, err)
	assert.JSONEq(t, doc, string(b))

	var n norm.CaseloadNorm
	require.NoError(t, json.Unmarshal([]byte(`{"full_time":36,"types":[{"name":"ots","per_fte":21}],"rounding":"nearest"}`), &n))
	assert.Equal(t, norm.RoundNearest, n.Rounding)
	assert.Error(t, json.Unmarshal([]byte(`{"rounding":"up"}`), &n))
}

// TestLoadProperties feeds counts of any size, huge ones included: Load
// either errors with ErrRange or ErrNegative, or returns a finite,
// non-negative load no smaller than any one type's part of it.
func TestLoadProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		n := caseloadNormGen().Draw(t, "norm")
		var counts []norm.CaseCount
		for i := range rapid.IntRange(0, 5).Draw(t, "counts") {
			typ := n.Types[rapid.IntRange(0, len(n.Types)-1).Draw(t, fmt.Sprintf("type%d", i))].Name
			count := rapid.OneOf(rapid.IntRange(0, 50), rapid.IntRange(-3, norm.MaxCaseCount+3),
				rapid.SampledFrom([]int{math.MaxInt, math.MaxInt - 1, math.MinInt, norm.MaxCaseCount})).Draw(t, fmt.Sprintf("count%d", i))
			counts = append(counts, norm.CaseCount{Type: typ, Count: count})
		}
		load, err := n.Load(counts)
		if err != nil {
			require.True(t, errors.Is(err, norm.ErrRange) || errors.Is(err, norm.ErrNegative), "%v", err)
			return
		}
		require.True(t, finiteValue(float64(load)))
		require.GreaterOrEqual(t, float64(load), 0.0)
		for _, c := range counts {
			share, err := n.Share(c.Type)
			require.NoError(t, err)
			require.GreaterOrEqual(t, float64(load)*(1+1e-12), float64(share)*float64(c.Count))
		}
	})
}
