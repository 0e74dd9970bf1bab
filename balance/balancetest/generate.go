package balancetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
)

// A Size describes the seeded problems [Generate] makes: realistic
// teams, with log-normal weights scaled to a demand, for benchmarks,
// examples and simulations. Zero fields take the defaults given with
// them, so that a Size with only Workers and Cases set is a plausible
// team.
type Size struct {
	// Workers and Cases are the team size and the number of cases.
	Workers, Cases int
	// Demand is total weight over total capacity, as a fraction; zero
	// means 0.95.
	Demand float64
	// MinCapacity and MaxCapacity bound capacities, in hours per week,
	// drawn uniformly and rounded to quarter hours; zero means 16 and 36.
	MinCapacity, MaxCapacity float64
	// Sigma is the log-normal shape of the weights; zero means 0.77, so
	// that among 600 cases the heaviest is about ten times the median
	// (e^{3·0.77} ≈ 10).
	Sigma float64
	// Unit rounds every weight to a whole multiple of it, in hours per
	// week (0.25 is a quarter hour); zero means no rounding.
	Unit float64
	// Skills is the number of distinct skills; zero means 4, negative
	// none. SkillShare of cases (a fraction; zero means 0.3) need one
	// skill, held by a third of the workers.
	Skills     int
	SkillShare float64
	// FamilyShare of cases (a fraction; zero means 0.1, negative none)
	// belong to families of 2 to 4.
	FamilyShare float64
	// PinShare of cases (a fraction; zero means 0.05, negative none) are
	// pinned to an owner.
	PinShare float64
	// DeclineShare of cases (a fraction; zero means 0.02) carry one
	// decline.
	DeclineShare float64
	// Assigned gives every case an owner, skewed towards the first
	// workers so that the team starts out of balance; otherwise only
	// pinned cases have owners and the rest wait in the queue.
	Assigned bool

	// The fields below add the corners of a team's life. Each is a
	// fraction from 0 to 1, and zero means none, so that the sizes above
	// give the same problems as before these fields existed; they are
	// drawn from a stream of their own, after everything else.

	// AwayShare of workers are away.
	AwayShare float64
	// LeaveShare of workers have planned leave or sickness near the
	// date: some today (a quarter of those with no end), some starting
	// within the week, some later.
	LeaveShare float64
	// NormShare of workers have a caseload norm of about 1.2 times their
	// fair share of the cases, in proportion to capacity; some start
	// above it.
	NormShare float64
	// ZeroCapacityShare of workers have no capacity for casework; they
	// keep the cases drawn for them.
	ZeroCapacityShare float64
	// OrphanShare of the cases that have an owner are held by a worker
	// who left the team instead.
	OrphanShare float64
	// PauseShare of workers have their intake paused: until lifted, or
	// until a day in the coming fortnight.
	PauseShare float64
}

// TeamSize is a team: 25 workers and 600 cases, all queued but the
// pinned ones.
func TeamSize() Size { return Size{Workers: 25, Cases: 600} }

// RegionSize is a region: 500 workers and 12,000 cases.
func RegionSize() Size { return Size{Workers: 500, Cases: 12000} }

// NationalSize is the national scale: 5,000 workers and 150,000 cases.
func NationalSize() Size { return Size{Workers: 5000, Cases: 150000} }

// SparseSize is a sparse team: 25 workers with few heavy cases each,
// 120 cases in all.
func SparseSize() Size { return Size{Workers: 25, Cases: 120} }

// GenerateAsOf returns the date of every problem [Generate] makes:
// Monday 2 March 2026.
func GenerateAsOf() civil.Date { return civil.NewDate(2026, 3, 2) }

func or(v, d float64) float64 {
	if v == 0 {
		return d
	}
	return v
}

