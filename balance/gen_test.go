package balance_test

import (
	"fmt"
	"slices"

	"github.com/caseload/caseload/civil"

	"github.com/caseload/caseload/balance"
	"pgregory.net/rapid"
)

// The generators below produce valid problems that reach the hard
// corners: zero capacity, a single worker, no eligible worker, norms of
// zero, leave starting tomorrow, orphaned and away owners, unknown
// decliners, weights of zero and huge weights.

var asOfDate = civil.NewDate(2026, 3, 4) // a Wednesday

var skillPool = []string{"court", "trauma", "arabic"}

func subsetGen(pool []string) *rapid.Generator[[]string] {
	return rapid.Custom(func(t *rapid.T) []string {
		var out []string
		for _, s := range pool {
			if rapid.IntRange(0, 2).Draw(t, "has-"+s) == 0 {
				out = append(out, s)
			}
		}
		return out
	})
}

func hoursGen() *rapid.Generator[float64] {
	return rapid.OneOf(
		rapid.Just(0.0),
		rapid.Float64Range(0, 60),
		rapid.SampledFrom([]float64{0.25, 1, 2.5, 36, 1e4}),
	)
}

func workerGen(id string) *rapid.Generator[balance.Worker] {
	return rapid.Custom(func(t *rapid.T) balance.Worker {
		w := balance.Worker{
			ID:       id,
			Capacity: balance.HoursPerWeek(rapid.OneOf(rapid.Just(0.0), rapid.Float64Range(1, 40), rapid.SampledFrom([]float64{36, 1e5})).Draw(t, "capacity")),
			Skills:   subsetGen(skillPool).Draw(t, "skills"),
			Away:     rapid.IntRange(0, 6).Draw(t, "away") == 0,
		}
		if rapid.Bool().Draw(t, "has-norm") {
			w.CaseloadNorm = balance.CaseloadNorm(rapid.SampledFrom([]balance.Shares{0, 1, 2.5, 5, 16}).Draw(t, "norm"))
		}
		if rapid.IntRange(0, 3).Draw(t, "absent") == 0 {
			from := asOfDate.AddDays(rapid.IntRange(-10, 12).Draw(t, "from"))
			a := civil.Period{From: from, To: from.AddDays(rapid.IntRange(0, 14).Draw(t, "length"))}
			switch rapid.IntRange(0, 5).Draw(t, "open") {
			case 0:
				a.From = civil.Date{} // no start: absent since before anyone knows
			case 1:
				a.To = civil.Date{} // no end: long-term sickness
			}
			w.Absences = []civil.Period{a}
		}
		if rapid.IntRange(0, 5).Draw(t, "paused") == 0 {
			// A pause that ended yesterday, ends today, or runs on.
			w.Pause = &balance.Pause{Reason: "relief after an incident"}
			if d := rapid.IntRange(-1, 10).Draw(t, "pause-until"); d < 10 {
				w.Pause.Until = asOfDate.AddDays(d)
			}
		}
		if rapid.IntRange(0, 2).Draw(t, "reports-pressure") == 0 {
			p := rapid.SampledFrom([]float64{0, 0.3, 0.5, 0.7, 1}).Draw(t, "pressure")
			w.Pressure = &p
		}
		return w
	})
}

