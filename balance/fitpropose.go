package balance

import (
	"context"
	"fmt"
	"math"
	"slices"
)

// A FitReport says what a [PolicyFit] proposal costs and how far that
// is from the best possible.
type FitReport struct {
	// Cost is the total fit cost of the cases the proposal could move or
	// place, in cost units: the sum of [Worker.Costs] rules, [PairFit]
	// costs, and [RebalanceOptions.ContinuityCost] for each case given
	// to someone other than its previous worker. Under [PolicyLoad] and
	// [PolicyCounts], which report it when the problem has any cost or
	// previous worker so that a team can compare, it sums the cases the
	// proposal moves or places, and Bound and Gap are 0.
	Cost float64 `json:"cost"`
	// Bound is a proven lower bound on Cost over every assignment of the
	// same cases that keeps the hard rules and capacities: the better of
	// two Lagrangian relaxations solved by subgradient steps, of the
	// capacities (the linear relaxation's value) and of the rule that
	// each case goes to one worker (a knapsack per worker, which can
	// pass it); on up to 16 movable cases or families, an exhaustive
	// search that proves the cost itself. Gap is
	// (Cost − Bound)/Bound, 0 when Bound is 0 or some placeable case was
	// left out for lack of room (the bound then speaks of more cases
	// than the proposal places). The bound holds whatever the search
	// found: no plan that keeps those rules costs less, so a Gap of 1%
	// means the proposal costs at most 1% more than the best one. On
	// large teams the search takes fewer subgradient steps (at most
	// 10⁸/(cases × workers), and at least 20) and skips the knapsack
	// relaxation (above 1.25 million cases × workers), so that the
	// bound may be further from the cost, never above the best. When a
	// deadline stopped the search (Status is StatusStopped), Bound is
	// what it had proven by then, 0 if nothing yet, and Gap is measured
	// against it as above.
	Bound float64 `json:"bound"`
	Gap   float64 `json:"gap"`
	// Relaxed names the constraints the bound ignores: "intake cap",
	// "caseload norms", "move budget".
	Relaxed []string `json:"relaxed,omitempty"`
	// Continuity counts the cases with a previous worker on the team
	// that the proposal gives to, or leaves with, that worker; Returning
	// counts all cases with a previous worker on the team it moved or
	// placed.
	Continuity int `json:"continuity"`
	Returning  int `json:"returning"`
}

// A fitItem is a set of cases (a case, or a family) moved as one under
// PolicyFit.
type fitItem struct {
	cases []int32
	home  int32 // Team index of the worker who holds it, or noOwner
	fresh int32 // of a family with a home, the cases new to it (queued)
}

