package balance

import (
	"testing"
	"time"
)

// TestAddWorkingDays holds the week-jumping addWorkingDays against
// counting one day at a time, from every weekday.
func TestAddWorkingDays(t *testing.T) {
	t.Parallel()
	slow := func(d Date, n int) Date {
		for n > 0 {
			d = d.AddDays(1)
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				n--
			}
		}
		return d
	}
	for start := range 7 {
		d := NewDate(2026, 3, 1+start)
		for n := -1; n <= 40; n++ {
			if got, want := addWorkingDays(d, n), slow(d, n); got != want {
				t.Errorf("addWorkingDays(%s %s, %d) = %s, want %s", d, d.Weekday(), n, got, want)
			}
		}
	}
}

func TestAddWorkingDaysEdges(t *testing.T) {
	t.Parallel()
	if got := addWorkingDays(Date{}, 5); !got.IsZero() {
		t.Errorf("the zero Date moved to %s", got)
	}
	last := NewDate(9999, 12, 31)
	if got := addWorkingDays(last.AddDays(-3), 10); got != last {
		t.Errorf("got %s, want %s", got, last)
	}
}
