package main

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cancuoc/sdk/cccd"
	"github.com/cancuoc/sdk/chip"
)

// BenchmarkServiceVerify drives POST /v1/cards/verify on a loopback server
// with 4 concurrent clients per CPU and reports requests per second and the
// p50 and p99 latency. Compare req/s with BenchmarkInProcessVerify's
// verifications per second, measured in the same run.
func BenchmarkServiceVerify(b *testing.B) {
	srv, d := newTestServer(b, nil)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var (
		mu        sync.Mutex
		latencies []time.Duration
	)
	b.ReportAllocs()
	b.SetParallelism(4)
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			t0 := time.Now()
			resp, err := client.Post(srv.URL+"/v1/cards/verify", "application/json", bytes.NewReader(d.request))
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
			mine = append(mine, time.Since(t0))
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	if len(latencies) == 0 {
		return
	}
	slices.Sort(latencies)
	b.ReportMetric(float64(len(latencies))/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds()), "p50-us")
	b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds()), "p99-us")
}

// BenchmarkInProcessVerify calls chip.Verify directly on the same card,
// on every CPU, and reports verifications per second.
func BenchmarkInProcessVerify(b *testing.B) {
	d, err := demo(b)
	if err != nil {
		b.Fatal(err)
	}
	files := chip.Files(cardFiles(b, d))
	opts := chip.VerifyOptions{Trust: d.cfg.trust.csca}
	b.ReportAllocs()
	start := time.Now()
	b.SetParallelism(1)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if r, err := chip.Verify(files, opts); err != nil || !r.Valid {
				b.Error("verification failed", err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "verifications/s")
}

// BenchmarkBase64 decodes the demo card's face image (DG2, ~27 KB of
// base64) with decodeBase64Fast and with encoding/base64, in one run.
func BenchmarkBase64(b *testing.B) {
	d, err := demo(b)
	if err != nil {
		b.Fatal(err)
	}
	src := []byte(base64.StdEncoding.EncodeToString(cardFiles(b, d)["DG2"]))
	dst := make([]byte, base64.StdEncoding.DecodedLen(len(src)))
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			if _, ok := decodeBase64Fast(dst, src); !ok {
				b.Fatal("declined")
			}
		}
	})
	b.Run("encoding/base64", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			if _, err := base64.StdEncoding.Decode(dst, src); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCrossChecks is what verifyCard adds to passive authentication
// for the demo card: DG1's MRZ and DG13 parsed, the name check's MRZ
// re-encoding, the other cross-checks and the answer's maps, from a report
// made once.
func BenchmarkCrossChecks(b *testing.B) {
	d, err := demo(b)
	if err != nil {
		b.Fatal(err)
	}
	files := chip.Files(cardFiles(b, d))
	s := &server{cfg: d.cfg}
	report, err := chip.Verify(files, chip.VerifyOptions{Trust: d.cfg.trust.csca, Policy: cccdPolicy()})
	if err != nil || !report.Valid {
		b.Fatal("the demo card does not verify", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if res := s.crossCheck(report, files, cccd.Number{}, time.Time{}); !res.Valid {
			b.Fatal(res.Reason)
		}
	}
}
