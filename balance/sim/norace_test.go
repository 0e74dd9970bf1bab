//go:build !race

package sim_test

// raceEnabled reports that the race detector is on.
const raceEnabled = false
