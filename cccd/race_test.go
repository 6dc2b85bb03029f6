//go:build race

package cccd

// raceEnabled skips timing comparisons, which the race detector distorts.
const raceEnabled = true
