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
