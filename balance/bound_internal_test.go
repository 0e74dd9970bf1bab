package balance

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"pgregory.net/rapid"
)

// TestBoundAtThePlansLevel: a worker of capacity 100,000 h holds 1 h
// that stays and a unit of 2.5 h that may go to them or to a worker of
// 36 h. The plan that leaves it is at 3.5e-5, and the bound must not
// pass it, even when it stops at its first step of bisection: T·c at
// T = 3.5e-5 rounds to a hair below 3.5 h, and the room it gave was a
// unit short, so the relaxation read the plan's level as infeasible and
// the stopped bisection returned its upper end, 0.069.
func TestBoundAtThePlansLevel(t *testing.T) {
	t.Parallel()
	stops := 0
	in := &boundInput{
		cap:      []float64{36, 1e5},
		fixed:    []int64{0, 1_000_000},
		eligible: [][]int32{{0, 1}},
		demand:   []int64{2_500_000},
		unitW:    []int64{2_500_000},
		unitC:    []int32{0},
		budget:   -1,
		// It stops after the network is built.
		stop: func() bool { stops++; return stops > 1 },
	}
	assert.InDelta(t, 3.5e-5, lowerBound(in), 1e-15)
}

// TestBoundAtTheSumOfRooms: two workers of 10 h share four units of
// 2.5 h. The rooms add up to the load first at 0.5, where the flow also
// carries it, and the bound is 0.5 exactly, not the next breakpoint
// above the level where the sum of rooms was first found enough (0.75).
// When one worker alone may take three of the units, skills bind: the
// sum of rooms suffices at 0.5, the flow does not, and the bound is
// 0.75.
func TestBoundAtTheSumOfRooms(t *testing.T) {
	t.Parallel()
	shared := &boundInput{
		cap:      []float64{10, 10},
		fixed:    []int64{0, 0},
		eligible: [][]int32{{0, 1}},
		demand:   []int64{10_000_000},
		unitW:    []int64{2_500_000, 2_500_000, 2_500_000, 2_500_000},
		unitC:    []int32{0, 0, 0, 0},
		budget:   -1,
		hint:     0.75,
	}
	assert.InDelta(t, 0.5, lowerBound(shared), 1e-15, "skills do not bind")
	bound := &boundInput{
		cap:      []float64{10, 10},
		fixed:    []int64{0, 0},
		eligible: [][]int32{{0}, {0, 1}},
		demand:   []int64{7_500_000, 2_500_000},
		unitW:    []int64{2_500_000, 2_500_000, 2_500_000, 2_500_000},
		unitC:    []int32{0, 0, 0, 1},
		budget:   -1,
		hint:     0.75,
	}
	assert.InDelta(t, 0.75, lowerBound(bound), 1e-15, "skills bind")
}

// TestBoundRoomsDoNotOverflow: three workers of 10^13 h share four
// units of 10^12 h, and no plan is below 0.2 (one worker takes two).
// Each room is capped at the movable load, 4·10^18 µh, and at the top
// of the bisection three of them added up to more than an int64 holds:
// the sum came out negative, the top level read as infeasible, and the
// bound fell back to the heaviest unit's 0.1.
func TestBoundRoomsDoNotOverflow(t *testing.T) {
	t.Parallel()
	const w = 1_000_000_000_000_000_000 // 10^12 h in µh
	in := &boundInput{
		cap:      []float64{1e13, 1e13, 1e13},
		fixed:    []int64{0, 0, 0},
		eligible: [][]int32{{0, 1, 2}},
		demand:   []int64{4 * w},
		unitW:    []int64{w, w, w, w},
		unitC:    []int32{0, 0, 0, 0},
		budget:   -1,
	}
	assert.InDelta(t, 0.2, lowerBound(in), 1e-12)
}

