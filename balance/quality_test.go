package balance_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func overloaded(s balancetest.Size) balancetest.Size {
	s.Demand = 1.2
	return s
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// TestQualityFromEmpty holds the solver to quality targets on seeded
// instances placed from an empty assignment: the median
// gap between the proposal's maximum utilization and the proven lower
// bound is within 1% on teams and 0.5% on regions and sparse teams
// (issue 21's target for sparse teams; measured 0.12%, worst 2.4%).
func TestQualityFromEmpty(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		shape  balancetest.Size
		seeds  int
		target float64
		long   bool
	}{
		{"team", balancetest.TeamSize(), 20, 0.01, false},
		{"sparse", balancetest.SparseSize(), 20, 0.005, false},
		{"region", balancetest.RegionSize(), 5, 0.005, true},
		// Demand at 120% of capacity scales every weight alike, and the
		// maximum utilization and its bound with them: the team and
		// sparse variants were these very instances (the same gaps to
		// the digit). The region's weights are rounded to whole units
		// after scaling, so its variant differs; TestQualityOverloaded
		// holds overloaded teams to hard capacity.
		{"region-overloaded", overloaded(balancetest.RegionSize()), 5, 0.005, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.long && testing.Short() {
				t.Skip("large instances")
			}
			var gaps []float64
			for seed := 1; seed <= tt.seeds; seed++ {
				p := balancetest.Generate(uint64(seed), tt.shape)
				pr, err := balance.Propose(context.Background(), p, nil)
				require.NoError(t, err)
				require.Empty(t, pr.Unplaceable)
				gaps = append(gaps, pr.Gap)
			}
			t.Logf("%s: median gap %.3f%%, worst %.3f%% over %d seeds", tt.name, 100*median(gaps), 100*slices.Max(gaps), tt.seeds)
			assert.LessOrEqual(t, median(gaps), tt.target)
		})
	}
}

// TestQualityOverloaded gives teams and sparse teams 20% more work
// than capacity, with capacity a hard limit. Every proposal keeps the
// invariants: in particular no case waits that a worker could take in
// the proposal (on sparse teams the search left whole families, and
// cases behind room it had since freed, waiting). On teams, what waits
// weighs at most 5% more (median over 20 seeds) than the excess of work
// over capacity, which any plan leaves waiting (measured: 2.6%, worst
// 8.0%). The solver chooses what waits by urgency, not weight, so the
// excess is a floor, not the optimum.
func TestQualityOverloaded(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		shape balancetest.Size
	}{
		{"team", overloaded(balancetest.TeamSize())},
		{"sparse", overloaded(balancetest.SparseSize())},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var over []float64
			for seed := 1; seed <= 20; seed++ {
				p := balancetest.Generate(uint64(seed), tt.shape)
				for _, moves := range []int{0, 5, -1} {
					opts := &balance.RebalanceOptions{HardCapacity: true, MaxMoves: moves}
					pr, err := balance.Propose(context.Background(), p, opts)
					require.NoError(t, err)
					require.NoError(t, balancetest.CheckProposal(p, opts, pr), "seed %d, MaxMoves %d", seed, moves)
					if moves != 0 {
						continue
					}
					weight := map[string]float64{}
					total, capacity, waiting := 0.0, 0.0, 0.0
					for _, c := range p.Cases {
						weight[c.ID] = float64(c.Weight)
						total += float64(c.Weight)
					}
					for _, w := range p.Workers {
						capacity += float64(w.Capacity)
					}
					for _, u := range pr.Unplaceable {
						waiting += weight[u.Case]
					}
					over = append(over, waiting/(total-capacity)-1)
				}
			}
			t.Logf("%s: waiting weight over the excess: median %.2f%%, worst %.2f%%", tt.name, 100*median(over), 100*slices.Max(over))
			if tt.name == "team" {
				assert.LessOrEqual(t, median(over), 0.05)
			}
		})
	}
}

// budgetOptimum returns the least maximum utilization reachable from
// p's assignment with at most k moves of single cases, by depth-first
// enumeration of move sets in case order. p has no families, pins,
// norms or absences; only skills and declines restrict moves.
func budgetOptimum(p balance.Problem, k int) float64 {
	idx := map[string]int{}
	for j, w := range p.Workers {
		idx[w.ID] = j
	}
	load := make([]float64, len(p.Workers))
	owner := make([]int, len(p.Cases))
	for i, c := range p.Cases {
		owner[i] = idx[c.Owner]
		load[owner[i]] += float64(c.Weight)
	}
	can := make([][]int, len(p.Cases))
	for i, c := range p.Cases {
		for j, w := range p.Workers {
			if j != owner[i] && len(expectedOut(p, w, c)) == 0 {
				can[i] = append(can[i], j)
			}
		}
	}
	maxU := func() float64 {
		m := 0.0
		for j, w := range p.Workers {
			m = math.Max(m, load[j]/float64(w.Capacity))
		}
		return m
	}
	best := maxU()
	var rec func(from, left int)
	rec = func(from, left int) {
		best = math.Min(best, maxU())
		if left == 0 {
			return
		}
		for i := from; i < len(p.Cases); i++ {
			w := float64(p.Cases[i].Weight)
			for _, j := range can[i] {
				load[owner[i]] -= w
				load[j] += w
				rec(i+1, left-1)
				load[j] -= w
				load[owner[i]] += w
			}
		}
	}
	rec(0, k)
	return best
}

