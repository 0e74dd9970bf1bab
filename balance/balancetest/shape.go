package balancetest

import (
	"fmt"
	"math"
	"slices"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
	"pgregory.net/rapid"
)

// A Shape aims [ProblemGen] at the corners of the input space. The zero
// Shape draws small teams that mix every corner; set a field to steer
// towards one, or a share to a negative value to leave its corner out.
//
// Shares are fractions from 0 to 1 of the workers or cases that get a
// feature, drawn independently for each; zero means the default given
// with the field, and a negative share means none.
type Shape struct {
	// Workers and Cases are the most workers and ordinary cases a
	// problem has (tiny cases and the giant one come on top). Zero means
	// 6 workers and 14 cases; a negative value means none.
	Workers, Cases int
	// MinWorkers and MinCases are the fewest workers and ordinary cases.
	// Zero means none: an empty team and an empty caseload are corners
	// too.
	MinWorkers, MinCases int

	// AsOf is the date of every problem. The zero Date draws one of a
	// Monday, a Wednesday, a Friday and a Saturday in March 2026, and New
	// Year's Eve 2026, so that the leave look-ahead, counted in working
	// days, crosses weekends and years.
	AsOf civil.Date

	// Demand, if positive, scales the ordinary cases' weights so that
	// they add up to Demand times the team's capacity: 1.3 asks for 30%
	// more work than the team can do. Zero draws each weight on its own,
	// zero, quarter hours, awkward fractions and huge weights included.
	Demand float64

	// Skills is the number of skills in the pool that workers hold and
	// cases require. Zero means 3; a negative value means no skills.
	Skills int
	// SkillShare of cases require one or two skills of the pool; a few
	// of them require a skill no worker holds. Zero means 0.3.
	SkillShare float64
	// FamilyShare of cases belong to one of three families. Zero means
	// 0.3.
	FamilyShare float64
	// QueueShare of cases wait in the intake queue, without an owner;
	// in an empty team, every case not orphaned does. Zero means 0.3.
	QueueShare float64
	// OrphanShare of the cases that have an owner are held by a worker
	// who left the team. Zero means 0.1.
	OrphanShare float64
	// PinShare of the cases that have an owner are pinned to them. Zero
	// means 0.15.
	PinShare float64
	// DeclineShare of cases carry one or two declines, by workers on the
	// team (the owner among them, sometimes) or by a stranger. Zero means
	// 0.2.
	DeclineShare float64

	// AwayShare of workers are away. Zero means 0.15.
	AwayShare float64
	// LeaveShare of workers have planned leave or sickness near AsOf:
	// past, today, starting within days or later, some with no start or
	// no end. Zero means 0.3.
	LeaveShare float64
	// NormShare of workers have a caseload norm, from 0 to 16 shares.
	// Zero means 0.3.
	NormShare float64
	// ZeroCapacityShare of workers have no capacity for casework. Zero
	// means 0.15.
	ZeroCapacityShare float64
	// PauseShare of workers have an intake pause: until lifted, ending
	// today, ending later, or ended already. Zero means 0.1.
	PauseShare float64
	// PressureShare of workers report the pressure they feel, from 0 to
	// 1. Zero means 0.2.
	PressureShare float64

	// Giant adds one case, queued or held, heavier than the whole team's
	// capacity (at least 100 hours per week).
	Giant bool
	// Tiny adds this many tiny cases, of a micro-hour to three minutes a
	// week, queued or held: thousands of them test scale and rounding.
	// Zero adds none.
	Tiny int
}

// shape is a Shape with its defaults filled in.
type shape struct {
	Shape
	pool []string
}

func (s Shape) resolve() shape {
	share := func(v *float64, d float64) {
		switch {
		case *v == 0:
			*v = d
		case *v < 0:
			*v = 0
		}
	}
	count := func(v *int, d int) {
		switch {
		case *v == 0:
			*v = d
		case *v < 0:
			*v = 0
		}
	}
	count(&s.Workers, 6)
	count(&s.Cases, 14)
	count(&s.Skills, 3)
	s.MinWorkers = min(max(s.MinWorkers, 0), s.Workers)
	s.MinCases = min(max(s.MinCases, 0), s.Cases)
	share(&s.SkillShare, 0.3)
	share(&s.FamilyShare, 0.3)
	share(&s.QueueShare, 0.3)
	share(&s.OrphanShare, 0.1)
	share(&s.PinShare, 0.15)
	share(&s.DeclineShare, 0.2)
	share(&s.AwayShare, 0.15)
	share(&s.LeaveShare, 0.3)
	share(&s.NormShare, 0.3)
	share(&s.ZeroCapacityShare, 0.15)
	share(&s.PauseShare, 0.1)
	share(&s.PressureShare, 0.2)
	s.Demand = math.Max(0, s.Demand)
	s.Tiny = max(s.Tiny, 0)
	r := shape{Shape: s}
	for i := range s.Skills {
		r.pool = append(r.pool, skillName(i))
	}
	return r
}

