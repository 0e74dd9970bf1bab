package main

import (
	"bytes"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/output.golden")

// TestGolden runs a quick study (13 weeks, 3 replications) and compares
// its table with testdata/output.golden; -update rewrites it. The charts
// must exist, weigh more than 10 kB (an empty plot with axes weighs a
// few) and decode as PNG.
func TestGolden(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	require.NoError(t, run(&buf, []string{"-weeks", "13", "-replications", "3", "-out", dir}))
	got := strings.ReplaceAll(buf.String(), filepath.ToSlash(dir), "OUT")
	golden := filepath.Join("testdata", "output.golden")
	if *update {
		require.NoError(t, os.WriteFile(golden, []byte(got), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), got)
	for _, name := range []string{"max-utilization.png", "utilization-spread.png", "queue.png"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err, name)
		assert.Greater(t, len(b), 10_000, name)
		_, err = png.Decode(bytes.NewReader(b))
		assert.NoError(t, err, name)
	}
	for _, name := range []string{"weeks.csv", "workers.csv", "summary.csv"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		require.NoError(t, err, name)
		assert.Greater(t, fi.Size(), int64(100), name)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-policies", "nobody"},
		{"-policies", "ranking+propose-x"},
		{"-config", "testdata/missing.json"},
		{"-replications", "-1", "-weeks", "2"},
	} {
		assert.Error(t, run(&bytes.Buffer{}, args), "%v", args)
	}
}
