package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/civil"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// builtinRequests are the requests of README.md's curl lines, for the
// built-in team: testdata/api/*-request.json.
func builtinRequests(t *testing.T) map[string]any {
	t.Helper()
	f := builtinTeam()
	p, _, err := f.problem()
	require.NoError(t, err)
	h, err := builtinHistory(f)
	require.NoError(t, err)
	var queued balance.Case
	for _, c := range p.Cases {
		if c.ID == "2026-0141" { // the case that waited longest
			queued = c
		}
	}
	return map[string]any{
		"score":   scoreRequest{Problem: &p},
		"rank":    rankRequest{Problem: &p, Case: &queued},
		"propose": proposeRequest{Problem: &p, Options: &balance.RebalanceOptions{MaxMoves: 2}},
		"signals": signalsRequest{Problem: &p, History: h},
	}
}

// TestAPIGolden: each endpoint answers the built-in team as its golden
// file says. Run with -update after an intended change.
func TestAPIGolden(t *testing.T) {
	ts, _ := newTestServer(t, testConfig{})
	for name, req := range builtinRequests(t) {
		t.Run(name, func(t *testing.T) {
			body, err := json.MarshalIndent(req, "", "  ")
			require.NoError(t, err)
			golden(t, "api/"+name+"-request.json", append(body, '\n'))
			code, got := post(t, ts, "/api/"+name, body)
			require.Equal(t, http.StatusOK, code, string(got))
			golden(t, "api/"+name+"-response.json", got)
		})
	}
}

// TestAPIRoundTrip: the answers decode, strictly, into the library's
// own types.
func TestAPIRoundTrip(t *testing.T) {
	ts, _ := newTestServer(t, testConfig{})
	reqs := builtinRequests(t)
	decode := func(name string, v any) {
		body, err := json.Marshal(reqs[name])
		require.NoError(t, err)
		code, got := post(t, ts, "/api/"+name, body)
		require.Equal(t, http.StatusOK, code)
		dec := json.NewDecoder(bytes.NewReader(got))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(v), name)
	}
	var im balance.Imbalance
	decode("score", &im)
	assert.Len(t, im.Workers, 5)
	var rk balance.Ranking
	decode("rank", &rk)
	best, ok := rk.Best()
	require.True(t, ok)
	assert.Equal(t, "daan", best.Worker)
	var pr struct {
		balance.Proposal
		Status string `json:"status"`
	}
	decode("propose", &pr)
	assert.Equal(t, 2, pr.MovesUsed)
	assert.Contains(t, []string{"optimal", "within-gap"}, pr.Status)
	var sg signalsResponse
	decode("signals", &sg)
	require.NotEmpty(t, sg.Signals)
	assert.Equal(t, balance.SignalLoad, sg.Signals[0].Code)
	assert.Equal(t, civil.NewDate(2026, 3, 4), sg.Snapshot.Date)
}

