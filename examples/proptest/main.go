// Command proptest shows how another project tests its own adapter
// around package balance with package balancetest.
//
// The project is an office's case system. It keeps its own records,
// caseworkers and files, and a small adapter (adapter.go) turns them
// into a balance.Problem and asks balance.Propose for a suggestion. The
// project's tests (main_test.go) hold the adapter to two kinds of
// property over thousands of generated offices: balance's own
// invariants, checked by balancetest.Verify, and the office's rules,
// stated on its own records.
//
// The program itself shows the other use of the checkers: outside
// tests. It prints the suggestion for a built-in office, and then
// checks the adapter's suggestions for seeded offices with
// balancetest.CheckProposal, as a service might before it shows one.
//
// Run it with:
//
//	go run ./examples/proptest
//	go run ./examples/proptest -seeds 50 -budget 5
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strings"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/caseload/caseload/civil"
)

func main() {
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		log.Fatal(err)
	}
}

// run prints the suggestion for the built-in office and checks the
// suggestions for seeded offices. args are the command-line arguments,
// without the program's name.
func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("proptest", flag.ContinueOnError)
	fs.SetOutput(w)
	seeds := fs.Int("seeds", 5, "how many seeded offices to check")
	budget := fs.Int("budget", 2, "the most files a suggestion moves (negative: no limit)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("proptest: unexpected argument %q", fs.Arg(0))
	}
	ctx := context.Background()

	o := builtinOffice()
	pr, err := suggest(ctx, o, *budget)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Suggestion for the office on %v, moving at most %d files\n", o.Date, *budget)
	printSuggestion(w, pr)
	fmt.Fprintf(w, "balancetest.CheckProposal: %v\n\n", verdict(balancetest.CheckProposal(problem(o), options(*budget), pr)))

	// Seeded offices, made from balancetest's seeded problems: the same
	// seeds give the same offices on every run.
	size := balancetest.Size{Workers: 6, Cases: 40, Assigned: true, AwayShare: 0.1, NormShare: 0.3, ZeroCapacityShare: 0.1, OrphanShare: 0.05}
	var failed int
	for seed := range uint64(*seeds) {
		o := officeFrom(balancetest.Generate(seed, size))
		pr, err := suggest(ctx, o, *budget)
		if err != nil {
			return fmt.Errorf("proptest: seed %d: %w", seed, err)
		}
		if err := balancetest.CheckProposal(problem(o), options(*budget), pr); err != nil {
			failed++
			fmt.Fprintf(w, "seed %d: %v\n", seed, err)
		}
	}
	fmt.Fprintf(w, "%d seeded offices of %d caseworkers and %d files: %d suggestions break an invariant\n",
		*seeds, size.Workers, size.Cases, failed)
	if failed > 0 {
		return errors.New("proptest: some suggestions break balance's invariants")
	}
	return nil
}

// verdict says "ok" for no error, and the error otherwise.
func verdict(err error) string {
	if err == nil {
		return "ok"
	}
	return err.Error()
}

// printSuggestion prints the moves of a suggestion and how full the
// fullest caseworker ends.
func printSuggestion(w io.Writer, pr *balance.Proposal) {
	for _, m := range pr.Moves {
		switch m.Kind {
		case balance.KindMove:
			fmt.Fprintf(w, "  step %d: file %s from %s to %s\n", m.Step, m.Case, m.From, m.To)
		default:
			fmt.Fprintf(w, "  file %s to %s (%s)\n", m.Case, m.To, m.Kind)
		}
	}
	for _, u := range pr.Unplaceable {
		var why []string
		for _, r := range u.Reasons {
			why = append(why, r.Message)
		}
		fmt.Fprintf(w, "  file %s waits: %s\n", u.Case, strings.Join(why, "; "))
	}
	fmt.Fprintf(w, "  fullest caseworker at %.0f%%, from %.0f%%; no suggestion gets below %.0f%%\n",
		100*pr.MaxUtilization, 100*pr.Before.Utilization.Max, 100*pr.Bound)
}

// builtinOffice is a small office on Wednesday 4 March 2026.
func builtinOffice() Office {
	return Office{
		Date: civil.NewDate(2026, 3, 4),
		Staff: []Caseworker{
			{Login: "anouk", Hours: 32, Languages: []string{"arabic"}},
			{Login: "bram", Hours: 24, MaxFiles: 4},
			{Login: "chayenne", Hours: 32, Languages: []string{"turkish"}},
			{Login: "daan", Hours: 16, Away: true},
		},
		Files: []File{
			{Number: "2026-001", Hours: 9, Handler: "anouk", Language: "arabic"},
			{Number: "2026-002", Hours: 8, Handler: "anouk"},
			{Number: "2026-003", Hours: 7.5, Handler: "anouk", Household: "jansen"},
			{Number: "2026-004", Hours: 4, Handler: "anouk", Household: "jansen"},
			{Number: "2026-005", Hours: 6, Handler: "bram", Locked: true},
			{Number: "2026-006", Hours: 3, Handler: "bram"},
			{Number: "2026-007", Hours: 5, Handler: "chayenne", Language: "turkish"},
			{Number: "2026-008", Hours: 6, Handler: "daan"},
			{Number: "2026-009", Hours: 4.5},
			{Number: "2026-010", Hours: 2, Household: "jansen"},
			{Number: "2026-011", Hours: 3, Language: "polish"},
		},
	}
}
