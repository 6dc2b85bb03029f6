package biometric

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
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
	h := saveAndLoad(t, g)
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
	sameFile(t, g, h, "a loaded gallery saves to different bytes")
}

// TestGalleryFileDamage: on small seed files (testdata), version 1 and
// version 2 with an index, every truncation and a flipped bit in any byte fail
// with a *GalleryFileError and a nil gallery, read from memory by
// ReadGallery and (every 13th case, to keep the test short) from a file
// by LoadGallery, which maps version 2 files.
func TestGalleryFileDamage(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"synth_gallery_2.bin", "synth_gallery_2_indexed_v2.bin"} {
		file, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ReadGallery(bytes.NewReader(file), int64(len(file))); err != nil {
			t.Fatal(err)
		}
		cases := 0
		check := func(what string, b []byte, size int64, want error) {
			t.Helper()
			cases++
			h, err := ReadGallery(bytes.NewReader(b), size)
			var fe *GalleryFileError
			if h != nil || !errors.As(err, &fe) || (want != nil && !errors.Is(err, want)) {
				t.Fatalf("%s %s: gallery %v, error %v; want %v", name, what, h, err, want)
			}
			if int64(len(b)) != size || cases%13 != 0 && want == nil {
				return
			}
			path := filepath.Join(dir, "damaged.bin")
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			h, err = LoadGallery(path)
			if h != nil || !errors.As(err, &fe) || (want != nil && !errors.Is(err, want)) {
				t.Fatalf("%s %s (file): gallery %v, error %v; want %v", name, what, h, err, want)
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
		b[8] = 3
		check("version", b, int64(len(b)), ErrVersion)
	}
	if _, err := LoadGallery(filepath.Join(t.TempDir(), "none")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
}

// TestGalleryFileCodes: the screening codes of an indexed file must carry
// their cylinder's direction, and the header the package's screening
// layout; the checksum is recomputed after each change, so that the
// field checks, not the CRC, must refuse the file. A version 1 header
// claiming an index is refused too: version 1 had no codes.
func TestGalleryFileCodes(t *testing.T) {
	file, err := os.ReadFile(filepath.Join("testdata", "synth_gallery_2_indexed_v2.bin"))
	if err != nil {
		t.Fatal(err)
	}
	g, err := ReadGallery(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	reseal := func(b []byte) []byte {
		binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.Checksum(b[:len(b)-4], castagnoli))
		return b
	}
	load := func(b []byte) error {
		h, err := ReadGallery(bytes.NewReader(b), int64(len(b)))
		if (h == nil) == (err == nil) {
			t.Fatalf("gallery %v, error %v", h, err)
		}
		return err
	}
	// The codes are the last section: the entries' cylinders' codes,
	// 8 bytes each, before the 4-byte trailer.
	codes := len(g.index.code)
	if codes == 0 {
		t.Fatal("no codes")
	}
	last := len(file) - 4 - 8 // the last code
	if got := binary.LittleEndian.Uint64(file[last:]); got != g.index.code[codes-1] {
		t.Fatalf("last code %x, want %x", got, g.index.code[codes-1])
	}
	b := slices.Clone(file)
	b[last+7]++ // its direction byte
	var fe *GalleryFileError
	if err := load(reseal(b)); !errors.As(err, &fe) || fe.Section != "codes" || !errors.Is(err, ErrField) {
		t.Fatalf("a code with another direction: %v", err)
	}
	b = slices.Clone(file)
	b[44]++ // screenBits
	if err := load(reseal(b)); !errors.Is(err, ErrVersion) {
		t.Fatalf("another screening layout: %v", err)
	}
	b = slices.Clone(file)
	binary.LittleEndian.PutUint32(b[8:], 1)
	if err := load(reseal(b)); !errors.Is(err, ErrVersion) {
		t.Fatalf("a version 1 header with an index: %v", err)
	}
	// The low bits of a code are not checked (they would have to be
	// recomputed from the cylinder): a changed one loads and only
	// changes the screening's ranking.
	b = slices.Clone(file)
	b[last] ^= 1
	if err := load(reseal(b)); err != nil {
		t.Fatalf("a code's low bit: %v", err)
	}
}

// TestGalleryFileVersions: the version 1 file of testdata loads to the
// same gallery as its version 2 counterpart (written by Save from it):
// saving it gives the version 2 file byte for byte.
func TestGalleryFileVersions(t *testing.T) {
	for _, name := range []string{"synth_gallery_2"} {
		v1, err := LoadGallery(filepath.Join("testdata", name+".bin"))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("testdata", name+"_v2.bin"))
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if _, err := v1.WriteTo(&got); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Fatalf("%s: version 1 saves to other bytes than %s_v2.bin", name, name)
		}
		if v1.mapped != nil {
			t.Fatal("a version 1 file was mapped")
		}
	}
}

