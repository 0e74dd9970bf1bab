package balance_test

import (
	"fmt"
	"log"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
)

// A team leader's Monday: the team as it stands, its snapshots of the
// last four weeks, and the signals worth a conversation.
func ExampleTeam_Signals() {
	monday := civil.NewDate(2026, 3, 2)
	p := balance.Problem{
		AsOf: monday,
		Workers: []balance.Worker{
			{ID: "ann", Capacity: 30},
			{ID: "bob", Capacity: 30, Pause: &balance.Pause{Until: monday.AddDays(4), Reason: "relief after a serious incident"}},
			{ID: "cas", Capacity: 24},
		},
		Cases: []balance.Case{
			{ID: "a1", Weight: 20, Owner: "ann"}, {ID: "a2", Weight: 14, Owner: "ann"},
			{ID: "b1", Weight: 12, Owner: "bob"},
			{ID: "c1", Weight: 15, Owner: "cas"},
			{ID: "q1", Weight: 3, Arrived: monday.AddDays(-9)},
		},
	}
	team, err := balance.Prepare(p, nil)
	if err != nil {
		log.Fatal(err)
	}
	// Four weekly snapshots, as a case system would have stored them.
	var history []balance.Snapshot
	for k, load := range []balance.HoursPerWeek{34, 35, 34.5} {
		s := team.Snapshot()
		s.Date = monday.AddDays(-7 * (3 - k))
		s.Workers[0].Load = load // ann
		history = append(history, s)
	}
	signals, err := team.Signals(history, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range signals {
		fmt.Printf("%-8s %s\n", s.Severity, s.Message)
	}
	// Output:
	// critical ann is at 113% of capacity, above 110% since 2026-02-09
	// critical ann has been above 110% of capacity in each of 4 readings since 2026-02-09: an excessive workload
	// warning  case q1 has waited 6 working days for a worker, longer than 5
	// warning  the team's load is uneven: utilization runs from 40% to 113% around a mean of 72% (coefficient of variation 0.43, above 0.20)
	// info     bob's intake pause ends on 2026-03-06; time to talk about their return to intake
	// info     bob's intake is paused until 2026-03-06: relief after a serious incident
}
