package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/caseload/caseload/balance"
)

// A Hostile names a shape of problem that a hostile or merely unusual
// caller can send: each one once made Propose slow or large. Problems
// of these shapes are valid; most hold cases no worker may take.
type Hostile string

// The hostile shapes. The sizes are the caller's: each shape takes a
// number of workers and of cases.
const (
	// HostileSkills gives the team 2,000 distinct skills: every worker
	// holds 20 of them and every case requires one or two.
	HostileSkills Hostile = "skills"
	// HostileManySkills is HostileSkills with 8,000 skills.
	HostileManySkills Hostile = "many-skills"
	// HostileUnheld makes every case require a skill of its own that no
	// worker holds.
	HostileUnheld Hostile = "unheld"
	// HostileNormZero gives every worker a caseload norm of zero.
	HostileNormZero Hostile = "norm-zero"
	// HostileCapZero gives every worker zero capacity.
	HostileCapZero Hostile = "cap-zero"
	// HostileDeclineAll makes every case declined by every worker.
	HostileDeclineAll Hostile = "decline-all"
	// HostileDeclines makes 3% of the cases declined by each worker, at
	// random, from an empty assignment (rebalance with no move limit).
	HostileDeclines Hostile = "declines"
	// HostileOneHolder gives every case to the first worker (rebalance
	// with no move limit).
	HostileOneHolder Hostile = "one-holder"
	// HostileSkewed is an ordinary team from a skewed assignment
	// (rebalance with no move limit).
	HostileSkewed Hostile = "skewed"
	// HostileFamilies makes every case a family of its own, from a
	// skewed assignment (rebalance under a move budget of 50).
	HostileFamilies Hostile = "families"
)

// HostileShapes lists every hostile shape.
var HostileShapes = []Hostile{HostileSkills, HostileManySkills, HostileUnheld, HostileNormZero, HostileCapZero,
	HostileDeclineAll, HostileDeclines, HostileOneHolder, HostileSkewed, HostileFamilies}

// Options returns the rebalance options a shape is run with.
func (h Hostile) Options() *balance.RebalanceOptions {
	switch h {
	case HostileDeclines, HostileOneHolder, HostileSkewed:
		return &balance.RebalanceOptions{MaxMoves: -1}
	case HostileFamilies:
		return &balance.RebalanceOptions{MaxMoves: 50}
	}
	return nil
}

// HostileProblem returns the problem of shape h with the given numbers
// of workers and cases, for seed.
func HostileProblem(h Hostile, workers, cases int, seed uint64) balance.Problem {
	sh := Shape{Workers: workers, Cases: cases, FamilyShare: -1, PinShare: -1}
	switch h {
	case HostileSkewed, HostileFamilies, HostileOneHolder:
		sh.Assigned = true
	}
	p := Problem(sh, seed)
	rng := rand.New(rand.NewPCG(seed, 0x686f7374696c65)) // "hostile"
	switch h {
	case HostileSkills, HostileManySkills:
		n := 2000
		if h == HostileManySkills {
			n = 8000
		}
		for i := range p.Workers {
			p.Workers[i].Skills = nil
			for range 20 {
				p.Workers[i].Skills = append(p.Workers[i].Skills, fmt.Sprintf("s%04d", rng.IntN(n)))
			}
		}
		for i := range p.Cases {
			p.Cases[i].Declines = nil
			p.Cases[i].Skills = []string{fmt.Sprintf("s%04d", rng.IntN(n))}
			if rng.IntN(2) == 0 {
				p.Cases[i].Skills = append(p.Cases[i].Skills, fmt.Sprintf("s%04d", rng.IntN(n)))
			}
		}
	case HostileUnheld:
		for i := range p.Cases {
			p.Cases[i].Skills = []string{fmt.Sprintf("unheld-%07d", i)}
		}
	case HostileNormZero:
		for i := range p.Workers {
			p.Workers[i].CaseloadNorm = balance.CaseloadNorm(0)
		}
	case HostileCapZero:
		for i := range p.Workers {
			p.Workers[i].Capacity = 0
		}
	case HostileDeclineAll:
		all := make([]balance.Decline, len(p.Workers))
		for j := range p.Workers {
			all[j] = balance.Decline{Worker: p.Workers[j].ID, Reason: "conflict"}
		}
		for i := range p.Cases {
			p.Cases[i].Declines = all
		}
	case HostileDeclines:
		for i := range p.Cases {
			c := &p.Cases[i]
			c.Declines = nil
			for j := range p.Workers {
				if rng.IntN(100) < 3 {
					c.Declines = append(c.Declines, balance.Decline{Worker: p.Workers[j].ID})
				}
			}
		}
	case HostileOneHolder:
		for i := range p.Cases {
			p.Cases[i].Skills, p.Cases[i].Declines = nil, nil
			p.Cases[i].Owner = p.Workers[0].ID
		}
	case HostileFamilies:
		for i := range p.Cases {
			p.Cases[i].Group = "g" + p.Cases[i].ID
		}
	}
	return p
}

// LongIDFaults returns a problem with n faults, each naming a case whose
// ID is size bytes long: a caller can make every error message quote a
// huge ID.
func LongIDFaults(n, size int) balance.Problem {
	p := balance.Problem{AsOf: AsOf, Workers: []balance.Worker{{ID: "w", Capacity: 10}}}
	for i := range n {
		id := fmt.Sprintf("%06d", i) + strings.Repeat("x", size)
		p.Cases = append(p.Cases, balance.Case{ID: id, Weight: -1, Owner: id, Pinned: true, Group: id})
	}
	return p
}
