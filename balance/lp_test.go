package balance_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/internal/gen"
)

var writeLP = flag.String("writelp", "", "write the move-budget MILP models of the reference instances into this directory (see TestWriteMoveBudgetLP)")

// budgetInstances are the move-limited reference instances: skewed
// 25-worker teams of 260 held cases, seeds 1 to 12, under budgets of 5,
// 15 and 30 moves.
var budgetInstances = func() (out []struct {
	seed uint64
	k    int
}) {
	for _, k := range []int{5, 15, 30} {
		for seed := uint64(1); seed <= 12; seed++ {
			out = append(out, struct {
				seed uint64
				k    int
			}{seed, k})
		}
	}
	return out
}

// TestWriteMoveBudgetLP writes, for each reference instance, the
// move-budget problem as a mixed-integer program in CPLEX LP format, for
// an open MILP solver to solve outside the tests:
//
//	go test -run WriteMoveBudgetLP ./balance -args -writelp /tmp/lp
//	cbc /tmp/lp/s1-k5.lp -sec 120 -threads 1 -solve
//
// The model is written from the problem alone, not from the solver's
// data: a unit is a case, or the cases of one family held by one
// worker; pinned cases stay. x_u_j is 1 when unit u ends with worker j,
// who must hold its skills and not have declined any of its cases (its
// own worker always may keep it); every unit goes somewhere; each
// worker's load is at most U times their capacity; at least n − k units
// stay. The optima found are recorded in testdata/optima.
func TestWriteMoveBudgetLP(t *testing.T) {
	if *writeLP == "" {
		t.Skip("run with -writelp DIR")
	}
	if err := os.MkdirAll(*writeLP, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, in := range budgetInstances() {
		p := gen.Problem(skewedTeam, in.seed)
		name := filepath.Join(*writeLP, fmt.Sprintf("s%d-k%d.lp", in.seed, in.k))
		if err := os.WriteFile(name, []byte(moveBudgetLP(p, in.k)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// moveBudgetLP returns the model described at TestWriteMoveBudgetLP.
func moveBudgetLP(p balance.Problem, k int) string {
	type unitT struct {
		owner  string
		w      float64
		skills []string
		decl   []string
	}
	idx := map[string]int{}
	var units []*unitT
	fixed := map[string]float64{}
	for _, c := range p.Cases {
		if c.Pinned {
			fixed[c.Owner] += float64(c.Weight)
			continue
		}
		key := c.ID
		if c.Group != "" {
			key = "g:" + c.Group + ":" + c.Owner
		}
		i, ok := idx[key]
		if !ok {
			i = len(units)
			idx[key] = i
			units = append(units, &unitT{owner: c.Owner})
		}
		u := units[i]
		u.w += float64(c.Weight)
		for _, s := range c.Skills {
			if !slices.Contains(u.skills, s) {
				u.skills = append(u.skills, s)
			}
		}
		for _, d := range c.Declines {
			u.decl = append(u.decl, d.Worker)
		}
	}
	var b strings.Builder
	var bins []string
	b.WriteString("Minimize\n obj: U\nSubject To\n")
	load := map[string][]string{}
	var stay []string
	for i, u := range units {
		var terms []string
		for j, w := range p.Workers {
			may := w.ID == u.owner
			if !may && !slices.Contains(u.decl, w.ID) {
				may = true
				for _, s := range u.skills {
					if !slices.Contains(w.Skills, s) {
						may = false
					}
				}
			}
			if !may {
				continue
			}
			v := fmt.Sprintf("x_%d_%d", i, j)
			bins = append(bins, v)
			terms = append(terms, v)
			load[w.ID] = append(load[w.ID], fmt.Sprintf("%.6f %s", u.w, v))
			if w.ID == u.owner {
				stay = append(stay, v)
			}
		}
		fmt.Fprintf(&b, " a%d: %s = 1\n", i, strings.Join(terms, " + "))
	}
	for j, w := range p.Workers {
		terms := append(load[w.ID], fmt.Sprintf("- %.6f U", float64(w.Capacity)))
		fmt.Fprintf(&b, " c%d: %s <= %.6f\n", j, strings.Join(terms, " + "), -fixed[w.ID])
	}
	fmt.Fprintf(&b, " moves: %s >= %d\n", strings.Join(stay, " + "), len(units)-k)
	b.WriteString("Bounds\n U >= 0\nBinaries\n")
	for _, v := range bins {
		fmt.Fprintf(&b, " %s\n", v)
	}
	b.WriteString("End\n")
	return strings.ReplaceAll(b.String(), "+ -", "-")
}
