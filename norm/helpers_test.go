package norm_test

import (
	"math"

	"github.com/caseload/caseload/civil"
)

// day parses a "2006-01-02" date and panics on a typo, as test helpers may.
var day = civil.MustParseDate

// minDate and maxDate are the first and last dates a civil.Date holds.
var (
	minDate = day("0001-01-01")
	maxDate = day("9999-12-31")
)

// week1 is the Monday that starts the test year: 2024-12-30 to
// 2025-12-28 is exactly 52 weeks, 364 days with 260 weekdays, so each
// full week is 1/52 of the year.
var week1 = day("2024-12-30")

// testYear is that 52-week norm year.
var testYear = civil.Period{From: week1, To: day("2025-12-28")}

// sunday returns the last day of week k of the test year (k from 1).
func sunday(k int) civil.Date { return week1.AddDays(7*k - 1) }

func nan() float64 { return math.NaN() }
