package balance

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/stat"
)

// An Imbalance scores how evenly a team's work is spread: per worker,
// and for the team, both as weighted load (hours against capacity) and
// as plain case counts, so that a team can compare "equal counts" with
// "equal weighted load".
type Imbalance struct {
	// Workers lists every worker once, by ID.
	Workers []WorkerLoad `json:"workers"`
	// Utilization summarizes load as a fraction of capacity over the
	// workers with capacity; a worker with zero capacity is left out.
	Utilization Stats `json:"utilization"`
	// Counts summarizes case counts, each as a fraction of the worker's
	// fair share of the team's cases in proportion to capacity (1 means
	// exactly their share), over the same workers.
	Counts Stats `json:"counts"`
	// OverloadHours is the total load above capacity, summed over all
	// workers; a worker with zero capacity counts all their load.
	OverloadHours HoursPerWeek `json:"overload_hours"`
	// Assigned counts the cases held by workers on the team; Unassigned
	// counts the others (queued or orphaned), whose weight is
	// UnassignedLoad.
	Assigned       int          `json:"assigned"`
	Unassigned     int          `json:"unassigned"`
	UnassignedLoad HoursPerWeek `json:"unassigned_load"`
	// Bounds are the band bounds used (see [Options.Bands]).
	Bounds []float64 `json:"bounds"`
}

// A WorkerLoad is one worker's share of the work.
type WorkerLoad struct {
	// Worker is the worker's ID.
	Worker string `json:"worker"`
	// Capacity is the worker's capacity for casework.
	Capacity HoursPerWeek `json:"capacity"`
	// Load is the sum of the weights of the worker's cases.
	Load HoursPerWeek `json:"load"`
	// Utilization is Load / Capacity; 0 when Capacity is zero.
	Utilization float64 `json:"utilization"`
	// Overload is the load above capacity: max(0, Load - Capacity).
	Overload HoursPerWeek `json:"overload"`
	// Cases counts the worker's cases; Shares counts them as shares of a
	// caseload norm.
	Cases  int    `json:"cases"`
	Shares Shares `json:"shares"`
	// CountShare is Cases as a fraction of the worker's fair share of
	// the team's cases in proportion to capacity; 0 when Capacity is
	// zero or the team has no cases.
	CountShare float64 `json:"count_share"`
	// Band is the utilization band the worker falls in (see
	// [Options.Bands]); -1 for a worker with zero capacity.
	Band int `json:"band"`
	// Away repeats [Worker.Away]; the worker's cases still count.
	Away bool `json:"away,omitempty"`
}

// Stats summarizes a set of fractions, one per worker.
type Stats struct {
	// Max, Min and Mean are the largest, smallest and mean value; Range
	// is Max - Min. All are 0 when there are no workers.
	Max   float64 `json:"max"`
	Min   float64 `json:"min"`
	Range float64 `json:"range"`
	Mean  float64 `json:"mean"`
	// StdDev is the population standard deviation; CV is StdDev / Mean,
	// 0 when Mean is 0.
	StdDev float64 `json:"std_dev"`
	CV     float64 `json:"cv"`
	// Gini is the Gini coefficient, in [0, 1): 0 is perfectly even. It
	// is 0 when all values are 0.
	Gini float64 `json:"gini"`
	// Jain is Jain's fairness index (Σx)²/(n·Σx²), in [1/n, 1]: 1 is
	// perfectly even. It is 1 when all values are 0.
	Jain float64 `json:"jain"`
	// Bands counts the workers in each band: len(Bounds)+1 counts.
	Bands []int `json:"bands"`
}

// Score scores the imbalance of p's current assignment: the owner of
// each case. It is [Prepare] followed by [Team.Score].
func Score(p Problem, opts *Options) (Imbalance, error) {
	t, err := Prepare(p, opts)
	if err != nil {
		return Imbalance{}, err
	}
	return t.Score(), nil
}

// Score scores the imbalance of the team's current assignment. It takes
// O(m log m) time for m workers.
func (t *Team) Score() Imbalance {
	return t.score(t.ws)
}

