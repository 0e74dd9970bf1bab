package balance_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func rebalanceOptionsGen() *rapid.Generator[*balance.RebalanceOptions] {
	return rapid.Custom(func(t *rapid.T) *balance.RebalanceOptions {
		if rapid.IntRange(0, 5).Draw(t, "nil-options") == 0 {
			return nil
		}
		return &balance.RebalanceOptions{
			MaxMoves:     rapid.SampledFrom([]int{0, 1, 2, 3, 5, -1}).Draw(t, "max-moves"),
			HardCapacity: rapid.IntRange(0, 3).Draw(t, "hard") == 0,
			Policy:       rapid.SampledFrom([]balance.Policy{"", balance.PolicyLoad, balance.PolicyCounts}).Draw(t, "policy"),
			MinGain:      rapid.SampledFrom([]float64{0, -1, 0.01}).Draw(t, "min-gain"),
			ReplaceAway:  rapid.Bool().Draw(t, "replace-away"),
		}
	})
}

// policyUtil returns each worker's utilization under the policy, for
// the given owner of every case, over workers with capacity.
func policyUtil(p balance.Problem, owner map[string]string, policy balance.Policy) map[string]float64 {
	load := map[string]float64{}
	for _, c := range p.Cases {
		w := float64(c.Weight)
		if policy == balance.PolicyCounts {
			w = 1
		}
		load[owner[c.ID]] += w
	}
	u := map[string]float64{}
	for _, w := range p.Workers {
		if w.Capacity > 0 {
			u[w.ID] = load[w.ID] / float64(w.Capacity)
		}
	}
	return u
}

func maxOf(u map[string]float64) float64 {
	m := 0.0
	for _, v := range u {
		m = math.Max(m, v)
	}
	return m
}

// ownersOf returns the owner of every case in p, "" for none.
func ownersOf(p balance.Problem) map[string]string {
	o := map[string]string{}
	for _, c := range p.Cases {
		o[c.ID] = c.Owner
	}
	return o
}

