package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/caseload/caseload/balance"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the files in testdata")

// golden compares got with a file in testdata, or rewrites the file
// under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got))
}

// testConfig is a server's limits in tests: 1 MiB bodies, and a
// proposal deadline long enough for the built-in team under -race.
type testConfig struct {
	dir            string
	maxBody        int64
	proposeTimeout time.Duration
}

// newTestServer starts a dashboard over the built-in team (or the team
// in cfg.dir) on 127.0.0.1 with a random port.
func newTestServer(t *testing.T, cfg testConfig) (*httptest.Server, *store) {
	t.Helper()
	if cfg.maxBody == 0 {
		cfg.maxBody = 1 << 20
	}
	if cfg.proposeTimeout == 0 {
		cfg.proposeTimeout = 20 * time.Second
	}
	st, err := openStore(cfg.dir)
	require.NoError(t, err)
	s := newServer(st, cfg.maxBody, cfg.proposeTimeout, log.New(io.Discard, "", 0))
	ts := httptest.NewServer(s.handler())
	t.Cleanup(ts.Close)
	return ts, st
}

// get fetches path and returns the status and body.
func get(t *testing.T, ts *httptest.Server, path string) (int, string) {
	t.Helper()
	resp, err := ts.Client().Get(ts.URL + path)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// post sends body as JSON to path and returns the status and body.
func post(t *testing.T, ts *httptest.Server, path string, body []byte) (int, []byte) {
	t.Helper()
	resp, err := ts.Client().Post(ts.URL+path, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, b
}

// TestRun starts the command on a random port, serves a page and an API
// call, and shuts down when its context ends.
func TestRun(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()

	ctx, cancel := context.WithCancel(t.Context())
	var out bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, &out, []string{"-addr", addr, "-data", t.TempDir()}) }()
	var resp *http.Response
	require.Eventually(t, func() bool {
		resp, err = http.Get("http://" + addr + "/")
		return err == nil
	}, 10*time.Second, 20*time.Millisecond)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	cancel()
	require.NoError(t, <-done)
	assert.Contains(t, out.String(), "serving the team of 2026-03-04 on http://"+addr+"/")

	assert.Error(t, run(t.Context(), io.Discard, []string{"-nosuchflag"}))
	assert.Error(t, run(t.Context(), io.Discard, []string{"team.json"}))
	assert.Error(t, run(t.Context(), io.Discard, []string{"-addr", "256.0.0.1:1"}))
}

// TestTeamFile: the built-in team written as a team file is
// testdata/team.json, which shows a case system what to export; the
// dashboard reads it back, and reads the embed example's team file,
// which has no production section, too.
func TestTeamFile(t *testing.T) {
	b, err := json.MarshalIndent(builtinTeam(), "", "  ")
	require.NoError(t, err)
	golden(t, "team.json", append(b, '\n'))

	f, err := readTeamFile("testdata/team.json")
	require.NoError(t, err)
	again, err := json.Marshal(f)
	require.NoError(t, err)
	want, err := json.Marshal(builtinTeam())
	require.NoError(t, err)
	assert.JSONEq(t, string(want), string(again))

	embed, err := readTeamFile("../embed/testdata/team.json")
	require.NoError(t, err)
	assert.Nil(t, embed.Production)
	st, err := newTeamState(embed, nil)
	require.NoError(t, err)
	assert.Nil(t, st.pace)
}

