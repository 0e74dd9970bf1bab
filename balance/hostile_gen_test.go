package balance_test

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
)

// A hostile names a shape of problem that a hostile or merely unusual
// caller can send: each one once made Propose slow or large. Problems
// of these shapes are valid; most hold cases no worker may take. Each
// is a problem of [balancetest.Generate] changed from a stream of its
// own, so the seeded instances are those of the benchmarks before the
// generator moved to balancetest.
type hostile string

// The hostile shapes. The sizes are the caller's: each shape takes a
// number of workers and of cases.
const (
	// hostileSkills gives the team 2,000 distinct skills: every worker
	// holds 20 of them and every case requires one or two.
	hostileSkills hostile = "skills"
	// hostileManySkills is hostileSkills with 8,000 skills.
	hostileManySkills hostile = "many-skills"
	// hostileUnheld makes every case require a skill of its own that no
	// worker holds.
	hostileUnheld hostile = "unheld"
	// hostileNormZero gives every worker a caseload norm of zero.
	hostileNormZero hostile = "norm-zero"
	// hostileCapZero gives every worker zero capacity.
	hostileCapZero hostile = "cap-zero"
	// hostileDeclineAll makes every case declined by every worker.
	hostileDeclineAll hostile = "decline-all"
	// hostileDeclines makes 3% of the cases declined by each worker, at
	// random, from an empty assignment (rebalance with no move limit).
	hostileDeclines hostile = "declines"
	// hostileOneHolder gives every case to the first worker (rebalance
	// with no move limit).
	hostileOneHolder hostile = "one-holder"
	// hostileSkewed is an ordinary team from a skewed assignment
	// (rebalance with no move limit).
	hostileSkewed hostile = "skewed"
	// hostileFamilies makes every case a family of its own, from a
	// skewed assignment (rebalance under a move budget of 50).
	hostileFamilies hostile = "families"
	// hostileAtNorm gives every worker but the first the same capacity
	// and a caseload norm of what they hold, and a third of the cases
	// to the first, who has no capacity (rebalance with no move limit):
	// none of that third can go anywhere.
	hostileAtNorm hostile = "at-norm"
	// hostileCoWorkers gives every case a co-worker, who carries 30% of
	// it: effort then differs between workers, and Propose (PolicyLoad)
	// evens out effort on a team small enough, weight on a larger one.
	hostileCoWorkers hostile = "co-workers"
	// hostileFewQueued holds every case but 12, which are queued: the
	// daily intake of a full team.
	hostileFewQueued hostile = "few-queued"
	// hostileHardSkewed is hostileSkewed under a hard capacity
	// (rebalance with no move limit): every worker's capacity, drawn
	// from 16 to 36 hours a week, is a limit no case may cross.
	hostileHardSkewed hostile = "hardcap-skewed"
	// hostileHardOver holds every case, from a skewed assignment, on a
	// team whose cases weigh twice its capacity, under a hard capacity
	// (rebalance with no move limit): most workers are full, and most
	// units fit on no one but where they are.
	hostileHardOver hostile = "hardcap-overdemand"
	// hostileHardOverQueued is hostileHardOver with every case queued:
	// the queue is placed until every worker is full, and about half of
	// it waits.
	hostileHardOverQueued hostile = "hardcap-overdemand-queued"
	// hostileZeroHeld gives half the team no capacity, and the cases,
	// held from a skewed assignment, need one of 50 skills (rebalance
	// with no move limit): a held case may stay with a worker outside
	// its class, and the bound's network once listed the class's
	// workers again for every such worker.
	hostileZeroHeld hostile = "zero-held"
	// hostileCorners gives half the team a caseload norm, and some of
	// it leave, paused intake, absence or no capacity, and queues every
	// case. The workers at their norm are the emptiest, and the
	// searches for where a unit goes once walked past them all.
	hostileCorners hostile = "corners"
)

// hostileShapes lists every hostile shape.
var hostileShapes = []hostile{hostileSkills, hostileManySkills, hostileUnheld, hostileNormZero, hostileCapZero,
	hostileDeclineAll, hostileDeclines, hostileOneHolder, hostileSkewed, hostileFamilies, hostileAtNorm, hostileCoWorkers, hostileFewQueued,
	hostileHardSkewed, hostileHardOver, hostileHardOverQueued, hostileZeroHeld, hostileCorners}

// options returns the rebalance options a shape is run with.
func (h hostile) options() *balance.RebalanceOptions {
	switch h {
	case hostileDeclines, hostileOneHolder, hostileSkewed, hostileAtNorm, hostileZeroHeld:
		return &balance.RebalanceOptions{MaxMoves: -1}
	case hostileFamilies:
		return &balance.RebalanceOptions{MaxMoves: 50}
	case hostileHardSkewed, hostileHardOver, hostileHardOverQueued:
		return &balance.RebalanceOptions{MaxMoves: -1, HardCapacity: true}
	}
	return nil
}

