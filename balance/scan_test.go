package balance_test

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPrepareLargeScanIsExact holds what Prepare promises of a problem
// large enough to be scanned in chunks by two goroutines (the region
// size, 12,000 cases, is well above the 4,096 from which it does):
// every fault is reported once, in case order, and the loads are the
// same bit for bit whatever the order of the cases, and equal to the
// sums of teams small enough to be scanned by one goroutine.
func TestPrepareLargeScanIsExact(t *testing.T) {
	t.Parallel()
	sh := balancetest.RegionSize()
	sh.Assigned = true
	p := balancetest.Generate(1, sh)
	require.GreaterOrEqual(t, len(p.Cases), 2*4096)

	whole, err := balance.Prepare(p, nil)
	require.NoError(t, err)
	rev := p
	rev.Cases = slices.Clone(p.Cases)
	slices.Reverse(rev.Cases)
	reversed, err := balance.Prepare(rev, nil)
	require.NoError(t, err)
	// Parts of 3,000 cases are scanned by one goroutine.
	const part = 3000
	var parts []*balance.Team
	for lo := 0; lo < len(p.Cases); lo += part {
		q := p
		q.Cases = p.Cases[lo:min(lo+part, len(p.Cases))]
		tm, err := balance.Prepare(q, nil)
		require.NoError(t, err)
		parts = append(parts, tm)
	}
	for _, w := range p.Workers {
		l, ok := whole.Load(w.ID)
		require.True(t, ok)
		r, _ := reversed.Load(w.ID)
		assert.Equal(t, math.Float64bits(float64(l)), math.Float64bits(float64(r)), "worker %s", w.ID)
		sum := 0.0
		for _, tm := range parts {
			pl, _ := tm.Load(w.ID)
			sum += float64(pl)
		}
		assert.InDelta(t, sum, float64(l), 1e-9, "worker %s", w.ID)
	}

	// Faults at both ends and across chunk boundaries: duplicate IDs
	// (reported first, by the index), then NaN weights and negative
	// shares, in case order, each once.
	bad := p
	bad.Cases = slices.Clone(p.Cases)
	var want []string
	for _, i := range []int{1, 1024, 4096, 11999} {
		bad.Cases[i].ID = bad.Cases[0].ID
		want = append(want, fmt.Sprintf("Cases[%d].ID", i))
	}
	for k, i := range []int{0, 1023, 1025, 4095, 4097, 6000, 11998} {
		if k%2 == 0 {
			bad.Cases[i].Weight = balance.HoursPerWeek(math.NaN())
			want = append(want, fmt.Sprintf("Cases[%d].Weight", i))
		} else {
			bad.Cases[i].Share = -1
			want = append(want, fmt.Sprintf("Cases[%d].Share", i))
		}
	}
	_, err = balance.Prepare(bad, nil)
	require.Error(t, err)
	var got []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ie *balance.InputError
		require.True(t, errors.As(e, &ie), "error %v is not an InputError", e)
		got = append(got, ie.Field)
	}
	assert.Equal(t, want, got)
}
