package balance

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// A Proficiency is a grade in one skill. On a [Worker] it is the level
// the worker holds; on a [Case], the least level the case needs. A
// plain skill in Skills counts as level 1, so data without levels keeps
// its meaning.
type Proficiency struct {
	// Skill names the skill; it must not be empty.
	Skill string `json:"skill"`
	// Level is the grade, from 1 (a plain holder) to 10 ([MaxLevel]).
	// Zero is not a level and is rejected.
	Level int `json:"level"`
}

// MaxLevel is the highest proficiency level accepted.
const MaxLevel = 10

// An Efficiency says how long a worker takes over one kind of case,
// as a factor on its weight: a specialist who handles aggression cases
// at 0.8 of the hours, a newcomer at 1.3. Exactly one of Kind and Skill
// is set.
type Efficiency struct {
	// Kind matches a case's [Case.Kind].
	Kind string `json:"kind,omitempty"`
	// Skill matches a skill the case requires.
	Skill string `json:"skill,omitempty"`
	// Factor multiplies the case's weight, from 0.01 to 100; 1 means as
	// long as the weight says. Zero is rejected.
	Factor float64 `json:"factor"`
}

// A CostRule adds a fit cost to every case of one kind, or needing one
// skill, given to the worker who carries the rule: a mismatch of
// expertise, a long way to travel, a stated preference. Exactly one of
// Kind and Skill is set.
type CostRule struct {
	// Kind matches a case's [Case.Kind].
	Kind string `json:"kind,omitempty"`
	// Skill matches a skill the case requires.
	Skill string `json:"skill,omitempty"`
	// Cost is in the team's own cost units (points), from 0 to 1e6.
	// Zero adds nothing.
	Cost float64 `json:"cost"`
}

// A PairFit is what the caller computed for one case and one worker: the
// effort it would take them, and the cost of giving it to them.
type PairFit struct {
	// Worker is the ID of a worker on the team.
	Worker string `json:"worker"`
	// Effort, if not nil, is the hours per week the case would take this
	// worker, overriding the weight and the worker's efficiency factors.
	// Nil means computed; zero means no effort at all.
	Effort *HoursPerWeek `json:"effort,omitempty"`
	// Cost is the fit cost of the pair in cost units, from 0 to 1e6,
	// added to the cost of the worker's rules. Zero adds nothing.
	Cost float64 `json:"cost,omitempty"`
}

// An IntakeCap limits new cases per worker per period, as an
// eligibility rule ([CodeIntakeCap]): a worker who has been given
// Cases + ⌊open/PerOpen⌋ cases in the last Days days takes no new case.
// Cases count by their [Case.Assigned] date; cases a proposal places
// count too.
type IntakeCap struct {
	// Days is the length of the period in calendar days, ending on the
	// problem's date, from 1 to 3660. Zero is rejected.
	Days int `json:"days"`
	// Cases is the number of new cases allowed in the period whatever
	// the caseload. Zero allows none but for PerOpen.
	Cases int `json:"cases,omitempty"`
	// PerOpen, if positive, allows one more new case per PerOpen open
	// cases the worker holds (a child-welfare standard suggests one per
	// six). Zero adds nothing.
	PerOpen int `json:"per_open,omitempty"`
}

// Sentinel errors of the fit model, wrapped by [InputError].
var (
	ErrBadLevel  = fmt.Errorf("balance: proficiency level not from 1 to %d", MaxLevel)
	ErrBadFactor = fmt.Errorf("balance: efficiency factor not from 0.01 to 100")
	ErrBadRule   = fmt.Errorf("balance: a rule needs exactly one of kind and skill")
	ErrBadShare  = fmt.Errorf("balance: co-worker share not strictly between 0 and 1, or without a co-worker")
)

// maxFactor bounds efficiency factors, both ways.
const maxFactor = 100

// checkFitWorker appends an error for each fault in the fit fields of
// worker w, at index i.
func checkFitWorker(errs []error, i int, w *Worker) []error {
	f := func(s string, k int) string { return fmt.Sprintf("Workers[%d].%s[%d]", i, s, k) }
	for k, l := range w.Levels {
		if l.Skill == "" {
			errs = append(errs, &InputError{Field: f("Levels", k) + ".Skill", ID: w.ID, Err: ErrEmptySkill})
		}
		if l.Level < 1 || l.Level > MaxLevel {
			errs = append(errs, &InputError{Field: f("Levels", k) + ".Level", ID: w.ID, Err: ErrBadLevel})
		}
	}
	for k, e := range w.Efficiency {
		if (e.Kind == "") == (e.Skill == "") {
			errs = append(errs, &InputError{Field: f("Efficiency", k), ID: w.ID, Err: ErrBadRule})
		}
		if !(e.Factor >= 1.0/maxFactor && e.Factor <= maxFactor) {
			errs = append(errs, &InputError{Field: f("Efficiency", k) + ".Factor", ID: w.ID, Err: ErrBadFactor})
		}
	}
	for k, r := range w.Costs {
		if (r.Kind == "") == (r.Skill == "") {
			errs = append(errs, &InputError{Field: f("Costs", k), ID: w.ID, Err: ErrBadRule})
		}
		if e := hoursErr(r.Cost); e != nil {
			errs = append(errs, &InputError{Field: f("Costs", k) + ".Cost", ID: w.ID, Err: e})
		}
	}
	return errs
}

