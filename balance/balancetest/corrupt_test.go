package balancetest_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// busyTeam is a team whose proposal, with no move budget, has a bit of
// everything: placements, a re-placed orphan, an unplaceable case,
// voluntary moves over several steps, a family that moves whole, load
// drained off a worker without capacity, a pinned case, an away worker
// and a caseload norm.
func busyTeam() balance.Problem {
	return balance.Problem{
		AsOf: civil.NewDate(2026, 3, 4),
		Workers: []balance.Worker{
			{ID: "ann", Capacity: 32, Skills: []string{"court"}},
			{ID: "bob", Capacity: 32, Skills: []string{"court"}},
			{ID: "cas", Capacity: 16, CaseloadNorm: balance.CaseloadNorm(3)},
			{ID: "dee", Capacity: 0},
			{ID: "eve", Capacity: 32, Away: true},
		},
		Cases: []balance.Case{
			{ID: "a1", Weight: 10, Owner: "ann"},
			{ID: "a2", Weight: 8, Owner: "ann"},
			{ID: "a3", Weight: 6, Owner: "ann"},
			{ID: "a4", Weight: 6, Owner: "ann", Pinned: true},
			{ID: "a5", Weight: 4, Owner: "ann", Skills: []string{"court"}},
			{ID: "fam-1", Weight: 3, Owner: "ann", Group: "fam"},
			{ID: "fam-2", Weight: 3, Owner: "ann", Group: "fam"},
			{ID: "b1", Weight: 4, Owner: "bob"},
			{ID: "d1", Weight: 5, Owner: "dee"},
			{ID: "e1", Weight: 7, Owner: "eve"},
			{ID: "q1", Weight: 6},
			{ID: "q2", Weight: 2, Declines: []balance.Decline{{Worker: "bob", Reason: "neighbour"}}},
			{ID: "x1", Weight: 3, Skills: []string{"sign-language"}},
			{ID: "o1", Weight: 2, Owner: "gone"},
		},
	}
}

// clone returns a deep copy of v.
func clone[T any](t *testing.T, v *T) *T {
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var w T
	require.NoError(t, json.Unmarshal(b, &w))
	return &w
}

// setWorker gives case id to worker w in pr, keeping the assignment and
// the moves in step with each other.
func setWorker(p balance.Problem, pr *balance.Proposal, id, w string, kind balance.MoveKind, step int) {
	for k := range pr.Assignment {
		if pr.Assignment[k].Case == id {
			pr.Assignment[k].Worker = w
		}
	}
	pr.Moves = slices.DeleteFunc(pr.Moves, func(m balance.Move) bool { return m.Case == id })
	for _, c := range p.Cases {
		if c.ID == id && c.Owner != w {
			pr.Moves = append(pr.Moves, balance.Move{Case: id, Group: c.Group, From: c.Owner, To: w, Kind: kind, Step: step,
				Reasons: []balance.Reason{{Code: balance.CodeLoadChange, Message: "corrupted"}}})
		}
	}
	slices.SortStableFunc(pr.Moves, func(a, b balance.Move) int { return a.Step - b.Step })
}

func lastStep(pr *balance.Proposal) int {
	n := 0
	for _, m := range pr.Moves {
		n = max(n, m.Step)
	}
	return n
}

func workerOf(pr *balance.Proposal, id string) string {
	for _, pl := range pr.Assignment {
		if pl.Case == id {
			return pl.Worker
		}
	}
	return ""
}

