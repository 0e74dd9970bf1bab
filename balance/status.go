package balance

// A Status says what is known of a proposal's quality, in the manner
// of gonum's optimize.Status, so that a caller need not compare floats.
type Status string

const (
	// StatusOptimal means the proposal's maximum utilization is proven
	// the lowest any valid plan can reach, within 1e-9 of utilization
	// (the rounding within which the solver holds two plans equal below
	// 100%; above, it holds them equal within a billionth of the
	// larger, and the proof keeps 1e-9): it equals [Proposal.Bound], or
	// an exhaustive search proved that no plan does better (and then
	// Bound is raised to it). Nothing waits that could be placed.
	StatusOptimal Status = "optimal"
	// StatusFeasible means the search ran to its end without a proof:
	// the proposal is valid and at most [Proposal.Gap] above the bound.
	StatusFeasible Status = "feasible"
	// StatusStopped means the context was done before the search
	// ended: the proposal is complete and valid, but may not be the
	// best the search would have found.
	StatusStopped Status = "stopped"
)

// setStatus sets pr's Status and the sentence that says it, once the
// solver has assembled pr from its final state with its bound and gap.
// When an exhaustive search proved the proposal optimal, the bound is
// raised to the proposal's maximum, which that search proved.
func (s *solver) setStatus(pr *Proposal) {
	if s.proven && !s.cancelled {
		pr.Bound, pr.Gap, pr.Relaxed = pr.MaxUtilization, 0, nil
	}
	// The maximum and the bound are the same rational number computed
	// two ways when they meet; within 1e-9 they are equal (the
	// objective's rounding below 100%, and less than it above: a
	// billionth of the larger there would take a bound a micro-hour
	// below the maximum, a level a plan may reach, for it).
	if pr.MaxUtilization > pr.Bound && pr.MaxUtilization <= pr.Bound+1e-9 {
		pr.Bound, pr.Gap = pr.MaxUtilization, 0
	}
	switch {
	case s.cancelled:
		pr.Status = StatusStopped
		pr.StatusReason = Reason{Code: CodeCancelled}.withMessage()
	case s.ro.policy == PolicyLoad && s.t.effortVaries():
		// The search evened out weight (the team is too large to even
		// out effort), so no bound speaks of the effort After counts.
		pr.Status = StatusFeasible
		pr.StatusReason = Reason{Code: CodeEffortVaries, Value: pr.After.Utilization.Max, Count: effortItems}.withMessage()
	case s.optimal(pr):
		pr.Status = StatusOptimal
		pr.StatusReason = Reason{Code: CodeProvenOptimal, Value: pr.MaxUtilization}.withMessage()
	default:
		pr.Status = StatusFeasible
		pr.StatusReason = Reason{Code: CodeWithinGap, Value: pr.MaxUtilization, Before: pr.Bound, Threshold: pr.Gap}.withMessage()
	}
}

// optimal reports whether pr is proven optimal on its maximum
// utilization: an exhaustive search proved it, or no unit that some
// worker may take waits, no load is stranded with workers without
// capacity that a move could take away, and the maximum meets the
// bound.
func (s *solver) optimal(pr *Proposal) bool {
	if s.proven {
		return true
	}
	if s.stranded > 0 && s.ro.maxMoves != 0 {
		return false
	}
	for x := range s.units {
		if s.waits(&s.units[x]) {
			return false
		}
	}
	return pr.MaxUtilization <= pr.Bound
}