// score scores the given per-worker totals.
func (t *Team) score(ws []wstate) Imbalance {
	im := Imbalance{Workers: make([]WorkerLoad, 0, len(t.workers)), Bounds: slices.Clone(t.opts.bands)}
	var capSum float64
	var held int
	var over int64
	for _, i := range t.byID {
		if t.workers[i].Capacity > 0 {
			capSum += float64(t.workers[i].Capacity)
			held += int(ws[i].count)
		}
		im.Assigned += int(ws[i].count)
	}
	util := make([]float64, 0, len(t.workers))
	counts := make([]float64, 0, len(t.workers))
	for _, i := range t.byID {
		w := &t.workers[i]
		wl := WorkerLoad{
			Worker:   w.ID,
			Capacity: w.Capacity,
			Load:     HoursPerWeek(fromMicro(ws[i].load)),
			Cases:    int(ws[i].count),
			Shares:   Shares(fromMicro(ws[i].shares)),
			Band:     -1,
			Away:     w.Away,
		}
		if overCapacity(ws[i].load, w.Capacity) {
			o := ws[i].load - toMicro(float64(w.Capacity))
			wl.Overload = HoursPerWeek(fromMicro(o))
			over += o
		}
		if w.Capacity > 0 {
			wl.Utilization = utilization(ws[i].load, w.Capacity)
			wl.Band = band(wl.Utilization, t.opts.bands)
			if held > 0 {
				wl.CountShare = float64(wl.Cases) / (float64(held) * float64(w.Capacity) / capSum)
			}
			util = append(util, wl.Utilization)
			counts = append(counts, wl.CountShare)
		}
		im.Workers = append(im.Workers, wl)
	}
	im.OverloadHours = HoursPerWeek(fromMicro(over))
	im.Unassigned = len(t.cases) - im.Assigned
	total := t.totalWeight()
	var assigned int64
	for _, i := range t.byID {
		assigned += ws[i].load
	}
	im.UnassignedLoad = HoursPerWeek(fromMicro(total - assigned))
	im.Utilization = summarize(util, t.opts.bands)
	im.Counts = summarize(counts, t.opts.bands)
	return im
}

// totalWeight returns the weight of every case with a finite weight, in
// micro-hours: worked out once on a team that proposes, every time on
// one prepared for a single ranking.
func (t *Team) totalWeight() int64 {
	if t.weightSum != nil {
		return t.weightSum()
	}
	return t.weightScan()
}

// weightScan adds up the weight of every case with a finite weight, in
// micro-hours.
func (t *Team) weightScan() int64 {
	var total int64
	for k := range t.cases {
		if isFinite(float64(t.cases[k].Weight)) {
			total += toMicro(float64(t.cases[k].Weight))
		}
	}
	return total
}

// bandSlack absorbs rounding, so that a load of exactly the capacity is
// 100% and full, not over.
const bandSlack = 1e-9

// band returns the number of bounds that u exceeds.
func band(u float64, bounds []float64) int {
	n := 0
	for _, b := range bounds {
		if u > b+bandSlack {
			n++
		}
	}
	return n
}

// summarize computes Stats over xs, which it may reorder.
func summarize(xs []float64, bounds []float64) Stats {
	s := Stats{Bands: make([]int, len(bounds)+1), Jain: 1}
	if len(xs) == 0 {
		return s
	}
	for _, x := range xs {
		s.Bands[band(x, bounds)]++
	}
	s.Max, s.Min = floats.Max(xs), floats.Min(xs)
	s.Range = s.Max - s.Min
	s.Mean, s.StdDev = stat.PopMeanStdDev(xs, nil)
	if s.Mean > 0 {
		s.CV = s.StdDev / s.Mean
	}
	// Gini by the sorted formula Σ(2i-n-1)·x_i / (n·Σx), i from 1
	// (Damgaard & Weiner, "Describing inequality in plant size or
	// fecundity", Ecology 81(4), 2000).
	slices.Sort(xs)
	n := float64(len(xs))
	var sum, sq, g float64
	for i, x := range xs {
		sum += x
		sq += x * x
		g += (2*float64(i+1) - n - 1) * x
	}
	if sum > 0 {
		s.Gini = math.Max(0, g/(n*sum))
		s.Jain = math.Min(1, sum*sum/(n*sq))
	}
	return s
}
