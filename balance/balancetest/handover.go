package balancetest

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
	"pgregory.net/rapid"
)

// OtherTeam is the team [HandoverLogGen] sends cases to when it hands
// them out of the team, and OtherWorker the worker in it who offers
// cases into the team. Neither is on any generated team.
const (
	OtherTeam   = "balancetest-other-team"
	OtherWorker = "balancetest-other-worker"
)

// LeftWorker is the worker, not on the team, that [HandoverLogGen]
// sometimes offers cases to: one who has left, so that an accepted
// offer leaves the case orphaned.
const LeftWorker = "balancetest-left"

// HandoverLogGen returns a generator of valid handover logs for p, the
// problem as it stood before the log's first event, with team the name
// of p's team ("" for handovers within one team): the log that a case
// system records as its workers offer cases and answer the offers.
//
// Each event is an offer or an answer, dated from p.AsOf on, a few days
// apart at most. An offer names a case that is not in transit and is
// held by its sender (or queued, offered from the intake queue), now
// and then with other cases of the same sender, or its whole family; it
// goes to a worker on the team, to [LeftWorker], or out of the team to
// [OtherTeam]. When team is not empty, [OtherWorker] of another team
// offers cases that p does not list into it. An answer accepts,
// rejects (with a reason), revokes or expires a pending handover.
// Handovers are named "h1", "h2" and so on; cases offered into the team
// "in-1", "in-2".
//
// Every log it draws replays: [balance.HandoverLog.Record] records its
// events, and [balance.HandoverLog.Apply] applies it to p with team. It
// panics if p lists a case ID twice or team is [OtherTeam], as a test
// helper may.
func HandoverLogGen(p balance.Problem, team string) *rapid.Generator[balance.HandoverLog] {
	if team == OtherTeam {
		panic("balancetest: HandoverLogGen: team " + strconv.Quote(team) + " is the other team")
	}
	seen := map[string]bool{}
	for _, c := range p.Cases {
		if seen[c.ID] {
			panic("balancetest: HandoverLogGen: case " + strconv.Quote(c.ID) + " listed twice")
		}
		seen[c.ID] = true
	}
	receivers := []string{LeftWorker}
	for _, w := range p.Workers {
		receivers = append(receivers, w.ID)
	}
	slices.Sort(receivers)
	receivers = slices.Compact(receivers)
	start := p.AsOf
	if start.IsZero() {
		start = GenerateAsOf()
	}
	return rapid.Custom(func(t *rapid.T) balance.HandoverLog {
		g := logDraw{owner: map[string]string{}, transit: map[string]bool{}, group: map[string]string{}, date: start}
		for _, c := range p.Cases {
			g.owner[c.ID] = c.Owner
			g.group[c.ID] = c.Group
			g.ids = append(g.ids, c.ID)
		}
		slices.Sort(g.ids)
		n := rapid.IntRange(0, 24).Draw(t, "events")
		for range n {
			g.date = g.date.AddDays(rapid.IntRange(0, 3).Draw(t, "days"))
			switch rapid.IntRange(0, 9).Draw(t, "step") {
			case 0, 1, 2, 3:
				g.offer(t, receivers)
			case 4:
				if team != "" {
					g.incoming(t, team, receivers)
				} else {
					g.offer(t, receivers)
				}
			default:
				g.answer(t)
			}
		}
		return balance.HandoverLog{Events: g.events}
	})
}

// logDraw is the state of a log being drawn: who holds each case of
// the team, and what waits for an answer.
type logDraw struct {
	ids     []string          // the team's cases, by ID
	owner   map[string]string // case → its holder ("" for the queue)
	group   map[string]string // case → its family
	transit map[string]bool   // case → in a pending handover
	open    []openOffer       // pending handovers, in order of offer
	events  []balance.HandoverEvent
	date    civil.Date
	next    int // handovers offered
	in      int // cases offered into the team
}

type openOffer struct {
	id    string
	offer balance.Offer
}

// free returns the cases that may be offered: in the team, not in
// transit.
func (g *logDraw) free() []string {
	var xs []string
	for _, id := range g.ids {
		if _, ok := g.owner[id]; ok && !g.transit[id] {
			xs = append(xs, id)
		}
	}
	return xs
}

func (g *logDraw) record(o balance.Offer) {
	g.next++
	id := "h" + strconv.Itoa(g.next)
	g.events = append(g.events, balance.HandoverEvent{Handover: id, Action: balance.ActionOffer, Date: g.date, Offer: &o})
	g.open = append(g.open, openOffer{id, o})
}