// checkProposal asserts every invariant of a proposal for p.
func checkProposal(t require.TestingT, p balance.Problem, opts *balance.RebalanceOptions, pr *balance.Proposal) {
	if opts == nil {
		opts = &balance.RebalanceOptions{}
	}
	workers := map[string]balance.Worker{}
	for _, w := range p.Workers {
		workers[w.ID] = w
	}
	cases := map[string]balance.Case{}
	for _, c := range p.Cases {
		cases[c.ID] = c
	}

	// Every case exactly once.
	require.Len(t, pr.Assignment, len(p.Cases))
	final := map[string]string{}
	for _, pl := range pr.Assignment {
		_, dup := final[pl.Case]
		require.False(t, dup, "case %s twice", pl.Case)
		_, known := cases[pl.Case]
		require.True(t, known, "unknown case %s", pl.Case)
		final[pl.Case] = pl.Worker
	}
	unplaced := map[string]bool{}
	for _, u := range pr.Unplaceable {
		unplaced[u.Case] = true
		assert.NotEmpty(t, u.Reasons)
	}
	for id, w := range final {
		if w == "" {
			assert.True(t, unplaced[id], "case %s has no worker and is not listed unplaceable", id)
		} else {
			_, ok := workers[w]
			assert.True(t, ok, "case %s given to unknown worker %s", id, w)
		}
	}

	// Moves are exactly the differences.
	moved := map[string]balance.Move{}
	for _, mv := range pr.Moves {
		_, dup := moved[mv.Case]
		require.False(t, dup, "case %s moved twice", mv.Case)
		moved[mv.Case] = mv
		assert.Equal(t, final[mv.Case], mv.To)
		assert.Equal(t, cases[mv.Case].Owner, mv.From)
	}
	for id, w := range final {
		c := cases[id]
		_, onTeam := workers[c.Owner]
		changed := w != c.Owner && (w != "" || onTeam)
		_, listed := moved[id]
		assert.Equal(t, changed, listed, "case %s: %q → %q", id, c.Owner, w)
	}

	// Only eligible workers take cases; pinned cases stay.
	initShares, finalShares := map[string]float64{}, map[string]float64{}
	initHours, finalHours := map[string]float64{}, map[string]float64{}
	for _, c := range p.Cases {
		initShares[c.Owner] += share(c)
		initHours[c.Owner] += float64(c.Weight)
		finalShares[final[c.ID]] += share(c)
		finalHours[final[c.ID]] += float64(c.Weight)
	}
	units := map[[2]string]bool{}
	for _, mv := range pr.Moves {
		c := cases[mv.Case]
		out := expectedOut(p, workers[mv.To], c)
		out = slices.DeleteFunc(out, func(c balance.Code) bool { return c == balance.CodeAtNorm })
		assert.Empty(t, out, "case %s given to %s, who is out: %v", mv.Case, mv.To, out)
		if _, onTeam := workers[c.Owner]; onTeam {
			assert.False(t, c.Pinned, "pinned case %s moved", c.ID)
		}
		switch mv.Kind {
		case balance.KindMove:
			assert.Positive(t, mv.Step)
			assert.False(t, absentToday(p, workers[c.Owner]) && opts.ReplaceAway)
			key := c.Group
			if key == "" {
				key = c.ID
			}
			units[[2]string{key, c.Owner}] = true
		case balance.KindPlace:
			assert.Empty(t, c.Owner)
		case balance.KindReplace:
			_, onTeam := workers[c.Owner]
			assert.True(t, !onTeam || absentToday(p, workers[c.Owner]))
		}
	}
	for _, w := range p.Workers {
		if w.CaseloadNorm != nil {
			assert.LessOrEqual(t, finalShares[w.ID], math.Max(float64(*w.CaseloadNorm), initShares[w.ID])+1e-4, "worker %s above norm", w.ID)
		}
		if opts.HardCapacity {
			// Capacity is held to one part per million (see capSlack).
			assert.LessOrEqual(t, finalHours[w.ID], math.Max(float64(w.Capacity)*(1+1e-6), initHours[w.ID])+1e-6, "worker %s above capacity", w.ID)
		}
	}

	// The move budget.
	assert.Equal(t, len(units), pr.MovesUsed)
	if opts.MaxMoves >= 0 {
		assert.LessOrEqual(t, pr.MovesUsed, opts.MaxMoves)
	}

	// Families are never split further than they were, unless flagged.
	split := map[string]bool{}
	for _, n := range pr.Notices {
		if n.Code == balance.CodeFamilySplit {
			split[n.Group] = true
		}
	}
	before, after := map[string]map[string]bool{}, map[string]map[string]bool{}
	for _, c := range p.Cases {
		if c.Group == "" {
			continue
		}
		if before[c.Group] == nil {
			before[c.Group], after[c.Group] = map[string]bool{}, map[string]bool{}
		}
		if _, onTeam := workers[c.Owner]; onTeam && !(opts.ReplaceAway && absentToday(p, workers[c.Owner]) && !c.Pinned) {
			before[c.Group][c.Owner] = true
		}
		if w := final[c.ID]; w != "" && !unplaced[c.ID] {
			after[c.Group][w] = true
		}
	}
	// A queued member of a family held by one worker goes to that worker
	// when they may take it and no norm or hard capacity stands between.
	holders := map[string]map[string]bool{}
	for _, c := range p.Cases {
		if _, onTeam := workers[c.Owner]; onTeam && c.Group != "" {
			if holders[c.Group] == nil {
				holders[c.Group] = map[string]bool{}
			}
			holders[c.Group][c.Owner] = true
		}
	}
	for _, c := range p.Cases {
		if c.Owner != "" || c.Group == "" || len(holders[c.Group]) != 1 || opts.HardCapacity {
			continue
		}
		for w := range holders[c.Group] {
			if wk := workers[w]; wk.CaseloadNorm == nil && !(opts.ReplaceAway && absentToday(p, wk)) && len(expectedOut(p, wk, c)) == 0 {
				assert.Equal(t, w, final[c.ID], "case %s left its family %s", c.ID, c.Group)
			}
		}
	}
	for g := range after {
		if !split[g] {
			assert.LessOrEqual(t, len(after[g]), max(1, len(before[g])), "family %s split over %v", g, after[g])
		}
	}

	// The bound holds, and the scores match the assignment.
	assert.LessOrEqual(t, pr.Bound, pr.MaxUtilization+1e-12)
	assert.GreaterOrEqual(t, pr.Gap, 0.0)
	u := policyUtil(p, final, pr.Policy)
	// Weights are summed in micro-hours, so compare within a millionth.
	assert.InDelta(t, maxOf(u), pr.MaxUtilization, 1e-6*math.Max(1, maxOf(u)))
	im, err := balance.Score(pr.Apply(p), &opts.Options)
	require.NoError(t, err)
	assert.Equal(t, im, pr.After)

	// Every prefix of steps is valid and no worse than the one before.
	checkPrefixes(t, p, opts, pr, workers)
}

