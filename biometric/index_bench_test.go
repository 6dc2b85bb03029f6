package biometric

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The large-gallery benchmarks. A benchmark gallery holds impression 1 of
// fingers 106 to 110 of every FVC2002 database (20 mates) and N-20
// distractors synthesised from fingers 101 to 105 (so none carries a
// piece of a probe's finger); the probes are impressions 2 to 8 of
// fingers 106 to 110 (140). Galleries are built once, without the index,
// and cached as gallery files in $BIOMETRIC_BENCH_CACHE (default:
// cancuoc-bench in the system temp directory) under a name holding the
// file format version, N, the distractor seed and a digest of the
// prepared FVC2002 templates (a change to Prepare makes a new file), so
// that a change to the index reuses them; the exact search's results for
// the probes are cached next to them, under a digest of a few Compare
// scores as well (a change to the matcher makes new ones).
//
// Sizes: 10,000 by default; BIOMETRIC_BENCH_N="100000,1000000" for the
// issue's figures (about 0.8 ms of CPU per prepared distractor to build,
// 4.6 KB per template of cached file). BIOMETRIC_BENCH_EXACT=n limits the
// exact searches (and the hit rates) to the first n probes (0: none) when
// not enough are cached; the probes are ordered by impression, so the
// first 20 are impression 2 of every finger. BIOMETRIC_BENCH_READ=1 reads
// the indexed file into the Go heap (ReadGallery) instead of mapping it,
// to compare.

// benchSeed is the first seed of the distractors; batch i uses
// benchSeed + i*benchBatch.
const (
	benchSeed  = 1
	benchBatch = 20000
)

type benchSetup struct {
	path   string
	probes []*Prepared
	mates  []string // mate ID per probe
	exact  [][]string
}

func benchSizes() []int {
	s := os.Getenv("BIOMETRIC_BENCH_N")
	if s == "" {
		return []int{10000}
	}
	var ns []int
	for _, f := range strings.Split(s, ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 100 {
			ns = append(ns, n)
		}
	}
	return ns
}

// benchGallery returns the cached gallery file for n entries (building it
// if needed), the probes, their mates and the exact top 10 IDs.
func benchGallery(b *testing.B, n int) *benchSetup {
	b.Helper()
	var sources []*Template
	s := &benchSetup{}
	var mates []*Template
	var mateIDs []string
	type probe struct {
		imp  int
		p    *Prepared
		mate string
	}
	var all []probe
	h, hs := sha256.New(), sha256.New()
	for _, db := range []string{"DB1_B", "DB2_B", "DB3_B", "DB4_B"} {
		names, ts := loadFVCTemplates(b, db)
		for i, t := range ts {
			f, imp, _ := parseEvalName(names[i])
			p, err := Prepare(t)
			if err != nil {
				b.Fatal(err)
			}
			for _, c := range p.cyl {
				binary.Write(h, binary.LittleEndian, c[:])
			}
			binary.Write(h, binary.LittleEndian, p.dist)
			id := fmt.Sprintf("%s/%d_%d", db, f, imp)
			switch {
			case f <= 105:
				sources = append(sources, t)
			case imp == 1:
				mates = append(mates, t)
				mateIDs = append(mateIDs, id)
			default:
				all = append(all, probe{imp, p, fmt.Sprintf("%s/%d_1", db, f)})
			}
		}
	}
	// Probes by impression first, so that the first 20 (as many as
	// BIOMETRIC_BENCH_EXACT asks) are one impression of every finger.
	slices.SortStableFunc(all, func(a, b probe) int { return a.imp - b.imp })
	for _, p := range all {
		s.probes = append(s.probes, p.p)
		s.mates = append(s.mates, p.mate)
	}
	// The matcher's digest: the first probe's scores against the mates.
	var c Comparer
	for _, m := range mates {
		p, err := Prepare(m)
		if err != nil {
			b.Fatal(err)
		}
		binary.Write(hs, binary.LittleEndian, c.Compare(s.probes[0], p))
	}
	dir := os.Getenv("BIOMETRIC_BENCH_CACHE")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "cancuoc-bench")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	s.path = filepath.Join(dir, fmt.Sprintf("gallery-v%d-n%d-seed%d-%x.bin", galleryVersion, n, benchSeed, h.Sum(nil)[:6]))
	exactPath := fmt.Sprintf("%s.exact-%x.json", s.path, hs.Sum(nil)[:6])
	if _, err := os.Stat(s.path); err != nil {
		buildBenchGallery(b, s.path, n, sources, mates, mateIDs)
	}
	probes := len(s.probes)
	if v, err := strconv.Atoi(os.Getenv("BIOMETRIC_BENCH_EXACT")); err == nil && v >= 0 {
		probes = min(v, probes)
	}
	if raw, err := os.ReadFile(exactPath); err != nil || json.Unmarshal(raw, &s.exact) != nil {
		s.exact = nil
	}
	if len(s.exact) >= probes {
		s.exact = s.exact[:probes]
		return s
	}
	// The exact searches take 140 x N comparisons: only those not cached.
	g, err := LoadGallery(s.path)
	if err != nil {
		b.Fatal(err)
	}
	defer g.Close()
	b.Logf("exact search of probes %d to %d in %d entries (cached in %s)", len(s.exact), probes, n, exactPath)
	for _, p := range s.probes[len(s.exact):probes] {
		cands, err := g.Search(context.Background(), p, 10)
		if err != nil {
			b.Fatal(err)
		}
		var ids []string
		for _, c := range cands {
			ids = append(ids, c.ID)
		}
		s.exact = append(s.exact, ids)
	}
	raw, _ := json.Marshal(s.exact)
	if err := os.WriteFile(exactPath, raw, 0o600); err != nil {
		b.Fatal(err)
	}
	return s
}

