package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cancuoc/sdk/chip"
)

// benchServerEnv makes the test binary run the service instead of the
// tests (see TestMain): BenchmarkServiceCPU starts it as a child process so
// that the child's CPU time is the server's alone.
const benchServerEnv = "VERIFYD_BENCH_SERVER"

func TestMain(m *testing.M) {
	if os.Getenv(benchServerEnv) != "" {
		os.Exit(benchServer())
	}
	os.Exit(m.Run())
}

// benchServer runs `verifyd -demo -addr 127.0.0.1:0` with its logs on
// stdout, and reports on stderr its CPU time once listening and once
// stopped (after SIGINT), so the difference is what serving cost.
//
// With VERIFYD_BENCH_CPUPROFILE=file it also writes the server's CPU
// profile there, to see where its time goes.
func benchServer() int {
	if path := os.Getenv("VERIFYD_BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	ready := make(chan string, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, ok := <-ready; ok {
			fmt.Fprintf(os.Stderr, "cpu-ready-ns %d\n", cpuTime())
		}
	}()
	code := run(context.Background(), []string{"-demo", "-addr", "127.0.0.1:0"}, os.Stdout, os.Stderr, ready)
	close(ready)
	<-done
	fmt.Fprintf(os.Stderr, "cpu-stop-ns %d\n", cpuTime())
	return code
}

// BenchmarkServiceCPU is issue 17's measure of the service's cost: the
// demo card posted b.N times from 4 clients per CPU to verifyd running in a
// child process, and the server's own CPU time per verified card from its
// rusage (server-cpu-us/card), next to the CPU time of chip.Verify on the
// same card in this process (inproc-cpu-us/card), measured in the same
// sub-benchmark (half before the service runs, half after), and their
// ratio (server/inproc). Sub-benchmarks: "card"
// posts one card per request to /v1/cards/verify (the figure issue 17
// names); "batch16" and "batch64" post 16 and 64 cards per request to
// /v1/cards/verify-batch (b.N/16 and b.N/64 requests, rounded up), where
// HTTP's fixed cost is shared. Use a fixed load such as -benchtime 6000x.
func BenchmarkServiceCPU(b *testing.B) {
	if cpuTime() == 0 {
		b.Skip("no process CPU time on this platform")
	}
	for _, perRequest := range []int{1, 16, 64} {
		name := "card"
		if perRequest > 1 {
			name = fmt.Sprintf("batch%d", perRequest)
		}
		b.Run(name, func(b *testing.B) { benchServiceCPU(b, perRequest) })
	}
}

// benchServiceCPU is BenchmarkServiceCPU with perRequest cards per request
// (1: the single endpoint).
func benchServiceCPU(b *testing.B, perRequest int) {
	// In-process: the library alone on the same card, as many times, half
	// before the service runs and half after, so that a change in the
	// machine's load during the run weighs on both figures alike.
	d, err := demo(b)
	if err != nil {
		b.Fatal(err)
	}
	files := chip.Files(cardFiles(b, d))
	opts := chip.VerifyOptions{Trust: d.cfg.trust.csca}
	half := max(b.N, 200) / 2
	var inprocCPU int64
	inProcess := func() {
		runtime.GC()
		cpu0 := cpuTime()
		for range half {
			if r, err := chip.Verify(files, opts); err != nil || !r.Valid {
				b.Fatal("in-process verification failed", err)
			}
		}
		inprocCPU += cpuTime() - cpu0
	}
	inProcess()

	addr, card, child := startBenchServer(b)
	path, request := "/v1/cards/verify", card
	if perRequest > 1 {
		path = "/v1/cards/verify-batch"
		request = batchBody(slices.Repeat([][]byte{card}, perRequest)...)
	}
	requests := (b.N + perRequest - 1) / perRequest
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var left atomic.Int64
	left.Store(int64(requests))
	var wg sync.WaitGroup
	var failed atomic.Value
	b.ResetTimer()
	start := time.Now()
	for range 4 * runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			var answer bytes.Buffer
			for left.Add(-1) >= 0 {
				resp, err := client.Post("http://"+addr+path, "application/json", bytes.NewReader(request))
				if err != nil {
					failed.Store(err.Error())
					return
				}
				answer.Reset()
				_, _ = answer.ReadFrom(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failed.Store(fmt.Sprintf("status %d", resp.StatusCode))
					return
				}
				if valid := bytes.Count(answer.Bytes(), []byte(`"valid":true`)); valid != perRequest {
					failed.Store(fmt.Sprintf("%d valid cards of %d", valid, perRequest))
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	cards := float64(requests * perRequest)
	server := child.stop(b) / cards
	if f := failed.Load(); f != nil {
		b.Fatal(f)
	}
	inProcess()
	inproc := float64(inprocCPU) / float64(2*half)
	b.ReportMetric(float64(requests)/elapsed.Seconds(), "req/s")
	b.ReportMetric(cards/elapsed.Seconds(), "cards/s")
	b.ReportMetric(server/1e3, "server-cpu-us/card")
	b.ReportMetric(inproc/1e3, "inproc-cpu-us/card")
	b.ReportMetric(server/inproc, "server/inproc")
}

// benchChild is the service process of BenchmarkServiceCPU.
type benchChild struct {
	cmd    *exec.Cmd
	stderr *bytes.Buffer
	out    sync.WaitGroup
}

// startBenchServer starts the child and returns its address and the demo
// card's request body it wrote.
func startBenchServer(b *testing.B) (addr string, request []byte, c *benchChild) {
	b.Helper()
	c = &benchChild{cmd: exec.Command(os.Args[0]), stderr: new(bytes.Buffer)}
	c.cmd.Env = append(os.Environ(), benchServerEnv+"=1")
	c.cmd.Stderr = c.stderr
	stdout, err := c.cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.cmd.Process.Kill(); _ = c.cmd.Wait() })
	lines := bufio.NewScanner(stdout)
	var dir string
	for addr == "" && lines.Scan() {
		var l struct{ Msg, Dir, Addr string }
		if json.Unmarshal(lines.Bytes(), &l) != nil {
			continue
		}
		switch l.Msg {
		case "demo card issued":
			dir = l.Dir
		case "listening":
			addr = l.Addr
		}
	}
	if addr == "" || dir == "" {
		b.Fatalf("service did not start: %s", c.stderr)
	}
	// The access log goes on being written: drain it.
	c.out.Go(func() { _, _ = io.Copy(io.Discard, stdout) })
	if request, err = os.ReadFile(filepath.Join(dir, "request.json")); err != nil {
		b.Fatal(err)
	}
	return addr, request, c
}

// stop interrupts the child, waits for it and returns the CPU time it spent
// between listening and stopping, in nanoseconds.
func (c *benchChild) stop(b *testing.B) float64 {
	b.Helper()
	if err := c.cmd.Process.Signal(os.Interrupt); err != nil {
		b.Fatal(err)
	}
	c.out.Wait()
	if err := c.cmd.Wait(); err != nil {
		b.Fatalf("service exited: %v: %s", err, c.stderr)
	}
	var ready, stop int64
	for _, l := range strings.Split(c.stderr.String(), "\n") {
		fmt.Sscanf(l, "cpu-ready-ns %d", &ready)
		fmt.Sscanf(l, "cpu-stop-ns %d", &stop)
	}
	if ready == 0 || stop <= ready {
		b.Fatalf("no CPU report from the service: %s", c.stderr)
	}
	return float64(stop - ready)
}
