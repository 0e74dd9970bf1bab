package sim

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/norm"
	"github.com/caseload/caseload/weight"
)

// Purposes of the random streams. Each replication draws each purpose
// (and each case type or worker) from a stream of its own, so that every
// policy sees the same draws and changing one rate leaves the other
// draws as they were.
const (
	streamArrivals  = 1 // Poisson counts and arrival days, per case type
	streamAttrs     = 2 // flags and counts, per case type
	streamDurations = 3 // durations, per case type
	streamAbsences  = 4 // planned leave and sickness, per worker
	streamDeclines  = 5 // declines, per case type
)

// stream returns the random stream of a purpose and index within
// replication rep of a study seeded with seed.
func stream(seed uint64, rep, purpose, index int) *rand.PCG {
	return rand.NewPCG(seed, uint64(rep)<<32|uint64(purpose)<<24|uint64(index))
}

// A scenario is the world of one replication: the team week by week and
// every case with its draws. Every policy runs on the same scenario.
type scenario struct {
	cfg     *Config
	rep     int
	dates   []civil.Date       // meeting dates, one per week
	roster  []string           // worker IDs, in Config.Workers order
	team    [][]balance.Worker // per week, the workers on the team, in roster order
	onTeam  [][]int            // per week, their roster indexes
	cases   []simCase          // every case, by arrival date, type and number
	byID    map[string]int     // case ID to index in cases
	workers map[string]int     // worker ID to roster index
}

// A simCase is one case of a scenario with everything drawn for it.
type simCase struct {
	id       string
	typ      int
	arrived  civil.Date
	days     int                    // calendar days of work from first assignment to closing
	weights  []balance.HoursPerWeek // by phase
	phaseEnd []int                  // weeks from assignment at which each phase ends
	severity float64
	share    balance.Shares
	skills   []string
	declines []int // roster indexes of the workers who decline it, ascending

	// The opening caseload: owner (roster index, -1 for none) and the
	// date the owner took it.
	initOwner    int
	initAssigned civil.Date
}

// weekIndexAt returns the phase of c after weeks whole weeks with a
// worker.
func (c *simCase) phase(weeks int) int {
	for i, end := range c.phaseEnd {
		if weeks < end {
			return i
		}
	}
	return len(c.phaseEnd)
}

// newScenario draws replication rep of cfg; m is cfg.Model compiled.
func newScenario(cfg *Config, m *weight.Compiled, rep int) (*scenario, error) {
	W := cfg.weeks()
	H := cfg.history()
	s := &scenario{cfg: cfg, rep: rep, byID: map[string]int{}, workers: map[string]int{}}
	start := cfg.start()
	for w := range W {
		s.dates = append(s.dates, start.AddDays(7*w))
	}
	for i, ws := range cfg.Workers {
		s.roster = append(s.roster, ws.Contract.Worker)
		s.workers[ws.Contract.Worker] = i
	}
	if err := s.drawTeam(m); err != nil {
		return nil, err
	}
	if err := s.drawCases(m, start, H, W); err != nil {
		return nil, err
	}
	s.shareOut()
	return s, nil
}

