package balance

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/caseload/caseload/civil"
)

// A Snapshot is the team as it stood on a date, small enough for a case
// system to store one a week for years: per worker their load, capacity,
// cases, shares and band, and the cases waiting for a worker with the
// dates they arrived. A slice of snapshots, oldest first, is the history
// that [Team.Signals] reads trends and persistence from; the library
// stores nothing.
type Snapshot struct {
	// Date is the day the snapshot describes; it must be set.
	Date civil.Date `json:"date"`
	// Workers are the team's workers, by ID.
	Workers []WorkerSnapshot `json:"workers"`
	// Waiting are the cases without a worker, by ID.
	Waiting []WaitingCase `json:"waiting,omitempty"`
}

// A WorkerSnapshot is one worker in a [Snapshot].
type WorkerSnapshot struct {
	// Worker is the worker's ID.
	Worker string `json:"worker"`
	// Load is the weight of the worker's cases; Capacity their capacity
	// for casework, both in hours per week.
	Load     HoursPerWeek `json:"load"`
	Capacity HoursPerWeek `json:"capacity"`
	// Cases counts the worker's cases; Shares counts them as shares of a
	// caseload norm.
	Cases  int    `json:"cases"`
	Shares Shares `json:"shares"`
	// Band is the utilization band (see [Options.Bands]); -1 for a worker
	// with zero capacity.
	Band int `json:"band"`
}

// Utilization returns Load / Capacity as a fraction (1 is full), or 0
// for a worker with zero capacity.
func (w WorkerSnapshot) Utilization() float64 {
	return utilization(toMicro(float64(w.Load)), w.Capacity)
}

// A WaitingCase is a case without a worker in a [Snapshot].
type WaitingCase struct {
	// Case is the case's ID.
	Case string `json:"case"`
	// Arrived is the day the case came in; the zero Date means unknown.
	Arrived civil.Date `json:"arrived,omitzero"`
}

// Snapshot returns the team as it stands. It takes O(n + m log m) time
// for n cases and m workers.
func (t *Team) Snapshot() Snapshot {
	s := Snapshot{Date: t.asOf, Workers: workerSnapshots(t.Score())}
	for i := range t.cases {
		if t.owner[i] == noOwner {
			s.Waiting = append(s.Waiting, WaitingCase{Case: t.cases[i].ID, Arrived: t.cases[i].Arrived})
		}
	}
	slices.SortFunc(s.Waiting, func(a, b WaitingCase) int { return strings.Compare(a.Case, b.Case) })
	return s
}

// SnapshotAfter returns the team as it would stand with proposal pr
// applied. It returns an error if pr is not a proposal for this team's
// problem: another date, or a case the team does not have.
func (t *Team) SnapshotAfter(pr *Proposal) (Snapshot, error) {
	if pr == nil || pr.AsOf != t.asOf {
		return Snapshot{}, &InputError{Field: "Proposal.AsOf", Err: fmt.Errorf("%w: not a proposal for the team of %s", ErrBadOption, t.asOf)}
	}
	s := Snapshot{Date: t.asOf, Workers: workerSnapshots(pr.After)}
	for _, a := range pr.Assignment {
		if a.Worker != "" {
			continue
		}
		i, ok := t.caseIndex(a.Case)
		if !ok {
			return Snapshot{}, &InputError{Field: "Proposal.Assignment", ID: a.Case, Err: fmt.Errorf("%w: no such case", ErrBadOption)}
		}
		s.Waiting = append(s.Waiting, WaitingCase{Case: a.Case, Arrived: t.cases[i].Arrived})
	}
	slices.SortFunc(s.Waiting, func(a, b WaitingCase) int { return strings.Compare(a.Case, b.Case) })
	return s, nil
}

func workerSnapshots(im Imbalance) []WorkerSnapshot {
	out := make([]WorkerSnapshot, len(im.Workers))
	for i, wl := range im.Workers {
		out[i] = WorkerSnapshot{Worker: wl.Worker, Load: wl.Load, Capacity: wl.Capacity, Cases: wl.Cases, Shares: wl.Shares, Band: wl.Band}
	}
	return out
}

// checkHistory validates history against the team: dates set, strictly
// increasing and not after the team's date, workers on the team and
// listed once, numbers finite and not negative. A worker missing from
// old snapshots (a new hire) is normal.
func (t *Team) checkHistory(history []Snapshot) error {
	var errs []error
	seen := make([]int, len(t.workers))
	for k, s := range history {
		f := func(rest string) string { return fmt.Sprintf("history[%d]%s", k, rest) }
		switch {
		case s.Date.IsZero():
			errs = append(errs, &InputError{Field: f(".Date"), Err: ErrNoDate})
		case s.Date.After(t.asOf):
			errs = append(errs, &InputError{Field: f(".Date"), ID: s.Date.String(), Err: fmt.Errorf("%w: after the team's date %s", ErrBadHistory, t.asOf)})
		case k > 0 && !history[k-1].Date.IsZero() && !s.Date.After(history[k-1].Date):
			errs = append(errs, &InputError{Field: f(".Date"), ID: s.Date.String(), Err: fmt.Errorf("%w: not after %s", ErrBadHistory, history[k-1].Date)})
		}
		// seen holds the snapshot index plus one of each worker's last
		// listing, so that one slice serves every snapshot.
		for j, w := range s.Workers {
			field := func(rest string) string { return f(fmt.Sprintf(".Workers[%d]%s", j, rest)) }
			i, ok := t.worker(w.Worker)
			switch {
			case !ok:
				errs = append(errs, &InputError{Field: field(""), ID: w.Worker, Err: ErrUnknownWorker})
			case seen[i] == k+1:
				errs = append(errs, &InputError{Field: field(""), ID: w.Worker, Err: ErrDuplicateID})
			default:
				seen[i] = k + 1
			}
			for _, v := range [...]struct {
				name string
				x    float64
			}{{".Load", float64(w.Load)}, {".Capacity", float64(w.Capacity)}, {".Shares", float64(w.Shares)}} {
				if e := hoursErr(v.x); e != nil {
					errs = append(errs, &InputError{Field: field(v.name), ID: w.Worker, Err: e})
				}
			}
			if w.Cases < 0 {
				errs = append(errs, &InputError{Field: field(".Cases"), ID: w.Worker, Err: ErrNegative})
			}
		}
	}
	if len(errs) > 0 {
		return joinErrors(errs)
	}
	return nil
}

// series returns worker id's utilization in history and today, oldest
// first, skipping snapshots without the worker, with their dates.
func series(history []Snapshot, id string, today civil.Date, now float64) ([]civil.Date, []float64) {
	var dates []civil.Date
	var util []float64
	for _, s := range history {
		if s.Date == today {
			continue // today's reading is the team itself
		}
		i, ok := slices.BinarySearchFunc(s.Workers, id, func(w WorkerSnapshot, id string) int { return cmp.Compare(w.Worker, id) })
		if !ok {
			// Snapshots written by hand may not be sorted.
			i = slices.IndexFunc(s.Workers, func(w WorkerSnapshot) bool { return w.Worker == id })
			if i < 0 {
				continue
			}
		}
		dates = append(dates, s.Date)
		util = append(util, s.Workers[i].Utilization())
	}
	return append(dates, today), append(util, now)
}
