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
