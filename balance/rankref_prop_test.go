package balance_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// manySkills is a pool of 70 skills, more than a 64-bit word holds, so
// that a case may need skills from two words of the workers' bit sets:
// the order in which their reasons come must not change with that.
var manySkills = func() []string {
	s := make([]string, 70)
	for i := range s {
		s[i] = fmt.Sprintf("s%02d", i)
	}
	return s
}()

// rankRefCaseGen returns a generator of cases to rank against p: an
// existing case now and then, otherwise a new one with skills (from
// many, if many), levels, declines, a kind, a pair fit, a previous
// worker and a co-worker, each often left out.
func rankRefCaseGen(p balance.Problem, many bool) *rapid.Generator[balance.Case] {
	return rapid.Custom(func(t *rapid.T) balance.Case {
		c := newCaseGen(p).Draw(t, "base")
		if c.ID != "new" {
			return c
		}
		ids := []string{"stranger"}
		for _, w := range p.Workers {
			ids = append(ids, w.ID)
		}
		if many {
			c.Skills = rapid.SliceOfNDistinct(rapid.SampledFrom(manySkills), 0, 4, rapid.ID[string]).Draw(t, "many-skills")
			if rapid.Bool().Draw(t, "repeat") && len(c.Skills) > 0 {
				c.Skills = append(c.Skills, c.Skills[0]) // a repeated skill is named once
			}
		}
		if len(c.Declines) > 0 && rapid.Bool().Draw(t, "declines-twice") {
			// Only the first decline's reason is given.
			c.Declines = append(c.Declines, balance.Decline{Worker: c.Declines[0].Worker, Reason: "on second thoughts"})
		}
		if rapid.IntRange(0, 3).Draw(t, "needs-level") == 0 {
			c.Levels = []balance.Proficiency{{Skill: "court", Level: rapid.IntRange(1, 3).Draw(t, "need")}}
		}
		c.Kind = rapid.SampledFrom([]string{"", "aggression", "debt"}).Draw(t, "kind")
		if rapid.Bool().Draw(t, "pair") {
			pf := balance.PairFit{Worker: rapid.SampledFrom(ids).Draw(t, "pair-worker"), Cost: rapid.SampledFrom([]float64{0, 1, 7}).Draw(t, "pair-cost")}
			if rapid.Bool().Draw(t, "pair-effort") {
				e := balance.HoursPerWeek(rapid.Float64Range(0, 20).Draw(t, "effort"))
				pf.Effort = &e
			}
			c.Fit = []balance.PairFit{pf}
		}
		if rapid.IntRange(0, 2).Draw(t, "returns") == 0 {
			c.Previous = rapid.SampledFrom(ids).Draw(t, "previous")
		}
		if len(ids) > 1 && rapid.IntRange(0, 4).Draw(t, "shared") == 0 {
			c.CoWorker = rapid.SampledFrom(ids[1:]).Draw(t, "co-worker")
			c.CoShare = 0.3
		}
		return c
	})
}

// TestRankMatchesReference holds Team.Rank to the ranking as it was
// written before it was made faster ([balance.RankReference]): the same
// candidates in the same order, with the same numbers and the same
// reasons, sentences included, on problems with the fit fields, skills
// from one word of bits or two, and options with fair turns, look-aheads
// and intake caps.
func TestRankMatchesReference(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		many := rapid.Bool().Draw(t, "many-skills")
		p := fitProblemGen(7, 16).Draw(t, "problem")
		if many {
			p.Workers = slices.Clone(p.Workers)
			for i := range p.Workers {
				w := &p.Workers[i]
				more := manySkills // the first worker holds them all, so that the team's skills take two words
				if i > 0 {
					more = rapid.SliceOfNDistinct(rapid.SampledFrom(manySkills), 0, 50, rapid.ID[string]).Draw(t, "worker-skills")
				}
				w.Skills = append(slices.Clone(w.Skills), more...)
			}
		}
		opts := balancetestOptions(t)
		team, err := balance.Prepare(p, opts)
		require.NoError(t, err)
		for range rapid.IntRange(1, 3).Draw(t, "cases") {
			c := rankRefCaseGen(p, many).Draw(t, "case")
			want, werr := balance.RankReference(team, c)
			got, gerr := team.Rank(c)
			require.Equal(t, werr, gerr)
			require.Equal(t, want, got)
			one, oerr := balance.Rank(p, c, opts)
			require.Equal(t, werr, oerr)
			require.Equal(t, want, one)
		}
	})
}

// balancetestOptions draws ranking options: nil now and then, fair
// turns on, off and heavier, look-aheads, and an intake cap.
func balancetestOptions(t *rapid.T) *balance.Options {
	if rapid.IntRange(0, 3).Draw(t, "nil-options") == 0 {
		return nil
	}
	o := &balance.Options{
		LeaveLookahead: rapid.SampledFrom([]int{0, -1, 1, 10}).Draw(t, "lookahead"),
		WeekTurn:       rapid.SampledFrom([]float64{0, -1, 0.1}).Draw(t, "week-turn"),
		MonthTurn:      rapid.SampledFrom([]float64{0, -1, 0.02}).Draw(t, "month-turn"),
	}
	if rapid.Bool().Draw(t, "intake-cap") {
		o.IntakeCap = &balance.IntakeCap{Days: rapid.IntRange(1, 30).Draw(t, "cap-days"), Cases: rapid.IntRange(0, 3).Draw(t, "cap-cases")}
	}
	return o
}

// TestRankMatchesReferenceRegion holds Team.Rank to the reference on
// the benchmarks' region, 500 workers and 12,000 cases, for a case most
// workers may not take, one anyone may and one of the region's own; and
// the one-shot Rank too, which scans the region's cases in chunks on
// two goroutines, beside the workers' checks.
func TestRankMatchesReferenceRegion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the region")
	}
	t.Parallel()
	p := fixtures()["region"]
	team, err := balance.Prepare(p, nil)
	require.NoError(t, err)
	for _, c := range []balance.Case{newCase(), {ID: "plain", Weight: 2}, p.Cases[17]} {
		want, err := balance.RankReference(team, c)
		require.NoError(t, err)
		got, err := team.Rank(c)
		require.NoError(t, err)
		require.Equal(t, want, got)
		one, err := balance.Rank(p, c, nil)
		require.NoError(t, err)
		require.Equal(t, want, one)
	}
}