func buildBenchGallery(b *testing.B, path string, n int, sources, mates []*Template, mateIDs []string) {
	b.Logf("building a %d-entry gallery in %s", n, path)
	start := time.Now()
	g := new(Gallery)
	for i, t := range mates {
		p, err := Prepare(t)
		if err != nil {
			b.Fatal(err)
		}
		g.Add(mateIDs[i], p)
	}
	// Synthesise and prepare in batches on every core; presize the arrays
	// from the first batch so that growing them does not double memory.
	for done := 0; len(g.ents) < n; done += benchBatch {
		m := min(benchBatch, n-len(g.ents))
		ts := SynthesizeDistractors(sources, m, uint64(done)+benchSeed)
		ps := make([]*Prepared, m)
		var next atomic.Int64
		var wg sync.WaitGroup
		for range runtime.GOMAXPROCS(0) {
			wg.Go(func() {
				for i := int(next.Add(1)) - 1; i < m; i = int(next.Add(1)) - 1 {
					p, err := Prepare(ts[i])
					if err != nil {
						panic(err)
					}
					ps[i] = p
				}
			})
		}
		wg.Wait()
		if done == 0 {
			var cyl int
			for _, p := range ps {
				cyl += len(p.cyl)
			}
			per := float64(cyl)/float64(m)*1.05 + 1
			est := int(per * float64(n))
			s := &g.seg[1]
			s.cyl = append(make([]cylinder, 0, est), s.cyl...)
			s.dist = append(make([]uint16, 0, int(float64(est)*per*1.1)), s.dist...)
			s.bytes = append(make([]uint8, 0, int(float64(est)*(per*1.1+1))+n*(angleUnits+1)), s.bytes...)
			s.ids = append(make([]byte, 0, n*20), s.ids...)
			g.ents = append(make([]entry, 0, n), g.ents...)
		}
		for i, p := range ps {
			g.Add("distractor-"+strconv.Itoa(done+i), p)
		}
		b.Logf("  %d entries, %v", len(g.ents), time.Since(start).Round(time.Second))
	}
	if err := g.Save(path); err != nil {
		b.Fatal(err)
	}
	b.Logf("built and saved in %v", time.Since(start).Round(time.Second))
}

