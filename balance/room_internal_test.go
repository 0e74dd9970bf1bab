package balance

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/caseload/caseload/civil"
)

// atNormTeam returns a problem of m workers, each at a caseload norm of
// the k cases of one share they hold, and a worker "zero" without
// capacity who holds n cases.
func atNormTeam(m, k, n int) Problem {
	p := Problem{AsOf: civil.MustParseDate("2026-12-01")}
	for j := range m {
		id := fmt.Sprintf("w%03d", j)
		p.Workers = append(p.Workers, Worker{ID: id, Capacity: 36, CaseloadNorm: CaseloadNorm(Shares(k))})
		for c := range k {
			p.Cases = append(p.Cases, Case{ID: fmt.Sprintf("c%03d-%03d", j, c), Owner: id, Weight: 1})
		}
	}
	p.Workers = append(p.Workers, Worker{ID: "zero"})
	for c := range n {
		p.Cases = append(p.Cases, Case{ID: fmt.Sprintf("z%04d", c), Owner: "zero", Weight: 1})
	}
	return p
}

// TestNoRoomAnswersAtOnce: once a search for where a case on the worker
// without capacity goes has found no one on a team at its caseload
// norm, walking the team, every other such case is told at once that
// no one may take it; when a case leaves one of the workers, that
// worker has room again, and the next search finds them.
func TestNoRoomAnswersAtOnce(t *testing.T) {
	t.Parallel()
	s := testSolver(t, atNormTeam(40, 5, 30), &RebalanceOptions{MaxMoves: -1})
	require.Empty(t, s.roomy, "no worker has room")
	// The list of those with room, and the class heaps ordered by it,
	// would answer first: without them, the search walks the team.
	s.roomy, s.roomyAt = nil, nil
	for b := range int32(s.m) {
		s.setUtil(b) // walkKey: their utilization, as if they had room
	}
	zero := s.sidx[slices.IndexFunc(s.t.workers, func(w Worker) bool { return w.ID == "zero" })]
	var stranded, held []int32
	for x := range s.units {
		if u := &s.units[x]; u.orig == zero {
			stranded = append(stranded, int32(x))
		} else if !u.free {
			held = append(held, int32(x))
		}
	}
	require.Len(t, stranded, 30)
	require.False(t, s.room.known, "the room is noted before any search")
	first := &s.units[stranded[0]]
	require.Equal(t, int32(-1), s.bestTarget(first, zero, 1))
	require.True(t, s.room.known, "a search of the whole team that found no one notes the room")
	for _, x := range stranded[1:] {
		assert.True(t, s.noRoomFor(&s.units[x]), "unit %s", s.units[x].id)
	}
	// A held case leaves its worker: they have room for one.
	y := held[0]
	from := s.units[y].pos
	s.place(y, -1)
	for _, x := range stranded {
		assert.False(t, s.noRoomFor(&s.units[x]), "unit %s, with room on %d", s.units[x].id, from)
	}
	assert.Equal(t, from, s.bestTarget(first, zero, 1))
}

// TestSearchesPassNoOneWithoutRoom: on a team whose emptiest half is at
// its caseload norm, a search for where a queued case goes, and a walk
// of the workers who may take it, look at the emptiest worker with room
// first, not at every worker at their norm on the way to them.
func TestSearchesPassNoOneWithoutRoom(t *testing.T) {
	t.Parallel()
	p := Problem{AsOf: civil.MustParseDate("2026-12-01")}
	for j := range 200 {
		w := Worker{ID: fmt.Sprintf("w%03d", j), Capacity: 36}
		weight := HoursPerWeek(20 + j%7)
		if j%2 == 0 {
			w.CaseloadNorm, weight = CaseloadNorm(Shares(1)), HoursPerWeek(1+j%5)
		}
		p.Workers = append(p.Workers, w)
		p.Cases = append(p.Cases, Case{ID: fmt.Sprintf("c%03d", j), Owner: w.ID, Weight: weight})
	}
	p.Cases = append(p.Cases, Case{ID: "new", Weight: 2})
	s := testSolver(t, p, nil)
	x := slices.IndexFunc(s.units, func(u unit) bool { return u.id == "new" })
	u := &s.units[x]
	// The emptiest worker with room: of those without a norm, the first
	// by ID whose case weighs least, 20 hours.
	want := s.sidx[slices.IndexFunc(s.t.workers, func(w Worker) bool { return w.ID == "w007" })]
	before := s.looked
	require.Equal(t, want, s.bestTarget(u, -1, 1))
	// One: the emptiest with room of the team's one capacity group,
	// who may take the case.
	assert.Equal(t, 1, s.looked-before, "workers the search looked at")
	before = s.looked
	var first int32 = -1
	s.walk(u, -1, func(b int32) bool { first = b; return false })
	assert.Equal(t, want, first)
	assert.Equal(t, 1, s.looked-before, "workers the walk looked at")
}

