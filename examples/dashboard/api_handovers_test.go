package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// handoverRequests are the built-in team's requests to the stateless
// faces of /api/handovers and /api/audit: its log replayed on its
// problem, and its register audited against it.
func handoverRequests(t *testing.T) map[string]any {
	t.Helper()
	f := builtinTeam()
	p, _, err := f.problem()
	require.NoError(t, err)
	l := builtinHandovers()
	return map[string]any{
		"handovers": handoversRequest{Problem: &p, Log: l},
		"audit": auditRequest{AsOf: f.AsOf, Open: f.Open, Teams: []balance.TeamProblem{{Problem: p}},
			Pending: mustPending(t, l)},
	}
}

// TestAPIHandoversGolden: GET reads the dashboard's team, POST computes
// on the caller's data; each answers as its golden file says. For the
// built-in team both faces agree.
func TestAPIHandoversGolden(t *testing.T) {
	ts, _ := newTestServer(t, testConfig{})
	for _, name := range []string{"handovers", "audit"} {
		t.Run("GET "+name, func(t *testing.T) {
			code, got := get(t, ts, "/api/"+name)
			require.Equal(t, http.StatusOK, code, got)
			golden(t, "api/team-"+name+"-response.json", []byte(got))
		})
	}
	for name, req := range handoverRequests(t) {
		t.Run("POST "+name, func(t *testing.T) {
			body, err := json.MarshalIndent(req, "", "  ")
			require.NoError(t, err)
			golden(t, "api/"+name+"-request.json", append(body, '\n'))
			code, got := post(t, ts, "/api/"+name, body)
			require.Equal(t, http.StatusOK, code, string(got))
			golden(t, "api/"+name+"-response.json", got)
		})
	}

	_, team := get(t, ts, "/api/audit")
	_, mine := post(t, ts, "/api/audit", mustJSON(t, handoverRequests(t)["audit"]))
	assert.JSONEq(t, team, string(mine), "the team's audit is the library's on the team's data")

	var th teamHandovers
	_, body := get(t, ts, "/api/handovers")
	require.NoError(t, strictDecode(body, &th))
	require.Len(t, th.Handovers, 2)
	assert.Equal(t, balance.HandoverRejected, th.Handovers[0].State)
	assert.Equal(t, balance.HandoverOffered, th.Handovers[1].State)
	require.Len(t, th.Signals, 1)
	assert.Equal(t, balance.SignalHandoverLate, th.Signals[0].Code)
	assert.Equal(t, []balance.IncomingLoad{{Worker: "anouk", Handovers: 1, Cases: 1, Load: 1.894286, Shares: 1}}, th.Incoming)

	var rep balance.AuditReport
	require.NoError(t, strictDecode(team, &rep))
	codes := map[string]int{}
	for _, f := range rep.Findings {
		codes[f.Code]++
	}
	// The built-in team's findings: its ghost, chayenne's untouched
	// case, the late handover, the three queued cases and eline's three
	// (she is off sick).
	assert.Equal(t, map[string]int{balance.SignalAuditGhost: 1, balance.SignalAuditUntouched: 1,
		balance.SignalHandoverLate: 1, balance.SignalAuditQueued: 3, balance.SignalAuditAway: 3}, codes)
}