// TestGalleryFileMapped loads a saved gallery memory-mapped (on
// little-endian Unix hosts) and checks that it searches like the
// original after garbage collections, that entries added and removed
// after the load behave as in a gallery built in memory, that it saves a
// file the original saves byte for byte, and that after Close every
// search fails with ErrGalleryClosed.
func TestGalleryFileMapped(t *testing.T) {
	ctx := context.Background()
	g := galleryFromFVC(t, 160)
	if err := g.BuildIndex(ctx); err != nil {
		t.Fatal(err)
	}
	h := saveAndLoad(t, g)
	if runtime.GOOS == "linux" && littleEndian() && h.mapped == nil {
		t.Fatal("LoadGallery did not map the file on little-endian Linux")
	}
	same := func(what string) {
		t.Helper()
		for _, i := range []int{3, 77, 150} {
			probe := g.at(i)
			a, _ := g.Search(ctx, probe, 5)
			b, err := h.Search(ctx, probe, 5)
			if err != nil || !slices.Equal(a, b) {
				t.Fatalf("%s: exact %v, mapped %v (%v)", what, a, b, err)
			}
			a, _, _ = g.SearchIndexed(ctx, probe, 5, IndexOptions{Penetration: 0.1})
			b, _, err = h.SearchIndexed(ctx, probe, 5, IndexOptions{Penetration: 0.1})
			if err != nil || !slices.Equal(a, b) {
				t.Fatalf("%s: indexed %v, mapped %v (%v)", what, a, b, err)
			}
		}
	}
	same("loaded")
	runtime.GC()
	runtime.GC()
	same("after GC")
	// Add and Remove after the load, the same on both.
	for _, x := range []*Gallery{g, h} {
		x.Add("late", g.at(40))
		if x.Remove(g.id(12)) == 0 {
			t.Fatal("Remove")
		}
	}
	same("after Add and Remove")
	if a, err := h.Search(ctx, g.at(40), 2); err != nil || a[0].ID != "late" && a[1].ID != "late" {
		t.Fatalf("entry added to the mapped gallery not found: %v %v", a, err)
	}
	if err := h.BuildIndex(ctx); err != nil {
		t.Fatal(err)
	}
	if err := g.BuildIndex(ctx); err != nil {
		t.Fatal(err)
	}
	same("after BuildIndex")
	sameFile(t, g, h, "the mapped gallery saves to other bytes")
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	if _, err := h.Search(ctx, g.at(1), 3); !errors.Is(err, ErrGalleryClosed) {
		t.Fatalf("Search after Close: %v", err)
	}
	if _, _, err := h.SearchIndexed(ctx, g.at(1), 3, IndexOptions{}); !errors.Is(err, ErrGalleryClosed) {
		t.Fatalf("SearchIndexed after Close: %v", err)
	}
	if err := h.BuildIndex(ctx); !errors.Is(err, ErrGalleryClosed) {
		t.Fatalf("BuildIndex after Close: %v", err)
	}
	if _, err := h.WriteTo(io.Discard); !errors.Is(err, ErrGalleryClosed) {
		t.Fatalf("WriteTo after Close: %v", err)
	}
	h.Add("x", g.at(1))
	if h.Len() != 0 || h.Remove("late") != 0 || h.Close() != nil {
		t.Fatal("a closed gallery changed")
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
		// A version 2 file saves back byte for byte; a version 1 file
		// saves to a version 2 file that does.
		var out bytes.Buffer
		if _, err := g.WriteTo(&out); err != nil {
			t.Fatal(err)
		}
		if binary.LittleEndian.Uint32(b[8:]) == 1 {
			if g, err = ReadGallery(bytes.NewReader(out.Bytes()), int64(out.Len())); err != nil {
				t.Fatal(err)
			}
			b = slices.Clone(out.Bytes())
			out.Reset()
			if _, err := g.WriteTo(&out); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(out.Bytes(), b) {
			t.Fatal("re-encoding differs")
		}
	})
}

// sameFile fails the test with msg unless g and h save to the same bytes.
func sameFile(t *testing.T, g, h *Gallery, msg string) {
	t.Helper()
	var x, y bytes.Buffer
	if _, err := g.WriteTo(&x); err != nil {
		t.Fatal(err)
	}
	if _, err := h.WriteTo(&y); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(x.Bytes(), y.Bytes()) {
		t.Fatal(msg)
	}
}

// TestAppendLE checks the big-endian hosts' array encoding on any host,
// against encoding/binary's little-endian Write as the oracle.
func TestAppendLE(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	u16 := []uint16{0, 1, 0xfffe, uint16(r.Uint32())}
	u32 := []uint32{0, 1, 0xfffefdfc, r.Uint32()}
	u64 := []uint64{0, 1, 0xfffefdfcfbfaf9f8, r.Uint64()}
	for _, v := range []any{u16, u32, u64} {
		var want bytes.Buffer
		if err := binary.Write(&want, binary.LittleEndian, v); err != nil {
			t.Fatal(err)
		}
		var got []byte
		switch v := v.(type) {
		case []uint16:
			got = appendLE([]byte("x"), v)
		case []uint32:
			got = appendLE([]byte("x"), v)
		case []uint64:
			got = appendLE([]byte("x"), v)
		}
		if !bytes.Equal(got, append([]byte("x"), want.Bytes()...)) {
			t.Errorf("%T: %x, want x%x", v, got, want.Bytes())
		}
	}
}

// saveAndLoad saves g to a file in a temporary folder and loads it back.
func saveAndLoad(t *testing.T, g *Gallery) *Gallery {
	t.Helper()
	path := filepath.Join(t.TempDir(), "g.bin")
	if err := g.Save(path); err != nil {
		t.Fatal(err)
	}
	h, err := LoadGallery(path)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