// TestQualityMoveBudget measures the move-budget rebalance, the hard
// mode, against the exact optimum with the same budget on mid-size
// teams (8 workers, 36 cases, skewed), and asserts the median excess.
func TestQualityMoveBudget(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("exact enumeration takes seconds")
	}
	for _, tt := range []struct {
		shape balancetest.Size
		k     int
	}{
		{balancetest.Size{Workers: 8, Cases: 36, Assigned: true, PinShare: -1, FamilyShare: -1, Skills: -1, Unit: 0.25}, 1},
		{balancetest.Size{Workers: 8, Cases: 36, Assigned: true, PinShare: -1, FamilyShare: -1, Skills: -1, Unit: 0.25}, 2},
		{balancetest.Size{Workers: 8, Cases: 36, Assigned: true, PinShare: -1, FamilyShare: -1, Skills: -1, Unit: 0.25}, 3},
		{balancetest.Size{Workers: 6, Cases: 28, Assigned: true, PinShare: -1, FamilyShare: -1, Skills: -1, Unit: 0.25}, 4},
	} {
		shape, k := tt.shape, tt.k
		var excess []float64
		tight := 0
		for seed := 1; seed <= 6; seed++ {
			p := balancetest.Generate(uint64(seed), shape)
			opt := budgetOptimum(p, k)
			pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{MaxMoves: k, MinGain: -1})
			require.NoError(t, err)
			require.LessOrEqual(t, pr.MovesUsed, k)
			require.GreaterOrEqual(t, pr.MaxUtilization, opt-1e-6, "better than the optimum: the oracle is wrong")
			require.LessOrEqual(t, pr.Bound, opt+1e-9, "the bound is above the optimum")
			excess = append(excess, pr.MaxUtilization/opt-1)
			if pr.Bound >= opt-1e-9 {
				tight++
			}
		}
		t.Logf("budget %d: median excess over the optimum %.3f%%, worst %.3f%%; bound equals the optimum on %d of 6",
			k, 100*median(excess), 100*slices.Max(excess), tight)
		assert.LessOrEqual(t, median(excess), 0.01, "budget %d", k)
	}
}

// A baseline is how a team might share out the queue without the
// solver: it picks a worker for each case from those who may take it.
type baseline struct {
	name string
	pick func(eligible []int, load, count []float64, caps []float64, turn int) int
}

var baselines = []baseline{
	{"round-robin", func(el []int, _, _, _ []float64, turn int) int { return el[turn%len(el)] }},
	{"fewest cases", func(el []int, _, count, _ []float64, _ int) int {
		best := el[0]
		for _, j := range el {
			if count[j] < count[best] {
				best = j
			}
		}
		return best
	}},
	{"least loaded", func(el []int, load, _, caps []float64, _ int) int {
		best := el[0]
		for _, j := range el {
			if load[j]/caps[j] < load[best]/caps[best] {
				best = j
			}
		}
		return best
	}},
}

// runBaseline places p's queued cases in ID order with b, keeping
// families with the worker who holds them, and returns the maximum
// utilization, or false if some case found no eligible worker.
func runBaseline(p balance.Problem, b baseline) (float64, bool) {
	idx := map[string]int{}
	caps := make([]float64, len(p.Workers))
	for j, w := range p.Workers {
		idx[w.ID] = j
		caps[j] = float64(w.Capacity)
	}
	load := make([]float64, len(p.Workers))
	count := make([]float64, len(p.Workers))
	shares := make([]float64, len(p.Workers))
	family := map[string]int{}
	for _, c := range p.Cases {
		if j, ok := idx[c.Owner]; ok {
			load[j] += float64(c.Weight)
			count[j]++
			shares[j] += share(c)
			if c.Group != "" {
				family[c.Group] = j
			}
		}
	}
	turn := 0
	queue := slices.Clone(p.Cases)
	slices.SortFunc(queue, func(a, b balance.Case) int { return compareIDs(a.ID, b.ID) })
	for _, c := range queue {
		if c.Owner != "" {
			continue
		}
		var el []int
		for j, w := range p.Workers {
			out := slices.DeleteFunc(expectedOut(p, w, c), func(c balance.Code) bool { return c == balance.CodeAtNorm })
			if len(out) == 0 && (w.CaseloadNorm == nil || shares[j]+share(c) <= float64(*w.CaseloadNorm)+1e-4) {
				el = append(el, j)
			}
		}
		if len(el) == 0 {
			return 0, false
		}
		j := -1
		if f, ok := family[c.Group]; ok && c.Group != "" && slices.Contains(el, f) {
			j = f
		} else {
			j = b.pick(el, load, count, caps, turn)
			turn++
		}
		load[j] += float64(c.Weight)
		count[j]++
		shares[j] += share(c)
		if c.Group != "" {
			family[c.Group] = j
		}
	}
	m := 0.0
	for j := range p.Workers {
		if caps[j] > 0 {
			m = math.Max(m, load[j]/caps[j])
		}
	}
	return m, true
}

