package balancetest

import (
	"slices"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
)

// A Scenario is a small named problem with a known best answer: a
// fixture for tests of code that proposes rebalances.
type Scenario struct {
	// Name is short, unique among the scenarios, and in kebab case.
	Name string
	// About says in a sentence or two what the scenario tests and why
	// its best is what it is.
	About string
	// Problem is the team; Options the options to propose with, nil for
	// the defaults.
	Problem balance.Problem
	Options *balance.RebalanceOptions
	// Best is the least maximum utilization, as a fraction of capacity
	// (1 is exactly full; under [balance.PolicyCounts], cases per hour of
	// capacity), that any valid proposal reaches, once as many cases are
	// placed as can be and as little load as can be is left on workers
	// without capacity. It is proven by exhaustive search in this
	// package's tests. Zero means no worker with capacity ends with any
	// load.
	Best float64
	// Unplaceable lists by ID, sorted, the cases no valid proposal
	// places; nil means every case is placed.
	Unplaceable []string
}

// Check reports whether pr, a proposal for the scenario, keeps every
// invariant ([CheckProposal]), reaches the scenario's best maximum
// utilization (to a relative 1e-9) and leaves exactly its unplaceable
// cases unplaced; a shortfall wraps [ErrBest].
func (s Scenario) Check(pr *balance.Proposal) error {
	var r report
	if err := CheckProposal(s.Problem, s.Options, pr); err != nil {
		r.errs = append(r.errs, err)
	}
	if pr == nil {
		return r.err()
	}
	if !near(pr.MaxUtilization, s.Best) {
		r.addf(ErrBest, "", "", "", "scenario %q: maximum utilization %v, best %v", s.Name, pr.MaxUtilization, s.Best)
	}
	var unplaced []string
	for _, u := range pr.Unplaceable {
		unplaced = append(unplaced, u.Case)
	}
	slices.Sort(unplaced)
	if !slices.Equal(unplaced, s.Unplaceable) {
		r.addf(ErrBest, "", "", "", "scenario %q: unplaceable %q, want %q", s.Name, unplaced, s.Unplaceable)
	}
	return r.err()
}

// String returns the scenario's name.
func (s Scenario) String() string { return s.Name }

