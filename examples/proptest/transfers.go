package main

import (
	"slices"

	"github.com/caseload/caseload/balance"
)

// A Transfer is a file on its way from one caseworker to another, as
// the office's records keep it until the receiver answers.
type Transfer struct {
	// ID is the handover's ID in the case system.
	ID string
	// Files are the numbers of the files transferred.
	Files []string
	// From and To are the logins of the sender and the receiver; From
	// is empty for a file that waits for a handler. Office names the
	// receiving office when it is another; empty means this one.
	From, To, Office string
}

// transferBook is the office's second adapter: it keeps the office's
// records up to date as handover events arrive from the case system. A
// transferred file stays with its sender until the receiver accepts.
type transferBook struct {
	office  Office
	waiting []Transfer
	log     balance.HandoverLog
}

// record takes one event: balance checks it against the log, and the
// office's records follow.
func (b *transferBook) record(e balance.HandoverEvent) error {
	l, err := b.log.Record(e)
	if err != nil {
		return err
	}
	b.log = l
	if e.Action == balance.ActionOffer {
		b.waiting = append(b.waiting, Transfer{ID: e.Handover, Files: slices.Clone(e.Offer.Cases),
			From: e.Offer.From, To: e.Offer.To, Office: e.Offer.Team})
		return nil
	}
	i := slices.IndexFunc(b.waiting, func(t Transfer) bool { return t.ID == e.Handover })
	t := b.waiting[i]
	b.waiting = slices.Delete(b.waiting, i, i+1)
	if e.Action != balance.ActionAccept {
		return nil
	}
	files := b.office.Files[:0:0]
	for _, f := range b.office.Files {
		switch {
		case !slices.Contains(t.Files, f.Number):
		case t.Office != "":
			continue // to another office: no longer ours
		default:
			f.Handler, f.Locked = t.To, false
		}
		files = append(files, f)
	}
	b.office.Files = files
	return nil
}

// pending returns the transfers that wait for an answer as balance
// names them.
func (b *transferBook) pending() []balance.Handover {
	var hs []balance.Handover
	for _, t := range b.waiting {
		hs = append(hs, balance.Handover{ID: t.ID, State: balance.HandoverOffered,
			Offer: balance.Offer{Cases: slices.Clone(t.Files), From: t.From, To: t.To, Team: t.Office}})
	}
	return hs
}