func compareIDs(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestBaselines compares the proposal with the ways a team would share
// out the queue by hand, on seeded instances from an empty assignment:
// the proposal's maximum utilization is never worse. Run with -v to see
// the table of medians.
func TestBaselines(t *testing.T) {
	t.Parallel()
	shapes := []struct {
		name  string
		shape balancetest.Size
		seeds int
	}{{"team", balancetest.TeamSize(), 10}, {"sparse", balancetest.SparseSize(), 10}}
	for _, sh := range shapes {
		results := map[string][]float64{}
		for seed := 1; seed <= sh.seeds; seed++ {
			p := balancetest.Generate(uint64(seed), sh.shape)
			pr, err := balance.Propose(context.Background(), p, nil)
			require.NoError(t, err)
			results["proposal"] = append(results["proposal"], pr.MaxUtilization)
			results["lower bound"] = append(results["lower bound"], pr.Bound)
			for _, b := range baselines {
				m, ok := runBaseline(p, b)
				require.True(t, ok)
				assert.LessOrEqual(t, pr.MaxUtilization, m+1e-6, "%s seed %d: worse than %s", sh.name, seed, b.name)
				results[b.name] = append(results[b.name], m)
			}
		}
		t.Logf("%s, median maximum utilization over %d seeds:", sh.name, sh.seeds)
		for _, name := range []string{"lower bound", "proposal", "least loaded", "fewest cases", "round-robin"} {
			t.Logf("  %-13s %6.1f%%", name, 100*median(results[name]))
		}
	}
}

// TestQualityPausedIntake holds the solver to the bound on seeded
// skewed teams where nine workers in ten have paused their intake, with
// no move limit: the cases of a paused worker may go only to the few
// who take new work, or stay, and a case moved off its paused worker
// may go back. Before the searches for where a case goes looked at its
// own worker outside its class, the solve from empty that the rebalance
// starts from sent every case of a paused worker to the few others, and
// the gap on four of these five teams was 12% to 26%. The target is
// TestQualityFromEmpty's for teams, 1%; the gaps are 0 on three of the
// five and 0.17% and 0.28% on the others.
func TestQualityPausedIntake(t *testing.T) {
	t.Parallel()
	for seed := uint64(1); seed <= 5; seed++ {
		p := balancetest.Generate(seed, balancetest.Size{Workers: 250, Cases: 7500, Assigned: true, PauseShare: 0.9})
		pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{MaxMoves: -1})
		require.NoError(t, err)
		assert.Less(t, pr.Gap, 0.01, "seed %d: maximum %.4f, bound %.4f", seed, pr.MaxUtilization, pr.Bound)
	}
}

// TestQualityUnlimitedMoves holds an unlimited rebalance of seeded
// teams of 100 workers and 2,400 cases, from a skewed assignment, to
// moving at most half the cases, and to the maximum utilization it
// reached when it moved far more. The candidate that keeps the most
// cases with their workers stopped just above the level the solve from
// empty reaches, where no step off the fullest worker lowered the
// maximum; a pass of evenOut now opens one ([solver.polishTo]). Before,
// the rebalance took another candidate and moved 1,224 to 2,080 of
// these cases; now 937 to 1,133, at the same maxima or lower.
func TestQualityUnlimitedMoves(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		seed uint64
		o    balance.RebalanceOptions
		max  float64 // the maximum utilization reached before
	}{
		{"seed 3", 3, balance.RebalanceOptions{MaxMoves: -1}, 1.05436},
		{"seed 3 hard", 3, balance.RebalanceOptions{MaxMoves: -1, HardCapacity: true}, 1.05843},
		{"seed 9 hard", 9, balance.RebalanceOptions{MaxMoves: -1, HardCapacity: true}, 0.95123},
		{"seed 9 hard counts", 9, balance.RebalanceOptions{MaxMoves: -1, HardCapacity: true, Policy: balance.PolicyCounts}, 0.96},
		{"seed 10 hard counts", 10, balance.RebalanceOptions{MaxMoves: -1, HardCapacity: true, Policy: balance.PolicyCounts}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := balancetest.Generate(tt.seed, balancetest.Size{Workers: 100, Cases: 2400, Assigned: true})
			pr, err := balance.Propose(context.Background(), p, &tt.o)
			require.NoError(t, err)
			assert.LessOrEqual(t, pr.MovesUsed, len(p.Cases)/2)
			assert.LessOrEqual(t, pr.MaxUtilization, tt.max+1e-9)
		})
	}
}
