package balance_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

func TestScoreProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := problemGen(7, 16).Draw(t, "problem")
		im, err := balance.Score(p, nil)
		require.NoError(t, err)
		require.Len(t, im.Workers, len(p.Workers))

		n := 0
		var loads, total float64
		for _, w := range im.Workers {
			if w.Capacity > 0 {
				n++
				if w.Utilization == 1 {
					// A load within one micro-hour and a part per million
					// of capacity reads as exactly full (capSlack), so 1
					// stands for a load that close to capacity; 2e-6
					// leaves room for the rounding of Load and Capacity.
					assert.InDelta(t, float64(w.Capacity), float64(w.Load), 2e-6+1e-6*float64(w.Capacity))
				} else {
					assert.InDelta(t, float64(w.Load)/float64(w.Capacity), w.Utilization, 1e-12)
				}
			} else {
				assert.Zero(t, w.Utilization)
				assert.Equal(t, -1, w.Band)
			}
			loads += float64(w.Load)
		}
		for _, c := range p.Cases {
			total += float64(c.Weight)
		}
		// Weight is conserved: what workers hold plus what waits. Each
		// case's weight is counted in micro-hours, rounded to the
		// nearest: half a micro-hour a case may go (four cases rounding
		// down by 0.28–0.47 µh each once made 1.56 µh).
		assert.InDelta(t, total, loads+float64(im.UnassignedLoad), 1e-6*math.Max(1, total)+0.5e-6*float64(len(p.Cases)))
		assert.Equal(t, len(p.Cases), im.Assigned+im.Unassigned)

		for _, s := range []balance.Stats{im.Utilization, im.Counts} {
			assert.GreaterOrEqual(t, s.Gini, 0.0)
			assert.LessOrEqual(t, s.Gini, 1.0)
			assert.LessOrEqual(t, s.Jain, 1.0)
			if n > 0 {
				assert.GreaterOrEqual(t, s.Jain, 1/float64(n)-1e-12)
			}
			assert.LessOrEqual(t, s.Min, s.Mean+1e-12)
			assert.LessOrEqual(t, s.Mean, s.Max+1e-12)
			assert.GreaterOrEqual(t, s.CV, 0.0)
			sum := 0
			for _, b := range s.Bands {
				sum += b
			}
			assert.Equal(t, n, sum)
			for _, v := range []float64{s.Max, s.Min, s.Range, s.Mean, s.StdDev, s.CV, s.Gini, s.Jain} {
				assert.False(t, math.IsNaN(v) || math.IsInf(v, 0))
			}
		}
	})
}

func TestScorePermutationInvariant(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := problemGen(7, 16).Draw(t, "problem")
		want, err := balance.Score(p, nil)
		require.NoError(t, err)
		got, err := balance.Score(permute(t, p), nil)
		require.NoError(t, err)
		require.Equal(t, want, got)
	})
}

func TestScoreScaleInvariant(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		p := problemGen(7, 16).Draw(t, "problem")
		k := rapid.SampledFrom([]float64{0.5, 2, 3, 7.5}).Draw(t, "scale")
		// Loads are exact in micro-hours: keep weights on whole
		// thousandths of an hour so that scaling does not round.
		p.Cases = slices.Clone(p.Cases)
		for i := range p.Cases {
			p.Cases[i].Weight = balance.HoursPerWeek(math.Round(float64(p.Cases[i].Weight)*1000) / 1000)
		}
		q := p
		q.Workers = append([]balance.Worker(nil), p.Workers...)
		q.Cases = append([]balance.Case(nil), p.Cases...)
		for i := range q.Workers {
			q.Workers[i].Capacity *= balance.HoursPerWeek(k)
		}
		for i := range q.Cases {
			q.Cases[i].Weight *= balance.HoursPerWeek(k)
		}
		a, err := balance.Score(p, nil)
		require.NoError(t, err)
		b, err := balance.Score(q, nil)
		require.NoError(t, err)
		// Loads are kept in micro-hours, so tiny weights round: compare
		// with a tolerance of a few micro-hours relative to capacity.
		statsClose(t, a.Utilization, b.Utilization, 1e-4)
		statsClose(t, a.Counts, b.Counts, 1e-9)
	})
}

func statsClose(t require.TestingT, a, b balance.Stats, tol float64) {
	for _, p := range [][2]float64{{a.Max, b.Max}, {a.Min, b.Min}, {a.Mean, b.Mean}, {a.StdDev, b.StdDev}, {a.Gini, b.Gini}, {a.Jain, b.Jain}} {
		assert.InDelta(t, p[0], p[1], tol*math.Max(1, math.Abs(p[0])))
	}
	// CV divides by a mean that may be tiny; compare it relative to
	// itself only when the mean is not.
	if a.Mean > 1e-3 {
		assert.InDelta(t, a.CV, b.CV, tol*math.Max(1, a.CV)/a.Mean)
	}
}

