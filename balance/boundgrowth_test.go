package balance_test

import (
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/stretchr/testify/assert"
)

// TestBoundNetworkGrowsLinearly: half a team without capacity holds
// cases of 50 skills, with no move limit and under a budget of 50
// moves. Each held case may stay, so its class is a node of its own
// for each worker holding such cases; the network's edges at twice the
// team stay under three times those at the team, where a list of the
// class's workers copied for every such holder made them grow four
// times (at 200 and 400 workers: 10,316 and 40,499 edges, with or
// without the budget; now 428 and 861).
func TestBoundNetworkGrowsLinearly(t *testing.T) {
	t.Parallel()
	for _, moves := range []int{-1, 50} {
		edges := func(workers int) int {
			p := balancetest.Generate(1, balancetest.Size{Workers: workers, Cases: 24 * workers, Assigned: true, ZeroCapacityShare: 0.5, Skills: 50})
			return balance.BoundEdges(p, &balance.RebalanceOptions{MaxMoves: moves})
		}
		e1, e2 := edges(200), edges(400)
		t.Logf("MaxMoves %d: %d edges at 200 workers, %d at 400", moves, e1, e2)
		assert.Less(t, e2, 3*e1, "MaxMoves %d: %d edges at 200 workers, %d at 400", moves, e1, e2)
	}
}
