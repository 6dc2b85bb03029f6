package tlv

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Hand-encoded vectors following X.690 section 8.1 and ICAO 9303-10 section 4.4.
func TestReadTLV(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		tag   uint32
		value string
		rest  string
	}{
		{"short form", "5F1F 03 414243 FF", 0x5F1F, "414243", "FF"},
		{"81 form", "61 81 02 AABB", 0x61, "AABB", ""},
		{"82 form", "7F61 82 0001 00 01", 0x7F61, "00", "01"},
		{"83 form", "75 83 000002 0102", 0x75, "0102", ""},
		{"84 form", "75 84 00000001 09 77", 0x75, "09", "77"},
		{"three-byte tag", "BF8401 01 05", 0xBF8401, "05", ""},
		{"empty value", "04 00", 0x04, "", ""},
		// BER indefinite length: 30 80 { A0 80 { 02 01 05 } 00 00, 04 02 AABB } 00 00.
		{"indefinite nested", "30 80 A080 020105 0000 0402AABB 0000 01", 0x30, "A080 020105 0000 0402AABB", "01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := String(unhex(t, tt.in))
			var v String
			var tag uint32
			c := s
			if !c.ReadAnyTLV(&v, &tag) || tag != tt.tag || !bytes.Equal(v, unhex(t, tt.value)) || !bytes.Equal(c, unhex(t, tt.rest)) {
				t.Fatalf("ReadAnyTLV: tag %X value % X rest % X", tag, v, c)
			}
			c = s
			if c.ReadTLV(tt.tag+1, &v) || !bytes.Equal(c, s) {
				t.Fatal("ReadTLV with another tag succeeded or consumed input")
			}
			if !c.ReadTLV(tt.tag, &v) || !bytes.Equal(v, unhex(t, tt.value)) {
				t.Fatal("ReadTLV failed")
			}
			c = s
			var e String
			if !c.ReadElement(tt.tag, &e) || len(e)+len(c) != len(s) || !bytes.Equal(e, s[:len(e)]) {
				t.Fatal("ReadElement failed")
			}
			if pt, ok := s.PeekTag(); !ok || pt != tt.tag {
				t.Fatalf("PeekTag = %X", pt)
			}
		})
	}
}

func TestNextErrors(t *testing.T) {
	deep := strings.Repeat("3080", MaxDepth+1) + strings.Repeat("0000", MaxDepth+1)
	tests := []struct {
		name   string
		in     string
		err    error
		offset int
	}{
		{"empty", "", ErrTruncated, 0},
		{"no length", "61", ErrTruncated, 0},
		{"value short", "61 05 0102", ErrTruncated, 0},
		{"82 short", "61 82 01", ErrTruncated, 0},
		{"84 huge", "61 84 FFFFFFFF 00", ErrTruncated, 0},
		{"85 form", "61 85 0000000001 00", ErrLength, 0},
		{"tag too long", "5F 8181 81 01 00", ErrTag, 0},
		{"tag 0x80", "5F 80 01 01 00", ErrTag, 0},
		{"tag truncated", "5F 81", ErrTruncated, 0},
		{"indefinite primitive", "04 80 01 00 00", ErrIndefinite, 0},
		{"no end of contents", "30 80 020105", ErrIndefinite, 5},
		{"inner truncated", "30 80 02 05 01", ErrTruncated, 2},
		{"too deep", deep, ErrDepth, 2 * MaxDepth},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := unhex(t, tt.in)
			_, _, _, rest, err := Next(b)
			var te *Error
			if !errors.Is(err, tt.err) || !errors.As(err, &te) || te.Offset != tt.offset {
				t.Fatalf("err = %v, want %v at %d", err, tt.err, tt.offset)
			}
			if !bytes.Equal(rest, b) {
				t.Error("rest changed on error")
			}
			s := String(b)
			var v String
			var tag uint32
			if s.ReadAnyTLV(&v, &tag) || !bytes.Equal(s, b) {
				t.Error("ReadAnyTLV succeeded or consumed input")
			}
		})
	}
}

func TestParse(t *testing.T) {
	// EF.COM of ICAO 9303-10 (as in testdata gmrtd_icao9303p10-example_EF.COM):
	// 60 14 { 5F01 04 "0106", 5F36 06 "040000", 5C 02 61 75 }.
	b := unhex(t, "60 14 5F0104 30313036 5F3606 303430303030 5C02 6175")
	n, err := ParseOne(b)
	if err != nil {
		t.Fatal(err)
	}
	if n.Tag != 0x60 || len(n.Children) != 3 || n.Children[2].Tag != 0x5C || n.Children[2].Offset != 18 ||
		string(n.Children[0].Value) != "0106" || !bytes.Equal(n.Children[2].Raw, unhex(t, "5C026175")) {
		t.Fatalf("bad tree: %+v", n)
	}
	if _, err := ParseOne(append(b, 0)); !errors.Is(err, ErrTrailing) {
		t.Errorf("trailing: %v", err)
	}
	// An error inside a nested value reports its absolute offset.
	_, err = Parse(unhex(t, "6105 7003 0205 01"))
	var te *Error
	if !errors.As(err, &te) || te.Offset != 4 || !errors.Is(err, ErrTruncated) {
		t.Errorf("nested error = %v", err)
	}
	ind, err := ParseOne(unhex(t, "30 80 A080 020105 0000 0402AABB 0000"))
	if err != nil || !ind.Indefinite || len(ind.Children) != 2 || !ind.Children[0].Indefinite ||
		ind.Children[0].Children[0].Offset != 4 || ind.Children[1].Offset != 9 {
		t.Fatalf("indefinite: %v %+v", err, ind)
	}
}