// drawTeam draws each worker's leave and sickness and computes the team
// of every week: capacity, caseload limit and absences from the contract.
func (s *scenario) drawTeam(m *weight.Compiled) error {
	cfg := s.cfg
	W := len(s.dates)
	start, end := s.dates[0], s.dates[W-1].AddDays(6)
	s.team = make([][]balance.Worker, W)
	s.onTeam = make([][]int, W)
	for i, ws := range cfg.Workers {
		src := stream(cfg.Seed, s.rep, streamAbsences, i)
		rng := rand.New(src)
		c := ws.Contract
		c.Reductions = slices.Clone(c.Reductions)
		if ws.JoinWeek > 0 && !c.Onboarding.IsZero() && c.Onboarding.Start.IsZero() && ws.JoinWeek < W {
			c.Onboarding.Start = s.dates[ws.JoinWeek]
		}
		for _, l := range cfg.Leave {
			if l.Weeks == 0 {
				continue
			}
			k := l.From + rng.IntN(l.To-l.From+1)
			from := start.AddDays(7 * k)
			c.Reductions = append(c.Reductions, norm.Reduction{Reason: norm.ReasonLeave, Percent: 100,
				Period: civil.Period{From: from, To: from.AddDays(7*l.Weeks - 1)}})
		}
		if sk := cfg.Sickness; sk.PerYear > 0 {
			gap := distuv.Exponential{Rate: sk.PerYear / 365.25, Src: src}
			days := distuv.LogNormal{Mu: math.Log(sk.Days.Median), Sigma: sk.Days.Sigma, Src: src}
			t := float64(start.AddDays(-28).Sub(start))
			for {
				t += gap.Rand()
				if t > float64(end.Sub(start)) {
					break
				}
				from := start.AddDays(int(math.Ceil(t)))
				n := max(1, int(math.Round(days.Rand())))
				c.Reductions = append(c.Reductions, norm.Reduction{Reason: norm.ReasonSickness, Percent: 100,
					Period: civil.Period{From: from, To: from.AddDays(n - 1)}})
			}
		}
		absences := c.Absences()
		for w, d := range s.dates {
			if w < ws.JoinWeek || (ws.LeaveWeek > 0 && w >= ws.LeaveWeek) {
				continue
			}
			b, err := norm.Capacity(c, d)
			if err != nil {
				return fmt.Errorf("workers[%d] (%s): %w", i, c.Worker, err)
			}
			bw := balance.Worker{ID: c.Worker, Capacity: balance.HoursPerWeek(b.Available), Skills: ws.Skills, Absences: absences}
			if cfg.CaseloadNorm != nil {
				l, err := norm.CaseloadLimit(*cfg.CaseloadNorm, c, d)
				if err != nil {
					return fmt.Errorf("workers[%d] (%s): %w", i, c.Worker, err)
				}
				bw.CaseloadNorm = balance.CaseloadNorm(balance.Shares(l.Shares))
			}
			s.team[w] = append(s.team[w], bw)
			s.onTeam[w] = append(s.onTeam[w], i)
		}
	}
	return nil
}

