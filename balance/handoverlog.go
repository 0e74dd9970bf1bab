package balance

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/caseload/caseload/civil"
)

// A HandoverLog is the record of every handover event, in the order the
// case system recorded them. It is plain data: the case system stores
// it as JSON and replays it to learn where every handover stands
// ([HandoverLog.Handovers]) and who holds every case
// ([HandoverLog.Apply]).
//
// Its methods do not modify the log; [HandoverLog.Record] returns a new
// one. Each replays the whole log, in O(e + c) time for e events
// naming c cases, with hashing of every ID.
type HandoverLog struct {
	// Events are the events in the order they happened.
	Events []HandoverEvent `json:"events"`
}

// A ledger is a log replayed: every handover, and the pending handover
// of each case in transit.
type ledger struct {
	list    []Handover       // in order of offer
	byID    map[string]int   // handover ID → index in list
	transit map[string]int32 // case ID → index in list of its pending handover
}

func newLedger() *ledger {
	return &ledger{byID: map[string]int{}, transit: map[string]int32{}}
}

// step applies event e, the log's event number i, or returns the fault
// as an [*InputError] naming the event and the handover.
func (lg *ledger) step(i int, e HandoverEvent) error {
	fail := func(err error) error {
		return &InputError{Field: "Events[" + strconv.Itoa(i) + "]", ID: e.Handover, Err: err}
	}
	k, known := lg.byID[e.Handover]
	if e.Action == ActionOffer {
		if known {
			return fail(fmt.Errorf("%w: handover offered already on %s", ErrDuplicateID, lg.list[k].Offered))
		}
		if e.Offer != nil {
			for _, c := range e.Offer.Cases {
				if j, busy := lg.transit[c]; busy {
					return fail(fmt.Errorf("%w: case %q is in handover %q", ErrInTransit, shorten(c), shorten(lg.list[j].ID)))
				}
			}
		}
		h, err := Handover{}.next(e)
		if err != nil {
			return fail(err)
		}
		lg.byID[h.ID] = len(lg.list)
		for _, c := range h.Cases {
			lg.transit[c] = int32(len(lg.list))
		}
		lg.list = append(lg.list, h)
		return nil
	}
	if !known {
		if _, ok := closing(e.Action); !ok {
			return fail(fmt.Errorf("%w %q", ErrUnknownAction, shorten(string(e.Action))))
		}
		return fail(ErrUnknownHandover)
	}
	h, err := lg.list[k].next(e)
	if err != nil {
		return fail(err)
	}
	lg.list[k] = h
	for _, c := range h.Cases {
		delete(lg.transit, c)
	}
	return nil
}

// replay replays the log, stopping at the first fault: every later
// event may depend on it.
func (l HandoverLog) replay() (*ledger, error) {
	lg := newLedger()
	for i, e := range l.Events {
		if err := lg.step(i, e); err != nil {
			return nil, err
		}
	}
	return lg, nil
}

// Record returns a new log with events appended, after checking each
// against the log: an offer with a new handover ID whose cases are not
// in transit, and answers to pending handovers only, dated no earlier
// than their last event, a rejection with its reason. It returns l
// unchanged and an [*InputError] naming the event ("Events[12]") and
// the handover, wrapping [ErrInTransit], [ErrNotPending],
// [ErrUnknownHandover], [ErrDuplicateID], [ErrNoReason],
// [ErrBackdated], [ErrSelfHandover], [ErrEmptyID], [ErrNoDate] or
// [ErrUnknownAction], for the first event that fails, or for the first
// fault in l itself. Either all events are recorded or none.
//
// Record does not check the cases against a [Problem]: that the sender
// holds what they offer is checked by [HandoverLog.Apply].
func (l HandoverLog) Record(events ...HandoverEvent) (HandoverLog, error) {
	lg, err := l.replay()
	if err != nil {
		return l, err
	}
	for k, e := range events {
		if err := lg.step(len(l.Events)+k, e); err != nil {
			return l, err
		}
	}
	return HandoverLog{Events: append(slices.Clip(l.Events), events...)}, nil
}

// Handovers replays the log and returns every handover, in the order
// they were offered, each with its history. It fails as
// [HandoverLog.Record] does for the first event that is not allowed.
func (l HandoverLog) Handovers() ([]Handover, error) {
	lg, err := l.replay()
	if err != nil {
		return nil, err
	}
	return lg.list, nil
}

// Pending replays the log and returns the handovers that wait for an
// answer, in the order they were offered. It fails as
// [HandoverLog.Handovers] does.
func (l HandoverLog) Pending() ([]Handover, error) {
	hs, err := l.Handovers()
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(hs, func(h Handover) bool { return !h.Pending() }), nil
}

