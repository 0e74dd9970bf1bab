package balance

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/internal/idindex"
)

// micro is the number of fixed-point units in one hour, or in one case
// share. Loads and shares are summed exactly in these units, so that a
// sum does not depend on the order of the cases.
const micro = 1e6

// toMicro converts hours (or shares) to fixed-point units, rounding to
// the nearest unit. v must be finite and at most maxHours.
func toMicro(v float64) int64 { return int64(math.Round(v * micro)) }

// fromMicro converts fixed-point units back to hours or shares.
func fromMicro(u int64) float64 { return float64(u) / micro }

// capSlack is the tolerance, in micro-hours, with which a capacity of
// capM micro-hours is held: one micro-hour plus one part per million.
// Weights and capacities computed in floating point round to
// micro-hours one by one, so thirty cases of 4×12/52 h/wk sum to a few
// micro-hours more than the 120×12/52 h/wk they fill exactly; such a
// worker is full, not over.
func capSlack(capM int64) int64 { return 1 + capM/1_000_000 }

// overCapacity reports whether a load of load micro-hours is above
// capacity, beyond [capSlack].
func overCapacity(load int64, capacity HoursPerWeek) bool {
	capM := toMicro(float64(capacity))
	return load > capM+capSlack(capM)
}

// utilization returns a load of load micro-hours as a fraction of
// capacity: exactly 1 when the load is within [capSlack] of it, and 0
// without capacity.
func utilization(load int64, capacity HoursPerWeek) float64 {
	if capacity <= 0 {
		return 0
	}
	capM := toMicro(float64(capacity))
	if d := load - capM; -capSlack(capM) <= d && d <= capSlack(capM) {
		return 1
	}
	return fromMicro(load) / float64(capacity)
}

// A Team is a [Problem] validated, indexed and with its loads computed,
// ready to answer many questions: the weekly allocation meeting ranks
// the whole queue against one Team. Build it with [Prepare].
//
// A Team keeps references to the Problem's slices: do not modify them
// while the Team is in use. A Team is safe for concurrent use.
type Team struct {
	asOf    civil.Date
	opts    options
	workers []Worker
	cases   []Case
	// byID lists worker indices sorted by worker ID.
	byID []int32
	// widx and cidx map IDs to indices in workers and cases.
	widx map[string]int32
	cidx *idindex.Index
	// skillID numbers every skill a worker holds; held is a bit set of
	// words per worker.
	skillID map[string]int
	words   int
	held    []uint64
	// owner is, per case, the index of its owner, or noOwner for a
	// queued or orphaned case.
	owner []int32
	// ws holds each worker's running totals, in the order of workers.
	ws []wstate
	// avail holds, per worker, the reasons they take no new case at all
	// (away, leave, no capacity), whatever the case.
	avail [][]Reason
	// absent marks the workers who are away or on leave today: for a
	// rebalance they keep their cases unless the options re-place them.
	absent []bool
	// groups maps a group name to the indices of its cases.
	groups  map[string][]int32
	notices []Reason
}

const noOwner = -1

// A wstate is one worker's running totals, kept together so that adding
// a case touches one cache line.
type wstate struct {
	// load is in micro-hours, shares in micro-shares.
	load, shares int64
	// count counts the worker's cases; recent7 and recent28 those given
	// to them in the last 7 and 28 days.
	count, recent7, recent28 int32
}

