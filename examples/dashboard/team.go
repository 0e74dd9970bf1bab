package main

import (
	"fmt"
	"time"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/norm"
	"github.com/caseload/caseload/weight"
)

// A teamFile is what the case system exports, in the embed example's
// format (examples/embed/testdata/team.json): the meeting's date, the
// weight model, the caseload norm, each worker's contract and skills,
// and each case's attributes. The dashboard adds two optional fields
// that the embed example ignores: a case's Assigned date, and the
// team's Production so far this year.
type teamFile struct {
	// AsOf is the date of the allocation meeting, entered once.
	AsOf civil.Date `json:"as_of"`
	// Model weighs the cases (package weight).
	Model weight.Model `json:"model"`
	// CaseloadNorm is the collective agreement's norm (package norm).
	CaseloadNorm norm.CaseloadNorm `json:"caseload_norm"`
	// NormTypes maps a weight type and phase to the agreement's case
	// type, where the two differ (see normTypeOf).
	NormTypes []normType `json:"norm_types,omitempty"`
	// Workers are the team's contracts, leave and sickness included.
	Workers []workerRecord `json:"workers"`
	// Cases are the open cases and the intake queue.
	Cases []caseRecord `json:"cases"`
	// MaxMoves is the move budget the page proposes with by default.
	MaxMoves int `json:"max_moves"`
	// Production is the services completed so far this year, against a
	// production norm; nil means the case system exports none, and the
	// page leaves the pace out.
	Production *production `json:"production,omitempty"`
}

// A workerRecord is a worker as HR and the case system know them.
type workerRecord struct {
	Contract norm.Contract `json:"contract"`
	Skills   []string      `json:"skills,omitempty"`
}

// A caseRecord is a case as the case system exports it.
type caseRecord struct {
	ID         string            `json:"id"`
	Family     string            `json:"family,omitempty"`
	Owner      string            `json:"owner,omitempty"`
	Attributes weight.Attributes `json:"attributes"`
	Needs      []string          `json:"needs,omitempty"`
	Arrived    civil.Date        `json:"arrived,omitzero"`
	// Assigned is the day the case was given to its owner; the zero
	// Date means long ago. Intake ranking counts recent turns with it.
	Assigned civil.Date `json:"assigned,omitzero"`
}

// A normType says that cases of a weight type in a phase count against
// the agreement's norm for another case type.
type normType struct {
	Type  string `json:"type"`
	Phase string `json:"phase"`
	Norm  string `json:"norm"`
}

// A production is what the norm asks of the team this year and what
// each worker has completed so far.
type production struct {
	// Norm is the annual target per full-time worker.
	Norm norm.ProductionNorm `json:"norm"`
	// Calendar is the norm year and its non-working weeks.
	Calendar norm.Calendar `json:"calendar"`
	// Completed lists the services each worker completed this year up
	// to the team's date; a worker not listed completed none.
	Completed []completedServices `json:"completed"`
}

// completedServices is one worker's production so far.
type completedServices struct {
	Worker   string        `json:"worker"`
	Services norm.Services `json:"services"`
}

// normTypeOf names the agreement's case type of a case: the NormTypes
// row of its type and phase, or else its weight type.
func (f *teamFile) normTypeOf(a weight.Attributes) string {
	for _, n := range f.NormTypes {
		if n.Type == a.Type && n.Phase == a.Phase {
			return n.Norm
		}
	}
	return a.Type
}

// problem turns the team file into a balance.Problem: capacity, caseload
// norm and absences from each contract (package norm), weight, severity
// and shares from each case's attributes (packages weight and norm).
// It also returns each case's weight, whose breakdown the page shows.
func (f *teamFile) problem() (balance.Problem, map[string]weight.Weight, error) {
	p := balance.Problem{AsOf: f.AsOf}
	for _, r := range f.Workers {
		c := r.Contract
		capacity, err := norm.Capacity(c, f.AsOf)
		if err != nil {
			return p, nil, err
		}
		limit, err := norm.CaseloadLimit(f.CaseloadNorm, c, f.AsOf)
		if err != nil {
			return p, nil, err
		}
		p.Workers = append(p.Workers, balance.Worker{
			ID:           c.Worker,
			Capacity:     balance.HoursPerWeek(capacity.Available),
			Skills:       r.Skills,
			CaseloadNorm: balance.CaseloadNorm(balance.Shares(limit.Shares)),
			Absences:     c.Absences(),
		})
	}
	m, err := weight.Compile(f.Model, nil)
	if err != nil {
		return p, nil, err
	}
	weights := map[string]weight.Weight{}
	for _, r := range f.Cases {
		wt, err := m.Weigh(r.Attributes)
		if err != nil {
			return p, nil, fmt.Errorf("case %s: %w", r.ID, err)
		}
		share, err := f.CaseloadNorm.Share(f.normTypeOf(r.Attributes))
		if err != nil {
			return p, nil, fmt.Errorf("case %s: %w", r.ID, err)
		}
		weights[r.ID] = wt
		p.Cases = append(p.Cases, balance.Case{
			ID:       r.ID,
			Group:    r.Family,
			Owner:    r.Owner,
			Weight:   balance.HoursPerWeek(wt.Hours),
			Severity: float64(wt.Severity),
			Share:    balance.Shares(share),
			Skills:   r.Needs,
			Arrived:  r.Arrived,
			Assigned: r.Assigned,
		})
	}
	return p, weights, nil
}

