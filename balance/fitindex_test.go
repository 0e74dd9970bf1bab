package balance

import (
	"math/rand/v2"
	"testing"
)

// TestFitIndexMatchesScan checks fitIndex against a scan of the
// workers by least slack of at least w, then lowest index, while
// slacks change: 300 workers (several blocks), slacks in a small range
// (many ties), every third worker refused.
func TestFitIndexMatchesScan(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	const m = 300
	slack := make([]int64, m)
	var entries []fitEntry
	for b := range int32(m) {
		slack[b] = rng.Int64N(50)
		entries = append(entries, fitEntry{slack[b], b})
	}
	ix := newFitIndex(entries)
	ok := func(b int32) bool { return b%3 != 0 }
	for range 5000 {
		w := rng.Int64N(60)
		want, wantSlack := int32(-1), int64(0)
		for b := range int32(m) {
			if ok(b) && slack[b] >= w && (want < 0 || slack[b] < wantSlack) {
				want, wantSlack = b, slack[b]
			}
		}
		if got, _ := ix.first(w, ok); got != want {
			t.Fatalf("first(%d) = %d, want %d", w, got, want)
		}
		b := rng.Int32N(m)
		now := slack[b] + rng.Int64N(21) - 10
		ix.update(b, slack[b], now)
		slack[b] = now
	}
}
