package balance_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	"github.com/caseload/caseload/civil"

	"github.com/caseload/caseload/balance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mon is a Monday; the handover tests count working days from it.
var mon = civil.NewDate(2026, 3, 2)

func offerOf(cases ...string) balance.Offer {
	return balance.Offer{Cases: cases, From: "ann", To: "bob"}
}

func mustOffer(t *testing.T, id string, o balance.Offer, on civil.Date) balance.Handover {
	t.Helper()
	h, err := balance.OfferHandover(id, o, on, "")
	require.NoError(t, err)
	return h
}

// requireInputErr checks that err is an *InputError with the given
// field and ID that wraps want.
func requireInputErr(t *testing.T, err error, field, id string, want error) {
	t.Helper()
	require.ErrorIs(t, err, want)
	var ie *balance.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, field, ie.Field)
	assert.Equal(t, id, ie.ID)
	assert.Contains(t, err.Error(), "balance: ")
}

func TestHandoverIllegalTransitions(t *testing.T) {
	t.Parallel()
	offered := func(t *testing.T) balance.Handover { return mustOffer(t, "h1", offerOf("c1"), mon) }
	closed := func(t *testing.T, state balance.HandoverState) balance.Handover {
		h := offered(t)
		var err error
		switch state {
		case balance.HandoverAccepted:
			h, err = h.Accept(mon.AddDays(1), "")
		case balance.HandoverRejected:
			h, err = h.Reject(mon.AddDays(1), "", "on leave next week")
		case balance.HandoverRevoked:
			h, err = h.Revoke(mon.AddDays(1), "", "")
		case balance.HandoverExpired:
			h, err = h.Expire(mon.AddDays(1))
		}
		require.NoError(t, err)
		require.Equal(t, state, h.State)
		return h
	}
	later := mon.AddDays(2)
	tests := []struct {
		name  string
		do    func(t *testing.T) (balance.Handover, error)
		field string
		id    string
		err   error
	}{
		{"accept twice", func(t *testing.T) (balance.Handover, error) {
			return closed(t, balance.HandoverAccepted).Accept(later, "")
		}, "Handover.Accept", "h1", balance.ErrNotPending},
		{"accept a revoked one", func(t *testing.T) (balance.Handover, error) {
			return closed(t, balance.HandoverRevoked).Accept(later, "")
		}, "Handover.Accept", "h1", balance.ErrNotPending},
		{"accept a rejected one", func(t *testing.T) (balance.Handover, error) {
			return closed(t, balance.HandoverRejected).Accept(later, "")
		}, "Handover.Accept", "h1", balance.ErrNotPending},
		{"accept an expired one", func(t *testing.T) (balance.Handover, error) {
			return closed(t, balance.HandoverExpired).Accept(later, "")
		}, "Handover.Accept", "h1", balance.ErrNotPending},
		{"reject an accepted one", func(t *testing.T) (balance.Handover, error) {
			return closed(t, balance.HandoverAccepted).Reject(later, "", "too late")
		}, "Handover.Reject", "h1", balance.ErrNotPending},
		{"revoke an accepted one", func(t *testing.T) (balance.Handover, error) {
			return closed(t, balance.HandoverAccepted).Revoke(later, "", "")
		}, "Handover.Revoke", "h1", balance.ErrNotPending},
		{"expire a rejected one", func(t *testing.T) (balance.Handover, error) {
			return closed(t, balance.HandoverRejected).Expire(later)
		}, "Handover.Expire", "h1", balance.ErrNotPending},
		{"reject without a reason", func(t *testing.T) (balance.Handover, error) {
			return offered(t).Reject(later, "bob", "")
		}, "Handover.Reject", "h1", balance.ErrNoReason},
		{"accept before the offer", func(t *testing.T) (balance.Handover, error) {
			return offered(t).Accept(mon.AddDays(-1), "")
		}, "Handover.Accept", "h1", balance.ErrBackdated},
		{"accept with no date", func(t *testing.T) (balance.Handover, error) {
			return offered(t).Accept(civil.Date{}, "")
		}, "Handover.Accept", "h1", balance.ErrNoDate},
		{"accept what was never offered", func(t *testing.T) (balance.Handover, error) {
			return balance.Handover{}.Accept(later, "")
		}, "Handover.Accept", "", balance.ErrUnknownHandover},
		{"offer with no ID", func(t *testing.T) (balance.Handover, error) {
			return balance.OfferHandover("", offerOf("c1"), mon, "")
		}, "Handover.Offer", "", balance.ErrEmptyID},
		{"offer with no cases", func(t *testing.T) (balance.Handover, error) {
			return balance.OfferHandover("h1", offerOf(), mon, "")
		}, "Handover.Offer", "h1", balance.ErrEmptyID},
		{"offer an empty case ID", func(t *testing.T) (balance.Handover, error) {
			return balance.OfferHandover("h1", offerOf("c1", ""), mon, "")
		}, "Handover.Offer", "h1", balance.ErrEmptyID},
		{"offer a case twice", func(t *testing.T) (balance.Handover, error) {
			return balance.OfferHandover("h1", offerOf("c1", "c1"), mon, "")
		}, "Handover.Offer", "h1", balance.ErrDuplicateID},
		{"offer to nobody", func(t *testing.T) (balance.Handover, error) {
			return balance.OfferHandover("h1", balance.Offer{Cases: []string{"c1"}, From: "ann"}, mon, "")
		}, "Handover.Offer", "h1", balance.ErrEmptyID},
		{"offer to oneself", func(t *testing.T) (balance.Handover, error) {
			return balance.OfferHandover("h1", balance.Offer{Cases: []string{"c1"}, From: "ann", To: "ann"}, mon, "")
		}, "Handover.Offer", "h1", balance.ErrSelfHandover},
		{"offer with no date", func(t *testing.T) (balance.Handover, error) {
			return balance.OfferHandover("h1", offerOf("c1"), civil.Date{}, "")
		}, "Handover.Offer", "h1", balance.ErrNoDate},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := tc.do(t)
			requireInputErr(t, err, tc.field, tc.id, tc.err)
		})
	}
}