// TestDataDir: -data keeps the team file and a snapshot a date; the
// snapshots dated before the team's date are its history.
func TestDataDir(t *testing.T) {
	dir := t.TempDir()
	st, err := openStore(dir)
	require.NoError(t, err)
	assert.FileExists(t, filepath.Join(dir, "team.json"))
	assert.FileExists(t, filepath.Join(dir, "snapshots", "2026-03-04.json"))
	assert.Empty(t, st.current().history)

	// Last week's snapshots, as a case system would have stored them.
	h, err := builtinHistory(builtinTeam())
	require.NoError(t, err)
	for _, s := range h {
		require.NoError(t, writeFile(filepath.Join(dir, "snapshots", s.Date.String()+".json"), s))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "snapshots", "README.txt"), []byte("not a snapshot"), 0o644))
	st, err = openStore(dir)
	require.NoError(t, err)
	assert.Equal(t, h, st.current().history, "read back in date order, today's left out")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "snapshots", "2026-02-01.json"), []byte("{"), 0o644))
	_, err = openStore(dir)
	assert.ErrorContains(t, err, "2026-02-01.json")

	bad := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(bad, "team.json"), []byte(`{"workers": []}`), 0o644))
	_, err = openStore(bad)
	assert.ErrorContains(t, err, "as_of is not set")
}

// TestHandOver: accepting k steps gives the placements and the moves of
// steps 1 to k their new owners, and nothing else changes.
func TestHandOver(t *testing.T) {
	st, err := openStore("")
	require.NoError(t, err)
	cur := st.current()
	for k := range 3 {
		pr, err := cur.team.Propose(t.Context(), &balance.RebalanceOptions{MaxMoves: 2})
		require.NoError(t, err)
		moves := firstSteps(pr, k)
		f := handOver(cur.file, moves, cur.file.AsOf)
		owners := map[string]string{}
		for _, c := range f.Cases {
			owners[c.ID] = c.Owner
		}
		changed := 0
		for i, c := range cur.file.Cases {
			if c.Owner != f.Cases[i].Owner {
				changed++
			}
		}
		assert.Equal(t, len(moves), changed)
		for _, mv := range moves {
			assert.LessOrEqual(t, mv.Step, k)
			assert.Equal(t, mv.To, owners[mv.Case])
		}
	}
	assert.Equal(t, builtinTeam(), cur.file, "the team file is not modified")
}

// TestStaticAndHeaders: the stylesheet is embedded, and every answer
// carries the security headers.
func TestStaticAndHeaders(t *testing.T) {
	ts, _ := newTestServer(t, testConfig{})
	code, css := get(t, ts, "/static/style.css")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, css, ".fill.band-3")
	code, _ = get(t, ts, "/nothing-here")
	assert.Equal(t, http.StatusNotFound, code)
	resp, err := ts.Client().Get(ts.URL + "/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.True(t, strings.HasPrefix(resp.Header.Get("Content-Security-Policy"), "default-src 'none'"))
}

// TestReload: a team file exported anew (next week's) is read on the
// next request, with last week's snapshot as history; one that cannot
// be read leaves the team as it was, and the page says why.
func TestReload(t *testing.T) {
	dir := t.TempDir()
	ts, st := newTestServer(t, testConfig{dir: dir})
	first := st.current()
	path := filepath.Join(dir, "team.json")

	next := builtinTeam()
	next.AsOf = next.AsOf.AddDays(7)
	require.NoError(t, writeFile(path, next))
	later := time.Now().Add(time.Minute) // a new modification time, whatever the file system's resolution
	require.NoError(t, os.Chtimes(path, later, later))
	cur := st.current()
	require.NotSame(t, first, cur)
	assert.Equal(t, next.AsOf, cur.file.AsOf)
	require.Len(t, cur.history, 1)
	assert.Equal(t, first.file.AsOf, cur.history[0].Date)
	assert.FileExists(t, filepath.Join(dir, "snapshots", next.AsOf.String()+".json"))
	assert.Same(t, cur, st.current(), "read once")

	require.NoError(t, os.WriteFile(path, []byte(`{"as_of": "2026-03-18", "workers": [`), 0o644))
	later = later.Add(time.Minute)
	require.NoError(t, os.Chtimes(path, later, later))
	assert.Same(t, cur, st.current(), "a bad export leaves the team as it was")
	code, page := get(t, ts, "/")
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, page, "A new team file could not be read")
	assert.Contains(t, page, "on 2026-03-11")
}