// checkPrefixes applies the placements and then the voluntary moves
// step by step, checking norms and hard capacity, and that the maximum
// utilization and spread never get worse.
func checkPrefixes(t require.TestingT, p balance.Problem, opts *balance.RebalanceOptions, pr *balance.Proposal, workers map[string]balance.Worker) {
	owner := ownersOf(p)
	last := 0
	for _, mv := range pr.Moves {
		if mv.Step == 0 {
			owner[mv.Case] = mv.To
		}
		last = max(last, mv.Step)
	}
	stranded := func() float64 {
		var h float64
		for _, c := range p.Cases {
			if w, ok := workers[owner[c.ID]]; ok && w.Capacity == 0 && !absentToday(p, w) {
				h += float64(c.Weight)
			}
		}
		return h
	}
	objective := func() (float64, float64) {
		u := policyUtil(p, owner, pr.Policy)
		var sum, capSum float64
		for id, v := range u {
			c := float64(workers[id].Capacity)
			sum += c * v * v
			capSum += c
		}
		if capSum == 0 {
			return maxOf(u), 0
		}
		return maxOf(u), sum / capSum
	}
	prevMax, prevSpread := objective()
	prevStranded := stranded()
	for step := 1; step <= last; step++ {
		for _, mv := range pr.Moves {
			if mv.Step == step {
				owner[mv.Case] = mv.To
			}
		}
		m, sp := objective()
		st := stranded()
		assert.LessOrEqual(t, st, prevStranded+1e-9, "step %d strands more load with workers without capacity", step)
		if st < prevStranded-1e-9 {
			// Load moved off workers without capacity: that comes first.
		} else if math.Abs(m-prevMax) > 1e-9 {
			assert.Less(t, m, prevMax, "step %d raises the maximum", step)
		} else {
			assert.LessOrEqual(t, sp, prevSpread+1e-9, "step %d raises the spread", step)
		}
		prevMax, prevSpread, prevStranded = m, sp, st
	}
}

func TestProposeProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := problemGen(6, 14).Draw(t, "problem")
		opts := rebalanceOptionsGen().Draw(t, "options")
		pr, err := balance.Propose(context.Background(), p, opts)
		require.NoError(t, err)
		checkProposal(t, p, opts, pr)
	})
}

func TestProposeNeverWorse(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := problemGen(6, 14).Draw(t, "problem")
		// Everything held: the current assignment is itself a proposal.
		p.Cases = slices.DeleteFunc(slices.Clone(p.Cases), func(c balance.Case) bool { return c.Owner == "" || c.Owner == "gone" })
		opts := rebalanceOptionsGen().Draw(t, "options")
		if opts != nil {
			opts.ReplaceAway = false
		}
		pr, err := balance.Propose(context.Background(), p, opts)
		require.NoError(t, err)
		policy := balance.PolicyLoad
		if opts != nil && opts.Policy != "" {
			policy = opts.Policy
		}
		// The objective: first the load stranded with workers who have
		// no capacity, then the maximum utilization.
		strandedOf := func(owner map[string]string) float64 {
			var h float64
			for _, c := range p.Cases {
				for _, w := range p.Workers {
					if w.ID == owner[c.ID] && w.Capacity == 0 && !absentToday(p, w) && !c.Pinned {
						h += float64(c.Weight)
					}
				}
			}
			return h
		}
		final := map[string]string{}
		for _, pl := range pr.Assignment {
			final[pl.Case] = pl.Worker
		}
		sb, sa := strandedOf(ownersOf(p)), strandedOf(final)
		assert.LessOrEqual(t, sa, sb+1e-9)
		before := maxOf(policyUtil(p, ownersOf(p), policy))
		if sa >= sb-1e-9 {
			assert.LessOrEqual(t, pr.MaxUtilization, before+1e-6*math.Max(1, before))
		}
		if opts == nil || opts.MaxMoves == 0 {
			assert.Empty(t, pr.Moves, "no moves without a budget")
		}
	})
}