func TestHandoverTransitionsKeepTheOldValue(t *testing.T) {
	t.Parallel()
	h := mustOffer(t, "h1", balance.Offer{Cases: []string{"c1", "c2"}, Group: "f", From: "ann", To: "bob"}, mon)
	a, err := h.Accept(mon.AddDays(1), "bob")
	require.NoError(t, err)
	r, err := h.Reject(mon.AddDays(1), "", "conflict of interest")
	require.NoError(t, err)
	assert.Equal(t, balance.HandoverOffered, h.State)
	assert.Len(t, h.History, 1)
	assert.Equal(t, balance.HandoverAccepted, a.State)
	assert.Equal(t, balance.ActionAccept, a.History[1].Action)
	assert.Equal(t, "bob", a.History[1].By)
	assert.Equal(t, balance.HandoverRejected, r.State)
	assert.Equal(t, "conflict of interest", r.Note)
	assert.Equal(t, balance.ActionReject, r.History[1].Action)
	assert.Equal(t, mon.AddDays(1), r.Answered)
}

func TestHandoverLogIllegalEvents(t *testing.T) {
	t.Parallel()
	offer := func(id string, o balance.Offer) balance.HandoverEvent {
		return balance.HandoverEvent{Handover: id, Action: balance.ActionOffer, Date: mon, Offer: &o}
	}
	base, err := balance.HandoverLog{}.Record(offer("h1", offerOf("c1", "c2")))
	require.NoError(t, err)
	tests := []struct {
		name string
		e    balance.HandoverEvent
		err  error
	}{
		{"offer a case in transit", offer("h2", balance.Offer{Cases: []string{"c2"}, From: "ann", To: "cas"}), balance.ErrInTransit},
		{"offer the same handover twice", offer("h1", offerOf("c3")), balance.ErrDuplicateID},
		{"answer an unknown handover", balance.HandoverEvent{Handover: "h9", Action: balance.ActionAccept, Date: mon}, balance.ErrUnknownHandover},
		{"an unknown action", balance.HandoverEvent{Handover: "h1", Action: "forward", Date: mon}, balance.ErrUnknownAction},
		{"an unknown action on an unknown handover", balance.HandoverEvent{Handover: "h9", Action: "forward", Date: mon}, balance.ErrUnknownAction},
		{"an offer without its offer", balance.HandoverEvent{Handover: "h2", Action: balance.ActionOffer, Date: mon}, balance.ErrUnknownAction},
		{"an offer on an answer", balance.HandoverEvent{Handover: "h1", Action: balance.ActionAccept, Date: mon, Offer: &balance.Offer{}}, balance.ErrUnknownAction},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l, err := base.Record(tc.e)
			requireInputErr(t, err, "Events[1]", tc.e.Handover, tc.err)
			assert.Equal(t, base, l, "a failed Record returns the log unchanged")
		})
	}
	t.Run("accept twice", func(t *testing.T) {
		t.Parallel()
		acc := balance.HandoverEvent{Handover: "h1", Action: balance.ActionAccept, Date: mon}
		_, err := base.Record(acc, acc)
		requireInputErr(t, err, "Events[2]", "h1", balance.ErrNotPending)
	})
	t.Run("offer again after the answer", func(t *testing.T) {
		t.Parallel()
		l, err := base.Record(
			balance.HandoverEvent{Handover: "h1", Action: balance.ActionReject, Date: mon, Note: "full"},
			offer("h2", balance.Offer{Cases: []string{"c2", "c1"}, From: "ann", To: "cas"}))
		require.NoError(t, err)
		pending, err := l.Pending()
		require.NoError(t, err)
		require.Len(t, pending, 1)
		assert.Equal(t, "h2", pending[0].ID)
	})
}

