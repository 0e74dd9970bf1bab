//go:build race

package balance

// raceBuild reports that the race detector is on, for the internal
// tests: it slows the code several times over, so large instances skip.
const raceBuild = true
