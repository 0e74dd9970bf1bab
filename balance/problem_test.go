package balance_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/caseload/caseload/civil"

	"github.com/caseload/caseload/balance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestPrepareAcceptsValidProblems(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := problemGen(8, 20).Draw(t, "problem")
		_, err := balance.Prepare(p, nil)
		require.NoError(t, err)
	})
}

func TestPrepareErrors(t *testing.T) {
	t.Parallel()
	ok := balance.Problem{
		AsOf:    asOfDate,
		Workers: []balance.Worker{{ID: "ann", Capacity: 30}, {ID: "bob", Capacity: 30}},
		Cases:   []balance.Case{{ID: "c1", Weight: 2, Owner: "ann"}},
	}
	tests := []struct {
		name  string
		edit  func(p *balance.Problem)
		field string
		id    string
		err   error
	}{
		{"no date", func(p *balance.Problem) { p.AsOf = civil.Date{} }, "AsOf", "", balance.ErrNoDate},
		{"empty worker ID", func(p *balance.Problem) { p.Workers[1].ID = "" }, "Workers[1].ID", "", balance.ErrEmptyID},
		{"duplicate worker", func(p *balance.Problem) { p.Workers[1].ID = "ann" }, "Workers[1].ID", "ann", balance.ErrDuplicateID},
		{"NaN capacity", func(p *balance.Problem) { p.Workers[0].Capacity = balance.HoursPerWeek(math.NaN()) }, "Workers[0].Capacity", "ann", balance.ErrNotFinite},
		{"infinite capacity", func(p *balance.Problem) { p.Workers[0].Capacity = balance.HoursPerWeek(math.Inf(1)) }, "Workers[0].Capacity", "ann", balance.ErrNotFinite},
		{"negative capacity", func(p *balance.Problem) { p.Workers[0].Capacity = -1 }, "Workers[0].Capacity", "ann", balance.ErrNegative},
		{"huge capacity", func(p *balance.Problem) { p.Workers[0].Capacity = 2e6 }, "Workers[0].Capacity", "ann", balance.ErrTooLarge},
		{"tiny capacity", func(p *balance.Problem) { p.Workers[0].Capacity = 5e-324 }, "Workers[0].Capacity", "ann", balance.ErrTooSmall},
		{"negative norm", func(p *balance.Problem) { p.Workers[0].CaseloadNorm = balance.CaseloadNorm(-2) }, "Workers[0].CaseloadNorm", "ann", balance.ErrNegative},
		{"empty skill", func(p *balance.Problem) { p.Workers[0].Skills = []string{"court", ""} }, "Workers[0].Skills[1]", "ann", balance.ErrEmptySkill},
		{"backwards absence", func(p *balance.Problem) {
			p.Workers[0].Absences = []civil.Period{{From: asOfDate, To: asOfDate.AddDays(-1)}}
		}, "Workers[0].Absences[0]", "ann", balance.ErrBadPeriod},
		{"empty case ID", func(p *balance.Problem) { p.Cases[0].ID = "" }, "Cases[0].ID", "", balance.ErrEmptyID},
		{"duplicate case", func(p *balance.Problem) { p.Cases = append(p.Cases, balance.Case{ID: "c1"}) }, "Cases[1].ID", "c1", balance.ErrDuplicateID},
		{"NaN weight", func(p *balance.Problem) { p.Cases[0].Weight = balance.HoursPerWeek(math.NaN()) }, "Cases[0].Weight", "c1", balance.ErrNotFinite},
		{"negative weight", func(p *balance.Problem) { p.Cases[0].Weight = -0.5 }, "Cases[0].Weight", "c1", balance.ErrNegative},
		{"negative share", func(p *balance.Problem) { p.Cases[0].Share = -1 }, "Cases[0].Share", "c1", balance.ErrNegative},
		{"negative severity", func(p *balance.Problem) { p.Cases[0].Severity = -1 }, "Cases[0].Severity", "c1", balance.ErrNegative},
		{"NaN severity", func(p *balance.Problem) { p.Cases[0].Severity = math.NaN() }, "Cases[0].Severity", "c1", balance.ErrNotFinite},
		{"empty case skill", func(p *balance.Problem) { p.Cases[0].Skills = []string{""} }, "Cases[0].Skills[0]", "c1", balance.ErrEmptySkill},
		{"empty decliner", func(p *balance.Problem) { p.Cases[0].Declines = []balance.Decline{{}} }, "Cases[0].Declines[0].Worker", "c1", balance.ErrEmptyID},
		{"pinned in queue", func(p *balance.Problem) { p.Cases[0].Owner, p.Cases[0].Pinned = "", true }, "Cases[0].Pinned", "c1", balance.ErrPinnedWithoutOwner},
		{"pinned family split", func(p *balance.Problem) {
			p.Cases[0].Group, p.Cases[0].Pinned = "fam", true
			p.Cases = append(p.Cases, balance.Case{ID: "c2", Owner: "bob", Group: "fam", Pinned: true})
		}, "Cases[1].Pinned", "c2", balance.ErrPinnedGroupSplit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := ok
			p.Workers = append([]balance.Worker(nil), ok.Workers...)
			p.Cases = append([]balance.Case(nil), ok.Cases...)
			tt.edit(&p)
			_, err := balance.Prepare(p, nil)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.err)
			var ie *balance.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.field, ie.Field)
			assert.Equal(t, tt.id, ie.ID)
			assert.Regexp(t, `^balance: `, err.Error())
			// A one-shot ranking, which prepares the team in its own
			// way, reports the same faults.
			_, rerr := balance.Rank(p, balance.Case{ID: "new", Weight: 1}, nil)
			assert.Equal(t, err, rerr)
		})
	}
}

