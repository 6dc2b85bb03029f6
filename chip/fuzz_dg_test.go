package chip

import (
	"bytes"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// fuzzBuilt caches the files of one synthetic card for fuzz seeds.
var fuzzBuilt = sync.OnceValues(func() (Files, error) {
	h, err := ParseHolderJSON([]byte(synthHolderJSON))
	if err != nil {
		return nil, err
	}
	h.FaceJPEG = nil
	return BuildDataGroups(h, BuildOptions{DG13OID: "1.3.6.1.4.1.99999.13"})
})

// fuzzSeeds adds every shared LDS file whose name contains one of
// patterns, the built file name, and extra hex seeds; it fails when a
// pattern matches no file (the shared files moved) or no seed was found.
func fuzzSeeds(f *testing.F, built string, patterns []string, extra ...string) {
	f.Helper()
	n := 0
	paths, _ := filepath.Glob(filepath.Join(ldsDir, "*"))
	for _, pat := range patterns {
		found := 0
		for _, p := range paths {
			if strings.Contains(filepath.Base(p), pat) {
				f.Add(readLDS(f, filepath.Base(p)))
				found++
			}
		}
		if found == 0 {
			f.Fatalf("no seed file in %s matches %q", ldsDir, pat)
		}
		n += found
	}
	if built != "" {
		files, err := fuzzBuilt()
		if err != nil {
			f.Fatal(err)
		}
		if b, ok := files[built]; ok {
			f.Add(b)
			n++
		}
	}
	for _, x := range extra {
		f.Add(unhex(f, x))
		n++
	}
	if n == 0 {
		f.Fatal("no seeds")
	}
}

// checkDecoder runs the properties every decoder must have: an error is
// a *ParseError with an offset inside the input and a nil result; a result
// keeps the input as Raw, encodes, and its encoding decodes and re-encodes
// to the same bytes.
func checkDecoder[T interface {
	comparable
	Encode() ([]byte, error)
}](t *testing.T, in []byte, parse func([]byte) (T, error), raw func(T) []byte) {
	var zero T
	got, err := parse(in)
	if err != nil {
		var pe *ParseError
		if got != zero || !errors.As(err, &pe) || pe.Offset < -1 || pe.Offset > len(in) ||
			!(errors.Is(err, ErrMalformed) || errors.Is(err, ErrTrailingData)) {
			t.Fatalf("bad failure: %v", err)
		}
		return
	}
	if !bytes.Equal(raw(got), in) {
		t.Fatal("Raw is not the input")
	}
	e1, err := got.Encode()
	if err != nil {
		t.Fatalf("Encode of a decoded value: %v", err)
	}
	again, err := parse(e1)
	if err != nil {
		t.Fatalf("decoding the encoding: %v", err)
	}
	e2, err := again.Encode()
	if err != nil || !bytes.Equal(e1, e2) {
		t.Fatalf("encoding is not stable: %v", err)
	}
}

func FuzzParseCOM(f *testing.F) {
	fuzzSeeds(f, FileCOM, []string{"EF.COM"})
	f.Fuzz(func(t *testing.T, in []byte) {
		checkDecoder(t, in, ParseCOM, func(c *COM) []byte { return c.Raw })
	})
}

func FuzzParseDG1(f *testing.F) {
	fuzzSeeds(f, "DG1", []string{"DG1.bin"})
	f.Fuzz(func(t *testing.T, in []byte) {
		checkDecoder(t, in, ParseDG1, func(d *DG1) []byte { return d.Raw })
		if d, err := ParseDG1(in); err == nil {
			d.Document() // must not panic on any MRZ text
		}
	})
}

func FuzzParseDG2(f *testing.F) {
	fuzzSeeds(f, "DG2", []string{"DG2.bin"}, "75 0E 7F61 0B 020101 7F60 06 A100 7F2E 0100")
	f.Fuzz(func(t *testing.T, in []byte) {
		checkDecoder(t, in, ParseDG2, func(d *DG2) []byte { return d.Raw })
	})
}

func FuzzParseDG11(f *testing.F) {
	fuzzSeeds(f, "", []string{"DG11.bin"}, "6B 11 5C02 5F0F A0 0B 020102 5F0F 0141 5F0F 0142")
	f.Fuzz(func(t *testing.T, in []byte) {
		checkDecoder(t, in, ParseDG11, func(d *DG11) []byte { return d.Raw })
	})
}

func FuzzParseDG12(f *testing.F) {
	fuzzSeeds(f, "", []string{"DG12.bin"})
	f.Fuzz(func(t *testing.T, in []byte) {
		checkDecoder(t, in, ParseDG12, func(d *DG12) []byte { return d.Raw })
	})
}

func FuzzParseDG13(f *testing.F) {
	fuzzSeeds(f, "DG13", []string{"DG13"},
		"6D 81 0D 31 0B 30 09 020104 0C04 4EE1BBAF 000000",
		"6D 0E 31 0C 0402AABB 30 06 020105 0C0141",
		"6D 0D 31 0B 30 06 020105 0C0141 30 09 02")
	f.Fuzz(func(t *testing.T, in []byte) {
		checkDecoder(t, in, ParseDG13, func(d *DG13) []byte { return d.Raw })
		if d, err := ParseDG13(in); err == nil {
			d.Holder() // must not panic on any field
		}
	})
}

func FuzzParseDG14(f *testing.F) {
	fuzzSeeds(f, "DG14", []string{"DG14"})
	f.Fuzz(func(t *testing.T, in []byte) {
		checkDecoder(t, in, ParseDG14, func(d *DG14) []byte { return d.Raw })
	})
}

func FuzzParseDG15(f *testing.F) {
	fuzzSeeds(f, "DG15", []string{"DG15"})
	f.Fuzz(func(t *testing.T, in []byte) {
		checkDecoder(t, in, ParseDG15, func(d *DG15) []byte { return d.Raw })
	})
}

func FuzzParseDG16(f *testing.F) {
	fuzzSeeds(f, "", []string{"DG16"})
	f.Fuzz(func(t *testing.T, in []byte) {
		checkDecoder(t, in, ParseDG16, func(d *DG16) []byte { return d.Raw })
	})
}

// FuzzParseDataGroup feeds every data group number the same bytes, so the
// opaque fallback and the dispatch see every seed.
func FuzzParseDataGroup(f *testing.F) {
	fuzzSeeds(f, "DG2", []string{"DG", "EF.COM"}, "63 02 0102", "6D 0A 0123456789012345 6789")
	f.Fuzz(func(t *testing.T, in []byte) {
		for n := 0; n <= 17; n++ {
			dg, err := ParseDataGroup(n, in)
			if err != nil {
				var pe *ParseError
				if dg != nil || !errors.As(err, &pe) {
					t.Fatalf("DG%d: bad failure %v", n, err)
				}
				continue
			}
			if dg.DataGroupNumber() != n {
				t.Fatalf("DG%d reports %d", n, dg.DataGroupNumber())
			}
			if _, err := dg.Encode(); err != nil {
				t.Fatalf("DG%d: Encode: %v", n, err)
			}
		}
	})
}

// FuzzParseHolderJSON: an error is a *HolderError matching ErrHolder with a
// zero Holder; a Holder read validates and survives MarshalJSON ->
// ParseHolderJSON unchanged. Seeds: the synthetic holder of holder_test.go
// and hand-made edge cases (null values, a face, a duplicate key).
func FuzzParseHolderJSON(f *testing.F) {
	for _, seed := range []string{
		synthHolderJSON,
		`{"number":"079305001234","name":"Lê Thị Mai","birth_date":"2005-07-01","sex":"F","expiry_date":"2030-07-01"}`,
		`{"number":"001090012345","name":"A","birth_date":"1990-03-15","sex":"M","face_jpeg":"/9j/4AA=","old_number":null}`,
		`{"number":"001090012345","number":"001090012345"}`,
		`{"sex":1}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		h, err := ParseHolderJSON(in)
		if err != nil {
			var he *HolderError
			if !reflect.DeepEqual(h, Holder{}) || !errors.As(err, &he) || !errors.Is(err, ErrHolder) {
				t.Fatalf("bad failure: %v", err)
			}
			return
		}
		if err := h.Validate(); err != nil {
			t.Fatalf("accepted holder does not validate: %v", err)
		}
		out, err := h.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseHolderJSON(out)
		if err != nil {
			t.Fatalf("re-reading MarshalJSON: %v", err)
		}
		if !bytes.Equal(h.FaceJPEG, again.FaceJPEG) {
			t.Fatal("face differs after the round trip")
		}
		h.FaceJPEG, again.FaceJPEG = nil, nil
		if !reflect.DeepEqual(h, again) {
			t.Fatal("holder differs after the round trip")
		}
	})
}
