package balance

import (
	"cmp"
	"math"
	"slices"
)

// A whyIndex counts, once per team, what [solver.whyNot] would find
// by asking every worker about every unplaceable case: how many workers
// lack each skill and which comes first, how many are unavailable and
// why, and the room each has under their caseload norm and hard
// capacity, sorted so that the workers a case would take above a limit
// are counted by binary search. A case is then explained in
// O(k + d + log m) for k skills and d declines, not O(m·(k + d)).
type whyIndex struct {
	m int
	// lackFirst caches, per skill ID, the first worker (solver index)
	// who lacks it, or m if every worker holds it.
	lackFirst map[int]int32
	// avail counts, per code a worker can be unavailable for (away, on
	// leave, leave soon, no capacity), the workers, and the first.
	availCount [len(availCodes)]int
	availFirst [len(availCodes)]int32
	// normRoom holds the room under the caseload norm of the workers
	// who have one, ascending; normPrefix the least room among workers
	// 0..k (no norm counts as infinite room), for the first worker a
	// case would take above their norm.
	normRoom, normPrefix []int64
	// hourRoom and hourPrefix do the same for hard capacity.
	hourRoom, hourPrefix []int64
	// buf is whyNot's list of reasons, kept from call to call.
	buf []whyReason
}

// availCodes are the codes of [Team.availability], in the order a
// worker's reasons list them.
var availCodes = [...]Code{CodeAway, CodeOnLeave, CodeLeaveSoon, CodePaused, CodeNoCapacity, CodeIntakeCap}

// whyIndex returns the solver's index of reasons for its current state,
// built on first use in O(m·r + m log m) for r reasons per worker.
func (s *solver) whyIndex() *whyIndex {
	if s.why != nil {
		return s.why
	}
	t := s.t
	w := &whyIndex{m: s.m, lackFirst: map[int]int32{}}
	for c := range w.availFirst {
		w.availFirst[c] = int32(s.m)
	}
	w.normPrefix = make([]int64, s.m)
	w.hourPrefix = make([]int64, s.m)
	normMin, hourMin := int64(math.MaxInt64), int64(math.MaxInt64)
	for k, i := range t.byID {
		for _, r := range t.avail[i] {
			c := slices.Index(availCodes[:], r.Code)
			w.availCount[c]++
			w.availFirst[c] = min(w.availFirst[c], int32(k))
		}
		if n := t.workers[i].CaseloadNorm; n != nil {
			room := toMicro(float64(*n)) + normSlack - s.shares[k]
			w.normRoom = append(w.normRoom, room)
			normMin = min(normMin, room)
		}
		w.normPrefix[k] = normMin
		if s.ro.hardCapacity {
			room := s.hourLimit[k] - s.hours[k]
			w.hourRoom = append(w.hourRoom, room)
			hourMin = min(hourMin, room)
		}
		w.hourPrefix[k] = hourMin
	}
	slices.Sort(w.normRoom)
	slices.Sort(w.hourRoom)
	s.why = w
	return w
}

// below returns how many of rooms (ascending) are below need, and the
// first worker whose prefix minimum is below need (m if none).
func below(rooms, prefix []int64, need int64) (int, int32) {
	n, _ := slices.BinarySearch(rooms, need) // rooms[:n] < need
	first, _ := slices.BinarySearchFunc(prefix, need, func(p, need int64) int {
		if p >= need {
			return -1
		}
		return 1
	})
	return n, int32(first)
}

// lackFirst returns the first worker who lacks the held skill id.
func (s *solver) lackFirst(w *whyIndex, id int) int32 {
	if f, ok := w.lackFirst[id]; ok {
		return f
	}
	f := int32(s.m)
	for k, h := range s.skillHolders()[id] {
		if h != int32(k) {
			f = int32(k)
			break
		}
	}
	if f == int32(s.m) && len(s.skillHolders()[id]) < s.m {
		f = int32(len(s.skillHolders()[id]))
	}
	w.lackFirst[id] = f
	return f
}

// A whyReason is one reason counted over the team, with the first
// worker it applies to and its rank among one worker's reasons, which
// together give the order in which asking worker by worker would first
// meet it.
type whyReason struct {
	r     Reason
	first int32
	rank  [3]int
}

// whyNot explains why no worker may take case i now: each reason with
// the number of workers it rules out, in a sentence that holds for all
// of them, in the order in which asking the workers one by one, in ID
// order, would first meet it ([Team.outReasons] gives each worker's
// reasons, and the rule is the same). Once the solver has stopped
// early it gives only the first, that no worker may take the case: the
// rules cost a look at each skill and decline of every such case.
func (s *solver) whyNot(i int32) []Reason {
	t := s.t
	c := &t.cases[i]
	if s.cancelled {
		return append(s.reasonList(1), Reason{Code: CodeNoEligible, Case: c.ID, Count: s.m}.withMessage())
	}
	w := s.whyIndex()
	// out is the solver's buffer, reused from case to case: a team may
	// hold many cases no one may take, and the reasons are copied out.
	out := w.buf[:0]
	add := func(code Code, skill string, count int, first int32, rank [3]int) {
		if count > 0 {
			out = append(out, whyReason{Reason{Code: code, Case: c.ID, Skill: skill, Count: count}, first, rank})
		}
	}
	// Missing skills, in the order outReasons names them: by the word
	// of their ID, then as the case lists them; unknown ones after.
	holders := s.skillHolders()
	// A skill listed twice counts once: a short list is searched, a
	// long one (a hostile caller's) kept in a map.
	var seen map[string]bool
	if len(c.Skills) > 8 {
		seen = make(map[string]bool, len(c.Skills))
	}
	for pos, sk := range c.Skills {
		if seen != nil && seen[sk] || seen == nil && slices.Contains(c.Skills[:pos], sk) {
			continue
		}
		if seen != nil {
			seen[sk] = true
		}
		if id, ok := t.skillID[sk]; ok {
			add(CodeMissingSkill, sk, s.m-len(holders[id]), s.lackFirst(w, id), [3]int{0, id / 64, pos})
		} else {
			add(CodeMissingSkill, sk, s.m, 0, [3]int{1, pos})
		}
	}
	// Declines: each worker on the team who declined, once.
	if decl := s.declinedBy([]int32{i}); len(decl) > 0 {
		add(CodeDeclined, "", len(decl), decl[0], [3]int{2})
	}
	if n, first := below(w.normRoom, w.normPrefix, toMicro(c.share())); n > 0 {
		add(CodeAtNorm, "", n, first, [3]int{3})
	}
	for k, code := range availCodes {
		add(code, "", w.availCount[k], w.availFirst[k], [3]int{4 + k})
	}
	if s.ro.hardCapacity {
		if n, first := below(w.hourRoom, w.hourPrefix, toMicro(float64(c.Weight))); n > 0 {
			add(CodeOverCapacity, "", n, first, [3]int{8})
		}
	}
	slices.SortStableFunc(out, func(a, b whyReason) int {
		return cmp.Or(cmp.Compare(a.first, b.first), slices.Compare(a.rank[:], b.rank[:]))
	})
	rs := s.reasonList(len(out) + 1)
	rs = append(rs, Reason{Code: CodeNoEligible, Case: c.ID, Count: s.m}.withMessage())
	for _, r := range out {
		rs = append(rs, r.r.withCountMessage(s.m))
	}
	w.buf = out[:0]
	return rs
}
