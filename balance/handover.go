package balance

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"github.com/caseload/caseload/civil"
)

// Sentinel errors of handovers, wrapped by the [*InputError] that names
// the handover (and the case, where one is at fault). Test for them
// with [errors.Is].
var (
	// ErrNotPending: the handover was already accepted, rejected,
	// revoked or expired, so it cannot be answered again.
	ErrNotPending = errors.New("balance: handover not pending")
	// ErrInTransit: the case is already in a pending handover; answer
	// or revoke that one first.
	ErrInTransit = errors.New("balance: case already in transit")
	// ErrNoReason: a rejection must carry the receiver's reason.
	ErrNoReason = errors.New("balance: rejection without a reason")
	// ErrBackdated: an event is dated before the handover's last event.
	ErrBackdated = errors.New("balance: event dated before the handover's last event")
	// ErrUnknownHandover: an event names a handover never offered.
	ErrUnknownHandover = errors.New("balance: no such handover")
	// ErrSelfHandover: a handover to the worker who holds the case.
	ErrSelfHandover = errors.New("balance: handover to its own sender")
	// ErrUnknownAction: an event whose action is not one of the five.
	ErrUnknownAction = errors.New("balance: unknown handover action")
	// ErrNotHeld: the sender does not hold the case it offers.
	ErrNotHeld = errors.New("balance: case not held by the handover's sender")
	// ErrUnknownCase: a handover names a case the problem does not have.
	ErrUnknownCase = errors.New("balance: case not in the problem")
)

// A HandoverState is where a [Handover] stands. Only
// [HandoverOffered] is pending; the other four are final.
type HandoverState string

// Handover states.
const (
	// HandoverOffered: offered and not yet answered. The cases stay
	// with the sender and count there.
	HandoverOffered HandoverState = "offered"
	// HandoverAccepted: the receiver took the cases; they are theirs
	// from the acceptance date.
	HandoverAccepted HandoverState = "accepted"
	// HandoverRejected: the receiver refused, with a reason. Nothing
	// moved.
	HandoverRejected HandoverState = "rejected"
	// HandoverRevoked: the sender (or the team leader) took the offer
	// back. Nothing moved.
	HandoverRevoked HandoverState = "revoked"
	// HandoverExpired: the case system closed the offer unanswered.
	// Nothing moved.
	HandoverExpired HandoverState = "expired"
)

// A HandoverAction is one kind of [HandoverEvent].
type HandoverAction string

// Handover actions: an offer opens a handover; each of the other four
// closes a pending one.
const (
	ActionOffer  HandoverAction = "offer"
	ActionAccept HandoverAction = "accept"
	ActionReject HandoverAction = "reject"
	ActionRevoke HandoverAction = "revoke"
	ActionExpire HandoverAction = "expire"
)

// closing returns the state a closing action leaves, and false for an
// action that does not close a handover.
func closing(a HandoverAction) (HandoverState, bool) {
	switch a {
	case ActionAccept:
		return HandoverAccepted, true
	case ActionReject:
		return HandoverRejected, true
	case ActionRevoke:
		return HandoverRevoked, true
	case ActionExpire:
		return HandoverExpired, true
	}
	return "", false
}

// An Offer is what a handover offers: one case or a whole family, from
// the worker who holds it to another worker, possibly in another team.
type Offer struct {
	// Cases are the IDs of the cases offered: one, or the cases of a
	// family that goes as a whole. It must not be empty nor hold an ID
	// twice.
	Cases []string `json:"cases"`
	// Group is the family the cases belong to, if any; for display.
	Group string `json:"group,omitempty"`
	// From is the worker who holds the cases. Empty means the intake
	// queue: a placement offered to its first worker.
	From string `json:"from,omitempty"`
	// To is the worker the cases are offered to; it must be set.
	To string `json:"to"`
	// Team names the receiver's team when it is not the sender's; empty
	// means the same team. See [HandoverLog.Apply].
	Team string `json:"team,omitempty"`
	// Kind is the kind of the proposal's move the offer comes from;
	// empty for an offer made by hand.
	Kind MoveKind `json:"kind,omitempty"`
	// Reasons say why the cases are offered, such as the reasons of the
	// proposal's moves, one set per case.
	Reasons []Reason `json:"reasons,omitempty"`
}