// Prepare validates p and computes its loads, once, for many rankings
// and scores. It does not modify p.
//
// Prepare returns an error joining one [*InputError] for each fault in p
// or opts: empty or duplicate IDs, NaN, infinite, negative or too large
// numbers, an unset AsOf, periods that end before they start, empty
// skill names, a pinned case without an owner, and pinned cases of one
// group held by different workers. Everything else that is odd but
// workable (an owner or decliner who is not on the team, an away owner)
// is not an error: it is reported in [Team.Notices].
//
// The time complexity is O(n + m·s) for n cases, m workers and s
// skills, with hashing of every ID.
func Prepare(p Problem, opts *Options) (*Team, error) {
	o, err := opts.resolve()
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	t := &Team{
		asOf:    p.AsOf,
		opts:    o,
		workers: p.Workers,
		cases:   p.Cases,
	}
	if p.AsOf.IsZero() {
		errs = append(errs, &InputError{Field: "AsOf", Err: ErrNoDate})
	}
	errs = t.indexWorkers(errs)
	errs = t.indexCases(errs)
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	t.checkNorms()
	slices.SortFunc(t.notices, compareNotices)
	return t, nil
}

// joinErrors joins errs, flattening nested joins so that callers see one
// flat list.
func joinErrors(errs []error) error {
	var flat []error
	for _, e := range errs {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			flat = append(flat, j.Unwrap()...)
		} else {
			flat = append(flat, e)
		}
	}
	return errors.Join(flat...)
}

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

// checkHours appends an error if v is not a valid number of hours or
// shares. The field name is built only for a fault, off the hot path.
func checkHours(errs []error, field func() string, id string, v float64) []error {
	if e := hoursErr(v); e != nil {
		errs = append(errs, &InputError{Field: field(), ID: id, Err: e})
	}
	return errs
}

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

func (t *Team) indexWorkers(errs []error) []error {
	m := len(t.workers)
	t.widx = make(map[string]int32, m)
	t.skillID = make(map[string]int)
	for i := range t.workers {
		w := &t.workers[i]
		f := func() string { return fmt.Sprintf("Workers[%d]", i) }
		if w.ID == "" {
			errs = append(errs, &InputError{Field: f() + ".ID", Err: ErrEmptyID})
		} else if _, dup := t.widx[w.ID]; dup {
			errs = append(errs, &InputError{Field: f() + ".ID", ID: w.ID, Err: ErrDuplicateID})
		} else {
			t.widx[w.ID] = int32(i)
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
		for _, s := range w.Skills {
			if _, ok := t.skillID[s]; !ok && s != "" {
				t.skillID[s] = len(t.skillID)
			}
		}
		for j, a := range w.Absences {
			fa := fmt.Sprintf("%s.Absences[%d]", f(), j)
			if a.Check() != nil {
				errs = append(errs, &InputError{Field: fa, ID: w.ID, Err: ErrBadPeriod})
			}
		}
	}
	t.byID = make([]int32, m)
	for i := range t.byID {
		t.byID[i] = int32(i)
	}
	slices.SortFunc(t.byID, func(a, b int32) int { return strings.Compare(t.workers[a].ID, t.workers[b].ID) })

	// Skills as bit sets, numbered in name order so that nothing depends
	// on map order.
	names := make([]string, 0, len(t.skillID))
	for s := range t.skillID {
		names = append(names, s)
	}
	slices.Sort(names)
	for i, s := range names {
		t.skillID[s] = i
	}
	t.words = (len(names) + 63) / 64
	t.held = make([]uint64, m*t.words)
	for i := range t.workers {
		for _, s := range t.workers[i].Skills {
			if id, ok := t.skillID[s]; ok {
				t.held[i*t.words+id/64] |= 1 << (id % 64)
			}
		}
	}

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
		if w.Capacity <= 0 {
			rs = append(rs, Reason{Code: CodeNoCapacity, Worker: w.ID}.withMessage())
		}
		t.avail[i] = rs
	}
	return errs
}

// endsLater reports whether period a ends after period b; a period
// without an end ends last.
func endsLater(a, b *civil.Period) bool {
	return !b.To.IsZero() && (a.To.IsZero() || a.To.After(b.To))
}