// TestBoundRoomsDoNotOverflowPastHalf: as TestBoundRoomsDoNotOverflow,
// with a movable load of 6·10^18 µh, past half of what an int64 holds
// (as six million cases of 10^6 h, the most a case may weigh, would
// make it): four units of 10^12 h that only the first of three workers
// of 10^13 h may take, and two that any may. The sum of the rooms
// holds the load from 0.2 on, where the flow does not (skills bind),
// so the flow is asked at the top level, where every room is capped at
// the load: a sum below the load plus one such room overflowed all the
// same, the top read as infeasible, and the bound fell back to the
// heaviest unit's 0.1, where no plan is below 0.4 (the first worker
// takes their four).
func TestBoundRoomsDoNotOverflowPastHalf(t *testing.T) {
	t.Parallel()
	const w = 1_000_000_000_000_000_000 // 10^12 h in µh
	in := &boundInput{
		cap:      []float64{1e13, 1e13, 1e13},
		fixed:    []int64{0, 0, 0},
		eligible: [][]int32{{0}, {0, 1, 2}},
		demand:   []int64{4 * w, 2 * w},
		unitW:    []int64{w, w, w, w, w, w},
		unitC:    []int32{0, 0, 0, 0, 1, 1},
		budget:   -1,
	}
	assert.InDelta(t, 0.4, lowerBound(in), 1e-12)
}

// TestBoundSumOfRoomsDoesNotOverflow: nine units of 10^12 h, a movable
// load of 9·10^18 µh, on three workers of 10^13 h, the first of whom
// holds 4·10^18 µh that stays: no plan is below 0.5 (at 0.45 the rooms
// take eight units). The bisection on the sum of the rooms first asks
// 0.85, where the first worker's room, 4.5·10^18, and the second's,
// 8.5·10^18, both below the load, overflowed an int64 when added: the
// sum read as short of the load, and the bound came out at 0.85 or
// above, past a plan of 0.5.
func TestBoundSumOfRoomsDoesNotOverflow(t *testing.T) {
	t.Parallel()
	const w = 1_000_000_000_000_000_000 // 10^12 h in µh
	in := &boundInput{
		cap:      []float64{1e13, 1e13, 1e13},
		fixed:    []int64{4 * w, 0, 0},
		eligible: [][]int32{{0, 1, 2}},
		demand:   []int64{9 * w},
		unitW:    []int64{w, w, w, w, w, w, w, w, w},
		unitC:    []int32{0, 0, 0, 0, 0, 0, 0, 0, 0},
		budget:   -1,
	}
	assert.InDelta(t, 0.5, lowerBound(in), 1e-12)
}

// TestBoundThroughClassNode: a class that may go to another class's
// workers through its node, as a held unit's class does without a move
// budget, gives the bound of the same input with those workers copied
// into its own list.
func TestBoundThroughClassNode(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		m := rapid.IntRange(1, 6).Draw(t, "workers")
		in := &boundInput{budget: -1}
		for j := range m {
			in.cap = append(in.cap, float64(rapid.IntRange(0, 40).Draw(t, fmt.Sprint("cap", j))))
			in.fixed = append(in.fixed, int64(rapid.IntRange(0, 20).Draw(t, fmt.Sprint("fixed", j)))*250_000)
		}
		k := rapid.IntRange(1, 4).Draw(t, "classes")
		for c := range k {
			in.eligible = append(in.eligible, subset(t, m, fmt.Sprint("class", c)))
			in.via = append(in.via, -1)
			in.demand = append(in.demand, 0)
		}
		// Classes that may go to one of the first k classes' workers,
		// and to a worker of their own.
		for c := range rapid.IntRange(0, 4).Draw(t, "through") {
			in.eligible = append(in.eligible, []int32{int32(rapid.IntRange(0, m-1).Draw(t, fmt.Sprint("holder", c)))})
			in.via = append(in.via, int32(rapid.IntRange(0, k-1).Draw(t, fmt.Sprint("via", c))))
			in.demand = append(in.demand, 0)
		}
		for u := range rapid.IntRange(1, 10).Draw(t, "units") {
			c := rapid.IntRange(0, len(in.demand)-1).Draw(t, fmt.Sprint("unit", u))
			w := int64(rapid.IntRange(1, 16).Draw(t, fmt.Sprint("w", u))) * 250_000
			in.unitW, in.unitC = append(in.unitW, w), append(in.unitC, int32(c))
			in.demand[c] += w
		}
		flat := *in
		flat.via = nil
		flat.eligible = make([][]int32, len(in.eligible))
		for c := range in.eligible {
			flat.eligible[c] = slices.Collect(in.workers(c))
		}
		assert.Equal(t, lowerBound(&flat), lowerBound(in))
	})
}

// subset draws an ascending subset of the m workers.
func subset(t *rapid.T, m int, label string) []int32 {
	var s []int32
	for j := range m {
		if rapid.Bool().Draw(t, fmt.Sprint(label, "has", j)) {
			s = append(s, int32(j))
		}
	}
	return s
}