// Scenarios returns the reference scenarios, fresh copies each time so
// that callers may change them. They are small enough for exhaustive
// search: at most 5 workers and 10 cases.
func Scenarios() []Scenario {
	wed := civil.NewDate(2026, 3, 4) // a Wednesday
	fri := civil.NewDate(2026, 3, 6) // a Friday
	queued := func(id string, w balance.HoursPerWeek) balance.Case { return balance.Case{ID: id, Weight: w} }
	held := func(id string, w balance.HoursPerWeek, owner string) balance.Case {
		return balance.Case{ID: id, Weight: w, Owner: owner}
	}
	worker := func(id string, c balance.HoursPerWeek) balance.Worker { return balance.Worker{ID: id, Capacity: c} }
	return []Scenario{
		{
			Name: "lpt-trap",
			About: "Five queued cases on two equal workers: heaviest first on the emptiest gives 3+2+2 against 3+2, " +
				"7/6, while 3+3 against 2+2+2 fills both exactly.",
			Problem: balance.Problem{AsOf: wed,
				Workers: []balance.Worker{worker("ann", 6), worker("bob", 6)},
				Cases:   []balance.Case{queued("a", 3), queued("b", 3), queued("c", 2), queued("d", 2), queued("e", 2)},
			},
			Best: 1,
		},
		{
			Name: "family-together",
			About: "A family of three queued cases stays with one worker, who ends at 15/20, " +
				"though spread over three workers they would end at 5/20 each.",
			Problem: balance.Problem{AsOf: wed,
				Workers: []balance.Worker{worker("ann", 20), worker("bob", 20), worker("cas", 20)},
				Cases: []balance.Case{
					{ID: "jansen-1", Weight: 5, Group: "jansen"},
					{ID: "jansen-2", Weight: 5, Group: "jansen"},
					{ID: "jansen-3", Weight: 5, Group: "jansen"},
				},
			},
			Best: 0.75,
		},
		{
			Name: "family-must-split",
			About: "A family whose cases need court and Arabic, which no worker holds both of, " +
				"must split: the court case to ann, the Arabic one to bob, the third to anyone.",
			Problem: balance.Problem{AsOf: wed,
				Workers: []balance.Worker{
					{ID: "ann", Capacity: 20, Skills: []string{"court"}},
					{ID: "bob", Capacity: 20, Skills: []string{"arabic"}},
					worker("cas", 20),
				},
				Cases: []balance.Case{
					{ID: "yilmaz-1", Weight: 6, Group: "yilmaz", Skills: []string{"court"}},
					{ID: "yilmaz-2", Weight: 6, Group: "yilmaz", Skills: []string{"arabic"}},
					{ID: "yilmaz-3", Weight: 6, Group: "yilmaz"},
				},
			},
			Best: 0.3,
		},
		{
			Name: "family-joins-holder",
			About: "The new case of a family goes to the worker who holds the family, " +
				"though another worker is emptier.",
			Problem: balance.Problem{AsOf: wed,
				Workers: []balance.Worker{worker("ann", 20), worker("bob", 20)},
				Cases: []balance.Case{
					{ID: "bakker-1", Weight: 8, Owner: "ann", Group: "bakker"},
					{ID: "bakker-2", Weight: 4, Group: "bakker"},
					{ID: "other", Weight: 2, Owner: "bob"},
				},
			},
			Best: 0.6,
		},
		{
			Name: "rare-skill",
			About: "Only ann speaks sign language, and three queued cases need it; one move takes " +
				"her ordinary case to another worker to make room.",
			Problem: balance.Problem{AsOf: wed,
				Workers: []balance.Worker{
					{ID: "ann", Capacity: 16, Skills: []string{"sign-language"}},
					worker("bob", 32), worker("cas", 32),
				},
				Cases: []balance.Case{
					held("ordinary", 6, "ann"),
					{ID: "sign-1", Weight: 4, Skills: []string{"sign-language"}},
					{ID: "sign-2", Weight: 4, Skills: []string{"sign-language"}},
					{ID: "sign-3", Weight: 4, Skills: []string{"sign-language"}},
					queued("q1", 8), queued("q2", 8),
				},
			},
			Options: &balance.RebalanceOptions{MaxMoves: 1},
			Best:    0.75,
		},
		{
			Name: "everyone-declines",
			About: "Every worker declined one queued case, which no one may take; " +
				"the rest spread evenly.",
			Problem: balance.Problem{AsOf: wed,
				Workers: []balance.Worker{worker("ann", 20), worker("bob", 20), worker("cas", 20)},
				Cases: []balance.Case{
					{ID: "declined", Weight: 4, Declines: []balance.Decline{
						{Worker: "ann", Reason: "neighbour"}, {Worker: "bob", Reason: "treated the mother"},
						{Worker: "cas", Reason: "threatened by the father"}}},
					queued("a", 6), queued("b", 6), queued("c", 6),
				},
			},
			Best:        0.3,
			Unplaceable: []string{"declined"},
		},
		{
			Name: "leave-soon",
			About: "On a Friday, ann's leave starts the next Thursday, within the look-ahead of five " +
				"working days: she takes nothing new, and the others fill up.",
			Problem: balance.Problem{AsOf: fri,
				Workers: []balance.Worker{
					{ID: "ann", Capacity: 20, Absences: []civil.Period{{From: fri.AddDays(6), To: fri.AddDays(20)}}},
					worker("bob", 20), worker("cas", 20),
				},
				Cases: []balance.Case{held("ann-1", 2, "ann"), queued("a", 10), queued("b", 10), queued("c", 10)},
			},
			Best: 1,
		},
		{
			Name: "pinned-overload",
			About: "Ann's pinned cases take her to 120% whatever happens; her one unpinned case " +
				"moves off, so that she ends at the pinned load.",
			Problem: balance.Problem{AsOf: wed,
				Workers: []balance.Worker{worker("ann", 20), worker("bob", 20)},
				Cases: []balance.Case{
					{ID: "p1", Weight: 14, Owner: "ann", Pinned: true},
					{ID: "p2", Weight: 10, Owner: "ann", Pinned: true},
					held("loose", 3, "ann"), held("b1", 4, "bob"), queued("new", 6),
				},
			},
			Options: &balance.RebalanceOptions{MaxMoves: -1},
			Best:    1.2,
		},
		{
			Name: "zero-capacity",
			About: "Ann has no capacity for casework (side duties fill her week) but holds two cases: " +
				"both move off first, and then the others even out.",
			Problem: balance.Problem{AsOf: wed,
				Workers: []balance.Worker{worker("ann", 0), worker("bob", 20), worker("cas", 20)},
				Cases:   []balance.Case{held("a1", 5, "ann"), held("a2", 3, "ann"), held("b1", 10, "bob"), held("c1", 4, "cas")},
			},
			Options: &balance.RebalanceOptions{MaxMoves: -1},
			Best:    0.6,
		},
		{
			Name: "tight-budget",
			About: "Ann holds four cases at 90% and the others are nearly empty; with one move " +
				"the best is to give away her heaviest case.",
			Problem: balance.Problem{AsOf: wed,
				Workers: []balance.Worker{worker("ann", 20), worker("bob", 20), worker("cas", 20)},
				Cases:   []balance.Case{held("a1", 6, "ann"), held("a2", 5, "ann"), held("a3", 4, "ann"), held("a4", 3, "ann"), held("b1", 2, "bob")},
			},
			Options: &balance.RebalanceOptions{MaxMoves: 1},
			Best:    0.6,
		},
		{
			Name: "sick-keeps-cases",
			About: "Ann has been sick since last week with no end date: she keeps her cases, " +
				"whose load still counts, and the queue goes to the others.",
			Problem: balance.Problem{AsOf: wed,
				Workers: []balance.Worker{
					{ID: "ann", Capacity: 20, Absences: []civil.Period{{From: wed.AddDays(-9)}}},
					worker("bob", 20), worker("cas", 20),
				},
				Cases: []balance.Case{held("a1", 12, "ann"), held("a2", 6, "ann"), held("b1", 4, "bob"), held("c1", 2, "cas"), queued("new", 8)},
			},
			Options: &balance.RebalanceOptions{MaxMoves: -1},
			Best:    0.9,
		},
		{
			Name: "sick-replaced",
			About: "The same team when the team re-places a long absence's cases: " +
				"ann's cases go to the others as if queued, without counting as moves.",
			Problem: balance.Problem{AsOf: wed,
				Workers: []balance.Worker{
					{ID: "ann", Capacity: 20, Absences: []civil.Period{{From: wed.AddDays(-9)}}},
					worker("bob", 20), worker("cas", 20),
				},
				Cases: []balance.Case{held("a1", 12, "ann"), held("a2", 6, "ann"), held("b1", 4, "bob"), held("c1", 2, "cas"), queued("new", 8)},
			},
			Options: &balance.RebalanceOptions{ReplaceAway: true},
			Best:    0.8,
		},
		{
			Name: "intake-paused",
			About: "Ann's intake is paused for a fortnight after an incident: she keeps her " +
				"cases, but the queue goes to the others though she is the emptiest.",
			Problem: balance.Problem{AsOf: wed,
				Workers: []balance.Worker{
					{ID: "ann", Capacity: 20, Pause: &balance.Pause{Until: wed.AddDays(14), Reason: "relief after an incident"}},
					worker("bob", 20), worker("cas", 20),
				},
				Cases: []balance.Case{held("a1", 2, "ann"), held("b1", 6, "bob"), held("c1", 4, "cas"), queued("q1", 8), queued("q2", 6)},
			},
			Best: 0.6,
		},
		{
			Name: "caseload-norm",
			About: "Ann has the most room in hours but a caseload norm of two cases: she takes one " +
				"more, and the other two queued cases go to the smaller contracts.",
			Problem: balance.Problem{AsOf: wed,
				Workers: []balance.Worker{
					{ID: "ann", Capacity: 32, CaseloadNorm: balance.CaseloadNorm(2)},
					worker("bob", 16), worker("cas", 16),
				},
				Cases: []balance.Case{held("a1", 4, "ann"), held("b1", 8, "bob"), held("c1", 4, "cas"), queued("q1", 4), queued("q2", 4), queued("q3", 4)},
			},
			Best: 0.75,
		},
		{
			Name: "hard-capacity",
			About: "Under hard capacity a queued case that would take anyone over capacity waits, " +
				"and the smaller one is placed.",
			Problem: balance.Problem{AsOf: wed,
				Workers: []balance.Worker{worker("ann", 10), worker("bob", 10)},
				Cases:   []balance.Case{held("a1", 6, "ann"), held("b1", 7, "bob"), queued("big", 5), queued("small", 3)},
			},
			Options:     &balance.RebalanceOptions{HardCapacity: true},
			Best:        0.9,
			Unplaceable: []string{"big"},
		},
		{
			Name:  "orphaned",
			About: "A case whose worker left the team is placed again, with the emptiest worker.",
			Problem: balance.Problem{AsOf: wed,
				Workers: []balance.Worker{worker("ann", 20), worker("bob", 20)},
				Cases:   []balance.Case{held("a1", 10, "ann"), held("b1", 4, "bob"), held("left", 6, "dana")},
			},
			Best: 0.5,
		},
		{
			Name: "counts-policy",
			About: "Evening out case counts rather than hours: two cases move from the smaller " +
				"contract to the larger, whatever they weigh, so that both carry one case per nine hours.",
			Problem: balance.Problem{AsOf: wed,
				Workers: []balance.Worker{worker("ann", 36), worker("bob", 18)},
				Cases: []balance.Case{held("a1", 10, "ann"), held("a2", 10, "ann"),
					held("b1", 1, "bob"), held("b2", 1, "bob"), held("b3", 1, "bob"), held("b4", 1, "bob")},
			},
			Options: &balance.RebalanceOptions{MaxMoves: -1, Policy: balance.PolicyCounts},
			Best:    1.0 / 9,
		},
	}
}