// TestNoRoomIsSound: whenever noRoomFor says no worker may take a unit,
// a search of every worker finds none either: on small teams with
// caseload norms, paused intake and hard capacity, through random
// moves, with the room noted at random points.
func TestNoRoomIsSound(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(rt *rapid.T) {
		m := rapid.IntRange(2, 8).Draw(rt, "workers")
		p := Problem{AsOf: civil.MustParseDate("2026-12-01")}
		for j := range m {
			w := Worker{ID: fmt.Sprintf("w%d", j), Capacity: HoursPerWeek(rapid.IntRange(0, 8).Draw(rt, "capacity"))}
			if rapid.Bool().Draw(rt, "norm") {
				w.CaseloadNorm = CaseloadNorm(Shares(rapid.IntRange(0, 4).Draw(rt, "normShares")))
			}
			if rapid.IntRange(0, 3).Draw(rt, "paused") == 0 {
				// They take no new work: no class holds them.
				w.Pause = &Pause{}
			}
			p.Workers = append(p.Workers, w)
		}
		n := rapid.IntRange(1, 16).Draw(rt, "cases")
		for i := range n {
			c := Case{ID: fmt.Sprintf("c%02d", i), Weight: HoursPerWeek(rapid.IntRange(1, 4).Draw(rt, "weight")),
				Share: Shares(rapid.SampledFrom([]float64{0, 0.5, 1, 2}).Draw(rt, "share"))}
			if o := rapid.IntRange(-1, m-1).Draw(rt, "owner"); o >= 0 {
				c.Owner = p.Workers[o].ID
			}
			p.Cases = append(p.Cases, c)
		}
		opts := &RebalanceOptions{MaxMoves: -1, HardCapacity: rapid.Bool().Draw(rt, "hard")}
		s := testSolver(t, p, opts)
		for range rapid.IntRange(1, 30).Draw(rt, "steps") {
			x := int32(rapid.IntRange(0, len(s.units)-1).Draw(rt, "unit"))
			u := &s.units[x]
			switch rapid.IntRange(0, 2).Draw(rt, "what") {
			case 0:
				if b := int32(rapid.IntRange(-1, s.m-1).Draw(rt, "to")); b < 0 || u.free || s.fits(u, b, nil) {
					s.place(x, b)
				}
			case 1:
				s.noteRoom()
			}
			skip := int32(rapid.IntRange(-1, s.m-1).Draw(rt, "skip"))
			for y := range s.units {
				v := &s.units[y]
				if s.noRoomFor(v) {
					b, _ := s.bestTargetWalk(v, skip, 1)
					if b >= 0 {
						rt.Fatalf("no room for %s but %d may take it (room %+v)", v.id, b, s.room)
					}
				}
			}
		}
	})
}

