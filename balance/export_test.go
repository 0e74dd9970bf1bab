package balance

import "context"

// ProposeWithoutExact is Propose with the exact search of small
// instances turned off, so that property tests on small problems reach
// the placement, local search and move ordering they would otherwise
// skip.
func ProposeWithoutExact(ctx context.Context, p Problem, opts *RebalanceOptions) (*Proposal, error) {
	return propose(ctx, p, opts, true)
}