// A HandoverEvent is one step in the life of a handover, as the case
// system records it: an offer, then at most one answer.
type HandoverEvent struct {
	// Handover is the handover's ID, unique in its log.
	Handover string `json:"handover"`
	// Action is what happened.
	Action HandoverAction `json:"action"`
	// Date is when it happened; it must be set, and not before the
	// handover's previous event.
	Date civil.Date `json:"date"`
	// By names who acted, as the case system knows them. Empty means
	// the party the action belongs to: the sender for an offer or a
	// revocation, the receiver for an acceptance or a rejection, the
	// case system for an expiry.
	By string `json:"by,omitempty"`
	// Note is the actor's own words: the receiver's reason for a
	// rejection (required), or a note with any other action.
	Note string `json:"note,omitempty"`
	// Offer is what is offered, on an offer event only; nil otherwise.
	Offer *Offer `json:"offer,omitempty"`
}

// A Handover offers a case, or a whole family, from the worker who
// holds it to another worker, and records the answer. Until it is
// accepted the cases stay with the sender: every count, load, score and
// bound sees them there, and [Incoming] shows them on the receiver.
// Acceptance moves them in one step; a rejection, revocation or expiry
// moves nothing.
//
// A Handover is a value: its transitions ([Handover.Accept],
// [Handover.Reject], [Handover.Revoke], [Handover.Expire]) return a new
// Handover and leave the old one as it was, or an error for a
// transition that is not allowed. [HandoverLog] keeps the events and
// replays them.
type Handover struct {
	// ID names the handover; it must be unique in its log and not
	// empty.
	ID string `json:"id"`
	// Offer is what was offered.
	Offer
	// State is where the handover stands.
	State HandoverState `json:"state"`
	// Offered is the date of the offer; Answered the date of the event
	// that closed it, zero while it is pending.
	Offered  civil.Date `json:"offered"`
	Answered civil.Date `json:"answered,omitzero"`
	// Note is the note of the closing event: for a rejection, the
	// receiver's reason. Empty while pending.
	Note string `json:"note,omitempty"`
	// History lists every event, the offer first.
	History []HandoverEvent `json:"history"`
}

// Pending reports whether h waits for an answer.
func (h Handover) Pending() bool { return h.State == HandoverOffered }

// OfferHandover opens a handover with the given ID: o offered on date
// on, by the sender unless by names someone else (the team leader). It
// returns an [*InputError] naming the handover for an empty ID, an
// unset date, an offer with no cases, an empty or repeated case ID, no
// receiver, or a receiver who is the sender within one team
// ([ErrSelfHandover]). It checks nothing against a [Problem] nor a log:
// [HandoverLog.Record] refuses a case already in transit, and
// [HandoverLog.Apply] a case the sender does not hold.
func OfferHandover(id string, o Offer, on civil.Date, by string) (Handover, error) {
	return Handover{}.transition(HandoverEvent{Handover: id, Action: ActionOffer, Date: on, By: by, Offer: &o})
}

// Accept records that the receiver accepted h on date on; by names who
// acted if not the receiver. It fails with [ErrNotPending] if h is not
// pending (accepted twice, or revoked, rejected or expired before), and
// with [ErrBackdated] or [ErrNoDate] for a bad date.
func (h Handover) Accept(on civil.Date, by string) (Handover, error) {
	return h.transition(HandoverEvent{Handover: h.ID, Action: ActionAccept, Date: on, By: by})
}

// Reject records that the receiver refused h on date on, for the given
// reason, which must not be empty ([ErrNoReason]). Nothing moves: the
// cases never left. It fails as [Handover.Accept] does.
func (h Handover) Reject(on civil.Date, by, reason string) (Handover, error) {
	return h.transition(HandoverEvent{Handover: h.ID, Action: ActionReject, Date: on, By: by, Note: reason})
}

// Revoke records that the sender, or whoever by names, took h back on
// date on, with an optional note. It fails as [Handover.Accept] does.
func (h Handover) Revoke(on civil.Date, by, note string) (Handover, error) {
	return h.transition(HandoverEvent{Handover: h.ID, Action: ActionRevoke, Date: on, By: by, Note: note})
}