// TestRoomyMatchesTheWalk: the workers with room for a unit
// (solver.roomy) are those the limits say, and their walkKey is their
// utilization (+Inf for the rest), through random moves; from them,
// bestRoomy finds the worker bestTarget's walk of the class finds, and
// the search of walk lists the workers its walk of the class's heaps
// lists, in the same order: every worker of the class who may take the
// unit, by utilization, then index. So do the searches as they run.
// Under hard capacity, so do the walks that turn, after passing a few
// workers who may not take the unit, to the list of those with the
// room for it (solver.roomFor), however short the list may be, and the
// heap of room under capacity holds each worker's. On small teams with
// caseload norms, hard capacity, skills, declines and workers of a few
// capacities, whose utilizations often tie.
func TestRoomyMatchesTheWalk(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(rt *rapid.T) {
		m := rapid.IntRange(1, 9).Draw(rt, "workers")
		p := Problem{AsOf: civil.MustParseDate("2026-12-01")}
		for j := range m {
			w := Worker{ID: fmt.Sprintf("w%d", j), Capacity: HoursPerWeek(rapid.SampledFrom([]float64{0, 4, 8, 12, 12.5}).Draw(rt, "capacity"))}
			if rapid.Bool().Draw(rt, "norm") {
				w.CaseloadNorm = CaseloadNorm(Shares(rapid.IntRange(0, 4).Draw(rt, "normShares")))
			}
			if rapid.Bool().Draw(rt, "skilled") {
				w.Skills = []string{"court"}
			}
			p.Workers = append(p.Workers, w)
		}
		n := rapid.IntRange(1, 14).Draw(rt, "cases")
		for i := range n {
			c := Case{ID: fmt.Sprintf("c%02d", i), Weight: HoursPerWeek(rapid.IntRange(1, 4).Draw(rt, "weight")),
				Share: Shares(rapid.SampledFrom([]float64{0, 0.5, 1}).Draw(rt, "share"))}
			if o := rapid.IntRange(-1, m-1).Draw(rt, "owner"); o >= 0 {
				c.Owner = p.Workers[o].ID
			}
			if rapid.IntRange(0, 3).Draw(rt, "needsSkill") == 0 {
				c.Skills = []string{"court"}
			}
			if d := rapid.IntRange(-1, m-1).Draw(rt, "decliner"); d >= 0 {
				c.Declines = []Decline{{Worker: p.Workers[d].ID}}
			}
			p.Cases = append(p.Cases, c)
		}
		opts := &RebalanceOptions{MaxMoves: -1, HardCapacity: rapid.Bool().Draw(rt, "hard")}
		s := testSolver(t, p, opts)
		for range rapid.IntRange(1, 20).Draw(rt, "steps") {
			randomPlace(rt, s)
			for b := range int32(s.m) {
				norm, hours := s.roomOf(b)
				want := s.canTake[b] && norm >= s.minShare && (!s.ro.hardCapacity || hours >= s.minHours)
				if got := s.roomyAt[b] >= 0; got != want {
					rt.Fatalf("worker %d in roomy: %v, want %v", b, got, want)
				}
				if key := s.walkKey[b]; want && key != s.util[b] || !want && !math.IsInf(key, 1) {
					rt.Fatalf("worker %d, in roomy %v, utilization %v: walkKey %v", b, want, s.util[b], key)
				}
			}
			if s.roomHeap != nil {
				for b := range int32(s.m) {
					if want := s.hoursRoomOf(b); s.hoursRoom[b] != want {
						rt.Fatalf("worker %d's room under capacity %v, want %v", b, s.hoursRoom[b], want)
					}
				}
				if t := s.roomHeap.top(); t >= 0 && s.hoursRoom[t] != slices.Max(s.hoursRoom) {
					rt.Fatalf("the room heap's top %d has %v, the most is %v", t, s.hoursRoom[t], slices.Max(s.hoursRoom))
				}
			}
			skip := int32(rapid.IntRange(-1, s.m-1).Draw(rt, "skip"))
			alpha := rapid.SampledFrom([]float64{1, 2}).Draw(rt, "alpha")
			patience := rapid.IntRange(1, 3).Draw(rt, "patience")
			// The most workers the list of those with room may hold,
			// from 1 to m, taken from skip rather than drawn, so that
			// the kept failure file replays the draws it was made of.
			listMost := 1 + int(skip+1)%m
			for y := range s.units {
				v := &s.units[y]
				cl := s.classAt(v.class)
				if len(cl.elig) == 0 {
					continue
				}
				got := s.bestRoomy(v, cl, skip, alpha)
				// As the searches run: from roomy where it is short,
				// and under hard capacity from the heap of room.
				asRun, _ := s.bestTargetWalk(v, skip, alpha)
				var asRunWalk []int32
				s.walk(v, skip, func(b int32) bool { asRunWalk = append(asRunWalk, b); return true })
				var gotWalk []int32
				for _, c := range slices.Clone(s.roomyFor(v, cl, skip, false)) {
					gotWalk = append(gotWalk, c.b)
				}
				roomy, roomyAt, roomHeap := s.roomy, s.roomyAt, s.roomHeap
				s.roomy, s.roomyAt, s.roomHeap = nil, nil, nil // the walk of the heaps
				want, _ := s.bestTargetWalk(v, skip, alpha)
				var wantWalk []int32
				s.walk(v, skip, func(b int32) bool { wantWalk = append(wantWalk, b); return true })
				s.roomy, s.roomyAt = roomy, roomyAt
				if roomHeap != nil {
					// Under hard capacity, walks that turn to the list
					// of those with room after passing a few who may
					// not take v.
					s.roomy, s.roomyAt, s.roomHeap = nil, nil, roomHeap
					s.patience, s.roomListMost = patience, listMost
					gotList, _ := s.bestTargetWalk(v, skip, alpha)
					var gotListWalk []int32
					s.walk(v, skip, func(b int32) bool { gotListWalk = append(gotListWalk, b); return true })
					s.roomy, s.roomyAt, s.patience, s.roomListMost = roomy, roomyAt, walkPatience, 0
					if gotList != want {
						rt.Fatalf("unit %s, skip %d, alpha %v, patience %d: from the room list %d, the walk %d", v.id, skip, alpha, patience, gotList, want)
					}
					if !slices.Equal(gotListWalk, wantWalk) {
						rt.Fatalf("unit %s, skip %d, patience %d: from the room list %v, the walk %v", v.id, skip, patience, gotListWalk, wantWalk)
					}
				}
				// The walk lists every worker of the class who may take
				// v, in order of utilization, then index.
				var all []int32
				for _, b := range cl.elig {
					if b != skip && s.fits(v, b, nil) {
						all = append(all, b)
					}
				}
				slices.SortFunc(all, func(a, b int32) int { return cmp.Or(cmp.Compare(s.util[a], s.util[b]), cmp.Compare(a, b)) })
				if !slices.Equal(wantWalk, all) {
					rt.Fatalf("unit %s, skip %d: the walk %v, the class's workers who may take it %v", v.id, skip, wantWalk, all)
				}
				if got != want {
					rt.Fatalf("unit %s, skip %d, alpha %v: bestRoomy %d, the walk %d", v.id, skip, alpha, got, want)
				}
				if asRun != want || !slices.Equal(asRunWalk, wantWalk) {
					rt.Fatalf("unit %s, skip %d, alpha %v: as run %d %v, the walk %d %v", v.id, skip, alpha, asRun, asRunWalk, want, wantWalk)
				}
				if !slices.Equal(gotWalk, wantWalk) {
					rt.Fatalf("unit %s, skip %d: roomy lists %v, the walk %v", v.id, skip, gotWalk, wantWalk)
				}
			}
		}
	})
}

