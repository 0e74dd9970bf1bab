package balance

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/internal/idindex"
)

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
	// byID lists worker indices sorted by worker ID; rank is its
	// inverse: per worker, their place in ID order.
	byID []int32
	rank []int32
	// declEnd and declChunks list, per case k, the workers on the team
	// who declined it, by rank, ascending and once each: the lists of
	// the cases of one chunk of the scan lie one after another in the
	// chunk's array, and declEnd[k] is where k's list ends in it (see
	// [Team.declined]). Both are nil when no case has declines. The
	// look-ups are made once, when the cases are checked; offsets rather
	// than a slice per case keep the lists free of pointers for the
	// garbage collector to scan, and the chunks' arrays are kept as the
	// scan made them: joined, they were copied, 88 MB with 3% of 5,000
	// workers declining each of 150,000 cases.
	declEnd    []int32
	declChunks []declChunk
	// widx and cidx map IDs to indices in workers and cases; cidx is
	// nil on a team prepared for one ranking whose case IDs increase
	// (see [Team.caseIndex]).
	widx map[string]int32
	cidx *idindex.Index
	// skillID numbers every skill a worker holds; held is a bit set of
	// words per worker.
	skillID map[string]int
	words   int
	held    []uint64
	// owner is, per case, the index of its owner, or noOwner for a
	// queued or orphaned case; nil on a team prepared for one ranking
	// without an intake cap (see [Team.ownerOf]).
	owner []int32
	// ws holds each worker's running totals, in the order of workers.
	ws []wstate
	// base holds, per worker, what a ranking shows of them and tests
	// them by that depends on no case ([Team.setRankBases]).
	base []rankBase
	// weightIsEffort reports that no worker has efficiency factors: a
	// case without fit fields of its own takes anyone its weight.
	weightIsEffort bool
	// avail holds, per worker, the reasons they take no new case at all
	// (away, leave, no capacity), whatever the case.
	avail [][]Reason
	// absent marks the workers who are away or on leave today: for a
	// rebalance they keep their cases unless the options re-place them.
	absent []bool
	// families lists every group's cases, sorted by name, for the
	// solver, which takes the families in that order on every Propose;
	// famOf is, per case, the index of its family there, or -1. A team
	// prepared for one ranking lists instead, in grouped, the cases of
	// the ranked case's group, rankGroup, and the pinned cases of every
	// group, which validation checks (see [Team.family]).
	famOf     []int32
	families  []family
	grouped   []int32
	rankGroup string
	notices   []Reason
	// oneShot marks a team prepared for one ranking ([prepare]): it
	// has no notices and no map of families.
	oneShot bool
	// caseLevels reports that the case scan met a case with Levels.
	caseLevels bool
	// intakeLeft and intakeRecent are, per worker, the new cases the
	// intake cap still allows and those given in its period; nil
	// without a cap.
	intakeLeft, intakeRecent []int32
	// caseOrder returns the case indices in case ID order, sorted at
	// the first proposal and kept for the next ([Team.casesByID]);
	// callers do not modify it. effortVaries reports, worked out once,
	// whether some case's effort differs from its weight
	// ([Team.effortVariesScan]). Each scan took 0.004–0.01 s of every
	// proposal at 150,000 cases, past a deadline too.
	caseOrder    func() []int32
	effortVaries func() bool
	// holders returns, worked out once, the holders of each skill
	// ([Team.skillHolders]); callers do not modify them.
	holders func() [][]int32
	// weightSum returns, worked out once, the weight of every case with
	// a finite weight, in micro-hours ([Team.weightScan]): each score
	// read it, twice a proposal, 0.003 s each at 150,000 cases.
	weightSum func() int64
	// units keeps, between proposals, the solver's array of units
	// (a *[]unit), the largest it allocates: 23 MB at 150,000 cases,
	// whose first touch cost 15 ms a proposal, past a deadline too.
	units sync.Pool
}

// noOwner stands for the owner of a case no worker on the team holds:
// a queued or orphaned case.
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
func Prepare(p Problem, opts *Options) (*Team, error) { return prepare(p, opts, nil) }