func TestHandoverLogApply(t *testing.T) {
	t.Parallel()
	p := balance.Problem{
		AsOf:    mon,
		Workers: []balance.Worker{{ID: "ann", Capacity: 30}, {ID: "bob", Capacity: 30}},
		Cases: []balance.Case{
			{ID: "c1", Weight: 2, Owner: "ann", Pinned: true},
			{ID: "c2", Weight: 3, Owner: "ann"},
			{ID: "q1", Weight: 1},
		},
	}
	tue := mon.AddDays(1)
	offer := func(id string, o balance.Offer) balance.HandoverEvent {
		return balance.HandoverEvent{Handover: id, Action: balance.ActionOffer, Date: mon, Offer: &o}
	}
	answer := func(id string, a balance.HandoverAction) balance.HandoverEvent {
		return balance.HandoverEvent{Handover: id, Action: a, Date: tue, Note: "busy"}
	}
	owners := func(p balance.Problem) map[string]string {
		m := map[string]string{}
		for _, c := range p.Cases {
			m[c.ID] = c.Owner
		}
		return m
	}
	t.Run("only acceptance moves", func(t *testing.T) {
		t.Parallel()
		l, err := balance.HandoverLog{}.Record(
			offer("h1", offerOf("c1")), answer("h1", balance.ActionAccept),
			offer("h2", offerOf("c2")), answer("h2", balance.ActionReject),
			offer("h3", balance.Offer{Cases: []string{"q1"}, To: "bob"}))
		require.NoError(t, err)
		q, err := l.Apply(p, "")
		require.NoError(t, err)
		assert.Equal(t, map[string]string{"c1": "bob", "c2": "ann", "q1": ""}, owners(q))
		assert.Equal(t, tue, q.Cases[0].Assigned)
		assert.False(t, q.Cases[0].Pinned, "the sender's pin is cleared")
		assert.True(t, p.Cases[0].Pinned, "p is not modified")
		in := balance.Incoming(q, mustPending(t, l), "")
		assert.Equal(t, []balance.IncomingLoad{{Worker: "bob", Handovers: 1, Cases: 1, Load: 1, Shares: 1}}, in)
	})
	t.Run("to another team", func(t *testing.T) {
		t.Parallel()
		o := offerOf("c2")
		o.Team = "south"
		l, err := balance.HandoverLog{}.Record(offer("h1", o), answer("h1", balance.ActionAccept))
		require.NoError(t, err)
		q, err := l.Apply(p, "north")
		require.NoError(t, err)
		assert.Equal(t, map[string]string{"c1": "ann", "q1": ""}, owners(q), "the case left the team")
		south := balance.Problem{AsOf: mon, Workers: []balance.Worker{{ID: "bob", Capacity: 10}},
			Cases: []balance.Case{{ID: "c2", Weight: 3, Owner: "ann"}}}
		s, err := l.Apply(south, "south")
		require.NoError(t, err)
		assert.Equal(t, map[string]string{"c2": "bob"}, owners(s))
	})
	tests := []struct {
		name   string
		events []balance.HandoverEvent
		err    error
	}{
		{"offered by someone else", []balance.HandoverEvent{offer("h1", balance.Offer{Cases: []string{"c1"}, From: "bob", To: "cas"})}, balance.ErrNotHeld},
		{"offered from the queue but held", []balance.HandoverEvent{offer("h1", balance.Offer{Cases: []string{"c1"}, To: "bob"})}, balance.ErrNotHeld},
		{"a case the problem lacks", []balance.HandoverEvent{offer("h1", offerOf("zz"))}, balance.ErrUnknownCase},
		{"moved already", []balance.HandoverEvent{
			offer("h1", offerOf("c1")), answer("h1", balance.ActionAccept), offer("h2", offerOf("c1"))}, balance.ErrNotHeld},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l, err := balance.HandoverLog{}.Record(tc.events...)
			require.NoError(t, err)
			_, err = l.Apply(p, "")
			requireInputErr(t, err, fmt.Sprintf("Events[%d]", len(tc.events)-1), tc.events[len(tc.events)-1].Handover, tc.err)
		})
	}
}

