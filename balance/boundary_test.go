package balance_test

import (
	"context"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// exactlyFull is a worker whose capacity, 120×12/52 h/wk, is filled
// exactly by 30 cases of 4×12/52 h/wk each: both numbers as weight and
// norm compute them (a yearly figure spread over 52 weeks), neither a
// whole number of micro-hours.
// It holds the first owned of n such cases; the rest are queued.
func exactlyFull(n, owned int) balance.Problem {
	p := balance.Problem{
		AsOf:    civil.NewDate(2026, 3, 2),
		Workers: []balance.Worker{{ID: "ann", Capacity: 120 * 12 / 52.0}},
	}
	for i := range n {
		c := balance.Case{ID: string(rune('A'+i/26)) + string(rune('a'+i%26)), Weight: 4 * 12 / 52.0}
		if i < owned {
			c.Owner = "ann"
		}
		p.Cases = append(p.Cases, c)
	}
	return p
}

// TestExactlyFullIsFull is a regression test: the worker above once read
// utilization 1.0000000833, band "over 100%", Rank said "would be over
// capacity" and Propose with HardCapacity refused the 30th case.
func TestExactlyFullIsFull(t *testing.T) {
	t.Parallel()
	team, err := balance.Prepare(exactlyFull(30, 30), nil)
	require.NoError(t, err)
	im := team.Score()
	assert.Equal(t, 1.0, im.Workers[0].Utilization)
	assert.Equal(t, 1, im.Workers[0].Band, "band 1 is over 90% to 100%")
	assert.Zero(t, im.Workers[0].Overload)
	assert.Zero(t, im.OverloadHours)

	// With one case queued, taking it makes ann exactly full.
	p := exactlyFull(30, 29)
	r, err := balance.Rank(p, p.Cases[29], nil)
	require.NoError(t, err)
	c := r.Candidates[0]
	assert.Equal(t, 1.0, c.UtilizationAfter)
	for _, rs := range c.Reasons {
		assert.NotEqual(t, balance.CodeOverload, rs.Code, rs.Message)
	}
	pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{HardCapacity: true})
	require.NoError(t, err)
	assert.Empty(t, pr.Unplaceable, "the 30th case fits exactly")
	assert.Equal(t, 1.0, pr.After.Utilization.Max)

	// One case more is over, and HardCapacity leaves it unplaced.
	pr, err = balance.Propose(context.Background(), exactlyFull(31, 29), &balance.RebalanceOptions{HardCapacity: true})
	require.NoError(t, err)
	assert.Len(t, pr.Unplaceable, 1)
}

// sickTeam has sam off sick since last week with no end date known
// (norm gives him capacity 0), holding three cases, and two colleagues.
func sickTeam() balance.Problem {
	asOf := civil.NewDate(2026, 3, 2)
	return balance.Problem{
		AsOf: asOf,
		Workers: []balance.Worker{
			{ID: "sam", Capacity: 0, Absences: []civil.Period{{From: asOf.AddDays(-7)}}},
			{ID: "ann", Capacity: 32},
			{ID: "bob", Capacity: 32},
		},
		Cases: []balance.Case{
			{ID: "s1", Weight: 4, Owner: "sam"}, {ID: "s2", Weight: 4, Owner: "sam"}, {ID: "s3", Weight: 4, Owner: "sam"},
			{ID: "a1", Weight: 20, Owner: "ann"}, {ID: "b1", Weight: 10, Owner: "bob"},
		},
	}
}

// TestSickWorkerKeepsCases is a regression test: a worker on sick leave
// today, whose capacity norm computes as 0, once had the move budget
// spent on moving their cases, with the reason "utilization 0% → 0%",
// unless the glue also set Away. Leave in force today now counts as
// away for a rebalance: the cases stay, flagged, and move only with
// ReplaceAway, as re-placements outside the budget.
func TestSickWorkerKeepsCases(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pr, err := balance.Propose(ctx, sickTeam(), &balance.RebalanceOptions{MaxMoves: 3})
	require.NoError(t, err)
	assert.Empty(t, pr.Moves)
	var flagged []string
	for _, n := range pr.Notices {
		if n.Code == balance.CodeAwayOwner {
			flagged = append(flagged, n.Case)
		}
	}
	assert.Equal(t, []string{"s1", "s2", "s3"}, flagged)

	pr, err = balance.Propose(ctx, sickTeam(), &balance.RebalanceOptions{MaxMoves: 0, ReplaceAway: true})
	require.NoError(t, err)
	require.Len(t, pr.Moves, 3)
	for _, m := range pr.Moves {
		assert.Equal(t, balance.KindReplace, m.Kind)
		assert.Equal(t, balance.CodeFromAway, m.Reasons[0].Code)
	}
	assert.Zero(t, pr.MovesUsed)
}

// TestNoCapacityMoveSaysSo: a worker with no casework capacity who is
// not absent (all their hours go to side duties) has their cases moved
// as voluntary moves, and the move says why in words, not "0% → 0%".
func TestNoCapacityMoveSaysSo(t *testing.T) {
	t.Parallel()
	p := sickTeam()
	p.Workers[0].Absences = nil
	pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{MaxMoves: 3})
	require.NoError(t, err)
	require.NotEmpty(t, pr.Moves)
	for _, m := range pr.Moves {
		assert.Equal(t, "sam", m.From)
		assert.Equal(t, balance.CodeNoCapacity, m.Reasons[0].Code, m.Reasons[0].Message)
	}
}

