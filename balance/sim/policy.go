package sim

import (
	"context"
	"slices"
	"strconv"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
)

// A Policy decides, at each weekly allocation meeting, who takes the
// cases waiting for a worker and which held cases change hands.
//
// Allocate may be called from many runs at once, one goroutine per
// replication: a Policy keeps no state between calls. What it needs of
// the past (whose turn it is, who declined what) is in the [Week].
type Policy interface {
	// Name names the policy in tables and files; names within a study
	// must be unique.
	Name() string
	// Allocate returns the cases that change hands: a case waiting for a
	// worker is placed, a case held by a worker is moved (a voluntary
	// move, counted). A worker may decline a case offered to them; the
	// simulation then calls Allocate again, within the same meeting,
	// with the decline recorded on the case and Week.Round one higher.
	// An error stops the run.
	Allocate(ctx context.Context, w *Week) ([]Assignment, error)
}

// An Assignment gives a case to a worker, both by ID.
type Assignment struct {
	Case   string `json:"case"`
	Worker string `json:"worker"`
}

// A Week is the team as it stands at one weekly meeting, for a Policy to
// decide on. It is valid only during the call to Allocate; a Policy must
// not modify it.
type Week struct {
	// Index counts meetings from 0; Date is the meeting's date.
	Index int
	Date  civil.Date
	// Round counts the calls to Allocate within this meeting from 0:
	// above 0 only the cases declined in the round before wait.
	Round int
	// Problem is the team on Date: the workers on the team with their
	// capacity, caseload limit and absences, and every open case with
	// its owner, weight, share, skills and the declines so far. Cases
	// waiting for a worker have no owner; they come in Queue order.
	Problem balance.Problem
	// Queue lists the indexes in Problem.Cases of the cases without a
	// worker, oldest arrival first (ties by ID).
	Queue []int
	// Options are the study's balance options.
	Options *balance.Options

	lastIntake []int // per Problem.Workers index: the sequence number of their last intake, -1 for none
	team       *balance.Team
	teamErr    error
}

// Team returns Problem prepared by package balance with Options, once
// per Week.
func (w *Week) Team() (*balance.Team, error) {
	if w.team == nil && w.teamErr == nil {
		w.team, w.teamErr = balance.Prepare(w.Problem, w.Options)
	}
	return w.team, w.teamErr
}

// LastIntake returns when the worker at index i of Problem.Workers last
// took a new case from the queue, as a sequence number that grows with
// every intake of the run: larger is more recent, -1 is never. It is
// what a round robin needs.
func (w *Week) LastIntake(i int) int { return w.lastIntake[i] }

// Available reports whether the worker at index i of Problem.Workers
// can take case c by the plain rule that a team applies without the
// library: on the team with capacity, not absent on the meeting's date,
// holding the case's skills and not having declined it. It ignores
// caseload norms and leave about to start; the library's own eligibility
// rule is [balance.Team.Rank]'s.
func (w *Week) Available(i int, c *balance.Case) bool {
	wk := &w.Problem.Workers[i]
	if wk.Capacity <= 0 || wk.Away || !holds(wk.Skills, c.Skills) {
		return false
	}
	for _, a := range wk.Absences {
		if a.Contains(w.Date) {
			return false
		}
	}
	for _, d := range c.Declines {
		if d.Worker == wk.ID {
			return false
		}
	}
	return true
}

// RoundRobin gives each new case to the available worker whose turn it
// is: the one who took a new case least recently (by [Week.LastIntake],
// then team order), whatever their load or contract hours.
func RoundRobin() Policy { return roundRobin{} }

type roundRobin struct{}

func (roundRobin) Name() string { return "round-robin" }

func (roundRobin) Allocate(_ context.Context, w *Week) ([]Assignment, error) {
	last := slices.Clone(w.lastIntake)
	seq := slices.Max(append(last, -1)) + 1
	return greedy(w, func(i int, _ float64, _ int) float64 { return float64(last[i]) }, func(i int) {
		last[i] = seq
		seq++
	}), nil
}

// FewestCases gives each new case to the available worker with the
// fewest open cases, counted plainly whatever their weight or contract
// hours ("equal counts"); ties go to the one whose turn it is.
func FewestCases() Policy { return fewestCases{} }

type fewestCases struct{}

func (fewestCases) Name() string { return "fewest-cases" }

func (fewestCases) Allocate(_ context.Context, w *Week) ([]Assignment, error) {
	return greedy(w, func(_ int, _ float64, n int) float64 { return float64(n) }, nil), nil
}

// LeastLoad gives each new case to the available worker with the lowest
// weighted load as a fraction of capacity after taking it.
func LeastLoad() Policy { return leastLoad{} }

type leastLoad struct{}

func (leastLoad) Name() string { return "least-load" }

func (leastLoad) Allocate(_ context.Context, w *Week) ([]Assignment, error) {
	return greedy(w, func(_ int, u float64, _ int) float64 { return u }, nil), nil
}

