package balance_test

import (
	"context"
	"fmt"
	"log"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
)

// Matching by fit: ann is the court specialist (level 3) and handles
// aggression cases at 0.8 of the hours; bob is new to them and would
// cost 10 points of mismatch; a returning debt case prefers cat, whose
// travel costs 4 points, less than the 5 that continuity is worth here.
func ExamplePropose_fit() {
	p := balance.Problem{
		AsOf: civil.NewDate(2026, 3, 4),
		Workers: []balance.Worker{
			{ID: "ann", Capacity: 20, Levels: []balance.Proficiency{{Skill: "court", Level: 3}},
				Efficiency: []balance.Efficiency{{Kind: "aggression", Factor: 0.8}}},
			{ID: "bob", Capacity: 20, Skills: []string{"court"},
				Costs: []balance.CostRule{{Kind: "aggression", Cost: 10}}},
			{ID: "cat", Capacity: 20, Costs: []balance.CostRule{{Kind: "debt", Cost: 4}}},
		},
		Cases: []balance.Case{
			{ID: "a1", Weight: 10, Kind: "aggression", Levels: []balance.Proficiency{{Skill: "court", Level: 2}}},
			{ID: "a2", Weight: 10, Kind: "aggression"},
			{ID: "d1", Weight: 8, Kind: "debt", Previous: "cat"},
			{ID: "d2", Weight: 8, Kind: "debt"},
		},
	}
	pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{Policy: balance.PolicyFit, ContinuityCost: 5})
	if err != nil {
		log.Fatal(err)
	}
	for _, mv := range pr.Moves {
		fmt.Printf("%s → %s: %s\n", mv.Case, mv.To, mv.Reasons[0].Message)
	}
	fmt.Printf("cost %v, bound %v, gap %.1f%%\n", pr.Fit.Cost, pr.Fit.Bound, 100*pr.Fit.Gap)
	// Output:
	// a1 → ann: fit cost 0 with "ann", effort 8.0 h/wk
	// a2 → ann: fit cost 0 with "ann", effort 8.0 h/wk
	// d1 → cat: "cat" had this case before
	// d2 → bob: fit cost 0 with "bob", effort 8.0 h/wk
	// cost 4, bound 4, gap 0.0%
}

// Fit or balance: what each choice costs the other. Ann matches the
// team's family cases best; bob less so (3 points each) and cat least
// (6). PolicyLoad evens the load out whatever the cost; PolicyFit finds
// the cheapest plan under a ceiling on utilization, and lowering the
// ceiling buys evenness with fit.
func ExampleRebalanceOptions_fitCeiling() {
	p := balance.Problem{
		AsOf: civil.NewDate(2026, 3, 4),
		Workers: []balance.Worker{
			{ID: "ann", Capacity: 20},
			{ID: "bob", Capacity: 20, Costs: []balance.CostRule{{Kind: "family", Cost: 3}}},
			{ID: "cat", Capacity: 20, Costs: []balance.CostRule{{Kind: "family", Cost: 6}}},
		},
	}
	for _, id := range []string{"f1", "f2", "f3", "f4", "f5", "f6"} {
		p.Cases = append(p.Cases, balance.Case{ID: id, Weight: 5, Kind: "family"})
	}
	show := func(name string, opts *balance.RebalanceOptions) {
		pr, err := balance.Propose(context.Background(), p, opts)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%-17s fullest at %3.0f%%, fit cost %2v, %s\n", name, 100*pr.After.Utilization.Max, pr.Fit.Cost, pr.Status)
	}
	show("load", nil)
	show("fit", &balance.RebalanceOptions{Policy: balance.PolicyFit})
	show("fit, ceiling 75%", &balance.RebalanceOptions{Policy: balance.PolicyFit, FitCeiling: 0.75})
	show("fit, ceiling 50%", &balance.RebalanceOptions{Policy: balance.PolicyFit, FitCeiling: 0.5})
	// Output:
	// load              fullest at  50%, fit cost 18, optimal
	// fit               fullest at 100%, fit cost  6, optimal
	// fit, ceiling 75%  fullest at  75%, fit cost  9, optimal
	// fit, ceiling 50%  fullest at  50%, fit cost 18, optimal
}

// Evening out effort: ann handles aggression cases at half the hours,
// so she takes three of the four and the fullest worker ends at 75%.
// Shared out fractionally both would end at 2/3, the proven bound; no
// split of whole cases reaches it, so the status stays feasible and
// says how far off it may be.
func ExamplePropose_effort() {
	p := balance.Problem{
		AsOf: civil.NewDate(2026, 3, 4),
		Workers: []balance.Worker{
			{ID: "ann", Capacity: 20, Efficiency: []balance.Efficiency{{Kind: "aggression", Factor: 0.5}}},
			{ID: "bob", Capacity: 20},
		},
	}
	for _, id := range []string{"a1", "a2", "a3", "a4"} {
		p.Cases = append(p.Cases, balance.Case{ID: id, Weight: 10, Kind: "aggression"})
	}
	pr, err := balance.Propose(context.Background(), p, nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, a := range pr.Assignment {
		fmt.Println(a.Case, "→", a.Worker)
	}
	fmt.Println(pr.Status, "-", pr.StatusReason)
	// Output:
	// a1 → ann
	// a2 → ann
	// a3 → ann
	// a4 → bob
	// feasible - evened out by effort, which differs between workers: the fullest is at 75%, at most 12.5% above the proven lower bound 67%
}
