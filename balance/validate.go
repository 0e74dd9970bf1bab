package balance

import (
	"fmt"
	"math"
	"slices"
)

// joinErrors joins errs, flattening nested joins so that callers see one
// flat list; its message names the first few hundred and counts the
// rest (see [faults]). It returns nil if errs holds no error.
func joinErrors(errs []error) error {
	var flat faults
	for _, e := range errs {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			flat = append(flat, j.Unwrap()...)
		} else if e != nil {
			flat = append(flat, e)
		}
	}
	if len(flat) == 0 {
		return nil
	}
	return flat
}

// maxHours is the largest weight or capacity accepted, in hours per
// week. Loads are summed exactly in micro-hours in an int64, so this
// bound keeps every sum of up to nine million cases from overflowing.
const maxHours = 1e6

// hoursErr returns nil if v is a valid number of hours or shares, and
// the fault otherwise.
func hoursErr(v float64) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return ErrNotFinite
	case v < 0:
		return ErrNegative
	case v > maxHours:
		return fmt.Errorf("%w: %v exceeds %v", ErrTooLarge, v, float64(maxHours))
	}
	return nil
}

// validHours reports whether v is a valid number of hours or shares:
// [hoursErr] returns nil for it. It is cheap enough for every case.
func validHours(v float64) bool { return v >= 0 && v <= maxHours }

// isFinite reports whether v is neither NaN nor infinite.
func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// checkHours appends an error if v is not a valid number of hours or
// shares. The field name is built only for a fault, off the hot path.
func checkHours(errs []error, field func() string, id string, v float64) []error {
	if e := hoursErr(v); e != nil {
		errs = append(errs, &InputError{Field: field(), ID: id, Err: e})
	}
	return errs
}

// checkSkills appends an error for each empty skill name in skills.
func checkSkills(errs []error, field func() string, id string, skills []string) []error {
	for i, s := range skills {
		if s == "" {
			errs = append(errs, &InputError{Field: fmt.Sprintf("%s.Skills[%d]", field(), i), ID: id, Err: ErrEmptySkill})
		}
	}
	return errs
}

// fieldName returns a func that formats the field of element i of kind
// ("Cases", "Workers"), for an error.
func fieldName(kind string, i int, sub string) func() string {
	return func() string { return fmt.Sprintf("%s[%d]%s", kind, i, sub) }
}

// checkWorkers appends an error for each fault in the workers, worker
// by worker: an empty or duplicate ID (by t.widx, which holds the
// first worker with each ID), capacity, caseload norm, skills and
// absences.
func (t *Team) checkWorkers(errs []error) []error {
	for i := range t.workers {
		w := &t.workers[i]
		f := func() string { return fmt.Sprintf("Workers[%d]", i) }
		if w.ID == "" {
			errs = append(errs, &InputError{Field: f() + ".ID", Err: ErrEmptyID})
		} else if t.widx[w.ID] != int32(i) {
			errs = append(errs, &InputError{Field: f() + ".ID", ID: w.ID, Err: ErrDuplicateID})
		}
		errs = checkHours(errs, fieldName("Workers", i, ".Capacity"), w.ID, float64(w.Capacity))
		if w.Capacity > 0 && w.Capacity < 1/micro {
			// Utilization divides by capacity: a capacity that rounds to
			// nothing would make it infinite.
			errs = append(errs, &InputError{Field: fmt.Sprintf("Workers[%d].Capacity", i), ID: w.ID, Err: ErrTooSmall})
		}
		if w.CaseloadNorm != nil {
			errs = checkHours(errs, fieldName("Workers", i, ".CaseloadNorm"), w.ID, float64(*w.CaseloadNorm))
		}
		errs = checkSkills(errs, f, w.ID, w.Skills)
		for j, a := range w.Absences {
			if a.Check() != nil {
				errs = append(errs, &InputError{Field: fmt.Sprintf("%s.Absences[%d]", f(), j), ID: w.ID, Err: ErrBadPeriod})
			}
		}
		if p := w.Pressure; p != nil && !(*p >= 0 && *p <= 1) {
			errs = append(errs, &InputError{Field: f() + ".Pressure", ID: w.ID, Err: ErrNotFraction})
		}
		errs = checkFitWorker(errs, i, w)
	}
	return errs
}