// Expire records that the case system closed h unanswered on date on.
// The library never expires a handover by itself: [HandoverSignals]
// warns, the case system decides. It fails as [Handover.Accept] does.
func (h Handover) Expire(on civil.Date) (Handover, error) {
	return h.transition(HandoverEvent{Handover: h.ID, Action: ActionExpire, Date: on})
}

// transition is next with its error wrapped in an [*InputError] that
// names the handover and the action.
func (h Handover) transition(e HandoverEvent) (Handover, error) {
	n, err := h.next(e)
	if err != nil {
		return h, &InputError{Field: "Handover." + actionField(e.Action), ID: cmp.Or(e.Handover, h.ID), Err: err}
	}
	return n, nil
}

// next returns h after event e, or the fault, wrapping one of the
// sentinels. The zero Handover takes only an offer. It does not modify
// h.
func (h Handover) next(e HandoverEvent) (Handover, error) {
	fail := func(err error) (Handover, error) { return h, err }
	to, closes := closing(e.Action)
	switch {
	case e.Action != ActionOffer && !closes:
		return fail(fmt.Errorf("%w %q", ErrUnknownAction, shorten(string(e.Action))))
	case closes && h.ID == "":
		return fail(ErrUnknownHandover)
	case e.Handover == "":
		return fail(ErrEmptyID)
	}
	if h.ID != "" && e.Handover != h.ID {
		return fail(fmt.Errorf("%w: event for %q", ErrUnknownHandover, shorten(e.Handover)))
	}
	if e.Date.IsZero() {
		return fail(ErrNoDate)
	}
	if e.Action != ActionOffer && e.Offer != nil {
		return fail(fmt.Errorf("%w: an offer on a %s event", ErrUnknownAction, shorten(string(e.Action))))
	}
	if e.Action == ActionOffer {
		if h.ID != "" {
			return fail(fmt.Errorf("%w: offered already on %s", ErrDuplicateID, h.Offered))
		}
		if err := checkOffer(e.Offer); err != nil {
			return fail(err)
		}
		o := *e.Offer
		o.Cases = slices.Clone(o.Cases)
		o.Reasons = slices.Clone(o.Reasons)
		e.Offer = &o
		return Handover{ID: e.Handover, Offer: o, State: HandoverOffered, Offered: e.Date, History: []HandoverEvent{e}}, nil
	}
	switch {
	case !h.Pending():
		return fail(fmt.Errorf("%w: %s on %s", ErrNotPending, h.State, h.Answered))
	case e.Date.Before(h.History[len(h.History)-1].Date):
		return fail(fmt.Errorf("%w: %s is before %s", ErrBackdated, e.Date, h.History[len(h.History)-1].Date))
	case e.Action == ActionReject && e.Note == "":
		return fail(ErrNoReason)
	}
	n := h
	n.State, n.Answered, n.Note = to, e.Date, e.Note
	n.History = append(slices.Clip(h.History), e) // a new array: h keeps its own
	return n, nil
}

// actionField names an action in an error's field, as "Accept".
func actionField(a HandoverAction) string {
	switch a {
	case ActionOffer:
		return "Offer"
	case ActionAccept:
		return "Accept"
	case ActionReject:
		return "Reject"
	case ActionRevoke:
		return "Revoke"
	case ActionExpire:
		return "Expire"
	}
	return "Action"
}

// checkOffer reports the first fault in an offer.
func checkOffer(o *Offer) error {
	switch {
	case o == nil:
		return fmt.Errorf("%w: an offer event without its offer", ErrUnknownAction)
	case len(o.Cases) == 0:
		return fmt.Errorf("%w: no cases offered", ErrEmptyID)
	case o.To == "":
		return fmt.Errorf("%w: no receiver", ErrEmptyID)
	case o.From == o.To && o.Team == "":
		return ErrSelfHandover
	}
	seen := make(map[string]bool, len(o.Cases))
	for _, c := range o.Cases {
		if c == "" {
			return fmt.Errorf("%w: an empty case ID", ErrEmptyID)
		}
		if seen[c] {
			return fmt.Errorf("%w: case %q offered twice", ErrDuplicateID, shorten(c))
		}
		seen[c] = true
	}
	return nil
}