func (t *Team) indexCases(errs []error) []error {
	n, m := len(t.cases), len(t.workers)
	var dups []idindex.Duplicate
	t.cidx, dups = idindex.New(n, t.caseID)
	for _, d := range dups {
		if t.cases[d.At].ID != "" {
			errs = append(errs, &InputError{Field: fmt.Sprintf("Cases[%d].ID", d.At), ID: t.cases[d.At].ID, Err: ErrDuplicateID})
		}
	}
	t.owner = make([]int32, n)

	// Large problems are scanned in two halves at once, each into its
	// own totals, joined in case order: the sums are of integers, so
	// the result is the same bit for bit.
	parts := 1
	if n >= parallelCases {
		parts = 2
	}
	scans := make([]caseScan, parts)
	var wg sync.WaitGroup
	for k := range scans {
		scans[k].ws = make([]wstate, m)
		lo, hi := k*n/parts, (k+1)*n/parts
		if k == parts-1 {
			t.scanCases(lo, hi, &scans[k])
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.scanCases(lo, hi, &scans[k])
		}()
	}
	wg.Wait()
	t.ws = scans[0].ws
	var grouped []int32
	for k := range scans {
		sc := &scans[k]
		errs = append(errs, sc.errs...)
		t.notices = append(t.notices, sc.notices...)
		grouped = append(grouped, sc.grouped...)
		if k > 0 {
			for w := range t.ws {
				a, b := &t.ws[w], &sc.ws[w]
				a.load += b.load
				a.shares += b.shares
				a.count += b.count
				a.recent7 += b.recent7
				a.recent28 += b.recent28
			}
		}
	}
	if len(grouped) > 0 {
		t.groups = make(map[string][]int32)
		for _, i := range grouped {
			g := t.cases[i].Group
			t.groups[g] = append(t.groups[g], i)
		}
		errs = t.checkPinnedGroups(errs, grouped)
	}
	return errs
}

// parallelCases is the number of cases from which Prepare scans them in
// two goroutines; below it the goroutine costs more than it saves.
const parallelCases = 1 << 12

// A caseScan is what scanning a range of cases finds: faults, notices,
// family members, and per-worker totals.
type caseScan struct {
	errs    []error
	notices []Reason
	grouped []int32
	ws      []wstate
}

// scanCases validates cases lo to hi-1, resolves their owners into
// t.owner, and adds them to sc. It reads the team's indexes and writes
// only its own range of t.owner, so ranges may be scanned at once.
func (t *Team) scanCases(lo, hi int, sc *caseScan) {
	week, month := t.asOf.AddDays(-6), t.asOf.AddDays(-27)
	lastOwner, lastW := "", int32(noOwner)
	for i := lo; i < hi; i++ {
		c := &t.cases[i]
		sc.errs, sc.notices = t.checkCase(sc.errs, sc.notices, i, c)
		if c.Pinned && c.Owner == "" {
			sc.errs = append(sc.errs, &InputError{Field: fmt.Sprintf("Cases[%d].Pinned", i), ID: c.ID, Err: ErrPinnedWithoutOwner})
		}
		if c.Group != "" {
			sc.grouped = append(sc.grouped, int32(i))
		}
		t.owner[i] = noOwner
		if c.Owner == "" {
			continue
		}
		// Case systems often list cases by owner: skip the look-up then.
		w, ok := lastW, true
		if c.Owner != lastOwner || lastW == noOwner {
			w, ok = t.worker(c.Owner)
		}
		if !ok {
			sc.notices = append(sc.notices, Reason{Code: CodeOrphaned, Case: c.ID, Worker: c.Owner}.withMessage())
			if c.Pinned {
				sc.notices = append(sc.notices, Reason{Code: CodeStalePin, Case: c.ID, Worker: c.Owner}.withMessage())
			}
			continue
		}
		lastOwner, lastW = c.Owner, w
		t.owner[i] = w
		if t.absent[w] {
			sc.notices = append(sc.notices, Reason{Code: CodeAwayOwner, Case: c.ID, Worker: c.Owner}.withMessage())
		}
		sc.notices = t.checkHeld(sc.notices, c, w)
		st := &sc.ws[w]
		if isFinite(float64(c.Weight)) && isFinite(float64(c.Share)) {
			st.load += toMicro(float64(c.Weight))
			st.shares += toMicro(c.share())
		}
		st.count++
		if !c.Assigned.IsZero() && !c.Assigned.After(t.asOf) {
			if !c.Assigned.Before(week) {
				st.recent7++
			}
			if !c.Assigned.Before(month) {
				st.recent28++
			}
		}
	}
}

