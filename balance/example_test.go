package balance_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/caseload/caseload/civil"

	"github.com/caseload/caseload/balance"
)

// team is a small youth-protection team on 4 March 2026: weights and
// capacities in hours per week.
func team() balance.Problem {
	asOf := civil.NewDate(2026, 3, 4)
	return balance.Problem{
		AsOf: asOf,
		Workers: []balance.Worker{
			{ID: "ann", Capacity: 28.8, Skills: []string{"court"}},
			{ID: "bob", Capacity: 32, CaseloadNorm: balance.CaseloadNorm(3)},
			{ID: "cas", Capacity: 20, Skills: []string{"court"},
				Absences: []civil.Period{{From: asOf.AddDays(2), To: asOf.AddDays(16)}}},
			{ID: "dee", Capacity: 32, Skills: []string{"court", "arabic"}},
		},
		Cases: []balance.Case{
			{ID: "fam-jansen-1", Weight: 6, Owner: "ann", Group: "jansen"},
			{ID: "fam-jansen-2", Weight: 3, Owner: "ann", Group: "jansen"},
			{ID: "de-vries", Weight: 14, Owner: "ann", Assigned: asOf.AddDays(-3)},
			{ID: "bakker", Weight: 9, Owner: "bob"},
			{ID: "visser", Weight: 8, Owner: "bob"},
			{ID: "smit", Weight: 4, Owner: "bob"},
			{ID: "meijer", Weight: 12, Owner: "cas"},
			{ID: "el-amrani", Weight: 11, Owner: "dee", Skills: []string{"arabic"}},
			{ID: "mulder", Weight: 7.5, Owner: "dee", Assigned: asOf.AddDays(-20)},
		},
	}
}