// checkFitCase appends an error for each fault in the fit fields of case
// c; field returns the name of the case ("Cases[3]" or "Case"), and is
// called only to report a fault.
func (t *Team) checkFitCase(errs []error, field func() string, c *Case) []error {
	for k, l := range c.Levels {
		if l.Skill == "" {
			errs = append(errs, &InputError{Field: fmt.Sprintf("%s.Levels[%d].Skill", field(), k), ID: c.ID, Err: ErrEmptySkill})
		}
		if l.Level < 1 || l.Level > MaxLevel {
			errs = append(errs, &InputError{Field: fmt.Sprintf("%s.Levels[%d].Level", field(), k), ID: c.ID, Err: ErrBadLevel})
		}
	}
	for k, pf := range c.Fit {
		fk := func() string { return fmt.Sprintf("%s.Fit[%d]", field(), k) }
		switch _, ok := t.worker(pf.Worker); {
		case pf.Worker == "":
			errs = append(errs, &InputError{Field: fk() + ".Worker", ID: c.ID, Err: ErrEmptyID})
		case !ok:
			errs = append(errs, &InputError{Field: fk() + ".Worker", ID: c.ID, Err: fmt.Errorf("%w: %q", ErrUnknownWorker, pf.Worker)})
		case slices.ContainsFunc(c.Fit[:k], func(q PairFit) bool { return q.Worker == pf.Worker }):
			errs = append(errs, &InputError{Field: fk() + ".Worker", ID: c.ID, Err: fmt.Errorf("%w: %q twice", ErrDuplicateID, pf.Worker)})
		}
		if pf.Effort != nil {
			if e := hoursErr(float64(*pf.Effort)); e != nil {
				errs = append(errs, &InputError{Field: fk() + ".Effort", ID: c.ID, Err: e})
			}
		}
		if e := hoursErr(pf.Cost); e != nil {
			errs = append(errs, &InputError{Field: fk() + ".Cost", ID: c.ID, Err: e})
		}
	}
	switch {
	case c.CoWorker == "" && c.CoShare != 0:
		errs = append(errs, &InputError{Field: field() + ".CoShare", ID: c.ID, Err: ErrBadShare})
	case c.CoWorker != "":
		if _, ok := t.worker(c.CoWorker); !ok {
			errs = append(errs, &InputError{Field: field() + ".CoWorker", ID: c.ID, Err: fmt.Errorf("%w: %q", ErrUnknownWorker, c.CoWorker)})
		}
		if !(c.CoShare > 0 && c.CoShare < 1) {
			errs = append(errs, &InputError{Field: field() + ".CoShare", ID: c.ID, Err: ErrBadShare})
		}
	}
	return errs
}

// checkIntakeCap returns the faults of an intake cap, for the option
// named field.
func checkIntakeCap(c *IntakeCap) []error {
	var errs []error
	bad := func(f, format string, args ...any) {
		errs = append(errs, &InputError{Field: "Options.IntakeCap." + f, Err: fmt.Errorf("%w: "+format, append([]any{ErrBadOption}, args...)...)})
	}
	if c.Days < 1 || c.Days > 3660 {
		bad("Days", "%d days is not from 1 to 3660", c.Days)
	}
	if c.Cases < 0 {
		bad("Cases", "%d is negative", c.Cases)
	}
	if c.PerOpen < 0 {
		bad("PerOpen", "%d is negative", c.PerOpen)
	}
	return errs
}

// levelSkill is the name under which level l of skill s joins the
// skill sets: a worker holding s at level L holds levelSkill(s, k) for
// every k from 2 to L, and a case needing level l of s requires s and
// levelSkill(s, l). The existing skill machinery (bit sets, classes,
// reasons) then enforces levels unchanged.
func levelSkill(s string, l int) string { return s + " (level " + strconv.Itoa(l) + ")" }

