package balance_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// tinyGen generates problems of up to 3 workers and 8 cases without
// families, either all queued or all held.
func tinyGen(held bool) *rapid.Generator[balance.Problem] {
	return rapid.Custom(func(t *rapid.T) balance.Problem {
		p := balance.Problem{AsOf: asOfDate}
		nw := rapid.IntRange(1, 3).Draw(t, "workers")
		var ids []string
		for i := range nw {
			id := fmt.Sprintf("w%d", i)
			ids = append(ids, id)
			w := balance.Worker{
				ID:       id,
				Capacity: balance.HoursPerWeek(rapid.SampledFrom([]float64{0, 8, 16, 24, 32, 36}).Draw(t, "capacity")),
				Skills:   subsetGen(skillPool[:2]).Draw(t, "skills"),
				Away:     rapid.IntRange(0, 8).Draw(t, "away") == 0,
			}
			if rapid.IntRange(0, 3).Draw(t, "has-norm") == 0 {
				w.CaseloadNorm = balance.CaseloadNorm(balance.Shares(rapid.IntRange(0, 4).Draw(t, "norm")))
			}
			p.Workers = append(p.Workers, w)
		}
		nc := rapid.IntRange(0, 8).Draw(t, "cases")
		for i := range nc {
			c := balance.Case{
				ID:     fmt.Sprintf("c%d", i),
				Weight: balance.HoursPerWeek(rapid.IntRange(0, 40).Draw(t, "weight")) / 4,
				Skills: subsetGen(skillPool[:2]).Draw(t, "skills"),
			}
			if rapid.IntRange(0, 5).Draw(t, "declines") == 0 {
				c.Declines = []balance.Decline{{Worker: rapid.SampledFrom(ids).Draw(t, "decliner")}}
			}
			if held {
				c.Owner = rapid.SampledFrom(ids).Draw(t, "owner")
				c.Pinned = rapid.IntRange(0, 6).Draw(t, "pinned") == 0
			}
			p.Cases = append(p.Cases, c)
		}
		return p
	})
}

// bruteForce returns the least maximum utilization over every valid
// assignment of p's cases, and whether any valid assignment places them
// all. maxMoves limits the held cases that change worker (negative: no
// limit).
func bruteForce(p balance.Problem, maxMoves int, hard bool) (float64, bool) {
	workers := map[string]balance.Worker{}
	for _, w := range p.Workers {
		workers[w.ID] = w
	}
	initShares, initHours := map[string]float64{}, map[string]float64{}
	for _, c := range p.Cases {
		initShares[c.Owner] += share(c)
		initHours[c.Owner] += float64(c.Weight)
	}
	// Options per case.
	opts := make([][]string, len(p.Cases))
	for k, c := range p.Cases {
		if c.Owner != "" {
			opts[k] = append(opts[k], c.Owner)
			if o := workers[c.Owner]; c.Pinned || absentToday(p, o) {
				continue
			}
		}
		for _, w := range p.Workers {
			if w.ID == c.Owner {
				continue
			}
			out := slices.DeleteFunc(expectedOut(p, w, c), func(c balance.Code) bool { return c == balance.CodeAtNorm })
			if len(out) == 0 {
				opts[k] = append(opts[k], w.ID)
			}
		}
	}
	// The objective: least load stranded with workers without capacity
	// (all overload), then the least maximum utilization.
	bestStranded, best, found := math.Inf(1), math.Inf(1), false
	choice := make([]string, len(p.Cases))
	var rec func(k, moves int)
	rec = func(k, moves int) {
		if k == len(p.Cases) {
			shares, hours := map[string]float64{}, map[string]float64{}
			for i, c := range p.Cases {
				shares[choice[i]] += share(c)
				hours[choice[i]] += float64(c.Weight)
			}
			m, stranded := 0.0, 0.0
			for _, w := range p.Workers {
				if w.Capacity == 0 && !absentToday(p, w) {
					stranded += hours[w.ID]
				}
				if w.CaseloadNorm != nil && shares[w.ID] > math.Max(float64(*w.CaseloadNorm), initShares[w.ID])+1e-4 {
					return
				}
				if hard && hours[w.ID] > math.Max(float64(w.Capacity), initHours[w.ID])+1e-9 {
					return
				}
				if w.Capacity > 0 {
					m = math.Max(m, hours[w.ID]/float64(w.Capacity))
				}
			}
			if stranded < bestStranded-1e-9 || math.Abs(stranded-bestStranded) <= 1e-9 && m < best {
				bestStranded, best = stranded, m
			}
			found = true
			return
		}
		for _, w := range opts[k] {
			mv := moves
			if p.Cases[k].Owner != "" && w != p.Cases[k].Owner {
				mv++
			}
			if maxMoves >= 0 && mv > maxMoves {
				continue
			}
			choice[k] = w
			rec(k+1, mv)
		}
	}
	rec(0, 0)
	return best, found
}

