package balancetest_test

import (
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/balance/balancetest"
	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

// handoverFixture is a drawn problem and log, and the team after it as
// balance replays it: the state a correct adapter reports.
type handoverFixture struct {
	before  balance.Problem
	team    string
	log     balance.HandoverLog
	after   balance.Problem
	pending []balance.Handover
	all     []balance.Handover
}

func drawHandovers(t *rapid.T) handoverFixture {
	var f handoverFixture
	f.before = balancetest.ProblemGen(balancetest.Shape{}).Draw(t, "problem")
	f.team = rapid.SampledFrom([]string{"", "north"}).Draw(t, "team")
	f.log = balancetest.HandoverLogGen(f.before, f.team).Draw(t, "log")
	var err error
	f.after, err = f.log.Apply(f.before, f.team)
	require.NoError(t, err)
	f.pending, err = f.log.Pending()
	require.NoError(t, err)
	f.all, err = f.log.Handovers()
	require.NoError(t, err)
	return f
}

// TestHandoverLogsKeepEveryCase replays generated logs with balance
// and holds the result against CheckHandovers, whose replay is its
// own: every log the generator draws is recorded and applied without
// error, and balance loses and duplicates no case.
func TestHandoverLogsKeepEveryCase(t *testing.T) {
	t.Parallel()
	rounds(t, 10, func(t *rapid.T) {
		f := drawHandovers(t)
		_, err := balance.HandoverLog{}.Record(f.log.Events...)
		require.NoError(t, err)
		balancetest.VerifyHandovers(t, f.before, f.log, f.team, f.after, f.pending)
	})
}

// TestHandoverLogGenReachesCorners draws logs until each corner the
// generator promises has been seen, in at most ten rounds of 100, so
// that a generator that stopped reaching one fails here rather than
// leaving the checker's tests vacuous.
func TestHandoverLogGenReachesCorners(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	corners := []string{"accepted", "rejected", "revoked", "expired", "pending", "out of the team",
		"into the team", "whole family", "several cases", "to a worker who left", "from the queue"}
	all := func() bool {
		for _, c := range corners {
			if !seen[c] {
				return false
			}
		}
		return true
	}
	// A round of 100 draws reaches every corner nearly always; a few
	// more rounds keep a rare unlucky seed from failing the suite.
	for round := 0; round < 10 && !all(); round++ {
		rapid.Check(t, func(t *rapid.T) {
			f := drawHandovers(t)
			for _, h := range f.all {
				seen[string(h.State)] = true
				seen["pending"] = seen["pending"] || h.Pending()
				seen["out of the team"] = seen["out of the team"] || h.Team == balancetest.OtherTeam
				seen["into the team"] = seen["into the team"] || h.Team != "" && h.Team == f.team
				seen["whole family"] = seen["whole family"] || h.Group != ""
				seen["several cases"] = seen["several cases"] || len(h.Cases) > 1
				seen["to a worker who left"] = seen["to a worker who left"] || h.To == balancetest.LeftWorker
				seen["from the queue"] = seen["from the queue"] || h.From == "" && h.Team == ""
			}
		})
	}
	for _, c := range corners {
		assert.True(t, seen[c], "no log drawn has a handover %s", c)
	}
}

// A handoverCorruption breaks a correct adapter's state, or the log it
// recorded, in one way; ok is false when the fixture has nothing to
// break that way.
type handoverCorruption struct {
	name string
	want error
	do   func(t *rapid.T, f *handoverFixture) (ok bool)
}

// findHandover returns a handover of f that keep accepts, drawn, or
// false.
func findHandover(t *rapid.T, f *handoverFixture, keep func(h balance.Handover) bool) (balance.Handover, bool) {
	var hs []balance.Handover
	for _, h := range f.all {
		if keep(h) {
			hs = append(hs, h)
		}
	}
	if len(hs) == 0 {
		return balance.Handover{}, false
	}
	return hs[rapid.IntRange(0, len(hs)-1).Draw(t, "which")], true
}

// caseIndex returns the index in p of the case id, or -1.
func caseIndex(p balance.Problem, id string) int {
	return slices.IndexFunc(p.Cases, func(c balance.Case) bool { return c.ID == id })
}

// ourPending reports whether h is pending and its cases are in the
// team's problem.
func ourPending(f *handoverFixture) func(h balance.Handover) bool {
	return func(h balance.Handover) bool {
		return h.Pending() && (h.Team == "" || h.Team != f.team) && caseIndex(f.after, h.Cases[0]) >= 0
	}
}

func accepted(h balance.Handover) bool { return h.State == balance.HandoverAccepted }

// eventOf returns the index in the log of the event of handover id
// with action a, or -1.
func eventOf(l balance.HandoverLog, id string, a balance.HandoverAction) int {
	return slices.IndexFunc(l.Events, func(e balance.HandoverEvent) bool { return e.Handover == id && e.Action == a })
}

// offeredAgain reports whether a case of h is offered after h's
// answer: changing the answer would then break the later offer too.
func offeredAgain(l balance.HandoverLog, h balance.Handover) bool {
	end := slices.IndexFunc(l.Events, func(e balance.HandoverEvent) bool {
		return e.Handover == h.ID && e.Action != balance.ActionOffer
	})
	for _, e := range l.Events[end+1:] {
		if e.Offer != nil && slices.ContainsFunc(e.Offer.Cases, func(c string) bool { return slices.Contains(h.Cases, c) }) {
			return true
		}
	}
	return false
}

// reassign gives case id in f.after to owner, and returns true.
func reassign(f *handoverFixture, id, owner string) bool {
	f.after.Cases = slices.Clone(f.after.Cases)
	f.after.Cases[caseIndex(f.after, id)].Owner = owner
	return true
}

// finalAcceptance keeps the accepted handovers within the team whose
// cases are not offered again.
func finalAcceptance(f *handoverFixture) func(h balance.Handover) bool {
	return func(h balance.Handover) bool { return accepted(h) && h.Team == "" && !offeredAgain(f.log, h) }
}

func handoverCorruptions() []handoverCorruption {
	return []handoverCorruption{
		{"case dropped", balancetest.ErrLost, func(t *rapid.T, f *handoverFixture) bool {
			if len(f.after.Cases) == 0 {
				return false
			}
			i := rapid.IntRange(0, len(f.after.Cases)-1).Draw(t, "dropped")
			f.after.Cases = slices.Delete(slices.Clone(f.after.Cases), i, i+1)
			return true
		}},
		{"case listed twice", balancetest.ErrDuplicated, func(t *rapid.T, f *handoverFixture) bool {
			if len(f.after.Cases) == 0 {
				return false
			}
			c := rapid.SampledFrom(f.after.Cases).Draw(t, "twice")
			f.after.Cases = append(slices.Clone(f.after.Cases), c)
			return true
		}},
		{"case with someone else", balancetest.ErrMisplaced, func(t *rapid.T, f *handoverFixture) bool {
			if len(f.after.Cases) == 0 {
				return false
			}
			f.after.Cases = slices.Clone(f.after.Cases)
			c := &f.after.Cases[rapid.IntRange(0, len(f.after.Cases)-1).Draw(t, "moved")]
			c.Owner += "-else"
			return true
		}},
		{"pending case moved before acceptance", balancetest.ErrMisplaced, func(t *rapid.T, f *handoverFixture) bool {
			h, ok := findHandover(t, f, ourPending(f))
			return ok && reassign(f, h.Cases[0], h.To)
		}},
		{"accepted case left with its sender", balancetest.ErrMisplaced, func(t *rapid.T, f *handoverFixture) bool {
			h, ok := findHandover(t, f, finalAcceptance(f))
			return ok && reassign(f, h.Cases[0], h.From)
		}},
		{"case kept after it left the team", balancetest.ErrDuplicated, func(t *rapid.T, f *handoverFixture) bool {
			h, ok := findHandover(t, f, func(h balance.Handover) bool {
				return accepted(h) && h.Team != "" && h.Team != f.team && caseIndex(f.before, h.Cases[0]) >= 0
			})
			if !ok {
				return false
			}
			f.after.Cases = append(slices.Clone(f.after.Cases), f.before.Cases[caseIndex(f.before, h.Cases[0])])
			return true
		}},
		{"case from nowhere", balancetest.ErrMisplaced, func(t *rapid.T, f *handoverFixture) bool {
			f.after.Cases = append(slices.Clone(f.after.Cases), balance.Case{ID: "ghost", Weight: 1})
			return true
		}},
		{"pending handover forgotten", balancetest.ErrLost, func(t *rapid.T, f *handoverFixture) bool {
			if len(f.pending) == 0 {
				return false
			}
			i := rapid.IntRange(0, len(f.pending)-1).Draw(t, "forgotten")
			f.pending = slices.Delete(slices.Clone(f.pending), i, i+1)
			return true
		}},
		{"pending handover listed twice", balancetest.ErrDuplicated, func(t *rapid.T, f *handoverFixture) bool {
			if len(f.pending) == 0 {
				return false
			}
			f.pending = append(slices.Clone(f.pending), rapid.SampledFrom(f.pending).Draw(t, "twice"))
			return true
		}},
		{"answered handover still pending", balancetest.ErrMisplaced, func(t *rapid.T, f *handoverFixture) bool {
			h, ok := findHandover(t, f, func(h balance.Handover) bool { return !h.Pending() })
			if !ok {
				return false
			}
			h.State = balance.HandoverOffered
			f.pending = append(slices.Clone(f.pending), h)
			return true
		}},
		{"pending handover to someone else", balancetest.ErrMisplaced, func(t *rapid.T, f *handoverFixture) bool {
			if len(f.pending) == 0 {
				return false
			}
			f.pending = slices.Clone(f.pending)
			f.pending[rapid.IntRange(0, len(f.pending)-1).Draw(t, "redirected")].To += "-else"
			return true
		}},
		// The log is corrupted, the state left as a correct replay of
		// the log before the corruption.
		{"log: answered twice", balancetest.ErrHandoverLog, func(t *rapid.T, f *handoverFixture) bool {
			h, ok := findHandover(t, f, func(h balance.Handover) bool { return !h.Pending() })
			if !ok {
				return false
			}
			f.log.Events = append(slices.Clone(f.log.Events), h.History[len(h.History)-1])
			return true
		}},
		{"log: offer lost", balancetest.ErrHandoverLog, func(t *rapid.T, f *handoverFixture) bool {
			h, ok := findHandover(t, f, func(h balance.Handover) bool { return !h.Pending() })
			if !ok {
				return false
			}
			f.log.Events = slices.Delete(slices.Clone(f.log.Events), eventOf(f.log, h.ID, balance.ActionOffer), eventOf(f.log, h.ID, balance.ActionOffer)+1)
			return true
		}},
		{"log: offered by someone who does not hold it", balancetest.ErrHandoverLog, func(t *rapid.T, f *handoverFixture) bool {
			h, ok := findHandover(t, f, func(h balance.Handover) bool { return h.Team == "" || h.Team != f.team })
			if !ok {
				return false
			}
			f.log.Events = slices.Clone(f.log.Events)
			e := &f.log.Events[eventOf(f.log, h.ID, balance.ActionOffer)]
			o := *e.Offer
			o.From += "-else"
			e.Offer = &o
			return true
		}},
		{"log: acceptance recorded as a rejection", balancetest.ErrMisplaced, func(t *rapid.T, f *handoverFixture) bool {
			h, ok := findHandover(t, f, finalAcceptance(f))
			if !ok {
				return false
			}
			f.log.Events = slices.Clone(f.log.Events)
			e := &f.log.Events[eventOf(f.log, h.ID, balance.ActionAccept)]
			e.Action, e.Note = balance.ActionReject, "no room"
			return true
		}},
		{"log: acceptance not recorded", balancetest.ErrMisplaced, func(t *rapid.T, f *handoverFixture) bool {
			h, ok := findHandover(t, f, finalAcceptance(f))
			if !ok {
				return false
			}
			i := eventOf(f.log, h.ID, balance.ActionAccept)
			f.log.Events = slices.Delete(slices.Clone(f.log.Events), i, i+1)
			return true
		}},
	}
}

// TestCheckHandoversCatchesCorruption corrupts, on purpose, the state a
// correct adapter reports after a generated log, or the log itself, in
// each way handoverCorruptions lists that applies, and requires CheckHandovers to
// report it under the right rule. Every corruption must be tried at
// least once, so that none of these tests passes for want of a case.
func TestCheckHandoversCatchesCorruption(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	tried := map[string]int{}
	cs := handoverCorruptions()
	rounds(t, 5, func(t *rapid.T) {
		f := drawHandovers(t)
		require.NoError(t, balancetest.CheckHandovers(f.before, f.log, f.team, f.after, f.pending))
		for _, c := range cs {
			g := f // each corruption clones what it changes
			if !c.do(t, &g) {
				continue
			}
			mu.Lock()
			tried[c.name]++
			mu.Unlock()
			err := balancetest.CheckHandovers(g.before, g.log, g.team, g.after, g.pending)
			if !errors.Is(err, c.want) {
				t.Fatalf("%s: got %v, want an error wrapping %v", c.name, err, c.want)
			}
		}
	})
	for _, c := range cs {
		assert.Positive(t, tried[c.name], "corruption %q never tried", c.name)
	}
}

// TestCheckHandoversMessages pins what CheckHandovers says of a small
// team, one fault at a time.
func TestCheckHandoversMessages(t *testing.T) {
	t.Parallel()
	day := civil.NewDate(2026, 3, 4)
	before := balance.Problem{AsOf: day,
		Workers: []balance.Worker{{ID: "ann", Capacity: 32}, {ID: "bob", Capacity: 32}},
		Cases: []balance.Case{{ID: "a1", Weight: 4, Owner: "ann"}, {ID: "a2", Weight: 3, Owner: "ann"},
			{ID: "q1", Weight: 2}},
	}
	offer := func(id string, o balance.Offer) balance.HandoverEvent {
		return balance.HandoverEvent{Handover: id, Action: balance.ActionOffer, Date: day, Offer: &o}
	}
	l, err := balance.HandoverLog{}.Record(
		offer("h1", balance.Offer{Cases: []string{"a1"}, From: "ann", To: "bob"}),
		balance.HandoverEvent{Handover: "h1", Action: balance.ActionAccept, Date: day},
		offer("h2", balance.Offer{Cases: []string{"a2"}, From: "ann", To: "bob"}),
	)
	require.NoError(t, err)
	after, err := l.Apply(before, "")
	require.NoError(t, err)
	pending, err := l.Pending()
	require.NoError(t, err)
	require.NoError(t, balancetest.CheckHandovers(before, l, "", after, pending))

	owners := func(a1, a2, q1 string) balance.Problem {
		p := after
		p.Cases = slices.Clone(after.Cases)
		p.Cases[0].Owner, p.Cases[1].Owner, p.Cases[2].Owner = a1, a2, q1
		return p
	}
	tests := []struct {
		name    string
		log     balance.HandoverLog
		after   balance.Problem
		pending []balance.Handover
		want    string
	}{
		{"accepted, not moved", l, owners("ann", "ann", ""), pending,
			`balancetest: case misplaced: case "a1", worker "ann": with "ann", but handover "h1" gave it to "bob"`},
		{"moved while pending", l, owners("bob", "bob", ""), pending,
			`balancetest: case misplaced: case "a2", worker "bob": with "bob", but pending in handover "h2" it stays with its sender, "ann"`},
		{"taken from the queue", l, owners("bob", "ann", "ann"), pending,
			`balancetest: case misplaced: case "q1", worker "ann": with "ann", but no accepted handover moved it from the intake queue`},
		{"lost", l, balance.Problem{AsOf: day, Workers: before.Workers, Cases: after.Cases[:2]}, pending,
			`balancetest: case lost: case "q1": in the team, with the intake queue, but not in after`},
		{"pending forgotten", l, after, nil,
			`balancetest: case lost: case "a2", worker "ann": pending in handover "h2", which pending does not list with it`},
		{"answered twice", balance.HandoverLog{Events: append(slices.Clone(l.Events), l.Events[1])}, after, pending,
			`balancetest: handover log loses or duplicates a case: event 3, handover "h1": accept of a handover answered already`},
		{"offered while in transit", balance.HandoverLog{Events: append(slices.Clone(l.Events),
			offer("h3", balance.Offer{Cases: []string{"a2"}, From: "ann", To: "cas"}))}, after, pending,
			`balancetest: handover log loses or duplicates a case: case "a2": event 3, handover "h3": offered while in handover "h2"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.EqualError(t, balancetest.CheckHandovers(before, tt.log, "", tt.after, tt.pending), tt.want)
		})
	}
	dup := before
	dup.Cases = append(slices.Clone(before.Cases), before.Cases[0])
	assert.ErrorIs(t, balancetest.CheckHandovers(dup, l, "", after, pending), balancetest.ErrInput)
}