// hostileProblem returns the problem of shape h with the given numbers
// of workers and cases, for seed.
func hostileProblem(h hostile, workers, cases int, seed uint64) balance.Problem {
	sh := balancetest.Size{Workers: workers, Cases: cases, FamilyShare: -1, PinShare: -1}
	switch h {
	case hostileSkewed, hostileFamilies, hostileOneHolder, hostileFewQueued, hostileHardSkewed, hostileHardOver, hostileZeroHeld:
		sh.Assigned = true
	}
	if h == hostileZeroHeld {
		sh.ZeroCapacityShare, sh.Skills = 0.5, 50
	}
	if h == hostileCorners {
		sh.NormShare, sh.LeaveShare, sh.PauseShare, sh.AwayShare, sh.ZeroCapacityShare = 0.5, 0.3, 0.2, 0.1, 0.1
	}
	if h == hostileHardOver || h == hostileHardOverQueued {
		sh.Demand = 2
	}
	p := balancetest.Generate(seed, sh)
	rng := rand.New(rand.NewPCG(seed, 0x686f7374696c65)) // "hostile"
	switch h {
	case hostileSkills, hostileManySkills:
		n := 2000
		if h == hostileManySkills {
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
	case hostileUnheld:
		for i := range p.Cases {
			p.Cases[i].Skills = []string{fmt.Sprintf("unheld-%07d", i)}
		}
	case hostileNormZero:
		for i := range p.Workers {
			p.Workers[i].CaseloadNorm = balance.CaseloadNorm(0)
		}
	case hostileCapZero:
		for i := range p.Workers {
			p.Workers[i].Capacity = 0
		}
	case hostileDeclineAll:
		all := make([]balance.Decline, len(p.Workers))
		for j := range p.Workers {
			all[j] = balance.Decline{Worker: p.Workers[j].ID, Reason: "conflict"}
		}
		for i := range p.Cases {
			p.Cases[i].Declines = all
		}
	case hostileDeclines:
		for i := range p.Cases {
			c := &p.Cases[i]
			c.Declines = nil
			for j := range p.Workers {
				if rng.IntN(100) < 3 {
					c.Declines = append(c.Declines, balance.Decline{Worker: p.Workers[j].ID})
				}
			}
		}
	case hostileOneHolder:
		for i := range p.Cases {
			p.Cases[i].Skills, p.Cases[i].Declines = nil, nil
			p.Cases[i].Owner = p.Workers[0].ID
		}
	case hostileFamilies:
		for i := range p.Cases {
			p.Cases[i].Group = "g" + p.Cases[i].ID
		}
	case hostileFewQueued:
		for i := len(p.Cases) - 12; i < len(p.Cases); i++ {
			p.Cases[i].Owner, p.Cases[i].Group, p.Cases[i].Pinned = "", "", false
		}
	case hostileCoWorkers:
		for i := range p.Cases {
			c := &p.Cases[i]
			j := i % len(p.Workers)
			if p.Workers[j].ID == c.Owner {
				j = (j + 1) % len(p.Workers)
			}
			c.CoWorker, c.CoShare = p.Workers[j].ID, 0.3
		}
	case hostileAtNorm:
		held := make([]balance.Shares, len(p.Workers))
		for i := range p.Cases {
			c := &p.Cases[i]
			c.Skills, c.Declines = nil, nil
			j := 0
			if i%3 != 0 {
				j = 1 + i%(len(p.Workers)-1)
			}
			c.Owner = p.Workers[j].ID
			if held[j] += c.Share; c.Share == 0 {
				held[j]++ // the share of a case that gives none
			}
		}
		p.Workers[0].Capacity = 0
		for j := 1; j < len(p.Workers); j++ {
			p.Workers[j].Capacity = 36
			p.Workers[j].CaseloadNorm = balance.CaseloadNorm(held[j])
		}
	}
	return p
}

// longIDFaults returns a problem with n faults, each naming a case whose
// ID is size bytes long: a caller can make every error message quote a
// huge ID.
func longIDFaults(n, size int) balance.Problem {
	p := balance.Problem{AsOf: balancetest.GenerateAsOf(), Workers: []balance.Worker{{ID: "w", Capacity: 10}}}
	for i := range n {
		id := fmt.Sprintf("%06d", i) + strings.Repeat("x", size)
		p.Cases = append(p.Cases, balance.Case{ID: id, Weight: -1, Owner: id, Pinned: true, Group: id})
	}
	return p
}
