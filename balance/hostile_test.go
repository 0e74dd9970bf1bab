package balance_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileSizes are, per hostile shape, the workers and cases of the
// benchmark (a size that took seconds before the shapes were made
// linear) and of the growth test (a small size: the test runs the
// shape there and at twice the input). Hardcap-overdemand's growth
// test runs at 200 × 4,800: on smaller teams the solver's search takes
// other paths (157 voluntary moves at 100 × 2,400, 4,628 at 200 ×
// 4,800), whose allocations grow faster for other reasons.
var hostileSizes = map[hostile]struct{ benchW, benchN, testW, testN int }{
	hostileSkills:         {1000, 500, 200, 100},
	hostileManySkills:     {200, 8000, 50, 1000},
	hostileUnheld:         {2000, 5000, 100, 500},
	hostileNormZero:       {625, 18750, 50, 1500},
	hostileCapZero:        {625, 18750, 50, 1500},
	hostileDeclineAll:     {400, 1000, 50, 200},
	hostileDeclines:       {500, 12000, 50, 1200},
	hostileOneHolder:      {100, 4000, 20, 300},
	hostileSkewed:         {200, 20000, 25, 1500},
	hostileFamilies:       {1000, 125000, 25, 1500},
	hostileAtNorm:         {500, 6000, 50, 600},
	hostileCoWorkers:      {500, 12000, 25, 1500},
	hostileFewQueued:      {500, 12000, 50, 1200},
	hostileHardSkewed:     {1000, 24000, 50, 1200},
	hostileHardOver:       {1000, 24000, 200, 4800},
	hostileHardOverQueued: {1000, 24000, 100, 2400},
	hostileZeroHeld:       {2000, 48000, 100, 2400},
	hostileCorners:        {1000, 24000, 100, 2400},
}

// twice returns the workers and cases of twice the input of shape h:
// both doubled, but for HostileDeclineAll, whose input grows with
// workers × cases (every case lists every worker), where only the
// workers double.
func twice(h hostile, w, n int) (int, int) {
	if h == hostileDeclineAll {
		return 2 * w, n
	}
	return 2 * w, 2 * n
}

// BenchmarkHostile runs Propose on each hostile shape at the size of
// hostileSizes.
func BenchmarkHostile(b *testing.B) {
	for _, h := range hostileShapes {
		b.Run(string(h), func(b *testing.B) {
			if testing.Short() {
				b.Skip("hostile shapes take seconds")
			}
			sz := hostileSizes[h]
			benchHostile(b, h, hostileProblem(h, sz.benchW, sz.benchN, 1))
		})
	}
}

// benchHostile measures Propose on p, of shape h, with the shape's
// options, and reports what it proposed, so that a change that makes it
// faster shows whether it proposes as well: how many cases it could not
// place, its maximum utilization (in millionths, as a fraction of
// capacity, so that benchstat shows a change in the sixth digit), its
// gap to the bound (in millionths) and how many voluntary moves it
// counts against the budget; and the CPU time the process used per
// call (cpu-ms/op, the garbage collector's included, [cpuTime]), which
// other processes on a shared machine inflate less than the wall time.
func benchHostile(b *testing.B, h hostile, p balance.Problem) {
	benchHostileWith(b, p, h.options())
}

// benchHostileWith is [benchHostile] with the options o.
func benchHostileWith(b *testing.B, p balance.Problem, o *balance.RebalanceOptions) {
	cpu0 := cpuTime()
	pr := benchPropose(b, p, o)
	if cpu0 > 0 {
		b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
	}
	b.ReportMetric(float64(len(pr.Unplaceable)), "unplaceable")
	b.ReportMetric(math.Round(pr.MaxUtilization*1e6), "max-util-ppm")
	b.ReportMetric(math.Round(pr.Gap*1e6), "gap-ppm")
	b.ReportMetric(float64(pr.MovesUsed), "moves")
}

// TestHostileGrowth holds each hostile shape to linear growth:
// allocations (a count that does not depend on the machine's load) at
// twice the input stay under three times those at the input.
func TestHostileGrowth(t *testing.T) {
	for _, h := range hostileShapes {
		t.Run(string(h), func(t *testing.T) {
			sz := hostileSizes[h]
			allocs := func(w, n int) float64 {
				p := hostileProblem(h, w, n, 1)
				return testing.AllocsPerRun(1, func() {
					pr, err := balance.Propose(context.Background(), p, h.options())
					require.NoError(t, err)
					require.Len(t, pr.Assignment, n)
				})
			}
			w2, n2 := twice(h, sz.testW, sz.testN)
			a1, a2 := allocs(sz.testW, sz.testN), allocs(w2, n2)
			assert.Less(t, a2, 3*a1, "allocations %.0f at the input, %.0f at twice the input", a1, a2)
		})
	}
}

