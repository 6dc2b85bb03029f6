package mrz

import (
	"testing"
	"time"

	"github.com/cancuoc/sdk/cccd"
)

// The benchmarks use the first synthetic Vietnamese card of the spec (the
// same three documents as internal/nodebench/bench.mjs feeds npm mrz).

func BenchmarkParseTD1(b *testing.B) {
	b.ReportAllocs()
	in := vnCards[0].mrz
	o := Options{Now: fixedNow}
	cpu := cpuTime()
	for b.Loop() {
		if _, err := o.Parse(in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

// BenchmarkParseTD1Mixed parses the three documents of the Node comparison
// in turn (two Vietnamese cards and the ICAO TD1 specimen).
func BenchmarkParseTD1Mixed(b *testing.B) {
	b.ReportAllocs()
	docs := []string{vnCards[0].mrz, vnCards[1].mrz, icaoTD1}
	o := Options{Now: fixedNow}
	i := 0
	cpu := cpuTime()
	for b.Loop() {
		if _, err := o.Parse(docs[i%3]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

func BenchmarkEncodeTD1(b *testing.B) {
	b.ReportAllocs()
	num, err := cccd.Parse(vnCards[0].number)
	if err != nil {
		b.Fatal(err)
	}
	h := Holder{Number: num, Name: vnCards[0].name, BirthDate: time.Date(1995, 3, 17, 0, 0, 0, 0, time.UTC),
		Sex: cccd.Male, ExpiryDate: time.Date(2035, 3, 17, 0, 0, 0, 0, time.UTC)}
	for b.Loop() {
		if _, err := EncodeCCCD(h); err != nil {
			b.Fatal(err)
		}
	}
}
