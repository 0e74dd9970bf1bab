package balance_test

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/caseload/caseload/civil"

	"github.com/caseload/caseload/balance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// expectedOut computes, independently of the package, the codes of the
// reasons worker w cannot take c, with the default look-ahead of 5
// working days. asOfDate is a Wednesday, so the look-ahead ends a week
// later.
func expectedOut(p balance.Problem, w balance.Worker, c balance.Case) []balance.Code {
	var codes []balance.Code
	for _, s := range c.Skills {
		if !slices.Contains(w.Skills, s) {
			codes = append(codes, balance.CodeMissingSkill)
		}
	}
	for _, d := range c.Declines {
		if d.Worker == w.ID {
			codes = append(codes, balance.CodeDeclined)
			break
		}
	}
	if w.CaseloadNorm != nil {
		shares := share(c)
		for _, k := range p.Cases {
			if k.Owner == w.ID && k.ID != c.ID {
				shares += share(k)
			}
		}
		if shares > float64(*w.CaseloadNorm)+1e-4 {
			codes = append(codes, balance.CodeAtNorm)
		}
	}
	if w.Away {
		codes = append(codes, balance.CodeAway)
	}
	horizon := p.AsOf.AddDays(7)
	leave, soon := false, false
	for _, a := range w.Absences {
		leave = leave || a.Contains(p.AsOf)
		soon = soon || (a.From.After(p.AsOf) && !a.From.After(horizon))
	}
	if leave {
		codes = append(codes, balance.CodeOnLeave)
	} else if soon {
		codes = append(codes, balance.CodeLeaveSoon)
	}
	if w.Pause != nil && (w.Pause.Until.IsZero() || !p.AsOf.After(w.Pause.Until)) {
		codes = append(codes, balance.CodePaused)
	}
	if w.Capacity == 0 {
		codes = append(codes, balance.CodeNoCapacity)
	}
	return codes
}

func share(c balance.Case) float64 {
	if c.Share == 0 {
		return 1
	}
	return float64(c.Share)
}

func codesOf(rs []balance.Reason) []balance.Code {
	var out []balance.Code
	for _, r := range rs {
		out = append(out, r.Code)
	}
	return out
}

func TestRankProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := problemGen(6, 14).Draw(t, "problem")
		c := newCaseGen(p).Draw(t, "case")
		r, err := balance.Rank(p, c, nil)
		require.NoError(t, err)

		// Every worker exactly once.
		require.Len(t, r.Candidates, len(p.Workers))
		seen := map[string]bool{}
		for _, cd := range r.Candidates {
			require.False(t, seen[cd.Worker], "worker %s listed twice", cd.Worker)
			seen[cd.Worker] = true
		}
		byID := map[string]balance.Worker{}
		for _, w := range p.Workers {
			byID[w.ID] = w
		}
		rank, out := 0, false
		for _, cd := range r.Candidates {
			w := byID[cd.Worker]
			want := expectedOut(p, w, c)
			if cd.Eligible {
				// Eligible workers come first, ranked 1, 2, 3…
				rank++
				assert.False(t, out, "eligible worker %s after an ineligible one", w.ID)
				assert.Equal(t, rank, cd.Rank)
				assert.Empty(t, want, "worker %s ranked but should be out", w.ID)
				assert.NotContains(t, codesOf(cd.Reasons), balance.CodeMissingSkill)
			} else {
				out = true
				assert.Zero(t, cd.Rank)
				assert.ElementsMatch(t, want, codesOf(cd.Reasons), "worker %s", w.ID)
			}
			// Load after = load before + the case's weight.
			assert.InDelta(t, float64(cd.Load)+float64(c.Weight), float64(cd.LoadAfter), 1e-6)
			assert.Equal(t, cd.Cases+1, cd.CasesAfter)
			assert.False(t, math.IsNaN(cd.Utilization) || math.IsNaN(cd.UtilizationAfter) || math.IsNaN(cd.Score))
			for _, rs := range cd.Reasons {
				assert.NotEmpty(t, rs.Message)
			}
		}
	})
}

func TestRankPermutationInvariant(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := problemGen(6, 14).Draw(t, "problem")
		c := newCaseGen(p).Draw(t, "case")
		want, err := balance.Rank(p, c, nil)
		require.NoError(t, err)
		got, err := balance.Rank(permute(t, p), c, nil)
		require.NoError(t, err)
		require.Equal(t, want, got)
	})
}

