package balance_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/internal/gen"
)

func TestSmokePropose(t *testing.T) {
	for _, sh := range []struct {
		n string
		s gen.Shape
		k int
	}{{"team", gen.Team, 20}, {"sparse", gen.Sparse, 20}, {"region", gen.Region, 3}} {
		var gaps []float64
		var took time.Duration
		for seed := uint64(1); seed <= uint64(sh.k); seed++ {
			p := gen.Problem(sh.s, seed)
			t0 := time.Now()
			pr, err := balance.Propose(context.Background(), p, nil)
			if err != nil {
				t.Fatal(err)
			}
			took += time.Since(t0)
			gaps = append(gaps, 100*pr.Gap)
		}
		slices.Sort(gaps)
		fmt.Printf("%s: median gap %.3f%% max %.3f%% gaps %.2f avg time %v\n", sh.n, gaps[len(gaps)/2], gaps[len(gaps)-1], gaps, took/time.Duration(sh.k))
	}
}
