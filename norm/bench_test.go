package norm_test

import (
	"fmt"
	"testing"

	"github.com/caseload/caseload/civil"

	"github.com/caseload/caseload/norm"
)

// benchContract has a little of everything: two side duties, three
// reductions, an expertise share and an onboarding ramp.
var benchContract = norm.Contract{
	Worker: "ann",
	Hours:  36,
	SideDuties: []norm.SideDuty{
		{Name: "works council", Hours: 4},
		{Name: "practice educator", Hours: 4, Period: civil.Period{From: day("2025-06-30"), To: day("2025-09-28")}},
	},
	Reductions: []norm.Reduction{
		{Reason: norm.ReasonSickness, Percent: 100, Period: civil.Period{From: day("2025-03-03"), To: day("2025-03-16")}},
		{Reason: norm.ReasonLeave, Percent: 100, Period: civil.Period{From: day("2025-07-21"), To: day("2025-08-10")}},
		{Reason: norm.ReasonNonClient, Percent: 15},
	},
	Expertise:  []norm.Adjustment{{Name: "mentor", Share: -0.05}},
	Onboarding: norm.Onboarding{Start: day("2024-12-30"), StartShare: 0.5, Weeks: 8},
}

func BenchmarkCapacity(b *testing.B) {
	at := day("2025-03-10")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := norm.Capacity(benchContract, at); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPace(b *testing.B) {
	cal := norm.Calendar{Year: civil.Period{From: day("2025-01-01"), To: day("2025-12-31")},
		NonWorking: []civil.Period{{From: day("2025-12-22"), To: day("2025-12-28")}}}
	at := day("2025-09-30")
	b.Run("worker", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := norm.Pace(vt, cal, benchContract, 20, at); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, size := range []int{10, 100} {
		members := make([]norm.Member, size)
		for i := range members {
			c := benchContract
			c.Worker = fmt.Sprintf("w%03d", i)
			members[i] = norm.Member{Contract: c, Completed: 20}
		}
		b.Run(fmt.Sprintf("team=%d", size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := norm.TeamPace(vt, cal, "north", members, at); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
