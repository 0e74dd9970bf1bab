//go:build race

package balancetest_test

// raceDetector reports whether the tests run under the race detector,
// which slows Propose tenfold: the property tests then take one round
// each on the light shapes, to look for races, and leave the thousands
// of runs to the plain test.
const raceDetector = true