// greedy places the queue in order, each case with the available worker
// of the lowest key(worker index, utilization after, open cases), ties
// by turn and then team order; took, if not nil, is told who took each.
func greedy(w *Week, key func(i int, uAfter float64, cases int) float64, took func(i int)) []Assignment {
	p := &w.Problem
	idx := make(map[string]int, len(p.Workers))
	for i, wk := range p.Workers {
		idx[wk.ID] = i
	}
	load := make([]float64, len(p.Workers))
	count := make([]int, len(p.Workers))
	for _, c := range p.Cases {
		if i, ok := idx[c.Owner]; ok {
			load[i] += float64(c.Weight)
			count[i]++
		}
	}
	var out []Assignment
	for _, ci := range w.Queue {
		c := &p.Cases[ci]
		best := -1
		var bestKey float64
		for i := range p.Workers {
			if !w.Available(i, c) {
				continue
			}
			k := key(i, (load[i]+float64(c.Weight))/float64(p.Workers[i].Capacity), count[i])
			if best < 0 || k < bestKey || (k == bestKey && w.lastIntake[i] < w.lastIntake[best]) {
				best, bestKey = i, k
			}
		}
		if best < 0 {
			continue
		}
		load[best] += float64(c.Weight)
		count[best]++
		if took != nil {
			took(best)
		}
		out = append(out, Assignment{Case: c.ID, Worker: p.Workers[best].ID})
	}
	return out
}

// Ranking gives each new case to the best eligible worker of the
// library's intake ranking ([balance.Team.Rank]), one case at a time in
// queue order, each ranked against the team with the cases placed before
// it: eligibility (skills, declines, caseload norm, absence and leave
// ahead), then utilization after intake with fair turns. A case no one
// may take waits.
func Ranking() Policy { return ranking{} }

type ranking struct{}

func (ranking) Name() string { return "ranking" }

func (ranking) Allocate(_ context.Context, w *Week) ([]Assignment, error) {
	return rankQueue(w, false)
}

// RankingPropose places the queue as [Ranking] does, then asks
// [balance.Team.Propose] once a week for at most maxMoves voluntary moves
// that even out the weighted load (none in a meeting's later rounds,
// after declines). A negative maxMoves means no limit.
func RankingPropose(maxMoves int) Policy { return rankPropose{maxMoves} }

type rankPropose struct{ maxMoves int }

func (p rankPropose) Name() string { return "ranking+propose-" + movesName(p.maxMoves) }

func (p rankPropose) Allocate(ctx context.Context, w *Week) ([]Assignment, error) {
	return rankThenPropose(ctx, w, false, &balance.RebalanceOptions{MaxMoves: p.maxMoves, Seed: uint64(w.Index)})
}

// rankThenPropose places w's queue by ranking (by count with byCount),
// then, in a meeting's first round, asks Propose with ro for moves.
func rankThenPropose(ctx context.Context, w *Week, byCount bool, ro *balance.RebalanceOptions) ([]Assignment, error) {
	placed, err := rankQueue(w, byCount)
	if err != nil || w.Round > 0 || ro.MaxMoves == 0 {
		return placed, err
	}
	// The problem with this week's placements, as the rebalance sees it.
	q := w.Problem
	q.Cases = slices.Clone(q.Cases)
	at := make(map[string]string, len(placed))
	for _, a := range placed {
		at[a.Case] = a.Worker
	}
	for i := range q.Cases {
		if o, ok := at[q.Cases[i].ID]; ok {
			q.Cases[i].Owner, q.Cases[i].Assigned = o, w.Date
		}
	}
	t, err := balance.Prepare(q, w.Options)
	if err != nil {
		return nil, err
	}
	pr, err := t.Propose(ctx, ro)
	if err != nil {
		return nil, err
	}
	return append(placed, fromProposal(pr)...), nil
}

// CountsPropose evens out case counts in proportion to capacity
// ("gelijke monniken, gelijke kappen"), whatever the cases weigh: each
// new case goes to the worker the library's ranking finds eligible who
// has the fewest open cases per hour of capacity after taking it, and
// once a week [balance.Team.Propose] with [balance.PolicyCounts] makes
// at most maxMoves voluntary moves (none in a meeting's later rounds); a
// negative maxMoves means no limit.
//
// The queue is placed by ranking rather than by Propose because Propose
// searches placements of up to 24 cases exactly, which takes about a
// tenth of a second per meeting, too slow for a study of thousands.
func CountsPropose(maxMoves int) Policy { return countsPropose{maxMoves} }

type countsPropose struct{ maxMoves int }

func (p countsPropose) Name() string { return "counts-propose-" + movesName(p.maxMoves) }

func (p countsPropose) Allocate(ctx context.Context, w *Week) ([]Assignment, error) {
	return rankThenPropose(ctx, w, true, &balance.RebalanceOptions{MaxMoves: p.maxMoves, Policy: balance.PolicyCounts, Seed: uint64(w.Index)})
}

// fromProposal lists the cases a proposal gives to a new worker.
func fromProposal(pr *balance.Proposal) []Assignment {
	out := make([]Assignment, 0, len(pr.Moves))
	for _, m := range pr.Moves {
		out = append(out, Assignment{Case: m.Case, Worker: m.To})
	}
	return out
}

func movesName(n int) string {
	if n < 0 {
		return "all"
	}
	return strconv.Itoa(n)
}

// Policies returns the six built-in policies in a fixed order: round
// robin, fewest cases, least load, the library's ranking, ranking with
// a weekly rebalance of at most 2 moves, and counts-based proposals with
// at most 2 moves.
func Policies() []Policy {
	return []Policy{RoundRobin(), FewestCases(), LeastLoad(), Ranking(), RankingPropose(2), CountsPropose(2)}
}