// TestHostileDeadline holds Propose to a deadline of 50 ms on every
// hostile shape at benchmark size: it returns with a complete proposal
// that keeps every invariant, an error wrapping the context's, a
// status and a notice that it stopped early. On a 2-core shared
// machine at load 7 it returned within 60 ms on every shape but
// families (120–135 ms, most of it building the solver for 125,000
// families, which goes on after the deadline); the test allows a
// second, since the machines that run it are shared, and under load
// have been seen to take over a second where a quiet one took 180 ms.
func TestHostileDeadline(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("hostile shapes at benchmark size, timed")
	}
	for _, h := range hostileShapes {
		t.Run(string(h), func(t *testing.T) {
			sz := hostileSizes[h]
			p := hostileProblem(h, sz.benchW, sz.benchN, 1)
			team, err := balance.Prepare(p, nil)
			require.NoError(t, err)
			pr, err := proposeWithin(t, team, h, 50*time.Millisecond)
			assert.Len(t, pr.Assignment, len(p.Cases))
			if len(p.Cases) <= 20000 {
				// A proposal cut short keeps every invariant. (The check
				// takes 40 s and more on families' 125,000 cases.)
				assert.NoError(t, balancetest.CheckProposal(p, h.options(), pr))
			}
			if err != nil {
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				assert.Equal(t, balance.StatusStopped, pr.Status)
				assert.True(t, hasNotice(pr, balance.CodeCancelled), "no notice that it stopped early")
			}
		})
	}
}

// TestHostileDeadlineNational holds Propose to issue 20's deadline of
// 100 ms on every hostile shape at national size ([nationalSize]): it
// returns a complete proposal, every case listed once and every case
// without a worker listed as unplaceable, with a status and a notice
// that it stopped early if it did, and cases not reached only then.
// Issue 20 asks for 200 ms in all; on a quiet machine the shapes take
// 110–190 ms (BenchmarkHostileNationalDeadline measures them). The test
// allows a second, as shared machines under load have taken twice the
// time and more. (CheckProposal would take minutes at this size.)
func TestHostileDeadlineNational(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("hostile shapes at national size, timed")
	}
	for _, h := range hostileShapes {
		t.Run(string(h), func(t *testing.T) {
			w, n := nationalSize(h)
			p := hostileProblem(h, w, n, 1)
			team, err := balance.Prepare(p, nil)
			require.NoError(t, err)
			pr, err := proposeWithin(t, team, h, 100*time.Millisecond)
			stopped := err != nil
			if stopped {
				assert.ErrorIs(t, err, context.DeadlineExceeded)
				assert.Equal(t, balance.StatusStopped, pr.Status)
				assert.True(t, hasNotice(pr, balance.CodeCancelled), "no notice that it stopped early")
			}
			owner := make(map[string]string, n)
			for _, c := range p.Cases {
				owner[c.ID] = c.Owner
			}
			require.Len(t, pr.Assignment, n)
			seen := make(map[string]bool, n)
			unplaced := map[string]bool{}
			for _, u := range pr.Unplaceable {
				unplaced[u.Case] = true
				require.NotEmpty(t, u.Reasons, u.Case)
				if u.Reasons[0].Code == balance.CodeNotReached {
					require.True(t, stopped, "%s not reached, but the search did not stop", u.Case)
				}
			}
			for _, pl := range pr.Assignment {
				_, ok := owner[pl.Case]
				require.True(t, ok, "%s is no case of the problem", pl.Case)
				require.False(t, seen[pl.Case], "%s listed twice", pl.Case)
				seen[pl.Case] = true
				if pl.Worker == "" {
					require.True(t, unplaced[pl.Case], "%s has no worker and is not listed as unplaceable", pl.Case)
				}
				if unplaced[pl.Case] {
					require.Equal(t, owner[pl.Case], pl.Worker, "%s is unplaceable but moved", pl.Case)
				}
			}
		})
	}
}

// proposeWithin runs the team's Propose with shape h's options and a
// deadline, logs how long it took and asserts that it returned within
// a second (issue 20 asks for 200 ms; shared machines under load have
// taken several times that) with a proposal.
func proposeWithin(t *testing.T, team *balance.Team, h hostile, deadline time.Duration) (*balance.Proposal, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	start := time.Now()
	pr, err := team.Propose(ctx, h.options())
	took := time.Since(start)
	t.Logf("%s: %v with a deadline of %v", h, took.Round(time.Millisecond), deadline)
	assert.Less(t, took, time.Second)
	require.NotNil(t, pr)
	return pr, err
}