// TestCheckProposalCatchesCorruption corrupts a valid proposal on
// purpose, one way at a time, and expects CheckProposal to say which
// rule it breaks.
func TestCheckProposalCatchesCorruption(t *testing.T) {
	t.Parallel()
	p := busyTeam()
	opts := &balance.RebalanceOptions{MaxMoves: -1}
	good, err := balance.Propose(context.Background(), p, opts)
	require.NoError(t, err)
	require.NoError(t, balancetest.CheckProposal(p, opts, good), "the proposal to corrupt must be valid")
	// What the corruptions below rely on.
	require.GreaterOrEqual(t, lastStep(good), 2, "several steps")
	require.Equal(t, "ann", workerOf(good, "a4"))
	require.NotEqual(t, "dee", workerOf(good, "d1"), "drained")
	require.Equal(t, []balance.Unplaced{good.Unplaceable[0]}, good.Unplaceable)
	require.Equal(t, "x1", good.Unplaceable[0].Case)

	tests := []struct {
		name    string
		corrupt func(pr *balance.Proposal, o *balance.RebalanceOptions)
		want    error
	}{
		{"dropped case", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			pr.Assignment = slices.DeleteFunc(pr.Assignment, func(pl balance.Placement) bool { return pl.Case == "b1" })
		}, balancetest.ErrAssignment},
		{"case listed twice", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			pr.Assignment = append(pr.Assignment, pr.Assignment[0])
		}, balancetest.ErrAssignment},
		{"held case dropped to no one", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			setWorker(p, pr, "b1", "", balance.KindMove, 0)
		}, balancetest.ErrAssignment},
		{"unknown worker", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			setWorker(p, pr, "q1", "zed", balance.KindPlace, 0)
		}, balancetest.ErrAssignment},
		{"ineligible owner", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			setWorker(p, pr, "q1", "dee", balance.KindPlace, 0) // no capacity
		}, balancetest.ErrIneligible},
		{"declined owner", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			setWorker(p, pr, "q2", "bob", balance.KindPlace, 0)
		}, balancetest.ErrIneligible},
		{"moved pin", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			setWorker(p, pr, "a4", "bob", balance.KindMove, lastStep(pr)+1)
			pr.MovesUsed++
		}, balancetest.ErrPinned},
		{"absent worker's case moved", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			setWorker(p, pr, "e1", "bob", balance.KindReplace, 0)
		}, balancetest.ErrAbsent},
		{"split family", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			other := "bob"
			if workerOf(pr, "fam-2") == "bob" {
				other = "cas"
			}
			setWorker(p, pr, "fam-1", other, balance.KindMove, lastStep(pr)+1)
		}, balancetest.ErrFamily},
		{"worse prefix", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			// A last step that gives the fullest worker's neighbour a
			// case from the emptiest: the maximum goes up.
			setWorker(p, pr, "b1", "ann", balance.KindMove, lastStep(pr)+1)
			pr.MovesUsed++
		}, balancetest.ErrPrefix},
		{"step out of order", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			slices.Reverse(pr.Moves)
		}, balancetest.ErrMoves},
		{"budget exceeded", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			o.MaxMoves = pr.MovesUsed - 1
		}, balancetest.ErrBudget},
		{"moves miscounted", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			pr.MovesUsed--
		}, balancetest.ErrBudget},
		{"bound above the proposal", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			pr.Bound = pr.MaxUtilization * 1.01
			pr.Gap = (pr.MaxUtilization - pr.Bound) / pr.Bound
		}, balancetest.ErrBound},
		{"wrong gap", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			pr.Gap += 0.01
		}, balancetest.ErrBound},
		{"wrong After score", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			pr.After.OverloadHours++
		}, balancetest.ErrScore},
		{"wrong Before score", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			pr.Before.Workers[0].Load++
		}, balancetest.ErrScore},
		{"wrong maximum utilization", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			pr.MaxUtilization *= 0.99
		}, balancetest.ErrScore},
		{"norm exceeded", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			for _, id := range []string{"q1", "q2", "o1", "a3"} {
				setWorker(p, pr, id, "cas", balance.KindPlace, 0)
			}
		}, balancetest.ErrNorm},
		{"unplaced case not listed", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			pr.Unplaceable = nil
		}, balancetest.ErrUnplaceable},
		{"placeable case listed as unplaceable", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			setWorker(p, pr, "q1", "", balance.KindPlace, 0)
			pr.Unplaceable = append(pr.Unplaceable, balance.Unplaced{Case: "q1",
				Reasons: []balance.Reason{{Code: balance.CodeNoEligible, Message: "corrupted"}}})
		}, balancetest.ErrUnplaceable},
		{"move left out", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			pr.Moves = pr.Moves[1:]
		}, balancetest.ErrMoves},
		{"wrong kind", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			pr.Moves[len(pr.Moves)-1].Kind = balance.KindPlace
		}, balancetest.ErrMoves},
		{"team notice dropped", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			pr.Notices = pr.Notices[1:]
		}, balancetest.ErrNotices},
		{"load left without capacity", func(pr *balance.Proposal, o *balance.RebalanceOptions) {
			setWorker(p, pr, "d1", "dee", balance.KindMove, 0)
			pr.MovesUsed--
		}, balancetest.ErrStranded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pr := clone(t, good)
			o := *opts
			tt.corrupt(pr, &o)
			err := balancetest.CheckProposal(p, &o, pr)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.want)
			var v *balancetest.Violation
			assert.ErrorAs(t, err, &v)
			assert.NoError(t, balancetest.CheckProposal(p, opts, good), "the original is left alone")
		})
	}
}

