package balance_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/caseload/caseload/civil"
	"github.com/caseload/caseload/signal"

	"github.com/caseload/caseload/balance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"
)

type auditInput struct {
	open    []balance.OpenCase
	teams   []balance.TeamProblem
	pending []balance.Handover
}

// cleanAudit is a team whose two open cases are held by two present
// workers: an audit finds nothing.
func cleanAudit() auditInput {
	return auditInput{
		open: []balance.OpenCase{{ID: "c1"}, {ID: "c2"}},
		teams: []balance.TeamProblem{{Team: "north", Problem: balance.Problem{
			AsOf:    asOfDate,
			Workers: []balance.Worker{{ID: "ann", Capacity: 30}, {ID: "bob", Capacity: 30}},
			Cases:   []balance.Case{{ID: "c1", Weight: 2, Owner: "ann"}, {ID: "c2", Weight: 3, Owner: "bob"}},
		}}},
	}
}

type codeCase struct{ Code, Case string }

func findingKeys(r *balance.AuditReport) []codeCase {
	var out []codeCase
	for _, f := range r.Findings {
		out = append(out, codeCase{f.Code, f.Case})
	}
	return out
}

func TestAuditFindings(t *testing.T) {
	t.Parallel()
	north := func(in *auditInput) *balance.Problem { return &in.teams[0].Problem }
	handover := func(t *testing.T, o balance.Offer, on civil.Date) balance.Handover {
		h, err := balance.OfferHandover("h1", o, on, "")
		require.NoError(t, err)
		return h
	}
	south := balance.TeamProblem{Team: "south", Problem: balance.Problem{AsOf: asOfDate,
		Workers: []balance.Worker{{ID: "dan", Capacity: 30}}}}
	tests := []struct {
		name string
		edit func(t *testing.T, in *auditInput)
		want []codeCase
	}{
		{"clean", func(t *testing.T, in *auditInput) {}, nil},
		{"ghost", func(t *testing.T, in *auditInput) {
			in.open = append(in.open, balance.OpenCase{ID: "g1"})
		}, []codeCase{{balance.SignalAuditGhost, "g1"}}},
		{"to close", func(t *testing.T, in *auditInput) {
			north(in).Cases = append(north(in).Cases, balance.Case{ID: "x1", Owner: "ann"})
		}, []codeCase{{balance.SignalAuditClosed, "x1"}}},
		{"queued and closed", func(t *testing.T, in *auditInput) {
			north(in).Cases = append(north(in).Cases, balance.Case{ID: "x1"})
		}, []codeCase{{balance.SignalAuditClosed, "x1"}}},
		{"duplicate across teams", func(t *testing.T, in *auditInput) {
			s := south
			s.Problem.Cases = []balance.Case{{ID: "c1", Owner: "dan"}}
			in.teams = append(in.teams, s)
		}, []codeCase{{balance.SignalAuditDuplicate, "c1"}}},
		{"duplicate within a team", func(t *testing.T, in *auditInput) {
			north(in).Cases = append(north(in).Cases, balance.Case{ID: "c2", Owner: "ann"})
		}, []codeCase{{balance.SignalAuditDuplicate, "c2"}}},
		{"orphaned", func(t *testing.T, in *auditInput) { north(in).Cases[1].Owner = "gone" },
			[]codeCase{{balance.SignalAuditOrphaned, "c2"}}},
		{"held by an away worker", func(t *testing.T, in *auditInput) { north(in).Workers[1].Away = true },
			[]codeCase{{balance.SignalAuditAway, "c2"}}},
		{"held by a worker on leave", func(t *testing.T, in *auditInput) {
			north(in).Workers[1].Absences = []civil.Period{{From: asOfDate.AddDays(-3), To: asOfDate}}
		}, []codeCase{{balance.SignalAuditAway, "c2"}}},
		{"leave that has ended", func(t *testing.T, in *auditInput) {
			north(in).Workers[1].Absences = []civil.Period{{From: asOfDate.AddDays(-3), To: asOfDate.AddDays(-1)}}
		}, nil},
		{"queued", func(t *testing.T, in *auditInput) { north(in).Cases[1].Owner = "" },
			[]codeCase{{balance.SignalAuditQueued, "c2"}}},
		{"untouched", func(t *testing.T, in *auditInput) {
			// 2026-02-03 to 2026-03-04 is 21 working days, one more than the default 20.
			in.open[0].LastActivity = civil.NewDate(2026, 2, 3)
		}, []codeCase{{balance.SignalAuditUntouched, "c1"}}},
		{"touched just in time", func(t *testing.T, in *auditInput) { in.open[0].LastActivity = civil.NewDate(2026, 2, 4) }, nil},
		{"a ghost untouched", func(t *testing.T, in *auditInput) {
			in.open = append(in.open, balance.OpenCase{ID: "g1", LastActivity: asOfDate.AddDays(-60)})
		}, []codeCase{{balance.SignalAuditGhost, "g1"}, {balance.SignalAuditUntouched, "g1"}}},
		{"handover answered in time", func(t *testing.T, in *auditInput) {
			in.pending = []balance.Handover{handover(t, balance.Offer{Cases: []string{"c1"}, From: "ann", To: "bob"}, asOfDate.AddDays(-2))}
		}, nil},
		{"handover late", func(t *testing.T, in *auditInput) {
			in.pending = []balance.Handover{handover(t, balance.Offer{Cases: []string{"c1"}, From: "ann", To: "bob"}, asOfDate.AddDays(-14))}
		}, []codeCase{{balance.SignalHandoverLate, "c1"}}},
		{"in transit from someone who does not hold it", func(t *testing.T, in *auditInput) {
			in.pending = []balance.Handover{handover(t, balance.Offer{Cases: []string{"c1"}, From: "bob", To: "ann"}, asOfDate)}
		}, []codeCase{{balance.SignalAuditTransit, "c1"}}},
		{"in transit to someone not on the team", func(t *testing.T, in *auditInput) {
			in.pending = []balance.Handover{handover(t, balance.Offer{Cases: []string{"c1"}, From: "ann", To: "zed"}, asOfDate)}
		}, []codeCase{{balance.SignalAuditTransit, "c1"}}},
		{"in transit to someone not on the other team", func(t *testing.T, in *auditInput) {
			in.teams = append(in.teams, south)
			in.pending = []balance.Handover{handover(t, balance.Offer{Cases: []string{"c1"}, From: "ann", To: "bob", Team: "south"}, asOfDate)}
		}, []codeCase{{balance.SignalAuditTransit, "c1"}}},
		{"in transit to a team not audited", func(t *testing.T, in *auditInput) {
			in.pending = []balance.Handover{handover(t, balance.Offer{Cases: []string{"c1"}, From: "ann", To: "eve", Team: "east"}, asOfDate)}
		}, nil},
		{"in transit and nowhere", func(t *testing.T, in *auditInput) {
			in.pending = []balance.Handover{handover(t, balance.Offer{Cases: []string{"g9"}, From: "ann", To: "bob"}, asOfDate)}
		}, []codeCase{{balance.SignalAuditTransit, "g9"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := cleanAudit()
			tc.edit(t, &in)
			r, err := balance.Audit(asOfDate, in.open, in.teams, in.pending, nil)
			require.NoError(t, err)
			assert.Equal(t, tc.want, findingKeys(r))
			for _, f := range r.Findings {
				assert.NoError(t, f.Check())
				assert.NotEmpty(t, f.Message)
				t.Log(f.Severity, f.Message)
			}
		})
	}
}

func TestAuditFindingDetails(t *testing.T) {
	t.Parallel()
	in := cleanAudit()
	in.teams = append(in.teams, balance.TeamProblem{Team: "south", Problem: balance.Problem{AsOf: asOfDate,
		Workers: []balance.Worker{{ID: "dan"}}, Cases: []balance.Case{{ID: "c1", Owner: "dan"}}}})
	h, err := balance.OfferHandover("h7", balance.Offer{Cases: []string{"c1"}, From: "ann", To: "bob"}, asOfDate, "")
	require.NoError(t, err)
	r, err := balance.Audit(asOfDate, in.open, in.teams, []balance.Handover{h}, nil)
	require.NoError(t, err)
	require.Len(t, r.Findings, 1)
	f := r.Findings[0]
	assert.Equal(t, balance.SignalAuditDuplicate, f.Code)
	assert.Equal(t, signal.Critical, f.Severity)
	assert.Equal(t, "h7", f.Handover)
	assert.Equal(t, []balance.Place{{Team: "north", Owner: "ann"}, {Team: "south", Owner: "dan"}}, f.Places)
	assert.Equal(t, 2.0, f.Value)
	assert.Equal(t, 2, r.Open)
	assert.Equal(t, 2, r.Listed)
	assert.Equal(t, []signal.Signal{f.Signal}, r.Signals())

	b, err := json.Marshal(r)
	require.NoError(t, err)
	var back balance.AuditReport
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, *r, back)
}

func TestAuditErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		asOf  civil.Date
		edit  func(in *auditInput)
		opts  *balance.AuditOptions
		field string
		id    string
		err   error
	}{
		{"no date", civil.Date{}, func(in *auditInput) {}, nil, "asOf", "", balance.ErrNoDate},
		{"empty open ID", asOfDate, func(in *auditInput) { in.open[1].ID = "" }, nil, "Open[1].ID", "", balance.ErrEmptyID},
		{"open ID twice", asOfDate, func(in *auditInput) { in.open[1].ID = "c1" }, nil, "Open[1].ID", "c1", balance.ErrDuplicateID},
		{"empty case ID", asOfDate, func(in *auditInput) { in.teams[0].Problem.Cases[1].ID = "" }, nil, "Teams[0].Problem.Cases[1].ID", "", balance.ErrEmptyID},
		{"team twice", asOfDate, func(in *auditInput) { in.teams = append(in.teams, in.teams[0]) }, nil, "Teams[1].Team", "north", balance.ErrDuplicateID},
		{"untouched too long", asOfDate, func(in *auditInput) {}, &balance.AuditOptions{Untouched: 600}, "AuditOptions.Untouched", "", balance.ErrBadOption},
		{"critical before warn", asOfDate, func(in *auditInput) {},
			&balance.AuditOptions{Handovers: balance.HandoverOptions{Warn: 12}}, "AuditOptions.Handovers.Critical", "", balance.ErrBadOption},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			in := cleanAudit()
			tc.edit(&in)
			_, err := balance.Audit(tc.asOf, in.open, in.teams, in.pending, tc.opts)
			requireInputErr(t, err, tc.field, tc.id, tc.err)
		})
	}
}