// prepare is [Prepare]; with rank not nil it prepares a team for one
// ranking of *rank, as [Rank] does: it finds and reports the same
// faults and computes the same loads, but leaves out what that ranking
// does not read, the team's notices and its families other than that
// of *rank (see [Team.family]).
func prepare(p Problem, opts *Options, rank *Case) (*Team, error) {
	oneShot := rank != nil
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
		oneShot: oneShot,
	}
	if !oneShot {
		// A team prepared for one ranking proposes nothing.
		t.caseOrder = sync.OnceValue(t.casesByID)
		t.effortVaries = sync.OnceValue(t.effortVariesScan)
		t.holders = sync.OnceValue(t.skillHolders)
		t.weightSum = sync.OnceValue(t.weightScan)
	}
	if oneShot {
		t.rankGroup = rank.Group
	}
	if p.AsOf.IsZero() {
		errs = append(errs, &InputError{Field: "AsOf", Err: ErrNoDate})
	}
	t.indexWorkers()
	// Levels are rare. When no worker has any, the case scan tells
	// whether some case has, and only then are they expanded and the
	// cases scanned again, with their level skills: no pass over the
	// cases looks for them first.
	workerLevels := slices.ContainsFunc(t.workers, func(w Worker) bool { return len(w.Levels) > 0 })
	var werrs []error
	workers := func() {
		werrs = t.checkWorkers(nil)
		t.sortWorkers()
		if workerLevels {
			werrs = append(werrs, t.expandLevels()...)
		}
		t.indexSkills()
		t.availability()
	}
	var cerrs []error
	if oneShot && !workerLevels {
		// The scan for one ranking reads none of what the workers'
		// checks, order, skills and availability make, so they are one
		// more job of the scan, off its path.
		cerrs = t.indexCases(nil, workers)
	} else {
		workers()
		cerrs = t.indexCases(nil, nil)
	}
	errs = append(errs, werrs...)
	before := len(errs)
	errs = append(errs, cerrs...)
	if t.caseLevels && !workerLevels {
		// The workers' skills stay as they are, and so do their index
		// and availability.
		errs = append(errs[:before], t.expandLevels()...)
		t.notices, t.famOf, t.families, t.grouped, t.declEnd, t.declChunks = nil, nil, nil, nil, nil, nil
		errs = t.indexCases(errs, nil)
	}
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	t.applyIntakeCap()
	t.setRankBases()
	if !oneShot {
		t.checkNorms()
		slices.SortFunc(t.notices, compareNotices)
	}
	return t, nil
}

// indexWorkers maps each worker ID to the first worker with it. It
// checks nothing: checkWorkers reports empty and duplicate IDs.
func (t *Team) indexWorkers() {
	m := len(t.workers)
	t.widx = make(map[string]int32, m)
	for i := range t.workers {
		if id := t.workers[i].ID; id != "" {
			if _, dup := t.widx[id]; !dup {
				t.widx[id] = int32(i)
			}
		}
	}
}

// sortWorkers lists the workers in ID order, in t.byID, and sets their
// places in it, in t.rank.
func (t *Team) sortWorkers() {
	m := len(t.workers)
	t.byID = make([]int32, m)
	for i := range t.byID {
		t.byID[i] = int32(i)
	}
	slices.SortFunc(t.byID, func(a, b int32) int { return strings.Compare(t.workers[a].ID, t.workers[b].ID) })
	t.rank = make([]int32, m)
	for k, i := range t.byID {
		t.rank[i] = int32(k)
	}
}

// indexSkills numbers the skills the workers hold, in name order so
// that nothing depends on map order, and sets each worker's skills as
// a bit set of t.words words in t.held.
func (t *Team) indexSkills() {
	t.skillID = make(map[string]int)
	for i := range t.workers {
		for _, s := range t.workers[i].Skills {
			if _, ok := t.skillID[s]; !ok && s != "" {
				t.skillID[s] = len(t.skillID)
			}
		}
	}
	names := make([]string, 0, len(t.skillID))
	for s := range t.skillID {
		names = append(names, s)
	}
	slices.Sort(names)
	for i, s := range names {
		t.skillID[s] = i
	}
	t.words = (len(names) + 63) / 64
	t.held = make([]uint64, len(t.workers)*t.words)
	for i := range t.workers {
		for _, s := range t.workers[i].Skills {
			if id, ok := t.skillID[s]; ok {
				t.held[i*t.words+id/64] |= 1 << (id % 64)
			}
		}
	}
}