func TestProposeDeterministic(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := problemGen(6, 14).Draw(t, "problem")
		opts := rebalanceOptionsGen().Draw(t, "options")
		a, err := balance.Propose(context.Background(), p, opts)
		require.NoError(t, err)
		b, err := balance.Propose(context.Background(), permute(t, p), opts)
		require.NoError(t, err)
		require.Equal(t, a, b)
	})
}

func TestProposeCancelled(t *testing.T) {
	t.Parallel()
	p := balancetest.Generate(7, balancetest.TeamSize())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	opts := &balance.RebalanceOptions{MaxMoves: -1}
	pr, err := balance.Propose(ctx, p, opts)
	require.ErrorIs(t, err, context.Canceled)
	require.NotNil(t, pr, "a cancelled search still returns a complete proposal")
	checkProposal(t, p, opts, pr)
	// Its 572 queued cases, fewer than placement still handles once ctx
	// is done, are all placed.
	assert.Empty(t, pr.Unplaceable)
	codes := codesOf(pr.Notices)
	assert.Contains(t, codes, balance.CodeCancelled)
}

// TestProposeCancelledNotReached: cancelled before it began, Propose
// on 6,000 cases still places 1,024 queued ones (its grace once ctx is
// done) and lists every other queued case as not reached, queued as it
// was; the proposal keeps every invariant.
func TestProposeCancelledNotReached(t *testing.T) {
	t.Parallel()
	p := balancetest.Generate(7, balancetest.Size{Workers: 25, Cases: 6000})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	pr, err := balance.Propose(ctx, p, nil)
	require.ErrorIs(t, err, context.Canceled)
	require.NotNil(t, pr)
	checkProposal(t, p, nil, pr)
	queued := 0
	for _, c := range p.Cases {
		if c.Owner == "" {
			queued++
		}
	}
	late := 0
	for _, u := range pr.Unplaceable {
		if codesOf(u.Reasons)[0] == balance.CodeNotReached {
			late++
			assert.Equal(t, []balance.Code{balance.CodeNotReached}, codesOf(u.Reasons), u.Case)
		}
	}
	require.Greater(t, queued, 1024)
	// 1,024 units are placed: cases, or families of several.
	assert.Positive(t, late)
	assert.LessOrEqual(t, late, queued-1024, "fewer than 1,024 queued cases placed")
}

