//go:build race

package compact

// raceEnabled lets the slowest exhaustive tests trim work under -race.
const raceEnabled = true
