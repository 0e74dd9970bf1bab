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

// TestScoredOrdersAsWorse: the order in which byOwnGain makes the
// pending moves of a large proposal reads two maxima as worse does. Of
// two moves leaving a maximum of 3,000% (the shape of the seed above)
// 2e-9 apart, the one leaving the lower spread comes first, as
// betterMove puts it; with an absolute billionth the order put the
// lower maximum first.
func TestScoredOrdersAsWorse(t *testing.T) {
	t.Parallel()
	lower := scored{x: 0, f: true, max: 30 - 2e-9, spread: 2, key: 1}
	even := scored{x: 1, f: true, max: 30, spread: 1, key: 2}
	o, p := objective{max: lower.max, spread: lower.spread}, objective{max: even.max, spread: even.spread}
	assert.True(t, o.worse(p))
	assert.Positive(t, compareScored(&lower, &even), "the lower spread first")
	assert.Negative(t, compareScored(&even, &lower))
	below := scored{x: 2, f: true, max: 0.5 - 2e-9, spread: 2, key: 3}
	half := scored{x: 3, f: true, max: 0.5, spread: 1, key: 4}
	assert.Negative(t, compareScored(&below, &half), "below 100% a billionth of utilization counts")
}