// Generate returns the problem of size s for seed. The same seed and
// size give the same problem on every platform and in every version of
// this package that does not say otherwise: benchmarks and golden
// files may rely on it. Workers are named "w00000", "w00001" and so on,
// cases "c000000", families "f000000" after their first case, and
// owners who left the team "x00000".
//
// The time and memory are O(n + m) for n cases and m workers.
func Generate(seed uint64, s Size) balance.Problem {
	rng := rand.New(rand.NewPCG(seed, 0x6361_73656c6f6164)) // "caseload"
	asOf := GenerateAsOf()
	demand := or(s.Demand, 0.95)
	lo, hi := or(s.MinCapacity, 16), or(s.MaxCapacity, 36)
	sigma := or(s.Sigma, 0.77)
	nskills := s.Skills
	if nskills == 0 {
		nskills = 4
	}
	if nskills < 0 {
		nskills = 0
	}
	skillShare := or(s.SkillShare, 0.3)
	familyShare := or(s.FamilyShare, 0.1)
	pinShare := or(s.PinShare, 0.05)
	declineShare := or(s.DeclineShare, 0.02)

	p := balance.Problem{AsOf: asOf, Workers: make([]balance.Worker, s.Workers), Cases: make([]balance.Case, s.Cases)}
	var capSum float64
	skilled := (s.Workers + 2) / 3
	for i := range p.Workers {
		w := &p.Workers[i]
		w.ID = fmt.Sprintf("w%05d", i)
		w.Capacity = balance.HoursPerWeek(math.Round((lo+(hi-lo)*rng.Float64())*4) / 4)
		capSum += float64(w.Capacity)
		if nskills > 0 && i < skilled {
			w.Skills = []string{skillName(i % nskills)}
			if rng.IntN(3) == 0 {
				if o := skillName(rng.IntN(nskills)); o != w.Skills[0] {
					w.Skills = append(w.Skills, o)
				}
			}
		}
	}
	if s.Cases == 0 {
		addCorners(&p, seed, s)
		return p
	}
	if s.Workers == 0 {
		// No team: weigh the queue as if for one worker of middling
		// capacity.
		capSum = (lo + hi) / 2
	}
	// Log-normal raw weights, scaled to the demand.
	raw := make([]float64, s.Cases)
	var rawSum float64
	for i := range raw {
		raw[i] = math.Exp(sigma * rng.NormFloat64())
		rawSum += raw[i]
	}
	scale := demand * capSum / rawSum
	for i := range p.Cases {
		c := &p.Cases[i]
		c.ID = fmt.Sprintf("c%06d", i)
		w := raw[i] * scale
		if s.Unit > 0 {
			w = math.Max(s.Unit, math.Round(w/s.Unit)*s.Unit)
		}
		c.Weight = balance.HoursPerWeek(w)
		c.Arrived = asOf.AddDays(-rng.IntN(365))
		if nskills > 0 && rng.Float64() < skillShare {
			c.Skills = []string{skillName(rng.IntN(nskills))}
		}
	}
	// Families: runs of 2 to 4 consecutive cases share a group and the
	// first one's skills.
	for i := 0; i < s.Cases; {
		if rng.Float64() < familyShare/3 {
			n := 2 + rng.IntN(3)
			for k := 0; k < n && i+k < s.Cases; k++ {
				p.Cases[i+k].Group = fmt.Sprintf("f%06d", i)
				p.Cases[i+k].Skills = p.Cases[i].Skills
			}
			i += n
			continue
		}
		i++
	}
	// The workers who may take a case of each skill class, found once
	// per class.
	byClass := map[string][]int{}
	eligible := func(c *balance.Case) []int {
		k := fmt.Sprint(c.Skills)
		if ws, ok := byClass[k]; ok {
			return ws
		}
		var ws []int
		for j := range p.Workers {
			if holdsAll(p.Workers[j].Skills, c.Skills) {
				ws = append(ws, j)
			}
		}
		byClass[k] = ws
		return ws
	}
	familyOwner := map[string]string{}
	for i := range p.Cases {
		c := &p.Cases[i]
		ws := eligible(c)
		if len(ws) == 0 {
			continue
		}
		if rng.Float64() < declineShare {
			c.Declines = []balance.Decline{{Worker: p.Workers[ws[rng.IntN(len(ws))]].ID, Reason: "earlier conflict with the family"}}
		}
		pin := c.Group == "" && rng.Float64() < pinShare
		if !pin && !s.Assigned {
			continue
		}
		if o, ok := familyOwner[c.Group]; ok && c.Group != "" {
			c.Owner = o
		} else {
			c.Owner = p.Workers[pick(rng, ws, s.Assigned)].ID
			for declinedBy(c, c.Owner) {
				c.Owner = p.Workers[ws[rng.IntN(len(ws))]].ID
				if len(ws) == 1 {
					c.Declines = nil
				}
			}
			if c.Group != "" {
				familyOwner[c.Group] = c.Owner
			}
		}
		c.Pinned = pin
		c.Assigned = asOf.AddDays(-rng.IntN(90))
	}
	addCorners(&p, seed, s)
	return p
}