// builtinTeam is the embed example's youth-protection team on Wednesday
// 4 March 2026, with the services each worker completed since 1 January.
// Its numbers are illustrative: a 36-hour FTE with 15% non-client time
// gives 30.6 h of casework, shared by 21 ongoing supervision orders, the
// norm of the Dutch youth-care collective agreement (CAO Jeugdzorg).
func builtinTeam() teamFile {
	asOf := civil.NewDate(2026, time.March, 4)
	const casework = 30.6
	f := teamFile{
		AsOf: asOf,
		Model: weight.Model{
			Name:    "youth protection (illustrative)",
			Version: "2026-1",
			Types: []weight.CaseType{
				{Name: "supervision", Hours: casework / 21, Severity: 1, Phases: []weight.Phase{
					{Name: "intake", Hours: 3},
					{Name: "first-year", Hours: casework / 16},
				}},
				{Name: "guardianship", Hours: casework / 28, Severity: 1},
			},
			Factors: []weight.Factor{
				{Name: "extra children", Kind: weight.PerUnit, On: weight.Count, Attribute: "children", Above: 1, Value: 0.6, Cap: 1.8},
				{Name: "aggression", Kind: weight.Additive, On: weight.Flag, Attribute: "aggression", Value: 0.5, Severity: 2},
				{Name: "court", Kind: weight.Multiplier, On: weight.Flag, Attribute: "court", Value: 1.3, Severity: 1},
				{Name: "interpreter", Kind: weight.Multiplier, On: weight.Flag, Attribute: "interpreter", Value: 1.2},
			},
		},
		CaseloadNorm: norm.CaseloadNorm{
			FullTime: 36,
			Types: []norm.CaseType{
				{Name: "supervision", PerFTE: 21},
				{Name: "supervision-first-year", PerFTE: 16},
				{Name: "guardianship", PerFTE: 28},
			},
			Reference: "supervision",
		},
		NormTypes: []normType{
			{Type: "supervision", Phase: "intake", Norm: "supervision-first-year"},
			{Type: "supervision", Phase: "first-year", Norm: "supervision-first-year"},
		},
		Workers: []workerRecord{
			{Contract: norm.Contract{Worker: "anouk", Hours: 36, SideDuties: []norm.SideDuty{{Name: "works council", Hours: 4}}}, Skills: []string{"court"}},
			{Contract: norm.Contract{Worker: "bram", Hours: 32}, Skills: []string{"court", "arabic"}},
			{Contract: norm.Contract{Worker: "chayenne", Hours: 36, Reductions: []norm.Reduction{
				{Reason: norm.ReasonSickness, Percent: 50, Period: civil.Period{From: asOf.AddDays(-16), To: asOf.AddDays(23)}}}},
				Skills: []string{"court"}},
			{Contract: norm.Contract{Worker: "daan", Hours: 36, Onboarding: norm.Onboarding{Start: civil.NewDate(2026, time.January, 5), StartShare: 0.5, Weeks: 26}},
				Skills: []string{"arabic"}},
			// Off sick since Monday last week, no end date known yet.
			{Contract: norm.Contract{Worker: "eline", Hours: 28, Reductions: []norm.Reduction{
				{Reason: norm.ReasonSickness, Percent: 100, Period: civil.Period{From: asOf.AddDays(-9)}}}},
				Skills: []string{"court"}},
		},
		MaxMoves: 2,
		// An illustrative Veilig Thuis norm of 36 services a year per
		// 36-hour FTE (3 a month), over 2026 with the Christmas week off.
		Production: &production{
			Norm: norm.ProductionNorm{PerFTE: 36, FullTime: 36},
			Calendar: norm.Calendar{
				Year:       civil.Period{From: civil.NewDate(2026, time.January, 1), To: civil.NewDate(2026, time.December, 31)},
				NonWorking: []civil.Period{{From: civil.NewDate(2026, time.December, 24), To: civil.NewDate(2026, time.December, 31)}},
			},
			Completed: []completedServices{
				{Worker: "anouk", Services: 6},
				{Worker: "bram", Services: 4},
				{Worker: "chayenne", Services: 3},
				{Worker: "daan", Services: 3},
				{Worker: "eline", Services: 4},
			},
		},
	}
	sup := func(phase string, flags map[string]bool, children int) weight.Attributes {
		return weight.Attributes{Type: "supervision", Phase: phase, Flags: flags, Counts: map[string]int{"children": children}}
	}
	court := map[string]bool{"court": true}
	// Ongoing supervision orders, one to three children each.
	n := 0
	for _, o := range []struct {
		worker string
		cases  int
	}{{"anouk", 11}, {"bram", 12}, {"chayenne", 5}, {"daan", 6}, {"eline", 3}} {
		for k := range o.cases {
			n++
			f.Cases = append(f.Cases, caseRecord{ID: fmt.Sprintf("2025-%04d", 100+7*n), Owner: o.worker, Attributes: sup("", nil, 1+(n+k)%3)})
		}
	}
	f.Cases = append(f.Cases, []caseRecord{
		{ID: "2026-0131", Family: "jansen", Owner: "anouk", Attributes: sup("", nil, 3)},
		{ID: "2026-0132", Family: "jansen", Owner: "anouk", Attributes: sup("", nil, 1)},
		{ID: "2026-0107", Owner: "anouk", Attributes: sup("first-year", court, 2), Needs: []string{"court"}},
		{ID: "2026-0088", Owner: "bram", Attributes: sup("first-year", map[string]bool{"court": true, "aggression": true}, 4), Needs: []string{"court"}},
		{ID: "2026-0091", Owner: "bram", Attributes: sup("", nil, 2)},
		{ID: "2026-0117", Owner: "bram", Attributes: sup("first-year", map[string]bool{"interpreter": true}, 1), Needs: []string{"arabic"}},
		{ID: "2026-0119", Owner: "bram", Attributes: weight.Attributes{Type: "guardianship"}},
		{ID: "2026-0075", Owner: "chayenne", Attributes: sup("", court, 1), Needs: []string{"court"}},
		{ID: "2026-0124", Owner: "daan", Attributes: sup("", map[string]bool{"interpreter": true}, 2), Needs: []string{"arabic"}},
		// The intake queue.
		{ID: "2026-0140", Attributes: sup("intake", court, 2), Needs: []string{"court"}, Arrived: asOf.AddDays(-2)},
		{ID: "2026-0141", Family: "el-idrissi", Attributes: sup("intake", map[string]bool{"interpreter": true}, 3), Needs: []string{"arabic"}, Arrived: asOf.AddDays(-8)},
		{ID: "2026-0142", Family: "jansen", Attributes: sup("intake", nil, 1), Arrived: asOf.AddDays(-1)},
	}...)
	return f
}

