package balance

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caseload/caseload/civil"
)

// TestRepairStopsAtDeadline: once ctx is done, repair places none of
// the units that did not fit, moves nothing, and hands them back as
// given, unsorted: sorting 75,000 of them by urgency took 50 ms past
// the deadline where the queue weighs twice a national team's
// capacity.
func TestRepairStopsAtDeadline(t *testing.T) {
	t.Parallel()
	p := Problem{AsOf: civil.MustParseDate("2026-12-01")}
	for j := range 10 {
		p.Workers = append(p.Workers, Worker{ID: fmt.Sprintf("w%d", j), Capacity: 10})
	}
	for i := range 60 {
		// Twice the capacity, of urgencies that the order below mixes.
		c := Case{ID: fmt.Sprintf("c%02d", i), Weight: HoursPerWeek(1 + i%5), Priority: i % 3}
		p.Cases = append(p.Cases, c)
	}
	s := testSolver(t, p, &RebalanceOptions{HardCapacity: true})
	failed := s.placeFree(s.freeOrder())
	require.Greater(t, len(failed), 1, "the queue weighs twice the capacity")
	slices.Reverse(failed)
	given, before := slices.Clone(failed), s.snapshot()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s.ctx = ctx
	assert.Equal(t, given, s.repair(failed))
	assert.Equal(t, before, s.snapshot(), "units moved after the deadline")
	assert.True(t, s.cancelled)
}