func hasNotice(pr *balance.Proposal, code balance.Code) bool {
	for _, n := range pr.Notices {
		if n.Code == code {
			return true
		}
	}
	return false
}

// TestLongIDsKeepMessagesSmall: 128 faults on cases with IDs of a
// megabyte make an error message of a few kilobytes, while each
// InputError keeps the full ID.
func TestLongIDsKeepMessagesSmall(t *testing.T) {
	t.Parallel()
	p := longIDFaults(128, 1<<20)
	_, err := balance.Prepare(p, nil)
	require.Error(t, err)
	assert.Less(t, len(err.Error()), 128<<10)
	var ie *balance.InputError
	require.ErrorAs(t, err, &ie)
	assert.Len(t, ie.ID, 1<<20+6)
}

// TestManyFaultsCounted: a joined error of many faults names the first
// few hundred and counts the rest, and still unwraps to all of them.
func TestManyFaultsCounted(t *testing.T) {
	t.Parallel()
	p := balance.Problem{AsOf: balancetest.GenerateAsOf()}
	for i := range 5000 {
		p.Cases = append(p.Cases, balance.Case{ID: fmt.Sprint("c", i), Weight: -1})
	}
	_, err := balance.Prepare(p, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "and 4800 more faults")
	assert.Less(t, len(err.Error()), 64<<10)
	var joined interface{ Unwrap() []error }
	require.True(t, errors.As(err, &joined))
	assert.Len(t, joined.Unwrap(), 5000)
	assert.ErrorIs(t, err, balance.ErrNegative)
}

// BenchmarkHostileNational runs Propose on each hostile shape at the
// size issue 20 sets its floor at: 5,000 workers × 150,000 cases (under
// 2 s and 500 MB), and 5,000 × 500 for 2,000 skills (under 100 ms).
// Every case declining every worker is run at 5,000 × 1,000: its input
// grows with workers × cases. Each shape takes seconds to generate; it
// skips under -short.
func BenchmarkHostileNational(b *testing.B) {
	eachNational(b, benchHostile)
}

// hostileOptionRuns are hostile shapes under options other than their
// own: a sweep of every shape at national size under hard capacity,
// PolicyCounts and a budget of 30 moves, with and without a limit,
// found these slowest. Under PolicyCounts and hard capacity together,
// the emptiest workers by their count of cases are often those with no
// room in hours, and every search for where a unit goes walks past
// them: 3% random declines took 60.7 s at first, every case with one
// worker 31.0 s, co-workers 23.8 s. Every case with one worker under a
// budget of 30 moves and hard capacity took 2.8 s.
var hostileOptionRuns = []struct {
	name string
	h    hostile
	o    balance.RebalanceOptions
}{
	{"declines-hard-counts", hostileDeclines, hardCounts},
	{"one-holder-hard-counts", hostileOneHolder, hardCounts},
	{"co-workers-hard-counts", hostileCoWorkers, hardCounts},
	{"skewed-hard-counts", hostileSkewed, hardCounts},
	{"skewed-counts", hostileSkewed, balance.RebalanceOptions{MaxMoves: -1, Policy: balance.PolicyCounts}},
	{"one-holder-hard-30", hostileOneHolder, balance.RebalanceOptions{MaxMoves: 30, HardCapacity: true}},
}

// hardCounts evens out counts of cases under hard capacity, with no
// limit on moves.
var hardCounts = balance.RebalanceOptions{MaxMoves: -1, HardCapacity: true, Policy: balance.PolicyCounts}

// BenchmarkHostileNationalOptions runs Propose on the hostile shapes of
// hostileOptionRuns, at national size, with their options. It skips
// under -short.
func BenchmarkHostileNationalOptions(b *testing.B) {
	if testing.Short() {
		b.Skip("national hostile shapes take seconds")
	}
	for _, r := range hostileOptionRuns {
		b.Run(r.name, func(b *testing.B) {
			w, n := nationalSize(r.h)
			p := hostileProblem(r.h, w, n, 1)
			runtime.GC() // the generator's garbage, as in eachNational
			o := r.o
			benchHostileWith(b, p, &o)
		})
	}
}

// eachNational runs bench as a sub-benchmark for every hostile shape,
// on its problem at national size ([nationalSize]); it skips under
// -short, as each shape takes seconds to generate.
func eachNational(b *testing.B, bench func(b *testing.B, h hostile, p balance.Problem)) {
	if testing.Short() {
		b.Skip("national hostile shapes take seconds")
	}
	for _, h := range hostileShapes {
		b.Run(string(h), func(b *testing.B) {
			w, n := nationalSize(h)
			p := hostileProblem(h, w, n, 1)
			// A collection of the generator's garbage, over a live
			// heap of up to 1.5 GB (declines), took 1.7 s running
			// beside the first timed calls: it is done before them.
			runtime.GC()
			bench(b, h, p)
		})
	}
}