// offer offers a free case, with some of the other cases its sender
// holds, to another worker or out of the team.
func (g *logDraw) offer(t *rapid.T, receivers []string) {
	free := g.free()
	if len(free) == 0 {
		return
	}
	first := rapid.SampledFrom(free).Draw(t, "case")
	from := g.owner[first]
	o := balance.Offer{Cases: []string{first}, From: from}
	family := g.group[first] != "" && chance(t, "whole-family", 0.5)
	for _, id := range free {
		if id == first || g.owner[id] != from {
			continue
		}
		if family && g.group[id] == g.group[first] || !family && chance(t, "with", 0.1) {
			o.Cases = append(o.Cases, id)
		}
	}
	if family {
		o.Group = g.group[first]
	}
	to := slices.DeleteFunc(slices.Clone(receivers), func(w string) bool { return w == from })
	if len(to) == 0 || chance(t, "out-of-team", 0.15) {
		o.Team, o.To = OtherTeam, OtherWorker
	} else {
		o.To = rapid.SampledFrom(to).Draw(t, "to")
	}
	for _, id := range o.Cases {
		g.transit[id] = true
	}
	g.record(o)
}

// incoming offers a case that p does not list into the team, from
// another team.
func (g *logDraw) incoming(t *rapid.T, team string, receivers []string) {
	g.in++
	to := rapid.SampledFrom(receivers).Draw(t, "to")
	g.record(balance.Offer{Cases: []string{"in-" + strconv.Itoa(g.in)}, From: OtherWorker, To: to, Team: team})
}

// answer closes a pending handover, moving its cases if it is accepted.
func (g *logDraw) answer(t *rapid.T) {
	if len(g.open) == 0 {
		return
	}
	k := rapid.IntRange(0, len(g.open)-1).Draw(t, "handover")
	h := g.open[k]
	g.open = slices.Delete(g.open, k, k+1)
	a := rapid.SampledFrom([]balance.HandoverAction{balance.ActionAccept, balance.ActionAccept,
		balance.ActionReject, balance.ActionRevoke, balance.ActionExpire}).Draw(t, "action")
	e := balance.HandoverEvent{Handover: h.id, Action: a, Date: g.date}
	if a == balance.ActionReject {
		e.Note = "no room this month"
	}
	g.events = append(g.events, e)
	for _, id := range h.offer.Cases {
		if _, ours := g.owner[id]; !ours {
			continue // offered into the team: p does not list it
		}
		delete(g.transit, id)
		switch {
		case a != balance.ActionAccept:
		case h.offer.Team != "":
			delete(g.owner, id) // gone to the other team
		default:
			g.owner[id] = h.offer.To
		}
	}
}

// CheckHandovers reports every case that a handover adapter loses or
// duplicates: after and pending are what the adapter says the team
// looks like once the events of l have happened, before is the problem
// as it stood before the first of them, and team names before's team
// as for [balance.HandoverLog.Apply] ("" when handovers stay within
// one team). It returns nil if every case is accounted for exactly
// once, and otherwise an error joining one [*Violation] per fault
// (at most 100):
//
//   - [ErrHandoverLog]: l cannot be replayed on before without losing
//     or duplicating a case: an offer of a case in transit, held by
//     someone else than its sender or not in the team, a handover
//     offered twice, an answer to a handover never offered or already
//     answered, an offer without its offer or an unknown action. Then
//     nothing else is checked: the log itself is at fault.
//   - [ErrLost]: a case of before that no accepted handover took to
//     another team is missing from after; or a case in a pending
//     handover is in no handover of pending.
//   - [ErrDuplicated]: after lists a case twice, or lists one that an
//     accepted handover took to another team; or pending lists a case
//     in two handovers.
//   - [ErrMisplaced]: a case of after is not with the worker the log
//     leaves it with: the receiver of the last handover of it that was
//     accepted, else its holder in before (or the intake queue). A
//     pending handover leaves its cases with the sender. A case that
//     neither before nor an accepted handover into the team accounts
//     for is misplaced too, and so is a handover of pending that the
//     log does not leave pending, or that differs from its offer.
//
// A case accepted into the team from another that before does not list
// may be missing from after (the case system adds it, with its weight,
// when it arrives); if after lists it, its receiver holds it. Dates,
// reasons and who acted are [balance.HandoverLog.Record]'s to check,
// not this function's.
//
// The replay is this package's own, written from the documentation of
// [balance.Handover] and [balance.HandoverLog.Apply], so that Apply can
// be held against it too. If before lists a case ID twice or an empty
// one, CheckHandovers returns an error wrapping [ErrInput]. It never
// modifies its arguments. The time is O((n + c)·log(n + c)) for n cases
// in before and after and c cases named by l and pending.
func CheckHandovers(before balance.Problem, l balance.HandoverLog, team string, after balance.Problem, pending []balance.Handover) error {
	s := newLedger()
	for i, c := range before.Cases {
		if c.ID == "" {
			return fmt.Errorf("%w: before.Cases[%d] has no ID", ErrInput, i)
		}
		if _, twice := s.cases[c.ID]; twice {
			return fmt.Errorf("%w: before lists case %q twice", ErrInput, c.ID)
		}
		s.cases[c.ID] = &caseState{holder: c.Owner, inTeam: true}
	}
	var r report
	for i, e := range l.Events {
		s.step(&r, i, e, team)
	}
	if len(r.errs) > 0 {
		return r.err()
	}
	s.compare(&r, after)
	s.comparePending(&r, pending)
	return r.err()
}

