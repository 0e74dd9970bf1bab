package balance

import (
	"math"
	"testing"

	"pgregory.net/rapid"
)

// TestEvenSkipHolds: a worker that a pass of evenOut passes by unread
// ([evenSkip.passes]) holds no unit that cannotLowerSpread lets
// through, nor does a unit the worker's test passes by by its weight
// ([spreadTest.passesBy]), through random moves after the pass's bounds
// were taken, each noted as evenOut notes its own; lightOf gives the
// weight of each worker's lightest unit, and onW each unit's weight in
// its slot. On small teams of a few capacities, with two skills,
// caseload norms and paused intake, some of whose workers hold cases
// they lack the skill for.
func TestEvenSkipHolds(t *testing.T) {
	t.Parallel()
	passed, told := 0, 0
	rapid.Check(t, func(rt *rapid.T) {
		p := drawSmallProblem(rt, "court", "school")
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
				test := skip.test(s, a, thr)
				for i, x := range s.on[a] {
					u := &s.units[x]
					if s.onW[a][i] != u.w {
						rt.Fatalf("onW[%d][%d] = %d, but unit %s there weighs %d", a, i, s.onW[a][i], u.id, u.w)
					}
					if !test.passesBy(u.w) {
						continue
					}
					told++
					if !s.cannotLowerSpread(u, a, thr) {
						rt.Fatalf("unit %s (%d micro-units) on worker %d passed by, but it may lower the spread by more than %v", u.id, u.w, a, thr)
					}
				}
				if !skip.passes(s, a, test) {
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
	if passed == 0 || told == 0 {
		t.Fatalf("%d workers and %d units were passed by: the test checks nothing", passed, told)
	}
}