// TestProposeCancelledReachesMostUrgent: cancelled before it began,
// Propose on 6,000 cases places the 1,024 most urgent queued ones (by
// deadline, priority, arrival, ID), not the first in the input nor
// the heaviest, and lists every other queued case as not reached.
func TestProposeCancelledReachesMostUrgent(t *testing.T) {
	t.Parallel()
	p := balancetest.Generate(7, balancetest.Size{Workers: 25, Cases: 6000})
	rng := rand.New(rand.NewPCG(7, 1))
	var queued []balance.Case
	for i := range p.Cases {
		c := &p.Cases[i]
		c.Group = "" // one case a unit: 1,024 units are 1,024 cases
		c.Skills = nil
		if c.Owner != "" {
			continue
		}
		if rng.IntN(4) > 0 {
			c.Deadline = asOfDate.AddDays(rng.IntN(60))
		}
		c.Priority = rng.IntN(3)
		if rng.IntN(2) == 0 {
			c.Arrived = asOfDate.AddDays(-rng.IntN(90))
		}
		queued = append(queued, *c)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	pr, err := balance.Propose(ctx, p, nil)
	require.ErrorIs(t, err, context.Canceled)
	checkProposal(t, p, nil, pr)
	// The order of urgency, as NOTES.md states it; a zero date is none,
	// and comes last.
	date := func(d civil.Date) string {
		if d.IsZero() {
			return "9999-99-99"
		}
		return d.String()
	}
	slices.SortFunc(queued, func(a, b balance.Case) int {
		return cmp.Or(strings.Compare(date(a.Deadline), date(b.Deadline)), b.Priority-a.Priority,
			strings.Compare(date(a.Arrived), date(b.Arrived)), strings.Compare(a.ID, b.ID))
	})
	placed := map[string]bool{}
	for _, a := range pr.Assignment {
		placed[a.Case] = a.Worker != ""
	}
	require.Greater(t, len(queued), 1024)
	for k, c := range queued {
		assert.Equal(t, k < 1024, placed[c.ID], "case %s, %d-th most urgent", c.ID, k+1)
	}
}

// stepCtx is a context that is done after its Err has been called
// left times: a deadline that falls at the same step of a
// deterministic solver on every run.
type stepCtx struct {
	context.Context
	left atomic.Int64
}

func (c *stepCtx) Err() error {
	if c.left.Add(-1) < 0 {
		return context.DeadlineExceeded
	}
	return nil
}

// proposeCut runs Propose with a context that is done after steps looks
// at it, and returns the proposal, the looks it took and its error.
func proposeCut(p balance.Problem, opts *balance.RebalanceOptions, steps int64) (*balance.Proposal, int64, error) {
	ctx := &stepCtx{Context: context.Background()}
	ctx.left.Store(steps)
	pr, err := balance.Propose(ctx, p, opts)
	return pr, steps - ctx.left.Load(), err
}

// checkCut checks a proposal cut after steps looks: an error only when
// it stopped early, and then the status that says so; and, cut at the
// same step again, the same proposal.
func checkCut(t require.TestingT, p balance.Problem, opts *balance.RebalanceOptions, steps int64, pr *balance.Proposal, err error) {
	if err != nil {
		require.ErrorIs(t, err, context.DeadlineExceeded)
		require.Equal(t, balance.StatusStopped, pr.Status, "cut at %d", steps)
	} else {
		require.NotEqual(t, balance.StatusStopped, pr.Status, "cut at %d", steps)
	}
	again, _, err2 := proposeCut(p, opts, steps)
	require.Equal(t, err == nil, err2 == nil, "cut at %d", steps)
	require.Equal(t, pr, again, "cut at %d: the same cut gives the same proposal", steps)
}

// TestProposeCutAnywhere: wherever the deadline falls, Propose returns
// a complete proposal that keeps every invariant, and an error that
// says it stopped early only when it did; cut at the same step again,
// it returns the same proposal.
func TestProposeCutAnywhere(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := problemGen(6, 14).Draw(t, "problem")
		opts := rebalanceOptionsGen().Draw(t, "options")
		steps := int64(rapid.IntRange(0, 300).Draw(t, "steps"))
		pr, _, err := proposeCut(p, opts, steps)
		require.NotNil(t, pr, "%v", err)
		checkProposal(t, p, opts, pr)
		checkCut(t, p, opts, steps, pr, err)
	})
}

func TestProposeBadOptions(t *testing.T) {
	t.Parallel()
	p := balance.Problem{AsOf: asOfDate}
	for _, o := range []*balance.RebalanceOptions{
		{Policy: "alphabetical"},
		{MinGain: math.NaN()},
		{Options: balance.Options{WeekTurn: math.Inf(1)}},
	} {
		_, err := balance.Propose(context.Background(), p, o)
		assert.ErrorIs(t, err, balance.ErrBadOption)
	}
}

// TestProposeHeuristicProperties checks every invariant on problems
// large enough for the heuristics (up to 80 cases), with the exact
// search of small instances off so that placement, local search, the
// target method and the ordering of moves are what is tested.
func TestProposeHeuristicProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := problemGen(10, 80).Draw(t, "problem")
		opts := rebalanceOptionsGen().Draw(t, "options")
		pr, err := balance.ProposeWithoutExact(context.Background(), p, opts)
		require.NoError(t, err)
		checkProposal(t, p, opts, pr)
	})
}

