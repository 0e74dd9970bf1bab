package balance

import (
	"context"
	"math"
	"slices"

	"github.com/caseload/caseload/internal/maxflow"
)

// effortItems is the most movable cases or families a rebalance under
// PolicyLoad evens out by effort, when effort differs between workers,
// and effortWork the most items² × workers (the GAP heuristic's
// construction); above either it evens out weight (see
// [CodeEffortVaries]).
const (
	effortItems = 1000
	effortWork  = 100_000_000
)

// setCeiling sets every agent's capacity for the items to what keeps
// their utilization, fixed load included, at most ceiling.
func (g *gapInstance) setCeiling(ceiling float64) {
	for k := range g.capa {
		g.capa[k] = math.Max(0, ceiling*g.full[k]-g.base[k])
	}
}

// lowestCeiling returns, by bisection, about the lowest utilization
// ceiling (within 0.1%) at which placing the items largest first, each
// where it leaves the least utilization, then repairing, leaves no more
// items out than at any ceiling: the level to which effort can be
// evened out. Each try takes O(n·m + n log n). It leaves the
// capacities set for the ceiling it tried last.
func lowestCeiling(ctx context.Context, g *gapInstance) float64 {
	// Items by their least size relative to capacity, largest first.
	size := make([]float64, g.n)
	order := make([]int, g.n)
	for i := range g.n {
		order[i] = i
		size[i] = math.Inf(1)
		for j := range g.m {
			if k := i*g.m + j; g.ok[k] && g.full[j] > 0 {
				size[i] = min(size[i], g.req[k]/g.full[j])
			}
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(size[b], size[a]) })
	out := func(ceiling float64) int {
		g.setCeiling(ceiling)
		s := newGapState(g)
		for _, i := range order {
			best, bu := -1, math.Inf(1)
			for j := range g.m {
				if !s.fits(i, j, 0) {
					continue
				}
				u := math.Inf(1)
				if g.full[j] > 0 {
					u = (g.base[j] + s.used[j] + g.req[i*g.m+j]) / g.full[j]
				} else if g.req[i*g.m+j] == 0 {
					u = 0
				}
				if u < bu || best < 0 {
					best, bu = j, u
				}
			}
			if best >= 0 {
				s.add(i, best)
			}
		}
		s.repair()
		return s.unassigned()
	}
	least := out(math.MaxFloat64 / 4)
	hi := 1.0
	for out(hi) > least && hi < 1e12 && ctx.Err() == nil {
		hi *= 2
	}
	lo := 0.0
	for range 40 {
		if hi-lo <= 1e-3*hi || ctx.Err() != nil {
			break
		}
		mid := lo + (hi-lo)/2
		if out(mid) > least {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// effortBound returns a proven lower bound, at least lo, on the highest utilization,
// fixed loads included, of any assignment of g's placeable items (those
// with an allowed agent that has room for them) to such agents, when utilization counts
// each item's effort on the agent it goes to (req) against that agent's
// whole capacity (full). It stops early once the bound reaches target.
//
// The bound. Let a_ij = req_ij/full_j be the utilization item i adds to
// agent j and u_j = base_j/full_j the agent's fixed utilization, over
// agents with capacity. An agent without capacity adds nothing to the
// maximum and takes only items that need no hours there (the solver
// gives it no room); such an item adds nothing anywhere. For weights μ ≥ 0 with Σ_j μ_j = 1, any assignment x whose
// highest utilization is T has
//
//	T ≥ Σ_j μ_j (u_j + Σ_i a_ij x_ij) ≥ Σ_j μ_j u_j + Σ_i min_{j allowed} μ_j a_ij = B(μ),
//
// as a weighted mean of utilizations is at most their maximum, and an
// item adds at least its cheapest weighted term. So every B(μ) is a
// lower bound, and so is each item's least utilization alone,
// min_j (u_j + a_ij), and the highest fixed utilization max_j u_j. B is
// the Lagrangian dual of the linear relaxation (capacities dualised with
// μ normalised), so its best value is that relaxation's optimum. B is
// concave; its supergradient at μ is the utilization each agent has
// when every item goes where its weighted term is least, and μ is
// improved by Polyak steps towards target (Held, Wolfe and Crowder
// 1974), projected back onto the simplex, the step halved after 20
// without progress and the search ended after eight halvings. Each step
// costs O(n·m); at most effortBoundWork items × agents × steps are
// spent, and ctx is checked every step.
func effortBound(ctx context.Context, g *gapInstance, lo, target float64) float64 {
	n, m := g.n, g.m
	a := make([]float64, n*m) // a_ij, +Inf where not allowed
	u := make([]float64, m)
	best := lo
	var with []int // agents with capacity
	for j := range m {
		if g.full[j] > 0 {
			u[j] = g.base[j] / g.full[j]
			best = max(best, u[j])
			with = append(with, j)
		}
	}
	var items []int // placeable items that add to some agent's utilization
	for i := range n {
		least, placeable := math.Inf(1), false
		for j := range m {
			k := i*m + j
			a[k] = math.Inf(1)
			if !g.ok[k] || g.full[j] == 0 && g.req[k] > 0 {
				continue // not allowed, or no room: an agent without capacity takes only what needs no hours
			}
			placeable = true
			if g.full[j] > 0 {
				a[k] = g.req[k] / g.full[j]
				least = min(least, u[j]+a[k])
			} else {
				a[k], least = 0, 0 // an agent without capacity counts nowhere
			}
		}
		if placeable {
			best = max(best, least)
			if least > 0 {
				items = append(items, i)
			}
		}
	}
	if len(with) == 0 || len(items) == 0 {
		return best
	}
	steps := min(effortBoundSteps, max(10, effortBoundWork/(len(items)*m)))
	mu := make([]float64, m)
	capSum := 0.0
	for _, j := range with {
		capSum += g.full[j]
	}
	for _, j := range with {
		mu[j] = g.full[j] / capSum // the first B is the team's mean utilization at least
	}
	grad := make([]float64, m)
	theta, still := 1.0, 0
	for range steps {
		if best >= target || ctx.Err() != nil {
			break
		}
		// B(μ), and the supergradient.
		sum, b := 0.0, 0.0
		for _, j := range with {
			sum += mu[j]
			b += mu[j] * u[j]
			grad[j] = u[j]
		}
		for _, i := range items {
			lj, lv := -1, math.Inf(1)
			for _, j := range with {
				if v := mu[j] * a[i*m+j]; v < lv {
					lj, lv = j, v
				}
			}
			b += lv
			grad[lj] += a[i*m+lj]
		}
		b /= sum
		if b > best+1e-12 {
			best, still = max(best, b), 0
		} else if still++; still == 20 {
			theta, still = theta/2, 0
			if theta <= 1.0/256 {
				break // eight halvings without progress: settled
			}
		}
		// A Polyak step towards target along the supergradient projected
		// on Σμ = 1, then back onto μ ≥ 0.
		mean := 0.0
		for _, j := range with {
			mean += grad[j]
		}
		mean /= float64(len(with))
		norm := 0.0
		for _, j := range with {
			grad[j] -= mean
			norm += grad[j] * grad[j]
		}
		if norm == 0 {
			break // every agent equally full in the relaxation: μ is optimal
		}
		t := theta * (target - b + 1e-9) / norm
		next := 0.0
		for _, j := range with {
			mu[j] = max(0, mu[j]/sum+t*grad[j])
			next += mu[j]
		}
		if next == 0 {
			break
		}
	}
	return best
}

// effortBoundSteps is the most supergradient steps [effortBound] takes,
// and effortBoundWork the most items × agents × steps it spends.
const (
	effortBoundSteps = 4000
	effortBoundWork  = 2_000_000_000
)

// effortStatus sets the bound, gap and status of a [PolicyLoad]
// proposal that evened out effort from the GAP solution r: the bound is
// [effortBound]'s, when every item that may go somewhere was placed
// (otherwise it would speak of more cases than the proposal places).
func (g *gapInstance) effortStatus(ctx context.Context, pr *Proposal, r gapResult, hardCapacity bool) {
	pr.Policy = PolicyLoad
	pr.Fit.Bound, pr.Fit.Gap, pr.Fit.Relaxed = 0, 0, nil
	pr.Bound, pr.Gap, pr.Relaxed = 0, 0, nil
	if pr.Status == StatusStopped {
		return
	}
	waits := false
	for i, j := range r.where {
		waits = waits || j < 0 && slices.Contains(g.ok[i*g.m:(i+1)*g.m], true)
	}
	if !waits {
		pr.Bound = effortFlowBound(ctx, g, 0, pr.MaxUtilization)
		pr.Bound = effortBound(ctx, g, pr.Bound, pr.MaxUtilization-1e-9)
		// The same number, rounded two ways: loads in micro-hours, and
		// a utilization within a millionth of capacity reads exactly 1.
		if math.Abs(pr.MaxUtilization-pr.Bound) <= 2e-6*(1+pr.MaxUtilization) {
			pr.Bound = pr.MaxUtilization
		}
		if pr.Bound > 0 {
			pr.Gap = (pr.MaxUtilization - pr.Bound) / pr.Bound
		}
		if g.shr != nil {
			pr.Relaxed = append(pr.Relaxed, "caseload norms")
		}
		if hardCapacity {
			pr.Relaxed = append(pr.Relaxed, "hard capacity")
		}
		if slices.ContainsFunc(g.slots, func(s int32) bool { return s >= 0 }) {
			pr.Relaxed = append(pr.Relaxed, "intake cap")
		}
		if g.budget >= 0 {
			pr.Relaxed = append(pr.Relaxed, "move budget")
		}
	}
	pr.Status = StatusFeasible
	if !waits && pr.MaxUtilization <= pr.Bound {
		pr.Status = StatusOptimal
	}
	pr.StatusReason = Reason{Code: CodeEffortVaries, Value: pr.MaxUtilization, Before: pr.Bound, Threshold: pr.Gap}.withMessage()
}

// effortFlowBound returns a proven lower bound on the same highest
// utilization as [effortBound], at least lo, by a max-flow over classes
// of items with the same allowed agents.
//
// The bound. Give every item its least effort on any allowed agent,
// r_i = min_j req_ij. In any assignment agent j carries at least the
// r_i of its items, so its utilization is at least (base_j + Σ r_i)/full_j,
// and the highest utilization is at least that of the best fractional
// assignment of the r_i, a flow: at level T, items send r_i to the
// agents they are allowed on, each of which takes at most
// T·full_j − base_j. An agent without capacity takes only items that
// need no hours there (the solver gives it no room), and those send
// nothing. If the flow cannot carry every r_i, no assignment
// reaches T. Supplies are rounded down and capacities up to micro-hours,
// which only relaxes the test, and T is bisected between lo and hi. Where
// efforts are the same on every agent this is the linear relaxation's
// optimum, which the supergradient steps of effortBound reach only
// slowly; where they differ much, effortBound may be stronger.
func effortFlowBound(ctx context.Context, g *gapInstance, lo, hi float64) float64 {
	n, m := g.n, g.m
	// Classes of items by their allowed agents, in order of first item.
	classOf := map[string]int32{}
	var supply []int64
	var rows []int // a representative item of each class
	var total int64
	for i := range n {
		row := g.ok[i*m : (i+1)*m]
		least := math.Inf(1)
		for j, ok := range row {
			if ok && (g.full[j] > 0 || g.req[i*m+j] == 0) {
				least = min(least, g.req[i*m+j])
			}
		}
		if math.IsInf(least, 1) {
			continue // placeable nowhere
		}
		r := int64(least * micro) // rounded down
		if r <= 0 {
			continue
		}
		key := string(boolBytes(row))
		c, seen := classOf[key]
		if !seen {
			c = int32(len(supply))
			classOf[key] = c
			supply = append(supply, 0)
			rows = append(rows, i)
		}
		supply[c] += r
		total += r
	}
	k := len(supply)
	if k == 0 || !(hi > lo) {
		return lo
	}
	// Nodes: source, classes, agents, sink.
	src, sink := int32(0), int32(1+k+m)
	edges := k + m
	for _, i := range rows {
		for _, ok := range g.ok[i*m : (i+1)*m] {
			if ok {
				edges++
			}
		}
	}
	f := maxflow.New(1+k+m+1, edges)
	for c, i := range rows {
		f.AddEdge(src, int32(1+c), supply[c])
		for j, ok := range g.ok[i*m : (i+1)*m] {
			if ok {
				f.AddEdge(int32(1+c), int32(1+k+j), total)
			}
		}
	}
	agentEdge := make([]int32, m)
	for j := range m {
		agentEdge[j] = f.AddEdge(int32(1+k+j), sink, total)
	}
	carries := func(t float64) bool {
		for j := range m {
			c := int64(0) // without capacity, only what needs no hours, which sends nothing
			if g.full[j] > 0 {
				room := math.Ceil((t*g.full[j] - g.base[j]) * micro)
				c = int64(max(0, min(room, float64(total))))
			}
			f.SetCapacity(agentEdge[j], c)
		}
		return f.MaxFlow(src, sink, total) >= total
	}
	for range 45 {
		if hi-lo <= 1e-12*hi || ctx.Err() != nil {
			break
		}
		mid := lo + (hi-lo)/2
		if carries(mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return lo
}

// boolBytes returns b as bytes, 1 for true, for use as a map key.
func boolBytes(b []bool) []byte {
	out := make([]byte, len(b))
	for i, v := range b {
		if v {
			out[i] = 1
		}
	}
	return out
}
