package balancetest_test

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The exhaustive search below proves each scenario's Best. It is
// written from the documentation of balance.Propose, not from its code,
// and models a proposal as a choice for each unit of work:
//
//   - a case pinned to a worker on the team, or held by an absent worker
//     whose cases the options do not re-place, stays;
//   - the other cases a worker holds form units (a case, or the cases of
//     one family that one worker holds), each staying or moving whole to
//     a worker who may take all of it, one voluntary move each;
//   - queued and orphaned cases, and an absent worker's unpinned cases
//     under ReplaceAway, are free: the free cases of a family go to the
//     worker who holds the family if that worker may take them, else
//     together to any one worker who may take them all if there is one,
//     else each on its own; a free unit may also wait, unplaced.
//
// "May take" is the eligibility rule without the norm
// (balancetest.Ineligible); norms and hard capacity are then held
// against the totals, with the allowance for what a worker held before.
// The objective is Propose's: what waits, most urgent first; then the
// load left on workers without capacity who are not absent; then the
// maximum utilization under the policy.

type bfUnit struct {
	cases   []int
	options []string // "" is waiting; a held unit's owner comes first
	held    bool
	urgency int // rank among free units, most urgent 0
}

type bfResult struct {
	best    float64
	waiting []string
}

// bruteForce returns the least maximum utilization and the cases left
// waiting of the best proposal for p under opts. It panics if the
// search would visit more than 1e7 assignments.
func bruteForce(p balance.Problem, opts *balance.RebalanceOptions) bfResult {
	var o balance.RebalanceOptions
	if opts != nil {
		o = *opts
	}
	workers := map[string]balance.Worker{}
	var ids []string
	for _, w := range p.Workers {
		workers[w.ID] = w
		ids = append(ids, w.ID)
	}
	slices.Sort(ids)
	absent := func(id string) bool {
		w, ok := workers[id]
		if !ok {
			return false
		}
		if w.Away {
			return true
		}
		for _, a := range w.Absences {
			if a.Contains(p.AsOf) {
				return true
			}
		}
		return false
	}
	// mayTake: the eligibility rule without the norm.
	mayTake := func(w string, xs []int) bool {
		for _, i := range xs {
			for _, code := range balancetest.Ineligible(balance.Problem{AsOf: p.AsOf}, workers[w], p.Cases[i], &o.Options) {
				if code != balance.CodeAtNorm {
					return false
				}
			}
		}
		return true
	}
	onTeam := func(id string) bool { _, ok := workers[id]; return ok }
	free := func(i int) bool {
		c := p.Cases[i]
		return !onTeam(c.Owner) || o.ReplaceAway && absent(c.Owner) && !c.Pinned
	}
	fixed := func(i int) bool {
		c := p.Cases[i]
		return onTeam(c.Owner) && (c.Pinned || absent(c.Owner) && !o.ReplaceAway)
	}

	// Families: pinned worker, and held cases by worker.
	pinnedTo := map[string]string{}
	heldBy := map[string]map[string]int{}
	for i, c := range p.Cases {
		if c.Group == "" || free(i) {
			continue
		}
		if c.Pinned {
			pinnedTo[c.Group] = c.Owner
		}
		if heldBy[c.Group] == nil {
			heldBy[c.Group] = map[string]int{}
		}
		heldBy[c.Group][c.Owner]++
	}
	holder := func(g string) string {
		if w, ok := pinnedTo[g]; ok {
			return w
		}
		best := ""
		for _, w := range ids {
			if n := heldBy[g][w]; n > 0 && (best == "" || n > heldBy[g][best]) {
				best = w
			}
		}
		return best
	}

	var units []*bfUnit
	fixedOwner := make([]string, len(p.Cases))
	heldUnits := map[[2]string]*bfUnit{}
	freeFamilies := map[string][]int{}
	var groups []string
	for i, c := range p.Cases {
		switch {
		case fixed(i) || c.Group != "" && !free(i) && pinnedTo[c.Group] == c.Owner:
			fixedOwner[i] = c.Owner
		case free(i) && c.Group != "":
			if freeFamilies[c.Group] == nil {
				groups = append(groups, c.Group)
			}
			freeFamilies[c.Group] = append(freeFamilies[c.Group], i)
		case free(i):
			units = append(units, &bfUnit{cases: []int{i}})
		default:
			key := [2]string{c.Group, c.Owner}
			if c.Group == "" {
				key = [2]string{"", c.ID}
			}
			u, ok := heldUnits[key]
			if !ok {
				u = &bfUnit{held: true}
				heldUnits[key] = u
				units = append(units, u)
			}
			u.cases = append(u.cases, i)
		}
	}
	for _, g := range groups {
		xs := freeFamilies[g]
		h := holder(g)
		switch {
		case h != "" && mayTake(h, xs):
			units = append(units, &bfUnit{cases: xs, options: []string{h, ""}})
		case h != "":
			for _, i := range xs {
				u := &bfUnit{cases: []int{i}}
				if mayTake(h, []int{i}) {
					u.options = []string{h, ""}
				}
				units = append(units, u)
			}
		case slices.ContainsFunc(ids, func(w string) bool { return mayTake(w, xs) }):
			units = append(units, &bfUnit{cases: xs})
		default:
			for _, i := range xs {
				units = append(units, &bfUnit{cases: []int{i}})
			}
		}
	}
	for _, u := range units {
		if u.options != nil {
			continue
		}
		if u.held {
			u.options = []string{p.Cases[u.cases[0]].Owner}
		}
		for _, w := range ids {
			if (!u.held || w != p.Cases[u.cases[0]].Owner) && mayTake(w, u.cases) {
				u.options = append(u.options, w)
			}
		}
		if !u.held {
			u.options = append(u.options, "")
		}
	}
	// Urgency of free units: deadline, priority, arrival, ID.
	var freeUnits []*bfUnit
	for _, u := range units {
		if !u.held {
			freeUnits = append(freeUnits, u)
		}
	}
	key := func(u *bfUnit) (deadline civil.Date, priority int, arrived civil.Date, id string) {
		for k, i := range u.cases {
			c := p.Cases[i]
			if !c.Deadline.IsZero() && (deadline.IsZero() || c.Deadline.Before(deadline)) {
				deadline = c.Deadline
			}
			if k == 0 || c.Priority > priority {
				priority = c.Priority
			}
			if !c.Arrived.IsZero() && (arrived.IsZero() || c.Arrived.Before(arrived)) {
				arrived = c.Arrived
			}
			if id == "" || c.ID < id {
				id = c.ID
			}
		}
		return
	}
	zeroLast := func(a, b civil.Date) int {
		switch {
		case a.IsZero() && b.IsZero():
			return 0
		case a.IsZero():
			return 1
		case b.IsZero():
			return -1
		}
		return a.Compare(b)
	}
	slices.SortFunc(freeUnits, func(a, b *bfUnit) int {
		da, pa, aa, ia := key(a)
		db, pb, ab, ib := key(b)
		return cmp.Or(zeroLast(da, db), cmp.Compare(pb, pa), zeroLast(aa, ab), strings.Compare(ia, ib))
	})
	for r, u := range freeUnits {
		u.urgency = r
	}

	size := 1.0
	for _, u := range units {
		size *= float64(len(u.options))
	}
	if size > 1e7 {
		panic("bruteForce: too many assignments")
	}

	micro := func(v float64) int64 { return int64(math.Round(v * 1e6)) }
	share := func(c balance.Case) int64 {
		if c.Share == 0 {
			return 1e6
		}
		return micro(float64(c.Share))
	}
	initShares, initHours := map[string]int64{}, map[string]int64{}
	for _, c := range p.Cases {
		initShares[c.Owner] += share(c)
		initHours[c.Owner] += micro(float64(c.Weight))
	}
	owner := slices.Clone(fixedOwner)
	var best struct {
		found    bool
		wait     []int
		stranded int64
		max      float64
		waiting  []string
	}
	better := func(wait []int, stranded int64, m float64) bool {
		if !best.found {
			return true
		}
		for k := range min(len(wait), len(best.wait)) {
			if wait[k] != best.wait[k] {
				return wait[k] > best.wait[k]
			}
		}
		if len(wait) != len(best.wait) {
			return len(wait) < len(best.wait)
		}
		if stranded != best.stranded {
			return stranded < best.stranded
		}
		return m < best.max-1e-12
	}
	var rec func(k, moves int)
	rec = func(k, moves int) {
		if k < len(units) {
			u := units[k]
			for j, w := range u.options {
				mv := moves
				if u.held && j > 0 {
					mv++
				}
				if o.MaxMoves >= 0 && mv > o.MaxMoves {
					continue
				}
				for _, i := range u.cases {
					owner[i] = w
				}
				rec(k+1, mv)
			}
			return
		}
		shares, hours, load := map[string]int64{}, map[string]int64{}, map[string]int64{}
		for i, c := range p.Cases {
			w := owner[i]
			if w == "" {
				w = c.Owner // waiting: stays where it was
			}
			shares[w] += share(c)
			hours[w] += micro(float64(c.Weight))
			if o.Policy == balance.PolicyCounts {
				load[w] += 1e6
			} else {
				load[w] += micro(float64(c.Weight))
			}
		}
		var stranded int64
		m := 0.0
		for _, id := range ids {
			w := workers[id]
			if w.CaseloadNorm != nil && shares[id] > max(micro(float64(*w.CaseloadNorm))+100, initShares[id]) {
				return
			}
			capM := micro(float64(w.Capacity))
			if o.HardCapacity && hours[id] > max(capM+1+capM/1e6, initHours[id]) {
				return
			}
			if w.Capacity == 0 {
				if !absent(id) {
					stranded += hours[id]
				}
				continue
			}
			m = math.Max(m, float64(load[id])/1e6/float64(w.Capacity))
		}
		var wait []int
		var waiting []string
		for _, u := range freeUnits {
			if owner[u.cases[0]] == "" {
				wait = append(wait, u.urgency)
				for _, i := range u.cases {
					waiting = append(waiting, p.Cases[i].ID)
				}
			}
		}
		if better(wait, stranded, m) {
			best.found, best.wait, best.stranded, best.max = true, wait, stranded, m
			slices.Sort(waiting)
			best.waiting = waiting
		}
	}
	rec(0, 0)
	return bfResult{best: best.max, waiting: best.waiting}
}