// proposeFit solves the generalized assignment problem of the team's
// movable cases: queued and orphaned cases, those of absent workers
// under ReplaceAway, and, unless MaxMoves is zero, every held case that
// is not pinned; at most MaxMoves of those (a family counting once)
// leave their worker when it is positive.
func (t *Team) proposeFit(ctx context.Context, ro rebalanceOptions) (*Proposal, error) {
	m := len(t.workers)
	movable := func(i int) bool {
		c := &t.cases[i]
		w := t.owner[i]
		switch {
		case w == noOwner:
			return true
		case t.absent[w]:
			return ro.replaceAway && !c.Pinned
		}
		return ro.maxMoves != 0 && !c.Pinned
	}
	// Fixed loads: the owner's part of every case that stays, and every
	// co-worker's share.
	base := make([]float64, m)
	shares := make([]float64, m)
	for i := range t.cases {
		c := &t.cases[i]
		if w := t.owner[i]; w != noOwner && !movable(i) {
			base[w] += (1 - c.CoShare) * t.effort(c, w)
			shares[w] += c.share()
		}
		if c.CoWorker != "" {
			if w, ok := t.worker(c.CoWorker); ok {
				base[w] += c.CoShare * t.effort(c, w)
			}
		}
	}
	// Items, in case ID order: families together when one worker may
	// take them all.
	order := t.caseOrder()
	var items []fitItem
	inItem := map[string]int{}
	var split []string
	for _, i := range order {
		if !movable(int(i)) {
			continue
		}
		c := &t.cases[i]
		if c.Group != "" {
			if k, ok := inItem[c.Group]; ok {
				items[k].cases = append(items[k].cases, i)
				continue
			}
			inItem[c.Group] = len(items)
		}
		items = append(items, fitItem{cases: []int32{i}, home: t.owner[i]})
	}
	if ro.policy == PolicyLoad && len(items) > effortItems {
		// Too many to even out by effort (splitting families only adds
		// items): the solver by weight takes them. Told before anything
		// is built per item and worker, which at 500 workers and 12,000
		// cases took 0.3 s and 340 MB, to be thrown away.
		return nil, nil
	}
	// Agents are the workers in ID order, so that the input order does
	// not matter; agent k is worker ag[k].
	ag := t.byID
	// allowedRow sets row[k] to whether worker ag[k] may take item it,
	// by the one eligibility rule ([Team.couldTake] and the case's
	// declines, which list agents). A worker who is here may always
	// keep their own cases, as in Propose: the rules speak of new work
	// (their load still counts against capacity). It takes O(m) per
	// case of the item.
	sh := make([]float64, m)    // per agent, the shares with the item's cases so far
	declined := make([]bool, m) // per agent, whether they declined the case
	// A case alone, with no declines and at most one skill, on a team
	// without caseload norms, has the row of every such case with the
	// same skill, but for its owner: kept once per skill.
	anyNorm := slices.ContainsFunc(t.workers, func(w Worker) bool { return w.CaseloadNorm != nil })
	type skillKey struct {
		skill string
		has   bool
	}
	skillRows := map[skillKey][]bool{}
	allowedRow := func(it *fitItem, row []bool) {
		if i := it.cases[0]; len(it.cases) == 1 && !anyNorm {
			c := &t.cases[i]
			if len(c.Levels) == 0 && len(c.Skills) <= 1 && len(t.declined(i)) == 0 {
				var key skillKey
				if len(c.Skills) == 1 {
					key = skillKey{c.Skills[0], true}
				}
				r, ok := skillRows[key]
				if !ok {
					need, unknown := t.required(c)
					r = make([]bool, m)
					for k, j := range ag {
						r[k] = t.couldTake(j, need, unknown, 0) // no norms: shares unread
					}
					skillRows[key] = r
				}
				copy(row, r)
				if j := t.owner[i]; j != noOwner && !t.absent[j] {
					row[t.rank[j]] = true // a worker here may keep their own
				}
				return
			}
		}
		for k, j := range ag {
			row[k], sh[k] = true, shares[j]
		}
		for _, i := range it.cases {
			c := &t.cases[i]
			need, unknown := t.required(c)
			decl := t.declined(i)
			for _, k := range decl {
				declined[k] = true
			}
			for k, j := range ag {
				sh[k] += c.share()
				if !row[k] || t.owner[i] == j && !t.absent[j] {
					continue
				}
				var after int64 // the shares after it, which only a norm reads
				if t.workers[j].CaseloadNorm != nil {
					after = toMicro(sh[k])
				}
				row[k] = !declined[k] && t.couldTake(j, need, unknown, after)
			}
			for _, k := range decl {
				declined[k] = false
			}
		}
	}
	// Split families no one worker may take whole.
	var flat []fitItem
	row := make([]bool, m)
	for x, it := range items {
		if x%cancelEvery == 0 && ctx.Err() != nil {
			return t.fitStopped(append(flat, items[x:]...), split), t.fitErr(ctx, gapResult{cancelled: true})
		}
		if len(it.cases) > 1 {
			// A family no one worker may take whole is split.
			if allowedRow(&it, row); !slices.Contains(row, true) {
				split = append(split, t.cases[it.cases[0]].Group)
				for _, i := range it.cases {
					flat = append(flat, fitItem{cases: []int32{i}, home: t.owner[i]})
				}
				continue
			}
			// A family's home is the one worker who holds its held
			// cases; its queued cases are new to them. Cases held by
			// two workers leave it without one.
			it.home = noOwner
			for _, i := range it.cases {
				if w := t.owner[i]; w != noOwner {
					if it.home != noOwner && it.home != w {
						it.home = noOwner
						break
					}
					it.home = w
				} else {
					it.fresh++
				}
			}
			if it.home == noOwner {
				it.fresh = 0
			}
		}
		flat = append(flat, it)
	}
	items = flat
	n := len(items)
	if ro.policy == PolicyLoad && (n > effortItems || n*n*m > effortWork) {
		return nil, nil
	}
	agentOf := make([]int32, m)
	for k, j := range ag {
		agentOf[j] = int32(k)
	}
	g := &gapInstance{n: n, m: m, cost: make([]float64, n*m), req: make([]float64, n*m), ok: make([]bool, n*m),
		capa: make([]float64, m), home: make([]int32, n), slots: make([]int32, m), base: make([]float64, m), full: make([]float64, m),
		size: make([]int32, n), budget: -1}
	if ro.maxMoves != 0 {
		g.vol = make([]bool, n)
		if ro.maxMoves > 0 {
			g.budget = ro.maxMoves
		}
	}
	hasNorm := false
	for k, j := range ag {
		g.base[k] = base[j]
		g.full[k] = float64(t.workers[j].Capacity)
		g.slots[k] = -1
		if t.intakeLeft != nil {
			g.slots[k] = max(0, t.intakeLeft[j])
		}
		hasNorm = hasNorm || t.workers[j].CaseloadNorm != nil
	}
	g.setCeiling(ro.ceiling)
	if hasNorm {
		g.shr, g.shrCap = make([]float64, n), make([]float64, m)
		for k, j := range ag {
			g.shrCap[k] = math.Inf(1)
			if nm := t.workers[j].CaseloadNorm; nm != nil {
				g.shrCap[k] = float64(*nm) - shares[j]
			}
		}
	}
	// held reports whether case i has a voluntary home: a worker who is
	// here. It stays there until the moves, after the placements.
	held := func(i int32) bool { return t.owner[i] != noOwner && !t.absent[t.owner[i]] }
	if g.vol != nil {
		g.homeReq, g.freeReq = make([]float64, m), make([]float64, n*m)
		if g.shr != nil {
			g.homeShr, g.freeShr = make([]float64, m), make([]float64, n)
		}
	}
	// rowOf returns, for a case without pair fits and with at most one
	// skill, each agent's fit cost and efficiency factor for it, which
	// depend only on its kind and skill: worked out once for each kind
	// and skill, not once per case. Nil for other cases.
	type rowKey struct{ kind, skill string }
	rows := map[rowKey]int{}
	var rowCost, rowFactor []float64 // m per kind and skill
	rowOf := func(c *Case) (cost, factors []float64) {
		if len(c.Fit) > 0 || len(c.Skills) > 1 {
			return nil, nil
		}
		key := rowKey{kind: c.Kind}
		if len(c.Skills) == 1 {
			key.skill = c.Skills[0]
		}
		r, ok := rows[key]
		if !ok {
			r = len(rows)
			rows[key] = r
			for _, j := range ag {
				rowCost = append(rowCost, t.fitCost(c, j))
				rowFactor = append(rowFactor, factor(c, &t.workers[j]))
			}
		}
		return rowCost[r*m : (r+1)*m], rowFactor[r*m : (r+1)*m]
	}
	// The work of the rows is looked at ctx every fitLook pairs.
	look := 0
	for x := range items {
		if look += m * len(items[x].cases); look >= fitLook {
			look = 0
			if ctx.Err() != nil {
				return t.fitStopped(items, split), t.fitErr(ctx, gapResult{cancelled: true})
			}
		}
		it := &items[x]
		g.home[x] = -1
		g.size[x] = int32(len(it.cases))
		if g.vol != nil {
			// Leaving a worker who is here is a voluntary move (a
			// family once); an absent worker's cases are re-placed, as
			// in Propose.
			g.vol[x] = slices.ContainsFunc(it.cases, held)
			for _, i := range it.cases {
				c := &t.cases[i]
				switch {
				case held(i):
					w := t.owner[i]
					g.homeReq[agentOf[w]] += (1 - c.CoShare) * t.effort(c, w)
					if g.homeShr != nil {
						g.homeShr[agentOf[w]] += c.share()
					}
				case g.freeShr != nil:
					g.freeShr[x] += c.share()
				}
			}
		}
		if it.home != noOwner {
			g.home[x] = agentOf[it.home]
			if it.fresh > 0 {
				if g.freshAtHome == nil {
					g.freshAtHome = make([]int32, n)
				}
				g.freshAtHome[x] = it.fresh
			}
		}
		for _, i := range it.cases {
			if g.shr != nil {
				g.shr[x] += t.cases[i].share()
			}
		}
		allowedRow(it, g.ok[x*m:(x+1)*m])
		for _, i := range it.cases {
			c := &t.cases[i]
			prev := int32(noOwner) // the previous worker, if on the team
			if c.Previous != "" {
				if w, ok := t.worker(c.Previous); ok {
					prev = w
				}
			}
			free := g.freeReq != nil && !held(i)
			rc, rf := rowOf(c)
			for k, j := range ag {
				kk := x*m + k
				var e, fc float64
				if rc != nil {
					e, fc = (1-c.CoShare)*(float64(c.Weight)*rf[k]), rc[k]
				} else {
					e, fc = (1-c.CoShare)*t.effort(c, j), t.fitCost(c, j)
				}
				g.req[kk] += e
				if free {
					g.freeReq[kk] += e
				}
				g.cost[kk] += fc
				if prev != noOwner && prev != j {
					g.cost[kk] += ro.continuity
				}
			}
		}
	}
	// A co-worker carries their share of a queued case once someone
	// takes it: of a case no one may take, which stays queued, they
	// carry nothing, and the capacities leave it out.
	dropped := false
	for x := range items {
		if slices.Contains(g.ok[x*m:(x+1)*m], true) {
			continue
		}
		for _, i := range items[x].cases {
			c := &t.cases[i]
			if t.owner[i] != noOwner || c.CoWorker == "" {
				continue
			}
			if w, ok := t.worker(c.CoWorker); ok {
				g.base[agentOf[w]] -= c.CoShare * t.effort(c, w)
				dropped = true
			}
		}
	}
	if dropped {
		g.setCeiling(ro.ceiling)
	}
	if ro.policy == PolicyLoad {
		// Effort differs between workers: even out utilization by
		// effort, on the lowest ceiling at which every item that may go
		// anywhere finds a place, then cost breaks ties.
		ceiling := lowestCeiling(ctx, g)
		if ro.hardCapacity {
			ceiling = min(ceiling, 1)
		}
		g.setCeiling(ceiling)
	}
	r := solveGAP(ctx, g, ro.seed)
	pr := t.fitProposal(g, ag, items, r, split, n)
	if ro.policy == PolicyLoad {
		g.effortStatus(ctx, pr, r, ro.hardCapacity)
	}
	return pr, t.fitErr(ctx, r)
}

