package civil_test

import (
	"testing"
	"time"

	"github.com/caseload/caseload/civil"
)

// TestAddWorkingDays holds the week-jumping addWorkingDays against
// counting one day at a time, from every weekday.
func TestAddWorkingDays(t *testing.T) {
	t.Parallel()
	slow := func(d civil.Date, n int) civil.Date {
		for n > 0 {
			d = d.AddDays(1)
			if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
				n--
			}
		}
		return d
	}
	for start := range 7 {
		d := civil.NewDate(2026, 3, 1+start)
		for n := -1; n <= 40; n++ {
			if got, want := d.AddWorkingDays(n), slow(d, n); got != want {
				t.Errorf("AddWorkingDays(%s %s, %d) = %s, want %s", d, d.Weekday(), n, got, want)
			}
		}
	}
}

func TestAddWorkingDaysEdges(t *testing.T) {
	t.Parallel()
	if got := (civil.Date{}).AddWorkingDays(5); !got.IsZero() {
		t.Errorf("the zero Date moved to %s", got)
	}
	last := civil.NewDate(9999, 12, 31)
	if got := last.AddDays(-3).AddWorkingDays(10); got != last {
		t.Errorf("got %s, want %s", got, last)
	}
}
