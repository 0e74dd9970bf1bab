package balance

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// TestSortUnitsByID: sortUnits puts units in the order of compareUnits,
// each unit whole, as a sort of the units does: IDs that share their
// first 8 bytes, or are shorter, included, in any order to start from,
// sorted already too.
func TestSortUnitsByID(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(rt *rapid.T) {
		ids := rapid.SliceOfDistinct(rapid.StringMatching(`(case-00|c)[0-9]{0,3}`), rapid.ID[string]).Draw(rt, "ids")
		units := make([]unit, len(ids))
		for x, id := range ids {
			units[x] = unit{id: id, idKey: idKey(id), w: int64(x), cases: []int32{int32(x)}}
		}
		if rapid.Bool().Draw(rt, "sorted") {
			slices.SortFunc(units, func(a, b unit) int { return compareUnits(&a, &b) })
		}
		want := slices.Clone(units)
		slices.SortFunc(want, func(a, b unit) int { return compareUnits(&a, &b) })
		sortUnits(units)
		for x := range units {
			if got := fmt.Sprint(units[x].id, units[x].w, units[x].cases); got != fmt.Sprint(want[x].id, want[x].w, want[x].cases) {
				rt.Fatalf("place %d: %s, want %s", x, got, fmt.Sprint(want[x].id, want[x].w, want[x].cases))
			}
		}
	})
}