// checkHeld flags a case that its owner, worker w, holds against a hard
// rule: a required skill w lacks, or a decline by w. Such a case is
// flagged, not moved: the team decides.
func (t *Team) checkHeld(notices []Reason, c *Case, w int32) []Reason {
	held := t.held[int(w)*t.words : int(w+1)*t.words]
	for _, s := range c.Skills {
		if id, ok := t.skillID[s]; !ok || held[id/64]&(1<<(id%64)) == 0 {
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

// checkNorms flags workers who hold more shares than their caseload
// norm allows. They keep their cases and take no new ones.
func (t *Team) checkNorms() {
	for _, i := range t.byID {
		w := &t.workers[i]
		if w.CaseloadNorm != nil && t.ws[i].shares > toMicro(float64(*w.CaseloadNorm))+normSlack {
			t.notices = append(t.notices, Reason{Code: CodeOverNorm, Worker: w.ID,
				Value: fromMicro(t.ws[i].shares), Threshold: float64(*w.CaseloadNorm)}.withMessage())
		}
	}
}

func (t *Team) caseID(i int32) string { return t.cases[i].ID }

// worker returns the index of the worker with the given ID.
func (t *Team) worker(id string) (int32, bool) {
	i, ok := t.widx[id]
	return i, ok
}

// caseIndex returns the index of the case with the given ID.
func (t *Team) caseIndex(id string) (int32, bool) { return t.cidx.Find(id, t.caseID) }

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// checkCase validates the fields of one case that need no index.
func (t *Team) checkCase(errs []error, notices []Reason, i int, c *Case) ([]error, []Reason) {
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
	for j, d := range c.Declines {
		switch _, ok := t.worker(d.Worker); {
		case d.Worker == "":
			errs = append(errs, &InputError{Field: fmt.Sprintf("Cases[%d].Declines[%d].Worker", i, j), ID: c.ID, Err: ErrEmptyID})
		case !ok:
			notices = append(notices, Reason{Code: CodeUnknownDecliner, Case: c.ID, Worker: d.Worker, Note: d.Reason}.withMessage())
		}
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
		if !c.Pinned || t.owner[i] == noOwner {
			continue
		}
		f, ok := first[c.Group]
		if !ok {
			first[c.Group] = i
		} else if t.owner[i] != t.owner[f] {
			errs = append(errs, &InputError{Field: fmt.Sprintf("Cases[%d].Pinned", i), ID: c.ID,
				Err: fmt.Errorf("%w: group %q, %q with %q and %q with %q", ErrPinnedGroupSplit, c.Group,
					t.cases[f].ID, t.cases[f].Owner, c.ID, c.Owner)})
		}
	}
	return errs
}

func compareNotices(a, b Reason) int {
	return cmp.Or(strings.Compare(a.Case, b.Case), strings.Compare(string(a.Code), string(b.Code)),
		strings.Compare(a.Worker, b.Worker), strings.Compare(a.Skill, b.Skill))
}

// Notices returns what Prepare noticed about the problem that is not an
// error: orphaned cases, pins that no longer bind, declines by workers
// not on the team, cases held by absent workers, and cases held against
// a hard rule (an owner who lacks a required skill or declined the
// case, an owner above their caseload norm). They are sorted by case ID
// (notices about a worker, with no case, first), then code, worker and
// skill.
func (t *Team) Notices() []Reason { return slices.Clone(t.notices) }

// AsOf returns the date of the problem.
func (t *Team) AsOf() civil.Date { return t.asOf }