// unheldSkill is a skill no generated worker holds.
const unheldSkill = "sign-language"

// refDate is the date around which WorkerGen and CaseGen draw dates: a
// Wednesday.
func refDate() civil.Date { return civil.NewDate(2026, 3, 4) }

// asOfDates are the dates a problem may describe when its Shape sets
// none.
func asOfDates() []civil.Date {
	return []civil.Date{
		civil.NewDate(2026, 3, 4),   // a Wednesday
		civil.NewDate(2026, 3, 2),   // a Monday
		civil.NewDate(2026, 3, 6),   // a Friday
		civil.NewDate(2026, 3, 7),   // a Saturday
		civil.NewDate(2026, 12, 31), // a Thursday, the look-ahead crossing the year
	}
}

// chance draws true with probability p, to within 1/32. It shrinks to
// false, so that a failing example loses the features it does not need.
func chance(t *rapid.T, label string, p float64) bool {
	if p <= 0 {
		return false
	}
	k := min(32, max(1, int(math.Round(p*32))))
	bits := rapid.SliceOfN(rapid.Bool(), 5, 5).Draw(t, label)
	u := 0
	for i, b := range bits {
		if b {
			u |= 1 << i
		}
	}
	return u >= 32-k
}

// weightGen draws a weight in hours per week: zero, quarter hours,
// awkward fractions, a micro-hour and huge weights among them.
func weightGen() *rapid.Generator[float64] {
	return rapid.OneOf(
		rapid.Just(0.0),
		rapid.Map(rapid.IntRange(1, 80), func(q int) float64 { return float64(q) / 4 }),
		rapid.Float64Range(0, 60),
		rapid.SampledFrom([]float64{1e-6, 4 * 12.0 / 52, 1.0 / 3, 36, 1e4}),
	)
}

// capacityGen draws a capacity above zero in hours per week: common
// contracts, any amount, and the extremes.
func capacityGen() *rapid.Generator[float64] {
	return rapid.OneOf(
		rapid.SampledFrom([]float64{32, 36, 24, 16, 8, 40}),
		rapid.Float64Range(1, 40),
		rapid.SampledFrom([]float64{1e-6, 0.5, 120 * 12.0 / 52, 1e5}),
	)
}

// drawWorker draws a worker with the given ID for a problem on asOf.
func drawWorker(t *rapid.T, id string, s shape, asOf civil.Date) balance.Worker {
	w := balance.Worker{ID: id}
	if !chance(t, "zero-capacity", s.ZeroCapacityShare) {
		w.Capacity = balance.HoursPerWeek(capacityGen().Draw(t, "capacity"))
	}
	for _, sk := range s.pool {
		if chance(t, "holds-"+sk, 1.0/3) {
			w.Skills = append(w.Skills, sk)
		}
	}
	w.Away = chance(t, "away", s.AwayShare)
	if chance(t, "norm", s.NormShare) {
		w.CaseloadNorm = balance.CaseloadNorm(rapid.SampledFrom([]balance.Shares{2, 0, 1, 2.5, 5, 16}).Draw(t, "norm-shares"))
	}
	if chance(t, "paused", s.PauseShare) {
		w.Pause = &balance.Pause{Reason: "relief after an incident"}
		if days := rapid.SampledFrom([]int{0, 3, 0, -1, 14}).Draw(t, "pause-days"); days != 0 || chance(t, "pause-ends-today", 0.5) {
			w.Pause.Until = asOf.AddDays(days)
		}
	}
	if chance(t, "pressure", s.PressureShare) {
		w.Pressure = ptr(rapid.SampledFrom([]float64{0.8, 0, 0.35, 1}).Draw(t, "pressure-value"))
	}
	if chance(t, "leave", s.LeaveShare) {
		w.Absences = append(w.Absences, absenceGen(asOf, -10, 12).Draw(t, "absence"))
		if chance(t, "second-leave", 0.25) {
			w.Absences = append(w.Absences, absenceGen(asOf, 5, 60).Draw(t, "absence"))
		}
	}
	return w
}

