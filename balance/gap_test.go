package balance

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// chuBeasley generates a generalized assignment instance of type C, D
// or E with m agents and n items, from Chu and Beasley (1997), "A
// genetic algorithm for the generalised assignment problem", EJOR
// 17(2), and Laguna et al. (1995) for type E:
//   - C: r uniform on [5,25], c uniform on [10,50];
//   - D: r uniform on [1,100], c = 111 − r + uniform[−10,10];
//   - E: r = 1 − 10·ln(U), c = 1000/r − 10·U′;
//
// and capacity 0.8·Σ_j r[i][j]/m for every type (integers rounded
// down, as in the OR-Library files).
func chuBeasley(kind byte, m, n int, seed uint64) *gapInstance {
	rng := rand.New(rand.NewPCG(seed, uint64(kind)))
	g := &gapInstance{n: n, m: m, cost: make([]float64, n*m), req: make([]float64, n*m), ok: make([]bool, n*m),
		capa: make([]float64, m), home: make([]int32, n), slots: make([]int32, m), base: make([]float64, m), full: make([]float64, m)}
	uni := func(a, b int) float64 { return float64(a + rng.IntN(b-a+1)) }
	for i := range n {
		g.home[i] = -1
		for j := range m {
			k := i*m + j
			g.ok[k] = true
			switch kind {
			case 'C':
				g.req[k], g.cost[k] = uni(5, 25), uni(10, 50)
			case 'D':
				g.req[k] = uni(1, 100)
				g.cost[k] = 111 - g.req[k] + uni(-10, 10)
			case 'E':
				u := 1 - rng.Float64() // in (0, 1]
				g.req[k] = math.Floor(1 - 10*math.Log(u))
				g.cost[k] = math.Floor(1000/g.req[k] - 10*rng.Float64())
			}
		}
	}
	for j := range m {
		s := 0.0
		for i := range n {
			s += g.req[i*m+j]
		}
		g.capa[j] = math.Floor(0.8 * s / float64(m))
		g.full[j] = g.capa[j]
		g.slots[j] = -1
	}
	return g
}

// feasible checks that every item is placed on an allowed agent within
// capacity, and returns the cost summed again.
func feasible(t testing.TB, g *gapInstance, where []int32) float64 {
	t.Helper()
	used := make([]float64, g.m)
	cost := 0.0
	for i, j := range where {
		require.GreaterOrEqual(t, j, int32(0), "item %d unplaced", i)
		require.True(t, g.ok[i*g.m+int(j)])
		used[j] += g.req[i*g.m+int(j)]
		cost += g.cost[i*g.m+int(j)]
	}
	for j := range g.m {
		require.LessOrEqual(t, used[j], g.capa[j]+1e-6, "agent %d over capacity", j)
	}
	return cost
}

func TestGAPChuBeasley(t *testing.T) {
	t.Parallel()
	sizes := [][2]int{{10, 100}, {20, 200}, {40, 400}}
	switch {
	case testing.Short():
		sizes = sizes[:1]
	case raceBuild:
		sizes = sizes[:2] // 40x400 takes minutes under the race detector
	}
	// Issue 17 targets a median gap to the bound of 1% on C and 2% on D
	// and E. Measured on these seeds (median, worst): C 0.24%, 0.88% at
	// 10x100; 0.36%, 0.77% at 20x200; 0.28%, 0.46% at 40x400. D 0.54%,
	// 0.84%; 0.66%, 0.78%; 0.70%, 0.76%. E 0.53%, 0.84%; 0.42%, 0.80%;
	// 0.64%, 1.03%. (Before the relaxation of the assignment
	// constraints and the chains: C 0.9–1.5%, D 1.3–1.4%, E 1.3–1.5%.)
	// D and E assert 1%, not the 2%, so that a regression back
	// to the old figures fails.
	target := map[byte]float64{'C': 0.01, 'D': 0.01, 'E': 0.01}
	for _, kind := range []byte{'C', 'D', 'E'} {
		for _, sz := range sizes {
			t.Run(fmt.Sprintf("%c-%dx%d", kind, sz[0], sz[1]), func(t *testing.T) {
				t.Parallel()
				var gaps []float64
				for seed := range uint64(10) {
					g := chuBeasley(kind, sz[0], sz[1], seed)
					r := solveGAP(context.Background(), g, seed)
					cost := feasible(t, g, r.where)
					assert.InDelta(t, cost, r.cost, 1e-6*cost)
					assert.LessOrEqual(t, r.bound, cost+1e-6)
					gaps = append(gaps, (cost-r.bound)/r.bound)
				}
				slices.Sort(gaps)
				med := (gaps[4] + gaps[5]) / 2
				t.Logf("%c %dx%d: gap median %.3f%% worst %.3f%%", kind, sz[0], sz[1], 100*med, 100*gaps[9])
				assert.LessOrEqual(t, med, target[kind])
			})
		}
	}
}

