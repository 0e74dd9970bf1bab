package balance_test

import (
	"fmt"
	"sync"
	"syscall"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
)

// auditFixture is an audit of one problem of the given shape: every
// listed case is open but one in a hundred, which is closed; one open
// case in a hundred is a ghost; every open case has a last activity,
// one in fifty of them too long ago; and one case in a hundred and
// fifty is in a pending handover, a third of those late.
type auditFixture struct {
	open    []balance.OpenCase
	teams   []balance.TeamProblem
	pending []balance.Handover
}

func newAuditFixture(s balancetest.Size) auditFixture {
	s.Assigned = true
	p := balancetest.Generate(1, s)
	var f auditFixture
	f.teams = []balance.TeamProblem{{Team: "north", Problem: p}}
	for i, c := range p.Cases {
		if i%100 == 7 {
			continue // closed in the case system
		}
		idle := i % 10 // working days
		if i%50 == 3 {
			idle = 30
		}
		f.open = append(f.open, balance.OpenCase{ID: c.ID, LastActivity: balancetest.GenerateAsOf().AddDays(-idle)})
		if i%100 == 11 {
			f.open = append(f.open, balance.OpenCase{ID: fmt.Sprintf("ghost-%d", i)})
		}
		if i%150 == 5 && c.Owner != "" {
			to := p.Workers[(i/150)%len(p.Workers)].ID
			if to == c.Owner {
				continue
			}
			h, err := balance.OfferHandover(fmt.Sprintf("h%d", i), balance.Offer{Cases: []string{c.ID}, From: c.Owner, To: to},
				balancetest.GenerateAsOf().AddDays(-(i/150)%9), "")
			if err != nil {
				panic(err)
			}
			f.pending = append(f.pending, h)
		}
	}
	return f
}

var auditFixtures = sync.OnceValue(func() map[string]auditFixture {
	return map[string]auditFixture{
		"region":   newAuditFixture(balancetest.RegionSize()),
		"national": newAuditFixture(balancetest.NationalSize()),
	}
})

// BenchmarkAudit audits a region (12,000 cases, 500 workers) and the
// national scale (150,000 cases, 5,000 workers; the target is under
// 100 ms). Time per case should not grow with size.
func BenchmarkAudit(b *testing.B) {
	for _, name := range []string{"region", "national"} {
		b.Run(name, func(b *testing.B) {
			f := auditFixtures()[name]
			b.ReportAllocs()
			var r *balance.AuditReport
			cpu0 := cpuTime()
			for b.Loop() {
				var err error
				if r, err = balance.Audit(balancetest.GenerateAsOf(), f.open, f.teams, f.pending, nil); err != nil {
					b.Fatal(err)
				}
			}
			// CPU time of the process (GC included) per audit: on a shared,
			// loaded machine wall time overstates the cost.
			b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(len(r.Findings)), "findings")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(f.open)), "ns/case")
		})
	}
}

// cpuTime returns the user and system CPU time of the process so far,
// in nanoseconds, or 0 where it cannot tell.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
