package balancetest_test

import (
	"testing"

	"github.com/caseload/caseload/balance/balancetest"
	"github.com/caseload/caseload/internal/gen"
	"github.com/stretchr/testify/require"
)

// TestGenerateMatchesInternalGen proves that Generate can replace
// internal/gen without changing a benchmark or a golden file: the same
// seed and shape give the same problem. Delete this test with
// internal/gen.
func TestGenerateMatchesInternalGen(t *testing.T) {
	t.Parallel()
	skewed := gen.Team
	skewed.Assigned = true
	tests := []struct {
		name string
		old  gen.Shape
		new  balancetest.Size
	}{
		{"team", gen.Team, balancetest.TeamSize()},
		{"sparse", gen.Sparse, balancetest.SparseSize()},
		{"team-assigned", skewed, balancetest.Size{Workers: 25, Cases: 600, Assigned: true}},
		{"overloaded", gen.Shape{Workers: 25, Cases: 600, Demand: 1.2}, balancetest.Size{Workers: 25, Cases: 600, Demand: 1.2}},
		{"everything", gen.Shape{Workers: 60, Cases: 1500, Demand: 1.1, MinCapacity: 8, MaxCapacity: 40, Sigma: 1.1,
			Unit: 0.25, Skills: 9, SkillShare: 0.5, FamilyShare: 0.3, PinShare: 0.1, DeclineShare: 0.05, Assigned: true},
			balancetest.Size{Workers: 60, Cases: 1500, Demand: 1.1, MinCapacity: 8, MaxCapacity: 40, Sigma: 1.1,
				Unit: 0.25, Skills: 9, SkillShare: 0.5, FamilyShare: 0.3, PinShare: 0.1, DeclineShare: 0.05, Assigned: true}},
		{"none", gen.Shape{Workers: 10, Cases: 40, Skills: -1, FamilyShare: -1, PinShare: -1},
			balancetest.Size{Workers: 10, Cases: 40, Skills: -1, FamilyShare: -1, PinShare: -1}},
		{"empty", gen.Shape{}, balancetest.Size{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for seed := range uint64(4) {
				require.Equal(t, gen.Problem(tt.old, seed), balancetest.Generate(seed, tt.new), "seed %d", seed)
			}
		})
	}
	require.Equal(t, gen.AsOf, balancetest.GenerateAsOf())
}