// TestProposeManyMoves reaches the ordering of more than 300 voluntary
// moves, which is done once by each move's own gain rather than
// greedily: every prefix must still be valid and no worse.
func TestProposeManyMoves(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("a region-sized rebalance")
	}
	skewed := balancetest.Size{Workers: 60, Cases: 1500, Assigned: true}
	p := balancetest.Generate(3, skewed)
	opts := &balance.RebalanceOptions{MaxMoves: -1}
	pr, err := balance.Propose(context.Background(), p, opts)
	require.NoError(t, err)
	require.Greater(t, pr.MovesUsed, 300, "the instance must need many moves")
	checkProposal(t, p, opts, pr)
}

func TestProposeUnplaceableReasons(t *testing.T) {
	t.Parallel()
	p := balance.Problem{
		AsOf: asOfDate,
		Workers: []balance.Worker{
			{ID: "a", Capacity: 30, Away: true},
			{ID: "b", Capacity: 30, Skills: []string{"court"}},
			{ID: "c", Capacity: 30},
		},
		Cases: []balance.Case{{ID: "x", Weight: 2, Skills: []string{"court"}, Declines: []balance.Decline{{Worker: "b", Reason: "neighbour"}}}},
	}
	pr, err := balance.Propose(context.Background(), p, nil)
	require.NoError(t, err)
	require.Len(t, pr.Unplaceable, 1)
	var msgs []string
	for _, r := range pr.Unplaceable[0].Reasons {
		msgs = append(msgs, r.Message)
	}
	assert.Equal(t, []string{
		`no worker may take case "x" now`,
		`2 of 3 workers lack skill "court"`,
		`1 of 3 workers is away`,
		`1 of 3 workers declined it`,
	}, msgs)
	assert.Equal(t, []balance.Placement{{Case: "x"}}, pr.Assignment, "an unplaceable queued case stays in the queue")
}

func TestLeaveLookaheadLimit(t *testing.T) {
	t.Parallel()
	_, err := balance.Prepare(balance.Problem{AsOf: asOfDate}, &balance.Options{LeaveLookahead: 1e9})
	assert.ErrorIs(t, err, balance.ErrBadOption)
}

// TestResultsJSONRoundTrip: proposals, rankings and scores survive
// JSON, so that a case system can store and replay them.
func TestResultsJSONRoundTrip(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := problemGen(5, 12).Draw(t, "problem")
		opts := rebalanceOptionsGen().Draw(t, "options")
		pr, err := balance.Propose(context.Background(), p, opts)
		require.NoError(t, err)
		roundTrip(t, pr)
		r, err := balance.Rank(p, newCaseGen(p).Draw(t, "case"), nil)
		require.NoError(t, err)
		roundTrip(t, r)
		var o *balance.RebalanceOptions
		b, err := json.Marshal(opts)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &o))
		require.Equal(t, opts, o)
	})
}

func roundTrip[T any](t *rapid.T, v *T) {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var w T
	require.NoError(t, json.Unmarshal(b, &w))
	require.Equal(t, *v, w)
}

// absentToday reports whether w is away or on leave on p.AsOf: such a
// worker keeps their cases in a rebalance unless ReplaceAway.
func absentToday(p balance.Problem, w balance.Worker) bool {
	for _, a := range w.Absences {
		if a.Contains(p.AsOf) {
			return true
		}
	}
	return w.Away
}

