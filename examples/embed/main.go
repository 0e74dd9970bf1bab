// Command embed shows a developer how to embed caseload in an existing
// case system: copy the team and its cases out of the system into a
// balance.Problem, rank the workers for each case in the intake queue,
// and show the team's imbalance.
//
// Run it with:
//
//	go run ./examples/embed
package main

import (
	"fmt"
	"io"
	"log"
	"os"
	"strings"

	"github.com/caseload/caseload/balance"
)

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// record is a row as an existing case system might export it.
type record struct {
	id, family, owner string
	hours             float64
	needs             string
}

// exportTeam stands in for the case system's export of a youth
// protection team on Wednesday 4 March 2026. The numbers are
// illustrative.
func exportTeam() balance.Problem {
	asOf := balance.NewDate(2026, 3, 4)
	rows := []record{
		{"2026-0131", "jansen", "anouk", 6, ""},
		{"2026-0132", "jansen", "anouk", 3, ""},
		{"2026-0107", "", "anouk", 11.5, "court"},
		{"2026-0088", "", "bram", 9, ""},
		{"2026-0091", "", "bram", 8, ""},
		{"2026-0117", "", "bram", 4, ""},
		{"2026-0075", "", "chayenne", 12, "court"},
		{"2026-0124", "", "daan", 11, "arabic"},
		{"2026-0129", "", "daan", 7.5, ""},
		{"2026-0140", "", "", 6.5, "court"},
		{"2026-0141", "el-idrissi", "", 4, "arabic"},
		{"2026-0142", "jansen", "", 2, ""},
	}
	p := balance.Problem{
		AsOf: asOf,
		Workers: []balance.Worker{
			{ID: "anouk", Capacity: 28.8, Skills: []string{"court"}},
			{ID: "bram", Capacity: 32, CaseloadNorm: balance.Limit(4)},
			{ID: "chayenne", Capacity: 20, Skills: []string{"court"},
				Absences: []balance.Period{{From: asOf.AddDays(2), To: asOf.AddDays(16)}}},
			{ID: "daan", Capacity: 32, Skills: []string{"court", "arabic"}},
		},
	}
	for _, r := range rows {
		c := balance.Case{ID: r.id, Group: r.family, Owner: r.owner, Weight: balance.HoursPerWeek(r.hours)}
		if r.needs != "" {
			c.Skills = []string{r.needs}
		}
		p.Cases = append(p.Cases, c)
	}
	return p
}

func run(w io.Writer) error {
	p := exportTeam()
	team, err := balance.Prepare(p, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Intake meeting, %s\n", p.AsOf)
	for _, c := range p.Cases {
		if c.Owner != "" {
			continue
		}
		r, err := team.Rank(c)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\ncase %s (%v):\n", c.ID, c.Weight)
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

	im := team.Score()
	fmt.Fprintf(w, "\nTeam imbalance:\n")
	for _, wl := range im.Workers {
		fmt.Fprintf(w, "  %-9s %v of %v  %4.0f%%  %d cases\n", wl.Worker, wl.Load, wl.Capacity, 100*wl.Utilization, wl.Cases)
	}
	u, c := im.Utilization, im.Counts
	fmt.Fprintf(w, "  weighted load: max %.0f%%, min %.0f%%, Gini %.3f, Jain %.3f\n", 100*u.Max, 100*u.Min, u.Gini, u.Jain)
	fmt.Fprintf(w, "  case counts:   max %.0f%%, min %.0f%% of fair share, Gini %.3f, Jain %.3f\n", 100*c.Max, 100*c.Min, c.Gini, c.Jain)
	fmt.Fprintf(w, "  waiting: %d cases, %v\n", im.Unassigned, im.UnassignedLoad)
	return nil
}
