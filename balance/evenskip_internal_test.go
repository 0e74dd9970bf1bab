package balance

import (
	"fmt"
	"math"
	"testing"

	"github.com/caseload/caseload/civil"
	"pgregory.net/rapid"
)

// TestEvenSkipHolds: a worker that a pass of evenOut passes by unread
// ([evenSkip.passes]) holds no unit that cannotLowerSpread lets
// through, through random moves after the pass's bounds were taken,
// each noted as evenOut notes its own; and lightOf gives the weight of
// each worker's lightest unit. On small teams of a few capacities, with
// two skills, caseload norms and paused intake, some of whose workers
// hold cases they lack the skill for.
func TestEvenSkipHolds(t *testing.T) {
	t.Parallel()
	passed := 0
	rapid.Check(t, func(rt *rapid.T) {
		m := rapid.IntRange(2, 8).Draw(rt, "workers")
		p := Problem{AsOf: civil.MustParseDate("2026-12-01")}
		for j := range m {
			w := Worker{ID: fmt.Sprintf("w%d", j), Capacity: HoursPerWeek(rapid.SampledFrom([]float64{0, 4, 8, 12.5, 36}).Draw(rt, "capacity"))}
			for _, sk := range []string{"court", "school"} {
				if rapid.Bool().Draw(rt, "skilled") {
					w.Skills = append(w.Skills, sk)
				}
			}
			switch rapid.IntRange(0, 3).Draw(rt, "limit") {
			case 1:
				w.CaseloadNorm = CaseloadNorm(Shares(rapid.IntRange(0, 4).Draw(rt, "normShares")))
			case 2:
				w.Pause = &Pause{}
			}
			p.Workers = append(p.Workers, w)
		}
		for i := range rapid.IntRange(1, 16).Draw(rt, "cases") {
			c := Case{ID: fmt.Sprintf("c%02d", i), Weight: HoursPerWeek(rapid.Float64Range(0.25, 12).Draw(rt, "weight"))}
			if o := rapid.IntRange(-1, m-1).Draw(rt, "owner"); o >= 0 {
				c.Owner = p.Workers[o].ID
			}
			if k := rapid.IntRange(0, 3).Draw(rt, "needsSkill"); k < 2 {
				c.Skills = []string{[]string{"court", "school"}[k]}
			}
			p.Cases = append(p.Cases, c)
		}
		s := testSolver(t, p, &RebalanceOptions{MaxMoves: -1, HardCapacity: rapid.Bool().Draw(rt, "hard")})
		thr := rapid.SampledFrom([]float64{eps, 0.0005, 0.01}).Draw(rt, "thr")
		for range rapid.IntRange(1, 6).Draw(rt, "passes") {
			skip := s.newEvenSkip()
			for range rapid.IntRange(0, 6).Draw(rt, "moves") {
				x := int32(rapid.IntRange(0, len(s.units)-1).Draw(rt, "unit"))
				a := s.units[x].pos
				randomPlaceUnit(rt, s, x)
				if a >= 0 && s.units[x].pos != a {
					skip.moved(s, a)
				}
			}
			for a := range int32(s.m) {
				light := int64(math.MaxInt64)
				for _, x := range s.on[a] {
					light = min(light, s.units[x].w)
				}
				if got := s.lightOf(a); got != light {
					rt.Fatalf("lightOf(%d) = %d, want %d", a, got, light)
				}
				if !skip.passes(s, a, thr) {
					continue
				}
				passed++
				for _, x := range s.on[a] {
					if u := &s.units[x]; !s.cannotLowerSpread(u, a, thr) {
						rt.Fatalf("worker %d passed by, but unit %s (%d micro-units) may lower the spread by more than %v", a, u.id, u.w, thr)
					}
				}
			}
		}
	})
	if passed == 0 {
		t.Fatal("no worker was ever passed by: the test checks nothing")
	}
}
