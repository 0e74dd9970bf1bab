package balance

import (
	"fmt"
	"slices"
	"testing"

	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"

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
		skips.searchAlike = true // what TestAlikeSkipsChangeNothing checks
		reads.readAll = true
		drawSameMoves(rt, skips, reads)
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

// TestAlikeSkipsChangeNothing: the local search in which evenOut does
// not search again for a unit alike one whose search found no move
// ([evenKey]) takes the same steps as one that searches for each, to the
// same assignment, and looks at no more workers. From random
// assignments of small teams of a few capacities, with two skills,
// caseload norms, paused intake and, or not, hard capacity, under
// PolicyLoad and PolicyCounts (every case one share). It fails where
// the key leaves out the unit's class; that it holds the hours under
// hard capacity and, where it counts, the worker a unit came from
// rests on the reading of fits and homeOutside: 5,000 draws did not
// meet a team where leaving either out changed the search.
func TestAlikeSkipsChangeNothing(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(rt *rapid.T) {
		p := drawSmallProblem(rt, "court", "school")
		opts := &RebalanceOptions{MaxMoves: -1, HardCapacity: rapid.Bool().Draw(rt, "hard"),
			Policy: rapid.SampledFrom([]Policy{PolicyLoad, PolicyCounts}).Draw(rt, "policy")}
		if opts.Policy == PolicyCounts {
			// Every case one share: under hard capacity, units alike
			// but for their hours.
			for i := range p.Cases {
				p.Cases[i].Share = 1
			}
		}
		skips, each := testSolver(t, p, opts), testSolver(t, p, opts)
		each.searchAlike = true
		drawSameMoves(rt, skips, each)
		minGain := rapid.SampledFrom([]float64{0, 0.0005, 0.01}).Draw(rt, "minGain")
		all := func(*unit) bool { return true }
		for _, s := range []*solver{skips, each} {
			s.improve(all, minGain)
		}
		if got, want := skips.snapshot(), each.snapshot(); !slices.Equal(got, want) {
			rt.Fatalf("skipping units alike the search ends at %v, searching for each at %v", got, want)
		}
		if skips.steps != each.steps || skips.looked > each.looked {
			rt.Fatalf("skipping units alike the search took %d steps and looked at %d workers, searching for each %d and %d",
				skips.steps, skips.looked, each.steps, each.looked)
		}
	})
}

// TestAlikeSkipsSearch: evenOut searches once for each worker's kind
// of unit whose search finds no move, not for every unit alike, and
// moves nothing the search for each would not. Ann holds six cases of
// 2 hours on a capacity of 12; Bob one of an hour on 2: the bound
// (Bob's utilization, 2 hours over Ann's capacity) does not pass Ann's
// units by, but each would take Bob to 150%.
func TestAlikeSkipsSearch(t *testing.T) {
	t.Parallel()
	p := Problem{AsOf: civil.NewDate(2026, 3, 2), Workers: []Worker{{ID: "ann", Capacity: 12}, {ID: "bob", Capacity: 2}}}
	for i := range 6 {
		p.Cases = append(p.Cases, Case{ID: fmt.Sprintf("a%d", i), Weight: 2, Owner: "ann"})
	}
	p.Cases = append(p.Cases, Case{ID: "b0", Weight: 1, Owner: "bob"})
	opts := &RebalanceOptions{MaxMoves: -1}
	skips, each := testSolver(t, p, opts), testSolver(t, p, opts)
	each.searchAlike = true
	start := skips.snapshot()
	all := func(*unit) bool { return true }
	for _, s := range []*solver{skips, each} {
		assert.False(t, s.evenOut(all, 0), "no move keeps the maximum")
	}
	assert.Equal(t, start, skips.snapshot())
	assert.Equal(t, 1, skips.evenSearches, "one search for Ann's six units (the bound passes Bob's by)")
	assert.Equal(t, 6, each.evenSearches)
	assert.Equal(t, each.looked, skips.looked, "a search passed by counts the workers the first looked at")
}

// TestAlikeSkipsLighter: under hard capacity, where no one who may take
// a unit has the room for it, evenOut still searches for a unit alike
// of fewer hours, and moves it. Counts even out: Ann holds four court
// cases, one of 10 hours and three of 1, Bob one case of 38 hours on a
// capacity of 40, and Carol, who has room, lacks the skill.
func TestAlikeSkipsLighter(t *testing.T) {
	t.Parallel()
	p := Problem{AsOf: civil.NewDate(2026, 3, 2), Workers: []Worker{
		{ID: "ann", Capacity: 40, Skills: []string{"court"}},
		{ID: "bob", Capacity: 40, Skills: []string{"court"}},
		{ID: "carol", Capacity: 40},
	}}
	for i, w := range []HoursPerWeek{10, 1, 1, 1} {
		p.Cases = append(p.Cases, Case{ID: fmt.Sprintf("a%d", i), Weight: w, Owner: "ann", Skills: []string{"court"}})
	}
	p.Cases = append(p.Cases, Case{ID: "b0", Weight: 38, Owner: "bob"})
	opts := &RebalanceOptions{MaxMoves: -1, HardCapacity: true, Policy: PolicyCounts}
	skips, each := testSolver(t, p, opts), testSolver(t, p, opts)
	each.searchAlike = true
	all := func(*unit) bool { return true }
	for _, s := range []*solver{skips, each} {
		assert.True(t, s.evenOut(all, 0), "a court case of an hour goes to Bob")
	}
	assert.Equal(t, each.snapshot(), skips.snapshot())
}

// drawSameMoves draws up to 24 moves of a unit to a worker (or, for a
// free unit, back to the queue) and makes each on every solver of ss,
// all built from one problem, where it may go.
func drawSameMoves(rt *rapid.T, ss ...*solver) {
	for range rapid.IntRange(0, 24).Draw(rt, "moves") {
		x := int32(rapid.IntRange(0, len(ss[0].units)-1).Draw(rt, "unit"))
		b := int32(rapid.IntRange(-1, ss[0].m-1).Draw(rt, "to"))
		for _, s := range ss {
			if u := &s.units[x]; !u.stuck && (b < 0 && u.free || b >= 0 && s.fits(u, b, nil)) {
				s.place(x, b)
			}
		}
	}
}