// builtinHistory is the built-in team's last five weekly snapshots, as a
// case system would have stored them: loads in hours per week from an
// illustrative table (bram has been above 110% for three weeks, daan
// fills up as his onboarding ramps), capacities from the contracts on
// each date, and the queue as it stood.
func builtinHistory(f teamFile) ([]balance.Snapshot, error) {
	loads := map[string][5]balance.HoursPerWeek{ // oldest first
		"anouk":    {27.5, 28.0, 28.4, 29.0, 29.4},
		"bram":     {32.6, 33.9, 35.4, 35.6, 35.6},
		"chayenne": {12.2, 12.2, 12.2, 12.2, 12.2},
		"daan":     {9.0, 10.5, 12.0, 13.4, 14.8},
		"eline":    {6.2, 6.2, 6.2, 6.2, 6.2},
	}
	cases := map[string]int{}
	for _, c := range f.Cases {
		if c.Owner != "" {
			cases[c.Owner]++
		}
	}
	var h []balance.Snapshot
	for i := range 5 {
		s := balance.Snapshot{Date: f.AsOf.AddDays(-7 * (5 - i))}
		for _, r := range f.Workers {
			c := r.Contract
			b, err := norm.Capacity(c, s.Date)
			if err != nil {
				return nil, err
			}
			load, capacity := loads[c.Worker][i], balance.HoursPerWeek(b.Available)
			// Case counts follow the load: about one case per 2.2 h/wk.
			n := min(cases[c.Worker], int(float64(load)/2.2+0.5))
			s.Workers = append(s.Workers, balance.WorkerSnapshot{
				Worker: c.Worker, Load: load, Capacity: capacity,
				Cases: n, Shares: balance.Shares(n), Band: band(float64(load), float64(capacity), nil),
			})
		}
		for _, c := range f.Cases {
			if c.Owner == "" && c.Arrived.Before(s.Date) {
				s.Waiting = append(s.Waiting, balance.WaitingCase{Case: c.ID, Arrived: c.Arrived})
			}
		}
		h = append(h, s)
	}
	return h, nil
}

// band returns the utilization band of load against capacity, as package
// balance counts it: the number of bounds the utilization exceeds, or -1
// for no capacity. Nil bounds mean 0.9, 1.0 and 1.1.
func band(load, capacity float64, bounds []float64) int {
	if capacity == 0 {
		return -1
	}
	if bounds == nil {
		bounds = []float64{0.9, 1.0, 1.1}
	}
	b := 0
	for _, x := range bounds {
		if load/capacity > x {
			b++
		}
	}
	return b
}