// problemGen generates valid problems with up to maxWorkers workers and
// maxCases cases.
func problemGen(maxWorkers, maxCases int) *rapid.Generator[balance.Problem] {
	return rapid.Custom(func(t *rapid.T) balance.Problem {
		p := balance.Problem{AsOf: asOfDate}
		nw := rapid.IntRange(0, maxWorkers).Draw(t, "workers")
		ids := make([]string, nw)
		for i := range nw {
			ids[i] = fmt.Sprintf("w%d", i)
			p.Workers = append(p.Workers, workerGen(ids[i]).Draw(t, ids[i]))
		}
		owners := append([]string{"", "", "gone"}, ids...)
		nc := rapid.IntRange(0, maxCases).Draw(t, "cases")
		pinOwner := map[string]string{}
		for i := range nc {
			c := balance.Case{
				ID:     fmt.Sprintf("c%d", i),
				Weight: balance.HoursPerWeek(hoursGen().Draw(t, "weight")),
				Skills: subsetGen(skillPool[:2]).Draw(t, "skills"),
				Group:  rapid.SampledFrom([]string{"", "", "", "f1", "f2"}).Draw(t, "group"),
				Owner:  rapid.SampledFrom(owners).Draw(t, "owner"),
			}
			if rapid.IntRange(0, 3).Draw(t, "has-share") == 0 {
				c.Share = rapid.SampledFrom([]balance.Shares{0.5, 1.0 / 21, 2}).Draw(t, "share")
			}
			if rapid.IntRange(0, 3).Draw(t, "severe") == 0 {
				c.Severity = rapid.SampledFrom([]float64{1, 3, 7.5}).Draw(t, "severity")
			}
			if c.Owner != "" && rapid.IntRange(0, 4).Draw(t, "pin") == 0 {
				// Pinned cases of one family must share an owner.
				if o, ok := pinOwner[c.Group]; !ok || c.Group == "" || o == c.Owner {
					c.Pinned = true
					if c.Group != "" && c.Owner != "gone" {
						pinOwner[c.Group] = c.Owner
					}
				}
			}
			if c.Owner != "" {
				c.Assigned = asOfDate.AddDays(-rapid.IntRange(0, 40).Draw(t, "assigned"))
			}
			if rapid.Bool().Draw(t, "arrival-known") {
				c.Arrived = asOfDate.AddDays(-rapid.IntRange(0, 120).Draw(t, "arrived"))
			}
			for _, d := range rapid.SliceOfNDistinct(rapid.SampledFrom(append([]string{"stranger"}, ids...)), 0, 2, rapid.ID[string]).Draw(t, "declines") {
				dec := balance.Decline{Worker: d, Reason: "conflict of interest"}
				if rapid.Bool().Draw(t, "decline-dated") {
					dec.Date = asOfDate.AddDays(-rapid.IntRange(0, 60).Draw(t, "declined"))
				}
				c.Declines = append(c.Declines, dec)
			}
			p.Cases = append(p.Cases, c)
		}
		return p
	})
}

// newCaseGen generates a case to rank against p: a new one, or one of
// p's own.
func newCaseGen(p balance.Problem) *rapid.Generator[balance.Case] {
	return rapid.Custom(func(t *rapid.T) balance.Case {
		if len(p.Cases) > 0 && rapid.IntRange(0, 3).Draw(t, "existing") == 0 {
			return p.Cases[rapid.IntRange(0, len(p.Cases)-1).Draw(t, "which")]
		}
		ids := []string{"stranger"}
		for _, w := range p.Workers {
			ids = append(ids, w.ID)
		}
		c := balance.Case{
			ID:     "new",
			Weight: balance.HoursPerWeek(hoursGen().Draw(t, "weight")),
			Skills: subsetGen(append(slices.Clone(skillPool), "sign-language")).Draw(t, "skills"),
			Group:  rapid.SampledFrom([]string{"", "f1", "f2"}).Draw(t, "group"),
		}
		if rapid.Bool().Draw(t, "has-share") {
			c.Share = rapid.SampledFrom([]balance.Shares{0.5, 1.0 / 21, 2}).Draw(t, "share")
		}
		for _, d := range rapid.SliceOfNDistinct(rapid.SampledFrom(ids), 0, 2, rapid.ID[string]).Draw(t, "declines") {
			c.Declines = append(c.Declines, balance.Decline{Worker: d, Reason: "knows the family"})
		}
		return c
	})
}

// permute returns p with its workers and cases in another order.
func permute(t *rapid.T, p balance.Problem) balance.Problem {
	q := p
	q.Workers = rapid.Permutation(p.Workers).Draw(t, "workers-order")
	q.Cases = rapid.Permutation(p.Cases).Draw(t, "cases-order")
	return q
}
