package main

import (
	"cmp"
	"slices"
	"strings"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/signal"
)

// teamAudit reconciles the case system's register of open cases (the
// team file's Open) with the team and its pending handovers, on the
// team's date, with the library's defaults: a handover is late after 3
// working days, a case untouched after 20. A team file without a
// register counts every case it lists as open, with its last activity
// unknown: the audit then finds queued cases, absent and departed
// owners, and handovers that cannot complete or are late, but no
// ghosts.
func teamAudit(f teamFile, p balance.Problem, pending []balance.Handover) (*balance.AuditReport, error) {
	open := f.Open
	if open == nil {
		open = make([]balance.OpenCase, 0, len(p.Cases))
		for _, c := range p.Cases {
			open = append(open, balance.OpenCase{ID: c.ID})
		}
	}
	return balance.Audit(f.AsOf, open, []balance.TeamProblem{{Problem: p}}, pending, nil)
}

// A findingView is one finding of the audit as the page lists it.
type findingView struct {
	signalView
	Case     string
	Handover string
}

// newFindings lists the audit's findings most severe first, then by
// case, as the signals are.
func newFindings(r *balance.AuditReport) []findingView {
	fs := slices.Clone(r.Findings)
	slices.SortStableFunc(fs, func(a, b balance.Finding) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), strings.Compare(a.Case, b.Case))
	})
	out := make([]findingView, 0, len(fs))
	for _, f := range fs {
		out = append(out, findingView{signalView: newSignals([]signal.Signal{f.Signal})[0], Case: f.Case, Handover: f.Handover})
	}
	return out
}
