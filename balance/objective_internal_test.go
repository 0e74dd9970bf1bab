package balance

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestObjectiveMaximaWithinABillionth: two maxima within a billionth
// of the larger are equal, and the spread decides, as balancetest's
// check of a proposal's steps reads them. A fresh seed of
// TestProposeKeepsInvariants/thousands-tiny (rapid seed
// 2023503845241255458) found a step that lowered a maximum above 100%
// by less than that and raised the spread: the solver counted it
// better, the check worse.
func TestObjectiveMaximaWithinABillionth(t *testing.T) {
	t.Parallel()
	at := func(max, spread float64) objective { return objective{max: max, spread: spread} }
	assert.True(t, at(30-2e-9, 2).worse(at(30, 1)), "a maximum of 3,000% lowered by 2e-9 is no gain")
	assert.False(t, at(30, 1).worse(at(30-2e-9, 2)))
	assert.False(t, at(30-1e-7, 2).worse(at(30, 1)), "lowered by 1e-7, it is")
	assert.True(t, at(0.5+2e-9, 1).worse(at(0.5, 2)), "below 100% a billionth of utilization counts")
}