// TestAPIBadInput: every kind of bad input gives 400 (405 for the wrong
// method) with a JSON body that names each faulty item; none gives 500.
func TestAPIBadInput(t *testing.T) {
	ts, _ := newTestServer(t, testConfig{})
	good := `{"as_of": "2026-03-04", "workers": [{"id": "ann", "capacity": 30}], "cases": [{"id": "c1", "weight": 2, "owner": "ann"}]}`
	tests := []struct {
		name, path, body string
		code             int
		want             []errorItem // compared field by field where set
	}{
		{"malformed JSON", "/api/score", `{"problem": {"as_of": }`, 400, []errorItem{{Error: "invalid JSON at byte 23"}}},
		{"JSON cut short", "/api/score", `{"problem": {"as_of": "2026-03-04"`, 400, []errorItem{{Error: "the JSON ends too early"}}},
		{"empty body", "/api/rank", ``, 400, nil},
		{"data after the value", "/api/score", `{"problem": ` + good + `} {}`, 400, []errorItem{{Error: "data after the JSON value"}}},
		{"unknown field", "/api/propose", `{"problem": ` + good + `, "max_moves": 3}`, 400, []errorItem{{Error: `json: unknown field "max_moves"`}}},
		{"wrong type", "/api/score", `{"problem": {"as_of": "2026-03-04", "workers": [{"id": "ann", "capacity": "full"}]}}`, 400,
			[]errorItem{{Field: "problem.workers.capacity", Error: "expected balance.HoursPerWeek, got JSON string"}}},
		{"impossible date", "/api/score", `{"problem": {"as_of": "2026-03-04", "workers": [], "cases": [{"id": "c1", "arrived": "2026-02-30"}]}}`, 400,
			[]errorItem{{Field: "Cases[0].Arrived", ID: "c1", Error: "civil: bad date"}}},
		{"no problem", "/api/signals", `{}`, 400, []errorItem{{Field: "problem", Error: "missing"}}},
		{"no case", "/api/rank", `{"problem": ` + good + `}`, 400, []errorItem{{Field: "case", Error: "missing"}}},
		{"case without ID", "/api/rank", `{"problem": ` + good + `, "case": {"weight": 3}}`, 400, []errorItem{{Field: "Case.ID", Error: "balance: empty ID"}}},
		{"every fault at once", "/api/propose", `{"problem": {"as_of": "2026-03-04",
			"workers": [{"id": "ann", "capacity": 30}, {"id": "ann", "capacity": -1}],
			"cases": [{"id": "c1", "weight": -2, "owner": "ann"}, {"id": "", "weight": 1}]}}`, 400,
			[]errorItem{{Field: "Workers[1].ID", ID: "ann", Error: "balance: duplicate ID"},
				{Field: "Workers[1].Capacity", ID: "ann", Error: "balance: negative value"},
				{Field: "Cases[0].Weight", ID: "c1", Error: "balance: negative value"},
				{Field: "Cases[1].ID", Error: "balance: empty ID"}}},
		{"no date", "/api/score", `{"problem": {"workers": []}}`, 400, []errorItem{{Field: "AsOf", Error: "balance: date not set"}}},
		{"bad option", "/api/propose", `{"problem": ` + good + `, "options": {"bands": [1.1, 0.9]}}`, 400, nil},
		{"negative timeout", "/api/propose", `{"problem": ` + good + `, "timeout_ms": -5}`, 400, []errorItem{{Field: "timeout_ms", Error: "negative timeout"}}},
		{"history out of order", "/api/signals", `{"problem": ` + good + `, "history": [
			{"date": "2026-02-25", "workers": []}, {"date": "2026-02-18", "workers": []}]}`, 400, nil},
		{"history after today", "/api/signals", `{"problem": ` + good + `, "history": [{"date": "2026-04-01", "workers": []}]}`, 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := post(t, ts, tt.path, []byte(tt.body))
			require.Equal(t, tt.code, code, string(body))
			var eb errorBody
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(&eb), string(body))
			assert.NotEmpty(t, eb.Error)
			if tt.want == nil {
				return
			}
			require.Len(t, eb.Items, len(tt.want), string(body))
			for i, w := range tt.want {
				assert.Equal(t, w.Field, eb.Items[i].Field)
				assert.Equal(t, w.ID, eb.Items[i].ID)
				assert.True(t, strings.HasPrefix(eb.Items[i].Error, w.Error), "%q does not start with %q", eb.Items[i].Error, w.Error)
			}
		})
	}

	t.Run("wrong method", func(t *testing.T) {
		for _, ep := range []string{"score", "rank", "propose", "signals"} {
			resp, err := ts.Client().Get(ts.URL + "/api/" + ep)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
			assert.Equal(t, "POST", resp.Header.Get("Allow"))
			assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
		}
	})
}

// TestAPIBodyLimit: a body over the limit gives 413, on every endpoint;
// one just under it is read.
func TestAPIBodyLimit(t *testing.T) {
	const limit = 4096 // small, so that the test sends little
	ts, _ := newTestServer(t, testConfig{maxBody: limit})
	pad := func(n int) []byte {
		// A valid problem padded with spaces up to n bytes.
		b := []byte(`{"problem": {"as_of": "2026-03-04", "workers": [], "cases": []}}`)
		return append(b, bytes.Repeat([]byte(" "), n-len(b))...)
	}
	for _, ep := range []string{"score", "rank", "propose", "signals"} {
		code, body := post(t, ts, "/api/"+ep, pad(limit+1))
		assert.Equal(t, http.StatusRequestEntityTooLarge, code, ep)
		assert.Contains(t, string(body), "larger than 4096 bytes")
	}
	code, _ := post(t, ts, "/api/score", pad(limit))
	assert.Equal(t, http.StatusOK, code)
}

