//go:build race

package chip

// raceEnabled skips allocation counts: the race detector's instrumentation
// allocates (TestParseDG13Allocations counts 49 under -race, 20 without).
const raceEnabled = true