// bruteGAP returns the least cost of an assignment of every item of g
// within capacity, by trying every assignment, and false if there is
// none: the oracle for tiny instances.
func bruteGAP(g *gapInstance) (float64, bool) {
	best, found := math.Inf(1), false
	used := make([]float64, g.m)
	var rec func(i int, cost float64)
	rec = func(i int, cost float64) {
		if cost >= best {
			return
		}
		if i == g.n {
			best, found = cost, true
			return
		}
		for j := range g.m {
			k := i*g.m + j
			if g.ok[k] && used[j]+g.req[k] <= g.capa[j]+1e-9 {
				used[j] += g.req[k]
				rec(i+1, cost+g.cost[k])
				used[j] -= g.req[k]
			}
		}
	}
	rec(0, 0)
	return best, found
}

func TestGAPOracle(t *testing.T) {
	t.Parallel()
	// 200 tiny instances: 2–4 agents, 3–8 items, some pairs forbidden,
	// capacity from tight (0.5 of the mean load) to loose.
	optimal, feasibleN := 0, 0
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 17))
		m, n := 2+rng.IntN(3), 3+rng.IntN(6)
		g := chuBeasley('D', m, n, seed)
		for k := range g.ok {
			g.ok[k] = rng.IntN(6) > 0
		}
		for j := range g.capa {
			g.capa[j] = math.Floor(g.capa[j] * (0.6 + rng.Float64()))
		}
		want, ok := bruteGAP(g)
		r := solveGAP(context.Background(), g, seed)
		require.LessOrEqual(t, r.bound, want+1e-6, "seed %d: the bound must not exceed the optimum", seed)
		if !ok {
			continue // infeasible: solveGAP leaves some item out; no panic
		}
		got := 0.0
		placed := true
		for i, j := range r.where {
			if j < 0 {
				placed = false
				break
			}
			got += g.cost[i*g.m+int(j)]
		}
		if !placed {
			t.Logf("seed %d: feasible (optimum %v) but the heuristic left an item out", seed, want)
			continue
		}
		feasible(t, g, r.where)
		assert.GreaterOrEqual(t, got, want-1e-6, "seed %d", seed)
		assert.LessOrEqual(t, got, want*1.05, "seed %d: optimum %v", seed, want)
		feasibleN++
		if got <= want+1e-6 {
			optimal++
		}
	}
	// A heuristic: it finds the optimum of most tiny instances, not
	// necessarily all (measured: all 78 feasible instances it placed
	// whole, 77 before the stronger bound and polish; one more
	// feasible instance, seed 2, loses an item).
	t.Logf("optimal on %d of %d", optimal, feasibleN)
	assert.GreaterOrEqual(t, float64(optimal), 0.95*float64(feasibleN))
}

// TestGAPWriteLP writes generated instances in CPLEX LP format, with
// the heuristic's cost and bound in a comment, when GAP_LP_DIR is set:
// for solving outside CI with an independent solver (CBC, HiGHS).
func TestGAPWriteLP(t *testing.T) {
	dir := os.Getenv("GAP_LP_DIR")
	if dir == "" {
		t.Skip("set GAP_LP_DIR to write LP files")
	}
	for _, kind := range []byte{'C', 'D', 'E'} {
		for seed := range uint64(2) {
			g := chuBeasley(kind, 10, 100, seed)
			r := solveGAP(context.Background(), g, seed)
			var b strings.Builder
			fmt.Fprintf(&b, "\\\\ heuristic %v bound %v\nMinimize\n obj:", r.cost, r.bound)
			for k := range g.cost {
				fmt.Fprintf(&b, " + %v x%d_%d", g.cost[k], k/g.m, k%g.m)
			}
			b.WriteString("\nSubject To\n")
			for i := range g.n {
				fmt.Fprintf(&b, " a%d:", i)
				for j := range g.m {
					fmt.Fprintf(&b, " + x%d_%d", i, j)
				}
				b.WriteString(" = 1\n")
			}
			for j := range g.m {
				fmt.Fprintf(&b, " c%d:", j)
				for i := range g.n {
					fmt.Fprintf(&b, " + %v x%d_%d", g.req[i*g.m+j], i, j)
				}
				fmt.Fprintf(&b, " <= %v\n", g.capa[j])
			}
			b.WriteString("Binary\n")
			for k := range g.cost {
				fmt.Fprintf(&b, " x%d_%d\n", k/g.m, k%g.m)
			}
			b.WriteString("End\n")
			name := filepath.Join(dir, fmt.Sprintf("%c-10x100-%d.lp", kind, seed))
			require.NoError(t, os.WriteFile(name, []byte(b.String()), 0o644))
		}
	}
}

