package chip

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/cancuoc/sdk/cccd"
	"github.com/cancuoc/sdk/internal/tlv"
)

// dg13Input builds a DG13 from explicit elements, following the layout in
// dg13.go (the CCCD's DG13 field numbers); each field is given as its
// number and the value element bytes.
type rawField struct {
	n     int
	value []byte
}

func utf8Elem(s string) []byte  { return append(tlv.AppendLength([]byte{0x0C}, len(s)), s...) }
func printElem(s string) []byte { return append(tlv.AppendLength([]byte{0x13}, len(s)), s...) }
func seqElem(parts ...[]byte) []byte {
	c := bytes.Join(parts, nil)
	return append(tlv.AppendLength([]byte{0x30}, len(c)), c...)
}

func dg13Input(t testing.TB, oid bool, fields ...rawField) []byte {
	var b tlv.Builder
	set := func(b *tlv.Builder) {
		b.AddConstructed(0x31, func(b *tlv.Builder) {
			for _, f := range fields {
				b.AddConstructed(0x30, func(b *tlv.Builder) {
					b.AddInt(0x02, int64(f.n))
					b.AddRaw(f.value)
				})
			}
		})
	}
	b.AddConstructed(0x6D, func(b *tlv.Builder) {
		if !oid {
			set(b)
			return
		}
		b.AddConstructed(0x30, func(b *tlv.Builder) {
			b.AddInt(0x02, 1)
			b.AddRaw([]byte{0x06, 0x03, 0x2A, 0x03, 0x04}) // OID 1.2.3.4
			set(b)
		})
	})
	out, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestParseDG13Layouts(t *testing.T) {
	name := "Nguyễn Văn An"
	nfd := norm.NFD.String(name)
	if nfd == name {
		t.Fatal("test needs a decomposed name")
	}
	fields := []rawField{
		// Field 2 before field 1: fields are found by number, not position.
		{2, utf8Elem(nfd)},
		{1, printElem("001090012345")},
		{3, utf8Elem("15/03/1990")},
		{4, utf8Elem("Nam")},
		{12, utf8Elem("Không thời hạn")},
		{13, seqElem(utf8Elem("Nguyễn Văn Bình"), utf8Elem(""))},
		{15, utf8Elem("012345678")},
		{16, utf8Elem("0123456789ABCDEF")},
		{17, []byte{0x04, 0x02, 0xAA, 0xBB}}, // unknown field: kept raw
	}
	for _, withOID := range []bool{true, false} {
		in := dg13Input(t, withOID, fields...)
		d, err := ParseDG13(in)
		if err != nil {
			t.Fatal(err)
		}
		if withOID && (d.Version != 1 || d.OID != "1.2.3.4") || !withOID && d.OID != "" {
			t.Errorf("header: %d %q", d.Version, d.OID)
		}
		if d.Text(DG13Name) != name || d.Text(DG13Number) != "001090012345" || d.Text(DG13Other) != "0123456789ABCDEF" {
			t.Errorf("texts wrong (NFC %v)", d.Text(DG13Name) == name)
		}
		if f, ok := d.Field(17); !ok || !bytes.Equal(f.Value, []byte{0x04, 0x02, 0xAA, 0xBB}) || f.Err == nil {
			t.Errorf("unknown field 17: %v %v", ok, f.Err)
		}
		if f, _ := d.Field(DG13Parents); !slices.Equal(f.Parts, []string{"Nguyễn Văn Bình", ""}) {
			t.Errorf("parents: %q", f.Parts)
		}
		h, err := d.Holder()
		if err != nil {
			t.Fatal(err)
		}
		if h.Number.Digits() != "001090012345" || h.Name != name || h.Sex != cccd.Male ||
			!h.BirthDate.Equal(time.Date(1990, 3, 15, 0, 0, 0, 0, time.UTC)) || !h.ExpiryDate.IsZero() ||
			h.FatherName != "Nguyễn Văn Bình" || h.MotherName != "" || h.SpouseName != "" || h.OldNumber != "012345678" {
			t.Errorf("holder wrong")
		}
		// Re-encoding keeps every field's value bytes, so it gives the input back.
		if out, err := d.Encode(); err != nil || !bytes.Equal(out, in) {
			t.Errorf("Encode differs: %v", err)
		}
	}
}

// A hand-encoded bare-layout DG13 with a non-minimal long-form outer length
// (6D 81 0D) and three bytes of zero padding: 31 { 30 { 02 01 04, 0C 04 "Nữ" } }.
func TestParseDG13LongFormPadded(t *testing.T) {
	in := unhex(t, "6D 81 0D 31 0B 30 09 020104 0C04 4EE1BBAF 000000")
	d, err := ParseDG13(in)
	if err != nil {
		t.Fatal(err)
	}
	if d.Padding != 3 || d.Text(DG13Sex) != "Nữ" || len(d.Fields) != 1 {
		t.Fatalf("got %d padding, %d fields", d.Padding, len(d.Fields))
	}
	if h, err := d.Holder(); err != nil || h.Sex != cccd.Female {
		t.Fatalf("sex: %v", err)
	}
	in[len(in)-1] = 1
	if _, err := ParseDG13(in); !errors.Is(err, ErrTrailingData) {
		t.Fatalf("non-zero padding: %v", err)
	}
	// The same field in a SEQUENCE instead of a SET, without version and OID.
	d, err = ParseDG13(unhex(t, "6D 0B 30 09 020104 0C04 4EE1BBAF"))
	if err == nil && d.Opaque == nil {
		t.Fatalf("a bare field read as a field set")
	}
	d, err = ParseDG13(unhex(t, "6D 0D 30 0B 30 09 020104 0C04 4EE1BBAF"))
	if err != nil || d.Opaque != nil || d.Text(DG13Sex) != "Nữ" {
		t.Fatalf("30 { fields }: %v %v", err, d)
	}
}

// One odd field never fails the whole DG13.
func TestParseDG13OddFields(t *testing.T) {
	in := dg13Input(t, true,
		rawField{1, utf8Elem("001090012345")},
		rawField{2, []byte{0x0C, 0x02, 0xC3, 0x28}}, // invalid UTF-8
		rawField{3, utf8Elem("not a date")},
		rawField{12, utf8Elem("31/12/2035")},
		rawField{9, utf8Elem(strings.Repeat("Số 1 Phố Huế, ", 20))}, // long-form lengths
	)
	d, err := ParseDG13(in)
	if err != nil {
		t.Fatal(err)
	}
	if f, _ := d.Field(2); f.Err == nil || !errors.Is(f.Err, ErrMalformed) {
		t.Errorf("field 2 error = %v", f.Err)
	}
	if d.Text(3) != "not a date" {
		t.Errorf("field 3 text not kept")
	}
	h, err := d.Holder()
	var pe *ParseError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "DG13: 2:") || !strings.Contains(err.Error(), "DG13: 3:") {
		t.Errorf("Holder error = %v", err)
	}
	if h.Number.Digits() != "001090012345" || !h.ExpiryDate.Equal(time.Date(2035, 12, 31, 0, 0, 0, 0, time.UTC)) ||
		!strings.HasPrefix(h.PlaceOfResidence, "Số 1 Phố Huế") {
		t.Errorf("good fields lost")
	}
	// A field that is not 30 { 02 n ... } is kept with its error.
	in = unhex(t, "6D 0E 31 0C 0402AABB 30 06 020105 0C0141")
	d, err = ParseDG13(in)
	if err != nil || len(d.Fields) != 2 || d.Fields[0].Err == nil || d.Text(5) != "A" {
		t.Fatalf("odd element: %v %d", err, len(d.Fields))
	}
	// A field whose length runs past the set ends the walk, keeping what came before.
	in = unhex(t, "6D 0D 31 0B 30 06 020105 0C0141 30 09 02")
	d, err = ParseDG13(in)
	if err != nil || len(d.Fields) != 2 || d.Text(5) != "A" || !errors.Is(d.Fields[1].Err, ErrMalformed) {
		t.Fatalf("broken framing: %v", err)
	}
}

