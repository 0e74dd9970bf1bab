//go:build !race

package balance_test

// raceEnabled reports that the race detector is on.
const raceEnabled = false