// drawSmallProblem draws a small team (2 to 8 workers of a few
// capacities, some without, some with a caseload norm, some with paused
// intake, each holding each of skills or not) and 1 to 16 cases, queued
// or held, each needing one of skills or none: with k skills, a case
// needs skill i when a draw of 0 to 3 gives i < k.
func drawSmallProblem(rt *rapid.T, skills ...string) Problem {
	m := rapid.IntRange(2, 8).Draw(rt, "workers")
	p := Problem{AsOf: civil.MustParseDate("2026-12-01")}
	for j := range m {
		w := Worker{ID: fmt.Sprintf("w%d", j), Capacity: HoursPerWeek(rapid.SampledFrom([]float64{0, 4, 8, 12.5, 36}).Draw(rt, "capacity"))}
		for _, sk := range skills {
			if rapid.Bool().Draw(rt, "skilled") {
				w.Skills = append(w.Skills, sk)
			}
		}
		switch rapid.IntRange(0, 3).Draw(rt, "limit") {
		case 1:
			w.CaseloadNorm = CaseloadNorm(Shares(rapid.IntRange(0, 4).Draw(rt, "normShares")))
		case 2:
			w.Pause = &Pause{} // their own cases may come back
		}
		p.Workers = append(p.Workers, w)
	}
	for i := range rapid.IntRange(1, 16).Draw(rt, "cases") {
		c := Case{ID: fmt.Sprintf("c%02d", i), Weight: HoursPerWeek(rapid.Float64Range(0.25, 12).Draw(rt, "weight"))}
		if o := rapid.IntRange(-1, m-1).Draw(rt, "owner"); o >= 0 {
			c.Owner = p.Workers[o].ID
		}
		if k := rapid.IntRange(0, 3).Draw(rt, "needsSkill"); k < len(skills) {
			c.Skills = []string{skills[k]}
		}
		p.Cases = append(p.Cases, c)
	}
	return p
}