// indexCases indexes the case IDs, checks every case, resolves owners,
// sums each worker's totals and collects the families. It appends a
// fault for each duplicate ID and each invalid case to errs. With side
// not nil, it runs side too, as one more job beside the scan's: side
// must write nothing that the scan reads.
func (t *Team) indexCases(errs []error, side func()) []error {
	n, m := len(t.cases), len(t.workers)
	if !t.oneShot || t.opts.intake != nil {
		// A ranking reads the owners of a few cases, looked up
		// when needed; the intake cap counts every worker's.
		t.owner = make([]int32, n)
	}
	t.weightIsEffort = !slices.ContainsFunc(t.workers, func(w Worker) bool { return len(w.Efficiency) > 0 })

	// Large problems are cut into chunks that two goroutines take in
	// turn, with building the case-ID index, which the scan does not
	// read, as one more job: the index no longer waits for the scan nor
	// the scan for the index. Each goroutine sums into its own totals
	// and each chunk keeps its own findings, joined in case order: the
	// sums are of integers, so the result is the same bit for bit
	// however the jobs fall.
	//
	// A ranking looks one case up: if the IDs come in order, as from a
	// case system that lists cases by number, none repeats and a binary
	// search finds it, with no index to build (see [Team.caseIndex]).
	// The scan of each chunk checks the order of its IDs, from the last
	// of the chunk before, where a pass of its own read every case
	// again; the first to find them out of order builds the index while
	// the other goroutine scans on.
	chunks, workers := 1, 1
	if n >= parallelCases {
		chunks, workers = min(n/chunkCases, maxChunks), 2
	}
	scans := make([]caseScan, chunks)
	ws := make([][]wstate, workers)
	var dups []idindex.Duplicate
	index := func() { t.cidx, dups = idindex.New(n, t.caseID) }
	var next atomic.Int32
	var indexing atomic.Bool
	run := func(k int) {
		ws[k] = make([]wstate, m)
		var oc ownerCache    // this goroutine's, for all its chunks
		var dc declinerCache // likewise, made when a chunk has many declines
		for {
			// Job 0 is the index, unless the scan is to ask for it,
			// job 1 side, and the chunks follow.
			j := int(next.Add(1)) - 1
			switch {
			case j == 0:
				if !t.oneShot {
					index()
				}
			case j == 1:
				if side != nil {
					side()
				}
			case j <= chunks+1:
				lo, hi := (j-2)*n/chunks, (j-1)*n/chunks
				sc := &scans[j-2]
				t.scanCases(lo, hi, sc, ws[k], &oc, &dc)
				if sc.disorder && indexing.CompareAndSwap(false, true) {
					index()
				}
			default:
				return
			}
		}
	}
	var wg sync.WaitGroup
	for k := 1; k < workers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			run(k)
		}()
	}
	run(0)
	wg.Wait()

	for _, d := range dups {
		if t.cases[d.At].ID != "" {
			errs = append(errs, &InputError{Field: fmt.Sprintf("Cases[%d].ID", d.At), ID: t.cases[d.At].ID, Err: ErrDuplicateID})
		}
	}
	t.ws = ws[0]
	for _, w := range ws[1:] {
		for i := range t.ws {
			a, b := &t.ws[i], &w[i]
			a.load += b.load
			a.shares += b.shares
			a.count += b.count
			a.recent7 += b.recent7
			a.recent28 += b.recent28
		}
	}
	t.joinDeclines(scans)
	var grouped []int32
	for k := range scans {
		sc := &scans[k]
		t.caseLevels = t.caseLevels || sc.levels
		errs = append(errs, sc.errs...)
		t.notices = append(t.notices, sc.notices...)
		grouped = append(grouped, sc.grouped...)
	}
	if len(grouped) > 0 && t.oneShot {
		t.grouped = grouped
	} else if len(grouped) > 0 {
		t.groupFamilies(grouped)
	}
	if len(grouped) > 0 {
		errs = t.checkPinnedGroups(errs, grouped)
	}
	return errs
}

