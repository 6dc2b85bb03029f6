//go:build unix

package brainpool

import (
	"syscall"
	"time"
)

// cpuTime is the process's user plus system CPU time, so the benchmarks can
// report CPU ns/op next to wall ns/op on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