// ../testdata/lds/README.md: 6D 0A + 10 non-TLV bytes, kept as
// opaque bytes.
func TestParseDG13Opaque(t *testing.T) {
	in := readLDS(t, "gmrtd_sample_DG13-opaque.bin")
	d, err := ParseDG13(in)
	if err != nil {
		t.Fatal(err)
	}
	if d.Fields != nil || !bytes.Equal(d.Opaque, in[2:]) {
		t.Fatalf("opaque = % X", d.Opaque)
	}
	if _, err := d.Holder(); !errors.Is(err, ErrMalformed) {
		t.Errorf("Holder of opaque DG13: %v", err)
	}
	if out, err := d.Encode(); err != nil || !bytes.Equal(out, in) {
		t.Errorf("Encode: %v", err)
	}
	for _, bad := range []string{"6E 02 0000", "6D 0B 0000", ""} {
		if _, err := ParseDG13(unhex(t, bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestNewDG13RoundTrip(t *testing.T) {
	h, err := ParseHolderJSON([]byte(synthHolderJSON))
	if err != nil {
		t.Fatal(err)
	}
	h.FaceJPEG = nil
	h.SpouseName = "Lê Thị Dung"
	for _, oid := range []string{"", "1.3.6.1.4.1.99999.13"} {
		b, err := NewDG13(h, oid).Encode()
		if err != nil {
			t.Fatal(err)
		}
		d, err := ParseDG13(b)
		if err != nil {
			t.Fatal(err)
		}
		if d.OID != oid || d.Text(DG13ExpiryDate) != NoExpiryText || d.Text(DG13BirthDate) != "15/03/1990" || d.Text(DG13Sex) != "Nam" {
			t.Errorf("layout %q: wrong texts", oid)
		}
		got, err := d.Holder()
		if err != nil {
			t.Fatal(err)
		}
		a, _ := got.MarshalJSON()
		w, _ := h.MarshalJSON()
		if !bytes.Equal(a, w) {
			t.Errorf("round trip:\n%s\n%s", a, w)
		}
		if s := fmt.Sprintf("%v %+v %#v %s %v", d, *d, *d, d.Fields[1], d.Fields); strings.Contains(s, "Nguyễn") || strings.Contains(s, "001090") {
			t.Errorf("printing leaks: %s", s)
		}
	}
	// Unmarried: no field 14. No parents known: no field 13.
	h.SpouseName, h.FatherName, h.MotherName = "", "", ""
	d := NewDG13(h, "")
	if _, ok := d.Field(DG13Spouse); ok {
		t.Error("field 14 present for an unmarried holder")
	}
	if _, ok := d.Field(DG13Parents); ok {
		t.Error("field 13 present without parents")
	}
}

// TestParseDG13Allocations counts the allocations of decoding the
// synthetic holder's DG13 against what the result holds: the DG13, its
// fields (one slice, sized before the fields are read), the OID (decoded,
// then written as text), and each text of more than one byte (Go's strings
// of one byte are static) and each slice of parts.
func TestParseDG13Allocations(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	files, err := fuzzBuilt()
	if err != nil {
		t.Fatal(err)
	}
	in := files["DG13"]
	d, err := ParseDG13(in)
	if err != nil {
		t.Fatal(err)
	}
	text := func(s string) int {
		if len(s) > 1 {
			return 1
		}
		return 0
	}
	want := 2 + 2*text(d.OID)
	for _, f := range d.Fields {
		want += text(f.Text)
		if f.Parts != nil {
			want++
			for _, p := range f.Parts {
				want += text(p)
			}
		}
	}
	if len(d.Fields) < 14 {
		t.Fatalf("%d fields", len(d.Fields))
	}
	if got := testing.AllocsPerRun(100, func() { _, _ = ParseDG13(in) }); got != float64(want) {
		t.Errorf("%v allocations, want %d", got, want)
	}
}

// TestDG13HolderSpellings reads the sex in any case (hand-made: "Nam" and
// "Nữ" as printed, M and F), dates with each separator, and a repeated
// field (the first counts), next to a repeated field numbered above 63
// (which a CCCD does not use; Holder skips it).
func TestDG13HolderSpellings(t *testing.T) {
	for _, c := range []struct {
		sex  string
		want cccd.Sex
	}{{"Nam", cccd.Male}, {"NAM", cccd.Male}, {"m", cccd.Male}, {"Nữ", cccd.Female}, {"NỮ", cccd.Female}, {"F", cccd.Female}, {"nu", cccd.SexUnknown}, {"", cccd.SexUnknown}} {
		d, err := ParseDG13(dg13Input(t, false, rawField{4, utf8Elem(c.sex)}))
		if err != nil {
			t.Fatal(err)
		}
		h, err := d.Holder()
		if h.Sex != c.want || (c.want == cccd.SexUnknown) != errors.Is(err, ErrMalformed) {
			t.Errorf("sex %q: %v, %v", c.sex, h.Sex, err)
		}
	}
	for _, date := range []string{"15/03/1990", "15-03-1990", "15.03.1990", " 15/03/1990 "} {
		d, err := ParseDG13(dg13Input(t, false, rawField{3, utf8Elem(date)}, rawField{3, utf8Elem("01/01/2000")}))
		if err != nil {
			t.Fatal(err)
		}
		if h, err := d.Holder(); err != nil || !h.BirthDate.Equal(time.Date(1990, 3, 15, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("date %q: %v, %v", date, h.BirthDate, err)
		}
	}
	for _, date := range []string{"15/03-1990", "1990-03-15", "15/13/1990", "15:03:1990"} {
		d, err := ParseDG13(dg13Input(t, false, rawField{3, utf8Elem(date)}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.Holder(); !errors.Is(err, ErrMalformed) {
			t.Errorf("date %q read: %v", date, err)
		}
	}
	d, err := ParseDG13(dg13Input(t, false, rawField{70, utf8Elem("x")}, rawField{70, []byte{0x02, 0x01}}, rawField{2, utf8Elem("A B")}, rawField{2, utf8Elem("C D")}))
	if err != nil {
		t.Fatal(err)
	}
	if h, err := d.Holder(); err != nil || h.Name != "A B" {
		t.Errorf("repeated fields: %q, %v", h.Name, err)
	}
}
