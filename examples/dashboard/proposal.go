package main

import (
	"fmt"
	"strconv"
	"time"

	"github.com/caseload/caseload/balance"
)

// A proposalView is the rebalance the page proposes, with the form that
// accepts its first steps.
type proposalView struct {
	Budget      int
	StatusCode  string // see proposalStatus
	Status      string // the status in a sentence
	Summary     string
	Steps       []stepView
	Scale       scaleView
	Bars        []barView // before, each with After
	Unplaceable []string
	Notices     []string
	Accept      []acceptOption // empty when there is nothing to accept
	Version     string
	Fingerprint string
}

// A stepView is the moves of one step; step 0 holds the placements,
// which come with every step.
type stepView struct {
	Step  int
	Title string
	Moves []moveRow
}

// A moveRow is one case changing hands.
type moveRow struct {
	Kind    string
	Case    string
	From    string
	To      string
	Reasons []string
}

// An acceptOption is one choice of k in the accept form.
type acceptOption struct {
	K        int
	Label    string
	Selected bool
}

// newProposal builds the view of pr, which Propose returned with err
// after at most timeout, for the team st.
func newProposal(st *teamState, pr *balance.Proposal, err error, budget int, timeout time.Duration) *proposalView {
	v := &proposalView{Budget: budget, StatusCode: proposalStatus(pr, err),
		Version: st.version, Fingerprint: proposalFingerprint(pr), Notices: messages(pr.Notices)}
	switch v.StatusCode {
	case "stopped-early":
		v.Status = fmt.Sprintf("Stopped early: the search ran out of its %v; this is the best complete proposal found by then.", timeout)
	case "optimal":
		v.Status = fmt.Sprintf("The best possible: no plan can bring the fullest worker below %s.", pct(pr.Bound))
	default:
		v.Status = fmt.Sprintf("Within %.1f%% of the best possible: no plan can bring the fullest worker below %s.", 100*pr.Gap, pct(pr.Bound))
		if len(pr.Relaxed) > 0 {
			v.Status += " That bound ignores the " + joinAnd(pr.Relaxed) + ", so the gap may not be closable."
		}
	}
	ub, ua := pr.Before.Utilization, pr.After.Utilization
	moves := fmt.Sprintf("%d of at most %d voluntary moves", pr.MovesUsed, budget)
	if budget < 0 {
		moves = fmt.Sprintf("%d voluntary moves, no limit", pr.MovesUsed)
	}
	v.Summary = fmt.Sprintf("Fullest worker %s → %s; Gini %.3f → %.3f; waiting %d → %d cases; %s.",
		pct(ub.Max), pct(ua.Max), ub.Gini, ua.Gini, pr.Before.Unassigned, pr.After.Unassigned, moves)
	for _, u := range pr.Unplaceable {
		v.Unplaceable = append(v.Unplaceable, fmt.Sprintf("%s waits: %s", u.Case, joinSentences(messages(u.Reasons))))
	}

	maxStep := 0
	for _, mv := range pr.Moves {
		if len(v.Steps) == 0 || v.Steps[len(v.Steps)-1].Step != mv.Step {
			title := "Step " + strconv.Itoa(mv.Step)
			if mv.Step == 0 {
				title = "Placements (they come with every step)"
			}
			v.Steps = append(v.Steps, stepView{Step: mv.Step, Title: title})
		}
		from := mv.From
		if from == "" {
			from = "queue"
		}
		s := &v.Steps[len(v.Steps)-1]
		s.Moves = append(s.Moves, moveRow{Kind: string(mv.Kind), Case: mv.Case, From: from, To: mv.To, Reasons: messages(mv.Reasons)})
		maxStep = max(maxStep, mv.Step)
	}
	if len(pr.Moves) > 0 {
		for k := 0; k <= maxStep; k++ {
			label := "the placements only"
			switch {
			case k == 1:
				label = "the placements and step 1"
			case k > 1:
				label = fmt.Sprintf("the placements and steps 1 to %d", k)
			}
			v.Accept = append(v.Accept, acceptOption{K: k, Label: label, Selected: k == maxStep})
		}
	}

	var utils []float64
	for i := range pr.Before.Workers {
		utils = append(utils, pr.Before.Workers[i].Utilization, pr.After.Workers[i].Utilization)
	}
	v.Scale = newScale(pr.Before.Bounds, utils...)
	for i, wl := range pr.Before.Workers {
		b := newBar(wl, pr.Before.Bounds, v.Scale, st)
		a := newBar(pr.After.Workers[i], pr.After.Bounds, v.Scale, st)
		b.After = &a
		if wl.Capacity == 0 {
			b.Label = fmt.Sprintf("%s: no capacity for casework, %d cases before and %d after", wl.Worker, wl.Cases, a.Cases)
		} else {
			b.Label = fmt.Sprintf("%s: %s before (%s), %s after (%s)", wl.Worker, b.Pct, b.BandText, a.Pct, a.BandText)
		}
		v.Bars = append(v.Bars, b)
	}
	return v
}

// joinAnd joins words as "a, b and c".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	s := words[0]
	for _, w := range words[1 : len(words)-1] {
		s += ", " + w
	}
	return s + " and " + words[len(words)-1]
}

// joinSentences joins reason sentences with semicolons.
func joinSentences(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += "; "
		}
		out += x
	}
	return out
}
