package balance

import (
	"slices"

	"github.com/caseload/caseload/civil"
)

// availability works out, per worker, the reasons they take no new
// case at all, whatever the case (away, on leave or with leave starting
// within the look-ahead, no capacity), and whether they are absent
// today (away or on leave), in which case a rebalance leaves them their
// cases.
func (t *Team) availability() {
	m := len(t.workers)
	t.avail = make([][]Reason, m)
	t.absent = make([]bool, m)
	horizon := t.asOf.AddWorkingDays(t.opts.lookahead)
	for i := range t.workers {
		w := &t.workers[i]
		var rs []Reason
		if w.Away {
			rs = append(rs, Reason{Code: CodeAway, Worker: w.ID}.withMessage())
		}
		// The absence in force today, else the first that starts within
		// the look-ahead.
		var now, soon *civil.Period
		for j := range w.Absences {
			a := &w.Absences[j]
			if a.Contains(t.asOf) && (now == nil || endsLater(a, now)) {
				now = a
			}
			if a.From.After(t.asOf) && !a.From.After(horizon) && (soon == nil || a.From.Before(soon.From)) {
				soon = a
			}
		}
		t.absent[i] = w.Away || now != nil
		if now != nil {
			rs = append(rs, Reason{Code: CodeOnLeave, Worker: w.ID, Date: now.To}.withMessage())
		} else if soon != nil {
			rs = append(rs, Reason{Code: CodeLeaveSoon, Worker: w.ID, Date: soon.From}.withMessage())
		}
		if w.Pause.pausedOn(t.asOf) {
			rs = append(rs, Reason{Code: CodePaused, Worker: w.ID, Date: w.Pause.Until, Note: w.Pause.Reason}.withMessage())
		}
		if w.Capacity <= 0 {
			rs = append(rs, Reason{Code: CodeNoCapacity, Worker: w.ID}.withMessage())
		}
		t.avail[i] = rs
	}
}

// couldTake reports whether worker i could take a case that needs the
// skills need (and unknown, which nobody holds) with shares micro-shares
// after it, its declines aside: [Team.outReasons] without the reasons.
func (t *Team) couldTake(i int32, need []uint64, unknown []string, shares int64) bool {
	if len(unknown) > 0 || len(t.avail[i]) > 0 {
		return false
	}
	held := t.held[int(i)*t.words : int(i+1)*t.words]
	for k, bits := range need {
		if bits&^held[k] != 0 {
			return false
		}
	}
	return !overNorm(&t.workers[i], shares)
}

// overNorm reports whether worker w would be above their caseload norm
// with shares micro-shares, beyond [normSlack]; never without a norm.
func overNorm(w *Worker, shares int64) bool {
	return w.CaseloadNorm != nil && shares > toMicro(float64(*w.CaseloadNorm))+normSlack
}

// endsLater reports whether period a ends after period b; a period
// without an end ends last.
func endsLater(a, b *civil.Period) bool {
	return !b.To.IsZero() && (a.To.IsZero() || a.To.After(b.To))
}

// required returns the bit set of the skills c requires, and the
// required skills no worker holds.
func (t *Team) required(c *Case) (need []uint64, unknown []string) {
	if len(c.Skills) == 0 && len(c.Levels) == 0 {
		return nil, nil
	}
	need = make([]uint64, t.words)
	for _, s := range c.levelSkills() {
		if id, ok := t.skillID[s]; ok {
			need[id/64] |= 1 << (id % 64)
		} else if !slices.Contains(unknown, s) {
			unknown = append(unknown, s)
		}
	}
	return need, unknown
}

// appendOutReasons appends to rs every reason worker i cannot take c,
// given the skills c needs and the shares worker i would carry with it,
// and returns the extended slice. It is the one eligibility rule that
// ranking and rebalancing share; ranking writes the same reasons, in the
// same order, through [rankQuery.appendOut]. The reasons it builds have
// no Message, but for those of [Team.avail].
func (t *Team) appendOutReasons(rs []Reason, i int32, c *Case, need []uint64, unknown []string, sharesAfter int64) []Reason {
	wk := &t.workers[i]
	held := t.held[int(i)*t.words : int(i+1)*t.words]
	for k, bits := range need {
		missing := bits &^ held[k]
		if missing == 0 {
			continue
		}
		// Name the missing skills in the order the case lists them.
		for _, s := range c.levelSkills() {
			if id, ok := t.skillID[s]; ok && id/64 == k && missing&(1<<(id%64)) != 0 {
				missing &^= 1 << (id % 64)
				rs = append(rs, Reason{Code: CodeMissingSkill, Worker: wk.ID, Skill: s})
			}
		}
	}
	for _, s := range unknown {
		rs = append(rs, Reason{Code: CodeMissingSkill, Worker: wk.ID, Skill: s})
	}
	for _, d := range c.Declines {
		if d.Worker == wk.ID {
			rs = append(rs, Reason{Code: CodeDeclined, Worker: wk.ID, Note: d.Reason})
			break
		}
	}
	if overNorm(wk, sharesAfter) {
		rs = append(rs, Reason{Code: CodeAtNorm, Worker: wk.ID, Value: fromMicro(sharesAfter), Threshold: float64(*wk.CaseloadNorm)})
	}
	return append(rs, t.avail[i]...)
}

// checkHeld flags a case that its owner, worker w, holds against a hard
// rule: a required skill w lacks, or a decline by w. Such a case is
// flagged, not moved: the team decides.
func (t *Team) checkHeld(notices []Reason, c *Case, w int32) []Reason {
	for _, s := range c.Skills {
		if !t.holds(w, s) {
			notices = append(notices, Reason{Code: CodeHeldMissingSkill, Case: c.ID, Worker: c.Owner, Skill: s}.withMessage())
		}
	}
	for _, d := range c.Declines {
		if d.Worker == c.Owner {
			notices = append(notices, Reason{Code: CodeHeldDeclined, Case: c.ID, Worker: c.Owner, Note: d.Reason}.withMessage())
			break
		}
	}
	return notices
}

// fewSkills is the most skills a worker may hold for [Team.holds] to
// compare names rather than look the skill up.
const fewSkills = 4

// holds reports whether worker w holds skill s. Most workers hold a
// skill or two: comparing s with their names costs less than looking s
// up in t.skillID.
func (t *Team) holds(w int32, s string) bool {
	if sk := t.workers[w].Skills; len(sk) <= fewSkills {
		return s != "" && slices.Contains(sk, s)
	}
	id, ok := t.skillID[s]
	return ok && t.held[int(w)*t.words+id/64]&(1<<(id%64)) != 0
}

// checkNorms flags workers who hold more shares than their caseload
// norm allows. They keep their cases and take no new ones. An absent
// worker is not flagged: their norm is often zero because
// they are absent, and their cases are flagged as held by an absent
// worker already.
func (t *Team) checkNorms() {
	for _, i := range t.byID {
		w := &t.workers[i]
		if t.absent[i] {
			continue
		}
		if w.CaseloadNorm != nil && t.ws[i].shares > toMicro(float64(*w.CaseloadNorm))+normSlack {
			t.notices = append(t.notices, Reason{Code: CodeOverNorm, Worker: w.ID,
				Value: fromMicro(t.ws[i].shares), Threshold: float64(*w.CaseloadNorm)}.withMessage())
		}
	}
}