func mustPending(t *testing.T, l balance.HandoverLog) []balance.Handover {
	t.Helper()
	hs, err := l.Pending()
	require.NoError(t, err)
	return hs
}

func TestHandoverJSONRoundTrip(t *testing.T) {
	t.Parallel()
	o := balance.Offer{Cases: []string{"c1", "c2"}, Group: "f", From: "ann", To: "bob", Team: "south",
		Kind: balance.KindMove, Reasons: []balance.Reason{{Code: balance.CodeLoadChange, Worker: "ann", Before: 1.2, Value: 0.9, Message: "ann: utilization 120% → 90%"}}}
	h := mustOffer(t, "h1", o, mon)
	h, err := h.Reject(mon.AddDays(3), "bob", "no court experience")
	require.NoError(t, err)
	b, err := json.Marshal(h)
	require.NoError(t, err)
	var back balance.Handover
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, h, back)

	l := balance.HandoverLog{Events: h.History}
	b, err = json.Marshal(l)
	require.NoError(t, err)
	var lback balance.HandoverLog
	require.NoError(t, json.Unmarshal(b, &lback))
	assert.Equal(t, l, lback)
	hs, err := lback.Handovers()
	require.NoError(t, err)
	assert.Equal(t, []balance.Handover{h}, hs)
}

func TestHandoverSignals(t *testing.T) {
	t.Parallel()
	h := mustOffer(t, "h1", offerOf("c1"), mon)
	done, err := mustOffer(t, "h2", offerOf("c2"), mon).Accept(mon, "")
	require.NoError(t, err)
	// Offered on Monday 2 March: answered in time through Thursday
	// (3 working days), late from Friday, critical from the 11th
	// working day, Tuesday 17 March.
	tests := []struct {
		asOf   civil.Date
		codes  int
		sev    string
		waited float64
	}{
		{mon, 0, "", 0},
		{civil.NewDate(2026, 3, 5), 0, "", 0},
		{civil.NewDate(2026, 3, 6), 1, "warning", 4},
		{civil.NewDate(2026, 3, 8), 1, "warning", 4}, // the weekend adds nothing
		{civil.NewDate(2026, 3, 16), 1, "warning", 10},
		{civil.NewDate(2026, 3, 17), 1, "critical", 11},
	}
	for _, tc := range tests {
		got, err := balance.HandoverSignals([]balance.Handover{h, done}, tc.asOf, nil)
		require.NoError(t, err)
		require.Len(t, got, tc.codes, "on %s", tc.asOf)
		if tc.codes == 0 {
			continue
		}
		s := got[0]
		assert.Equal(t, balance.SignalHandoverLate, s.Code)
		assert.Equal(t, tc.sev, s.Severity.String(), "on %s", tc.asOf)
		assert.Equal(t, tc.waited, s.Value, "on %s", tc.asOf)
		assert.Equal(t, civil.NewDate(2026, 3, 6), s.Since)
		assert.NoError(t, s.Check())
		assert.Contains(t, s.Message, `"ann"`)
		assert.Contains(t, s.Message, `"bob"`)
		assert.Contains(t, s.Message, `"c1"`)
	}
	_, err = balance.HandoverSignals(nil, mon, &balance.HandoverOptions{Warn: 5, Critical: 4})
	require.ErrorIs(t, err, balance.ErrBadOption)
	_, err = balance.HandoverSignals(nil, mon, &balance.HandoverOptions{Warn: -1})
	require.ErrorIs(t, err, balance.ErrBadOption)
	_, err = balance.HandoverSignals(nil, civil.Date{}, nil)
	require.True(t, errors.Is(err, balance.ErrNoDate))
}