// TestCheckProposalNotReached: a proposal whose ctx was done before it
// began places the 1,024 most urgent queued cases (its grace) and
// lists the rest as not reached. CheckProposal accepts that, and still
// catches such a case dropped, given away, left out of Unplaceable, or
// claimed by a proposal that did not stop.
func TestCheckProposalNotReached(t *testing.T) {
	t.Parallel()
	p := balancetest.Generate(7, balancetest.Size{Workers: 25, Cases: 6000})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	stopped, err := balance.Propose(ctx, p, nil)
	require.ErrorIs(t, err, context.Canceled)
	require.Equal(t, balance.StatusStopped, stopped.Status)
	require.NoError(t, balancetest.CheckProposal(p, nil, stopped))
	var late string
	for _, u := range stopped.Unplaceable {
		if len(u.Reasons) == 1 && u.Reasons[0].Code == balance.CodeNotReached {
			late = u.Case
			break
		}
	}
	require.NotEmpty(t, late, "a case not reached")

	tests := []struct {
		name    string
		corrupt func(pr *balance.Proposal)
		want    error
	}{
		{"not stopped", func(pr *balance.Proposal) {
			pr.Status = balance.StatusFeasible
		}, balancetest.ErrUnplaceable},
		{"not listed", func(pr *balance.Proposal) {
			pr.Unplaceable = slices.DeleteFunc(pr.Unplaceable, func(u balance.Unplaced) bool { return u.Case == late })
		}, balancetest.ErrUnplaceable},
		{"dropped", func(pr *balance.Proposal) {
			pr.Assignment = slices.DeleteFunc(pr.Assignment, func(pl balance.Placement) bool { return pl.Case == late })
		}, balancetest.ErrAssignment},
		{"given away", func(pr *balance.Proposal) {
			setWorker(p, pr, late, p.Workers[0].ID, balance.KindPlace, 0)
		}, balancetest.ErrUnplaceable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pr := clone(t, stopped)
			tt.corrupt(pr)
			assert.ErrorIs(t, balancetest.CheckProposal(p, nil, pr), tt.want)
		})
	}
}

// TestCheckProposalHardCapacity corrupts a proposal under hard
// capacity.
func TestCheckProposalHardCapacity(t *testing.T) {
	t.Parallel()
	s := scenario(t, "hard-capacity")
	pr, err := balance.Propose(context.Background(), s.Problem, s.Options)
	require.NoError(t, err)
	require.NoError(t, s.Check(pr))
	bad := clone(t, pr)
	setWorker(s.Problem, bad, "big", "ann", balance.KindPlace, 0)
	bad.Unplaceable = nil
	err = balancetest.CheckProposal(s.Problem, s.Options, bad)
	assert.ErrorIs(t, err, balancetest.ErrCapacity)
	assert.ErrorIs(t, s.Check(bad), balancetest.ErrBest)
}

func scenario(t *testing.T, name string) balancetest.Scenario {
	for _, s := range balancetest.Scenarios() {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no scenario %q", name)
	return balancetest.Scenario{}
}

// TestCheckProposalCatchesAnyDrop drops a random case from generated
// proposals: the checker always notices.
func TestCheckProposalCatchesAnyDrop(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := balancetest.ProblemGen(balancetest.Shape{MinCases: 1}).Draw(t, "problem")
		pr, err := balance.Propose(context.Background(), p, nil)
		require.NoError(t, err)
		k := rapid.IntRange(0, len(pr.Assignment)-1).Draw(t, "dropped")
		pr.Assignment = slices.Delete(pr.Assignment, k, k+1)
		require.ErrorIs(t, balancetest.CheckProposal(p, nil, pr), balancetest.ErrAssignment)
	})
}

