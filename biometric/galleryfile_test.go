package biometric

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestGalleryFileRoundTrip saves an indexed gallery with a removed entry
// and one added after the index, loads it, and checks that both searches
// give the same results as on the original (entries renumbered past the
// removed one), and that saving the loaded gallery gives the same bytes.
func TestGalleryFileRoundTrip(t *testing.T) {
	ctx := context.Background()
	g := galleryFromFVC(t, 320)
	if err := g.BuildIndex(ctx); err != nil {
		t.Fatal(err)
	}
	probe := g.at(100)
	g.Add("late", g.at(200))
	if g.Remove("DB1_B/101_1.iso#0") != 1 {
		t.Fatal("Remove")
	}
	path := filepath.Join(t.TempDir(), "g.bin")
	if err := g.Save(path); err != nil {
		t.Fatal(err)
	}
	h, err := LoadGallery(path)
	if err != nil {
		t.Fatal(err)
	}
	if h.Len() != g.Len() || h.index == nil || h.index.n != 319 {
		t.Fatalf("loaded %d entries (want %d), index %v", h.Len(), g.Len(), h.index != nil)
	}
	strip := func(cs []Candidate) []Candidate {
		for i := range cs {
			cs[i].Index = 0
		}
		return cs
	}
	for _, pen := range []float64{0, 0.05, 1} {
		a, na, err1 := g.SearchIndexed(ctx, probe, 10, IndexOptions{Penetration: pen})
		b, nb, err2 := h.SearchIndexed(ctx, probe, 10, IndexOptions{Penetration: pen})
		if err1 != nil || err2 != nil || na != nb || !slices.Equal(strip(a), strip(b)) {
			t.Fatalf("penetration %v: %v (%d) before, %v (%d) after; %v %v", pen, a, na, b, nb, err1, err2)
		}
	}
	a, _ := g.Search(ctx, probe, 10)
	b, _ := h.Search(ctx, probe, 10)
	if !slices.Equal(strip(a), strip(b)) {
		t.Fatalf("exact: %v before, %v after", a, b)
	}
	var x, y bytes.Buffer
	if _, err := g.WriteTo(&x); err != nil {
		t.Fatal(err)
	}
	if _, err := h.WriteTo(&y); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(x.Bytes(), y.Bytes()) {
		t.Fatal("a loaded gallery saves to different bytes")
	}
}

// TestGalleryFileDamage: on the small indexed seed file (testdata), every
// truncation and a flipped bit in any byte fail with a *GalleryFileError
// and a nil gallery.
func TestGalleryFileDamage(t *testing.T) {
	file, err := os.ReadFile(filepath.Join("testdata", "synth_gallery_2_indexed.bin"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ReadGallery(bytes.NewReader(file), int64(len(file))); err != nil {
		t.Fatal(err)
	}
	check := func(what string, b []byte, size int64, want error) {
		t.Helper()
		h, err := ReadGallery(bytes.NewReader(b), size)
		var fe *GalleryFileError
		if h != nil || !errors.As(err, &fe) || (want != nil && !errors.Is(err, want)) {
			t.Fatalf("%s: gallery %v, error %v; want %v", what, h, err, want)
		}
	}
	for n := range len(file) {
		check("truncated", file[:n], int64(n), nil)
		check("short read", file[:n], int64(len(file)), ErrTruncated)
	}
	check("trailing byte", append(slices.Clone(file), 0), int64(len(file)+1), nil)
	for i := range len(file) {
		b := slices.Clone(file)
		b[i] ^= 0x10
		check("flipped bit", b, int64(len(b)), nil)
	}
	b := slices.Clone(file)
	b[len(b)-1] ^= 1
	check("checksum", b, int64(len(b)), ErrChecksum)
	b = slices.Clone(file)
	b[0] = 'X'
	check("magic", b, int64(len(b)), ErrMagic)
	b = slices.Clone(file)
	b[8] = 2
	check("version", b, int64(len(b)), ErrVersion)
	if _, err := LoadGallery(filepath.Join(t.TempDir(), "none")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}

// FuzzReadGallery feeds ReadGallery arbitrary files, seeded with the
// small gallery files of testdata (see README.md): it must return a
// gallery or a *GalleryFileError, never panic, and a gallery it returns
// must search and save back to the same bytes.
func FuzzReadGallery(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "synth_gallery_*.bin"))
	if len(seeds) == 0 {
		f.Fatal("no seed gallery files")
	}
	for _, s := range seeds {
		b, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := ReadGallery(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			var fe *GalleryFileError
			if g != nil || !errors.As(err, &fe) {
				t.Fatalf("error %v with gallery %v", err, g)
			}
			return
		}
		if g.Len() > 0 {
			probe := g.at(0)
			if _, err := g.Search(context.Background(), probe, 3); err != nil {
				t.Fatal(err)
			}
			if g.index != nil {
				if _, _, err := g.SearchIndexed(context.Background(), probe, 3, IndexOptions{}); err != nil {
					t.Fatal(err)
				}
			}
		}
		var out bytes.Buffer
		if _, err := g.WriteTo(&out); err != nil || !bytes.Equal(out.Bytes(), b) {
			t.Fatalf("re-encoding differs (%v)", err)
		}
	})
}