// expandLevels rewrites graded proficiency as plain skills, when any
// worker or case has levels: it clones the workers and cases (never
// modifying the problem) and adds the level skills. Invalid levels are
// left to validation. It returns an error for a plain skill whose name
// is that of a level skill in use.
func (t *Team) expandLevels() []error {
	addPlain := false
	for i := range t.cases {
		if len(t.cases[i].Levels) > 0 {
			addPlain = true
			break
		}
	}
	if !addPlain {
		for i := range t.workers {
			if len(t.workers[i].Levels) > 0 {
				addPlain = true
				break
			}
		}
	}
	if !addPlain {
		return nil
	}
	names := map[string]bool{}
	for i := range t.workers {
		for _, l := range t.workers[i].Levels {
			for k := 2; k <= l.Level && k <= MaxLevel; k++ {
				names[levelSkill(l.Skill, k)] = true
			}
		}
	}
	for i := range t.cases {
		for _, l := range t.cases[i].Levels {
			names[levelSkill(l.Skill, l.Level)] = true
		}
	}
	var errs []error
	t.workers = slices.Clone(t.workers)
	for i := range t.workers {
		w := &t.workers[i]
		for k, s := range w.Skills {
			if names[s] {
				errs = append(errs, &InputError{Field: fmt.Sprintf("Workers[%d].Skills[%d]", i, k), ID: w.ID,
					Err: fmt.Errorf("%w: %q is the name of a level", ErrBadLevel, s)})
			}
		}
		if len(w.Levels) == 0 {
			continue
		}
		w.Skills = withLevels(w.Skills, w.Levels, true)
	}
	t.cases = slices.Clone(t.cases)
	for i := range t.cases {
		c := &t.cases[i]
		if len(c.Levels) == 0 {
			continue
		}
		c.Skills = withLevels(c.Skills, c.Levels, false)
	}
	return errs
}

// withLevels returns a copy of skills with the skills that levels stand
// for added once each: a level's plain skill, and its level skill, or
// with every set the level skills of every level from 2 up to it (a
// worker holds every level up to theirs; a case needs its own). Levels
// out of range are left to validation.
func withLevels(skills []string, levels []Proficiency, every bool) []string {
	sk := slices.Clone(skills)
	add := func(name string) {
		if !slices.Contains(sk, name) {
			sk = append(sk, name)
		}
	}
	for _, l := range levels {
		if l.Skill == "" || l.Level < 1 || l.Level > MaxLevel {
			continue
		}
		add(l.Skill)
		lo := l.Level
		if every {
			lo = 2
		}
		for k := max(lo, 2); k <= l.Level; k++ {
			add(levelSkill(l.Skill, k))
		}
	}
	return sk
}

// applyIntakeCap adds the intake-cap reason to the availability of
// every worker who has had their allowance of new cases in the period.
// It needs the cases indexed.
func (t *Team) applyIntakeCap() {
	c := t.opts.intake
	if c == nil {
		return
	}
	t.intakeLeft = t.intakeAllowance()
	for i := range t.workers {
		if t.intakeLeft[i] <= 0 {
			t.avail[i] = append(t.avail[i], Reason{Code: CodeIntakeCap, Worker: t.workers[i].ID,
				Value: float64(t.intakeRecent[i]), Threshold: float64(t.intakeRecent[i] + t.intakeLeft[i]), Count: c.Days}.withMessage())
		}
	}
}

// intakeAllowance returns, per worker, how many more new cases the
// intake cap allows them now (possibly negative), and records in
// t.intakeRecent how many they were given in the period.
func (t *Team) intakeAllowance() []int32 {
	c := t.opts.intake
	from := t.asOf.AddDays(-(c.Days - 1))
	t.intakeRecent = make([]int32, len(t.workers))
	for i := range t.cases {
		d := t.cases[i].Assigned
		if w := t.owner[i]; w != noOwner && !d.IsZero() && !d.Before(from) && !d.After(t.asOf) {
			t.intakeRecent[w]++
		}
	}
	left := make([]int32, len(t.workers))
	for i := range left {
		limit := int64(c.Cases)
		if c.PerOpen > 0 {
			limit += int64(t.ws[i].count) / int64(c.PerOpen)
		}
		left[i] = int32(min(limit-int64(t.intakeRecent[i]), math.MaxInt32))
	}
	return left
}

// effort returns the hours per week case c takes worker j: the
// caller's effort for the pair if given, else the weight times the
// worker's factor for the case's kind, else for the first of the
// case's skills the worker has a factor for, else the weight.
func (t *Team) effort(c *Case, j int32) float64 { return caseEffort(c, &t.workers[j]) }

