package biometric

import (
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

// BenchmarkCompare measures one prepared 1:1 comparison, cycling over
// genuine and impostor pairs of FVC2002 DB1_B.
func BenchmarkCompare(b *testing.B) {
	ps := loadFVC(b, "DB1_B")
	var c Comparer
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		c.Compare(ps[i%len(ps)], ps[(i*7+3)%len(ps)])
		i++
	}
}
