package balance

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/caseload/caseload/civil"
)

// TestCannotLowerSpreadNeverMissesAMove checks the bound evenOut uses to
// pass units by against dSpread over every worker of the unit's class,
// on teams whose loads are scattered at random: whenever the bound says
// no move of a unit lowers the spread by more than thr, none does. The
// workers' capacities repeat (16 to 20 hours in whole hours), the
// weights span three orders of magnitude, and a fifth of the cases
// require a skill a third of the workers hold, so classes differ.
func TestCannotLowerSpreadNeverMissesAMove(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	passed, searched := 0, 0
	for trial := range 20 {
		p := Problem{AsOf: civil.NewDate(2026, 3, 2)}
		m := 3 + rng.IntN(15)
		for j := range m {
			w := Worker{ID: fmt.Sprintf("w%02d", j), Capacity: HoursPerWeek(16 + rng.IntN(5))}
			if j%3 == 0 {
				w.Skills = []string{"court"}
			}
			p.Workers = append(p.Workers, w)
		}
		for i := range 40 + rng.IntN(200) {
			c := Case{ID: fmt.Sprintf("c%04d", i), Weight: HoursPerWeek(math.Exp(rng.Float64()*7 - 4)),
				Owner: p.Workers[rng.IntN(m)].ID}
			if i%5 == 0 {
				c.Skills = []string{"court"}
				c.Owner = p.Workers[3*rng.IntN((m+2)/3)].ID
			}
			p.Cases = append(p.Cases, c)
		}
		team, err := Prepare(p, nil)
		if err != nil {
			t.Fatal(err)
		}
		ro, err := (&RebalanceOptions{MaxMoves: -1}).resolveRebalance()
		if err != nil {
			t.Fatal(err)
		}
		s := newSolver(context.Background(), team, ro)
		for range 3 * len(s.units) {
			x := rng.Int32N(int32(len(s.units)))
			if elig := s.classes[s.units[x].class].elig; len(elig) > 0 {
				s.place(x, elig[rng.IntN(len(elig))])
			}
		}
		for x := range s.units {
			u := &s.units[x]
			a := u.pos
			if a < 0 {
				continue
			}
			for _, thr := range []float64{eps, 0.0005} {
				if !s.cannotLowerSpread(u, a, thr) {
					searched++
					continue
				}
				passed++
				for _, b := range s.classes[u.class].elig {
					if d := s.dSpread(a, b, u.w); b != a && d < -thr {
						t.Fatalf("trial %d: unit %s passed by on %d, but moving it to %d changes the spread by %g < -%g", trial, u.id, a, b, d, thr)
					}
				}
			}
		}
	}
	if passed == 0 || searched == 0 {
		t.Fatalf("the bound passed %d units by and searched for %d: the test does not reach both", passed, searched)
	}
}
