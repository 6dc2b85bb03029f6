//go:build race

package biometric

// raceEnabled skips allocation counts: under the race detector sync.Pool
// drops items at random, so pooled scratch memory is allocated again.
const raceEnabled = true
