package main

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/output.golden")

// TestRun keeps the example from rotting: its output must match the
// golden file. Run with -update after an intended change.
func TestRun(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, run(&b))
	const golden = "testdata/output.golden"
	if *update {
		require.NoError(t, os.WriteFile(golden, b.Bytes(), 0o644))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	require.Equal(t, string(want), b.String())
}