// TestAPIAcceptFlow: a case system in another language reads the
// team's proposal, accepts its first step, and answers the handovers
// through the JSON service; every refusal has its status.
func TestAPIAcceptFlow(t *testing.T) {
	ts, st := newTestServer(t, testConfig{})
	var tp teamProposal
	code, body := get(t, ts, "/api/proposal?moves=2")
	require.Equal(t, http.StatusOK, code, body)
	require.NoError(t, json.Unmarshal([]byte(body), &tp))
	assert.Equal(t, st.current().version, tp.Version)
	assert.NotEmpty(t, tp.Fingerprint)

	accept := acceptRequest{Version: tp.Version, Fingerprint: tp.Fingerprint, MaxMoves: 2, K: 1}
	code, got := post(t, ts, "/api/accept", mustJSON(t, accept))
	require.Equal(t, http.StatusOK, code, string(got))
	var ar acceptResponse
	require.NoError(t, strictDecode(string(got), &ar))
	require.Len(t, ar.Offered, 4, "three placements and step 1")
	assert.Empty(t, ar.Skipped)
	assert.Equal(t, st.current().version, ar.Version)
	for _, h := range ar.Offered {
		assert.Equal(t, balance.HandoverOffered, h.State)
	}

	code, got = post(t, ts, "/api/accept", mustJSON(t, accept))
	assert.Equal(t, http.StatusConflict, code, "stale: the team's handovers changed")
	assert.Contains(t, string(got), "changed since")

	id := ar.Offered[3].ID // bram's 2025-0191 to daan
	code, got = post(t, ts, "/api/handovers/"+id+"/accept", []byte(`{"by": "daan"}`))
	require.Equal(t, http.StatusOK, code, string(got))
	var an answerResponse
	require.NoError(t, strictDecode(string(got), &an))
	assert.Equal(t, balance.HandoverAccepted, an.Handover.State)
	assert.Equal(t, "daan", an.Handover.History[1].By)
	for _, c := range st.current().file.Cases {
		if c.ID == "2025-0191" {
			assert.Equal(t, "daan", c.Owner)
		}
	}

	tests := []struct {
		name, path, body, ctype string
		code                    int
		want                    string
	}{
		{"again", "/api/handovers/" + id + "/accept", `{}`, "", 409, "balance: handover not pending"},
		{"unknown", "/api/handovers/nope/accept", `{}`, "", 404, "balance: no such handover"},
		{"no reason", "/api/handovers/" + ar.Offered[0].ID + "/reject", `{}`, "", 400, "balance: rejection without a reason"},
		{"unknown action", "/api/handovers/" + id + "/complete", `{}`, "", 404, "no such action"},
		{"not JSON", "/api/handovers/" + id + "/revoke", `{}`, "text/plain", 415, "Content-Type: application/json"},
		{"empty body", "/api/handovers/" + id + "/revoke", ``, "", 400, "empty body"},
		{"negative k", "/api/accept", `{"k": -1}`, "", 400, "negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := tt.ctype
			if ct == "" {
				ct = "application/json"
			}
			resp, err := ts.Client().Post(ts.URL+tt.path, ct, strings.NewReader(tt.body))
			require.NoError(t, err)
			defer resp.Body.Close()
			var b bytes.Buffer
			b.ReadFrom(resp.Body)
			assert.Equal(t, tt.code, resp.StatusCode, b.String())
			assert.Contains(t, b.String(), tt.want)
		})
	}

	code, got = post(t, ts, "/api/handovers/"+ar.Offered[0].ID+"/reject", []byte(`{"note": "on leave from Monday"}`))
	require.Equal(t, http.StatusOK, code, string(got))
	assert.Contains(t, string(got), `"state": "rejected"`)
}