func TestReadInt(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
	}{{"020100", 0}, {"02017F", 127}, {"02020080", 128}, {"0201FF", -1}, {"020280 00", -32768}} {
		s := String(unhex(t, tt.in))
		var v int64
		if !s.ReadInt(0x02, &v) || v != tt.want || !s.Empty() {
			t.Errorf("%s: %d", tt.in, v)
		}
		var b Builder
		b.AddInt(0x02, tt.want)
		if out, _ := b.Bytes(); !bytes.Equal(out, unhex(t, tt.in)) {
			t.Errorf("AddInt(%d) = % X", tt.want, out)
		}
	}
	for _, in := range []string{"0200", "0209 010203040506070809", "0401 01"} {
		s := String(unhex(t, in))
		var v int64
		if s.ReadInt(0x02, &v) {
			t.Errorf("%s accepted", in)
		}
	}
}

func TestBuilder(t *testing.T) {
	var b Builder
	long := bytes.Repeat([]byte{0xAB}, 200)
	b.AddConstructed(0x7F61, func(b *Builder) {
		b.AddTLV(0x02, []byte{1})
		b.AddConstructed(0x7F60, func(b *Builder) { b.AddTLV(0x5F2E, long) })
	})
	got, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	// 7F60 value = 5F2E 81C8 + 200 bytes = 204 bytes = 81CC; 7F61 value = 3 + 4 + 204 = 211 = 81D3.
	want := append(unhex(t, "7F61 81D3 020101 7F60 81CC 5F2E 81C8"), long...)
	if !bytes.Equal(got, want) {
		t.Fatalf("got % X", got[:12])
	}
	for _, n := range []int{0, 127, 128, 255, 256, 65535, 65536, 1 << 24} {
		l := AppendLength(nil, n)
		h, err := decodeHeader(append(append([]byte{0x04}, l...), make([]byte, n)...))
		if err != nil || h.vlen != n {
			t.Errorf("length %d: %v %d", n, err, h.vlen)
		}
	}
	var bad Builder
	bad.AddTLV(0x5F, nil) // 5F announces a second tag byte.
	if _, err := bad.Bytes(); !errors.Is(err, errBuilderTag) {
		t.Error("invalid tag accepted")
	}
}

func TestValidTag(t *testing.T) {
	for tag, want := range map[uint32]bool{
		0x61: true, 0x5F1F: true, 0x7F61: true, 0xBF8401: true, 0x5F: false, 0x1F: false,
		0x6101: false, 0x5F81: false, 0x5F8001: false, 0x5F818181: false, 0x5F818101: true,
	} {
		if ValidTag(tag) != want {
			t.Errorf("ValidTag(%X) = %v", tag, !want)
		}
	}
}

func sharedFiles(tb testing.TB) map[string][]byte {
	tb.Helper()
	paths, err := filepath.Glob("../../testdata/lds/*")
	if err != nil {
		tb.Fatal(err)
	}
	files := map[string][]byte{}
	for _, p := range paths {
		if strings.HasSuffix(p, ".md") {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		files[filepath.Base(p)] = b
	}
	if len(files) < 10 {
		tb.Fatalf("only %d seed files in ../../testdata/lds", len(files))
	}
	return files
}

// Every shared LDS file but the opaque DG13 sample (a constructed 6D tag
// holding non-TLV bytes) parses as one element; the SOD files hold BER
// indefinite lengths.
func TestParseSharedFiles(t *testing.T) {
	for name, b := range sharedFiles(t) {
		n, err := ParseOne(b)
		switch {
		case name == "gmrtd_sample_DG13-opaque.bin":
			if err == nil {
				t.Errorf("%s: parsed as TLV", name)
			}
			continue
		case strings.HasSuffix(name, ".cer") || strings.HasSuffix(name, ".ml"):
			if err != nil || n.Tag != 0x30 {
				t.Errorf("%s: %v", name, err)
			}
			continue
		case err != nil:
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Equal(n.Raw, b) {
			t.Errorf("%s: Raw is not the input", name)
		}
	}
}

// The DG11 tag list of ICAO 9303-10 (testdata gmrtd_icao9303p10-example_DG11.bin).
func TestReadTag(t *testing.T) {
	s := String(unhex(t, "5F0E 5F11 5F42 61 BF8401"))
	var got []uint32
	for !s.Empty() {
		var tag uint32
		if !s.ReadTag(&tag) {
			t.Fatal("ReadTag failed")
		}
		got = append(got, tag)
	}
	if len(got) != 5 || got[0] != 0x5F0E || got[3] != 0x61 || got[4] != 0xBF8401 {
		t.Fatalf("tags % X", got)
	}
	s = String{0x5F}
	var tag uint32
	if s.ReadTag(&tag) || len(s) != 1 {
		t.Error("truncated tag read")
	}
}
