package sim

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// A Summary sums up one run over the weeks after the warm-up.
type Summary struct {
	// Weeks is the number of weeks summed up.
	Weeks int `json:"weeks"`
	// MeanMaxUtilization is the mean over the weeks of the highest
	// utilization on the team (a fraction, 1 is full);
	// P95MaxUtilization its 95th percentile, the empirical quantile
	// (gonum's stat.Empirical): the lowest weekly maximum that at least
	// 95% of the weeks do not exceed.
	MeanMaxUtilization float64 `json:"mean_max_utilization"`
	P95MaxUtilization  float64 `json:"p95_max_utilization"`
	// WeeksOver110 counts the weeks in which any worker was above 110%
	// of capacity.
	WeeksOver110 int `json:"weeks_over110"`
	// MeanUtilizationCV is the mean weekly coefficient of variation of
	// utilization: 0 is perfectly even.
	MeanUtilizationCV float64 `json:"mean_utilization_cv"`
	// WaitedPast counts the new cases that waited for a worker more than
	// [Config.WaitingDays] working days, those still waiting at the end
	// included.
	WaitedPast int `json:"waited_past"`
	// MeanWaitDays is the mean wait of the cases placed, in working
	// days; 0 when none was placed.
	MeanWaitDays float64 `json:"mean_wait_days"`
	// MeanQueue is the mean number of cases waiting after a meeting.
	MeanQueue float64 `json:"mean_queue"`
	// Moves counts voluntary moves; Handovers counts every case that
	// changed hands after its first worker: moves and re-placements after
	// a worker left. Declines counts the offers declined.
	Moves     int `json:"moves"`
	Handovers int `json:"handovers"`
	Declines  int `json:"declines"`
	// Closed counts the cases closed; LeadTimeOver those whose lead time
	// exceeded their type's norm.
	Closed       int `json:"closed"`
	LeadTimeOver int `json:"lead_time_over"`
	// Warnings and Criticals count the signals raised at those
	// severities, summed over the weeks.
	Warnings  int `json:"warnings"`
	Criticals int `json:"criticals"`
}

// summarize sums up weeks from warmup on; waiting counts the cases still
// waiting past the threshold at the end.
func summarize(weeks []WeekResult, warmup, waiting int) Summary {
	weeks = weeks[min(warmup, len(weeks)):]
	s := Summary{Weeks: len(weeks), WaitedPast: waiting}
	if len(weeks) == 0 {
		return s
	}
	maxes := make([]float64, len(weeks))
	var waitSum float64
	placed := 0
	for i, w := range weeks {
		maxes[i] = w.MaxUtilization
		s.MeanMaxUtilization += w.MaxUtilization
		s.MeanUtilizationCV += w.UtilizationCV
		s.MeanQueue += float64(w.Queued)
		if w.Over110 > 0 {
			s.WeeksOver110++
		}
		s.WaitedPast += w.WaitedPast
		waitSum += w.WaitDays * float64(w.Placed)
		placed += w.Placed
		s.Moves += w.Moves
		s.Handovers += w.Moves + w.Replaced
		s.Declines += w.Declines
		s.Closed += w.ClosedNow
		s.LeadTimeOver += w.LeadTimeOver
		s.Warnings += w.Signals.Warning
		s.Criticals += w.Signals.Critical
	}
	n := float64(len(weeks))
	s.MeanMaxUtilization /= n
	s.MeanUtilizationCV /= n
	s.MeanQueue /= n
	if placed > 0 {
		s.MeanWaitDays = waitSum / float64(placed)
	}
	slices.Sort(maxes)
	s.P95MaxUtilization = stat.Quantile(0.95, stat.Empirical, maxes, nil)
	return s
}

