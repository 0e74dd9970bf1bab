// Command simulate is a runnable study for a researcher comparing
// distribution policies: it simulates a team week by week under each
// policy (package balance/sim), on the same drawn world for every policy,
// over several replications, and prints a comparison table with 95%
// confidence intervals and paired differences against round robin. It
// writes per-week CSV files and PNG charts to a directory.
//
// Run it with:
//
//	go run ./examples/simulate                                  # the default team, 5 replications
//	go run ./examples/simulate -replications 30 -out study      # a fuller study
//	go run ./examples/simulate -policies round-robin,ranking+propose-10
//	go run ./examples/simulate -write-config > team.json        # the default study as JSON
//	go run ./examples/simulate -config team.json -seed 7        # a study of your own
//
// Policies are named round-robin, fewest-cases, least-load, ranking,
// ranking+propose-N and counts-propose-N, where N is the move budget
// ("all" for none). The files written are weeks.csv (one row per policy,
// replication and week), workers.csv (per worker), summary.csv (per run),
// and max-utilization.png, utilization-spread.png and queue.png. A study
// that takes longer than a second reports its progress on stderr.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/caseload/caseload/balance/sim"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("simulate: ")
	if err := run(os.Stdout, os.Args[1:]); err != nil {
		log.Fatal(err)
	}
}

// run reads the flags in args, runs the study and writes the table to w.
func run(w io.Writer, args []string) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	seed := fs.Uint64("seed", 1, "seed of every random draw")
	weeks := fs.Int("weeks", 52, "weeks to simulate")
	reps := fs.Int("replications", 5, "replications per policy")
	policies := fs.String("policies", "", "comma-separated policies (default: the six built in)")
	config := fs.String("config", "", "JSON configuration file (default: the built-in team)")
	out := fs.String("out", "simulate-out", "directory for CSV files and charts")
	writeConfig := fs.Bool("write-config", false, "write the configuration as JSON and stop")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	cfg := sim.DefaultConfig()
	if *config != "" {
		b, err := os.ReadFile(*config)
		if err != nil {
			return err
		}
		cfg = sim.Config{}
		if err := json.Unmarshal(b, &cfg); err != nil {
			return fmt.Errorf("%s: %w", *config, err)
		}
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if set["seed"] || *config == "" {
		cfg.Seed = *seed
	}
	if set["weeks"] || *config == "" {
		cfg.Weeks = *weeks
	}
	if *writeConfig {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(cfg)
	}
	ps := sim.Policies()
	if *policies != "" {
		var err error
		if ps, err = parsePolicies(*policies); err != nil {
			return err
		}
	}
	start := time.Now()
	progress := func(done, total int) {
		if time.Since(start) > time.Second {
			fmt.Fprintf(os.Stderr, "\rsimulate: replication %d of %d, %.0f s", done, total, time.Since(start).Seconds())
			if done == total {
				fmt.Fprintln(os.Stderr)
			}
		}
	}
	sr, err := sim.Study(context.Background(), cfg, ps, &sim.StudyOptions{Replications: *reps, KeepWorkers: true, Progress: progress})
	if err != nil {
		return err
	}
	if err := writeTable(w, cfg, sr); err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	files, err := writeFiles(*out, sr)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nwrote %s\n", strings.Join(files, ", "))
	fmt.Fprintf(w, "in %s\n", filepath.ToSlash(*out))
	return nil
}