// TestProposeOracleQueue checks, on tiny teams with every case queued,
// that the proposal reaches the optimum found by brute force, and that
// the bound never exceeds it.
func TestProposeOracleQueue(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := tinyGen(false).Draw(t, "problem")
		hard := rapid.Bool().Draw(t, "hard")
		opt, ok := bruteForce(p, 0, hard)
		pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{HardCapacity: hard})
		require.NoError(t, err)
		if !ok {
			assert.NotEmpty(t, pr.Unplaceable, "nothing fits, yet all placed")
			return
		}
		require.Empty(t, pr.Unplaceable, "all cases fit, yet some are unplaced")
		assert.InDelta(t, opt, pr.MaxUtilization, 1e-6, "not optimal")
		assert.LessOrEqual(t, pr.Bound, opt+1e-9)
		if pr.Status == balance.StatusOptimal {
			assert.InDelta(t, opt, pr.MaxUtilization, 1e-9, "proven optimal, but it is not")
		}
	})
}

// TestProposeOracleBudget checks the move-budget rebalance of tiny
// teams against brute force with the same budget.
func TestProposeOracleBudget(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := tinyGen(true).Draw(t, "problem")
		k := rapid.IntRange(-1, 3).Draw(t, "max-moves")
		hard := rapid.Bool().Draw(t, "hard")
		opt, ok := bruteForce(p, k, hard)
		require.True(t, ok, "the current assignment is always valid")
		pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{MaxMoves: k, HardCapacity: hard, MinGain: -1})
		require.NoError(t, err)
		assert.InDelta(t, opt, pr.MaxUtilization, 1e-6, "not optimal with %d moves", k)
		assert.LessOrEqual(t, pr.Bound, opt+1e-9)
		if pr.Status == balance.StatusOptimal {
			assert.InDelta(t, opt, pr.MaxUtilization, 1e-9, "proven optimal, but it is not")
		}
	})
}

// TestProposeUrgencyWaits pins the rule that, when not everything fits,
// what waits is the least urgent: by deadline, then priority, then
// arrival, then ID.
func TestProposeUrgencyWaits(t *testing.T) {
	t.Parallel()
	p := balance.Problem{
		AsOf:    asOfDate,
		Workers: []balance.Worker{{ID: "a", Capacity: 10}},
		Cases: []balance.Case{
			{ID: "x", Weight: 6, Deadline: asOfDate.AddDays(1)},
			{ID: "y", Weight: 5},
			{ID: "z", Weight: 5, Priority: 2},
		},
	}
	pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{HardCapacity: true})
	require.NoError(t, err)
	var waiting []string
	for _, u := range pr.Unplaceable {
		waiting = append(waiting, u.Case)
	}
	// x has a deadline and goes first; z outranks y by priority but
	// cannot fit beside x, so both z and y wait: only one 5-hour case
	// would fit in the 4 hours left, and none does.
	assert.Equal(t, []string{"y", "z"}, waiting)

	p.Cases[0].Weight = 5 // now x and one of the others fit
	pr, err = balance.Propose(context.Background(), p, &balance.RebalanceOptions{HardCapacity: true})
	require.NoError(t, err)
	require.Len(t, pr.Unplaceable, 1)
	assert.Equal(t, "y", pr.Unplaceable[0].Case, "y has neither deadline nor priority")
}

// skewedGen generates held teams of 2 to 5 workers and up to 10 cases,
// most of them held by the first two workers, so that a move budget is
// what keeps the fullest worker full.
func skewedGen() *rapid.Generator[balance.Problem] {
	return rapid.Custom(func(t *rapid.T) balance.Problem {
		p := balance.Problem{AsOf: asOfDate}
		nw := rapid.IntRange(2, 5).Draw(t, "workers")
		var ids []string
		for i := range nw {
			id := fmt.Sprintf("w%d", i)
			ids = append(ids, id)
			p.Workers = append(p.Workers, balance.Worker{
				ID:       id,
				Capacity: balance.HoursPerWeek(rapid.SampledFrom([]float64{8, 16, 24, 36}).Draw(t, "capacity")),
				Skills:   subsetGen(skillPool[:2]).Draw(t, "skills"),
			})
		}
		nc := rapid.IntRange(1, 10).Draw(t, "cases")
		for i := range nc {
			owner := ids[rapid.IntRange(0, 1).Draw(t, "owner")]
			if rapid.IntRange(0, 4).Draw(t, "elsewhere") == 0 {
				owner = rapid.SampledFrom(ids).Draw(t, "other-owner")
			}
			p.Cases = append(p.Cases, balance.Case{
				ID:     fmt.Sprintf("c%d", i),
				Weight: balance.HoursPerWeek(rapid.IntRange(1, 48).Draw(t, "weight")) / 4,
				Skills: subsetGen(skillPool[:1]).Draw(t, "skills"),
				Owner:  owner,
				Pinned: rapid.IntRange(0, 9).Draw(t, "pinned") == 0,
			})
		}
		return p
	})
}