// drawCases draws the arrivals of every case type over H weeks of
// history and W weeks of the horizon, with their attributes, weights,
// durations and declines, and keeps those open at the start or arriving
// later.
func (s *scenario) drawCases(m *weight.Compiled, start civil.Date, H, W int) error {
	cfg := s.cfg
	type drawn struct {
		simCase
		seq int
	}
	var all []drawn
	for ti := range cfg.Types {
		t := &cfg.Types[ti]
		arr := stream(cfg.Seed, s.rep, streamArrivals, ti)
		arrRng := rand.New(arr)
		attrRng := rand.New(stream(cfg.Seed, s.rep, streamAttrs, ti))
		durSrc := stream(cfg.Seed, s.rep, streamDurations, ti)
		decRng := rand.New(stream(cfg.Seed, s.rep, streamDeclines, ti))
		dur := distuv.LogNormal{Mu: math.Log(t.Duration.Median), Sigma: t.Duration.Sigma, Src: durSrc}
		var phaseEnd []int
		end := 0
		for _, p := range t.Phases[:max(0, len(t.Phases)-1)] {
			end += p.Weeks
			phaseEnd = append(phaseEnd, end)
		}
		var share balance.Shares
		if cfg.CaseloadNorm != nil {
			sh, err := cfg.CaseloadNorm.Share(t.normType())
			if err != nil {
				return err
			}
			share = balance.Shares(sh)
		}
		seq := 0
		for k := -H; k < W; k++ {
			week := start.AddDays(7 * k)
			rate := t.PerWeek
			if t.Seasonality != nil {
				_, mon, _ := week.AddDays(3).Date()
				rate *= t.Seasonality[mon-1]
			}
			n := 0
			if rate > 0 {
				n = int(distuv.Poisson{Lambda: rate, Src: arr}.Rand())
			}
			for range n {
				seq++
				c := simCase{typ: ti, arrived: week.AddDays(arrRng.IntN(5)), phaseEnd: phaseEnd, share: share, initOwner: -1}
				c.id = fmt.Sprintf("%s-%05d", t.Name, seq)
				a := weight.Attributes{ID: c.id, Type: t.Name}
				for _, f := range t.Flags {
					if attrRng.Float64() < f.P {
						if a.Flags == nil {
							a.Flags = map[string]bool{}
						}
						a.Flags[f.Name] = true
						if f.Skill != "" && !slices.Contains(c.skills, f.Skill) {
							c.skills = append(c.skills, f.Skill)
						}
					}
				}
				for _, cs := range t.Counts {
					v := cs.Min
					if mean := cs.Mean - float64(cs.Min); mean > 0 {
						v += int(distuv.Poisson{Lambda: mean, Src: attrRng}.Rand())
					}
					if v > 0 {
						if a.Counts == nil {
							a.Counts = map[string]int{}
						}
						a.Counts[cs.Name] = v
					}
				}
				for _, p := range phaseNames(*t) {
					a.Phase = p
					wt, err := m.Weigh(a)
					if err != nil {
						return err
					}
					// Whole micro-hours, the unit package balance sums in,
					// so that loads summed here and there agree exactly.
					c.weights = append(c.weights, balance.HoursPerWeek(math.Round(float64(wt.Hours)*1e6)/1e6))
					c.severity = float64(wt.Severity)
				}
				c.days = max(1, int(math.Round(7*dur.Rand())))
				if p := cfg.DeclineProbability; p > 0 {
					for wi := range cfg.Workers {
						if decRng.Float64() < p {
							c.declines = append(c.declines, wi)
						}
					}
				}
				if k <= -2 {
					// A past case went to a worker at the next meeting.
					c.initAssigned = start.AddDays(7 * (k + 1))
					if !c.initAssigned.AddDays(c.days).After(start) {
						continue // closed before the start
					}
				}
				all = append(all, drawn{c, seq})
			}
		}
	}
	slices.SortFunc(all, func(a, b drawn) int {
		return cmp.Or(a.arrived.Compare(b.arrived), cmp.Compare(a.typ, b.typ), cmp.Compare(a.seq, b.seq))
	})
	s.cases = make([]simCase, len(all))
	for i := range all {
		s.cases[i] = all[i].simCase
		s.byID[s.cases[i].id] = i
	}
	return nil
}

// shareOut gives the opening caseload to the team of the first week,
// heaviest case first to the worker least full after taking it who holds
// its skills and would not decline it (longest processing time first),
// the same for every policy.
func (s *scenario) shareOut() {
	team := s.team[0]
	load := make([]float64, len(team))
	start := s.dates[0]
	var open []int
	for i := range s.cases {
		if !s.cases[i].initAssigned.IsZero() {
			open = append(open, i)
		}
	}
	weightNow := func(i int) float64 {
		c := &s.cases[i]
		return float64(c.weights[c.phase(start.Sub(c.initAssigned)/7)])
	}
	slices.SortStableFunc(open, func(a, b int) int { return cmp.Compare(weightNow(b), weightNow(a)) })
	for _, ci := range open {
		c := &s.cases[ci]
		w := weightNow(ci)
		best, bestU := -1, math.Inf(1)
		for pass := 0; pass < 2 && best < 0; pass++ {
			for j, bw := range team {
				if bw.Capacity <= 0 {
					continue
				}
				if pass == 0 && (!holds(bw.Skills, c.skills) || slices.Contains(c.declines, s.onTeam[0][j])) {
					continue
				}
				if u := (load[j] + w) / float64(bw.Capacity); u < bestU {
					best, bestU = j, u
				}
			}
		}
		if best < 0 {
			c.initAssigned = civil.Date{} // nobody to hold it: it waits in the queue
			continue
		}
		load[best] += w
		c.initOwner = s.onTeam[0][best]
	}
}

// holds reports whether have includes every skill of need.
func holds(have, need []string) bool {
	for _, n := range need {
		if !slices.Contains(have, n) {
			return false
		}
	}
	return true
}
