package norm_test

import (
	"errors"
	"fmt"
	"log"

	"github.com/caseload/caseload/civil"

	"github.com/caseload/caseload/norm"
)

func ExampleCapacity() {
	// A 36-hour worker with 4 hours of works council, a sick leave in
	// March and an illustrative 15% of standing non-client time.
	c := norm.Contract{
		Worker:     "ann",
		Hours:      36,
		SideDuties: []norm.SideDuty{{Name: "works council", Hours: 4}},
		Reductions: []norm.Reduction{
			{Reason: norm.ReasonNonClient, Percent: 15},
			{Reason: norm.ReasonSickness, Percent: 100, Period: civil.Period{
				From: civil.NewDate(2025, 3, 3), To: civil.NewDate(2025, 3, 16)}},
		},
	}
	for _, at := range []civil.Date{civil.NewDate(2025, 2, 24), civil.NewDate(2025, 3, 16), civil.NewDate(2025, 3, 17)} {
		b, err := norm.Capacity(c, at)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %v (%v)\n", at, b.Available, b.FTE(36))
		for _, it := range b.Items {
			fmt.Printf("  %-10s %-14s %v\n", it.Kind, it.Name, it.Hours)
		}
	}
	// Output:
	// 2025-02-24: 26.6 h/wk (0.74 FTE)
	//   side-duty  works council  -4.0 h/wk
	//   reduction  non-client     -5.4 h/wk
	// 2025-03-16: 0.0 h/wk (0.00 FTE)
	//   side-duty  works council  -4.0 h/wk
	//   reduction  non-client     -5.4 h/wk
	//   reduction  sickness       -26.6 h/wk
	// 2025-03-17: 26.6 h/wk (0.74 FTE)
	//   side-duty  works council  -4.0 h/wk
	//   reduction  non-client     -5.4 h/wk
}

func ExamplePointsScale() {
	// The Workload Measurement Tool of HM Prison and Probation Service
	// counts 2,176 points for a 37-hour week.
	wmt := norm.PointsScale{Points: 2176, Hours: 37}
	for _, h := range []norm.HoursPerWeek{37 - 1.8, 16} {
		p, err := wmt.ToPoints(h)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%v: %.2f points, shown as %v\n", h, float64(p), p)
	}
	h, err := wmt.ToHours(1000)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(h)
	_, err = wmt.ToPoints(-1)
	fmt.Println(errors.Is(err, norm.ErrNegative), err)
	// Output:
	// 35.2 h/wk: 2070.14 points, shown as 2070 pt/wk
	// 16.0 h/wk: 940.97 points, shown as 940 pt/wk
	// 17.0 h/wk
	// true norm: hours: negative value
}

