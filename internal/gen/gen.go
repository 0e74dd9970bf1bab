// Package gen generates seeded, realistic balance problems for tests,
// benchmarks, examples and simulations. The same Shape and seed always
// give the same Problem.
package gen

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/caseload/caseload/civil"

	"github.com/caseload/caseload/balance"
)

// A Shape describes the problems to generate. Zero fields take the
// defaults given with them.
type Shape struct {
	// Workers and Cases are the team size and number of cases.
	Workers, Cases int
	// Demand is total weight over total capacity; zero means 0.95.
	Demand float64
	// MinCapacity and MaxCapacity bound capacities, in hours per week,
	// drawn uniformly; zero means 16 and 36.
	MinCapacity, MaxCapacity float64
	// Sigma is the log-normal shape of the weights; zero means 0.77, so
	// that among 600 cases the heaviest is about ten times the median
	// (e^{3·0.77} ≈ 10).
	Sigma float64
	// Unit rounds every weight to a whole multiple of it, in hours
	// (0.25 is a quarter hour); zero means no rounding.
	Unit float64
	// Skills is the number of distinct skills; zero means 4, negative
	// none. SkillShare of cases (zero means 0.3) need one skill, held by
	// a third of the workers.
	Skills     int
	SkillShare float64
	// FamilyShare of cases (zero means 0.1, negative none) belong to
	// families of 2 to 4.
	FamilyShare float64
	// PinShare of cases (zero means 0.05, negative none) are pinned to an
	// owner.
	PinShare float64
	// DeclineShare of cases (zero means 0.02) carry one decline.
	DeclineShare float64
	// Assigned gives every case an owner, skewed towards the first
	// workers so that the team starts out of balance; otherwise only
	// pinned cases have owners and the rest wait in the queue.
	Assigned bool
}

// Named shapes from the rebalance issue: a team, a region and the
// national scale, and a sparse team with few heavy cases each.
var (
	Team     = Shape{Workers: 25, Cases: 600}
	Region   = Shape{Workers: 500, Cases: 12000}
	National = Shape{Workers: 5000, Cases: 150000}
	Sparse   = Shape{Workers: 25, Cases: 120}
)

func or(v, d float64) float64 {
	if v == 0 {
		return d
	}
	return v
}

// AsOf is the date of every generated problem.
var AsOf = civil.NewDate(2026, 3, 2)

// Problem returns the problem of shape s for seed.
func Problem(s Shape, seed uint64) balance.Problem {
	rng := rand.New(rand.NewPCG(seed, 0x6361_73656c6f6164)) // "caseload"
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

	p := balance.Problem{AsOf: AsOf, Workers: make([]balance.Worker, s.Workers), Cases: make([]balance.Case, s.Cases)}
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
	if s.Workers == 0 || s.Cases == 0 {
		return p
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
		c.Arrived = AsOf.AddDays(-rng.IntN(365))
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
	eligible := func(c *balance.Case) []int {
		var ws []int
		for j := range p.Workers {
			if holds(p.Workers[j].Skills, c.Skills) {
				ws = append(ws, j)
			}
		}
		return ws
	}
	byClass := map[string][]int{}
	elig := func(c *balance.Case) []int {
		k := fmt.Sprint(c.Skills)
		if ws, ok := byClass[k]; ok {
			return ws
		}
		ws := eligible(c)
		byClass[k] = ws
		return ws
	}
	familyOwner := map[string]string{}
	for i := range p.Cases {
		c := &p.Cases[i]
		ws := elig(c)
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
			for declined(c) {
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
		c.Assigned = AsOf.AddDays(-rng.IntN(90))
	}
	return p
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

func declined(c *balance.Case) bool {
	for _, d := range c.Declines {
		if d.Worker == c.Owner {
			return true
		}
	}
	return false
}

func skillName(i int) string {
	return [...]string{"court", "trauma", "arabic", "addiction", "disability", "polish", "autism", "turkish"}[i%8] + suffix(i)
}

func suffix(i int) string {
	if i < 8 {
		return ""
	}
	return fmt.Sprint(i / 8)
}

func holds(have, need []string) bool {
	for _, n := range need {
		found := false
		for _, h := range have {
			if h == n {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
