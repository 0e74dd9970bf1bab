//go:build !race

package balance

// raceBuild reports that the race detector is on.
const raceBuild = false
