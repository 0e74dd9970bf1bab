package balancetest_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/caseload/caseload/balance/balancetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestGenerateRegress pins the problems Generate makes, in the style of
// math/rand/v2's regress_test.go: do not change them from version to
// version, for benchmarks and golden files in this module and in
// others name their instances by size and seed. Each want is the first
// 16 hex digits of the SHA-256 of the problem's JSON, recorded when
// internal/gen, whose instances the benchmarks used before, was folded
// into Generate (and shown then to give the same problems). A change
// here means a benchmark no longer measures what it measured: say so
// and re-baseline.
func TestGenerateRegress(t *testing.T) {
	t.Parallel()
	corners := balancetest.Size{Workers: 30, Cases: 400, AwayShare: 0.1, LeaveShare: 0.2, NormShare: 0.3,
		ZeroCapacityShare: 0.1, OrphanShare: 0.05, PauseShare: 0.1}
	tests := []struct {
		name string
		size balancetest.Size
		seed uint64
		want string
	}{
		{"team", balancetest.TeamSize(), 1, "10e37ad949d9086e"},
		{"sparse", balancetest.SparseSize(), 2, "f722ceb2eb1ce92e"},
		{"skewed-25x260", balancetest.Size{Workers: 25, Cases: 260, Assigned: true}, 1, "da17a45590921737"},
		{"quarter-hours", balancetest.Size{Workers: 8, Cases: 36, Assigned: true, PinShare: -1, FamilyShare: -1, Skills: -1, Unit: 0.25}, 3, "6248bafb9c2360cc"},
		{"everything", balancetest.Size{Workers: 60, Cases: 1500, Demand: 1.1, MinCapacity: 8, MaxCapacity: 40, Sigma: 1.1,
			Unit: 0.25, Skills: 9, SkillShare: 0.5, FamilyShare: 0.3, PinShare: 0.1, DeclineShare: 0.05, Assigned: true}, 4, "fcb6b65c7b0e1540"},
		{"corners", corners, 5, "6ca1bfd01c445bd4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := json.Marshal(balancetest.Generate(tt.seed, tt.size))
			require.NoError(t, err)
			sum := sha256.Sum256(b)
			assert.Equal(t, tt.want, hex.EncodeToString(sum[:8]), "Generate(%d, %+v) changed", tt.seed, tt.size)
		})
	}
}
