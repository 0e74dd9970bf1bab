package balancetest_test

import (
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestIneligible(t *testing.T) {
	t.Parallel()
	fri := civil.NewDate(2026, 3, 6) // a Friday
	sat := civil.NewDate(2026, 3, 7)
	leave := func(from, to civil.Date) []civil.Period { return []civil.Period{{From: from, To: to}} }
	// Twenty cases of 1/21 share and one of a whole share.
	var thin []balance.Case
	for i := range 20 {
		thin = append(thin, balance.Case{ID: string(rune('a'+i)) + "-thin", Owner: "ann", Share: 1.0 / 21})
	}
	tests := []struct {
		name  string
		asOf  civil.Date
		w     balance.Worker
		cases []balance.Case
		c     balance.Case
		opts  *balance.Options
		want  []balance.Code
	}{
		{"free", fri, balance.Worker{ID: "ann", Capacity: 30}, nil, balance.Case{ID: "n"}, nil, nil},
		// Five working days after a Friday end on the next Friday.
		{"leave on the fifth working day", fri, balance.Worker{ID: "ann", Capacity: 30, Absences: leave(fri.AddDays(7), fri.AddDays(9))},
			nil, balance.Case{ID: "n"}, nil, []balance.Code{balance.CodeLeaveSoon}},
		{"leave on the sixth working day", fri, balance.Worker{ID: "ann", Capacity: 30, Absences: leave(fri.AddDays(10), fri.AddDays(12))},
			nil, balance.Case{ID: "n"}, nil, nil},
		{"a look-ahead of six", fri, balance.Worker{ID: "ann", Capacity: 30, Absences: leave(fri.AddDays(10), fri.AddDays(12))},
			nil, balance.Case{ID: "n"}, &balance.Options{LeaveLookahead: 6}, []balance.Code{balance.CodeLeaveSoon}},
		{"no look-ahead", fri, balance.Worker{ID: "ann", Capacity: 30, Absences: leave(fri.AddDays(1), fri.AddDays(2))},
			nil, balance.Case{ID: "n"}, &balance.Options{LeaveLookahead: -1}, nil},
		// One working day after a Saturday is the Monday.
		{"from a Saturday", sat, balance.Worker{ID: "ann", Capacity: 30, Absences: leave(sat.AddDays(2), sat.AddDays(3))},
			nil, balance.Case{ID: "n"}, &balance.Options{LeaveLookahead: 1}, []balance.Code{balance.CodeLeaveSoon}},
		{"leave ending today", fri, balance.Worker{ID: "ann", Capacity: 30, Absences: leave(fri.AddDays(-3), fri)},
			nil, balance.Case{ID: "n"}, nil, []balance.Code{balance.CodeOnLeave}},
		{"leave ended yesterday", fri, balance.Worker{ID: "ann", Capacity: 30, Absences: leave(fri.AddDays(-3), fri.AddDays(-1))},
			nil, balance.Case{ID: "n"}, nil, nil},
		{"sick with no end", fri, balance.Worker{ID: "ann", Capacity: 30, Absences: leave(fri.AddDays(-30), civil.Date{})},
			nil, balance.Case{ID: "n"}, nil, []balance.Code{balance.CodeOnLeave}},
		{"absent since always", fri, balance.Worker{ID: "ann", Capacity: 30, Absences: leave(civil.Date{}, fri.AddDays(3))},
			nil, balance.Case{ID: "n"}, nil, []balance.Code{balance.CodeOnLeave}},
		{"on leave, and more leave soon", fri, balance.Worker{ID: "ann", Capacity: 30,
			Absences: []civil.Period{{From: fri, To: fri}, {From: fri.AddDays(3), To: fri.AddDays(4)}}},
			nil, balance.Case{ID: "n"}, nil, []balance.Code{balance.CodeOnLeave}},
		{"a skill listed twice", fri, balance.Worker{ID: "ann", Capacity: 30}, nil,
			balance.Case{ID: "n", Skills: []string{"court", "court", "arabic"}}, nil,
			[]balance.Code{balance.CodeMissingSkill, balance.CodeMissingSkill}},
		{"at the norm", fri, balance.Worker{ID: "ann", Capacity: 30, CaseloadNorm: balance.CaseloadNorm(2)},
			[]balance.Case{{ID: "a", Owner: "ann"}, {ID: "b", Owner: "ann"}}, balance.Case{ID: "n"}, nil,
			[]balance.Code{balance.CodeAtNorm}},
		{"its own case", fri, balance.Worker{ID: "ann", Capacity: 30, CaseloadNorm: balance.CaseloadNorm(2)},
			[]balance.Case{{ID: "a", Owner: "ann"}, {ID: "b", Owner: "ann"}}, balance.Case{ID: "b"}, nil, nil},
		// 21 shares of 1/21 sum to a little less or more than 1 in
		// floating point: within the tolerance.
		{"shares that do not add up exactly", fri, balance.Worker{ID: "ann", Capacity: 30, CaseloadNorm: balance.CaseloadNorm(1)},
			thin, balance.Case{ID: "n", Share: 1.0 / 21}, nil, nil},
		{"a norm of zero", fri, balance.Worker{ID: "ann", Capacity: 30, CaseloadNorm: balance.CaseloadNorm(0)},
			nil, balance.Case{ID: "n", Share: 0.5}, nil, []balance.Code{balance.CodeAtNorm}},
		{"paused until lifted", fri, balance.Worker{ID: "ann", Capacity: 30, Pause: &balance.Pause{}},
			nil, balance.Case{ID: "n"}, nil, []balance.Code{balance.CodePaused}},
		{"pause ending today", fri, balance.Worker{ID: "ann", Capacity: 30, Pause: &balance.Pause{Until: fri}},
			nil, balance.Case{ID: "n"}, nil, []balance.Code{balance.CodePaused}},
		{"pause ended yesterday", fri, balance.Worker{ID: "ann", Capacity: 30, Pause: &balance.Pause{Until: fri.AddDays(-1)}},
			nil, balance.Case{ID: "n"}, nil, nil},
		{"everything at once", fri, balance.Worker{ID: "ann", Away: true, CaseloadNorm: balance.CaseloadNorm(0),
			Absences: leave(fri.AddDays(1), fri.AddDays(2)), Pause: &balance.Pause{Until: fri.AddDays(9)}}, nil,
			balance.Case{ID: "n", Skills: []string{"court"}, Declines: []balance.Decline{{Worker: "ann"}}}, nil,
			[]balance.Code{balance.CodeMissingSkill, balance.CodeDeclined, balance.CodeAtNorm, balance.CodeAway,
				balance.CodeLeaveSoon, balance.CodePaused, balance.CodeNoCapacity}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := balance.Problem{AsOf: tt.asOf, Workers: []balance.Worker{tt.w}, Cases: tt.cases}
			got := balancetest.Ineligible(p, tt.w, tt.c, tt.opts)
			assert.Equal(t, tt.want, got)
			// balance agrees.
			r, err := balance.Rank(p, tt.c, tt.opts)
			require.NoError(t, err)
			assert.NoError(t, balancetest.CheckRanking(p, tt.c, tt.opts, r))
		})
	}
}

// TestIneligibleMatchesPrepared holds the rule against a prepared
// team's rankings of many cases in a row.
func TestIneligibleMatchesPrepared(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := balancetest.ProblemGen(balancetest.Shape{}).Draw(t, "problem")
		opts := balancetest.OptionsGen().Draw(t, "options")
		team, err := balance.Prepare(p, opts)
		require.NoError(t, err)
		for range 3 {
			c := balancetest.CaseFor(p).Draw(t, "case")
			r, err := team.Rank(c)
			require.NoError(t, err)
			for _, cd := range r.Candidates {
				for _, w := range p.Workers {
					if w.ID == cd.Worker {
						require.Equal(t, cd.Eligible, len(balancetest.Ineligible(p, w, c, opts)) == 0, "worker %s", w.ID)
					}
				}
			}
		}
	})
}