func ptr[T any](v T) *T { return &v }

// absenceGen draws a period that starts from lo to hi days after asOf
// and lasts up to two weeks; one in six has no start, one in six no end.
func absenceGen(asOf civil.Date, lo, hi int) *rapid.Generator[civil.Period] {
	return rapid.Custom(func(t *rapid.T) civil.Period {
		from := asOf.AddDays(rapid.IntRange(lo, hi).Draw(t, "from"))
		a := civil.Period{From: from, To: from.AddDays(rapid.IntRange(0, 14).Draw(t, "days"))}
		switch rapid.IntRange(0, 5).Draw(t, "open") {
		case 1:
			a.From = civil.Date{} // absent since before anyone knows
		case 2:
			a.To = civil.Date{} // sickness with no known end
		}
		return a
	})
}

// drawCase fills in the parts of a case that do not depend on the team:
// its weight is left to the caller.
func drawCase(t *rapid.T, c *balance.Case, s shape, asOf civil.Date) {
	if len(s.pool) > 0 && chance(t, "skilled", s.SkillShare) {
		if chance(t, "unheld-skill", 0.1) {
			c.Skills = []string{unheldSkill}
		} else {
			c.Skills = rapid.SliceOfNDistinct(rapid.SampledFrom(s.pool), 1, 2, rapid.ID[string]).Draw(t, "skills")
		}
	}
	if chance(t, "family", s.FamilyShare) {
		c.Group = rapid.SampledFrom([]string{"f1", "f2", "f3"}).Draw(t, "group")
	}
	if chance(t, "share", 0.25) {
		c.Share = rapid.SampledFrom([]balance.Shares{0.5, 1.0 / 21, 2}).Draw(t, "share")
	}
	if chance(t, "severe", 0.25) {
		c.Severity = rapid.SampledFrom([]float64{1, 3, 7.5}).Draw(t, "severity")
	}
	if chance(t, "arrived", 0.8) {
		c.Arrived = asOf.AddDays(-rapid.IntRange(0, 400).Draw(t, "age"))
	}
	if chance(t, "deadline", 0.1) {
		c.Deadline = asOf.AddDays(rapid.IntRange(-5, 30).Draw(t, "deadline"))
	}
	if chance(t, "priority", 0.1) {
		c.Priority = rapid.SampledFrom([]int{1, 2, -1}).Draw(t, "priority")
	}
}

// declinesGen draws one or two declines by distinct workers among ids,
// half of them dated up to 60 days before asOf.
func declinesGen(ids []string, asOf civil.Date) *rapid.Generator[[]balance.Decline] {
	return rapid.Custom(func(t *rapid.T) []balance.Decline {
		var ds []balance.Decline
		for _, id := range rapid.SliceOfNDistinct(rapid.SampledFrom(ids), 1, min(2, len(ids)), rapid.ID[string]).Draw(t, "decliners") {
			d := balance.Decline{Worker: id, Reason: "knows the family"}
			if chance(t, "decline-dated", 0.5) {
				d.Date = asOf.AddDays(-rapid.IntRange(0, 60).Draw(t, "declined-days-ago"))
			}
			ds = append(ds, d)
		}
		return ds
	})
}