// auditGen generates audits of one or two teams: open IDs drawn from
// the listed cases and from ghosts, with last activities, and pending
// handovers, some from workers who do not hold the case.
func auditGen() *rapid.Generator[auditInput] {
	return rapid.Custom(func(t *rapid.T) auditInput {
		var in auditInput
		names := []string{"north", "south"}[:rapid.IntRange(1, 2).Draw(t, "teams")]
		var ids []string
		for _, name := range names {
			p := problemGen(4, 8).Draw(t, name)
			// Both teams' cases are named c0, c1, …: some are in both.
			in.teams = append(in.teams, balance.TeamProblem{Team: name, Problem: p})
			for _, c := range p.Cases {
				ids = append(ids, c.ID)
			}
		}
		ids = append(ids, "g1", "g2", "g3")
		slices.Sort(ids)
		ids = slices.Compact(ids)
		for _, id := range ids {
			if rapid.IntRange(0, 3).Draw(t, "closed-"+id) == 0 {
				continue
			}
			oc := balance.OpenCase{ID: id}
			if rapid.Bool().Draw(t, "touched-"+id) {
				oc.LastActivity = asOfDate.AddDays(-rapid.IntRange(0, 60).Draw(t, "idle-"+id))
			}
			in.open = append(in.open, oc)
		}
		in.open = rapid.Permutation(in.open).Draw(t, "open-order")
		workers := []string{"w0", "w1", "w2", "gone"}
		var l balance.HandoverLog
		for k := range rapid.IntRange(0, 3).Draw(t, "handovers") {
			o := balance.Offer{
				Cases: []string{rapid.SampledFrom(ids).Draw(t, "case")},
				From:  rapid.SampledFrom(append(workers, "")).Draw(t, "from"),
				To:    rapid.SampledFrom(workers).Draw(t, "to"),
			}
			if rapid.IntRange(0, 3).Draw(t, "cross") == 0 {
				o.Team = rapid.SampledFrom([]string{"north", "south", "east"}).Draw(t, "team")
			}
			e := balance.HandoverEvent{Handover: fmt.Sprintf("h%d", k), Action: balance.ActionOffer,
				Date: asOfDate.AddDays(-rapid.IntRange(0, 20).Draw(t, "age")), Offer: &o}
			if next, err := l.Record(e); err == nil {
				l = next
			}
		}
		hs, err := l.Pending()
		if err != nil {
			t.Fatal(err)
		}
		in.pending = hs
		return in
	})
}

