package balance

import "context"

// ProposeWithoutExact is Propose with the exact search of small
// instances turned off, so that property tests on small problems reach
// the placement, local search and move ordering they would otherwise
// skip.
func ProposeWithoutExact(ctx context.Context, p Problem, opts *RebalanceOptions) (*Proposal, error) {
	return propose(ctx, p, opts, true)
}

// BudgetBound returns the lower bound that Propose's solver computes
// for p under a budget of maxMoves moves, before any search: the
// bound alone, which the exact search on small teams would otherwise
// replace by the optimum it proves.
func BudgetBound(p Problem, maxMoves int) float64 {
	opts := &RebalanceOptions{MaxMoves: maxMoves}
	_, ro, err := opts.resolve()
	if err != nil {
		panic(err)
	}
	t, err := Prepare(p, nil)
	if err != nil {
		panic(err)
	}
	s := newSolver(context.Background(), t, ro)
	s.placeFree(s.freeOrder())
	v, _ := s.computeBound()
	return v
}
