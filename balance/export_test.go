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
	v, _ := placedSolver(p, &RebalanceOptions{MaxMoves: maxMoves}).computeBound()
	return v
}

// placedSolver returns Propose's solver for p and opts with the free
// units placed, before any search. It panics on an error.
func placedSolver(p Problem, opts *RebalanceOptions) *solver {
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
	return s
}

// BoundEdges returns the number of edges from class nodes in the
// network of the lower bound that Propose's solver builds for p, before
// any search.
func BoundEdges(p Problem, opts *RebalanceOptions) int {
	in, _ := placedSolver(p, opts).boundInput()
	n := 0
	for c := range in.eligible {
		n += len(in.eligible[c])
		if c < len(in.via) && in.via[c] >= 0 {
			n++
		}
	}
	return n
}
