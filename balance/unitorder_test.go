package balance

import (
	"strings"
	"testing"
)

// TestCompareUnitsOrdersByID holds compareUnits, which compares the
// first 8 bytes of IDs as numbers, to strings.Compare: IDs shorter and
// longer than 8 bytes, that differ only past byte 8, that end in zero
// bytes, and that hold bytes above 0x7f.
func TestCompareUnitsOrdersByID(t *testing.T) {
	t.Parallel()
	ids := []string{"", "a", "ab", "ab\x00", "ab\x00c", "abcdefgh", "abcdefgh\x00", "abcdefghi", "abcdefgj",
		"abcdefg", "c000123", "c000124", "c0001230", "\xff", "\xff\xff\xff\xff\xff\xff\xff\xff\x01", "é", "z"}
	for _, a := range ids {
		for _, b := range ids {
			ua, ub := unit{id: a, idKey: idKey(a)}, unit{id: b, idKey: idKey(b)}
			if got, want := compareUnits(&ua, &ub), strings.Compare(a, b); got != want {
				t.Errorf("compareUnits(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
}