// randomPlace draws a unit and a worker, and places the unit there if
// it may go there (a free unit may also go back to the queue).
func randomPlace(rt *rapid.T, s *solver) {
	randomPlaceUnit(rt, s, int32(rapid.IntRange(0, len(s.units)-1).Draw(rt, "unit")))
}

// randomPlaceUnit puts unit x on a random worker who may take it, or
// takes it off if it is free, or leaves it.
func randomPlaceUnit(rt *rapid.T, s *solver, x int32) {
	if u := &s.units[x]; !u.stuck {
		if b := int32(rapid.IntRange(-1, s.m-1).Draw(rt, "to")); b < 0 && u.free || b >= 0 && s.fits(u, b, nil) {
			s.place(x, b)
		}
	}
}

// TestOffBoundsHold: offBounds bounds from below the new maximum
// utilization (with the fullest workers but those the step changes)
// and the change in the spread measure of every relocation and swap
// that takes a unit off the fullest worker to a worker of its class who
// may take it as they are (the only ones the searches for a relocation
// and a swap meet), or back to its own worker outside its class:
// bestStepOff passes by a unit whose bounds cannot beat its best step.
// On small teams of a few capacities, some without, with skills,
// caseload norms and paused intake, through random moves.
func TestOffBoundsHold(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(rt *rapid.T) {
		p := drawSmallProblem(rt, "court")
		s := testSolver(t, p, &RebalanceOptions{MaxMoves: -1, HardCapacity: rapid.Bool().Draw(rt, "hard")})
		for range rapid.IntRange(1, 10).Draw(rt, "steps") {
			randomPlace(rt, s)
			a := s.top.top()
			if a < 0 {
				continue
			}
			top := s.top.fullest()
			for _, x := range s.on[a] {
				u := &s.units[x]
				lo, dsLo := s.offBounds(u, a, &top)
				to := slices.Clone(s.classAt(u.class).elig)
				if o := s.homeOutside(u, a); o >= 0 {
					to = append(to, o)
				}
				for _, b := range to {
					if b == a || !s.fits(u, b, nil) {
						continue
					}
					check := func(d int64, what string) {
						na := float64(s.load[a]-d) * s.inv[a]
						nb := float64(s.load[b]+d) * s.inv[b]
						newMax := math.Max(math.Max(na, nb), top.except(a, b, -1))
						if dS := s.dSpread(a, b, d); newMax < lo || dS < dsLo {
							rt.Fatalf("%s of %s from %d to %d: new maximum %v, change in spread %v; bounds %v, %v", what, u.id, a, b, newMax, dS, lo, dsLo)
						}
					}
					check(u.w, "relocation")
					for _, y := range s.on[b] {
						if v := &s.units[y]; v.w < u.w {
							check(u.w-v.w, "swap")
						}
					}
				}
			}
		}
	})
}