// bigProblem is a team of 60 workers and 1,800 cases, large enough that
// an unlimited rebalance does not finish in a millisecond.
func bigProblem() balance.Problem {
	p := balance.Problem{AsOf: civil.NewDate(2026, 3, 4)}
	for i := range 60 {
		p.Workers = append(p.Workers, balance.Worker{ID: fmt.Sprintf("w%02d", i), Capacity: balance.HoursPerWeek(20 + i%17)})
	}
	for i := range 1800 {
		c := balance.Case{ID: fmt.Sprintf("c%04d", i), Weight: balance.HoursPerWeek(0.5 + float64((i*7919)%53)/10)}
		if i%9 != 0 { // every ninth case waits in the queue
			c.Owner = p.Workers[(i*i)%len(p.Workers)/2].ID // the first half holds everything
		}
		p.Cases = append(p.Cases, c)
	}
	return p
}

// TestAPIDeadline: Propose stops at the deadline, the request's or the
// server's, and answers 200 with the best complete proposal so far,
// every case placed, and the status "stopped-early".
func TestAPIDeadline(t *testing.T) {
	p := bigProblem()
	check := func(t *testing.T, ts interface{ Close() }, code int, body []byte, took time.Duration) {
		require.Equal(t, http.StatusOK, code, string(body))
		var pr proposeResponse
		require.NoError(t, json.Unmarshal(body, &pr))
		assert.Equal(t, "stopped-early", pr.Status)
		assert.Len(t, pr.Assignment, len(p.Cases), "a complete proposal")
		assert.Equal(t, 0, pr.After.Unassigned)
		assert.Less(t, took, 10*time.Second)
	}
	t.Run("request", func(t *testing.T) {
		ts, _ := newTestServer(t, testConfig{})
		body, err := json.Marshal(proposeRequest{Problem: &p, Options: &balance.RebalanceOptions{MaxMoves: -1}, TimeoutMS: 1})
		require.NoError(t, err)
		start := time.Now()
		code, got := post(t, ts, "/api/propose", body)
		check(t, ts, code, got, time.Since(start))
	})
	t.Run("server", func(t *testing.T) {
		ts, _ := newTestServer(t, testConfig{proposeTimeout: time.Millisecond})
		body, err := json.Marshal(proposeRequest{Problem: &p, Options: &balance.RebalanceOptions{MaxMoves: -1}, TimeoutMS: 60_000})
		require.NoError(t, err)
		start := time.Now()
		code, got := post(t, ts, "/api/propose", body)
		check(t, ts, code, got, time.Since(start))
	})
}

// TestAPIConcurrent: 50 concurrent requests over every endpoint and the
// page each get the answer they get alone (run under -race). A proposal
// may only differ if it stopped at the deadline, which the generous one
// here makes unlikely even under -race on a loaded machine (a proposal
// for the built-in team takes 0.1 s, 0.7 s under -race); it must then
// still be complete.
func TestAPIConcurrent(t *testing.T) {
	ts, _ := newTestServer(t, testConfig{proposeTimeout: 2 * time.Minute})
	stoppedEarly := func(b []byte) bool {
		var pr proposeResponse
		return json.Unmarshal(b, &pr) == nil && pr.Status == "stopped-early" && pr.After.Unassigned == 0
	}
	reqs := builtinRequests(t)
	names := []string{"score", "rank", "propose", "signals"}
	bodies := map[string][]byte{}
	want := map[string][]byte{}
	for _, n := range names {
		b, err := json.Marshal(reqs[n])
		require.NoError(t, err)
		bodies[n] = b
		_, want[n] = post(t, ts, "/api/"+n, b)
	}
	_, page := get(t, ts, "/")

	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%5 == 4 {
				resp, err := ts.Client().Get(ts.URL + "/")
				if err != nil {
					errs <- err
					return
				}
				var b bytes.Buffer
				b.ReadFrom(resp.Body)
				resp.Body.Close()
				if b.String() != page && !strings.Contains(b.String(), "Stopped early") {
					errs <- fmt.Errorf("request %d: the page differs", i)
				}
				return
			}
			name := names[i%4]
			resp, err := ts.Client().Post(ts.URL+"/api/"+name, "application/json", bytes.NewReader(bodies[name]))
			if err != nil {
				errs <- err
				return
			}
			var b bytes.Buffer
			b.ReadFrom(resp.Body)
			resp.Body.Close()
			same := bytes.Equal(b.Bytes(), want[name]) || name == "propose" && stoppedEarly(b.Bytes())
			if resp.StatusCode != http.StatusOK || !same {
				errs <- fmt.Errorf("request %d to %s: status %d, answer differs", i, name, resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
