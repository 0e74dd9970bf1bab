// Command embed shows a developer how to embed caseload in an existing
// case system. The system exports its workers' contracts and its cases'
// attributes; the program weighs each case with package weight, turns
// each contract into a capacity and a caseload norm with package norm,
// copies the numbers into a balance.Problem, and asks package balance
// who should take each case in the intake queue, how uneven the team
// is, and which few moves would even it out.
//
// Run it with:
//
//	go run ./examples/embed
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"strings"
	"time"

	"github.com/caseload/caseload/civil"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/norm"
	"github.com/caseload/caseload/weight"
)

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// The meeting is on Wednesday 4 March 2026. Each package has its own
// civil.Date type, so that none imports another; the program converts.
var (
	year, month, day = 2026, time.March, 4
	asOf             = civil.NewDate(year, month, day)
)

// model is the team's weight model. Its numbers are illustrative: a
// 36-hour FTE with 15% non-client time gives 30.6 h of casework, shared
// by 21 ongoing supervision orders (CAO Jeugdzorg, research/domain.md).
func model() weight.Model {
	const casework = 30.6
	return weight.Model{
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
	}
}

// contracts are the workers as the HR system knows them.
func contracts() []norm.Contract {
	d := func(m time.Month, day int) civil.Date { return civil.NewDate(year, m, day) }
	return []norm.Contract{
		{Worker: "anouk", Hours: 36, SideDuties: []norm.SideDuty{{Name: "works council", Hours: 4}}},
		{Worker: "bram", Hours: 32},
		{Worker: "chayenne", Hours: 36, Reductions: []norm.Reduction{
			{Reason: norm.ReasonSickness, Percent: 50, Period: civil.Period{From: d(time.February, 16), To: d(time.March, 27)}}}},
		{Worker: "daan", Hours: 36, Onboarding: norm.Onboarding{Start: d(time.January, 5), StartShare: 0.5, Weeks: 26}},
	}
}

// skills are what the case system records of each worker.
var skills = map[string][]string{
	"anouk":    {"court"},
	"bram":     {"court", "arabic"},
	"chayenne": {"court"},
	"daan":     {"arabic"},
}

// record is a case as the case system exports it.
type record struct {
	id, family, owner string
	attrs             weight.Attributes
	needs             string
}

func exportCases() []record {
	sup := func(phase string, flags map[string]bool, children int) weight.Attributes {
		return weight.Attributes{Type: "supervision", Phase: phase, Flags: flags, Counts: map[string]int{"children": children}}
	}
	court := map[string]bool{"court": true}
	// Ongoing supervision orders, one to three children each.
	var rs []record
	n := 0
	for _, o := range []struct {
		worker string
		cases  int
	}{{"anouk", 11}, {"bram", 12}, {"chayenne", 5}, {"daan", 6}} {
		for k := range o.cases {
			n++
			rs = append(rs, record{fmt.Sprintf("2025-%04d", 100+7*n), "", o.worker, sup("", nil, 1+(n+k)%3), ""})
		}
	}
	return append(rs, []record{
		{"2026-0131", "jansen", "anouk", sup("", nil, 3), ""},
		{"2026-0132", "jansen", "anouk", sup("", nil, 1), ""},
		{"2026-0107", "", "anouk", sup("first-year", court, 2), "court"},
		{"2026-0088", "", "bram", sup("first-year", map[string]bool{"court": true, "aggression": true}, 4), "court"},
		{"2026-0091", "", "bram", sup("", nil, 2), ""},
		{"2026-0117", "", "bram", sup("first-year", map[string]bool{"interpreter": true}, 1), "arabic"},
		{"2026-0119", "", "bram", weight.Attributes{Type: "guardianship"}, ""},
		{"2026-0075", "", "chayenne", sup("", court, 1), "court"},
		{"2026-0124", "", "daan", sup("", map[string]bool{"interpreter": true}, 2), "arabic"},
		// The intake queue.
		{"2026-0140", "", "", sup("intake", court, 2), "court"},
		{"2026-0141", "el-idrissi", "", sup("intake", map[string]bool{"interpreter": true}, 3), "arabic"},
		{"2026-0142", "jansen", "", sup("intake", nil, 1), ""},
	}...)
}

// caseloadNorm is the collective agreement's norm per 36-hour FTE.
var caseloadNorm = norm.CaseloadNorm{
	FullTime:  36,
	Types:     []norm.CaseType{{Name: "supervision", PerFTE: 21}, {Name: "supervision-first-year", PerFTE: 16}, {Name: "guardianship", PerFTE: 28}},
	Reference: "supervision",
}