// TestBoundMoveBudgetOracle holds the bound under a move budget against
// the optimum with that budget, found by brute force: the bound never
// exceeds it, and the proposal reaches it.
func TestBoundMoveBudgetOracle(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := skewedGen().Draw(t, "problem")
		k := rapid.IntRange(1, 4).Draw(t, "max-moves")
		opt, ok := bruteForce(p, k, false)
		require.True(t, ok, "the current assignment is always valid")
		pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{MaxMoves: k, MinGain: -1})
		require.NoError(t, err)
		assert.LessOrEqual(t, pr.Bound, opt+1e-9, "the bound is above the optimum with %d moves", k)
		assert.InDelta(t, opt, pr.MaxUtilization, 1e-6, "not optimal with %d moves", k)
		if pr.Status == balance.StatusOptimal {
			assert.InDelta(t, opt, pr.MaxUtilization, 1e-9, "proven optimal, but it is not")
		}
	})
}

// budgetBoundGen generates held teams of 1 to 5 workers, some without
// capacity, and up to 10 cases, most held by the first worker, with a skill that only a few
// hold, cases that some workers declined and cases heavier than some
// workers' room: the shapes the bound's count of moves looks at, where
// a receiver's room, or the moves it must make to have room, decide.
func budgetBoundGen() *rapid.Generator[balance.Problem] {
	return rapid.Custom(func(t *rapid.T) balance.Problem {
		p := balance.Problem{AsOf: asOfDate}
		nw := rapid.IntRange(1, 5).Draw(t, "workers")
		var ids []string
		for i := range nw {
			id := fmt.Sprintf("w%d", i)
			ids = append(ids, id)
			w := balance.Worker{
				ID:       id,
				Capacity: balance.HoursPerWeek(rapid.SampledFrom([]float64{0, 8, 16, 24, 36}).Draw(t, "capacity")),
			}
			// The first worker, and some others, hold the rare skill.
			if i == 0 || rapid.IntRange(0, 2).Draw(t, "skilled") == 0 {
				w.Skills = []string{skillPool[0]}
			}
			p.Workers = append(p.Workers, w)
		}
		nc := rapid.IntRange(1, 10).Draw(t, "cases")
		for i := range nc {
			owner := ids[0]
			if rapid.IntRange(0, 2).Draw(t, "elsewhere") == 0 {
				owner = rapid.SampledFrom(ids).Draw(t, "other-owner")
			}
			c := balance.Case{
				ID:     fmt.Sprintf("c%d", i),
				Weight: balance.HoursPerWeek(rapid.IntRange(1, 64).Draw(t, "weight")) / 4,
				Owner:  owner,
				Pinned: rapid.IntRange(0, 9).Draw(t, "pinned") == 0,
			}
			if rapid.Bool().Draw(t, "rare") {
				c.Skills = []string{skillPool[0]}
			}
			if rapid.IntRange(0, 3).Draw(t, "declines") == 0 {
				if d := rapid.SampledFrom(ids).Draw(t, "decliner"); d != owner {
					c.Declines = []balance.Decline{{Worker: d}}
				}
			}
			p.Cases = append(p.Cases, c)
		}
		return p
	})
}

// TestLowerBoundBudgetOracle holds the lower bound under a move budget
// alone, before any search (which on small teams would replace it by
// the optimum it proves), against the optimum with that budget found
// by brute force: it never exceeds it.
func TestLowerBoundBudgetOracle(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := budgetBoundGen().Draw(t, "problem")
		if rapid.IntRange(0, 3).Draw(t, "tiny") == 0 {
			p = tinyGen(true).Draw(t, "tiny-problem")
		}
		k := rapid.IntRange(1, 4).Draw(t, "max-moves")
		opt, ok := bruteForce(p, k, false)
		require.True(t, ok, "the current assignment is always valid")
		assert.LessOrEqual(t, balance.BudgetBound(p, k), opt+1e-9, "the bound is above the optimum with %d moves", k)
	})
}
