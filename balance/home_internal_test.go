package balance

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/caseload/caseload/civil"
)

// TestBestTargetLooksHome: a held case moved off its worker may go back
// to them, whether or not they are in its class, and the search for
// where it goes finds them where they are left emptiest: a worker who
// has paused their intake, or who lacks a skill the case needs, takes
// no new work of it but may keep their own. It does not where they lack
// the room under their caseload norm, or are the worker skipped.
func TestBestTargetLooksHome(t *testing.T) {
	t.Parallel()
	p := Problem{AsOf: civil.MustParseDate("2026-12-01"),
		Workers: []Worker{
			{ID: "busy", Capacity: 36, Skills: []string{"court"}},
			{ID: "home", Capacity: 36, Pause: &Pause{Reason: "relief"}},
			{ID: "other", Capacity: 36, Skills: []string{"court"}},
			{ID: "unskilled", Capacity: 36, CaseloadNorm: CaseloadNorm(Shares(2))},
			{ID: "zero", Skills: []string{"court"}},
		},
		Cases: []Case{
			{ID: "a", Owner: "home", Weight: 4},
			{ID: "b", Owner: "unskilled", Weight: 4, Skills: []string{"court"}},
			{ID: "c", Owner: "unskilled", Weight: 1, Skills: []string{"court"}},
			{ID: "o1", Owner: "other", Weight: 20, Skills: []string{"court"}},
			{ID: "b1", Owner: "busy", Weight: 30, Skills: []string{"court"}},
			{ID: "z", Owner: "zero", Weight: 2},
		},
	}
	s := testSolver(t, p, &RebalanceOptions{MaxMoves: -1})
	w := func(id string) int32 {
		return s.sidx[slices.IndexFunc(s.t.workers, func(w Worker) bool { return w.ID == id })]
	}
	u := func(id string) (int32, *unit) {
		x := slices.IndexFunc(s.units, func(u unit) bool { return u.id == id })
		return int32(x), &s.units[x]
	}
	busy, home, other, unskilled := w("busy"), w("home"), w("other"), w("unskilled")
	require.False(t, s.canTake[home], "a paused worker takes no new work")

	// Case a at home: the search skips where it is, and looks for
	// someone else.
	xa, a := u("a")
	assert.Equal(t, other, s.bestTarget(a, -1, 1))

	// Case a, moved to busy: home is left emptiest, paused as they are.
	s.place(xa, busy)
	assert.Equal(t, home, s.bestTarget(a, busy, 1))
	assert.Equal(t, home, s.bestTarget(a, busy, 2))
	assert.Equal(t, other, s.bestTarget(a, home, 1), "home skipped")

	// Case b needs court, which unskilled lacks: moved to busy, it may
	// go back to unskilled, left emptiest.
	xb, b := u("b")
	s.place(xb, busy)
	assert.Equal(t, unskilled, s.bestTarget(b, busy, 1))
	// Once unskilled holds two shares (a and c), their caseload norm,
	// they take nothing back: the emptiest of the class is found.
	s.place(xa, unskilled)
	assert.Equal(t, other, s.bestTarget(b, busy, 1))

	// Case z, held by a worker without capacity and moved off: they
	// take nothing back, though on utilization (none) they would win.
	xz, z := u("z")
	s.place(xz, busy)
	assert.NotEqual(t, w("zero"), s.bestTarget(z, busy, 1))
}
