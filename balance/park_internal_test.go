package balance

import (
	"testing"

	"github.com/caseload/caseload/civil"
	"pgregory.net/rapid"
)

// TestParkingKeepsTheRoomy: under hard capacity, while workers are
// parked for a unit's hours ([solver.parkFor]), every worker who may
// take new work and has that room is in roomy, with their utilization
// as their walkKey, and no one is in roomy whom the rule without
// parking leaves out; the best worker for a unit with those hours is
// the one found with no one parked; and once unparked, roomy is what
// the rule says. Through random moves, units taken off and needs that
// rise and fall, on small teams with caseload norms and paused intake.
func TestParkingKeepsTheRoomy(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(rt *rapid.T) {
		p := drawSmallProblem(rt, "court")
		s := testSolver(t, p, &RebalanceOptions{MaxMoves: -1, HardCapacity: true})
		// rule reports whether b belongs in roomy with at least park
		// hours of room.
		rule := func(b int32, park int64) bool {
			norm, hours := s.roomOf(b)
			return s.canTake[b] && norm >= s.minShare && hours >= s.minHours && hours >= park
		}
		for range rapid.IntRange(1, 40).Draw(rt, "steps") {
			x := int32(rapid.IntRange(0, len(s.units)-1).Draw(rt, "unit"))
			switch rapid.IntRange(0, 3).Draw(rt, "what") {
			case 0:
				randomPlaceUnit(rt, s, x)
			case 1:
				if u := &s.units[x]; !u.stuck && u.pos >= 0 {
					s.place(x, -1) // its worker's room grows while parked
				}
			case 2:
				u := &s.units[x]
				if u.stuck || u.pos >= 0 {
					continue
				}
				s.parkFor(u.h)
				got := s.bestTarget(u, -1, 1)
				s.unpark()
				if want := s.bestTarget(u, -1, 1); got != want {
					rt.Fatalf("unit %s: best worker %d with workers parked, %d without", u.id, got, want)
				}
				s.parkFor(u.h)
			default:
				s.parkFor(s.units[x].h)
			}
			for b := range int32(s.m) {
				in := s.roomyAt[b] >= 0
				if rule(b, s.park) && (!in || s.walkKey[b] != s.util[b]) {
					rt.Fatalf("worker %d has %d hours of room, parking at %d, but is not in roomy (walkKey %v)", b, s.hourLimit[b]-s.hours[b], s.park, s.walkKey[b])
				}
				if in && !rule(b, 0) {
					rt.Fatalf("worker %d is in roomy against the rule", b)
				}
			}
		}
		s.unpark()
		for b := range int32(s.m) {
			if in := s.roomyAt[b] >= 0; in != rule(b, 0) {
				rt.Fatalf("unparked, worker %d in roomy: %v, the rule says %v", b, in, !in)
			}
		}
	})
}

// TestParkedRoomGrows: a parked worker whose room grows, still short
// of the unit parked for, is put back once a unit comes that fits the
// room they have now, not the room they had when parked.
func TestParkedRoomGrows(t *testing.T) {
	p := Problem{AsOf: civil.MustParseDate("2026-12-01"),
		Workers: []Worker{{ID: "a", Capacity: 10}, {ID: "b", Capacity: 10}},
		Cases: []Case{
			{ID: "c1", Weight: 4, Owner: "a"},
			{ID: "c2", Weight: 3, Owner: "a"},
			{ID: "c3", Weight: 2, Owner: "b"},
			{ID: "c4", Weight: 0.5, Owner: "b"}, // the least room that counts
		}}
	s := testSolver(t, p, &RebalanceOptions{MaxMoves: -1, HardCapacity: true})
	unit := func(id string) int32 {
		for x := range s.units {
			if s.units[x].id == id {
				return int32(x)
			}
		}
		t.Fatalf("no unit %s", id)
		return -1
	}
	a := s.units[unit("c1")].orig
	s.parkFor(toMicro(9))
	s.place(unit("c3"), a) // a has 1 hour of room: parked
	if s.roomyAt[a] >= 0 {
		t.Fatal("a worker with 1 hour of room is not parked for 9")
	}
	s.place(unit("c2"), -1) // 4 hours of room: still parked
	s.parkFor(toMicro(2))
	if s.roomyAt[a] < 0 {
		t.Fatal("a worker with 4 hours of room stays parked for a unit of 2")
	}
	s.unpark()
}