// addCorners adds the away workers, leave, norms, workers without
// capacity, pauses and orphaned cases that s asks for, from a stream of their
// own so that the rest of the problem does not change.
func addCorners(p *balance.Problem, seed uint64, s Size) {
	if s.AwayShare <= 0 && s.LeaveShare <= 0 && s.NormShare <= 0 && s.ZeroCapacityShare <= 0 && s.OrphanShare <= 0 && s.PauseShare <= 0 {
		return
	}
	rng := rand.New(rand.NewPCG(seed, 0x636f726e657273)) // "corners"
	asOf := p.AsOf
	var capSum float64
	for _, w := range p.Workers {
		capSum += float64(w.Capacity)
	}
	for i := range p.Workers {
		w := &p.Workers[i]
		if rng.Float64() < s.AwayShare {
			w.Away = true
		}
		if rng.Float64() < s.LeaveShare {
			var a civil.Period
			switch rng.IntN(3) {
			case 0: // today
				a = civil.Period{From: asOf.AddDays(-rng.IntN(10)), To: asOf.AddDays(rng.IntN(15))}
				if rng.IntN(4) == 0 {
					a.To = civil.Date{}
				}
			case 1: // starting within the week
				from := asOf.AddDays(1 + rng.IntN(7))
				a = civil.Period{From: from, To: from.AddDays(rng.IntN(15))}
			default: // later
				from := asOf.AddDays(8 + rng.IntN(60))
				a = civil.Period{From: from, To: from.AddDays(rng.IntN(15))}
			}
			w.Absences = append(w.Absences, a)
		}
		if rng.Float64() < s.NormShare && capSum > 0 {
			fair := float64(len(p.Cases)) * float64(w.Capacity) / capSum
			w.CaseloadNorm = balance.CaseloadNorm(balance.Shares(math.Ceil(1.2 * fair)))
		}
		if rng.Float64() < s.ZeroCapacityShare {
			w.Capacity = 0
		}
		if rng.Float64() < s.PauseShare {
			w.Pause = &balance.Pause{Reason: "relief after an incident"}
			if d := rng.IntN(15); d > 0 {
				w.Pause.Until = asOf.AddDays(d)
			}
		}
	}
	if s.OrphanShare > 0 {
		for i := range p.Cases {
			c := &p.Cases[i]
			if c.Owner != "" && rng.Float64() < s.OrphanShare {
				c.Owner = fmt.Sprintf("x%05d", rng.IntN(max(1, len(p.Workers)/10+1)))
			}
		}
	}
}

// pick returns an element of ws, skewed towards the front when skew is
// set: the square of a uniform draw favours low indices.
func pick(rng *rand.Rand, ws []int, skew bool) int {
	u := rng.Float64()
	if skew {
		u *= u
	}
	return ws[int(u*float64(len(ws)))]
}

// declinedBy reports whether worker declined c.
func declinedBy(c *balance.Case, worker string) bool {
	for _, d := range c.Declines {
		if d.Worker == worker {
			return true
		}
	}
	return false
}

// skillName returns the name of skill i: a word, with a number after
// the eighth.
func skillName(i int) string {
	name := [...]string{"court", "trauma", "arabic", "addiction", "disability", "polish", "autism", "turkish"}[i%8]
	if i < 8 {
		return name
	}
	return name + fmt.Sprint(i/8)
}

// holdsAll reports whether have holds every skill of need.
func holdsAll(have, need []string) bool {
	for _, n := range need {
		if !slices.Contains(have, n) {
			return false
		}
	}
	return true
}