// VerifyHandovers reports through t, one error each, every case that
// after and pending lose or duplicate as the team after l: it is
// [CheckHandovers] for a test. It does not stop the test.
func VerifyHandovers(t TB, before balance.Problem, l balance.HandoverLog, team string, after balance.Problem, pending []balance.Handover) {
	t.Helper()
	reportTo(t, CheckHandovers(before, l, team, after, pending))
}

// caseState is where a ledger has a case.
type caseState struct {
	holder  string // the worker who holds it, "" for the queue
	inTeam  bool   // in before, or accepted into the team
	arrived bool   // accepted into the team, not in before
	left    string // the team an accepted handover took it to
	by      string // the handover that last moved it
	transit string // the pending handover it is in
}

// handoverState is a handover as a ledger replays it.
type handoverState struct {
	offer balance.Offer
	open  bool
}

// ledger is this package's replay of a handover log: every case
// before lists or the log brings, and every handover.
type ledger struct {
	cases     map[string]*caseState
	handovers map[string]*handoverState
	order     []string // handover IDs, in order of offer
}

func newLedger() *ledger {
	return &ledger{cases: map[string]*caseState{}, handovers: map[string]*handoverState{}}
}

// step replays event i, adding to r what makes it impossible.
func (s *ledger) step(r *report, i int, e balance.HandoverEvent, team string) {
	bad := func(caseID, format string, args ...any) {
		r.addf(ErrHandoverLog, caseID, "", "", "event %d, handover %q: %s", i, e.Handover, fmt.Sprintf(format, args...))
	}
	h := s.handovers[e.Handover]
	switch e.Action {
	case balance.ActionOffer:
		switch {
		case h != nil:
			bad("", "offered twice")
			return
		case e.Offer == nil:
			bad("", "an offer without its offer")
			return
		}
		o := *e.Offer
		o.Cases = slices.Clone(o.Cases)
		// A case offered into this team from another is not ours to
		// hold; any other offer comes from a worker of this team.
		ours := o.Team == "" || o.Team != team
		ok := true
		for k, id := range o.Cases {
			c := s.cases[id]
			switch {
			case slices.Contains(o.Cases[:k], id):
				bad(id, "offered twice in one handover")
				ok = false
			case c != nil && c.transit != "":
				bad(id, "offered while in handover %q", c.transit)
				ok = false
			case !ours:
			case c == nil || !c.inTeam:
				bad(id, "not a case of the team")
				ok = false
			case c.holder != o.From:
				bad(id, "offered by %s, but held by %s", who(o.From), who(c.holder))
				ok = false
			}
		}
		if !ok {
			return
		}
		s.handovers[e.Handover] = &handoverState{offer: o, open: true}
		s.order = append(s.order, e.Handover)
		for _, id := range o.Cases {
			c := s.cases[id]
			if c == nil {
				c = &caseState{}
				s.cases[id] = c
			}
			c.transit = e.Handover
		}
	case balance.ActionAccept, balance.ActionReject, balance.ActionRevoke, balance.ActionExpire:
		switch {
		case h == nil:
			bad("", "%s of a handover never offered", e.Action)
			return
		case !h.open:
			bad("", "%s of a handover answered already", e.Action)
			return
		}
		h.open = false
		o := h.offer
		for _, id := range o.Cases {
			c := s.cases[id]
			c.transit = ""
			if e.Action != balance.ActionAccept {
				continue
			}
			switch {
			case o.Team != "" && o.Team != team:
				if c.inTeam {
					c.inTeam, c.left, c.by = false, o.Team, e.Handover
				}
			case o.Team != "" && !c.inTeam:
				c.inTeam, c.arrived, c.holder, c.by, c.left = true, true, o.To, e.Handover, ""
			default:
				c.holder, c.by = o.To, e.Handover
			}
		}
	default:
		bad("", "unknown action %q", e.Action)
	}
}