// groupFamilies sets t.families and t.famOf from the cases of every
// group, listed in case order. The families are numbered in order of
// first case by an index of their names ([idindex.New]), which reports
// each repeat of a name with its first place: a map of names took 0.11 s
// at 150,000 families, a look-up and an insert each. Then their cases
// are counted and every family's list, in case order, cut from one
// array: a few allocations for all the families rather than a few for
// each.
func (t *Team) groupFamilies(grouped []int32) {
	_, dups := idindex.New(len(grouped), func(k int32) string { return t.cases[grouped[k]].Group })
	var names []int32 // per family, the place in grouped of its first case
	gid := make([]int32, len(grouped))
	for k := range grouped {
		if len(dups) > 0 && dups[0].At == int32(k) {
			gid[k] = gid[dups[0].First]
			dups = dups[1:]
			continue
		}
		gid[k] = int32(len(names))
		names = append(names, int32(k))
	}
	start := make([]int32, len(names)+1)
	for _, id := range gid {
		start[id+1]++
	}
	for id := range names {
		start[id+1] += start[id]
	}
	all := make([]int32, len(grouped))
	next := slices.Clone(start[:len(names)])
	for k, i := range grouped {
		all[next[gid[k]]] = i
		next[gid[k]]++
	}
	t.families = make([]family, len(names))
	for id, k := range names {
		g := t.cases[grouped[k]].Group
		lo, hi := start[id], start[id+1]
		t.families[id] = family{idKey(g), g, all[lo:hi:hi]}
	}
	// In name order, comparing the names' first 8 bytes and reading
	// the names only on a tie ([idKey]): through the names, scattered
	// over the heap, the sort took 0.06 s at 125,000 families.
	slices.SortFunc(t.families, compareFamilies)
	t.famOf = make([]int32, len(t.cases))
	for i := range t.famOf {
		t.famOf[i] = -1
	}
	for id, f := range t.families {
		for _, i := range f.cases {
			t.famOf[i] = int32(id)
		}
	}
}

// compareFamilies orders families by name.
func compareFamilies(a, b family) int {
	if a.key != b.key {
		return cmp.Compare(a.key, b.key)
	}
	return strings.Compare(a.name, b.name)
}

// parallelCases is the number of cases from which Prepare scans them in
// two goroutines; below it the goroutine costs more than it saves.
const parallelCases = 1 << 12

// chunkCases is the fewest cases in a chunk of a parallel scan, and
// maxChunks the most chunks: enough jobs that two goroutines end close
// together, few enough that each chunk's findings cost little to join.
const (
	chunkCases = 1 << 10
	maxChunks  = 16
)

// A caseScan is what scanning a range of cases finds: faults, notices
// and family members.
type caseScan struct {
	lo, hi  int // the range of cases scanned
	errs    []error
	notices []Reason
	grouped []int32
	// decl holds the cases' resolved decliners, one after another, and
	// declAt where each case that has some ends in decl, in case order.
	decl   []int32
	declAt []declEnd
	// levels reports a case with Levels.
	levels bool
	// disorder reports, on a team prepared for one ranking, a case
	// whose ID is not above the one before it.
	disorder bool
}

// A declEnd records that the decliners of case at end at end in the
// decliners of a [caseScan].
type declEnd struct{ at, end int32 }

// A declChunk holds the decliners of a chunk of cases from lo on, one
// case's list after another ([Team.declEnd]).
type declChunk struct {
	lo int32
	w  []int32
}

// joinDeclines keeps the decliners that the scans of consecutive ranges
// of cases resolved, in t.declEnd and t.declChunks, leaving both nil
// when no case has a decline.
func (t *Team) joinDeclines(scans []caseScan) {
	if !slices.ContainsFunc(scans, func(sc caseScan) bool { return len(sc.decl) > 0 }) {
		return
	}
	t.declEnd = make([]int32, len(t.cases))
	t.declChunks = make([]declChunk, 0, len(scans))
	for s := range scans {
		sc := &scans[s]
		t.declChunks = append(t.declChunks, declChunk{int32(sc.lo), sc.decl})
		// A case without decliners ends its list where the one before
		// it ended, or at 0, the first of the chunk.
		end, next := int32(0), sc.lo // next: the first case not yet done
		for _, d := range sc.declAt {
			fillInt32(t.declEnd[next:d.at], end)
			end, next = d.end, int(d.at)+1
			t.declEnd[d.at] = end
		}
		fillInt32(t.declEnd[next:sc.hi], end)
	}
}

// fillInt32 sets every element of s to v.
func fillInt32(s []int32, v int32) {
	for k := range s {
		s[k] = v
	}
}

// declined returns the workers on the team who declined case k, by
// rank, ascending and once each. The list is shared: do not modify it.
func (t *Team) declined(k int32) []int32 {
	if t.declEnd == nil {
		return nil
	}
	// The chunk of k: the last that starts at or before it (at most
	// maxChunks).
	c := len(t.declChunks) - 1
	for t.declChunks[c].lo > k {
		c--
	}
	ch := &t.declChunks[c]
	lo, hi := int32(0), t.declEnd[k]
	if k > ch.lo {
		lo = t.declEnd[k-1]
	}
	return ch.w[lo:hi:hi]
}

