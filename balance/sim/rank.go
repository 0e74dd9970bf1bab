package sim

import (
	"math"

	"github.com/caseload/caseload/balance"
)

// rankQueue places w's queue with the library's ranking, one case at a
// time. Each case is ranked against a compact copy of the team: every
// worker's cases given before the fair-turns window (28 days) folded
// into one case of the same load and shares, the rest as they are, and
// the cases placed so far added. Ranking reads only loads, shares,
// families and recent intake dates, so the compact team ranks exactly
// as the whole one would (loads are summed in whole micro-hours, which
// the folded case keeps), at a fraction of the cost of preparing the
// whole team for each case.
//
// With byCount, the case goes instead to the eligible worker with the
// fewest open cases per hour of capacity after taking it, ties by rank.
func rankQueue(w *Week, byCount bool) ([]Assignment, error) {
	p := &w.Problem
	if len(w.Queue) == 0 || len(p.Workers) == 0 {
		return nil, nil
	}
	compact := balance.Problem{AsOf: p.AsOf, Workers: p.Workers}
	idx := make(map[string]int, len(p.Workers))
	for i, wk := range p.Workers {
		idx[wk.ID] = i
	}
	count := make([]int, len(p.Workers))
	load := make([]int64, len(p.Workers))
	shares := make([]int64, len(p.Workers))
	held := make([]bool, len(p.Workers))
	recent := p.AsOf.AddDays(-29)
	for _, c := range p.Cases {
		i, ok := idx[c.Owner]
		if !ok {
			continue
		}
		count[i]++
		if c.Group != "" || c.Assigned.After(recent) {
			compact.Cases = append(compact.Cases, c)
			continue
		}
		load[i] += micro(float64(c.Weight))
		sh := float64(c.Share)
		if sh == 0 {
			sh = 1
		}
		shares[i] += micro(sh)
		held[i] = true
	}
	for i, wk := range p.Workers {
		if held[i] {
			compact.Cases = append(compact.Cases, balance.Case{
				ID:     "\x00held:" + wk.ID,
				Owner:  wk.ID,
				Weight: balance.HoursPerWeek(float64(load[i]) / 1e6),
				Share:  balance.Shares(float64(shares[i]) / 1e6),
			})
		}
	}
	var out []Assignment
	for _, ci := range w.Queue {
		c := p.Cases[ci]
		t, err := balance.Prepare(compact, w.Options)
		if err != nil {
			return nil, err
		}
		r, err := t.Rank(c)
		if err != nil {
			return nil, err
		}
		best, ok := r.Best()
		if !ok {
			continue
		}
		if byCount {
			key := func(c balance.Candidate) float64 {
				return float64(count[idx[c.Worker]]+1) / float64(c.Capacity)
			}
			for _, c := range r.Candidates[1:r.Eligible] {
				if key(c) < key(best) {
					best = c
				}
			}
		}
		count[idx[best.Worker]]++
		out = append(out, Assignment{Case: c.ID, Worker: best.Worker})
		c.Owner, c.Assigned = best.Worker, p.AsOf
		compact.Cases = append(compact.Cases, c)
	}
	return out, nil
}

func micro(v float64) int64 { return int64(math.Round(v * 1e6)) }