// TestProposeCutLarge cuts Propose on 3,000 cases, most of them queued,
// at steps spread over the whole run: past placement's grace of 1,024
// queued units once ctx is done, so that the cut falls while the solver
// is built, while it places, and after. Each proposal keeps every
// invariant, says it stopped only when it did, and is the same when cut
// at the same step again.
func TestProposeCutLarge(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("a few dozen proposals on 3,000 cases")
	}
	p := balancetest.Generate(11, balancetest.Size{Workers: 20, Cases: 3000})
	for i := range p.Cases {
		// Deadlines and priorities, so that urgency is not ID order.
		if c := &p.Cases[i]; i%3 == 0 {
			c.Deadline = asOfDate.AddDays(i % 37)
			c.Priority = i % 4
		}
	}
	opts := &balance.RebalanceOptions{MaxMoves: 5}
	_, calls, err := proposeCut(p, opts, math.MaxInt64/2)
	require.NoError(t, err)
	// Cut at once, Propose leaves queued cases not reached: the grace
	// is reached.
	first, _, _ := proposeCut(p, opts, 0)
	require.True(t, slices.ContainsFunc(first.Unplaceable, func(u balance.Unplaced) bool {
		return u.Reasons[0].Code == balance.CodeNotReached
	}))
	// Every step up to 64, then steps spread evenly over the run.
	var cuts []int64
	for k := range int64(64) {
		cuts = append(cuts, k)
	}
	for k := range int64(16) {
		cuts = append(cuts, 64+k*calls/16)
	}
	for _, steps := range cuts {
		pr, _, err := proposeCut(p, opts, steps)
		require.NotNil(t, pr, "cut at %d: %v", steps, err)
		checkProposal(t, p, opts, pr)
		checkCut(t, p, opts, steps, pr, err)
	}
}

// TestTeamConcurrentPropose: a prepared Team is safe for concurrent use
// (team.go), though its first proposal works out, once, what later ones
// reuse (its case-ID order and whether effort varies). Proposals made
// at once from several goroutines, some cut at once, equal those made
// one after the other; under -race the detector sees the sharing.
func TestTeamConcurrentPropose(t *testing.T) {
	t.Parallel()
	p := balancetest.Generate(5, balancetest.TeamSize())
	optss := []*balance.RebalanceOptions{nil, {MaxMoves: -1}, {Policy: balance.PolicyCounts, MaxMoves: 3}}
	want := make([]*balance.Proposal, len(optss))
	for k, o := range optss {
		team, err := balance.Prepare(p, nil)
		require.NoError(t, err)
		want[k], err = team.Propose(context.Background(), o)
		require.NoError(t, err)
	}
	team, err := balance.Prepare(p, nil)
	require.NoError(t, err)
	done, cancel := context.WithCancel(context.Background())
	cancel()
	const rounds = 2
	got := make([]*balance.Proposal, rounds*len(optss))
	var wg sync.WaitGroup
	for r := range rounds {
		for k, o := range optss {
			wg.Add(2)
			go func() {
				defer wg.Done()
				got[r*len(optss)+k], _ = team.Propose(context.Background(), o)
			}()
			go func() {
				defer wg.Done()
				pr, err := team.Propose(done, o)
				assert.ErrorIs(t, err, context.Canceled)
				assert.Len(t, pr.Assignment, len(p.Cases))
			}()
		}
	}
	wg.Wait()
	for r := range rounds {
		for k := range optss {
			assert.Equal(t, want[k], got[r*len(optss)+k], "round %d, options %d", r, k)
		}
	}
}

// TestProposeCancelledGraceSkipsHopeless: cancelled before it began,
// Propose on 1,100 queued cases, of which the 200 most urgent need a
// skill no worker holds, places every one of the 900 others: fewer
// than its grace of 1,024 once ctx is done. A case no worker may take
// is explained, not placed, and takes no place in the grace.
func TestProposeCancelledGraceSkipsHopeless(t *testing.T) {
	t.Parallel()
	p := balance.Problem{AsOf: asOfDate}
	for j := range 10 {
		p.Workers = append(p.Workers, balance.Worker{ID: fmt.Sprintf("w%02d", j), Capacity: 100})
	}
	for i := range 1100 {
		c := balance.Case{ID: fmt.Sprintf("c%04d", i), Weight: 1}
		if i < 200 {
			c.Skills = []string{"sign language"} // no worker holds it
			c.Deadline = asOfDate.AddDays(1)
		}
		p.Cases = append(p.Cases, c)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	pr, err := balance.Propose(ctx, p, nil)
	require.ErrorIs(t, err, context.Canceled)
	checkProposal(t, p, nil, pr)
	notReached := 0
	for _, u := range pr.Unplaceable {
		if u.Reasons[0].Code == balance.CodeNotReached {
			notReached++
		}
	}
	assert.Equal(t, 200, len(pr.Unplaceable), "only the cases no worker may take")
	assert.Zero(t, notReached, "cases not reached, with the grace not used up")
}
