package civil

import (
	"errors"
	"math"
	"testing"
	"time"
)

// TestRoundTrip holds daysFrom and fromDays against the time package over
// four centuries and more, leap years and century years included.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	start := time.Date(1890, 1, 1, 0, 0, 0, 0, time.UTC)
	base := daysFrom(1890, 1, 1)
	for k := 0; k < 200*366; k += 3 {
		tm := start.AddDate(0, 0, k)
		y, m, d := tm.Date()
		if got := daysFrom(y, int(m), d); got != base+k {
			t.Fatalf("daysFrom(%d-%d-%d) = %d, want %d", y, m, d, got, base+k)
		}
		if gy, gm, gd := fromDays(base + k); gy != y || gm != int(m) || gd != d {
			t.Fatalf("fromDays(%d) = %d-%d-%d, want %d-%d-%d", base+k, gy, gm, gd, y, m, d)
		}
	}
	if daysFrom(1, 1, 1) != 0 {
		t.Fatalf("daysFrom(1, 1, 1) = %d, want 0", daysFrom(1, 1, 1))
	}
}

func TestRange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		got  int
		want int
	}{
		{"year 0 clamps to day 0", dayOf(0, 12, 31), 0},
		{"9999-12-31 is maxDay", dayOf(9999, 12, 31), maxDay},
		{"year 10000 clamps", dayOf(10000, 1, 1), maxDay},
		{"huge year clamps", dayOf(6_000_000, 1, 1), maxDay},
		{"huge month back into range", dayOf(1<<40, time.Month(-12*(1<<40)+2026*12+3), 4), daysFrom(2026, 3, 4)},
		{"month 0 is December before", dayOf(2025, 0, 1), daysFrom(2024, 12, 1)},
		{"smallest int day", dayOf(2026, 1, math.MinInt), 0},
		{"smallest int month", dayOf(2026, math.MinInt, 1), 0},
		{"Add saturates up", addDays(maxDay-1, 1<<62), maxDay},
		{"Add saturates down", addDays(5, -(1 << 62)), 0},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, tt.got, tt.want)
		}
	}
	if weekday(0) != time.Monday || weekday(daysFrom(2026, 11, 24)) != time.Tuesday {
		t.Error("weekday")
	}
	for _, s := range []string{"0001-01-01", "2024-02-29", "9999-12-31"} {
		d, err := ParseDate(s)
		if err != nil || format(int(d.days)-1) != s {
			t.Errorf("ParseDate(%q) = %v, %v", s, d, err)
		}
	}
	for _, s := range []string{"0000-12-31", "2025-02-29", "2025-1-1", ""} {
		if _, err := ParseDate(s); !errors.Is(err, ErrBadDate) {
			t.Errorf("ParseDate(%q) = %v, want ErrBadDate", s, err)
		}
	}
}