// TestRankOrder pins the documented ranking keys on a small team.
func TestRankOrder(t *testing.T) {
	t.Parallel()
	asOf := civil.NewDate(2026, 3, 4)
	p := balance.Problem{
		AsOf: asOf,
		Workers: []balance.Worker{
			{ID: "ann", Capacity: 32},
			{ID: "bob", Capacity: 32},
			{ID: "cas", Capacity: 32},
			{ID: "dee", Capacity: 32},
		},
		Cases: []balance.Case{
			{ID: "a1", Weight: 8, Owner: "ann"},
			{ID: "b1", Weight: 8, Owner: "bob", Assigned: asOf.AddDays(-2)}, // this week
			{ID: "c1", Weight: 16, Owner: "cas", Group: "fam"},
			{ID: "d1", Weight: 8, Owner: "dee", Assigned: asOf.AddDays(-20)}, // this month
		},
	}
	tests := []struct {
		name string
		c    balance.Case
		want []string
	}{
		// ann and bob have equal load; bob took a case this week and dee
		// this month, so ann goes first; cas is fullest.
		{"fair turns", balance.Case{ID: "n", Weight: 4}, []string{"ann", "dee", "bob", "cas"}},
		// The family's worker goes first even though fullest.
		{"family first", balance.Case{ID: "n", Weight: 4, Group: "fam"}, []string{"cas", "ann", "dee", "bob"}},
		// A decline puts ann out, last.
		{"decline", balance.Case{ID: "n", Weight: 4, Declines: []balance.Decline{{Worker: "ann", Reason: "neighbour"}}}, []string{"dee", "bob", "cas", "ann"}},
		// An existing case leaving its owner: ann's load before excludes
		// it, so she is emptiest.
		{"existing", balance.Case{ID: "a1", Weight: 8}, []string{"ann", "dee", "bob", "cas"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := balance.Rank(p, tt.c, nil)
			require.NoError(t, err)
			var got []string
			for _, cd := range r.Candidates {
				got = append(got, cd.Worker)
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestRankFairTurnsOff(t *testing.T) {
	t.Parallel()
	asOf := civil.NewDate(2026, 3, 4)
	p := balance.Problem{
		AsOf:    asOf,
		Workers: []balance.Worker{{ID: "ann", Capacity: 32}, {ID: "bob", Capacity: 32}},
		Cases: []balance.Case{
			{ID: "a1", Weight: 8, Owner: "ann", Assigned: asOf},
			{ID: "b1", Weight: 9, Owner: "bob"},
		},
	}
	r, err := balance.Rank(p, balance.Case{ID: "n", Weight: 1}, nil)
	require.NoError(t, err)
	assert.Equal(t, "bob", r.Candidates[0].Worker, "a case this week costs ann 5 points, more than bob's extra hour (3 points)")
	r, err = balance.Rank(p, balance.Case{ID: "n", Weight: 1}, &balance.Options{WeekTurn: -1, MonthTurn: -1})
	require.NoError(t, err)
	assert.Equal(t, "ann", r.Candidates[0].Worker, "without fair turns the lightest load wins")
}

func TestRankLeaveLookahead(t *testing.T) {
	t.Parallel()
	asOf := civil.NewDate(2026, 3, 6) // a Friday
	p := balance.Problem{
		AsOf: asOf,
		Workers: []balance.Worker{
			// Leave starts on the 5th working day after Friday: the next
			// Friday, March 13.
			{ID: "ann", Capacity: 32, Absences: []civil.Period{{From: civil.NewDate(2026, 3, 13), To: civil.NewDate(2026, 3, 20)}}},
			// Leave starts the Monday after that: outside.
			{ID: "bob", Capacity: 32, Absences: []civil.Period{{From: civil.NewDate(2026, 3, 16), To: civil.NewDate(2026, 3, 20)}}},
			// Leave ended yesterday.
			{ID: "cas", Capacity: 32, Absences: []civil.Period{{From: civil.NewDate(2026, 3, 1), To: civil.NewDate(2026, 3, 5)}}},
			// Leave ends today: still on leave.
			{ID: "dee", Capacity: 32, Absences: []civil.Period{{From: civil.NewDate(2026, 3, 1), To: asOf}}},
			// Sick since last week, no end date known.
			{ID: "eve", Capacity: 32, Absences: []civil.Period{{From: civil.NewDate(2026, 3, 2)}}},
			// Long-term leave that starts next Monday, no end date known.
			{ID: "fay", Capacity: 32, Absences: []civil.Period{{From: civil.NewDate(2026, 3, 9)}}},
		},
	}
	r, err := balance.Rank(p, balance.Case{ID: "n", Weight: 1}, nil)
	require.NoError(t, err)
	out := map[string][]balance.Code{}
	for _, cd := range r.Candidates {
		out[cd.Worker] = codesOf(cd.Reasons)
	}
	assert.Equal(t, []balance.Code{balance.CodeLeaveSoon}, out["ann"])
	assert.NotContains(t, out["bob"], balance.CodeLeaveSoon)
	assert.NotContains(t, out["cas"], balance.CodeOnLeave)
	assert.Equal(t, []balance.Code{balance.CodeOnLeave}, out["dee"])
	assert.Equal(t, []balance.Code{balance.CodeOnLeave}, out["eve"])
	assert.Equal(t, []balance.Code{balance.CodeLeaveSoon}, out["fay"])
	for _, cd := range r.Candidates {
		if cd.Worker == "eve" {
			assert.Equal(t, "on leave, with no end date", cd.Reasons[0].Message)
		}
	}

	// With a look-ahead of 6 working days bob is out too.
	r, err = balance.Rank(p, balance.Case{ID: "n", Weight: 1}, &balance.Options{LeaveLookahead: 6})
	require.NoError(t, err)
	for _, cd := range r.Candidates {
		if cd.Worker == "bob" {
			assert.Equal(t, []balance.Code{balance.CodeLeaveSoon}, codesOf(cd.Reasons))
		}
	}
}

func TestRankPreparedMatchesOneShot(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := problemGen(5, 10).Draw(t, "problem")
		team, err := balance.Prepare(p, nil)
		require.NoError(t, err)
		for i := range 3 {
			c := newCaseGen(p).Draw(t, "case")
			want, err := balance.Rank(p, c, nil)
			require.NoError(t, err)
			got, err := team.Rank(c)
			require.NoError(t, err, "case %d", i)
			require.Equal(t, want, got)
		}
	})
}

// TestRankOneShotFindsTheCase holds that a one-shot ranking of a case
// already in the problem ranks it as leaving its owner, as a prepared
// team does, whether the cases come in the order of their IDs (a
// one-shot ranking then searches them rather than index them) or not.
func TestRankOneShotFindsTheCase(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := problemGen(5, 12).Draw(t, "problem")
		if len(p.Cases) == 0 {
			return
		}
		if rapid.Bool().Draw(t, "in ID order") {
			slices.SortFunc(p.Cases, func(a, b balance.Case) int { return strings.Compare(a.ID, b.ID) })
		} else {
			p.Cases = rapid.Permutation(p.Cases).Draw(t, "cases")
		}
		team, err := balance.Prepare(p, nil)
		require.NoError(t, err)
		c := p.Cases[rapid.IntRange(0, len(p.Cases)-1).Draw(t, "case")]
		c.Owner, c.Pinned = "", false
		want, err := team.Rank(c)
		require.NoError(t, err)
		got, err := balance.Rank(p, c, nil)
		require.NoError(t, err)
		require.Equal(t, want, got)
	})
}

func TestRankBadCase(t *testing.T) {
	t.Parallel()
	p := balance.Problem{AsOf: asOfDate, Workers: []balance.Worker{{ID: "ann", Capacity: 1}}}
	_, err := balance.Rank(p, balance.Case{Weight: balance.HoursPerWeek(math.NaN()), Skills: []string{""}}, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, balance.ErrEmptyID)
	assert.ErrorIs(t, err, balance.ErrNotFinite)
	assert.ErrorIs(t, err, balance.ErrEmptySkill)
}

// TestRankOneShotLargeOrder holds that a one-shot ranking of a problem
// large enough to be scanned in chunks checks the order of the case
// IDs across the chunks' bounds: a repeated ID whose two cases fall in
// two chunks is still an error, and a case whose ID is out of order
// there is still found and ranked as leaving its owner, as on a
// prepared team. 5,000 cases are cut into four chunks, of 1,250 each
// (see parallelCases, chunkCases).
func TestRankOneShotLargeOrder(t *testing.T) {
	t.Parallel()
	p := balance.Problem{AsOf: asOfDate, Workers: []balance.Worker{{ID: "ann", Capacity: 40}, {ID: "bob", Capacity: 40}}}
	for i := range 5000 {
		p.Cases = append(p.Cases, balance.Case{ID: fmt.Sprintf("c%05d", i), Weight: 0.01, Owner: p.Workers[i%2].ID})
	}
	for _, at := range []int{1250, 2500, 3750, 4999} {
		// The same ID as the last case of the chunk before.
		dup := p
		dup.Cases = slices.Clone(p.Cases)
		dup.Cases[at].ID = dup.Cases[at-1].ID
		_, err := balance.Rank(dup, balance.Case{ID: "new", Weight: 1}, nil)
		var ie *balance.InputError
		require.ErrorAs(t, err, &ie, "case %d", at)
		assert.ErrorIs(t, err, balance.ErrDuplicateID, "case %d", at)
		assert.Equal(t, fmt.Sprintf("Cases[%d].ID", at), ie.Field)

		// Two cases swapped across the bound: the later one is ranked.
		swapped := p
		swapped.Cases = slices.Clone(p.Cases)
		swapped.Cases[at-1], swapped.Cases[at] = swapped.Cases[at], swapped.Cases[at-1]
		team, err := balance.Prepare(swapped, nil)
		require.NoError(t, err)
		c := swapped.Cases[at-1]
		c.Owner = ""
		want, err := team.Rank(c)
		require.NoError(t, err)
		got, err := balance.Rank(swapped, c, nil)
		require.NoError(t, err)
		require.Equal(t, want, got, "case %d", at)
		assert.Equal(t, 4999, want.Candidates[0].Cases+want.Candidates[1].Cases, "case %d leaves its owner", at)
	}
}