func ExampleRank() {
	c := balance.Case{
		ID:       "de-boer",
		Weight:   6.5,
		Skills:   []string{"court"},
		Declines: []balance.Decline{{Worker: "dee", Reason: "knows the father"}},
	}
	r, err := balance.Rank(team(), c, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, cd := range r.Candidates {
		fmt.Printf("%d %s %v → %v:", cd.Rank, cd.Worker, cd.Load, cd.LoadAfter)
		for _, rs := range cd.Reasons {
			fmt.Printf(" %s;", rs.Message)
		}
		fmt.Println()
	}
	// Output:
	// 1 ann 23.0 h/wk → 29.5 h/wk: utilization 80% → 102%; would be over capacity: 102%; 1 new case in the last 7 days, 1 in the last 28;
	// 0 bob 21.0 h/wk → 27.5 h/wk: lacks skill "court"; at caseload norm: 4 shares after intake, norm 3;
	// 0 cas 12.0 h/wk → 18.5 h/wk: leave starts 2026-03-06, within the look-ahead;
	// 0 dee 18.5 h/wk → 25.0 h/wk: declined this case: "knows the father";
}

func ExampleRank_family() {
	r, err := balance.Rank(team(), balance.Case{ID: "fam-jansen-3", Weight: 2, Group: "jansen"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	best := r.Candidates[0]
	fmt.Println(best.Worker, best.Reasons[0].Message)
	// Output:
	// ann holds the other cases of family "jansen"
}

func ExampleTeam_Rank() {
	// Prepare once, then rank the whole intake queue at the weekly
	// allocation meeting.
	t, err := balance.Prepare(team(), nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, c := range []balance.Case{
		{ID: "q1", Weight: 3},
		{ID: "q2", Weight: 10, Skills: []string{"arabic"}},
	} {
		r, err := t.Rank(c)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s (score %.2f)\n", c.ID, r.Candidates[0].Worker, r.Candidates[0].Score)
	}
	// Output:
	// q1: dee (score 0.68)
	// q2: dee (score 0.90)
}

func ExampleScore() {
	im, err := balance.Score(team(), nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, w := range im.Workers {
		fmt.Printf("%s %v of %v = %.0f%%, %d cases\n", w.Worker, w.Load, w.Capacity, 100*w.Utilization, w.Cases)
	}
	u := im.Utilization
	fmt.Printf("utilization: max %.2f, min %.2f, Gini %.3f, Jain %.3f\n", u.Max, u.Min, u.Gini, u.Jain)
	c := im.Counts
	fmt.Printf("case counts: max %.2f, min %.2f, Gini %.3f, Jain %.3f\n", c.Max, c.Min, c.Gini, c.Jain)
	fmt.Println("bands (≤90%, ≤100%, ≤110%, >110%):", u.Bands)
	// Output:
	// ann 23.0 h/wk of 28.8 h/wk = 80%, 3 cases
	// bob 21.0 h/wk of 32.0 h/wk = 66%, 3 cases
	// cas 12.0 h/wk of 20.0 h/wk = 60%, 1 cases
	// dee 18.5 h/wk of 32.0 h/wk = 58%, 2 cases
	// utilization: max 0.80, min 0.58, Gini 0.068, Jain 0.983
	// case counts: max 1.31, min 0.63, Gini 0.156, Jain 0.925
	// bands (≤90%, ≤100%, ≤110%, >110%): [4 0 0 0]
}

func ExampleInputError() {
	p := team()
	p.Cases[1].Weight = -3
	_, err := balance.Prepare(p, nil)
	var ie *balance.InputError
	if errors.As(err, &ie) {
		fmt.Println(ie.Field, ie.ID, errors.Is(err, balance.ErrNegative))
	}
	fmt.Println(err)
	// Output:
	// Cases[1].Weight fam-jansen-2 true
	// balance: Cases[1].Weight ("fam-jansen-2"): negative value
}

func ExampleHoursPerWeek_String() {
	fmt.Println(balance.HoursPerWeek(31.25))
	// Output: 31.2 h/wk
}

func ExamplePropose() {
	// Place the intake queue; with nil options no held case moves.
	p := team()
	p.Cases = append(p.Cases,
		balance.Case{ID: "de-boer", Weight: 6.5, Skills: []string{"court"}},
		balance.Case{ID: "fam-jansen-3", Weight: 2, Group: "jansen"},
		balance.Case{ID: "yilmaz", Weight: 5},
	)
	pr, err := balance.Propose(context.Background(), p, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, mv := range pr.Moves {
		fmt.Printf("%s %s → %s: %s\n", mv.Kind, mv.Case, mv.To, mv.Reasons[len(mv.Reasons)-1].Message)
	}
	fmt.Printf("max utilization %.1f%%, bound %.1f%%\n", 100*pr.MaxUtilization, 100*pr.Bound)
	fmt.Printf("%s: %s\n", pr.Status, pr.StatusReason)
	// bob is at his caseload norm and cas's leave starts within the
	// look-ahead, so only ann and dee may take the queue; the family's
	// new case goes to ann, and either other case with ann would take
	// her past 100%. The flow bound relaxes the norm (90.6%); the proof
	// search does not, and proves 93.8% the best.
	// Output:
	// place de-boer → dee: placed with dee, at 94% in the proposal
	// place fam-jansen-3 → ann: placed with ann, at 87% in the proposal
	// place yilmaz → dee: placed with dee, at 94% in the proposal
	// max utilization 93.8%, bound 93.8%
	// optimal: no plan can do better: the fullest worker is at 94%, proven the lowest any plan can reach
}

func ExamplePropose_maxMoves() {
	// A team out of balance: bob carries far more than the others.
	p := balance.Problem{
		AsOf: civil.NewDate(2026, 3, 4),
		Workers: []balance.Worker{
			{ID: "ann", Capacity: 32},
			{ID: "bob", Capacity: 32},
			{ID: "cas", Capacity: 24},
		},
		Cases: []balance.Case{
			{ID: "b1", Weight: 12, Owner: "bob"},
			{ID: "b2", Weight: 10, Owner: "bob"},
			{ID: "b3", Weight: 9, Owner: "bob"},
			{ID: "b4", Weight: 8, Owner: "bob", Pinned: true},
			{ID: "b5", Weight: 4, Owner: "bob"},
			{ID: "a1", Weight: 14, Owner: "ann"},
			{ID: "c1", Weight: 6, Owner: "cas"},
		},
	}
	pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{MaxMoves: 2})
	if err != nil {
		log.Fatal(err)
	}
	for _, mv := range pr.Moves {
		fmt.Printf("step %d: %s %s → %s (%s; %s)\n", mv.Step, mv.Case, mv.From, mv.To, mv.Reasons[0], mv.Reasons[1])
	}
	fmt.Printf("max utilization %.0f%% → %.0f%%, %d moves\n", 100*pr.Before.Utilization.Max, 100*pr.After.Utilization.Max, pr.MovesUsed)
	// Output:
	// step 1: b1 bob → cas (bob: utilization 134% → 97%; cas: utilization 25% → 75%)
	// step 2: b3 bob → ann (bob: utilization 97% → 69%; ann: utilization 44% → 72%)
	// max utilization 134% → 75%, 2 moves
}

// When the context is done before Propose is, the proposal is complete
// but stopped early: placement still comes to 1,024 queued cases, the
// most urgent first, and the rest wait, listed as not reached. Here the
// intake queue holds 1,030 cases, six of them without a deadline; the
// context is done before the call, as when a deadline has passed.
func ExamplePropose_deadline() {
	asOf := civil.NewDate(2026, 3, 4)
	p := balance.Problem{AsOf: asOf, Workers: []balance.Worker{
		{ID: "ann", Capacity: 800}, {ID: "bob", Capacity: 800},
	}}
	for i := range 1030 {
		c := balance.Case{ID: fmt.Sprintf("c%04d", i), Weight: 1}
		if i%172 != 0 {
			c.Deadline = asOf.AddDays(i % 30)
		}
		p.Cases = append(p.Cases, c)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	pr, err := balance.Propose(ctx, p, nil)
	fmt.Println(errors.Is(err, context.Canceled), pr.Status)
	for _, u := range pr.Unplaceable {
		fmt.Println(u.Case, u.Reasons[0].Code)
	}
	// Output:
	// true stopped
	// c0000 not-reached
	// c0172 not-reached
	// c0344 not-reached
	// c0516 not-reached
	// c0688 not-reached
	// c0860 not-reached
}
