//go:build !unix

package main

// cpuTime is not measured here; BenchmarkServiceCPU then skips.
func cpuTime() int64 { return 0 }
