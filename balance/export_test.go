package balance

import "context"

// ProposeWithoutExact is Propose with the exact search of small
// instances turned off, so that property tests on small problems reach
// the placement, local search and move ordering they would otherwise
// skip.
func ProposeWithoutExact(ctx context.Context, p Problem, opts *RebalanceOptions) (*Proposal, error) {
	_, ro, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	ro.noExact = true
	var o *Options
	if opts != nil {
		o = &opts.Options
	}
	t, err := Prepare(p, o)
	if err != nil {
		return nil, err
	}
	return t.propose(ctx, ro)
}
