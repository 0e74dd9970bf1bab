package civil

import (
	"math"
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

func TestRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		got  int
		want int
	}{
		{"year 0 clamps to day 0", DayOf(0, 12, 31), 0},
		{"9999-12-31 is MaxDay", DayOf(9999, 12, 31), MaxDay},
		{"year 10000 clamps", DayOf(10000, 1, 1), MaxDay},
		{"huge year clamps", DayOf(6_000_000, 1, 1), MaxDay},
		{"huge month back into range", DayOf(1<<40, time.Month(-12*(1<<40)+2026*12+3), 4), Days(2026, 3, 4)},
		{"month 0 is December before", DayOf(2025, 0, 1), Days(2024, 12, 1)},
		{"smallest int day", DayOf(2026, 1, math.MinInt), 0},
		{"smallest int month", DayOf(2026, math.MinInt, 1), 0},
		{"Add saturates up", Add(MaxDay-1, 1<<62), MaxDay},
		{"Add saturates down", Add(5, -(1 << 62)), 0},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, tt.got, tt.want)
		}
	}
	if Weekday(0) != time.Monday || Weekday(Days(2026, 11, 24)) != time.Tuesday {
		t.Error("weekday")
	}
	for _, s := range []string{"0001-01-01", "2024-02-29", "9999-12-31"} {
		n, err := Parse(s)
		if err != nil || Format(n) != s {
			t.Errorf("Parse(%q) = %d, %v; Format gives %q", s, n, err, Format(n))
		}
	}
	for _, s := range []string{"0000-12-31", "2025-02-29", "2025-1-1", ""} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) accepted", s)
		}
	}
}