// fitErr wraps ctx.Err() if the search stopped early.
func (t *Team) fitErr(ctx context.Context, r gapResult) error {
	if r.cancelled && ctx.Err() != nil {
		return fmt.Errorf("balance: search stopped early: %w", ctx.Err())
	}
	return nil
}

// fitLook is how many items × workers proposeFit builds between two
// looks at ctx: about a millisecond of them.
const fitLook = 1 << 16

// fitStopped is the proposal of a PolicyFit search that ctx stopped
// before it had built its instance: every movable case, of the items
// given, stays as the problem has it, listed as not reached.
func (t *Team) fitStopped(items []fitItem, split []string) *Proposal {
	m := len(t.workers)
	g := &gapInstance{n: len(items), m: m, full: make([]float64, m), budget: -1}
	for k, j := range t.byID {
		g.full[k] = float64(t.workers[j].Capacity)
	}
	where := make([]int32, len(items))
	for x := range where {
		where[x] = -1
	}
	return t.fitProposal(g, t.byID, items, gapResult{where: where, cancelled: true}, split, 0)
}

// fitProposal assembles the proposal of a PolicyFit solution.
// Agent k of g is worker ag[k]; the items from built on have no rows
// in g (ctx stopped the build: r places none of them).
//
// A case the solution leaves out is explained by [Team.fitWhyNot]; when
// the search stopped early, a case some worker may take is listed as
// not reached ([CodeNotReached]: it stays as the problem has it), and
// one no worker may take is explained in short, as under [PolicyLoad].
func (t *Team) fitProposal(g *gapInstance, ag []int32, items []fitItem, r gapResult, split []string, built int) *Proposal {
	m := len(t.workers)
	where := slices.Clone(t.owner)
	capOf := make([]float64, m)
	for k, j := range ag {
		capOf[j] = g.full[k]
	}
	// to is each item's worker, or noOwner.
	to := make([]int32, len(items))
	for x, it := range items {
		to[x] = noOwner
		if k := r.where[x]; k >= 0 {
			to[x] = ag[k]
		}
		for _, i := range it.cases {
			where[i] = t.owner[i] // unplaced: each case stays where it was
			if to[x] != noOwner {
				where[i] = to[x]
			}
		}
	}
	// Each worker's load by effort in the proposal: what the solver
	// reserved for co-workers of cases it left unplaced and unheld does
	// not count.
	totals := t.totals(where)
	load := make([]float64, m)
	for j := range totals {
		load[j] = fromMicro(totals[j].load)
	}
	order := t.caseOrder()
	pr := &Proposal{AsOf: t.asOf, Policy: PolicyFit, Before: t.Score()}
	pr.Assignment = t.assignment(order, where)
	pr.After = t.score(totals)
	fr := &FitReport{Cost: r.cost, Bound: r.bound}
	if math.IsInf(fr.Bound, -1) {
		fr.Bound = 0
	}
	if t.intakeLeft != nil && !r.exact {
		fr.Relaxed = append(fr.Relaxed, "intake cap")
	}
	if g.budget >= 0 && !r.exact {
		fr.Relaxed = append(fr.Relaxed, "move budget")
	}
	if g.shr != nil && !r.exact {
		fr.Relaxed = append(fr.Relaxed, "caseload norms")
	}
	unplaced := 0
	for x := range items {
		if r.where[x] < 0 {
			unplaced++
		}
	}
	if fr.Bound > fr.Cost && fr.Bound <= fr.Cost*(1+1e-9)+1e-9 {
		fr.Bound = fr.Cost
	}
	if fr.Bound > 0 && unplaced == 0 {
		fr.Gap = (fr.Cost - fr.Bound) / fr.Bound
	}
	for j := range m {
		if capOf[j] > 0 {
			// As the scores read it: exactly 1 within rounding of capacity.
			pr.MaxUtilization = math.Max(pr.MaxUtilization, utilization(totals[j].load, t.workers[j].Capacity))
		}
	}
	pr.Spread = fitSpread(capOf, load)
	itemOf := make(map[int32]int, len(t.cases))
	for x, it := range items {
		for _, i := range it.cases {
			itemOf[i] = x
		}
	}
	var final *gapState // the solution, built for the first case left out
	// The cases not reached share one list of reasons.
	late := []Reason{{Code: CodeNotReached, Message: notReachedMessage}}
	for _, i := range order {
		x, ok := itemOf[i]
		if !ok {
			continue
		}
		c := &t.cases[i]
		prev, hasPrev := t.worker(c.Previous)
		j := to[x]
		if hasPrev && c.Previous != "" {
			fr.Returning++
			if j == prev {
				fr.Continuity++
			}
		}
		if j == noOwner {
			switch {
			case r.cancelled && (x >= built || slices.Contains(g.ok[x*g.m:(x+1)*g.m], true)):
				pr.Unplaceable = append(pr.Unplaceable, Unplaced{Case: c.ID, Owner: c.Owner, Reasons: late[:1:1]})
				continue
			case r.cancelled:
				pr.Unplaceable = append(pr.Unplaceable, Unplaced{Case: c.ID, Owner: c.Owner,
					Reasons: []Reason{Reason{Code: CodeNoEligible, Case: c.ID, Count: m}.withMessage()}})
				continue
			}
			if final == nil {
				final = newGapState(g)
				for y, k := range r.where {
					if k >= 0 {
						final.add(y, int(k))
					}
				}
			}
			pr.Unplaceable = append(pr.Unplaceable, Unplaced{Case: c.ID, Owner: c.Owner, Reasons: t.fitWhyNot(final, ag, x, i)})
			continue
		}
		if j == t.owner[i] {
			continue
		}
		mv := Move{Case: c.ID, Group: c.Group, From: c.Owner, To: t.workers[j].ID}
		switch {
		case c.Owner == "":
			mv.Kind = KindPlace
		case t.owner[i] == noOwner || t.absent[t.owner[i]]:
			mv.Kind = KindReplace
		default:
			mv.Kind, mv.Step = KindMove, 1
			pr.MovesUsed++ // counted per case; a family below
		}
		if hasPrev && j == prev && c.Previous != "" {
			mv.Reasons = append(mv.Reasons, Reason{Code: CodeContinuity, Case: c.ID, Worker: c.Previous}.withMessage())
		}
		mv.Reasons = append(mv.Reasons,
			Reason{Code: CodeFitCost, Case: c.ID, Worker: mv.To, Value: t.fitCost(c, j), Before: (1 - c.CoShare) * t.effort(c, j)}.withMessage())
		if c.CoWorker != "" {
			mv.Reasons = append(mv.Reasons, Reason{Code: CodeCoWorker, Case: c.ID, Worker: c.CoWorker, Value: c.CoShare}.withMessage())
		}
		u := 0.0
		if capOf[j] > 0 {
			u = load[j] / capOf[j]
		}
		mv.Reasons = append(mv.Reasons, Reason{Code: CodePlaced, Case: c.ID, Worker: mv.To, Value: u}.withMessage())
		pr.Moves = append(pr.Moves, mv)
	}
	// A family moved together counts one move.
	fam := map[string]bool{}
	for _, mv := range pr.Moves {
		if mv.Kind == KindMove && mv.Group != "" {
			if fam[mv.Group] {
				pr.MovesUsed--
			}
			fam[mv.Group] = true
		}
	}
	slices.SortStableFunc(pr.Moves, func(a, b Move) int { return a.Step - b.Step })
	pr.Notices = t.Notices()
	for _, grp := range split {
		pr.Notices = append(pr.Notices, Reason{Code: CodeFamilySplit, Group: grp}.withMessage())
	}
	pr.Fit = fr
	switch {
	case r.cancelled:
		pr.Notices = append(pr.Notices, Reason{Code: CodeCancelled}.withMessage())
		pr.Status, pr.StatusReason = StatusStopped, Reason{Code: CodeCancelled}.withMessage()
	case unplaced == 0 && (fr.Cost <= 0 || fr.Bound > 0 && fr.Gap == 0):
		// The cost meets a proven bound (or is nothing at all).
		fr.Bound, fr.Gap = fr.Cost, 0
		pr.Status, pr.StatusReason = StatusOptimal, Reason{Code: CodeFitGap, Value: fr.Cost, Before: fr.Bound}.withMessage()
	default:
		pr.Status, pr.StatusReason = StatusFeasible, Reason{Code: CodeFitGap, Value: fr.Cost, Before: fr.Bound, Threshold: fr.Gap, Count: unplaced}.withMessage()
	}
	return pr
}

