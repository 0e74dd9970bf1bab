package balance_test

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden proposals in testdata/golden")

// TestGoldenProposals pins the proposals for seeded problems, in the
// manner of math/rand/v2's regression test: they must not change from
// version to version unless a change means them to, in which case run
// the test with -update and review the diff. Floating-point results may
// differ between architectures; the files are written on amd64.
func TestGoldenProposals(t *testing.T) {
	t.Parallel()
	skewed := balancetest.TeamSize()
	skewed.Assigned = true
	tests := []struct {
		name string
		p    balance.Problem
		opts *balance.RebalanceOptions
	}{
		{"team-empty", balancetest.Generate(1, balancetest.TeamSize()), nil},
		{"sparse-empty", balancetest.Generate(2, balancetest.SparseSize()), nil},
		{"team-rebalance-10", balancetest.Generate(1, skewed), &balance.RebalanceOptions{MaxMoves: 10}},
		{"team-counts", balancetest.Generate(3, balancetest.TeamSize()), &balance.RebalanceOptions{Policy: balance.PolicyCounts}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pr, err := balance.Propose(context.Background(), tt.p, tt.opts)
			require.NoError(t, err)
			// Pin what a team acts on: who takes what, in which steps, and
			// the figures that judge it.
			got, err := json.MarshalIndent(struct {
				Moves          []balance.Move      `json:"moves"`
				Unplaceable    []balance.Unplaced  `json:"unplaceable"`
				MaxUtilization float64             `json:"max_utilization"`
				Bound          float64             `json:"bound"`
				Assignment     []balance.Placement `json:"assignment"`
			}{pr.Moves, pr.Unplaceable, pr.MaxUtilization, pr.Bound, pr.Assignment}, "", "\t")
			require.NoError(t, err)
			file := filepath.Join("testdata", "golden", tt.name+".json")
			if *update {
				require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
				require.NoError(t, os.WriteFile(file, got, 0o644))
			}
			want, err := os.ReadFile(file)
			require.NoError(t, err)
			if string(want) != string(got) {
				// Name the first line that differs rather than print both.
				w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
				for i := range min(len(w), len(g)) {
					if w[i] != g[i] {
						t.Fatalf("%s differs at line %d:\nwant %s\ngot  %s\n(run with -update if the change is meant)", file, i+1, w[i], g[i])
					}
				}
				t.Fatalf("%s differs in length: want %d lines, got %d", file, len(w), len(g))
			}
		})
	}
}