// TestCheckProposalCatchesAnyIneligibleOwner gives a random case to a
// worker the rule puts out: the checker always notices.
func TestCheckProposalCatchesAnyIneligibleOwner(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := balancetest.ProblemGen(balancetest.Shape{MinCases: 1, MinWorkers: 1}).Draw(t, "problem")
		pr, err := balance.Propose(context.Background(), p, nil)
		require.NoError(t, err)
		c := rapid.SampledFrom(p.Cases).Draw(t, "case")
		w := rapid.SampledFrom(p.Workers).Draw(t, "worker")
		// The norm is held against the proposal's totals, and reported
		// as such: leave it out here.
		out := slices.DeleteFunc(balancetest.Ineligible(p, w, c, nil), func(c balance.Code) bool { return c == balance.CodeAtNorm })
		if len(out) == 0 || c.Owner == w.ID {
			t.Skip("the worker may take the case, or holds it")
		}
		setWorker(p, pr, c.ID, w.ID, balance.KindMove, lastStep(pr)+1)
		require.ErrorIs(t, balancetest.CheckProposal(p, nil, pr), balancetest.ErrIneligible)
	})
}

// TestCheckRankingCatchesCorruption corrupts a valid ranking on
// purpose, one way at a time.
func TestCheckRankingCatchesCorruption(t *testing.T) {
	t.Parallel()
	p := busyTeam()
	p.Workers = append(p.Workers, balance.Worker{ID: "fay", Capacity: 30})
	p.Cases = append(p.Cases, balance.Case{ID: "fam-3", Weight: 1, Owner: "bob", Group: "fam"})
	c := balance.Case{ID: "new", Weight: 2, Group: "fam", Declines: []balance.Decline{{Worker: "cas"}, {Worker: "zoe"}}}
	good, err := balance.Rank(p, c, nil)
	require.NoError(t, err)
	require.NoError(t, balancetest.CheckRanking(p, c, nil, good))
	require.GreaterOrEqual(t, good.Eligible, 3)
	require.Equal(t, "ann", good.Candidates[0].Worker, "holds the most of the family")

	tests := []struct {
		name    string
		corrupt func(r *balance.Ranking)
		want    error
	}{
		{"dropped candidate", func(r *balance.Ranking) { r.Candidates = r.Candidates[:len(r.Candidates)-1] }, balancetest.ErrCandidates},
		{"wrong eligible count", func(r *balance.Ranking) { r.Eligible++ }, balancetest.ErrCandidates},
		{"wrong rank", func(r *balance.Ranking) { r.Candidates[1].Rank = 1 }, balancetest.ErrCandidates},
		{"out of order", func(r *balance.Ranking) {
			r.Candidates[1], r.Candidates[2] = r.Candidates[2], r.Candidates[1]
			r.Candidates[1].Rank, r.Candidates[2].Rank = 2, 3
		}, balancetest.ErrOrder},
		{"family worker not first", func(r *balance.Ranking) {
			r.Candidates[0], r.Candidates[1] = r.Candidates[1], r.Candidates[0]
			r.Candidates[0].Rank, r.Candidates[1].Rank = 1, 2
		}, balancetest.ErrOrder},
		{"ineligible made eligible", func(r *balance.Ranking) {
			last := &r.Candidates[len(r.Candidates)-1]
			last.Eligible, last.Reasons = true, nil
		}, balancetest.ErrReasons},
		{"reason left out", func(r *balance.Ranking) {
			last := &r.Candidates[len(r.Candidates)-1]
			last.Reasons = last.Reasons[1:]
		}, balancetest.ErrReasons},
		{"stranger's decline not noticed", func(r *balance.Ranking) { r.Notices = nil }, balancetest.ErrReasons},
		{"wrong load after", func(r *balance.Ranking) { r.Candidates[0].LoadAfter++ }, balancetest.ErrLoads},
		{"wrong score", func(r *balance.Ranking) { r.Candidates[1].Score -= 0.5 }, balancetest.ErrLoads},
		{"wrong weight", func(r *balance.Ranking) { r.Weight++ }, balancetest.ErrCandidates},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := clone(t, good)
			tt.corrupt(r)
			err := balancetest.CheckRanking(p, c, nil, r)
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

func TestCheckInvalidInput(t *testing.T) {
	t.Parallel()
	bad := balance.Problem{Workers: []balance.Worker{{ID: "ann", Capacity: -1}}}
	err := balancetest.CheckProposal(bad, nil, &balance.Proposal{})
	assert.ErrorIs(t, err, balancetest.ErrInput)
	assert.ErrorIs(t, err, balance.ErrNegative)
	err = balancetest.CheckRanking(busyTeam(), balance.Case{}, nil, &balance.Ranking{})
	assert.ErrorIs(t, err, balancetest.ErrInput)
	assert.ErrorIs(t, balancetest.CheckProposal(busyTeam(), &balance.RebalanceOptions{Policy: "alphabetical"}, &balance.Proposal{}), balancetest.ErrInput)
	assert.ErrorIs(t, balancetest.CheckProposal(busyTeam(), nil, nil), balancetest.ErrAssignment)
	assert.ErrorIs(t, balancetest.CheckRanking(busyTeam(), balance.Case{ID: "n"}, nil, nil), balancetest.ErrCandidates)
	assert.True(t, errors.Is(err, balancetest.ErrInput))
}

// TestCheckersNeverPanic mangles generated results at random: the
// checkers report, they never panic.
func TestCheckersNeverPanic(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := balancetest.ProblemGen(balancetest.Shape{}).Draw(t, "problem")
		opts := balancetest.RebalanceOptionsGen().Draw(t, "options")
		pr, err := balance.Propose(context.Background(), p, opts)
		require.NoError(t, err)
		names := []string{"", "zed", "gone"}
		for _, w := range p.Workers {
			names = append(names, w.ID)
		}
		for _, c := range p.Cases {
			names = append(names, c.ID)
		}
		pick := func(n int, label string) int { return rapid.IntRange(0, n-1).Draw(t, label) }
		for range rapid.IntRange(1, 4).Draw(t, "mangles") {
			switch rapid.IntRange(0, 7).Draw(t, "mangle") {
			case 0:
				if len(pr.Assignment) > 0 {
					k := pick(len(pr.Assignment), "placement")
					pr.Assignment[k].Worker = rapid.SampledFrom(names).Draw(t, "worker")
				}
			case 1:
				if len(pr.Moves) > 0 {
					k := pick(len(pr.Moves), "move")
					pr.Moves = slices.Delete(pr.Moves, k, k+1)
				}
			case 2:
				if len(pr.Moves) > 0 {
					pr.Moves[pick(len(pr.Moves), "move")].Step = rapid.IntRange(-3, 10).Draw(t, "step")
				}
			case 3:
				pr.Moves = append(pr.Moves, balance.Move{Case: rapid.SampledFrom(names).Draw(t, "case"),
					To: rapid.SampledFrom(names).Draw(t, "to"), Kind: balance.KindMove, Step: rapid.IntRange(-1, 3).Draw(t, "step")})
			case 4:
				pr.Unplaceable = append(pr.Unplaceable, balance.Unplaced{Case: rapid.SampledFrom(names).Draw(t, "case")})
			case 5:
				pr.After, pr.Before = balance.Imbalance{}, balance.Imbalance{}
			case 6:
				pr.Notices = nil
				pr.MovesUsed = rapid.IntRange(-2, 5).Draw(t, "moves-used")
			case 7:
				pr.Assignment = append(pr.Assignment, balance.Placement{Case: rapid.SampledFrom(names).Draw(t, "case")})
			}
		}
		_ = balancetest.CheckProposal(p, opts, pr)

		c := balancetest.CaseFor(p).Draw(t, "case")
		r, err := balance.Rank(p, c, nil)
		require.NoError(t, err)
		switch rapid.IntRange(0, 3).Draw(t, "ranking-mangle") {
		case 0:
			r.Eligible = rapid.IntRange(-2, len(r.Candidates)+2).Draw(t, "eligible")
		case 1:
			r.Candidates = nil
		case 2:
			if len(r.Candidates) > 0 {
				r.Candidates = append(r.Candidates, r.Candidates[0])
				r.Candidates[0].Worker = "zed"
			}
		case 3:
			for k := range r.Candidates {
				r.Candidates[k].Reasons = nil
			}
		}
		_ = balancetest.CheckRanking(p, c, nil, r)
	})
}