// TestAPIHandoversBadInput: the stateless faces name every fault; the
// wrong method gets 405 with what is allowed.
func TestAPIHandoversBadInput(t *testing.T) {
	ts, _ := newTestServer(t, testConfig{})
	good := `{"as_of": "2026-03-04", "workers": [{"id": "ann", "capacity": 30}, {"id": "bob", "capacity": 30}], "cases": [{"id": "c1", "weight": 2, "owner": "ann"}]}`
	tests := []struct {
		name, path, body string
		want             []errorItem
	}{
		{"no problem", "/api/handovers", `{"log": {"events": []}}`, []errorItem{{Field: "problem", Error: "missing"}}},
		{"offer of a case not held", "/api/handovers", `{"problem": ` + good + `, "log": {"events": [
			{"handover": "h1", "action": "offer", "date": "2026-03-02", "offer": {"cases": ["c1"], "from": "bob", "to": "ann"}}]}}`,
			[]errorItem{{Field: "Events[0]", ID: "h1", Error: "balance: case not held by the handover's sender"}}},
		{"answer to nothing", "/api/handovers", `{"problem": ` + good + `, "log": {"events": [
			{"handover": "h9", "action": "accept", "date": "2026-03-02"}]}}`,
			[]errorItem{{Field: "Events[0]", ID: "h9", Error: "balance: no such handover"}}},
		{"bad ageing option", "/api/handovers", `{"problem": ` + good + `, "options": {"warn": 5, "critical": 2}}`,
			[]errorItem{{Field: "HandoverOptions.Critical", Error: "balance: "}}},
		{"audit without a date", "/api/audit", `{"open": [{"id": "c1"}], "teams": [{"problem": ` + good + `}]}`,
			[]errorItem{{Field: "asOf", Error: "balance: date not set"}}},
		{"audit, every fault at once", "/api/audit", `{"as_of": "2026-03-04", "open": [{"id": "c1"}, {"id": "c1"}, {"id": ""}],
			"teams": [{"team": "t", "problem": ` + good + `}, {"team": "t", "problem": ` + good + `}]}`,
			[]errorItem{{Field: "Teams[1].Team", ID: "t", Error: "balance: duplicate ID"},
				{Field: "Open[1].ID", ID: "c1", Error: "balance: duplicate ID"},
				{Field: "Open[2].ID", Error: "balance: empty ID"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := post(t, ts, tt.path, []byte(tt.body))
			require.Equal(t, http.StatusBadRequest, code, string(body))
			var eb errorBody
			require.NoError(t, strictDecode(string(body), &eb))
			require.Len(t, eb.Items, len(tt.want), string(body))
			for i, w := range tt.want {
				assert.Equal(t, w.Field, eb.Items[i].Field)
				assert.Equal(t, w.ID, eb.Items[i].ID)
				assert.True(t, strings.HasPrefix(eb.Items[i].Error, w.Error), "%q does not start with %q", eb.Items[i].Error, w.Error)
			}
		})
	}
	for _, m := range []struct{ method, path, allow string }{
		{http.MethodPut, "/api/audit", "GET, POST"},
		{http.MethodDelete, "/api/handovers", "GET, POST"},
		{http.MethodPost, "/api/proposal", "GET"},
		{http.MethodGet, "/api/accept", "POST"},
		{http.MethodGet, "/api/handovers/x/accept", "POST"},
	} {
		req, err := http.NewRequest(m.method, ts.URL+m.path, nil)
		require.NoError(t, err)
		resp, err := ts.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode, m.path)
		assert.Equal(t, m.allow, resp.Header.Get("Allow"), m.path)
	}
	code, _ := get(t, ts, "/api/proposal?moves=x")
	assert.Equal(t, http.StatusBadRequest, code)
}

// mustJSON encodes v.
func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

// strictDecode decodes s into v, refusing unknown fields: the answer is
// the library's own types and nothing else.
func strictDecode(s string, v any) error {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// TestAPIAnswerConcurrent: 20 clients answer the same pending handover
// at once while others read: exactly one answer is recorded, the others
// get 409, and the case is with one worker (run with -race).
func TestAPIAnswerConcurrent(t *testing.T) {
	ts, st := newTestServer(t, testConfig{})
	const n = 20
	codes := make(chan int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%4 == 3 {
				resp, err := ts.Client().Get(ts.URL + "/api/handovers")
				if err == nil {
					resp.Body.Close()
				}
				return
			}
			action := []string{"accept", "reject", "revoke"}[i%3]
			resp, err := ts.Client().Post(ts.URL+"/api/handovers/2026-02-25.1-1/"+action, "application/json",
				strings.NewReader(`{"note": "busy"}`))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
	}
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	assert.Equal(t, 1, count[http.StatusOK], "one answer recorded: %v", count)
	assert.Equal(t, n-n/4-1, count[http.StatusConflict], "%v", count)
	cur := st.current()
	require.Len(t, cur.handovers, 2)
	h := cur.handovers[1]
	assert.False(t, h.Pending())
	for _, c := range cur.file.Cases {
		if c.ID == "2026-0075" {
			want := "chayenne"
			if h.State == balance.HandoverAccepted {
				want = "anouk"
			}
			assert.Equal(t, want, c.Owner)
		}
	}
}
