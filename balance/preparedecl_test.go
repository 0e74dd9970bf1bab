package balance

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// TestDeclinerCacheFindsAsTheMap holds that a [declinerCache] finds
// every ID as the team's map does, whatever it remembered before: IDs
// that pick the same slot (many, from a two-letter alphabet, on a team
// of up to 40 whose cache has a few slots a worker), shorter than three
// bytes, the empty ID, and IDs not on the team, looked up in any order.
func TestDeclinerCacheFindsAsTheMap(t *testing.T) {
	t.Parallel()
	var ids []string
	for n := 0; n <= 4; n++ {
		for b := range 1 << n {
			id := make([]byte, n)
			for k := range id {
				id[k] = "ab"[b>>k&1]
			}
			ids = append(ids, string(id))
		}
	}
	for k := range 20 {
		ids = append(ids, "w"+strconv.Itoa(k)+"-long-x")
	}
	rapid.Check(t, func(rt *rapid.T) {
		onTeam := rapid.SliceOfDistinct(rapid.SampledFrom(ids[1:]), func(s string) string { return s }).Draw(rt, "team")
		ws := make([]Worker, len(onTeam))
		for i, id := range onTeam {
			ws[i] = Worker{ID: id, Capacity: 1}
		}
		tm := &Team{workers: ws}
		tm.indexWorkers()
		var dc declinerCache
		dc.init(len(ws))
		for _, id := range rapid.SliceOf(rapid.SampledFrom(ids)).Draw(rt, "look-ups") {
			w, ok := dc.find(tm, id)
			want, wantOK := tm.worker(id)
			require.Equal(rt, wantOK, ok, "%q", id)
			if ok {
				require.Equal(rt, want, w, "%q", id)
			}
		}
	})
}