// BenchmarkIndexedSearch loads the cached gallery (memory-mapped where
// LoadGallery maps), builds its index, saves it with the index to a
// temporary file, closes it and loads that file: the gallery searched.
// N=.../gc times a forced GC with it live and reports, for each stage
// (load-noindex, build-index, save, load), its wall and CPU time and the
// Go heap and resident set per template after it (HeapAlloc and VmRSS
// after debug.FreeOSMemory, against the same before the first load; the
// mapped file's pages count in VmRSS once read, on Linux); the CPU time of the checksum alone
// over the first mapping (pages resident), the indexed file's size, the
// part of the heap the GC scans, and the last GC pause;
// N=.../pen=P/screen=S searches the probes in turn, top 10 at penetration
// P after screening the share S (0: none; one op is one search),
// reporting CPU time per search (meaningful on a loaded machine), the
// share compared exactly, the exact search's top-10 hit rate and the
// indexed search's hits as a share of the exact search's.
func BenchmarkIndexedSearch(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run("N="+strconv.Itoa(n), func(b *testing.B) {
			s := benchGallery(b, n)
			heap := func() uint64 {
				debug.FreeOSMemory() // a GC, and freed pages back to the OS so that RSS counts live memory
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				return m.HeapAlloc
			}
			type stage struct {
				wall, cpu time.Duration
				heap, rss uint64
			}
			timed := func(f func() error) stage {
				start, cpu := time.Now(), processCPU()
				if err := f(); err != nil {
					b.Fatal(err)
				}
				st := stage{wall: time.Since(start), cpu: processCPU() - cpu}
				st.heap, st.rss = heap(), residentBytes()
				return st
			}
			before, rss0 := heap(), residentBytes()
			// 1. The cached gallery, without index.
			var g *Gallery
			load := timed(func() (err error) { g, err = LoadGallery(s.path); return err })
			cpu := processCPU()
			crc32.Checksum(g.mapped, castagnoli) // the checksum's share (pages resident now)
			crcCPU := processCPU() - cpu
			// 2. Its index, on the heap.
			build := timed(func() error { return g.BuildIndex(context.Background()) })
			// 3. Saved with the index and loaded again: the gallery searched.
			path := filepath.Join(filepath.Dir(s.path), fmt.Sprintf("indexed-%d-%d.bin", n, os.Getpid()))
			defer os.Remove(path)
			save := timed(func() error { return g.Save(path) })
			if err := g.Close(); err != nil {
				b.Fatal(err)
			}
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			loadIx := timed(func() (err error) {
				if os.Getenv("BIOMETRIC_BENCH_READ") == "1" { // the heap copy, to compare
					f, err := os.Open(path)
					if err != nil {
						return err
					}
					defer f.Close()
					fi, err := f.Stat()
					if err != nil {
						return err
					}
					g, err = ReadGallery(bufio.NewReaderSize(f, 1<<20), fi.Size())
					return err
				}
				g, err = LoadGallery(path)
				return err
			})
			defer g.Close()
			os.Remove(path) // the mapping keeps the file's pages
			// A search builds the index's per-entry weights and a scratch.
			if _, _, err := g.SearchIndexed(context.Background(), s.probes[0], 10, IndexOptions{}); err != nil {
				b.Fatal(err)
			}
			searching := heap()
			per := func(v uint64, base uint64) float64 { return (float64(v) - float64(base)) / float64(g.Len()) }
			// A forced full GC with the gallery live: one op is one GC.
			b.Run("gc", func(b *testing.B) {
				for b.Loop() {
					runtime.GC()
				}
				var after runtime.MemStats
				runtime.ReadMemStats(&after)
				scan := []metrics.Sample{{Name: "/gc/scan/heap:bytes"}}
				metrics.Read(scan)
				b.ReportMetric(float64(after.PauseNs[(after.NumGC+255)%256])/1e6, "last-pause-ms")
				b.ReportMetric(float64(scan[0].Value.Uint64())/float64(g.Len()), "scanned-B/template")
				for _, m := range []struct {
					name string
					st   stage
				}{{"load-noindex", load}, {"build-index", build}, {"save", save}, {"load", loadIx}} {
					b.ReportMetric(float64(m.st.wall.Milliseconds()), m.name+"-ms")
					b.ReportMetric(float64(m.st.cpu.Milliseconds()), m.name+"-cpu-ms")
					if m.name != "save" {
						b.ReportMetric(per(m.st.heap, before), m.name+"-heap-B/template")
						if rss0 > 0 {
							b.ReportMetric(per(m.st.rss, rss0), m.name+"-rss-B/template")
						}
					}
				}
				b.ReportMetric(per(searching, before), "searching-heap-B/template")
				b.ReportMetric(float64(crcCPU.Milliseconds()), "crc-noindex-cpu-ms")
				b.ReportMetric(float64(st.Size())/float64(g.Len()), "file-B/template")
				b.ReportMetric(map[bool]float64{false: 0, true: 1}[g.mapped != nil], "mapped")
			})
			ctx := context.Background()
			// Screening at its default (20 times the penetration) and at
			// 15 times; without screening (-1) for comparison.
			for _, o := range []IndexOptions{
				{Penetration: 0.001}, {Penetration: 0.001, Screening: 0.015}, {Penetration: 0.002},
				{Penetration: 0.001, Screening: -1}, {Penetration: 0.005, Screening: -1}, {Penetration: 0.01, Screening: -1},
			} {
				scr := o.Screening
				if scr == 0 {
					scr = DefaultScreeningRatio * o.Penetration
				}
				b.Run(fmt.Sprintf("pen=%g/screen=%g", o.Penetration, max(scr, 0)), func(b *testing.B) {
					opts := o
					// Hit rate against the exact search, over every probe once.
					var exactHits, bothHits int
					for i, p := range s.probes[:len(s.exact)] {
						cands, _, err := g.SearchIndexed(ctx, p, 10, opts)
						if err != nil {
							b.Fatal(err)
						}
						if slicesContains(s.exact[i], s.mates[i]) {
							exactHits++
							for _, c := range cands {
								if c.ID == s.mates[i] {
									bothHits++
								}
							}
						}
					}
					i, compared := 0, 0
					b.ReportAllocs()
					cpu := processCPU()
					for b.Loop() {
						_, c, err := g.SearchIndexed(ctx, s.probes[i%len(s.probes)], 10, opts)
						if err != nil {
							b.Fatal(err)
						}
						compared += c
						i++
					}
					if cpu := processCPU() - cpu; cpu > 0 {
						b.ReportMetric(float64(cpu.Microseconds())/1000/float64(i), "cpu-ms/search")
					}
					b.ReportMetric(float64(compared)/float64(i)/float64(g.Len()), "penetration")
					if len(s.exact) > 0 {
						b.ReportMetric(float64(bothHits)/float64(max(exactHits, 1)), "top10-of-exact")
						b.ReportMetric(float64(exactHits)/float64(len(s.exact)), "exact-top10")
					}
				})
			}
		})
	}
}

// residentBytes returns the process's resident set size from
// /proc/self/status (Linux), or 0 where that is not available.
func residentBytes() uint64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(raw)) {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err == nil {
				return kb << 10
			}
		}
	}
	return 0
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