func TestAuditProperties(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		in := auditGen().Draw(t, "audit")
		r, err := balance.Audit(asOfDate, in.open, in.teams, in.pending, nil)
		require.NoError(t, err)

		// Where each case is listed, and who is on each team.
		type place struct {
			team int
			c    balance.Case
		}
		places := map[string][]place{}
		for ti, tp := range in.teams {
			for _, c := range tp.Problem.Cases {
				places[c.ID] = append(places[c.ID], place{ti, c})
			}
		}
		onTeam := func(ti int, id string) (balance.Worker, bool) {
			for _, w := range in.teams[ti].Problem.Workers {
				if w.ID == id {
					return w, true
				}
			}
			return balance.Worker{}, false
		}
		absent := func(w balance.Worker) bool {
			if w.Away {
				return true
			}
			for _, a := range w.Absences {
				if a.Contains(asOfDate) {
					return true
				}
			}
			return false
		}
		open := map[string]balance.OpenCase{}
		for _, oc := range in.open {
			open[oc.ID] = oc
		}
		type key struct{ code, c, h string }
		seen := map[key]bool{}
		about := map[string][]string{}
		for _, f := range r.Findings {
			k := key{f.Code, f.Case, f.Handover}
			require.False(t, seen[k], "reported twice: %v", k)
			seen[k] = true
			about[f.Case] = append(about[f.Case], f.Code)
			require.NoError(t, f.Check())
			ps := places[f.Case]
			_, isOpen := open[f.Case]
			// Every finding is true.
			switch f.Code {
			case balance.SignalAuditGhost:
				assert.True(t, isOpen)
				assert.Empty(t, ps)
			case balance.SignalAuditClosed:
				assert.False(t, isOpen)
				assert.NotEmpty(t, ps)
			case balance.SignalAuditDuplicate:
				assert.True(t, isOpen)
				assert.Len(t, f.Places, len(ps))
				assert.Greater(t, len(ps), 1)
			case balance.SignalAuditOrphaned, balance.SignalAuditAway, balance.SignalAuditQueued:
				require.True(t, isOpen)
				require.Len(t, ps, 1)
				w, ok := onTeam(ps[0].team, ps[0].c.Owner)
				switch f.Code {
				case balance.SignalAuditOrphaned:
					assert.True(t, ps[0].c.Owner != "" && !ok)
				case balance.SignalAuditAway:
					assert.True(t, ok && absent(w))
				case balance.SignalAuditQueued:
					assert.Empty(t, ps[0].c.Owner)
				}
			case balance.SignalAuditUntouched:
				oc := open[f.Case]
				require.True(t, isOpen)
				require.False(t, oc.LastActivity.IsZero())
				// More than 20 working days: at least 28 calendar days.
				assert.GreaterOrEqual(t, asOfDate.Sub(oc.LastActivity), 28)
			case balance.SignalHandoverLate, balance.SignalAuditTransit:
				i := slices.IndexFunc(in.pending, func(h balance.Handover) bool { return h.ID == f.Handover })
				require.GreaterOrEqual(t, i, 0)
				h := in.pending[i]
				if f.Code == balance.SignalHandoverLate {
					assert.GreaterOrEqual(t, asOfDate.Sub(h.Offered), 4)
					break
				}
				if len(ps) > 0 && ps[0].c.Owner == h.From {
					recv := ps[0].team
					if h.Team != "" {
						recv = slices.IndexFunc(in.teams, func(tp balance.TeamProblem) bool { return tp.Team == h.Team })
					}
					require.GreaterOrEqual(t, recv, 0)
					_, ok := onTeam(recv, h.To)
					assert.False(t, ok, "receiver %s is on team %d", h.To, recv)
				}
			default:
				t.Fatalf("unknown code %q", f.Code)
			}
		}
		// Every open case is properly held or reported.
		for _, oc := range in.open {
			ps := places[oc.ID]
			if len(ps) == 1 && ps[0].c.Owner != "" {
				if w, ok := onTeam(ps[0].team, ps[0].c.Owner); ok && !absent(w) {
					continue
				}
			}
			assert.NotEmpty(t, slices.DeleteFunc(about[oc.ID], func(c string) bool {
				return c == balance.SignalAuditUntouched || c == balance.SignalHandoverLate || c == balance.SignalAuditTransit
			}), "open case %s is not properly held and not reported", oc.ID)
		}
		// Every listed case that is not open is reported.
		for id := range places {
			if _, ok := open[id]; !ok {
				assert.Contains(t, about[id], balance.SignalAuditClosed, "case %s", id)
			}
		}
	})
}