func TestScoreKnownValues(t *testing.T) {
	t.Parallel()
	p := balance.Problem{
		AsOf: asOfDate,
		Workers: []balance.Worker{
			{ID: "ann", Capacity: 20},
			{ID: "bob", Capacity: 20},
			{ID: "cas", Capacity: 0},
		},
		Cases: []balance.Case{
			{ID: "1", Weight: 10, Owner: "ann"},
			{ID: "2", Weight: 20, Owner: "bob"},
			{ID: "3", Weight: 2, Owner: "bob"},
			{ID: "4", Weight: 3, Owner: "cas"},
			{ID: "5", Weight: 4},
		},
	}
	im, err := balance.Score(p, nil)
	require.NoError(t, err)
	// ann 50%, bob 110%; cas has no capacity and is left out.
	u := im.Utilization
	assert.InDelta(t, 1.1, u.Max, 1e-12)
	assert.InDelta(t, 0.5, u.Min, 1e-12)
	assert.InDelta(t, 0.8, u.Mean, 1e-12)
	assert.InDelta(t, 0.3, u.StdDev, 1e-12)
	assert.InDelta(t, 0.375, u.CV, 1e-12)
	// Gini of {0.5, 1.1}: |0.5-1.1|·2 / (2·2²·0.8) = 0.1875.
	assert.InDelta(t, 0.1875, u.Gini, 1e-12)
	// Jain: 1.6² / (2·(0.25+1.21)) = 2.56/2.92.
	assert.InDelta(t, 2.56/2.92, u.Jain, 1e-12)
	// 110% is in the band "over 100% to 110%", 50% in "up to 90%".
	assert.Equal(t, []int{1, 0, 1, 0}, u.Bands)
	// bob is 2 h over, cas 3 h (all of it).
	assert.InDelta(t, 5, float64(im.OverloadHours), 1e-12)
	assert.Equal(t, 4, im.Assigned)
	assert.Equal(t, 1, im.Unassigned)
	assert.InDelta(t, 4, float64(im.UnassignedLoad), 1e-12)
	// Counts: ann 1, bob 2 of 3 held, equal capacity: shares 1/1.5 and 2/1.5.
	assert.InDelta(t, 1/1.5, im.Counts.Min, 1e-12)
	assert.InDelta(t, 2/1.5, im.Counts.Max, 1e-12)
}

func TestScoreEdges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		p    balance.Problem
		want balance.Stats
	}{
		{"no workers", balance.Problem{AsOf: asOfDate}, balance.Stats{Jain: 1, Bands: []int{0, 0, 0, 0}}},
		{"all zero loads", balance.Problem{AsOf: asOfDate, Workers: []balance.Worker{{ID: "a", Capacity: 1}, {ID: "b", Capacity: 2}}},
			balance.Stats{Jain: 1, Bands: []int{2, 0, 0, 0}}},
		{"exactly full", balance.Problem{AsOf: asOfDate, Workers: []balance.Worker{{ID: "a", Capacity: 0.3}}, Cases: []balance.Case{{ID: "1", Weight: 0.1, Owner: "a"}, {ID: "2", Weight: 0.2, Owner: "a"}}},
			balance.Stats{Max: 1, Min: 1, Mean: 1, Jain: 1, Bands: []int{0, 1, 0, 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			im, err := balance.Score(tt.p, nil)
			require.NoError(t, err)
			assert.Equal(t, tt.want, im.Utilization)
		})
	}
}

func TestScoreBands(t *testing.T) {
	t.Parallel()
	p := balance.Problem{AsOf: asOfDate, Workers: []balance.Worker{{ID: "a", Capacity: 10}, {ID: "b", Capacity: 10}}, Cases: []balance.Case{{ID: "1", Weight: 9.6, Owner: "a"}, {ID: "2", Weight: 12, Owner: "b"}}}
	// WMT bands: below 95%, 95-100%, 100-110%, above 110%.
	im, err := balance.Score(p, &balance.Options{Bands: []float64{0.95, 1, 1.1}})
	require.NoError(t, err)
	assert.Equal(t, []int{0, 1, 0, 1}, im.Utilization.Bands)
	_, err = balance.Score(p, &balance.Options{Bands: []float64{1, 0.9}})
	assert.ErrorIs(t, err, balance.ErrBadOption)
}

// TestScoreLargePermutation scores a problem large enough for Prepare
// to scan its cases in two goroutines, in two orders: the result must
// be identical, bit for bit.
func TestScoreLargePermutation(t *testing.T) {
	t.Parallel()
	p := balancetest.Generate(4, balancetest.Size{Workers: 200, Cases: 9000, Assigned: true})
	q := p
	q.Cases = slices.Clone(p.Cases)
	q.Workers = slices.Clone(p.Workers)
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(q.Cases), func(i, j int) { q.Cases[i], q.Cases[j] = q.Cases[j], q.Cases[i] })
	rng.Shuffle(len(q.Workers), func(i, j int) { q.Workers[i], q.Workers[j] = q.Workers[j], q.Workers[i] })
	a, err := balance.Score(p, nil)
	require.NoError(t, err)
	b, err := balance.Score(q, nil)
	require.NoError(t, err)
	require.Equal(t, a, b)
	ta, err := balance.Prepare(p, nil)
	require.NoError(t, err)
	tb, err := balance.Prepare(q, nil)
	require.NoError(t, err)
	require.Equal(t, ta.Notices(), tb.Notices())
}