// ProblemGen returns a generator of valid problems of shape s: every
// problem it draws passes [balance.Prepare] with any valid options.
//
// Workers are named "w0", "w1" and so on, ordinary cases "c0", "c1",
// tiny cases "t00000", "t00001", and the giant case "giant". Owners
// who left the team are called "gone"; a decline may come from
// "stranger", who is not on the team either.
func ProblemGen(s Shape) *rapid.Generator[balance.Problem] {
	r := s.resolve()
	return rapid.Custom(func(t *rapid.T) balance.Problem {
		p := balance.Problem{AsOf: r.AsOf}
		if p.AsOf.IsZero() {
			p.AsOf = rapid.SampledFrom(asOfDates()).Draw(t, "as-of")
		}
		nw := rapid.IntRange(r.MinWorkers, r.Workers).Draw(t, "workers")
		ids := make([]string, nw)
		var capSum float64
		for i := range nw {
			ids[i] = fmt.Sprintf("w%d", i)
			w := drawWorker(t, ids[i], r, p.AsOf)
			capSum += float64(w.Capacity)
			p.Workers = append(p.Workers, w)
		}
		decliners := append([]string{"stranger"}, ids...)
		owner := func() string {
			switch {
			case chance(t, "queued", r.QueueShare):
				return ""
			case chance(t, "orphaned", r.OrphanShare):
				return "gone"
			case nw == 0:
				return "" // no one to hold it
			}
			return rapid.SampledFrom(ids).Draw(t, "owner")
		}

		nc := rapid.IntRange(r.MinCases, r.Cases).Draw(t, "cases")
		pinOwner := map[string]string{} // a family's pinned cases share an owner
		var rawSum float64
		for i := range nc {
			c := balance.Case{ID: fmt.Sprintf("c%d", i)}
			if r.Demand > 0 {
				c.Weight = balance.HoursPerWeek(rapid.Map(rapid.IntRange(1, 80), func(q int) float64 { return float64(q) / 4 }).Draw(t, "raw-weight"))
				rawSum += float64(c.Weight)
			} else {
				c.Weight = balance.HoursPerWeek(weightGen().Draw(t, "weight"))
			}
			drawCase(t, &c, r, p.AsOf)
			c.Owner = owner()
			if c.Owner != "" && chance(t, "pinned", r.PinShare) {
				if o, ok := pinOwner[c.Group]; c.Group == "" || c.Owner == "gone" || !ok || o == c.Owner {
					c.Pinned = true
					if c.Group != "" && c.Owner != "gone" {
						pinOwner[c.Group] = c.Owner
					}
				}
			}
			if c.Owner != "" && chance(t, "assigned", 0.8) {
				c.Assigned = p.AsOf.AddDays(-rapid.IntRange(0, 40).Draw(t, "assigned-days-ago"))
			}
			if chance(t, "declined", r.DeclineShare) {
				c.Declines = declinesGen(decliners, p.AsOf).Draw(t, "declines")
			}
			p.Cases = append(p.Cases, c)
		}
		if r.Demand > 0 && rawSum > 0 && capSum > 0 {
			scale := r.Demand * capSum / rawSum
			for i := range p.Cases {
				p.Cases[i].Weight = balance.HoursPerWeek(math.Min(float64(p.Cases[i].Weight)*scale, maxHours))
			}
		}

		holders := append([]string{""}, ids...)
		for i := range r.Tiny {
			p.Cases = append(p.Cases, balance.Case{
				ID:     fmt.Sprintf("t%05d", i),
				Weight: rapid.SampledFrom([]balance.HoursPerWeek{0.05, 1e-6, 1e-5, 1e-3, 0.01}).Draw(t, "tiny-weight"),
				Owner:  rapid.SampledFrom(holders).Draw(t, "tiny-owner"),
			})
		}
		if r.Giant {
			p.Cases = append(p.Cases, balance.Case{
				ID:     "giant",
				Weight: balance.HoursPerWeek(math.Min(maxHours, math.Max(100, 1.5*capSum+1))),
				Owner:  rapid.SampledFrom(holders).Draw(t, "giant-owner"),
			})
		}
		return p
	})
}

// maxHours is the largest weight or capacity package balance accepts,
// in hours per week.
const maxHours = 1e6

// WorkerGen returns a generator of valid workers, named "w0" to "w9":
// with or without capacity (a micro-hour and a hundred thousand hours
// among the amounts), skills, a caseload norm, away or with absences
// around Wednesday 4 March 2026, some open-ended, an intake pause, and
// the pressure they report.
func WorkerGen() *rapid.Generator[balance.Worker] {
	r := Shape{}.resolve()
	return rapid.Custom(func(t *rapid.T) balance.Worker {
		return drawWorker(t, fmt.Sprintf("w%d", rapid.IntRange(0, 9).Draw(t, "worker")), r, refDate())
	})
}

// CaseGen returns a generator of valid cases in the intake queue, named
// "c0" to "c99": weights from zero to huge, skills, families "f1" to
// "f3", shares, severities, dates around Wednesday 4 March 2026, and
// declines by "w0" to "w5" or "stranger".
func CaseGen() *rapid.Generator[balance.Case] {
	r := Shape{}.resolve()
	decliners := []string{"stranger", "w0", "w1", "w2", "w3", "w4", "w5"}
	return rapid.Custom(func(t *rapid.T) balance.Case {
		c := balance.Case{
			ID:     fmt.Sprintf("c%d", rapid.IntRange(0, 99).Draw(t, "case")),
			Weight: balance.HoursPerWeek(weightGen().Draw(t, "weight")),
		}
		drawCase(t, &c, r, refDate())
		if chance(t, "declined", r.DeclineShare) {
			c.Declines = declinesGen(decliners, refDate()).Draw(t, "declines")
		}
		return c
	})
}