// TestEjectSameWithoutLooks: under hard capacity, eject, which passes
// by the units of a worker whose room and the most room anyone has fall
// short of the unit together, places the same units in the same places
// as an eject that looks at every unit within its reach (without the
// heap of room under capacity): on small teams, from random moves.
func TestEjectSameWithoutLooks(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(rt *rapid.T) {
		m := rapid.IntRange(1, 6).Draw(rt, "workers")
		p := Problem{AsOf: civil.MustParseDate("2026-12-01")}
		for j := range m {
			w := Worker{ID: fmt.Sprintf("w%d", j), Capacity: HoursPerWeek(rapid.SampledFrom([]float64{0, 4, 8, 12.5}).Draw(rt, "capacity"))}
			if rapid.Bool().Draw(rt, "norm") {
				w.CaseloadNorm = CaseloadNorm(Shares(rapid.IntRange(0, 4).Draw(rt, "normShares")))
			}
			p.Workers = append(p.Workers, w)
		}
		n := rapid.IntRange(1, 14).Draw(rt, "cases")
		for i := range n {
			c := Case{ID: fmt.Sprintf("c%02d", i), Weight: HoursPerWeek(rapid.IntRange(1, 8).Draw(rt, "weight"))}
			if d := rapid.IntRange(-1, m-1).Draw(rt, "decliner"); d >= 0 {
				c.Declines = []Decline{{Worker: p.Workers[d].ID}}
			}
			p.Cases = append(p.Cases, c)
		}
		opts := &RebalanceOptions{MaxMoves: -1, HardCapacity: true}
		s, plain := testSolver(t, p, opts), testSolver(t, p, opts)
		plain.roomHeap = nil
		for range rapid.IntRange(0, 20).Draw(rt, "moves") {
			x := int32(rapid.IntRange(0, len(s.units)-1).Draw(rt, "unit"))
			if b := int32(rapid.IntRange(-1, s.m-1).Draw(rt, "to")); b < 0 || s.fits(&s.units[x], b, nil) {
				s.place(x, b)
				plain.place(x, b)
			}
		}
		for x := range s.units {
			if s.units[x].pos >= 0 {
				continue
			}
			got, want := s.eject(int32(x)), plain.eject(int32(x))
			if got != want {
				rt.Fatalf("eject of %s: %v, looking at every unit %v", s.units[x].id, got, want)
			}
			for y := range s.units {
				if s.units[y].pos != plain.units[y].pos {
					rt.Fatalf("after eject of %s, %s is on %d, looking at every unit on %d", s.units[x].id, s.units[y].id, s.units[y].pos, plain.units[y].pos)
				}
			}
		}
	})
}

// TestBestOfMatchesSorted: bestOf, which takes the emptiest worker of
// each capacity group without sorting every candidate, finds the worker
// that taking the candidates in the order of a walk finds (groups from
// the largest capacities down, then utilization, then index), the
// first of each group in a class of one capacity per group: on up to
// 128 groups, whose candidates' utilizations and values often tie, or
// come within eps of each other.
func TestBestOfMatchesSorted(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(rt *rapid.T) {
		// Many groups and few candidates too: bestOf sorts the firsts
		// of the groups where they are fewer than an eighth of them.
		groups := rapid.SampledFrom([]int{1, 2, 3, 8, 9, 17, 64, maxCapGroups}).Draw(rt, "groups")
		m := rapid.IntRange(1, 40).Draw(rt, "workers")
		s := &solver{inv: make([]float64, m)}
		for b := range s.inv {
			s.inv[b] = 1 / (micro * float64(rapid.SampledFrom([]int{4, 8, 12, 36}).Draw(rt, "capacity")))
		}
		cl := &class{exact: rapid.Bool().Draw(rt, "exact"), groups: make([]utilHeap, groups)}
		var cs []roomyCand
		for b := range int32(m) {
			if rapid.Bool().Draw(rt, "candidate") {
				g := int32(rapid.IntRange(0, groups-1).Draw(rt, "group"))
				// Utilizations a few rounding errors apart, whose values
				// tie within eps but not exactly: the order in which
				// they are taken decides.
				util := float64(rapid.IntRange(0, 4).Draw(rt, "util"))/4 + float64(rapid.IntRange(0, 3).Draw(rt, "ulp"))*4e-13
				cs = append(cs, roomyCand{g: g, util: util, b: b})
			}
		}
		u := &unit{w: micro * int64(rapid.IntRange(1, 8).Draw(rt, "weight"))}
		alpha := rapid.SampledFrom([]float64{1, 2}).Draw(rt, "alpha")
		// The reference: the walk's order, and in a class of one
		// capacity per group the first of each group.
		sorted := slices.Clone(cs)
		sortCands(sorted)
		want, bestV := int32(-1), math.Inf(1)
		last := int32(-1)
		for _, c := range sorted {
			if cl.exact && c.g == last {
				continue
			}
			last = c.g
			if v := alpha*c.util + float64(u.w)*s.inv[c.b]; v < bestV-eps || (v <= bestV+eps && c.b < want) {
				want, bestV = c.b, v
			}
		}
		if cl.exact {
			cs = rapid.Permutation(cs).Draw(rt, "order") // as candsOf gives them
		} else {
			cs = sorted
		}
		if got := s.bestOf(cs, cl, u, alpha); got != want {
			rt.Fatalf("bestOf %d, the walk's order %d", got, want)
		}
		for g, k := range s.groupAt {
			if k != -1 {
				rt.Fatalf("groupAt[%d] = %d after bestOf, want -1", g, k)
			}
		}
	})
}
