package balance

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestBoundAtThePlansLevel: a worker of capacity 100,000 h holds 1 h
// that stays and a unit of 2.5 h that may go to them or to a worker of
// 36 h. The plan that leaves it is at 3.5e-5, and the bound must not
// pass it, even when it stops at its first step of bisection: T·c at
// T = 3.5e-5 rounds to a hair below 3.5 h, and the room it gave was a
// unit short, so the relaxation read the plan's level as infeasible and
// the stopped bisection returned its upper end, 0.069.
func TestBoundAtThePlansLevel(t *testing.T) {
	t.Parallel()
	stops := 0
	in := &boundInput{
		cap:      []float64{36, 1e5},
		fixed:    []int64{0, 1_000_000},
		eligible: [][]int32{{0, 1}},
		demand:   []int64{2_500_000},
		unitW:    []int64{2_500_000},
		unitC:    []int32{0},
		budget:   -1,
		// It stops after the network is built.
		stop: func() bool { stops++; return stops > 1 },
	}
	assert.InDelta(t, 3.5e-5, lowerBound(in), 1e-15)
}