// scanCases validates cases lo to hi-1, resolves their owners into
// t.owner (when the team keeps them), adds their findings to sc and
// their totals to ws, and remembers owners in oc and decliners in dc.
// On a team prepared
// for one ranking it checks that the IDs increase from case lo-1 on. It reads the team's
// worker and skill indexes and writes only its own range of t.owner,
// so ranges may be scanned at once.
//
// Most cases are plain: valid numbers, no declines and none of the fit
// fields. A few comparisons tell such a case, and only the others go
// through every check one by one (the same checks: a plain case passes
// them all).
func (t *Team) scanCases(lo, hi int, sc *caseScan, ws []wstate, oc *ownerCache, dc *declinerCache) {
	sc.lo, sc.hi = lo, hi
	asOf := t.asOf
	week, month := asOf.AddDays(-6), asOf.AddDays(-27)
	// The slices the loop reads and writes, held in locals so that the
	// compiler need not load them again after every write. A team
	// prepared for one ranking keeps no owners ([Team.ownerOf]), and
	// its scan skips what only notices need: tested first, the flag
	// saves reading the rest.
	cases, oneShot := t.cases[lo:hi], t.oneShot
	var absent []bool // read only for notices: one ranking's scan runs while it is made
	if !oneShot {
		absent = t.absent
	}
	var owner []int32
	if t.owner != nil {
		owner = t.owner[lo:hi]
	}
	plainLoad := t.weightIsEffort
	// order: the IDs are still to be checked for order, after prev (the
	// empty ID before the first case, which only an empty ID fails).
	order, prev := oneShot, ""
	if lo > 0 {
		prev = t.cases[lo-1].ID
	}
	for k := range cases {
		c, i := &cases[k], lo+k
		if order {
			if c.ID <= prev {
				sc.disorder, order = true, false
			}
			prev = c.ID
		}
		plain := plainCase(c)
		if !plain {
			t.checkOddCase(sc, i, c, dc)
		}
		if c.Group != "" && (!oneShot || c.Pinned || c.Group == t.rankGroup) {
			sc.grouped = append(sc.grouped, int32(i))
		}
		if owner != nil {
			owner[k] = noOwner
		}
		if c.Owner == "" {
			continue
		}
		w, ok := oc.find(t, c.Owner)
		if !ok {
			if !oneShot {
				sc.notices = append(sc.notices, Reason{Code: CodeOrphaned, Case: c.ID, Worker: c.Owner}.withMessage())
				if c.Pinned {
					sc.notices = append(sc.notices, Reason{Code: CodeStalePin, Case: c.ID, Worker: c.Owner}.withMessage())
				}
			}
			continue
		}
		if owner != nil {
			owner[k] = w
		}
		if !oneShot {
			if absent[w] {
				sc.notices = append(sc.notices, Reason{Code: CodeAwayOwner, Case: c.ID, Worker: c.Owner}.withMessage())
			}
			if len(c.Skills) > 0 || len(c.Declines) > 0 {
				sc.notices = t.checkHeld(sc.notices, c, w)
			}
		}
		st := &ws[w]
		switch {
		case !plain && (!isFinite(float64(c.Weight)) || !isFinite(float64(c.Share))):
			// Reported; it adds no load. A plain case's numbers are
			// valid, so finite, and it has no fit fields.
		case plainLoad && (plain || len(c.Fit) == 0 && c.CoWorker == ""):
			// Its effort is its weight ([Team.heldLoad]), and c.Share
			// zero counts as one share.
			if c.Weight > 0 {
				st.load += toMicro(float64(c.Weight))
			}
			if c.Share == 0 {
				st.shares += micro
			} else {
				st.shares += toMicro(float64(c.Share))
			}
		default:
			st.load += t.heldLoad(c, w)
			st.shares += toMicro(c.share())
			if j, l := t.coLoad(c); j != noOwner {
				ws[j].load += l
			}
		}
		st.count++
		if !c.Assigned.IsZero() && !c.Assigned.After(asOf) {
			if !c.Assigned.Before(week) {
				st.recent7++
			}
			if !c.Assigned.Before(month) {
				st.recent28++
			}
		}
	}
}

