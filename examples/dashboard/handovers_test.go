package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// builtinProposals are the built-in team's proposals for the move
// budgets 0 to 4 and no limit (-1), computed once: a proposal takes
// 0.1 s, and the property below draws from them.
var builtinProposals = sync.OnceValues(func() (map[int]*balance.Proposal, error) {
	st, err := openStore("")
	if err != nil {
		return nil, err
	}
	out := map[int]*balance.Proposal{}
	for _, budget := range []int{-1, 0, 1, 2, 3, 4} {
		pr, err := st.current().team.Propose(context.Background(), &balance.RebalanceOptions{MaxMoves: budget})
		if err != nil {
			return nil, err
		}
		out[budget] = pr
	}
	return out, nil
})

// checkNoCaseLost checks the invariant of handovers on a team file and
// its log: every case of the original file is listed once, none is
// added; a case in a pending handover is with the handover's sender; a
// case whose last handover was accepted is with its receiver; any
// other case is with its original owner; no case is in two pending
// handovers; and the team's total load and its queue count every case
// once.
func checkNoCaseLost(t *rapid.T, orig, f teamFile, l balance.HandoverLog) {
	ids := func(f teamFile) []string {
		var s []string
		for _, c := range f.Cases {
			s = append(s, c.ID)
		}
		return s
	}
	require.Equal(t, ids(orig), ids(f), "the same cases, once each, in the same order")
	hs, err := l.Handovers()
	require.NoError(t, err)
	want := map[string]string{}
	for _, c := range orig.Cases {
		want[c.ID] = c.Owner
	}
	transit := map[string]string{}
	for _, h := range hs { // in order of offer: the last handover of a case decides
		for _, c := range h.Cases {
			switch {
			case h.Pending():
				require.NotContains(t, transit, c, "case %s in two pending handovers", c)
				transit[c] = h.ID
				require.Equal(t, h.From, want[c], "handover %s offers %s from its holder", h.ID, c)
			case h.State == balance.HandoverAccepted:
				want[c] = h.To
			}
		}
	}
	for _, c := range f.Cases {
		require.Equal(t, want[c.ID], c.Owner, "owner of %s", c.ID)
	}
	p, _, err := f.problem()
	require.NoError(t, err)
	p0, _, err := orig.problem()
	require.NoError(t, err)
	total := func(p balance.Problem) (held balance.HoursPerWeek, queued int) {
		im, err := balance.Score(p, nil)
		require.NoError(t, err)
		for _, wl := range im.Workers {
			held += wl.Load
		}
		return held, im.Unassigned
	}
	h0, q0 := total(p0)
	h1, q1 := total(p)
	queueWeight := func(p balance.Problem) (w balance.HoursPerWeek) {
		for _, c := range p.Cases {
			if c.Owner == "" {
				w += c.Weight
			}
		}
		return w
	}
	assert.InDelta(t, float64(h0+queueWeight(p0)), float64(h1+queueWeight(p)), 1e-6, "total weight conserved")
	assert.LessOrEqual(t, q1, q0, "the queue only shrinks, by accepted placements")
}

// TestHandoversNeverLoseACase: offering the first k steps of a
// proposal, any number of times, then answering the pending handovers
// in any order with any answer, never loses or duplicates a case, and
// leaves a pending case with its sender. Once every offered handover is
// accepted, the team is the proposal's prefix applied.
func TestHandoversNeverLoseACase(t *testing.T) {
	proposals, err := builtinProposals()
	require.NoError(t, err)
	orig := builtinTeam()
	budgets := []int{-1, 0, 1, 2, 3, 4}
	rapid.Check(t, func(t *rapid.T) {
		f, l := orig, balance.HandoverLog{}
		if rapid.Bool().Draw(t, "built-in log") {
			l = builtinHandovers()
		}
		p, _, err := f.problem()
		require.NoError(t, err)
		var offered []string
		for range rapid.IntRange(1, 2).Draw(t, "offers") {
			pr := proposals[rapid.SampledFrom(budgets).Draw(t, "budget")]
			k := rapid.IntRange(0, 5).Draw(t, "k")
			nl, hs, skipped, err := offerSteps(p, l, pr, k, f.AsOf)
			require.NoError(t, err)
			n := 0
			for _, h := range hs {
				n += len(h.Cases)
				offered = append(offered, h.ID)
			}
			require.Equal(t, len(firstSteps(pr, k)), n+len(skipped), "every move offered or returned")
			l = nl
			checkNoCaseLost(t, orig, f, l)
		}
		// Answer the pending handovers in a drawn order.
		pending := slices.Clone(offered)
		if rapid.Bool().Draw(t, "answer the built-in one too") && len(l.Events) > 0 && l.Events[0].Handover == "2026-02-23.1-1" {
			pending = append(pending, "2026-02-25.1-1")
		}
		order := rapid.Permutation(pending).Draw(t, "order")
		allAccepted := true
		for _, id := range order {
			act := rapid.SampledFrom([]balance.HandoverAction{balance.ActionAccept, balance.ActionAccept,
				balance.ActionReject, balance.ActionRevoke, balance.ActionExpire}).Draw(t, "action "+id)
			if act != balance.ActionAccept && slices.Contains(offered, id) {
				allAccepted = false
			}
			e := balance.HandoverEvent{Handover: id, Action: act, Date: f.AsOf, Note: "a reason"}
			nf, nl, h, err := answerHandover(f, p, l, e)
			require.NoError(t, err)
			require.Equal(t, id, h.ID)
			f, l = nf, nl
			p, _, err = f.problem()
			require.NoError(t, err)
			checkNoCaseLost(t, orig, f, l)
			// Answering twice is refused and changes nothing.
			_, same, _, err := answerHandover(f, p, l, e)
			require.ErrorIs(t, err, balance.ErrNotPending)
			require.Equal(t, l, same)
		}
		if !allAccepted {
			return
		}
		// Every offer accepted: each case moved is where the proposal's
		// moves put it, the last offer of a case deciding.
		hs, err := l.Handovers()
		require.NoError(t, err)
		want := map[string]string{}
		for _, h := range hs {
			if slices.Contains(offered, h.ID) {
				for _, c := range h.Cases {
					want[c] = h.To
				}
			}
		}
		for _, c := range f.Cases {
			if to, ok := want[c.ID]; ok {
				assert.Equal(t, to, c.Owner, c.ID)
				assert.Equal(t, f.AsOf, c.Assigned, c.ID)
			}
		}
	})
}