// checkCase validates the fields of one case that need no index, and
// resolves its declines, appending them to decl by rank, ascending and
// once each: one slice for a chunk of cases rather than one per case.
// With decl nil it checks the declines and resolves none, noting no
// decliner who is not on the team; with dc made, it looks them up
// through dc.
func (t *Team) checkCase(errs []error, notices []Reason, i int, c *Case, decl *[]int32, dc *declinerCache) ([]error, []Reason) {
	if c.ID == "" {
		errs = append(errs, &InputError{Field: fmt.Sprintf("Cases[%d].ID", i), Err: ErrEmptyID})
	}
	if e := hoursErr(float64(c.Weight)); e != nil {
		errs = append(errs, &InputError{Field: fmt.Sprintf("Cases[%d].Weight", i), ID: c.ID, Err: e})
	}
	if e := hoursErr(float64(c.Share)); e != nil {
		errs = append(errs, &InputError{Field: fmt.Sprintf("Cases[%d].Share", i), ID: c.ID, Err: e})
	}
	if c.Severity != 0 {
		if e := hoursErr(c.Severity); e != nil {
			errs = append(errs, &InputError{Field: fmt.Sprintf("Cases[%d].Severity", i), ID: c.ID, Err: e})
		}
	}
	if len(c.Skills) > 0 {
		errs = checkSkills(errs, fieldName("Cases", i, ""), c.ID, c.Skills)
	}
	if len(c.Levels) > 0 || len(c.Fit) > 0 || c.CoWorker != "" || c.CoShare != 0 {
		errs = t.checkFitCase(errs, fieldName("Cases", i, ""), c)
	}
	if decl == nil {
		// Checked only: no decliner is looked up.
		for j, d := range c.Declines {
			if d.Worker == "" {
				errs = append(errs, &InputError{Field: fmt.Sprintf("Cases[%d].Declines[%d].Worker", i, j), ID: c.ID, Err: ErrEmptyID})
			}
		}
		return errs, notices
	}
	find := t.worker
	if dc != nil && dc.slots != nil {
		find = func(id string) (int32, bool) { return dc.find(t, id) }
	}
	start := len(*decl)
	for j, d := range c.Declines {
		switch w, ok := find(d.Worker); {
		case d.Worker == "":
			errs = append(errs, &InputError{Field: fmt.Sprintf("Cases[%d].Declines[%d].Worker", i, j), ID: c.ID, Err: ErrEmptyID})
		case !ok:
			notices = append(notices, Reason{Code: CodeUnknownDecliner, Case: c.ID, Worker: d.Worker, Note: d.Reason}.withMessage())
		default:
			*decl = append(*decl, t.rank[w])
		}
	}
	if d := (*decl)[start:]; len(d) > 1 {
		slices.Sort(d)
		d = slices.Compact(d)
		*decl = (*decl)[:start+len(d)]
	}
	return errs, notices
}

// checkPinnedGroups reports groups whose pinned cases sit with different
// workers: no proposal could keep them together.
func (t *Team) checkPinnedGroups(errs []error, grouped []int32) []error {
	// The first pinned case of each family, in case order.
	first := map[string]int32{}
	for _, i := range grouped {
		c := &t.cases[i]
		if !c.Pinned || t.ownerOf(i) == noOwner {
			continue
		}
		f, ok := first[c.Group]
		if !ok {
			first[c.Group] = i
		} else if t.ownerOf(i) != t.ownerOf(f) {
			errs = append(errs, &InputError{Field: fmt.Sprintf("Cases[%d].Pinned", i), ID: c.ID,
				Err: fmt.Errorf("%w: group %s, %s with %s and %s with %s", ErrPinnedGroupSplit, quote(c.Group),
					quote(t.cases[f].ID), quote(t.cases[f].Owner), quote(c.ID), quote(c.Owner))})
		}
	}
	return errs
}

// checkNewCase validates a case given to Rank.
func (t *Team) checkNewCase(c *Case) error {
	var errs []error
	if c.ID == "" {
		errs = append(errs, &InputError{Field: "Case.ID", Err: ErrEmptyID})
	}
	errs = checkHours(errs, func() string { return "Case.Weight" }, c.ID, float64(c.Weight))
	errs = checkHours(errs, func() string { return "Case.Share" }, c.ID, float64(c.Share))
	errs = checkSkills(errs, func() string { return "Case" }, c.ID, c.Skills)
	for j, d := range c.Declines {
		if d.Worker == "" {
			errs = append(errs, &InputError{Field: fmt.Sprintf("Case.Declines[%d].Worker", j), ID: c.ID, Err: ErrEmptyID})
		}
	}
	errs = t.checkFitCase(errs, func() string { return "Case" }, c)
	if len(errs) > 0 {
		return joinErrors(errs)
	}
	return nil
}
