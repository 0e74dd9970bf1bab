package balance

import (
	"context"
	"testing"

	"github.com/caseload/caseload/civil"
)

// waiting counts the free units that wait, as solver.unplaced should.
func (s *solver) waiting() int {
	n := 0
	for x := range s.units {
		if u := &s.units[x]; u.free && !u.stuck && u.pos < 0 {
			n++
		}
	}
	return n
}

// TestSplitUnitCountsEachCase: a family split into its cases counts
// each as waiting. It counted once, and the exact search, reading no
// case as waiting, then cut every branch that placed a waiting case at
// a higher maximum: a weightless case was left unplaced beside a
// worker with room (TestProposeKeepsInvariants/larger, 2 December).
func TestSplitUnitCountsEachCase(t *testing.T) {
	t.Parallel()
	p := Problem{
		AsOf: civil.NewDate(2026, 3, 2),
		Workers: []Worker{
			{ID: "ann", Capacity: 10, Skills: []string{"court"}},
			{ID: "bob", Capacity: 10, Skills: []string{"trauma"}},
		},
		Cases: []Case{
			{ID: "c1", Weight: 2, Group: "f", Skills: []string{"court"}},
			{ID: "c2", Weight: 2, Group: "f", Skills: []string{"trauma"}},
			{ID: "c3", Weight: 0, Group: "f"},
			{ID: "c4", Weight: 1},
		},
	}
	team, err := Prepare(p, nil)
	if err != nil {
		t.Fatal(err)
	}
	ro, err := (&RebalanceOptions{}).resolveRebalance()
	if err != nil {
		t.Fatal(err)
	}
	s := newSolver(context.Background(), team, ro)
	if got, want := s.unplaced, s.waiting(); got != want {
		t.Fatalf("before the split: unplaced %d, %d units wait", got, want)
	}
	fam := int32(-1)
	for x := range s.units {
		if len(s.units[x].cases) == 3 {
			fam = int32(x)
		}
	}
	if fam < 0 {
		t.Fatal("no family unit")
	}
	xs := s.splitUnit(fam)
	if len(xs) != 3 {
		t.Fatalf("split into %d units, want 3", len(xs))
	}
	if got, want := s.unplaced, s.waiting(); got != want || want != 4 {
		t.Fatalf("after the split: unplaced %d, %d units wait, want 4", got, want)
	}
	for _, x := range xs {
		if b := s.bestTarget(&s.units[x], -1, 1); b >= 0 {
			s.place(x, b)
		}
	}
	if got, want := s.unplaced, s.waiting(); got != want || want != 1 {
		t.Fatalf("after placing the family's cases: unplaced %d, %d units wait, want 1", got, want)
	}
}