// caseEffort returns the hours per week case c takes worker w (see
// [Team.effort]).
func caseEffort(c *Case, w *Worker) float64 {
	for k := range c.Fit {
		if c.Fit[k].Worker == w.ID && c.Fit[k].Effort != nil {
			return float64(*c.Fit[k].Effort)
		}
	}
	return float64(c.Weight) * factor(c, w)
}

// factor returns worker w's efficiency factor for case c (see
// [Team.effort]).
func factor(c *Case, w *Worker) float64 {
	if len(w.Efficiency) == 0 {
		return 1
	}
	if c.Kind != "" {
		for _, e := range w.Efficiency {
			if e.Kind == c.Kind {
				return e.Factor
			}
		}
	}
	for _, s := range c.Skills {
		for _, e := range w.Efficiency {
			if e.Skill != "" && e.Skill == s {
				return e.Factor
			}
		}
	}
	return 1
}

// heldLoad returns, in micro-hours, the load case c puts on worker j
// while j holds it: its effort for j ([Team.effort]), less the share a
// co-worker carries. Invalid numbers, which validation reports, count
// as none.
func (t *Team) heldLoad(c *Case, j int32) int64 { return ownLoad(c, &t.workers[j]) }

// ownLoad returns, in micro-hours, the load case c puts on worker w
// while w holds it (see [Team.heldLoad]).
func ownLoad(c *Case, w *Worker) int64 {
	e := caseEffort(c, w)
	if c.CoWorker != "" && c.CoShare > 0 && c.CoShare < 1 {
		e *= 1 - c.CoShare
	}
	if !isFinite(e) || e < 0 {
		return 0
	}
	return toMicro(e)
}

// coLoad returns the co-worker on the team who carries a share of case
// c, and that share of the case's effort for them in micro-hours; or
// noOwner.
func (t *Team) coLoad(c *Case) (int32, int64) {
	if c.CoWorker == "" || !(c.CoShare > 0 && c.CoShare < 1) {
		return noOwner, 0
	}
	j, ok := t.worker(c.CoWorker)
	if !ok {
		return noOwner, 0
	}
	e := c.CoShare * t.effort(c, j)
	if !isFinite(e) || e < 0 {
		return noOwner, 0
	}
	return j, toMicro(e)
}

// effortVariesScan reports whether some case takes some worker other than
// its weight in hours: a worker has efficiency factors, a case has an
// effort of its own for a pair or a co-worker. [PolicyLoad] then evens
// out effort on teams of up to effortItems movable items, and weight
// above; [PolicyCounts] counts cases.
func (t *Team) effortVariesScan() bool {
	for i := range t.workers {
		if len(t.workers[i].Efficiency) > 0 {
			return true
		}
	}
	for i := range t.cases {
		c := &t.cases[i]
		if c.CoWorker != "" || slices.ContainsFunc(c.Fit, func(f PairFit) bool { return f.Effort != nil }) {
			return true
		}
	}
	return false
}

// fitCost returns the fit cost of giving case c to worker j: the sum of
// the worker's matching rules and the pair's own cost.
func (t *Team) fitCost(c *Case, j int32) float64 {
	w := &t.workers[j]
	cost := 0.0
	for _, r := range w.Costs {
		if (r.Kind != "" && r.Kind == c.Kind) || (r.Skill != "" && slices.Contains(c.Skills, r.Skill)) {
			cost += r.Cost
		}
	}
	for k := range c.Fit {
		if c.Fit[k].Worker == w.ID {
			cost += c.Fit[k].Cost
		}
	}
	return cost
}

// levelSkills returns the skills c requires, with its levels as level
// skills (see [levelSkill]): c.Skills itself when it has no levels.
func (c *Case) levelSkills() []string {
	if len(c.Levels) == 0 {
		return c.Skills
	}
	sk := slices.Clone(c.Skills)
	for _, l := range c.Levels {
		if !slices.Contains(sk, l.Skill) {
			sk = append(sk, l.Skill)
		}
		if l.Level >= 2 && !slices.Contains(sk, levelSkill(l.Skill, l.Level)) {
			sk = append(sk, levelSkill(l.Skill, l.Level))
		}
	}
	return sk
}

// previous returns the worker on the team who had c before
// ([Case.Previous]), unless the case's family has a worker already
// (family comes first), or noOwner. Ranking puts them first when they
// are eligible.
func (t *Team) previous(c *Case, family int32) int32 {
	if c.Previous == "" || family != noOwner {
		return noOwner
	}
	if w, ok := t.worker(c.Previous); ok {
		return w
	}
	return noOwner
}