// Apply replays the log on p, the problem as it stood before the log's
// first event, and returns the problem after it: each accepted
// handover moves its cases from the sender to the receiver, in one
// step, on its acceptance date (the case's Assigned date; a pin, which
// was the sender's, is cleared). Pending, rejected, revoked and expired
// handovers move nothing: their cases stay with the sender. Apply does
// not modify p.
//
// team names the team p describes, for handovers between teams
// ([Offer.Team]); pass "" when handovers stay within one team. A case
// accepted into another team leaves p. A case accepted into this team
// from another gets its receiver if p lists it; if not, the case
// system adds it with its owner (p has no weight for it), and until
// then [Audit] reports it as a ghost.
//
// Apply checks the log against p: each case offered within the team,
// or out of it, must be in p ([ErrUnknownCase]) and held by the sender
// when it is offered ([ErrNotHeld]; an empty sender means the intake
// queue). Workers are not checked: a sender who left the team leaves
// their cases orphaned, and [Propose] places them again like any
// other; a receiver who accepts and is not on the team leaves them
// orphaned too. Apply returns p and an error joining one
// [*InputError] per fault, naming the event and the handover, or the
// error of [HandoverLog.Record] for a log that does not replay.
//
// The time complexity is O(n + e) for n cases and e events.
func (l HandoverLog) Apply(p Problem, team string) (Problem, error) {
	index := make(map[string]int, len(p.Cases))
	for i := len(p.Cases) - 1; i >= 0; i-- {
		index[p.Cases[i].ID] = i // the first case with each ID
	}
	q := p
	q.Cases = slices.Clone(p.Cases)
	gone := make([]bool, len(q.Cases))
	var errs []error
	lg := newLedger()
	for i, e := range l.Events {
		if err := lg.step(i, e); err != nil {
			return p, err
		}
		k := lg.byID[e.Handover]
		h := &lg.list[k]
		ours := h.Team == "" || h.Team != team // the sender is in p's team
		switch {
		case e.Action == ActionOffer && ours:
			for _, c := range h.Cases {
				j, ok := index[c]
				switch {
				case !ok || gone[j]:
					errs = append(errs, &InputError{Field: "Events[" + strconv.Itoa(i) + "]", ID: h.ID,
						Err: fmt.Errorf("%w: case %q", ErrUnknownCase, shorten(c))})
				case q.Cases[j].Owner != h.From:
					errs = append(errs, &InputError{Field: "Events[" + strconv.Itoa(i) + "]", ID: h.ID,
						Err: fmt.Errorf("%w: case %q is held by %s, not %s", ErrNotHeld, shorten(c), holder(q.Cases[j].Owner), holder(h.From))})
				}
			}
		case e.Action == ActionAccept:
			for _, c := range h.Cases {
				j, ok := index[c]
				if !ok || gone[j] {
					continue // reported at the offer, or not yet in the receiving team
				}
				if h.Team != "" && h.Team != team {
					gone[j] = true
					continue
				}
				cs := &q.Cases[j]
				cs.Owner, cs.Assigned, cs.Pinned = h.To, e.Date, false
			}
		}
	}
	if len(errs) > 0 {
		return p, joinErrors(errs)
	}
	if slices.Contains(gone, true) {
		kept := q.Cases[:0]
		for j, c := range q.Cases {
			if !gone[j] {
				kept = append(kept, c)
			}
		}
		q.Cases = kept
	}
	return q, nil
}

// holder names who holds a case in a message: the worker's ID, quoted,
// or the intake queue.
func holder(id string) string {
	if id == "" {
		return "the intake queue"
	}
	return strconv.Quote(shorten(id))
}

// OfferProposal turns the moves of pr into offers, in one call, and
// returns the log with them recorded, dated on: a team that accepts a
// rebalance gets the offers to send, each with its move's reasons and
// kind.
//
// Every move becomes an offer: voluntary moves, placements of queued
// cases (offered from the intake queue, an empty [Offer.From]) and
// re-placements of cases whose worker left or is away. Acceptance is
// the only way a case changes hands, so a placement too waits in the
// queue, where every overview sees it, until its worker accepts. A
// team that takes only the first k steps of a proposal, or no
// placements, filters pr.Moves first.
//
// The cases of a family that move together (one group, one sender,
// one receiver, one step) go in one handover; any other move is a
// handover of its own. Handovers are numbered in the order of
// pr.Moves, with IDs prefix + "-1", prefix + "-2" and so on; the prefix
// must not be empty and no ID may already be in the log
// ([ErrDuplicateID]). A move whose case is already in transit is not
// offered, and neither is the rest of its family's handover: those
// moves are returned, in order, for the team to answer the pending
// handover first. A nil pr offers nothing.
//
// It returns l unchanged and an [*InputError] if l does not replay,
// or the prefix or the date is missing.
func (l HandoverLog) OfferProposal(pr *Proposal, on civil.Date, prefix string) (HandoverLog, []Move, error) {
	if prefix == "" {
		return l, nil, &InputError{Field: "prefix", Err: ErrEmptyID}
	}
	if on.IsZero() {
		return l, nil, &InputError{Field: "on", Err: ErrNoDate}
	}
	lg, err := l.replay()
	if err != nil || pr == nil {
		return l, nil, err
	}
	type unit struct {
		offer Offer
		moves []Move
	}
	type key struct {
		group, from, to string
		step            int
	}
	var units []unit
	family := map[key]int{}
	for _, mv := range pr.Moves {
		k := key{mv.Group, mv.From, mv.To, mv.Step}
		if x, ok := family[k]; ok && mv.Group != "" {
			u := &units[x]
			u.offer.Cases = append(u.offer.Cases, mv.Case)
			u.offer.Reasons = append(u.offer.Reasons, mv.Reasons...)
			u.moves = append(u.moves, mv)
			continue
		}
		family[k] = len(units)
		units = append(units, unit{
			offer: Offer{Cases: []string{mv.Case}, Group: mv.Group, From: mv.From, To: mv.To, Kind: mv.Kind,
				Reasons: slices.Clone(mv.Reasons)},
			moves: []Move{mv},
		})
	}
	var events []HandoverEvent
	var skipped []Move
	n := 0
	for _, u := range units {
		if slices.ContainsFunc(u.offer.Cases, func(c string) bool { _, busy := lg.transit[c]; return busy }) {
			skipped = append(skipped, u.moves...)
			continue
		}
		n++
		o := u.offer
		events = append(events, HandoverEvent{Handover: prefix + "-" + strconv.Itoa(n), Action: ActionOffer, Date: on, Offer: &o})
	}
	nl, err := l.Record(events...)
	if err != nil {
		return l, nil, err
	}
	return nl, skipped, nil
}