func ExampleCaseloadLimit() {
	// The norms of the CAO Jeugdzorg, the Dutch youth-care collective
	// agreement, per 36-hour FTE: 16 supervision orders in their first
	// year, 21 later, 28 guardianships.
	n := norm.CaseloadNorm{
		FullTime:  36,
		Reference: "ots",
		Types: []norm.CaseType{
			{Name: "ots-first-year", PerFTE: 16},
			{Name: "ots", PerFTE: 21},
			{Name: "guardianship", PerFTE: 28},
		},
	}
	// A 32-hour worker in the third week of an eight-week ramp from half.
	c := norm.Contract{Worker: "bo", Hours: 32,
		Onboarding: norm.Onboarding{Start: civil.NewDate(2025, 3, 3), StartShare: 0.5, Weeks: 8}}
	for _, at := range []civil.Date{civil.NewDate(2025, 3, 17), civil.NewDate(2025, 6, 2)} {
		l, err := norm.CaseloadLimit(n, c, at)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %s: %v, limit %.2f shares, room for", l.Worker, l.At, l.FTE, float64(l.Shares))
		for _, t := range n.Types {
			k, err := n.Cases(l, t.Name)
			if err != nil {
				log.Fatal(err)
			}
			fmt.Printf(" %d %s", k, t.Name)
		}
		fmt.Println()
	}
	// Each case counts as a share of its type's norm.
	load, err := n.Load([]norm.CaseCount{{Type: "ots-first-year", Count: 4}, {Type: "guardianship", Count: 8}, {Type: "ots", Count: 5}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("load:", load)
	// Output:
	// bo 2025-03-17: 0.56 FTE, limit 11.67 shares, room for 8 ots-first-year 11 ots 15 guardianship
	// bo 2025-06-02: 0.89 FTE, limit 18.67 shares, room for 14 ots-first-year 18 ots 24 guardianship
	// load: 16.2 shares
}

func ExampleCheckBand() {
	n := norm.CaseloadNorm{
		FullTime: 36,
		Types:    []norm.CaseType{{Name: "ots", PerFTE: 21}},
		Band:     norm.Band{Min: 17, Max: 21}, // an illustrative team band
	}
	r, err := norm.CheckBand(n, "north", []norm.MemberLoad{
		{Worker: "ann", FTE: 1, Load: 23},
		{Worker: "bo", FTE: 0.89, Load: 17},
		{Worker: "cas", FTE: 1, Load: 15},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("team: %.1f shares per FTE, %v, headroom %v\n", r.Team.PerFTE, r.Team.Position, r.Headroom)
	for _, s := range r.Signals() {
		fmt.Printf("%s %s: %s\n", s.Severity, s.Code, s.Message)
	}
	// Output:
	// team: 19.0 shares per FTE, within, headroom 5.7 shares
	// warning caseload.above-band: ann carries 23.0 shares per FTE, above the band maximum of 21.0
	// info caseload.below-band: cas carries 15.0 shares per FTE, below the band minimum of 17.0
}

func ExamplePace() {
	// An illustrative Veilig Thuis norm of 36 services a year per
	// 36-hour FTE, on average 3 a month, with the default bands. The year has 256
	// working days (261 weekdays less the Christmas week); the sick
	// leave takes 10 of them, so the target is 36 x 246/256 = 34.6.
	n := norm.ProductionNorm{PerFTE: 36, FullTime: 36}
	cal := norm.Calendar{
		Year:       civil.Period{From: civil.NewDate(2025, 1, 1), To: civil.NewDate(2025, 12, 31)},
		NonWorking: []civil.Period{{From: civil.NewDate(2025, 12, 22), To: civil.NewDate(2025, 12, 28)}},
	}
	c := norm.Contract{Worker: "ann", Hours: 36, Reductions: []norm.Reduction{
		{Reason: norm.ReasonSickness, Percent: 100, Period: civil.Period{
			From: civil.NewDate(2025, 3, 3), To: civil.NewDate(2025, 3, 16)}}}}
	var prev norm.Progress
	for i, reading := range []struct {
		at        civil.Date
		completed norm.Services
	}{
		{civil.NewDate(2025, 1, 5), 0},
		{civil.NewDate(2025, 3, 30), 7},
		{civil.NewDate(2025, 6, 29), 14},
	} {
		p, err := norm.Pace(n, cal, c, reading.completed, reading.at)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(p.Signal().Message)
		if s, ok := norm.StatusChange(prev, p); ok && i > 0 {
			fmt.Printf("  %s: %s\n", s.Severity, s.Message)
		}
		prev = p
	}
	fmt.Printf("target %v, projected %v\n", prev.Target, prev.Projected)
	// Output:
	// ann has no expectation yet: 0.4 services expected, a verdict from 1.0
	// ann is on track: 7.0 services completed, 7.5 expected (94%)
	//   info: ann went from no expectation to on track: 7.0 services completed, 7.5 expected (94%)
	// ann is behind pace: 14.0 services completed, 16.6 expected (84%, below 90%)
	//   warning: ann went from on track to behind: 14.0 services completed, 16.6 expected (84%, below 90%)
	// target 34.6 services, projected 29.2 services
}