func run(w io.Writer) error {
	today := civil.NewDate(year, month, day)

	// Workers: capacity and caseload norm from the contracts.
	p := balance.Problem{AsOf: asOf}
	fmt.Fprintf(w, "Team on %s\n", asOf)
	for _, c := range contracts() {
		capacity, err := norm.Capacity(c, today)
		if err != nil {
			return err
		}
		limit, err := norm.CaseloadLimit(caseloadNorm, c, today)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %-9s %v for casework of %v contract, caseload norm %v\n",
			c.Worker, capacity.Available, c.Hours, float64(limit.Shares))
		p.Workers = append(p.Workers, balance.Worker{
			ID:           c.Worker,
			Capacity:     balance.HoursPerWeek(capacity.Available),
			Skills:       skills[c.Worker],
			CaseloadNorm: balance.CaseloadNorm(balance.Shares(limit.Shares)),
		})
	}

	// Cases: weights from the model, shares from the caseload norm.
	m, err := weight.Compile(model(), nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nIntake queue\n")
	for _, r := range exportCases() {
		wt, err := m.Weigh(r.attrs)
		if err != nil {
			return fmt.Errorf("case %s: %w", r.id, err)
		}
		normType := r.attrs.Type
		if r.attrs.Phase == "first-year" || r.attrs.Phase == "intake" {
			normType += "-first-year"
		}
		share, err := caseloadNorm.Share(normType)
		if err != nil {
			return err
		}
		c := balance.Case{ID: r.id, Group: r.family, Owner: r.owner, Weight: balance.HoursPerWeek(wt.Hours), Share: balance.Shares(share)}
		if r.needs != "" {
			c.Skills = []string{r.needs}
		}
		p.Cases = append(p.Cases, c)
		if r.owner == "" {
			var parts []string
			for _, b := range wt.Breakdown {
				parts = append(parts, b.String())
			}
			fmt.Fprintf(w, "  %s weighs %v: %s\n", r.id, wt.Hours, strings.Join(parts, "; "))
		}
	}

	// Intake ranking for every queued case, against one prepared team.
	team, err := balance.Prepare(p, nil)
	if err != nil {
		return err
	}
	for _, c := range p.Cases {
		if c.Owner != "" {
			continue
		}
		r, err := team.Rank(c)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\nWho takes %s (%v)?\n", c.ID, c.Weight)
		for _, cd := range r.Candidates {
			var why []string
			for _, rs := range cd.Reasons {
				why = append(why, rs.Message)
			}
			place := "  out"
			if cd.Eligible {
				place = fmt.Sprintf("%5d", cd.Rank)
			}
			fmt.Fprintf(w, "%s  %-9s %v → %v  %s\n", place, cd.Worker, cd.Load, cd.LoadAfter, strings.Join(why, "; "))
		}
	}

	// The team's imbalance now, and a proposal with at most two moves.
	pr, err := balance.Propose(context.Background(), p, &balance.RebalanceOptions{MaxMoves: 2})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nProposal (at most 2 voluntary moves)\n")
	for _, mv := range pr.Moves {
		var why []string
		for _, rs := range mv.Reasons {
			why = append(why, rs.Message)
		}
		from := mv.From
		if from == "" {
			from = "queue"
		}
		fmt.Fprintf(w, "  step %d  %-7s %s  %s → %s: %s\n", mv.Step, mv.Kind, mv.Case, from, mv.To, strings.Join(why, "; "))
	}
	fmt.Fprintf(w, "\nTeam imbalance, before → after\n")
	for i, wl := range pr.After.Workers {
		b := pr.Before.Workers[i]
		fmt.Fprintf(w, "  %-9s %4.0f%% → %4.0f%%  (%d → %d cases)\n", wl.Worker, 100*b.Utilization, 100*wl.Utilization, b.Cases, wl.Cases)
	}
	ub, ua := pr.Before.Utilization, pr.After.Utilization
	fmt.Fprintf(w, "  max utilization %.0f%% → %.0f%%, Gini %.3f → %.3f; no plan can go below %.0f%%\n",
		100*ub.Max, 100*ua.Max, ub.Gini, ua.Gini, 100*pr.Bound)
	fmt.Fprintf(w, "  waiting: %d → %d cases\n", pr.Before.Unassigned, pr.After.Unassigned)
	return nil
}
