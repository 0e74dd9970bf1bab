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
// TestWriteMoveBudgetLP): the bound never exceeds a proven optimum, the
// proposal is never below it, and a proposal the solver calls proven
// optimal is at it. It logs, per budget, how often the proposal reaches the optimum,
// how often the bound meets a proposal at the optimum, and the gaps.
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
	for _, k := range budgets {
		fam := fams[k]
		t.Logf("budget %d: %d instances with a proven optimum: the proposal reaches it on %d and is proven optimal on %d; excess over the optimum median %.3f%%, worst %.3f%%",
			k, fam.n, fam.atOpt, fam.proven, 100*median(fam.gaps), 100*slices.Max(fam.gaps))
	}
}