// TestGAPKnownOptima compares the heuristic with optima an independent
// solver proved (testdata/gap/optima.txt).
func TestGAPKnownOptima(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		kind      byte
		m, n      int
		seed      uint64
		optimum   float64
		linearOpt float64 // the linear relaxation's optimum
	}{
		{'C', 10, 100, 0, 1444, 1431.52}, // CBC 2.10.8, proven
	} {
		g := chuBeasley(tc.kind, tc.m, tc.n, tc.seed)
		r := solveGAP(context.Background(), g, tc.seed)
		cost := feasible(t, g, r.where)
		t.Logf("%c %dx%d seed %d: %v, optimum %v (+%.2f%%), bound %.2f (linear %.2f)", tc.kind, tc.m, tc.n, tc.seed, cost, tc.optimum, 100*(cost/tc.optimum-1), r.bound, tc.linearOpt)
		assert.LessOrEqual(t, r.bound, tc.optimum+1e-6)
		// The relaxation of the assignment constraints passes the
		// linear one (measured: 1443).
		assert.Greater(t, r.bound, tc.linearOpt+1)
		assert.LessOrEqual(t, cost, tc.optimum*1.01)
	}
}

// tinyGAP draws a tiny generalized assignment instance: 1–4 agents,
// 1–8 items, some pairs forbidden, costs and requirements integers or
// fractions (hours), capacity from tight to loose.
func tinyGAP(t *rapid.T) *gapInstance {
	m := rapid.IntRange(1, 4).Draw(t, "m")
	n := rapid.IntRange(1, 8).Draw(t, "n")
	fractional := rapid.Bool().Draw(t, "fractional")
	g := &gapInstance{n: n, m: m, cost: make([]float64, n*m), req: make([]float64, n*m), ok: make([]bool, n*m),
		capa: make([]float64, m), home: make([]int32, n), slots: make([]int32, m), base: make([]float64, m), full: make([]float64, m), budget: -1}
	for k := range g.cost {
		g.ok[k] = rapid.IntRange(0, 5).Draw(t, "ok") > 0
		if fractional {
			g.req[k] = rapid.Float64Range(0, 10).Draw(t, "req")
			g.cost[k] = rapid.Float64Range(0, 50).Draw(t, "cost")
		} else {
			g.req[k] = float64(rapid.IntRange(0, 30).Draw(t, "req"))
			g.cost[k] = float64(rapid.IntRange(0, 50).Draw(t, "cost"))
		}
	}
	for i := range n {
		g.home[i] = -1
	}
	for j := range m {
		sum := 0.0
		for i := range n {
			sum += g.req[i*m+j]
		}
		g.capa[j] = sum / float64(m) * rapid.Float64Range(0.3, 2).Draw(t, "tightness")
		if !fractional {
			g.capa[j] = math.Floor(g.capa[j])
		}
		g.full[j] = g.capa[j]
		g.slots[j] = -1
	}
	return g
}

// TestGAPKnapBoundOracle checks that the relaxation of the assignment
// constraints never exceeds the optimum that brute force finds, at the
// multipliers of every subgradient step from the linear relaxation's
// duals, and that solveGAP's bound never exceeds it either.
func TestGAPKnapBoundOracle(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		g := tinyGAP(t)
		opt, ok := bruteGAP(g)
		if !ok {
			return
		}
		lr := newLagrange(g)
		for range 50 {
			if v := lr.eval(); v > lr.best {
				lr.best = v
				copy(lr.bestLambda, lr.lambda)
			}
			lr.step(0.5 * (opt - lr.best + 1))
		}
		kb := newKnapBound(g)
		require.NotNil(t, kb)
		kb.start(lr.bestLambda)
		for it := range 60 {
			v, ok := kb.eval()
			require.True(t, ok)
			require.LessOrEqual(t, v, opt+1e-6*(1+opt), "step %d: L(u) above the optimum", it)
			if !kb.step(0.5 * (opt + 1 - v)) {
				break
			}
		}
		r := solveGAP(context.Background(), g, 1)
		require.LessOrEqual(t, r.bound, opt+1e-6*(1+opt))
	})
}