// A Metric is one figure of a [Summary] that studies compare.
type Metric struct {
	// Name names the metric in tables and files, as "p95_max_util".
	Name string
	// Unit is the unit of its values, as "%" or "cases".
	Unit string
	// Scale multiplies a Summary's value for display: 100 shows a
	// fraction as a percentage. Zero means 1.
	Scale float64
	// Of reads the metric from a Summary, unscaled.
	Of func(Summary) float64
}

// Metrics returns the metrics a study reports, in table order: mean and
// 95th percentile of the maximum utilization, weeks with anyone above
// 110%, mean coefficient of variation of utilization, cases that waited
// past the threshold, mean wait, total moves and handovers, and lead
// times over their norm.
func Metrics() []Metric {
	return []Metric{
		{"mean_max_util", "%", 100, func(s Summary) float64 { return s.MeanMaxUtilization }},
		{"p95_max_util", "%", 100, func(s Summary) float64 { return s.P95MaxUtilization }},
		{"weeks_over_110", "weeks", 1, func(s Summary) float64 { return float64(s.WeeksOver110) }},
		{"util_cv", "%", 100, func(s Summary) float64 { return s.MeanUtilizationCV }},
		{"waited_past", "cases", 1, func(s Summary) float64 { return float64(s.WaitedPast) }},
		{"wait_days", "days", 1, func(s Summary) float64 { return s.MeanWaitDays }},
		{"moves", "moves", 1, func(s Summary) float64 { return float64(s.Moves) }},
		{"handovers", "cases", 1, func(s Summary) float64 { return float64(s.Handovers) }},
		{"lead_time_over", "cases", 1, func(s Summary) float64 { return float64(s.LeadTimeOver) }},
	}
}

// An Estimate is a mean over replications with its 95% confidence
// interval, Mean ± HalfWidth, from Student's t distribution with N-1
// degrees of freedom.
type Estimate struct {
	// Mean is the sample mean and SD the sample standard deviation, in
	// the metric's unit, unscaled.
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	// HalfWidth is half the width of the 95% confidence interval; zero
	// when N is below 2.
	HalfWidth float64 `json:"half_width"`
	// N is the number of replications.
	N int `json:"n"`
}

// Estimate95 returns the mean of xs with a 95% confidence interval. It
// returns the zero Estimate for no values.
func Estimate95(xs []float64) Estimate {
	n := len(xs)
	if n == 0 {
		return Estimate{}
	}
	e := Estimate{N: n}
	e.Mean, e.SD = stat.MeanStdDev(xs, nil)
	if n < 2 {
		e.SD = 0
		return e
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
	e.HalfWidth = t * e.SD / math.Sqrt(float64(n))
	return e
}

// A Paired compares two policies on one metric over the same
// replications: with common random numbers each pair of runs saw the
// same world, so the differences carry the policies' effect alone and a
// paired t test is far sharper than comparing two means.
type Paired struct {
	// A and B name the policies; Metric names the metric.
	A, B   string
	Metric string
	// Diff estimates the mean of A minus B over replications, unscaled.
	Diff Estimate
	// T is the paired t statistic and P its two-sided p-value. When every
	// difference is the same, T is 0 and P is 1 if they are zero, and P
	// is 0 otherwise.
	T float64
	P float64
}

// Pair compares xs (policy a) with ys (policy b), replication by
// replication. It panics if their lengths differ.
func Pair(a, b, metric string, xs, ys []float64) Paired {
	if len(xs) != len(ys) {
		panic("sim: Pair of different lengths")
	}
	d := make([]float64, len(xs))
	for i := range xs {
		d[i] = xs[i] - ys[i]
	}
	p := Paired{A: a, B: b, Metric: metric, Diff: Estimate95(d), P: 1}
	e := p.Diff
	switch {
	case e.N < 2:
	case e.SD == 0:
		if e.Mean != 0 {
			p.P = 0
		}
	default:
		p.T = e.Mean / (e.SD / math.Sqrt(float64(e.N)))
		p.P = 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(e.N - 1)}.Survival(math.Abs(p.T))
	}
	return p
}
