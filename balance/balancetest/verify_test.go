package balancetest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// *testing.T, *testing.B and *rapid.T are TBs.
var (
	_ balancetest.TB = (*testing.T)(nil)
	_ balancetest.TB = (*testing.B)(nil)
	_ balancetest.TB = (*rapid.T)(nil)
)

// recorder is a TB that records what it is told.
type recorder struct {
	helpers int
	errors  []string
}

func (r *recorder) Helper() { r.helpers++ }
func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestVerify(t *testing.T) {
	t.Parallel()
	s := scenario(t, "tight-budget")
	pr, err := balance.Propose(context.Background(), s.Problem, s.Options)
	require.NoError(t, err)

	var ok recorder
	balancetest.Verify(&ok, s.Problem, s.Options, pr)
	assert.Empty(t, ok.errors)
	assert.Positive(t, ok.helpers, "Verify marks itself a helper")

	// Two faults give two errors.
	pr.MovesUsed += 5
	pr.Bound = 10
	var bad recorder
	balancetest.Verify(&bad, s.Problem, s.Options, pr)
	require.Len(t, bad.errors, 3) // MovesUsed miscounted, bound above, gap
	assert.Contains(t, bad.errors[0], "MovesUsed")
}

func TestVerifyRanking(t *testing.T) {
	t.Parallel()
	p := busyTeam()
	c := balance.Case{ID: "new", Weight: 1}
	r, err := balance.Rank(p, c, nil)
	require.NoError(t, err)
	var ok recorder
	balancetest.VerifyRanking(&ok, p, c, nil, r)
	assert.Empty(t, ok.errors)
	r.Candidates = nil
	var bad recorder
	balancetest.VerifyRanking(&bad, p, c, nil, r)
	assert.Len(t, bad.errors, len(p.Workers)+1) // each worker missing, and the count
}

func TestViolationError(t *testing.T) {
	t.Parallel()
	v := &balancetest.Violation{Rule: balancetest.ErrFamily, Case: "c1", Worker: "ann", Group: "jansen", Detail: "split"}
	assert.Equal(t, `balancetest: family split: case "c1", family "jansen", worker "ann": split`, v.Error())
	assert.ErrorIs(t, v, balancetest.ErrFamily)
	assert.Equal(t, "balancetest: bound above the proposal", (&balancetest.Violation{Rule: balancetest.ErrBound}).Error())
}
