package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caseload/caseload/balance"
	"github.com/caseload/caseload/signal"
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
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got))
}

func runArgs(t *testing.T, args ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, run(&b, args))
	return b.Bytes()
}

// TestRun keeps the example from rotting: its output must match the
// golden file. Run with -update after an intended change.
func TestRun(t *testing.T) {
	golden(t, "output.golden", runArgs(t))
}

// TestTeamFile: the built-in team written as a team file and read back
// gives the same report, so testdata/team.json shows a case system
// what to export.
func TestTeamFile(t *testing.T) {
	golden(t, "team.json", runArgs(t, "-write-team"))
	assert.Equal(t, string(runArgs(t)), string(runArgs(t, "testdata/team.json")))
}

// TestJSON: the JSON report decodes back into the library's types and
// says what the text says.
func TestJSON(t *testing.T) {
	out := runArgs(t, "-json")
	var r struct {
		Team     []workerReport     `json:"team"`
		Rankings []*balance.Ranking `json:"rankings"`
		Proposal *balance.Proposal  `json:"proposal"`
		MaxMoves int                `json:"max_moves"`
		Signals  []signal.Signal    `json:"signals"`
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&r))
	require.Len(t, r.Rankings, 3)
	assert.Equal(t, "2026-0140", r.Rankings[0].Case)
	assert.Len(t, r.Proposal.Assignment, len(builtinTeam().Cases))
	again, err := json.Marshal(r.Proposal)
	require.NoError(t, err)
	var first struct {
		Proposal json.RawMessage `json:"proposal"`
	}
	require.NoError(t, json.Unmarshal(out, &first))
	assert.JSONEq(t, string(first.Proposal), string(again), "the proposal round-trips")
}

// TestBadInput: a bad team file gives one line that names the problem.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
		return p
	}
	good, err := os.ReadFile("testdata/team.json")
	require.NoError(t, err)
	tests := []struct {
		name, file, want string
	}{
		{"missing file", filepath.Join(dir, "nope.json"), "no such file"},
		{"malformed JSON", write("bad.json", `{"as_of": "2026-03-04", "workers": [`), "unexpected end of JSON input"},
		{"no date", write("nodate.json", `{"workers": []}`), "as_of is not set"},
		{"impossible date", write("feb30.json", strings.Replace(string(good), `"2026-03-04"`, `"2026-02-30"`, 1)), `bad date "2026-02-30"`},
		{"negative contract hours", write("neg.json", strings.Replace(string(good), `"hours": 32`, `"hours": -32`, 1)), "Contract.Hours"},
		{"unknown case type", write("type.json", strings.Replace(string(good), `"type": "guardianship"`, `"type": "guardian"`, 1)), "case 2026-0119"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := run(&bytes.Buffer{}, []string{tt.file})
			require.Error(t, err)
			msg := oneLine(err)
			assert.NotContains(t, msg, "\n")
			assert.Contains(t, msg, tt.want)
		})
	}
	assert.Error(t, run(&bytes.Buffer{}, []string{"a.json", "b.json"}))
	assert.Error(t, run(&bytes.Buffer{}, []string{"-nosuchflag"}))
}
