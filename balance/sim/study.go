package sim

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/caseload/caseload/weight"
)

// StudyOptions tune [Study]. A nil *StudyOptions means the zero value.
type StudyOptions struct {
	// Replications is the number of independent worlds each policy runs
	// in. Zero means 30.
	Replications int
	// Parallel is the number of goroutines, each running whole
	// replications. Zero means runtime.GOMAXPROCS(0). Results do not
	// depend on it.
	Parallel int
	// KeepWorkers keeps each worker's row in every WeekResult. False
	// leaves them out, to save memory in large studies.
	KeepWorkers bool
	// Progress, if not nil, is called after each replication with the
	// number done and the total, from one goroutine at a time.
	Progress func(done, total int)
}

// A StudyResult holds every run of a study.
type StudyResult struct {
	// Policies names the policies, in the order given to Study.
	Policies []string
	// Runs holds the runs by policy, then by replication.
	Runs [][]*Result
}

// Study runs every policy on replications 0, 1, … of cfg. Each
// replication draws its world once (arrivals, attributes, durations,
// absences, declines: common random numbers) and runs every policy on
// it, so that differences between policies come from the policies alone.
// Replications run in parallel; the results are the same, bit for bit,
// whatever the number of goroutines and their scheduling.
//
// It returns an error for an invalid cfg, duplicate policy names, and the
// first error of any run, by replication; when ctx is done it stops and
// returns ctx's error. Its time is linear in the replications, the
// policies and the weeks.
func Study(ctx context.Context, cfg Config, policies []Policy, opts *StudyOptions) (*StudyResult, error) {
	var o StudyOptions
	if opts != nil {
		o = *opts
	}
	if o.Replications == 0 {
		o.Replications = 30
	}
	if o.Replications < 0 {
		return nil, fmt.Errorf("%w: replications %d", ErrConfig, o.Replications)
	}
	if o.Parallel <= 0 {
		o.Parallel = runtime.GOMAXPROCS(0)
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	sr := &StudyResult{Runs: make([][]*Result, len(policies))}
	seen := map[string]bool{}
	for i, p := range policies {
		name := p.Name()
		if seen[name] {
			return nil, fmt.Errorf("%w: two policies named %q", ErrConfig, name)
		}
		seen[name] = true
		sr.Policies = append(sr.Policies, name)
		sr.Runs[i] = make([]*Result, o.Replications)
	}
	m, err := weight.Compile(cfg.Model, &weight.Options{IgnoreUnknown: true})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, o.Replications)
	reps := make(chan int)
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for range min(o.Parallel, o.Replications) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rep := range reps {
				errs[rep] = replicate(ctx, &cfg, m, policies, rep, o.KeepWorkers, sr)
				if errs[rep] != nil {
					cancel()
				}
				if o.Progress != nil {
					mu.Lock()
					done++
					o.Progress(done, o.Replications)
					mu.Unlock()
				}
			}
		}()
	}
feed:
	for rep := range o.Replications {
		select {
		case reps <- rep:
		case <-ctx.Done():
			break feed
		}
	}
	close(reps)
	wg.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return sr, nil
}

// replicate draws replication rep and runs every policy on it.
func replicate(ctx context.Context, cfg *Config, m *weight.Compiled, policies []Policy, rep int, keep bool, sr *StudyResult) error {
	s, err := newScenario(cfg, m, rep)
	if err != nil {
		return err
	}
	for i, p := range policies {
		r, err := s.run(ctx, p, keep)
		if err != nil {
			return err
		}
		sr.Runs[i][rep] = r
	}
	return nil
}

// Values returns metric m of every replication of the named policy, and
// false if the study has no such policy.
func (sr *StudyResult) Values(policy string, m Metric) ([]float64, bool) {
	for i, name := range sr.Policies {
		if name == policy {
			out := make([]float64, len(sr.Runs[i]))
			for r, run := range sr.Runs[i] {
				out[r] = m.Of(run.Summary)
			}
			return out, true
		}
	}
	return nil, false
}

// Estimate returns the mean of metric m for the named policy over the
// replications, with its 95% confidence interval, and false if the
// study has no such policy.
func (sr *StudyResult) Estimate(policy string, m Metric) (Estimate, bool) {
	xs, ok := sr.Values(policy, m)
	if !ok {
		return Estimate{}, false
	}
	return Estimate95(xs), true
}

// Compare compares policies a and b on metric m, pairing their runs
// replication by replication (see [Paired]). It returns false if the
// study lacks either policy.
func (sr *StudyResult) Compare(a, b string, m Metric) (Paired, bool) {
	xs, ok1 := sr.Values(a, m)
	ys, ok2 := sr.Values(b, m)
	if !ok1 || !ok2 {
		return Paired{}, false
	}
	return Pair(a, b, m.Name, xs, ys), true
}