// CaseFor returns a generator of cases to rank against p: one case in
// four is one of p's own (ranked as if it left its owner), the others
// are new, with the skills and families of p, a skill no worker holds
// now and then, and declines by p's workers or a stranger. A new case's
// ID is not among p's.
func CaseFor(p balance.Problem) *rapid.Generator[balance.Case] {
	var pool, groups []string
	ids := []string{"stranger"}
	for _, w := range p.Workers {
		ids = append(ids, w.ID)
		for _, s := range w.Skills {
			if !slices.Contains(pool, s) {
				pool = append(pool, s)
			}
		}
	}
	taken := map[string]bool{}
	for _, c := range p.Cases {
		taken[c.ID] = true
		if c.Group != "" && !slices.Contains(groups, c.Group) {
			groups = append(groups, c.Group)
		}
	}
	slices.Sort(pool)
	slices.Sort(groups)
	pool = append(pool, unheldSkill)
	newID := "new"
	for i := 1; taken[newID]; i++ {
		newID = fmt.Sprintf("new-%d", i)
	}
	return rapid.Custom(func(t *rapid.T) balance.Case {
		if len(p.Cases) > 0 && chance(t, "existing", 0.25) {
			return p.Cases[rapid.IntRange(0, len(p.Cases)-1).Draw(t, "which")]
		}
		c := balance.Case{ID: newID, Weight: balance.HoursPerWeek(weightGen().Draw(t, "weight"))}
		if chance(t, "skilled", 0.4) {
			c.Skills = rapid.SliceOfNDistinct(rapid.SampledFrom(pool), 1, 2, rapid.ID[string]).Draw(t, "skills")
		}
		if len(groups) > 0 && chance(t, "family", 0.4) {
			c.Group = rapid.SampledFrom(groups).Draw(t, "group")
		}
		if chance(t, "share", 0.25) {
			c.Share = rapid.SampledFrom([]balance.Shares{0.5, 1.0 / 21, 2}).Draw(t, "share")
		}
		if chance(t, "declined", 0.3) {
			c.Declines = declinesGen(ids, p.AsOf).Draw(t, "declines")
		}
		return c
	})
}

// OptionsGen returns a generator of valid options for ranking and
// scoring: nil now and then, look-aheads from none to two years of
// working days, fair-turn weights on, off and heavier, and other bands.
func OptionsGen() *rapid.Generator[*balance.Options] {
	return rapid.Custom(func(t *rapid.T) *balance.Options {
		if chance(t, "nil-options", 0.25) {
			return nil
		}
		o := drawOptions(t)
		return &o
	})
}

func drawOptions(t *rapid.T) balance.Options {
	return balance.Options{
		LeaveLookahead: rapid.SampledFrom([]int{0, -1, 1, 3, 10, 520}).Draw(t, "lookahead"),
		WeekTurn:       rapid.SampledFrom([]float64{0, -1, 0.1}).Draw(t, "week-turn"),
		MonthTurn:      rapid.SampledFrom([]float64{0, -1, 0.02}).Draw(t, "month-turn"),
		Bands:          rapid.SampledFrom([][]float64{nil, {0.5, 1}, {1}, {}}).Draw(t, "bands"),
	}
}

// RebalanceOptionsGen returns a generator of valid options for
// [balance.Propose]: nil now and then, move budgets of none, a few and
// no limit, hard capacity, both policies, minimum gains, re-placing
// absent workers' cases, a few seeds, and the options of [OptionsGen].
func RebalanceOptionsGen() *rapid.Generator[*balance.RebalanceOptions] {
	return rapid.Custom(func(t *rapid.T) *balance.RebalanceOptions {
		if chance(t, "nil-options", 1.0/6) {
			return nil
		}
		o := &balance.RebalanceOptions{
			MaxMoves:     rapid.SampledFrom([]int{0, 1, 2, 3, 5, -1}).Draw(t, "max-moves"),
			HardCapacity: chance(t, "hard-capacity", 0.25),
			Policy:       rapid.SampledFrom([]balance.Policy{"", balance.PolicyLoad, balance.PolicyCounts}).Draw(t, "policy"),
			MinGain:      rapid.SampledFrom([]float64{0, -1, 0.01}).Draw(t, "min-gain"),
			ReplaceAway:  chance(t, "replace-away", 0.5),
			Seed:         uint64(rapid.IntRange(0, 3).Draw(t, "seed")),
		}
		if chance(t, "other-options", 0.25) {
			o.Options = drawOptions(t)
		}
		return o
	})
}
