package main

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"
)

// metrics counts requests, verdicts and latencies and serves them in the
// Prometheus text exposition format (version 0.0.4). That format is what
// bank operations teams already scrape, and it needs no dependency.
type metrics struct {
	mu       sync.Mutex
	requests map[[2]string]uint64 // route, status -> count
	verdicts map[[2]string]uint64 // kind, outcome -> count
	latency  map[string]*histogram
}

// latencyBuckets are the upper bounds, in seconds, of the latency histogram.
var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}

type histogram struct {
	counts []uint64 // one per bucket, cumulative on output
	sum    float64
	n      uint64
}

func newMetrics() *metrics {
	return &metrics{
		requests: map[[2]string]uint64{},
		verdicts: map[[2]string]uint64{},
		latency:  map[string]*histogram{},
	}
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[2]string{route, strconv.Itoa(status)}]++
	h := m.latency[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets))}
		m.latency[route] = h
	}
	s := d.Seconds()
	for i, ub := range latencyBuckets {
		if s <= ub {
			h.counts[i]++
			break
		}
	}
	h.sum += s
	h.n++
}

// verdict counts one decision, e.g. ("card", "valid") or ("card", "signature").
func (m *metrics) verdict(kind, outcome string) {
	m.mu.Lock()
	m.verdicts[[2]string{kind, outcome}]++
	m.mu.Unlock()
}

func (m *metrics) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	m.write(w)
}

func (m *metrics) write(w io.Writer) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprintln(w, "# HELP verifyd_requests_total Requests by route and HTTP status.")
	fmt.Fprintln(w, "# TYPE verifyd_requests_total counter")
	for _, k := range sortedKeys(m.requests) {
		fmt.Fprintf(w, "verifyd_requests_total{route=%q,status=%q} %d\n", k[0], k[1], m.requests[k])
	}
	fmt.Fprintln(w, "# HELP verifyd_verdicts_total Verification outcomes by kind and reason.")
	fmt.Fprintln(w, "# TYPE verifyd_verdicts_total counter")
	for _, k := range sortedKeys(m.verdicts) {
		fmt.Fprintf(w, "verifyd_verdicts_total{kind=%q,outcome=%q} %d\n", k[0], k[1], m.verdicts[k])
	}
	fmt.Fprintln(w, "# HELP verifyd_request_duration_seconds Request latency by route.")
	fmt.Fprintln(w, "# TYPE verifyd_request_duration_seconds histogram")
	routes := make([]string, 0, len(m.latency))
	for r := range m.latency {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, r := range routes {
		h := m.latency[r]
		var cum uint64
		for i, ub := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "verifyd_request_duration_seconds_bucket{route=%q,le=%q} %d\n", r, strconv.FormatFloat(ub, 'g', -1, 64), cum)
		}
		fmt.Fprintf(w, "verifyd_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", r, h.n)
		fmt.Fprintf(w, "verifyd_request_duration_seconds_sum{route=%q} %g\n", r, h.sum)
		fmt.Fprintf(w, "verifyd_request_duration_seconds_count{route=%q} %d\n", r, h.n)
	}
}

func sortedKeys(m map[[2]string]uint64) [][2]string {
	keys := make([][2]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return keys[i][0] < keys[j][0]
		}
		return keys[i][1] < keys[j][1]
	})
	return keys
}
