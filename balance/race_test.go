//go:build race

package balance_test

// raceEnabled reports that the race detector is on: it slows the code
// several times over, so timed tests skip.
const raceEnabled = true
