package balance

import (
	"strconv"
	"testing"
)

// TestDeclinerCacheFindsAsTheMap holds that a [declinerCache] finds
// every ID as the team's map does, whatever it remembered before: IDs
// that pick the same slot (many, from a two-letter alphabet, on a team
// of up to 40 whose cache has a few slots a worker), shorter than three
// bytes, the empty ID, and IDs not on the team, looked up in any order.
func TestDeclinerCacheFindsAsTheMap(t *testing.T) {
	t.Parallel()
	ids := abIDs()
	for k := range 20 {
		ids = append(ids, "w"+strconv.Itoa(k)+"-long-x")
	}
	holdToMap(t, ids, func(tm *Team) func(string) (int32, bool) {
		var dc declinerCache
		dc.init(len(tm.workers))
		return func(id string) (int32, bool) { return dc.find(tm, id) }
	})
}
