package balance

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
)

// testSolver prepares p and builds the solver of a proposal with opts,
// as Propose does before it places or searches anything.
func testSolver(t *testing.T, p Problem, opts *RebalanceOptions) *solver {
	t.Helper()
	team, err := Prepare(p, nil)
	require.NoError(t, err)
	ro, err := opts.resolveRebalance()
	require.NoError(t, err)
	return newSolver(context.Background(), team, ro)
}