// TestNoOneCanTakeIt is a regression test: when nobody was eligible,
// Rank's first candidate was an ineligible worker with rank 0, which a
// caller picking Candidates[0] would have given the case to.
func TestNoOneCanTakeIt(t *testing.T) {
	t.Parallel()
	p := balance.Problem{
		AsOf:    civil.NewDate(2026, 3, 2),
		Workers: []balance.Worker{{ID: "ann", Capacity: 32}, {ID: "bob", Capacity: 32, Away: true}},
	}
	r, err := balance.Rank(p, balance.Case{ID: "n", Weight: 2, Skills: []string{"court"}}, nil)
	require.NoError(t, err)
	assert.Zero(t, r.Eligible)
	_, ok := r.Best()
	assert.False(t, ok)
	require.Len(t, r.Notices, 1)
	assert.Equal(t, balance.CodeNoEligible, r.Notices[0].Code)
	assert.Equal(t, `no worker may take case "n" now`, r.Notices[0].Message)

	r, err = balance.Rank(p, balance.Case{ID: "n", Weight: 2}, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, r.Eligible)
	best, ok := r.Best()
	assert.True(t, ok)
	assert.Equal(t, "ann", best.Worker)
	assert.Empty(t, r.Notices)
}

// TestHeldAgainstTheRules is a regression test: cases held by a worker
// who lacks their skill, declined them, or is above their caseload norm
// once raised no notice at all. They are flagged, and Propose leaves
// them where they are unless a voluntary move helps.
func TestHeldAgainstTheRules(t *testing.T) {
	t.Parallel()
	p := balance.Problem{
		AsOf: civil.NewDate(2026, 3, 2),
		Workers: []balance.Worker{
			{ID: "ann", Capacity: 32, CaseloadNorm: balance.CaseloadNorm(1)},
			{ID: "bob", Capacity: 32, Skills: []string{"court"}},
		},
		Cases: []balance.Case{
			{ID: "c1", Weight: 2, Owner: "ann", Skills: []string{"court", "zz-nobody"}},
			{ID: "c2", Weight: 2, Owner: "ann", Declines: []balance.Decline{{Worker: "ann", Reason: "knows the family"}}},
			{ID: "c3", Weight: 2, Owner: "bob"},
		},
	}
	team, err := balance.Prepare(p, nil)
	require.NoError(t, err)
	var got []string
	for _, n := range team.Notices() {
		got = append(got, n.Message)
	}
	assert.Equal(t, []string{
		`"ann" holds 2 shares, above the caseload norm of 1`,
		`case "c1" is held by "ann", who lacks skill "court"`,
		`case "c1" is held by "ann", who lacks skill "zz-nobody"`,
		`case "c2" is held by "ann", who declined it: "knows the family"`,
	}, got)
	pr, err := team.Propose(context.Background(), nil)
	require.NoError(t, err)
	assert.Empty(t, pr.Moves, "flagged, not moved: no voluntary moves by default")
	assert.Equal(t, team.Notices(), pr.Notices)
}

// TestTeamProposeOptions is a regression test: Team.Propose once
// ignored opts.Options silently, so bands set there did nothing.
func TestTeamProposeOptions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	team, err := balance.Prepare(sickTeam(), &balance.Options{Bands: []float64{0.8, 1}})
	require.NoError(t, err)
	_, err = team.Propose(ctx, &balance.RebalanceOptions{Options: balance.Options{Bands: []float64{0.5}}})
	require.ErrorIs(t, err, balance.ErrBadOption)
	var ie *balance.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "Options.Options", ie.Field)

	pr, err := team.Propose(ctx, &balance.RebalanceOptions{Options: balance.Options{Bands: []float64{0.8, 1}}})
	require.NoError(t, err, "the same options are fine")
	assert.Equal(t, []float64{0.8, 1}, pr.After.Bounds)
	_, err = team.Propose(ctx, &balance.RebalanceOptions{MaxMoves: 1})
	require.NoError(t, err, "the zero Options means the team's")
}

// TestAbsentOverNormIsNotFlaggedTwice: a worker on sick leave whose norm
// comes out as zero holds cases above it; the notices say the cases are
// held by an absent worker, and do not also call the worker over norm.
func TestAbsentOverNormIsNotFlaggedTwice(t *testing.T) {
	t.Parallel()
	p := sickTeam()
	p.Workers[0].CaseloadNorm = balance.CaseloadNorm(0)
	team, err := balance.Prepare(p, nil)
	require.NoError(t, err)
	for _, n := range team.Notices() {
		assert.NotEqual(t, balance.CodeOverNorm, n.Code, n.Message)
	}
	p.Workers[0].Absences = nil
	team, err = balance.Prepare(p, nil)
	require.NoError(t, err)
	assert.Equal(t, balance.CodeOverNorm, team.Notices()[0].Code, "present, the same worker is over norm")
}