// nationalSize returns the workers and cases of shape h at national
// size, as [BenchmarkHostileNational] runs it.
func nationalSize(h hostile) (workers, cases int) {
	switch h {
	case hostileSkills:
		return 5000, 500
	case hostileDeclineAll:
		return 5000, 1000
	}
	return 5000, 150000
}

// BenchmarkHostileNationalPrepare prepares the team of each hostile
// shape at the sizes of [BenchmarkHostileNational]: the part of a
// one-shot [balance.Propose] that takes no ctx.
func BenchmarkHostileNationalPrepare(b *testing.B) {
	eachNational(b, func(b *testing.B, _ hostile, p balance.Problem) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := balance.Prepare(p, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkHostileNationalExpired runs the prepared team's Propose on
// each hostile shape at the sizes of [BenchmarkHostileNational] with a
// ctx already done: all of it is the work that follows a deadline
// (building the solver, placing the most urgent queued cases within the
// grace, and listing every case). Unlike the time past a deadline, it
// does not depend on where the deadline falls nor on the machine's
// load, so its instruction counts compare two versions.
func BenchmarkHostileNationalExpired(b *testing.B) {
	eachNational(b, func(b *testing.B, h hostile, p balance.Problem) {
		team, err := balance.Prepare(p, nil)
		require.NoError(b, err)
		runtime.GC() // Prepare's garbage, collected before the timed calls
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		b.ReportAllocs()
		for b.Loop() {
			pr, _ := team.Propose(ctx, h.options())
			if len(pr.Assignment) != len(p.Cases) {
				b.Fatalf("%d cases in the assignment, want %d", len(pr.Assignment), len(p.Cases))
			}
		}
	})
}

// BenchmarkHostileNationalDeadline runs the prepared team's Propose on
// each hostile shape at the sizes of [BenchmarkHostileNational] with a
// deadline of 100 ms, the one issue 20 sets, and reports how long past
// the deadline it returned, on average (ms-past/op) and at most
// (max-ms-past), and the CPU time the process used (cpu-ms/op, the
// garbage collector's included, [cpuTime]), which the load of other
// processes on a shared machine does not inflate as it does the wall
// time. Issue 20 asks Propose to return within 200 ms, 100 ms past the
// deadline. Preparing the team is left out of the time: it takes no ctx.
func BenchmarkHostileNationalDeadline(b *testing.B) {
	eachNational(b, func(b *testing.B, h hostile, p balance.Problem) {
		team, err := balance.Prepare(p, nil)
		require.NoError(b, err)
		runtime.GC() // Prepare's garbage, collected before the timed calls
		benchDeadline(b, len(p.Cases), func(ctx context.Context) *balance.Proposal {
			pr, _ := team.Propose(ctx, h.options())
			return pr
		})
	})
}

// BenchmarkHostileNationalOneShot is [BenchmarkHostileNationalDeadline]
// for the one-shot [balance.Propose], which validates the problem
// before it looks at ctx: on declines, 22.5 million of them.
func BenchmarkHostileNationalOneShot(b *testing.B) {
	eachNational(b, func(b *testing.B, h hostile, p balance.Problem) {
		benchDeadline(b, len(p.Cases), func(ctx context.Context) *balance.Proposal {
			pr, _ := balance.Propose(ctx, p, h.options())
			return pr
		})
	})
}

// benchDeadline times propose, given ctx with issue 20's deadline of
// 100 ms, and reports the time past the deadline, on average and at
// most, and the CPU time used; each proposal must list n cases.
func benchDeadline(b *testing.B, n int, propose func(ctx context.Context) *balance.Proposal) {
	const deadline = 100 * time.Millisecond // issue 20's
	b.ReportAllocs()
	var past time.Duration
	most := -deadline // no call takes less than no time
	cpu0 := cpuTime()
	for b.Loop() {
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		start := time.Now()
		pr := propose(ctx)
		took := time.Since(start) - deadline
		past += took
		most = max(most, took)
		cancel()
		if len(pr.Assignment) != n {
			b.Fatalf("%d cases in the assignment, want %d", len(pr.Assignment), n)
		}
	}
	if cpu0 > 0 {
		b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
	}
	b.ReportMetric(float64(past.Milliseconds())/float64(b.N), "ms-past/op")
	b.ReportMetric(float64(most.Milliseconds()), "max-ms-past")
}