// plainCase reports whether c passes every check of [Team.checkCase]
// and [Team.checkOddCase] without a closer look: it has an ID, valid
// numbers, no empty skill name, no declines, none of the fit fields,
// and no pin without an owner.
func plainCase(c *Case) bool {
	// The lengths are or'ed, one test for all; a Severity of 0 is
	// valid hours too.
	if c.ID == "" || len(c.Declines)|len(c.Levels)|len(c.Fit)|len(c.CoWorker) != 0 || c.CoShare != 0 ||
		c.Pinned && c.Owner == "" ||
		!validHours(float64(c.Weight)) || !validHours(float64(c.Share)) || !validHours(c.Severity) {
		return false
	}
	for _, s := range c.Skills {
		if s == "" {
			return false
		}
	}
	return true
}

// checkOddCase checks case i, c, field by field, adding its faults
// and notices to sc and, unless the team is prepared for one ranking,
// its resolved decliners to sc.decl, looked up through dc once it is
// made.
func (t *Team) checkOddCase(sc *caseScan, i int, c *Case, dc *declinerCache) {
	if t.oneShot {
		// A ranking reads the declines of the case it ranks, not those
		// of the team's cases: it checks them and keeps no lists.
		sc.levels = sc.levels || len(c.Levels) > 0
		sc.errs, sc.notices = t.checkCase(sc.errs, sc.notices, i, c, nil, nil)
		if c.Pinned && c.Owner == "" {
			sc.errs = append(sc.errs, &InputError{Field: fmt.Sprintf("Cases[%d].Pinned", i), ID: c.ID, Err: ErrPinnedWithoutOwner})
		}
		return
	}
	if len(c.Declines) > 0 && sc.decl == nil {
		// Room for every decline of the chunk's cases from this one on,
		// counted first: a few comparisons a case. Grown by appends, the
		// lists were copied over and over: with 3% of 5,000 workers
		// declining every case, 447 MB allocated for 90 MB of decliners.
		n, k := 0, 0
		for j := i; j < sc.hi; j++ {
			if d := len(t.cases[j].Declines); d > 0 {
				n += d
				k++
			}
		}
		sc.decl, sc.declAt = make([]int32, 0, n), make([]declEnd, 0, k)
		if dc.slots == nil && declinerCacheFor(n, len(t.workers)) {
			dc.init(len(t.workers))
		}
	}
	sc.levels = sc.levels || len(c.Levels) > 0
	start := len(sc.decl)
	sc.errs, sc.notices = t.checkCase(sc.errs, sc.notices, i, c, &sc.decl, dc)
	if len(sc.decl) > start {
		sc.declAt = append(sc.declAt, declEnd{int32(i), int32(len(sc.decl))})
	}
	if c.Pinned && c.Owner == "" {
		sc.errs = append(sc.errs, &InputError{Field: fmt.Sprintf("Cases[%d].Pinned", i), ID: c.ID, Err: ErrPinnedWithoutOwner})
	}
}

// ownerOf returns the index of the owner of case k, or noOwner for a
// queued or orphaned case. A team prepared for one ranking keeps no
// owners, unless its intake cap counts them: it looks up the few it
// needs, which costs less than a list of every case's.
func (t *Team) ownerOf(k int32) int32 {
	if t.owner != nil {
		return t.owner[k]
	}
	if w, ok := t.worker(t.cases[k].Owner); ok {
		return w
	}
	return noOwner
}

// caseID returns the ID of case i: the key of the case index.
func (t *Team) caseID(i int32) string { return t.cases[i].ID }

// worker returns the index of the worker with the given ID.
func (t *Team) worker(id string) (int32, bool) {
	i, ok := t.widx[id]
	return i, ok
}

// caseIndex returns the index of the case with the given ID. A team
// prepared for one ranking whose case IDs increase has no index: it
// searches them, in O(log n) comparisons of IDs.
func (t *Team) caseIndex(id string) (int32, bool) {
	if t.cidx == nil {
		i := sort.Search(len(t.cases), func(i int) bool { return t.cases[i].ID >= id })
		return int32(i), i < len(t.cases) && t.cases[i].ID == id
	}
	return t.cidx.Find(id, t.caseID)
}

// compareNotices orders notices by case ID, then code, worker and
// skill.
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

// Load returns the current load of the worker with the given ID, and
// whether the worker is on the team.
func (t *Team) Load(worker string) (HoursPerWeek, bool) {
	i, ok := t.worker(worker)
	if !ok {
		return 0, false
	}
	return HoursPerWeek(fromMicro(t.ws[i].load)), true
}
