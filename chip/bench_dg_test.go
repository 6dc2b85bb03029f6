package chip

import (
	"testing"
)

func benchFiles(b *testing.B) Files {
	files, err := fuzzBuilt()
	if err != nil {
		b.Fatal(err)
	}
	return files
}

// BenchmarkParseDG13 decodes the DG13 of the synthetic holder (15 fields,
// layout with version and OID).
func BenchmarkParseDG13(b *testing.B) {
	in := benchFiles(b)["DG13"]
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseDG13(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDG13Holder decodes DG13 and maps it to a Holder.
func BenchmarkDG13Holder(b *testing.B) {
	in := benchFiles(b)["DG13"]
	b.ReportAllocs()
	for b.Loop() {
		d, err := ParseDG13(in)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := d.Holder(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseDG2 decodes the DG2 of the synthetic card (a JPEG face of
// about 20 KB); the image is not copied.
func BenchmarkParseDG2(b *testing.B) {
	in := benchFiles(b)["DG2"]
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseDG2(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseDG14 decodes the gmrtd DG14 sample (explicit
// brainpoolP384r1 parameters mapped to the named curve).
func BenchmarkParseDG14(b *testing.B) {
	in := readLDS(b, "gmrtd_sample_DG14.bin")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseDG14(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildDataGroups builds EF.COM, DG1, DG2 (synthetic face drawn
// and JPEG-encoded), DG13 for the synthetic holder.
func BenchmarkBuildDataGroups(b *testing.B) {
	h, err := ParseHolderJSON([]byte(synthHolderJSON))
	if err != nil {
		b.Fatal(err)
	}
	h.FaceJPEG = nil
	b.ReportAllocs()
	for b.Loop() {
		if _, err := BuildDataGroups(h, BuildOptions{FaceSeed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