// compare adds to r each case that after loses, duplicates or places
// where the log does not leave it.
func (s *ledger) compare(r *report, after balance.Problem) {
	listed := map[string]string{}
	for _, c := range after.Cases {
		if _, twice := listed[c.ID]; twice {
			r.addf(ErrDuplicated, c.ID, c.Owner, c.Group, "listed twice in after")
			continue
		}
		listed[c.ID] = c.Owner
	}
	for _, id := range sortedKeys(s.cases) {
		c := s.cases[id]
		got, here := listed[id]
		switch {
		case !c.inTeam && c.left != "" && here:
			r.addf(ErrDuplicated, id, got, "", "still in the team, though handover %q took it to team %q", c.by, c.left)
		case !c.inTeam && here:
			r.addf(ErrMisplaced, id, got, "", "in after, though neither before nor an accepted handover into the team has it")
		case !c.inTeam:
		case !here && c.arrived:
			// Accepted into the team; the case system adds it later.
		case !here:
			r.addf(ErrLost, id, c.holder, "", "in the team, with %s, but not in after", who(c.holder))
		case got != c.holder && c.transit != "":
			r.addf(ErrMisplaced, id, got, "", "with %s, but pending in handover %q it stays with its sender, %s", who(got), c.transit, who(c.holder))
		case got != c.holder && c.by != "":
			r.addf(ErrMisplaced, id, got, "", "with %s, but handover %q gave it to %s", who(got), c.by, who(c.holder))
		case got != c.holder:
			r.addf(ErrMisplaced, id, got, "", "with %s, but no accepted handover moved it from %s", who(got), who(c.holder))
		}
	}
	for _, id := range sortedKeys(listed) {
		if s.cases[id] == nil {
			r.addf(ErrMisplaced, id, listed[id], "", "in after, though neither before nor an accepted handover into the team has it")
		}
	}
}

// comparePending adds to r each pending handover that pending leaves
// out, lists twice or gets wrong, and each one it lists that the log
// does not leave pending.
func (s *ledger) comparePending(r *report, pending []balance.Handover) {
	in := map[string][]string{} // case → the listed pending handovers it is in
	listed := map[string]bool{}
	for _, h := range pending {
		st := s.handovers[h.ID]
		switch {
		case listed[h.ID]:
			r.addf(ErrDuplicated, "", h.To, h.Group, "handover %q listed twice as pending", h.ID)
			continue
		case st == nil || !st.open || !h.Pending():
			r.addf(ErrMisplaced, "", h.To, h.Group, "handover %q listed as pending (%s), but the log does not leave it pending", h.ID, h.State)
			continue
		}
		listed[h.ID] = true
		o := st.offer
		if h.From != o.From || h.To != o.To || h.Team != o.Team || !sameSet(h.Cases, o.Cases) {
			r.addf(ErrMisplaced, "", h.To, h.Group, "pending handover %q offers %v from %s to %s (team %q); the log offers %v from %s to %s (team %q)",
				h.ID, h.Cases, who(h.From), who(h.To), h.Team, o.Cases, who(o.From), who(o.To), o.Team)
		}
		for _, id := range h.Cases {
			in[id] = append(in[id], h.ID)
		}
	}
	for _, id := range sortedKeys(in) {
		if hs := in[id]; len(hs) > 1 {
			r.addf(ErrDuplicated, id, "", "", "pending in handovers %q at once", hs)
		}
	}
	for _, hid := range s.order {
		st := s.handovers[hid]
		if !st.open {
			continue
		}
		for _, id := range st.offer.Cases {
			if !slices.Contains(in[id], hid) {
				r.addf(ErrLost, id, st.offer.From, st.offer.Group, "pending in handover %q, which pending does not list with it", hid)
			}
		}
	}
}

// sameSet reports whether a and b hold the same IDs, in any order.
func sameSet(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// who names a holder in a message: a worker's ID, quoted, or the
// intake queue.
func who(id string) string {
	if id == "" {
		return "the intake queue"
	}
	return strconv.Quote(id)
}