// parsePolicies reads a comma-separated list of policy names.
func parsePolicies(s string) ([]sim.Policy, error) {
	var out []sim.Policy
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		budget := func(prefix string) (int, error) {
			n := strings.TrimPrefix(name, prefix)
			if n == "all" {
				return -1, nil
			}
			k, err := strconv.Atoi(n)
			if err != nil || k < 0 {
				return 0, fmt.Errorf("policy %q: want a move budget such as %s2 or %sall", name, prefix, prefix)
			}
			return k, nil
		}
		switch {
		case name == "round-robin":
			out = append(out, sim.RoundRobin())
		case name == "fewest-cases":
			out = append(out, sim.FewestCases())
		case name == "least-load":
			out = append(out, sim.LeastLoad())
		case name == "ranking":
			out = append(out, sim.Ranking())
		case strings.HasPrefix(name, "ranking+propose-"):
			k, err := budget("ranking+propose-")
			if err != nil {
				return nil, err
			}
			out = append(out, sim.RankingPropose(k))
		case strings.HasPrefix(name, "counts-propose-"):
			k, err := budget("counts-propose-")
			if err != nil {
				return nil, err
			}
			out = append(out, sim.CountsPropose(k))
		default:
			return nil, errors.New("unknown policy " + strconv.Quote(name) +
				": want round-robin, fewest-cases, least-load, ranking, ranking+propose-N or counts-propose-N")
		}
	}
	return out, nil
}

// writeTable prints the comparison: each metric's mean ± the half-width
// of its 95% confidence interval, per policy, and the paired difference
// of each policy against the first on the 95th percentile of the
// maximum utilization.
func writeTable(w io.Writer, cfg sim.Config, sr *sim.StudyResult) error {
	n := len(sr.Runs[0])
	weeks := cfg.Weeks
	if weeks == 0 {
		weeks = 52
	}
	fmt.Fprintf(w, "seed %d, %d weeks, %d replications, %d workers on the roster; mean ± 95%% CI half-width\n\n", cfg.Seed, weeks, n, len(cfg.Workers))
	ms := sim.Metrics()
	width := 0
	for _, p := range sr.Policies {
		width = max(width, len(p))
	}
	fmt.Fprintf(w, "%-*s", width, "policy")
	for _, m := range ms {
		fmt.Fprintf(w, "  %15s", m.Name)
	}
	fmt.Fprintln(w)
	for _, p := range sr.Policies {
		fmt.Fprintf(w, "%-*s", width, p)
		for _, m := range ms {
			e, _ := sr.Estimate(p, m)
			fmt.Fprintf(w, "  %15s", cell(e.Mean*m.Scale, e.HalfWidth*m.Scale))
		}
		fmt.Fprintln(w)
	}
	p95 := ms[1]
	base := sr.Policies[0]
	fmt.Fprintf(w, "\npaired against %s, %s (%s): difference, 95%% CI, p\n", base, p95.Name, p95.Unit)
	for _, p := range sr.Policies[1:] {
		c, _ := sr.Compare(p, base, p95)
		fmt.Fprintf(w, "%-*s  %+7.1f  [%+7.1f, %+7.1f]  p=%.3g\n", width, p, c.Diff.Mean*p95.Scale,
			(c.Diff.Mean-c.Diff.HalfWidth)*p95.Scale, (c.Diff.Mean+c.Diff.HalfWidth)*p95.Scale, c.P)
	}
	return nil
}

// cell formats a mean and a half-width with one decimal.
func cell(mean, half float64) string {
	return strconv.FormatFloat(mean, 'f', 1, 64) + " ± " + strconv.FormatFloat(half, 'f', 1, 64)
}

// writeFiles writes the CSV files and the charts into dir and returns
// their names.
func writeFiles(dir string, sr *sim.StudyResult) ([]string, error) {
	all := sr.All()
	var names []string
	for _, f := range []struct {
		name  string
		write func(io.Writer, []*sim.Result) error
	}{
		{"weeks.csv", sim.WriteWeeksCSV},
		{"workers.csv", sim.WriteWorkersCSV},
		{"summary.csv", sim.WriteSummaryCSV},
	} {
		if err := writeFile(filepath.Join(dir, f.name), func(w io.Writer) error { return f.write(w, all) }); err != nil {
			return nil, err
		}
		names = append(names, f.name)
	}
	charts, err := drawCharts(dir, sr)
	if err != nil {
		return nil, err
	}
	return append(names, charts...), nil
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
