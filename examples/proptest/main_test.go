package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

var update = flag.Bool("update", false, "rewrite testdata/output.golden")

// TestRun keeps the example from rotting: its output must match the
// golden file. Run with -update after an intended change.
func TestRun(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, run(&b, nil))
	const golden = "testdata/output.golden"
	if *update {
		require.NoError(t, os.WriteFile(golden, b.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	require.Equal(t, string(want), b.String())
}

func TestRunBadArguments(t *testing.T) {
	var b bytes.Buffer
	require.Error(t, run(&b, []string{"-seeds", "many"}))
	require.Error(t, run(&b, []string{"extra"}))
}

// officeShape is what the office's records can say: no declines, no
// leave but today's, and small teams whose caseworkers mostly have
// hours.
func officeShape() balancetest.Shape {
	return balancetest.Shape{Workers: 5, Cases: 12, DeclineShare: -1, LeaveShare: -1, PauseShare: -1, PressureShare: -1}
}

// TestAdapterKeepsInvariants is the test this example is about: the
// adapter's suggestions, for offices drawn by balancetest's generators,
// keep every invariant balance promises (balancetest.Verify) and the
// office's own rules, stated on its own records.
func TestAdapterKeepsInvariants(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := officeFrom(balancetest.ProblemGen(officeShape()).Draw(t, "problem"))
		budget := rapid.IntRange(-1, 4).Draw(t, "budget")
		pr, err := suggest(context.Background(), o, budget)
		require.NoError(t, err)

		// balance's invariants, for the problem the adapter built.
		balancetest.Verify(t, problem(o), options(budget), pr)

		// The office's rules, on its own records.
		handler := map[string]string{}
		for _, pl := range pr.Assignment {
			handler[pl.Case] = pl.Worker
		}
		staff := map[string]Caseworker{}
		for _, s := range o.Staff {
			staff[s.Login] = s
		}
		require.Len(t, handler, len(o.Files), "every file once")
		files := map[string]int{}
		before := map[string]int{}
		for _, f := range o.Files {
			h, ok := handler[f.Number]
			require.True(t, ok, "file %s lost", f.Number)
			files[h]++
			before[f.Handler]++
			if _, onStaff := staff[f.Handler]; f.Locked && onStaff {
				require.Equal(t, f.Handler, h, "locked file %s moved", f.Number)
			}
			if h != f.Handler && h != "" && f.Language != "" {
				require.Contains(t, staff[h].Languages, f.Language, "file %s given to %s, who does not speak %s", f.Number, h, f.Language)
			}
			if h != f.Handler && h != "" {
				require.False(t, staff[h].Away, "file %s given to %s, who is away", f.Number, h)
			}
		}
		for _, s := range o.Staff {
			if s.MaxFiles > 0 {
				require.LessOrEqual(t, files[s.Login], max(s.MaxFiles, before[s.Login]), "%s above their most files", s.Login)
			}
		}
	})
}

// TestAdapterRanks shows VerifyRanking on the adapter's problem: a
// ranking of a new file against the office keeps balance's ranking
// invariants.
func TestAdapterRanks(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := officeFrom(balancetest.ProblemGen(officeShape()).Draw(t, "problem"))
		p := problem(o)
		c := balancetest.CaseFor(p).Draw(t, "file")
		r, err := balance.Rank(p, c, nil)
		require.NoError(t, err)
		balancetest.VerifyRanking(t, p, c, nil, r)
	})
}

// TestAdapterScenarios runs balancetest's scenarios through the
// adapter where the office's records can say them, and expects the
// best answer each time.
func TestAdapterScenarios(t *testing.T) {
	for _, s := range balancetest.Scenarios() {
		o := officeFrom(s.Problem)
		if !expressible(s) {
			continue
		}
		budget := 0
		if s.Options != nil {
			budget = s.Options.MaxMoves
		}
		t.Run(s.Name, func(t *testing.T) {
			pr, err := suggest(context.Background(), o, budget)
			require.NoError(t, err)
			s.Problem, s.Options = problem(o), options(budget)
			require.NoError(t, s.Check(pr))
		})
	}
}

// expressible reports whether the office's records and rules can say
// scenario s as it is.
func expressible(s balancetest.Scenario) bool {
	o := s.Options
	if o != nil && (o.HardCapacity || o.Policy != "" || o.Options.LeaveLookahead != 0) {
		return false
	}
	for _, w := range s.Problem.Workers {
		if len(w.Absences) > 0 || w.Pause != nil || len(w.Skills) > 1 {
			return false
		}
		if w.CaseloadNorm != nil && float64(*w.CaseloadNorm) != float64(int(*w.CaseloadNorm)) {
			return false
		}
		if w.Away && (o == nil || !o.ReplaceAway) {
			return false
		}
	}
	for _, c := range s.Problem.Cases {
		if len(c.Declines) > 0 || len(c.Skills) > 1 || c.Share != 0 {
			return false
		}
	}
	return true
}
