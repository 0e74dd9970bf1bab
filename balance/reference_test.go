package balance_test

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMoveBudgetReference holds the move-budget rebalance of skewed
// 25×260 teams against optima an open MILP solver found outside the
// tests (testdata/optima/move-budget.txt, written from the models of
// TestWriteMoveBudgetLP): the bound never exceeds a proven optimum (nor
// the best plan CBC found where it stopped), the proposal is never
// below it, and a proposal the solver calls proven optimal is at it.
// It logs, per budget, how often the proposal reaches the optimum, how
// often the bound meets a proposal at the optimum, and the gaps, and
// asserts that no proposal ends more than 0.5% above a proven optimum
// (issue 21's aim for mid-size budgets), that the bound proves optimal
// at least 4 in 5 of the proposals at the optimum (issue 21's aim for
// the gap), and per budget no fewer than today (provenFloor).
//
// Today, on the instances with a proven optimum (reached, proven
// optimal, median and worst excess): budget 5, 12 of 12, 12, 0% and 0%;
// budget 15, 11 of 11, 9, 0% and 0%; budget 30, 8 of 10, 4, 0% and
// 0.235% (seed 3; seed 8 ends 0.066% above): 25 of the 31 proposals at
// the optimum are proven optimal. Before the bound counted which units
// may leave and the receivers' room, 21 were (12, 8 and 1). Before the
// shed search (shed.go) budgets 15 and 30 reached 9 of 11 and 5 of 10,
// worst 3.046% and 3.832%. Of the three instances CBC did not close,
// the proposal reaches CBC's best plan on all (on s9-k30 since the
// stronger bound, 0.093% above it before), and the bound proves it
// optimal on s11-k15.
func TestMoveBudgetReference(t *testing.T) {
	t.Parallel()
	f, err := os.Open(filepath.Join("testdata", "optima", "move-budget.txt"))
	require.NoError(t, err)
	defer f.Close()
	// Per budget (a family of instances): instances with a proven
	// optimum, proposals at it, proposals proven optimal, and the gaps.
	type family struct {
		n, atOpt, proven int
		gaps             []float64
	}
	fams := map[int]*family{}
	var budgets []int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		// name seed k value status [lower]
		fs := strings.Fields(line)
		seed, _ := strconv.ParseUint(fs[1], 10, 64)
		k, _ := strconv.Atoi(fs[2])
		value, _ := strconv.ParseFloat(fs[3], 64)
		proven := fs[4] == "optimal"
		lower := value
		if !proven {
			lower, _ = strconv.ParseFloat(fs[5], 64)
		}
		pr, err := balance.Propose(context.Background(), balancetest.Generate(seed, skewedTeam), &balance.RebalanceOptions{MaxMoves: k})
		require.NoError(t, err)
		// CBC prints eight decimals.
		const tol = 1e-7
		assert.GreaterOrEqual(t, pr.MaxUtilization, lower-tol, "%s: below the optimum: the reference is wrong", fs[0])
		if !proven {
			// CBC's best plan is at or above the optimum, so the bound
			// is at or below it too.
			assert.LessOrEqual(t, pr.Bound, value+tol, "%s: the bound is above a plan CBC found", fs[0])
			continue
		}
		fam := fams[k]
		if fam == nil {
			fam = &family{}
			fams[k] = fam
			budgets = append(budgets, k)
		}
		fam.n++
		assert.LessOrEqual(t, pr.Bound, value+tol, "%s: the bound is above the optimum", fs[0])
		if pr.Status == balance.StatusOptimal {
			fam.proven++
			assert.InDelta(t, value, pr.MaxUtilization, tol, "%s: proven optimal, but it is not", fs[0])
		}
		fam.gaps = append(fam.gaps, pr.MaxUtilization/value-1)
		if pr.MaxUtilization <= value+tol {
			fam.atOpt++
		}
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, budgets)
	// provenFloor is, per budget, how many proposals at the optimum the
	// bound proves optimal today.
	provenFloor := map[int]int{5: 12, 15: 9, 30: 4}
	atOpt, proven := 0, 0
	for _, k := range budgets {
		fam := fams[k]
		atOpt += fam.atOpt
		proven += fam.proven
		assert.GreaterOrEqual(t, fam.proven, provenFloor[k], "budget %d: fewer proposals proven optimal than before", k)
	}
	t.Logf("%d of the %d proposals at the optimum are proven optimal", proven, atOpt)
	assert.GreaterOrEqual(t, 5*proven, 4*atOpt, "the bound proves fewer than 4 in 5 of the proposals at the optimum optimal")
	for _, k := range budgets {
		fam := fams[k]
		t.Logf("budget %d: %d instances with a proven optimum: the proposal reaches it on %d and is proven optimal on %d; excess over the optimum median %.3f%%, worst %.3f%%",
			k, fam.n, fam.atOpt, fam.proven, 100*median(fam.gaps), 100*slices.Max(fam.gaps))
		// Issue 21: within 0.5% of the optimum on mid-size budgets.
		assert.LessOrEqual(t, slices.Max(fam.gaps), 0.005, "budget %d: the worst proposal is more than 0.5%% above the optimum", k)
	}
}
