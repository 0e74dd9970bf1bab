package balance_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/caseload/caseload/civil"

	"github.com/caseload/caseload/balance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// handoverModel is what a team leader believes about a team whose cases
// change hands only through handovers: who holds each case, which
// handovers wait for an answer, and who is on the team. The test
// checks the library's replay of the log against it after every step.
type handoverModel struct {
	base    balance.Problem
	roster  []balance.Worker
	log     balance.HandoverLog
	owner   map[string]string // case → owner ("" for the queue); absent once it left the team
	transit map[string]string // case → its pending handover
	pending map[string]balance.Offer
	closed  []string // handovers answered
	date    civil.Date
	next    int // number of the next handover
}

func (m *handoverModel) problem() balance.Problem {
	return balance.Problem{AsOf: m.base.AsOf, Workers: m.roster, Cases: m.base.Cases}
}

func (m *handoverModel) current(t *rapid.T) balance.Problem {
	p, err := m.log.Apply(m.problem(), "")
	require.NoError(t, err)
	return p
}

func (m *handoverModel) workerIDs() []string {
	ids := []string{"gone", "new1", "new2"}
	for _, w := range m.roster {
		ids = append(ids, w.ID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

func (m *handoverModel) record(t *rapid.T, e balance.HandoverEvent) {
	l, err := m.log.Record(e)
	require.NoError(t, err)
	m.log = l
}

func (m *handoverModel) tick(t *rapid.T) {
	m.date = m.date.AddDays(rapid.IntRange(0, 2).Draw(t, "days"))
}

func (m *handoverModel) offer(t *rapid.T) {
	free := slices.Sorted(maps.Keys(m.owner))
	free = slices.DeleteFunc(free, func(c string) bool { return m.transit[c] != "" })
	if len(free) == 0 {
		t.Skip("every case is in transit")
	}
	cs := []string{rapid.SampledFrom(free).Draw(t, "case")}
	from := m.owner[cs[0]]
	// Sometimes the rest of the family the sender holds goes too.
	for _, c := range free {
		if c != cs[0] && m.owner[c] == from && rapid.IntRange(0, 3).Draw(t, "with-"+c) == 0 {
			cs = append(cs, c)
		}
	}
	to := rapid.SampledFrom(m.workerIDs()).Draw(t, "to")
	if to == from {
		t.Skip("offer to oneself")
	}
	o := balance.Offer{Cases: cs, From: from, To: to}
	if rapid.IntRange(0, 5).Draw(t, "cross") == 0 {
		o.Team = "south"
	}
	m.tick(t)
	id := fmt.Sprintf("h%d", m.next)
	m.next++
	m.record(t, balance.HandoverEvent{Handover: id, Action: balance.ActionOffer, Date: m.date, Offer: &o})
	for _, c := range cs {
		m.transit[c] = id
	}
	m.pending[id] = o
}

func (m *handoverModel) offerInTransit(t *rapid.T) {
	if len(m.transit) == 0 {
		t.Skip("nothing in transit")
	}
	c := rapid.SampledFrom(slices.Sorted(maps.Keys(m.transit))).Draw(t, "case")
	o := balance.Offer{Cases: []string{c}, From: m.owner[c], To: "someone-else"}
	_, err := m.log.Record(balance.HandoverEvent{Handover: "dup", Action: balance.ActionOffer, Date: m.date, Offer: &o})
	require.ErrorIs(t, err, balance.ErrInTransit)
}

func (m *handoverModel) answer(t *rapid.T, a balance.HandoverAction) {
	if len(m.pending) == 0 {
		t.Skip("nothing pending")
	}
	id := rapid.SampledFrom(slices.Sorted(maps.Keys(m.pending))).Draw(t, "handover")
	o := m.pending[id]
	m.tick(t)
	m.record(t, balance.HandoverEvent{Handover: id, Action: a, Date: m.date, Note: "the receiver's reason"})
	for _, c := range o.Cases {
		delete(m.transit, c)
		if a != balance.ActionAccept {
			continue
		}
		if o.Team != "" {
			delete(m.owner, c) // to the other team
		} else {
			m.owner[c] = o.To
		}
	}
	delete(m.pending, id)
	m.closed = append(m.closed, id)
}

func (m *handoverModel) answerClosed(t *rapid.T) {
	if len(m.closed) == 0 {
		t.Skip("nothing answered yet")
	}
	id := rapid.SampledFrom(m.closed).Draw(t, "handover")
	a := rapid.SampledFrom([]balance.HandoverAction{balance.ActionAccept, balance.ActionReject, balance.ActionRevoke, balance.ActionExpire}).Draw(t, "action")
	_, err := m.log.Record(balance.HandoverEvent{Handover: id, Action: a, Date: m.date, Note: "again"})
	require.ErrorIs(t, err, balance.ErrNotPending)
}

func (m *handoverModel) leave(t *rapid.T) {
	if len(m.roster) == 0 {
		t.Skip("nobody left to leave")
	}
	i := rapid.IntRange(0, len(m.roster)-1).Draw(t, "leaver")
	m.roster = slices.Delete(slices.Clone(m.roster), i, i+1)
}

func (m *handoverModel) join(t *rapid.T) {
	// Not "gone": the generator pins a family's cases to "gone" and to a
	// worker at once, valid only while "gone" is not on the team.
	id := rapid.SampledFrom(slices.DeleteFunc(m.workerIDs(), func(w string) bool { return w == "gone" })).Draw(t, "joiner")
	if slices.ContainsFunc(m.roster, func(w balance.Worker) bool { return w.ID == id }) {
		t.Skip("already on the team")
	}
	m.roster = append(slices.Clone(m.roster), workerGen(id).Draw(t, "worker"))
}

func (m *handoverModel) rebalance(t *rapid.T) {
	p := m.current(t)
	opts := &balance.RebalanceOptions{MaxMoves: rapid.IntRange(-1, 3).Draw(t, "max-moves"), ReplaceAway: rapid.Bool().Draw(t, "replace-away")}
	pr, err := balance.Propose(context.Background(), p, opts)
	require.NoError(t, err)
	m.tick(t)
	prefix := fmt.Sprintf("r%d", m.next)
	m.next++
	l, skipped, err := m.log.OfferProposal(pr, m.date, prefix)
	require.NoError(t, err)
	hs, err := l.Handovers()
	require.NoError(t, err)
	before := len(m.pending) + len(m.closed)
	offered := map[string]bool{}
	for _, h := range hs[before:] {
		require.Equal(t, balance.HandoverOffered, h.State)
		for _, c := range h.Cases {
			require.Empty(t, m.transit[c], "case %s offered while in transit", c)
			require.Equal(t, m.owner[c], h.From, "case %s offered by a worker who does not hold it", c)
			m.transit[c] = h.ID
			offered[c] = true
		}
		m.pending[h.ID] = h.Offer
	}
	// Every move is offered or handed back, never both, never neither.
	for _, mv := range pr.Moves {
		assert.NotEqual(t, offered[mv.Case], slices.ContainsFunc(skipped, func(s balance.Move) bool { return s.Case == mv.Case }), "move of %s", mv.Case)
	}
	assert.Len(t, offered, len(pr.Moves)-len(skipped))
	m.log = l
}

func (m *handoverModel) check(t *rapid.T) {
	p := m.current(t)
	// Every case has exactly one owner or is in the queue, as the model
	// says, and none is lost: the cases not here left for another team.
	got := map[string]string{}
	for _, c := range p.Cases {
		_, twice := got[c.ID]
		require.False(t, twice, "case %s listed twice", c.ID)
		got[c.ID] = c.Owner
	}
	require.Equal(t, m.owner, got)
	team, err := balance.Prepare(p, nil)
	require.NoError(t, err)
	orphaned := map[string]bool{}
	for _, r := range team.Notices() {
		if r.Code == balance.CodeOrphaned {
			orphaned[r.Case] = true
		}
	}
	onTeam := map[string]bool{}
	for _, w := range m.roster {
		onTeam[w.ID] = true
	}
	for c, o := range got {
		assert.Equal(t, o != "" && !onTeam[o], orphaned[c], "case %s held by %q", c, o)
	}
	// Loads are the sums of owned cases: a pending handover counts on
	// its sender, and incoming cases are shown, not added.
	load := map[string]float64{}
	for _, c := range p.Cases {
		load[c.Owner] += float64(c.Weight)
	}
	for _, w := range m.roster {
		l, ok := team.Load(w.ID)
		require.True(t, ok)
		assert.InDelta(t, load[w.ID], float64(l), 1e-6*(1+load[w.ID]), "load of %s", w.ID)
	}
	pending, err := m.log.Pending()
	require.NoError(t, err)
	require.Len(t, pending, len(m.pending))
	incoming := 0
	for _, in := range balance.Incoming(p, pending, "") {
		incoming += in.Cases
	}
	want := 0
	for _, o := range m.pending {
		if o.Team == "" {
			want += len(o.Cases)
		}
	}
	assert.Equal(t, want, incoming)
	// Replaying the log from its JSON gives the same state.
	b, err := json.Marshal(m.log)
	require.NoError(t, err)
	var back balance.HandoverLog
	require.NoError(t, json.Unmarshal(b, &back))
	q, err := back.Apply(m.problem(), "")
	require.NoError(t, err)
	require.Equal(t, p, q)
	hs, err := m.log.Handovers()
	require.NoError(t, err)
	hsBack, err := back.Handovers()
	require.NoError(t, err)
	require.Equal(t, hs, hsBack)
}

func TestHandoverOperations(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		base := problemGen(5, 12).Draw(t, "problem")
		m := &handoverModel{base: base, roster: base.Workers, owner: map[string]string{},
			transit: map[string]string{}, pending: map[string]balance.Offer{}, date: base.AsOf}
		for _, c := range base.Cases {
			m.owner[c.ID] = c.Owner
		}
		t.Repeat(map[string]func(*rapid.T){
			"offer":            m.offer,
			"offer-in-transit": m.offerInTransit,
			"accept":           func(t *rapid.T) { m.answer(t, balance.ActionAccept) },
			"reject":           func(t *rapid.T) { m.answer(t, balance.ActionReject) },
			"revoke":           func(t *rapid.T) { m.answer(t, balance.ActionRevoke) },
			"expire":           func(t *rapid.T) { m.answer(t, balance.ActionExpire) },
			"answer-closed":    m.answerClosed,
			"leave":            m.leave,
			"join":             m.join,
			"rebalance":        m.rebalance,
			"":                 m.check,
		})
	})
}
