package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/caseload/caseload/balance"
)

// print writes r as text for people.
func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "Team on %s\n", r.Proposal.AsOf)
	for _, wr := range r.Team {
		absent := ""
		if wr.Absent {
			absent = ", absent today"
		}
		fmt.Fprintf(w, "  %-9s %v for casework of %v contract, caseload norm %v%s\n",
			wr.Worker, wr.Capacity, wr.Contract, wr.CaseloadNorm, absent)
	}

	fmt.Fprintf(w, "\nIntake queue\n")
	for _, rk := range r.Rankings {
		wt := r.weights[rk.Case]
		fmt.Fprintf(w, "  %s weighs %v: %s\n", rk.Case, wt.Hours, strings.Join(wt.Breakdown, "; "))
	}
	for _, rk := range r.Rankings {
		fmt.Fprintf(w, "\nWho takes %s (%v)?\n", rk.Case, rk.Weight)
		for _, cd := range rk.Candidates {
			place := "  out"
			if cd.Eligible {
				place = fmt.Sprintf("%5d", cd.Rank)
			}
			fmt.Fprintf(w, "%s  %-9s %v → %v  %s\n", place, cd.Worker, cd.Load, cd.LoadAfter, messages(cd.Reasons))
		}
		if rk.Eligible == 0 {
			fmt.Fprintf(w, "  %s\n", messages(rk.Notices))
		}
	}

	fmt.Fprintf(w, "\nSignals\n")
	for _, s := range r.Signals {
		fmt.Fprintf(w, "  %-8s %s\n", s.Severity, s.Message)
	}

	pr := r.Proposal
	fmt.Fprintf(w, "\nProposal (at most %d voluntary moves)\n", r.MaxMoves)
	for _, mv := range pr.Moves {
		from := mv.From
		if from == "" {
			from = "queue"
		}
		fmt.Fprintf(w, "  step %d  %-7s %s  %s → %s: %s\n", mv.Step, mv.Kind, mv.Case, from, mv.To, messages(mv.Reasons))
	}
	for _, u := range pr.Unplaceable {
		fmt.Fprintf(w, "  waits   %s: %s\n", u.Case, messages(u.Reasons))
	}
	if len(pr.Notices) > 0 {
		fmt.Fprintf(w, "\nNoticed\n")
		for _, n := range pr.Notices {
			fmt.Fprintf(w, "  %s\n", n.Message)
		}
	}

	fmt.Fprintf(w, "\nTeam imbalance, before → after\n")
	for i, wl := range pr.After.Workers {
		b := pr.Before.Workers[i]
		if wl.Capacity == 0 {
			fmt.Fprintf(w, "  %-9s no capacity  (%d → %d cases)\n", wl.Worker, b.Cases, wl.Cases)
			continue
		}
		fmt.Fprintf(w, "  %-9s %4.0f%% → %4.0f%%  (%d → %d cases)\n", wl.Worker, 100*b.Utilization, 100*wl.Utilization, b.Cases, wl.Cases)
	}
	ub, ua := pr.Before.Utilization, pr.After.Utilization
	fmt.Fprintf(w, "  max utilization %.0f%% → %.0f%%, Gini %.3f → %.3f; no plan can go below %.0f%%\n",
		100*ub.Max, 100*ua.Max, ub.Gini, ua.Gini, 100*pr.Bound)
	fmt.Fprintf(w, "  waiting: %d → %d cases\n", pr.Before.Unassigned, pr.After.Unassigned)
}

// messages joins the sentences of rs.
func messages(rs []balance.Reason) string {
	var s []string
	for _, r := range rs {
		s = append(s, r.Message)
	}
	return strings.Join(s, "; ")
}
