//go:build unix

package biometric

import (
	"syscall"
	"time"
)

// processCPU returns the user+system CPU time of the process so far:
// benchmarks report CPU per comparison next to wall time, because on a
// shared machine wall time also counts other processes' turns.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