// TestOfferTwice: offering the same steps twice offers nothing the
// second time: every move's case is in transit, and is returned.
func TestOfferTwice(t *testing.T) {
	proposals, err := builtinProposals()
	require.NoError(t, err)
	f := builtinTeam()
	p, _, err := f.problem()
	require.NoError(t, err)
	pr := proposals[2]
	l, first, skipped, err := offerSteps(p, balance.HandoverLog{}, pr, 2, f.AsOf)
	require.NoError(t, err)
	assert.Empty(t, skipped)
	require.NotEmpty(t, first)
	assert.Equal(t, "2026-03-04.1-1", first[0].ID)
	l2, second, skipped, err := offerSteps(p, l, pr, 2, f.AsOf)
	require.NoError(t, err)
	assert.Empty(t, second)
	assert.Equal(t, firstSteps(pr, 2), skipped)
	assert.Equal(t, l, l2)
}

// TestAnswerRefused: the answers the library refuses, each with the
// HTTP status the JSON service gives it.
func TestAnswerRefused(t *testing.T) {
	f := builtinTeam()
	p, _, err := f.problem()
	require.NoError(t, err)
	l := builtinHandovers()
	moved := f
	moved.Cases = slices.Clone(f.Cases)
	for i := range moved.Cases {
		if moved.Cases[i].ID == "2026-0075" { // the case system gave it to bram since the offer
			moved.Cases[i].Owner = "bram"
		}
	}
	pm, _, err := moved.problem()
	require.NoError(t, err)
	tests := []struct {
		name   string
		f      teamFile
		p      balance.Problem
		e      balance.HandoverEvent
		sentry error
		status int
	}{
		{"unknown handover", f, p, balance.HandoverEvent{Handover: "nope", Action: balance.ActionAccept, Date: f.AsOf}, balance.ErrUnknownHandover, 404},
		{"answered already", f, p, balance.HandoverEvent{Handover: "2026-02-23.1-1", Action: balance.ActionAccept, Date: f.AsOf}, balance.ErrNotPending, 409},
		{"rejected without a reason", f, p, balance.HandoverEvent{Handover: "2026-02-25.1-1", Action: balance.ActionReject, Date: f.AsOf}, balance.ErrNoReason, 400},
		{"dated before the offer", f, p, balance.HandoverEvent{Handover: "2026-02-25.1-1", Action: balance.ActionAccept, Date: f.AsOf.AddDays(-30)}, balance.ErrBackdated, 409},
		{"sender no longer holds it", moved, pm, balance.HandoverEvent{Handover: "2026-02-25.1-1", Action: balance.ActionAccept, Date: f.AsOf}, balance.ErrNotHeld, 409},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			nf, nl, _, err := answerHandover(tt.f, tt.p, l, tt.e)
			require.ErrorIs(t, err, tt.sentry)
			assert.Equal(t, tt.status, handoverStatus(err))
			assert.Equal(t, l, nl, "nothing recorded")
			assert.Equal(t, tt.f, nf, "nothing moved")
		})
	}
	// The audit names the handover that cannot complete.
	rep, err := teamAudit(moved, pm, mustPending(t, l))
	require.NoError(t, err)
	var transit []string
	for _, fd := range rep.Findings {
		if fd.Code == balance.SignalAuditTransit {
			transit = append(transit, fmt.Sprintf("%s %s", fd.Case, fd.Handover))
		}
	}
	assert.Equal(t, []string{"2026-0075 2026-02-25.1-1"}, transit)
}

func mustPending(t *testing.T, l balance.HandoverLog) []balance.Handover {
	t.Helper()
	hs, err := l.Pending()
	require.NoError(t, err)
	return hs
}
