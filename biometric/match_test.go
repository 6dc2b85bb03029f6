package biometric

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// loadFVC prepares every record of one FVC2002 database folder.
func loadFVC(tb testing.TB, db string) []*Prepared {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(fvcDir, db, "*.iso"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no records in %s: %v", db, err)
	}
	var ps []*Prepared
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		t, err := Decode(b)
		if err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		p, err := Prepare(t)
		if err != nil {
			tb.Fatalf("%s: %v", f, err)
		}
		ps = append(ps, p)
	}
	return ps
}

// BenchmarkCompare measures one prepared 1:1 comparison, cycling over the
// pairs of the protocol (genuine and impostor, within each database) of
// the four FVC2002 set B databases.
func BenchmarkCompare(b *testing.B) {
	type pair struct{ a, b *Prepared }
	var pairs []pair
	for _, db := range []string{"DB1_B", "DB2_B", "DB3_B", "DB4_B"} {
		ps := loadFVC(b, db)
		for i := range ps {
			for j := i + 1; j < len(ps); j++ {
				pairs = append(pairs, pair{ps[i], ps[j]})
			}
		}
	}
	// A fixed shuffle, so that consecutive comparisons do not share a
	// template (which would flatter the caches).
	r := rand.New(rand.NewPCG(1, 1))
	r.Shuffle(len(pairs), func(i, j int) { pairs[i], pairs[j] = pairs[j], pairs[i] })
	var c Comparer
	i := 0
	b.ReportAllocs()
	cpu := processCPU()
	for b.Loop() {
		p := pairs[i%len(pairs)]
		c.Compare(p.a, p.b)
		i++
	}
	if cpu := processCPU() - cpu; cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// TestConsolidation checks the consolidation term by its definition on
// FVC2002 DB1_B records. An impression against itself: every cylinder that
// pairs with itself (a positive local similarity, which a cylinder without
// neighbours lacks) is consistent with any such anchor, so M is their
// number m and the term m²/(n*n) (for n within the consCandidates
// considered). Any pair: Compare is the fusion of the
// two terms that parts returns, with the weight of its parameters, and a
// weight of 0 leaves the LSS-R score alone.
func TestConsolidation(t *testing.T) {
	ps := loadFVC(t, "DB1_B")[:16]
	var c Comparer
	for i, p := range ps {
		if p.Len() > consCandidates {
			continue
		}
		s, k := c.parts(p, p, defaultScore)
		m := 0
		for _, v := range c.cand {
			if uint8(v>>8) == uint8(v) {
				m++
			}
		}
		if want := float64(m*m) / float64(p.Len()*p.Len()); k != want || s <= 0 || m < p.Len()*3/4 {
			t.Errorf("record %d against itself: consolidation term %v (LSS-R %v), want %d²/%d² = %v", i, k, s, m, p.Len(), want)
		}
	}
	for _, p := range []*scoreParams{defaultScore, newScoreParams(0.08, 12, 0), newScoreParams(0.12, 10, 0.3)} {
		cp := Comparer{params: p}
		for i, a := range ps {
			for _, b := range ps[i+1:] {
				s, k := c.parts(a, b, p)
				got := cp.Compare(a, b)
				if want := p.fuse(s, k); got != want || k < 0 || k > 1 {
					t.Fatalf("%v: Compare %v, fused terms %v (%v, %v)", p, got, want, s, k)
				}
				if p.consWeight == 0 && got != s {
					t.Fatalf("%v: Compare %v, LSS-R %v", p, got, s)
				}
			}
		}
	}
}
