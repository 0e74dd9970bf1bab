package balance

import (
	"slices"
	"strings"
)

// An IncomingLoad is what a receiver has been offered and not yet
// answered: shown beside their load, never added to it. Until
// acceptance the cases count on the sender.
type IncomingLoad struct {
	// Worker is the receiver's ID.
	Worker string `json:"worker"`
	// Handovers counts the pending handovers offered to the worker;
	// Cases counts their cases.
	Handovers int `json:"handovers"`
	Cases     int `json:"cases"`
	// Load is the sum of the incoming cases' effort for the receiver
	// (their weights, unless [Case.Fit], the receiver's efficiency or a
	// co-worker say otherwise), over the cases the problem lists, in
	// hours per week; Shares counts them against a caseload
	// norm ([Case.Share]). Zero when none is listed.
	Load   HoursPerWeek `json:"load"`
	Shares Shares       `json:"shares"`
	// Unknown counts incoming cases the problem does not list (such as
	// cases from another team), or lists with a weight or share that is
	// not a valid number: they are in Cases but not in Load or Shares.
	// Zero means every incoming case is weighed.
	Unknown int `json:"unknown,omitempty"`
}

// Incoming returns, for each worker with pending handovers offered to
// them in p's team, what those handovers would bring, by worker ID: so
// that a ranking or a score can say "including 2 incoming handovers".
// It changes no load: [Score], [Rank] and [Propose] count the cases on
// their senders until acceptance.
//
// hs are handovers such as [HandoverLog.Pending] returns; those not
// pending are skipped. team names p's team, as for [HandoverLog.Apply]:
// a handover counts when its [Offer.Team] is empty or team. A receiver
// who is not on p's team is listed all the same. Incoming does not
// validate p; a case ID listed twice is weighed by its first listing.
// It takes O(n + c) time for n cases in p and c cases in hs.
func Incoming(p Problem, hs []Handover, team string) []IncomingLoad {
	index := make(map[string]int, len(p.Cases))
	for i := len(p.Cases) - 1; i >= 0; i-- {
		index[p.Cases[i].ID] = i
	}
	workers := make(map[string]*Worker, len(p.Workers))
	for i := len(p.Workers) - 1; i >= 0; i-- {
		workers[p.Workers[i].ID] = &p.Workers[i]
	}
	type sums struct {
		handovers, cases, unknown int
		load, shares              int64
	}
	by := map[string]*sums{}
	for _, h := range hs {
		if !h.Pending() || (h.Team != "" && h.Team != team) {
			continue
		}
		s := by[h.To]
		if s == nil {
			s = &sums{}
			by[h.To] = s
		}
		s.handovers++
		for _, id := range h.Cases {
			s.cases++
			i, ok := index[id]
			if !ok {
				s.unknown++
				continue
			}
			c := &p.Cases[i]
			if hoursErr(float64(c.Weight)) != nil || hoursErr(float64(c.Share)) != nil {
				s.unknown++
				continue
			}
			w := workers[h.To]
			if w == nil {
				w = &Worker{ID: h.To} // not on the team: no factors
			}
			s.load += ownLoad(c, w) // as the receiver will carry it
			s.shares += toMicro(c.share())
		}
	}
	out := make([]IncomingLoad, 0, len(by))
	for w, s := range by {
		out = append(out, IncomingLoad{Worker: w, Handovers: s.handovers, Cases: s.cases,
			Load: HoursPerWeek(fromMicro(s.load)), Shares: Shares(fromMicro(s.shares)), Unknown: s.unknown})
	}
	slices.SortFunc(out, func(a, b IncomingLoad) int { return strings.Compare(a.Worker, b.Worker) })
	return out
}