func TestPrepareReportsAllFaults(t *testing.T) {
	t.Parallel()
	p := balance.Problem{
		Workers: []balance.Worker{{ID: "", Capacity: -1}},
		Cases:   []balance.Case{{ID: "x", Weight: balance.HoursPerWeek(math.Inf(-1))}, {ID: "x"}},
	}
	_, err := balance.Prepare(p, nil)
	var joined interface{ Unwrap() []error }
	require.ErrorAs(t, err, &joined)
	// No date, empty worker ID, negative capacity, infinite weight,
	// duplicate case.
	assert.Len(t, joined.Unwrap(), 5)
}

func TestPrepareNotices(t *testing.T) {
	t.Parallel()
	p := balance.Problem{
		AsOf:    asOfDate,
		Workers: []balance.Worker{{ID: "ann", Capacity: 30, Away: true}},
		Cases: []balance.Case{
			{ID: "c1", Weight: 2, Owner: "left", Pinned: true},
			{ID: "c2", Weight: 2, Owner: "ann", Declines: []balance.Decline{{Worker: "stranger", Reason: "busy"}}},
		},
	}
	team, err := balance.Prepare(p, nil)
	require.NoError(t, err)
	var got [][2]string
	for _, n := range team.Notices() {
		got = append(got, [2]string{n.Case, string(n.Code)})
		assert.NotEmpty(t, n.Message)
	}
	assert.Equal(t, [][2]string{
		{"c1", "orphaned"}, {"c1", "stale-pin"},
		{"c2", "away-owner"}, {"c2", "unknown-decliner"},
	}, got)
	// The orphaned case is not lost: it counts as unassigned.
	im := team.Score()
	assert.Equal(t, 1, im.Unassigned)
	assert.InDelta(t, 2, float64(im.UnassignedLoad), 1e-12)
}

// TestPrepareNeverPanics feeds arbitrary, mostly invalid problems.
func TestPrepareNeverPanics(t *testing.T) {
	t.Parallel()
	num := rapid.OneOf(rapid.Float64(), rapid.SampledFrom([]float64{math.NaN(), math.Inf(1), -1, 0, 1e300}))
	id := rapid.SampledFrom([]string{"", "a", "b", "a"})
	rapid.Check(t, func(t *rapid.T) {
		var p balance.Problem
		if rapid.Bool().Draw(t, "dated") {
			p.AsOf = asOfDate
		}
		for range rapid.IntRange(0, 4).Draw(t, "workers") {
			w := balance.Worker{ID: id.Draw(t, "id"), Capacity: balance.HoursPerWeek(num.Draw(t, "cap")), Skills: rapid.SliceOfN(id, 0, 2).Draw(t, "skills")}
			if rapid.Bool().Draw(t, "norm") {
				w.CaseloadNorm = balance.CaseloadNorm(balance.Shares(num.Draw(t, "norm-v")))
			}
			if rapid.Bool().Draw(t, "abs") {
				w.Absences = []civil.Period{{From: asOfDate.AddDays(rapid.IntRange(-3, 3).Draw(t, "f")), To: asOfDate.AddDays(rapid.IntRange(-3, 3).Draw(t, "t"))}}
			}
			p.Workers = append(p.Workers, w)
		}
		for range rapid.IntRange(0, 6).Draw(t, "cases") {
			p.Cases = append(p.Cases, balance.Case{
				ID: id.Draw(t, "cid"), Weight: balance.HoursPerWeek(num.Draw(t, "w")), Share: balance.Shares(num.Draw(t, "s")),
				Skills: rapid.SliceOfN(id, 0, 2).Draw(t, "cskills"), Owner: id.Draw(t, "owner"), Pinned: rapid.Bool().Draw(t, "pin"),
				Group: id.Draw(t, "group"), Declines: []balance.Decline{{Worker: id.Draw(t, "decl")}},
			})
		}
		team, err := balance.Prepare(p, nil)
		if err != nil {
			var ie *balance.InputError
			require.True(t, errors.As(err, &ie), "error %v is not an InputError", err)
			return
		}
		_ = team.Score()
		_, _ = team.Rank(balance.Case{ID: id.Draw(t, "new"), Weight: balance.HoursPerWeek(num.Draw(t, "nw"))})
	})
}