// fitReport returns the fit cost of the cases where gives a worker
// other than their owner, for the policies that do not minimise it; nil
// when the problem has no cost and no previous worker.
func (t *Team) fitReport(where []int32, continuity float64) *FitReport {
	has := false
	for i := range t.workers {
		has = has || len(t.workers[i].Costs) > 0
	}
	for i := range t.cases {
		c := &t.cases[i]
		has = has || c.Previous != "" || slices.ContainsFunc(c.Fit, func(f PairFit) bool { return f.Cost != 0 })
	}
	if !has {
		return nil
	}
	fr := &FitReport{}
	for i := range t.cases {
		c, j := &t.cases[i], where[i]
		if j == noOwner || j == t.owner[i] {
			continue
		}
		fr.Cost += t.fitCost(c, j)
		if prev, ok := t.worker(c.Previous); ok && c.Previous != "" {
			fr.Returning++
			if prev == j {
				fr.Continuity++
			} else {
				fr.Cost += continuity
			}
		}
	}
	return fr
}

// fitSpread returns Σ c_j·u_j² / Σ c_j over workers with capacity.
func fitSpread(capOf, load []float64) float64 {
	num, den := 0.0, 0.0
	for j, c := range capOf {
		if c > 0 {
			num += load[j] * load[j] / c
			den += c
		}
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// fitWhyNot explains why case i, of item x, could not be placed in
// the solution final: the eligibility reasons of the workers it is not
// allowed to, counted, and for those who may take it the limit the
// cases placed there left no room under: capacity, caseload norm or
// intake cap.
func (t *Team) fitWhyNot(final *gapState, ag []int32, x int, i int32) []Reason {
	g := final.g
	c := &t.cases[i]
	need, unknown := t.required(c)
	var out []Reason
	add := func(code Code, skill string) {
		for k := range out {
			if out[k].Code == code && out[k].Skill == skill {
				out[k].Count++
				return
			}
		}
		out = append(out, Reason{Code: code, Case: c.ID, Skill: skill, Count: 1})
	}
	m := len(t.workers)
	for k, j := range ag {
		if g.ok[x*m+k] {
			add(final.limit(x, k), "")
			continue
		}
		rs := t.appendOutReasons(nil, j, c, need, unknown, toMicro(c.share()))
		if len(rs) == 0 {
			add(CodeFamily, "") // the family as a whole does not fit
		}
		for _, r := range rs {
			add(r.Code, r.Skill)
		}
	}
	rs := []Reason{Reason{Code: CodeNoEligible, Case: c.ID, Count: m}.withMessage()}
	for _, r := range out {
		rs = append(rs, r.withCountMessage(m))
	}
	return rs
}
