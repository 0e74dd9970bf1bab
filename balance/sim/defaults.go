package sim

import (
	"github.com/caseload/caseload/norm"
	"github.com/caseload/caseload/weight"
)

// DefaultConfig returns the default study: a youth-protection and
// child-safety team of 25 caseworkers over a year from Monday 5 January
// 2026, of whom one leaves in week 26 and a new hire joins in week 22 with
// a half-year onboarding ramp. Its numbers are illustrative, chosen to be
// realistic rather than measured:
//
//   - investigations (Veilig Thuis-like) arrive at 5.5 a week, fewer in the
//     summer holidays and more after them, run a median of 7 weeks, are
//     heaviest in their first week (the safety assessment) and have a
//     lead-time norm of 10 weeks;
//   - supervision orders arrive at 2.4 a week and run a median of 40
//     weeks, with an intake phase of 4 weeks and a first year heavier than
//     later years (the caseload norms 16 and 21 per FTE of the Dutch
//     youth-care collective agreement, CAO Jeugdzorg, turned into hours);
//   - guardianships arrive at 0.6 a week and run a median of 80 weeks;
//   - cases have 1 to 5 children, and some aggression, court work or an
//     interpreter, which need the matching skill;
//   - contracts of 24 to 36 hours, 15% of them non-client time; caseload
//     norms of 21 supervisions, 28 guardianships or 12 investigations per
//     36-hour FTE, held as hard limits; 1.2 sick spells a year with a
//     median of 4 days and a long tail; 5 weeks of planned leave; 3% of
//     offers declined.
//
// The returned Config is a fresh value; change it freely.
func DefaultConfig() Config {
	const casework = 30.6 // a 36-hour week less 15% non-client time
	model := weight.Model{
		Name:    "youth protection and child safety (illustrative)",
		Version: "sim-1",
		Types: []weight.CaseType{
			{Name: "investigation", Hours: 3.2, Severity: 2, Phases: []weight.Phase{
				{Name: "safety", Hours: 6},
				{Name: "investigation", Hours: 3.2},
			}},
			{Name: "supervision", Hours: casework / 21, Severity: 1, Phases: []weight.Phase{
				{Name: "intake", Hours: 3.5},
				{Name: "first-year", Hours: casework / 16},
			}},
			{Name: "guardianship", Hours: casework / 28, Severity: 1},
		},
		Factors: []weight.Factor{
			{Name: "extra children", Kind: weight.PerUnit, On: weight.Count, Attribute: "children", Above: 1, Value: 0.4, Cap: 1.6},
			{Name: "aggression", Kind: weight.Additive, On: weight.Flag, Attribute: "aggression", Value: 0.5, Severity: 2},
			{Name: "court", Kind: weight.Multiplier, On: weight.Flag, Attribute: "court", Value: 1.3, Severity: 1},
			{Name: "interpreter", Kind: weight.Multiplier, On: weight.Flag, Attribute: "interpreter", Value: 1.2},
		},
	}
	children := []CountSpec{{Name: "children", Min: 1, Mean: 1.8}}
	flags := func(court float64) []FlagSpec {
		return []FlagSpec{
			{Name: "aggression", P: 0.12},
			{Name: "court", P: court, Skill: "court"},
			{Name: "interpreter", P: 0.08, Skill: "interpreter"},
		}
	}
	cfg := Config{
		Seed:  1,
		Model: model,
		CaseloadNorm: &norm.CaseloadNorm{
			FullTime:  36,
			Reference: "supervision",
			Types: []norm.CaseType{
				{Name: "supervision", PerFTE: 21},
				{Name: "guardianship", PerFTE: 28},
				{Name: "investigation", PerFTE: 12},
			},
		},
		Types: []CaseType{
			{
				Name: "investigation", PerWeek: 5.5,
				Seasonality: []float64{1.05, 1.05, 1.05, 1, 1, 0.95, 0.8, 0.75, 1.15, 1.1, 1.05, 1.05},
				Duration:    LogNormal{Median: 7, Sigma: 0.4},
				Phases:      []PhaseSpan{{Phase: "safety", Weeks: 1}, {Phase: "investigation"}},
				Flags:       flags(0.05), Counts: children, LeadTimeWeeks: 10,
			},
			{
				Name: "supervision", PerWeek: 2.4,
				Duration: LogNormal{Median: 40, Sigma: 0.5},
				Phases:   []PhaseSpan{{Phase: "intake", Weeks: 4}, {Phase: "first-year", Weeks: 48}, {}},
				Flags:    flags(0.35), Counts: children,
			},
			{
				Name: "guardianship", PerWeek: 0.6,
				Duration: LogNormal{Median: 80, Sigma: 0.4},
				Flags:    flags(0.2), Counts: children,
			},
		},
		Sickness:           Sickness{PerYear: 1.2, Days: LogNormal{Median: 4, Sigma: 1.2}},
		Leave:              []LeaveBlock{{Weeks: 1, From: 6, To: 20}, {Weeks: 3, From: 26, To: 33}, {Weeks: 1, From: 38, To: 48}},
		DeclineProbability: 0.03,
		Slowdown:           true,
	}
	// Lead times are measured per case type above; the library's
	// lead-time signal would flag every supervision order.
	cfg.Thresholds.LeadTimeWeeks = -1
	names := []string{"anouk", "bram", "chayenne", "daan", "eline", "fatima", "gijs", "hanna", "ivo", "jasmijn",
		"kees", "lotte", "mehmet", "noor", "okke", "petra", "quinten", "roos", "sanne", "tim",
		"umut", "vera", "wouter", "xander", "yara", "zoe"}
	hours := []norm.HoursPerWeek{36, 32, 36, 28, 36, 32, 24, 36, 32, 36, 28, 36, 32, 36, 36, 28, 32, 36, 24, 36, 32, 36, 28, 36, 36, 32}
	for i, n := range names {
		ws := WorkerSpec{Contract: norm.Contract{Worker: n, Hours: hours[i],
			Reductions: []norm.Reduction{{Reason: norm.ReasonNonClient, Percent: 15}}}}
		if i%2 == 0 {
			ws.Skills = append(ws.Skills, "court")
		}
		if i%6 == 1 {
			ws.Skills = append(ws.Skills, "interpreter")
		}
		switch n {
		case "zoe": // the new hire
			ws.JoinWeek = 22
			ws.Contract.Onboarding = norm.Onboarding{StartShare: 0.5, Weeks: 26}
		case "gijs": // leaves the team
			ws.LeaveWeek = 26
		}
		cfg.Workers = append(cfg.Workers, ws)
	}
	return cfg
}