func TestProblemJSONRoundTrip(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := problemGen(5, 10).Draw(t, "problem")
		b, err := json.Marshal(p)
		require.NoError(t, err)
		var q balance.Problem
		require.NoError(t, json.Unmarshal(b, &q))
		b2, err := json.Marshal(q)
		require.NoError(t, err)
		require.JSONEq(t, string(b), string(b2))
		// The decoded problem scores the same.
		a, err := balance.Score(p, nil)
		require.NoError(t, err)
		c, err := balance.Score(q, nil)
		require.NoError(t, err)
		require.Equal(t, a, c)
	})
}

func TestDateJSON(t *testing.T) {
	t.Parallel()
	var d civil.Date
	require.NoError(t, json.Unmarshal([]byte(`"2024-02-29"`), &d))
	assert.Equal(t, "2024-02-29", d.String())
	b, err := json.Marshal(d)
	require.NoError(t, err)
	assert.Equal(t, `"2024-02-29"`, string(b))
	require.NoError(t, json.Unmarshal([]byte(`""`), &d))
	assert.True(t, d.IsZero())
	assert.Error(t, json.Unmarshal([]byte(`"2023-02-29"`), &d))
	assert.Error(t, json.Unmarshal([]byte(`20230101`), &d))
}

// FuzzDecodeProblem decodes arbitrary bytes as a JSON problem and
// prepares it: no input may panic. It proposes with a deadline of
// 100 ms, so that a shape that makes Propose slow fails as a timeout
// (2 s, which allows for a loaded machine) rather than hanging.
func FuzzDecodeProblem(f *testing.F) {
	f.Add([]byte(`{"as_of":"2026-03-04","workers":[{"id":"ann","capacity":32,"caseload_norm":16}],"cases":[{"id":"c1","weight":2.5,"owner":"ann","pinned":true}]}`))
	f.Add([]byte(`{"as_of":"2026-03-04","workers":[{"id":"a","capacity":-1}],"cases":[{"id":"","weight":1e400}]}`))
	f.Add([]byte(`{"workers":[{"id":"a","absences":[{"from":"2026-01-02","to":"2025-01-01"}]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var p balance.Problem
		if json.Unmarshal(b, &p) != nil {
			return
		}
		team, err := balance.Prepare(p, nil)
		if err != nil {
			return
		}
		_ = team.Score()
		if len(p.Cases) > 0 {
			_, _ = team.Rank(p.Cases[0])
		}
		if len(p.Cases) <= 200 && len(p.Workers) <= 50 {
			for _, o := range []*balance.RebalanceOptions{nil, {MaxMoves: -1, HardCapacity: true}} {
				ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
				start := time.Now()
				pr, err := team.Propose(ctx, o)
				cancel()
				if took := time.Since(start); took > 2*time.Second {
					t.Fatalf("Propose took %v with a deadline of 100 ms", took)
				}
				if err != nil && !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("Propose on a prepared team: %v", err)
				}
				if len(pr.Assignment) != len(p.Cases) {
					t.Fatalf("%d cases, %d placements", len(p.Cases), len(pr.Assignment))
				}
			}
		}
	})
}

// TestDecodeBadDateNamesTheField is a regression test: a bad date in a
// problem's JSON once failed with `bad date "2025-02-29": want
// YYYY-MM-DD`, naming no field, no case and no sentinel.
func TestDecodeBadDateNamesTheField(t *testing.T) {
	t.Parallel()
	in := `{"as_of":"2025-03-01","workers":[{"id":"ann","capacity":32,"absences":[{"from":"2025-13-01"}]}],
		"cases":[{"id":"c1","weight":1},{"id":"c2","weight":2,"assigned":"2025-02-29"}]}`
	var p balance.Problem
	err := json.Unmarshal([]byte(in), &p)
	require.ErrorIs(t, err, balance.ErrBadDate)
	var faults []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ie *balance.InputError
		require.ErrorAs(t, e, &ie)
		faults = append(faults, ie.Field+" "+ie.ID)
	}
	assert.Equal(t, []string{"Workers[0].Absences[0].From ann", "Cases[1].Assigned c2"}, faults)
	assert.Contains(t, err.Error(), `balance: Cases[1].Assigned ("c2"): bad date "2025-02-29"`)
}
