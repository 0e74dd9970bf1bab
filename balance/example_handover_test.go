package balance_test

import (
	"fmt"
	"log"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
)

// A handover walks from an offer, through a rejection with the
// receiver's reason, to a new offer that is accepted. Until acceptance
// the case stays with its sender and shows as incoming on the
// receiver.
func ExampleHandoverLog() {
	p := balance.Problem{
		AsOf: civil.NewDate(2026, 3, 2),
		Workers: []balance.Worker{
			{ID: "ann", Capacity: 20}, {ID: "bob", Capacity: 30}, {ID: "cas", Capacity: 30},
		},
		Cases: []balance.Case{{ID: "fam-17", Weight: 6, Owner: "ann"}},
	}
	offer := balance.Offer{Cases: []string{"fam-17"}, From: "ann", To: "bob"}
	var l balance.HandoverLog
	steps := []balance.HandoverEvent{
		{Handover: "h1", Action: balance.ActionOffer, Date: civil.NewDate(2026, 3, 2), Offer: &offer},
		{Handover: "h1", Action: balance.ActionReject, Date: civil.NewDate(2026, 3, 3), Note: "I know the family privately"},
		{Handover: "h2", Action: balance.ActionOffer, Date: civil.NewDate(2026, 3, 3),
			Offer: &balance.Offer{Cases: []string{"fam-17"}, From: "ann", To: "cas"}},
		{Handover: "h2", Action: balance.ActionAccept, Date: civil.NewDate(2026, 3, 4)},
	}
	for _, e := range steps {
		var err error
		if l, err = l.Record(e); err != nil {
			log.Fatal(err)
		}
		now, err := l.Apply(p, "")
		if err != nil {
			log.Fatal(err)
		}
		pending, err := l.Pending()
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %-6s %s: held by %s", e.Date, e.Action, e.Handover, now.Cases[0].Owner)
		for _, in := range balance.Incoming(now, pending, "") {
			fmt.Printf(", incoming to %s: %d case (%v)", in.Worker, in.Cases, in.Load)
		}
		fmt.Println()
	}
	hs, err := l.Handovers()
	if err != nil {
		log.Fatal(err)
	}
	for _, h := range hs {
		fmt.Printf("%s %s → %s: %s %s %q\n", h.ID, h.From, h.To, h.State, h.Answered, h.Note)
	}
	// Output:
	// 2026-03-02 offer  h1: held by ann, incoming to bob: 1 case (6.0 h/wk)
	// 2026-03-03 reject h1: held by ann
	// 2026-03-03 offer  h2: held by ann, incoming to cas: 1 case (6.0 h/wk)
	// 2026-03-04 accept h2: held by cas
	// h1 ann → bob: rejected 2026-03-03 "I know the family privately"
	// h2 ann → cas: accepted 2026-03-04 ""
}
