package tlv

import (
	"os"
	"testing"
)

// BenchmarkParseDG2 parses the Dutch specimen DG2 (a face image of about
// 12 KB) into a tree.
func BenchmarkParseDG2(b *testing.B) {
	in, err := os.ReadFile("../../testdata/lds/jmrtd_nl-specimen2006_DG2.bin")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseOne(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadSOD walks the top two levels of a real SOD (BER indefinite
// lengths) with the allocation-free String reader.
func BenchmarkReadSOD(b *testing.B) {
	in, err := os.ReadFile("../../testdata/lds/gmrtd_realissuer-SG_EF.SOD")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		s := String(in)
		var sod, ci String
		if !s.ReadTLV(0x77, &sod) || !sod.ReadTLV(0x30, &ci) {
			b.Fatal("bad SOD")
		}
		for !ci.Empty() {
			if !ci.Skip() {
				b.Fatal("bad content")
			}
		}
	}
}
