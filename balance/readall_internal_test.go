package balance

import (
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestWeightSkipsChangeNothing: the local search that tells units by
// their weight alone ([spreadTest], [solver.swaps]) takes the same steps
// as one that reads every unit, through every pass of evenOut and every
// step off the fullest worker: the same assignment, the same count of
// steps, the same workers looked at. From random assignments of small
// teams of a few capacities, with two skills, caseload norms, paused
// intake and, or not, hard capacity.
func TestWeightSkipsChangeNothing(t *testing.T) {
	t.Parallel()
	moved := 0
	rapid.Check(t, func(rt *rapid.T) {
		p := drawSmallProblem(rt, "court", "school")
		opts := &RebalanceOptions{MaxMoves: -1, HardCapacity: rapid.Bool().Draw(rt, "hard")}
		skips, reads := testSolver(t, p, opts), testSolver(t, p, opts)
		reads.readAll = true
		for range rapid.IntRange(0, 24).Draw(rt, "moves") {
			x := int32(rapid.IntRange(0, len(skips.units)-1).Draw(rt, "unit"))
			b := int32(rapid.IntRange(-1, skips.m-1).Draw(rt, "to"))
			for _, s := range []*solver{skips, reads} {
				if u := &s.units[x]; !u.stuck && (b < 0 && u.free || b >= 0 && s.fits(u, b, nil)) {
					s.place(x, b)
				}
			}
		}
		start := skips.snapshot()
		minGain := rapid.SampledFrom([]float64{0, 0.0005, 0.01}).Draw(rt, "minGain")
		all := func(*unit) bool { return true }
		for _, s := range []*solver{skips, reads} {
			s.improve(all, minGain)
		}
		if got, want := skips.snapshot(), reads.snapshot(); !slices.Equal(got, want) {
			rt.Fatalf("with the skips by weight the search ends at %v, reading every unit at %v", got, want)
		}
		if skips.steps != reads.steps || skips.looked != reads.looked {
			rt.Fatalf("with the skips by weight the search took %d steps and looked at %d workers, reading every unit %d and %d",
				skips.steps, skips.looked, reads.steps, reads.looked)
		}
		if !slices.Equal(start, skips.snapshot()) {
			moved++
		}
	})
	if moved == 0 {
		t.Fatal("the search never moved a unit: the test checks nothing")
	}
}
