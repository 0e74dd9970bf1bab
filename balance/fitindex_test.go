package balance

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestFitIndexMatchesScan checks fitIndex against a scan of the
// workers by least slack of at least w, then lowest index, while
// slacks change: 300 workers (several blocks), slacks in a small range
// (many ties), every third worker refused. With room, each worker also
// has a room in hours, which changes with their slack, and those with
// less than a unit needs are refused too: the index passes by the
// blocks where no one has it.
func TestFitIndexMatchesScan(t *testing.T) {
	t.Parallel()
	for _, withRoom := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(1, 2))
		const m = 300
		slack, room := make([]int64, m), make([]int64, m)
		var entries []fitEntry
		for b := range int32(m) {
			slack[b], room[b] = rng.Int64N(50), rng.Int64N(40)
			entries = append(entries, fitEntry{slack[b], b})
		}
		ix := newFitIndex(entries)
		if withRoom {
			ix.withRoom(func(b int32) int64 { return room[b] })
		}
		passed := 0
		for range 5000 {
			w, need := rng.Int64N(60), int64(math.MinInt64)
			if withRoom {
				need = rng.Int64N(45)
			}
			ok := func(b int32) bool { return b%3 != 0 && room[b] >= need }
			want, wantSlack := int32(-1), int64(0)
			for b := range int32(m) {
				if ok(b) && slack[b] >= w && (want < 0 || slack[b] < wantSlack) {
					want, wantSlack = b, slack[b]
				}
			}
			if got, _ := ix.first(w, need, ok); got != want {
				t.Fatalf("room %v: first(%d, %d) = %d, want %d", withRoom, w, need, got, want)
			}
			for bi := range ix.most {
				if ix.most[bi] < need {
					passed++
				}
			}
			b := rng.Int32N(m)
			now := slack[b] + rng.Int64N(21) - 10
			if now != slack[b] {
				room[b] = max(room[b]+now-slack[b], 0)
			}
			ix.update(b, slack[b], now)
			slack[b] = now
		}
		if withRoom && passed == 0 {
			t.Fatal("no block was ever passed by")
		}
	}
}