// TestScenariosBest proves each scenario's Best and Unplaceable by
// exhaustive search.
func TestScenariosBest(t *testing.T) {
	t.Parallel()
	for _, s := range balancetest.Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			o := optionsOf(s.Options)
			_, err := balance.Prepare(s.Problem, &o.Options)
			require.NoError(t, err)
			got := bruteForce(s.Problem, s.Options)
			assert.InDelta(t, s.Best, got.best, 1e-12, "best maximum utilization")
			assert.Equal(t, s.Unplaceable, got.waiting, "cases no proposal places")
		})
	}
}

// TestScenariosPropose checks that Propose reaches every scenario's
// best and keeps every invariant.
func TestScenariosPropose(t *testing.T) {
	t.Parallel()
	for _, s := range balancetest.Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			pr, err := balance.Propose(context.Background(), s.Problem, s.Options)
			require.NoError(t, err)
			assert.NoError(t, s.Check(pr))
		})
	}
}

func TestScenariosAreFresh(t *testing.T) {
	t.Parallel()
	a := balancetest.Scenarios()
	a[0].Problem.Cases[0].Weight = 1000
	a[0].Problem.Workers = nil
	b := balancetest.Scenarios()
	assert.NotEqual(t, a[0].Problem, b[0].Problem, "each call returns its own copies")
	names := map[string]bool{}
	for _, s := range b {
		assert.False(t, names[s.Name], "scenario %q named twice", s.Name)
		names[s.Name] = true
		assert.NotEmpty(t, s.About)
		assert.LessOrEqual(t, len(s.Problem.Workers), 5)
		assert.LessOrEqual(t, len(s.Problem.Cases), 10)
		assert.True(t, slices.IsSorted(s.Unplaceable))
	}
	assert.GreaterOrEqual(t, len(b), 12)
}

func optionsOf(o *balance.RebalanceOptions) balance.RebalanceOptions {
	if o == nil {
		return balance.RebalanceOptions{}
	}
	return *o
}
