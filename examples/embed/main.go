// Command embed shows a developer how to embed caseload in an existing
// case system. The system exports its workers' contracts (leave and
// sickness included) and its cases' attributes; the program weighs each
// case with package weight, turns each contract into a capacity, a
// caseload norm and its absences with package norm, copies the numbers
// into a balance.Problem, and asks package balance who should take each
// case in the intake queue, how uneven the team is, and which few moves
// would even it out.
//
// Run it with:
//
//	go run ./examples/embed                  # the built-in team, as text
//	go run ./examples/embed -json            # the same, as JSON for a calling system
//	go run ./examples/embed team.json        # a team exported by a case system
//	go run ./examples/embed -write-team      # print the built-in team as a team file
//
// A team file is JSON: the meeting's date, the weight model, the caseload
// norm, the workers' contracts and skills, and the cases' attributes
// (see testdata/team.json). Bad input is reported in one line, with exit
// status 1.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log"
	"os"
	"strings"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/signal"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("embed: ")
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		log.Fatal(oneLine(err))
	}
}

// oneLine puts every fault of err on one line: validation reports all
// faults at once, one per line.
func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", "; ")
}

// run reads the flags and the optional team file in args, and writes the
// report to w.
func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("embed", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "write the report as JSON")
	writeTeam := fs.Bool("write-team", false, "write the built-in team as a team file and stop")
	if err := fs.Parse(args); err != nil {
		return err
	}
	team := builtinTeam()
	switch fs.NArg() {
	case 0:
	case 1:
		var err error
		if team, err = readTeam(fs.Arg(0)); err != nil {
			return err
		}
	default:
		return errors.New("at most one team file, please")
	}
	if *writeTeam {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(team)
	}
	r, err := newReport(team)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	r.print(w)
	return nil
}

// A report is what the program tells the team, in the library's own
// types, so that a calling system can decode the JSON back into them.
type report struct {
	Team     []workerReport     `json:"team"`
	Rankings []*balance.Ranking `json:"rankings"`
	Proposal *balance.Proposal  `json:"proposal"`
	MaxMoves int                `json:"max_moves"`
	Signals  []signal.Signal    `json:"signals"`
	weights  map[string]weightReport
}

// A workerReport is one worker's contract as the meeting sees it.
type workerReport struct {
	Worker       string               `json:"worker"`
	Contract     balance.HoursPerWeek `json:"contract"`
	Capacity     balance.HoursPerWeek `json:"capacity"`
	CaseloadNorm balance.Shares       `json:"caseload_norm"`
	Absent       bool                 `json:"absent,omitempty"`
}

// A weightReport explains a queued case's weight.
type weightReport struct {
	Hours     balance.HoursPerWeek
	Breakdown []string
}

// newReport weighs, measures and asks balance.
func newReport(team teamFile) (*report, error) {
	p, infos, weights, err := team.problem()
	if err != nil {
		return nil, err
	}
	r := &report{MaxMoves: team.MaxMoves, weights: map[string]weightReport{}}
	for i, in := range infos {
		r.Team = append(r.Team, workerReport{
			Worker:       in.ID,
			Contract:     balance.HoursPerWeek(in.Contract),
			Capacity:     p.Workers[i].Capacity,
			CaseloadNorm: *p.Workers[i].CaseloadNorm,
			Absent:       team.Workers[i].Contract.AbsentOn(p.AsOf),
		})
	}
	// One prepared team answers every ranking of the weekly meeting.
	t, err := balance.Prepare(p, nil)
	if err != nil {
		return nil, err
	}
	for _, c := range p.Cases {
		if c.Owner != "" {
			continue
		}
		wt := weights[c.ID]
		var parts []string
		for _, b := range wt.Breakdown {
			parts = append(parts, b.String())
		}
		r.weights[c.ID] = weightReport{Hours: c.Weight, Breakdown: parts}
		rk, err := t.Rank(c)
		if err != nil {
			return nil, err
		}
		r.Rankings = append(r.Rankings, rk)
	}
	r.Proposal, err = t.Propose(context.Background(), &balance.RebalanceOptions{MaxMoves: team.MaxMoves})
	if err != nil {
		return nil, err
	}
	// This week's signals. A case system would pass the snapshots it
	// stored in earlier weeks (t.Snapshot()) for trends and persistence.
	r.Signals, err = t.Signals(nil, nil)
	if err != nil {
		return nil, err
	}
	return r, nil
}