// TestGAPKnapsackExact checks each knapsack of the relaxation, with its
// reduction, against every subset of its items.
func TestGAPKnapsackExact(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		g := tinyGAP(t)
		kb := newKnapBound(g)
		require.NotNil(t, kb)
		for i := range g.n {
			kb.u[i] = rapid.Float64Range(0, 60).Draw(t, "u")
		}
		for j := range g.m {
			clear(kb.pick)
			got := kb.knapsack(j)
			want := 0.0
			for set := range 1 << g.n {
				w, p := 0, 0.0
				for i := range g.n {
					if k := i*g.m + j; set&(1<<i) != 0 {
						if kb.w[k] < 0 {
							w = math.MaxInt32
							break
						}
						w += int(kb.w[k])
						p += kb.u[i] - g.cost[k]
					}
				}
				if w <= int(kb.kcap[j]) {
					want = max(want, p)
				}
			}
			require.InDelta(t, want, got, 1e-9*(1+want), "agent %d", j)
			// The items it marks are what it reports.
			w, p := 0, 0.0
			for i := range g.n {
				if k := i*g.m + j; kb.pick[k] {
					w += int(kb.w[k])
					p += kb.u[i] - g.cost[k]
				}
			}
			require.LessOrEqual(t, w, int(kb.kcap[j]))
			require.InDelta(t, got, p, 1e-9*(1+got))
		}
	})
}

// TestGAPImproveLocalOptimum checks that the polish stops only where no
// shift and no swap that keeps every capacity lowers the cost, also
// when it starts from a local optimum that a perturbation changed on a
// few agents (improveFrom, which then tries fewer swaps).
func TestGAPImproveLocalOptimum(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		kind := rapid.SampledFrom([]byte{'C', 'D', 'E'}).Draw(t, "kind")
		m := rapid.IntRange(2, 6).Draw(t, "m")
		n := rapid.IntRange(m, 8*m).Draw(t, "n")
		g := chuBeasley(kind, m, n, rapid.Uint64().Draw(t, "seed"))
		s := newGapState(g)
		s.construct(g.cost)
		s.improve(context.Background())
		checkLocalOptimum(t, s)
		// Perturb: move a few items to random agents with room.
		c := s.clone()
		for range rapid.IntRange(1, n).Draw(t, "moves") {
			i, j := rapid.IntRange(0, n-1).Draw(t, "item"), rapid.IntRange(0, m-1).Draw(t, "to")
			if a := c.where[i]; a >= 0 {
				c.remove(i)
				if !c.fits(i, j, 0) {
					j = int(a)
				}
				c.add(i, j)
			}
		}
		touched := make([]bool, m)
		for i, j := range c.where {
			if j != s.where[i] {
				for _, a := range [2]int32{j, s.where[i]} {
					if a >= 0 {
						touched[a] = true
					}
				}
			}
		}
		c.improveFrom(context.Background(), touched)
		checkLocalOptimum(t, c)
	})
}

// checkLocalOptimum fails t if a shift or a swap of s keeps every
// capacity and lowers the cost.
func checkLocalOptimum(t *rapid.T, s *gapState) {
	g := s.g
	fits := func(j int, used float64) bool { return used <= g.capa[j]+gapEps*(1+g.capa[j]) }
	for i := range g.n {
		a := int(s.where[i])
		if a < 0 {
			continue
		}
		for j := range g.m {
			if j != a && g.ok[i*g.m+j] && fits(j, s.used[j]+g.req[i*g.m+j]) {
				require.GreaterOrEqual(t, g.cost[i*g.m+j], g.cost[i*g.m+a]-gapEps, "shift %d from %d to %d", i, a, j)
			}
		}
		for k := i + 1; k < g.n; k++ {
			b := int(s.where[k])
			if b < 0 || b == a || !g.ok[i*g.m+b] || !g.ok[k*g.m+a] {
				continue
			}
			if fits(a, s.used[a]-g.req[i*g.m+a]+g.req[k*g.m+a]) && fits(b, s.used[b]-g.req[k*g.m+b]+g.req[i*g.m+b]) {
				dc := g.cost[i*g.m+b] + g.cost[k*g.m+a] - g.cost[i*g.m+a] - g.cost[k*g.m+b]
				require.GreaterOrEqual(t, dc, -gapEps, "swap %d and %d", i, k)
			}
		}
	}
}
