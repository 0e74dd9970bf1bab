package balance

import (
	"math"
	"slices"
	"testing"

	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestLowestWithRoomHolds: under hard capacity, lowestWithRoom gives
// at most the lowest utilization of the workers of roomy with the room
// in hours a unit needs, through random moves, asked between them or
// not, and exactly that once roomy is listed afresh; no worker of a
// unit's class who may take it is emptier; and where cannotLowerSpread,
// with that bound, passes a unit by, no worker who may take it lowers
// the spread by more than thr. On small teams of a few capacities, with
// two skills, caseload norms and paused intake.
func TestLowestWithRoomHolds(t *testing.T) {
	t.Parallel()
	bounded, passed := 0, 0
	rapid.Check(t, func(rt *rapid.T) {
		p := drawSmallProblem(rt, "court", "school")
		s := testSolver(t, p, &RebalanceOptions{MaxMoves: -1, HardCapacity: true})
		for range rapid.IntRange(1, 4).Draw(rt, "rounds") {
			for range rapid.IntRange(1, 12).Draw(rt, "moves") {
				randomPlace(rt, s)
				if rapid.Bool().Draw(rt, "ask") {
					s.lowestWithRoom(int64(rapid.IntRange(0, 12).Draw(rt, "hours")) * micro) // lists byRoom between moves
				}
			}
			// Listed afresh, the bound is the lowest utilization itself;
			// else the workers who changed since may lower it.
			fresh := rapid.Bool().Draw(rt, "fresh")
			if fresh {
				s.listByRoom()
			}
			lowest := func(h int64) float64 {
				got, gotKey := s.lowestWithRoom(h) // first: the first listing sets byRoomX0
				want, wantKey := math.Inf(1), math.Inf(1)
				for _, b := range s.roomy {
					if s.hoursRoom[b] >= float64(h) {
						want = min(want, s.util[b])
						if s.capH[b] > 0 {
							wantKey = min(wantKey, 2*s.util[b]+s.byRoomX0/s.capH[b])
						}
					}
				}
				if got > want || fresh && got != want {
					rt.Fatalf("lowestWithRoom(%d) = %v, the lowest is %v (listed afresh: %v)", h, got, want, fresh)
				}
				if gotKey > wantKey || fresh && gotKey != wantKey {
					rt.Fatalf("lowestWithRoom(%d)'s key = %v, the lowest is %v (listed afresh: %v)", h, gotKey, wantKey, fresh)
				}
				return got
			}
			for h := range int64(48) {
				lowest(h * micro / 4) // every quarter hour to 12 h, drawSmallProblem's heaviest case
			}
			thr := rapid.SampledFrom([]float64{eps, 0.0005, 0.01}).Draw(rt, "thr")
			for x := range s.units {
				u := &s.units[x]
				low := lowest(u.h)
				for _, b := range s.classes[u.class].elig {
					if s.fits(u, b, nil) && s.util[b] < low {
						rt.Fatalf("worker %d may take unit %s at utilization %v, below the bound %v", b, u.id, s.util[b], low)
					}
				}
				if !math.IsInf(low, 0) {
					bounded++
				}
				a := u.pos
				if a < 0 || s.capH[a] == 0 || !s.cannotLowerSpread(u, a, thr) {
					continue
				}
				passed++
				for _, b := range s.classes[u.class].elig {
					if d := s.dSpread(a, b, u.w); b != a && s.fits(u, b, nil) && d < -thr {
						rt.Fatalf("unit %s passed by on %d, but moving it to %d changes the spread by %g < -%g", u.id, a, b, d, thr)
					}
				}
			}
		}
	})
	if bounded == 0 || passed == 0 {
		t.Fatalf("%d bounds and %d units passed by: the test checks nothing", bounded, passed)
	}
}

// TestLowestWithRoomPassesBy: under hard capacity, a unit that would
// lower the spread with a worker who has room for a smaller unit but
// not for it is passed by, where the class's bound alone, the emptiest
// worker with room for some unit, would have it searched for. Ann holds
// 20 hours on a capacity of 10, the limit she keeps; Bob 8 of 10.
func TestLowestWithRoomPassesBy(t *testing.T) {
	t.Parallel()
	p := Problem{
		AsOf:    civil.NewDate(2026, 3, 2),
		Workers: []Worker{{ID: "ann", Capacity: 10}, {ID: "bob", Capacity: 10}},
		Cases: []Case{
			{ID: "a1", Weight: 5, Owner: "ann"},
			{ID: "a2", Weight: 14, Owner: "ann"},
			{ID: "a3", Weight: 1, Owner: "ann"},
			{ID: "b1", Weight: 8, Owner: "bob"},
		},
	}
	s := testSolver(t, p, &RebalanceOptions{MaxMoves: -1, HardCapacity: true})
	ann, bob := s.sidx[0], s.sidx[1]
	unit := func(id string) *unit {
		for x := range s.units {
			if s.units[x].id == id {
				return &s.units[x]
			}
		}
		t.Fatalf("no unit %s", id)
		return nil
	}
	a1, a3 := unit("a1"), unit("a3")
	require.Less(t, s.dSpread(ann, bob, a1.w), -0.01, "a1 would lower the spread with bob")
	require.False(t, s.fits(a1, bob, nil), "bob has 2 hours of room, a1 needs 5")
	assert.True(t, s.cannotLowerSpread(a1, ann, eps), "a1 is searched for, though no one has the room for it")
	assert.False(t, s.cannotLowerSpread(a3, ann, eps), "a3 fits with bob and lowers the spread")
}

// TestRoomManyIsSound: under hard capacity, roomFor reports that more
// than its limit have the room a unit needs exactly when they do,
// whether it searches the heap of room or answers from what its last
// searches found (solver.roomMany), through random moves; and it does
// answer from them.
func TestRoomManyIsSound(t *testing.T) {
	t.Parallel()
	answered := 0
	rapid.Check(t, func(rt *rapid.T) {
		p := drawSmallProblem(rt, "court", "school")
		s := testSolver(t, p, &RebalanceOptions{MaxMoves: -1, HardCapacity: true})
		for range rapid.IntRange(1, 6).Draw(rt, "rounds") {
			randomPlace(rt, s)
			for range rapid.IntRange(1, 12).Draw(rt, "asks") {
				u := &s.units[rapid.IntRange(0, len(s.units)-1).Draw(rt, "unit")]
				limit := rapid.IntRange(1, s.m).Draw(rt, "limit")
				with := 0
				for b := range s.m {
					if s.hoursRoom[b] >= float64(u.h) {
						with++
					}
				}
				looked := s.looked
				_, ok := s.roomFor(u, s.classAt(u.class), -1, false, limit)
				if ok != (with <= limit) {
					rt.Fatalf("roomFor(%s, limit %d): ok %v, but %d workers have its %d micro-hours of room", u.id, limit, ok, with, u.h)
				}
				if !ok && s.looked == looked {
					answered++
				}
			}
		}
	})
	if answered == 0 {
		t.Fatal("roomFor never answered from its notes: the test checks nothing of them")
	}
}

// TestPlaceFreeParksNoOneWhoFits: under hard capacity, placing the free
// units with the workers who lack the room for each parked (placeOne)
// puts each where placing them with no one parked does, and leaves the
// same units unplaced, in the order freeOrder gives (by weight: under
// PolicyLoad, most hours first) and in any other.
func TestPlaceFreeParksNoOneWhoFits(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(rt *rapid.T) {
		p := drawSmallProblem(rt, "court", "school")
		opts := &RebalanceOptions{MaxMoves: -1, HardCapacity: true,
			Policy: rapid.SampledFrom([]Policy{PolicyLoad, PolicyCounts}).Draw(rt, "policy")}
		parks, each := testSolver(t, p, opts), testSolver(t, p, opts)
		each.noPark = true
		order := parks.freeOrder()
		if rapid.Bool().Draw(rt, "shuffle") {
			order = rapid.Permutation(order).Draw(rt, "order")
		}
		failed := parks.placeFree(slices.Clone(order))
		want := each.placeFree(slices.Clone(order))
		if !slices.Equal(failed, want) {
			rt.Fatalf("parked, %v unplaced; none parked, %v", failed, want)
		}
		if got, want := parks.snapshot(), each.snapshot(); !slices.Equal(got, want) {
			rt.Fatalf("parked, the units end at %v; none parked, at %v", got, want)
		}
		if parks.park != 0 || len(parks.parked.items) > 0 {
			rt.Fatalf("placeFree left %d parked, at %d", len(parks.parked.items), parks.park)
		}
	})
}
