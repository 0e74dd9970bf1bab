package balancetest_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/caseload/caseload/civil"
)

func ExampleProblemGen() {
	// Example draws without a test: handy to see what a Shape gives.
	g := balancetest.ProblemGen(balancetest.Shape{Workers: 3, MinWorkers: 3, Cases: 4, MinCases: 4, AsOf: civil.NewDate(2026, 3, 4)})
	p := g.Example(1)
	_, err := balance.Prepare(p, nil)
	fmt.Println(len(p.Workers), "workers,", len(p.Cases), "cases, valid:", err == nil)
	// Output:
	// 3 workers, 4 cases, valid: true
}

func ExampleGenerate() {
	p := balancetest.Generate(1, balancetest.TeamSize())
	var load, capacity balance.HoursPerWeek
	for _, c := range p.Cases {
		load += c.Weight
	}
	for _, w := range p.Workers {
		capacity += w.Capacity
	}
	fmt.Printf("%d workers, %d cases on %v: %v of work for %v of capacity\n", len(p.Workers), len(p.Cases), p.AsOf, load, capacity)
	// Output:
	// 25 workers, 600 cases on 2026-03-02: 596.4 h/wk of work for 627.8 h/wk of capacity
}

func ExampleCheckProposal() {
	s := balancetest.Scenarios()[0]
	pr, err := balance.Propose(context.Background(), s.Problem, s.Options)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("as proposed:", balancetest.CheckProposal(s.Problem, s.Options, pr))

	// A proposal that loses a case.
	pr.Assignment = pr.Assignment[1:]
	err = balancetest.CheckProposal(s.Problem, s.Options, pr)
	fmt.Println("a case lost:", errors.Is(err, balancetest.ErrAssignment))
	var v *balancetest.Violation
	if errors.As(err, &v) {
		fmt.Println(v)
	}
	// Output:
	// as proposed: <nil>
	// a case lost: true
	// balancetest: assignment does not list every case once: case "a": missing from the assignment
}

func ExampleCheckRanking() {
	p := balance.Problem{
		AsOf: civil.NewDate(2026, 3, 4),
		Workers: []balance.Worker{
			{ID: "ann", Capacity: 32, Skills: []string{"court"}},
			{ID: "bob", Capacity: 32},
		},
	}
	c := balance.Case{ID: "de-boer", Weight: 6, Skills: []string{"court"}}
	r, err := balance.Rank(p, c, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("as ranked:", balancetest.CheckRanking(p, c, nil, r))

	// A ranking that lets bob take a court case.
	bob := &r.Candidates[1]
	bob.Eligible, bob.Rank, bob.Score, r.Eligible = true, 2, bob.UtilizationAfter, 2
	fmt.Println(balancetest.CheckRanking(p, c, nil, r))
	// Output:
	// as ranked: <nil>
	// balancetest: reasons disagree with the eligibility rule: case "de-boer", worker "bob": eligible, but the rule says out: [missing-skill]
	// balancetest: reasons disagree with the eligibility rule: case "de-boer", worker "bob": eligible, with reason "missing-skill"
}

func ExampleIneligible() {
	asOf := civil.NewDate(2026, 3, 6) // a Friday
	p := balance.Problem{AsOf: asOf}
	w := balance.Worker{ID: "ann", Capacity: 32,
		Absences: []civil.Period{{From: asOf.AddDays(6)}}} // from Thursday, no end known
	c := balance.Case{ID: "de-boer", Weight: 6, Skills: []string{"court"}}
	fmt.Println(balancetest.Ineligible(p, w, c, nil))
	fmt.Println(balancetest.Ineligible(p, w, c, &balance.Options{LeaveLookahead: 3}))
	// Output:
	// [missing-skill leave-soon]
	// [missing-skill]
}

func ExampleScenarios() {
	for _, s := range balancetest.Scenarios()[:4] {
		pr, err := balance.Propose(context.Background(), s.Problem, s.Options)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: best %.3f, proposed %.3f, check %v\n", s.Name, s.Best, pr.MaxUtilization, s.Check(pr))
	}
	// Output:
	// lpt-trap: best 1.000, proposed 1.000, check <nil>
	// family-together: best 0.750, proposed 0.750, check <nil>
	// family-must-split: best 0.300, proposed 0.300, check <nil>
	// family-joins-holder: best 0.600, proposed 0.600, check <nil>
}

// printer is a TB that prints what a test would report.
type printer struct{}

func (printer) Helper()                           {}
func (printer) Errorf(format string, args ...any) { fmt.Printf(format+"\n", args...) }

func ExampleVerify() {
	s := balancetest.Scenarios()[0]
	pr, err := balance.Propose(context.Background(), s.Problem, s.Options)
	if err != nil {
		log.Fatal(err)
	}
	pr.Bound = 2 * pr.MaxUtilization // a bound above the proposal
	pr.Gap = (pr.MaxUtilization - pr.Bound) / pr.Bound
	// In a test, pass the *testing.T or *rapid.T instead of printer.
	balancetest.Verify(printer{}, s.Problem, s.Options, pr)
	// Output:
	// balancetest: bound above the proposal: Bound 2 is above MaxUtilization 1
}

func ExampleCheckSignals() {
	asOf := civil.NewDate(2026, 3, 4)
	p := balance.Problem{
		AsOf: asOf,
		Workers: []balance.Worker{
			{ID: "ann", Capacity: 20},
			{ID: "bob", Capacity: 20, Pause: &balance.Pause{Until: asOf.AddDays(2), Reason: "relief after an incident"}},
		},
		Cases: []balance.Case{{ID: "a1", Weight: 23, Owner: "ann"}},
	}
	team, err := balance.Prepare(p, nil)
	if err != nil {
		log.Fatal(err)
	}
	ss, err := team.Signals(nil, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range ss {
		fmt.Printf("%s: %s\n", s.Code, s.Message)
	}
	fmt.Println("check:", balancetest.CheckSignals(p, nil, nil, nil, ss))
	// Output:
	// load.over: ann is at 115% of capacity, above 110%
	// team.imbalance: the team's load is uneven: utilization runs from 0% to 115% around a mean of 57% (coefficient of variation 1.00, above 0.20)
	// intake.pause-ends: bob's intake pause ends on 2026-03-06; time to talk about their return to intake
	// intake.paused: bob's intake is paused until 2026-03-06: relief after an incident
	// check: <nil>
}
