package biometric

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fvcDir is the in-repository copy of the FVC2002 set B records
// (../testdata/fvc2002/README.md).
const fvcDir = "../testdata/fvc2002"

func fvcFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(fvcDir, "DB*_B", "*.iso"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 320 {
		t.Fatalf("found %d FVC2002 records, the README lists 320", len(files))
	}
	return files
}

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFVC2002RoundTrip decodes all 320 FVC2002 records (README: ISO/IEC
// 19794-2:2005, 300 x 400 at 197 px/cm, one view) and checks that encoding
// gives back the same bytes: the files are canonical (reserved bits zero,
// no extended data), checked with xxd.
func TestFVC2002RoundTrip(t *testing.T) {
	for _, name := range fvcFiles(t) {
		b := readFile(t, name)
		tpl, err := Decode(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if tpl.Format != FormatISO2005 || tpl.Width != 300 || tpl.Height != 400 ||
			tpl.ResX != 197 || tpl.ResY != 197 || len(tpl.Views) != 1 {
			t.Fatalf("%s: header %v", name, tpl)
		}
		// Minutiae count is byte 27; each minutia takes 6 bytes, and the
		// record ends with a zero extended data length.
		if got, want := len(tpl.Views[0].Minutiae), int(b[27]); got != want || len(b) != 30+6*want {
			t.Fatalf("%s: %d minutiae, header says %d", name, got, want)
		}
		out, err := tpl.EncodeISO2005()
		if err != nil {
			t.Fatalf("%s: encode: %v", name, err)
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("%s: re-encoding differs", name)
		}
	}
}

// TestFirstMinutia checks one minutia decoded by hand from
// fvc2002/DB1_B/101_1.iso bytes 28..33: 80 a5 00 30 6b 00 = bifurcation
// (type bits 10), x 0xa5 = 165, y 0x30 = 48, angle 0x6b = 107 units of
// 360/256 degrees, quality 0.
func TestFirstMinutia(t *testing.T) {
	tpl, err := DecodeISO2005(readFile(t, filepath.Join(fvcDir, "DB1_B", "101_1.iso")))
	if err != nil {
		t.Fatal(err)
	}
	m := tpl.Views[0].Minutiae[0]
	if m.X != 165 || m.Y != 48 || m.Type != MinutiaBifurcation || m.Quality != 0 {
		t.Fatalf("first minutia %+v", []int{m.X, m.Y, int(m.Type), int(m.Quality)})
	}
	if want := 107 * 2 * 3.141592653589793 / 256; m.Angle < want-1e-12 || m.Angle > want+1e-12 {
		t.Fatalf("angle %v, want %v", m.Angle, want)
	}
	if len(tpl.Views[0].Minutiae) != 25 {
		t.Fatalf("%d minutiae, want 25 (byte 27 = 0x19)", len(tpl.Views[0].Minutiae))
	}
}

// TestInvalidTruncated: the FVC2002 record 101_1 truncated by 1, 2 and 3
// bytes (testdata/README.md): each must fail with ErrTruncated and no template.
func TestInvalidTruncated(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*_truncate_*_invalid.iso"))
	if len(files) != 3 {
		t.Fatalf("found %d invalid records, want 3", len(files))
	}
	for _, name := range files {
		b := readFile(t, name)
		for _, dec := range []func([]byte) (*Template, error){Decode, DecodeISO2005} {
			tpl, err := dec(b)
			if tpl != nil || !errors.Is(err, ErrTruncated) {
				t.Errorf("%s: got %v, %v; want ErrTruncated", filepath.Base(name), tpl != nil, err)
			}
			var de *DecodeError
			if !errors.As(err, &de) || de.Field != "record length" || de.Offset != 8 {
				t.Errorf("%s: error %v, want a DecodeError on the record length at 8", filepath.Base(name), err)
			}
		}
	}
}

func testdataFile(t testing.TB, name string) []byte {
	t.Helper()
	return readFile(t, filepath.Join("testdata", name))
}

const deg = math.Pi / 180

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// wantMinutia compares a decoded minutia with hand-decoded values.
func wantMinutia(t *testing.T, name string, m Minutia, x, y int, angleDeg float64, typ MinutiaType, q uint8) {
	t.Helper()
	if m.X != x || m.Y != y || m.Type != typ || m.Quality != q || !near(m.Angle, angleDeg*deg, 1e-12) {
		t.Errorf("%s: got (%d,%d,%.4f°,%v,%d), want (%d,%d,%v°,%v,%d)", name,
			m.X, m.Y, m.Angle/deg, m.Type, m.Quality, x, y, angleDeg, typ, q)
	}
}

// TestANSI378Synthetic decodes testdata/synth_ansi378_1view.bin, built by
// hand from the ANSI INCITS 378-2004 layout (testdata/README.md): 2-byte
// length 44, product id 0x00330001, one view (finger 1, quality 60), a
// ridge ending at (100,200) angle 45 units of 2° = 90°, quality 80, and a
// bifurcation at (50,300) angle 90 units = 180°, quality 0.
func TestANSI378Synthetic(t *testing.T) {
	b := testdataFile(t, "synth_ansi378_1view.bin")
	tpl, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if tpl.Format != FormatANSI378 || tpl.ProductID != 0x00330001 || tpl.Width != 300 || tpl.Height != 400 ||
		tpl.ResX != 197 || len(tpl.Views) != 1 {
		t.Fatalf("header: %v product %#x", tpl, tpl.ProductID)
	}
	v := tpl.Views[0]
	if v.Finger != 1 || v.Quality != 60 || len(v.Minutiae) != 2 {
		t.Fatalf("view: %v", v)
	}
	wantMinutia(t, "m0", v.Minutiae[0], 100, 200, 90, MinutiaRidgeEnding, 80)
	wantMinutia(t, "m1", v.Minutiae[1], 50, 300, 180, MinutiaBifurcation, 0)
	out, err := tpl.EncodeANSI378()
	if err != nil || !bytes.Equal(out, b) {
		t.Fatalf("re-encode: %v, equal %v", err, bytes.Equal(out, b))
	}
	// The same bytes are not a valid ISO 2005 record: its 4-byte length
	// field reads 0x002C0033.
	if _, err := DecodeISO2005(b); !errors.Is(err, ErrTruncated) {
		t.Errorf("DecodeISO2005 of an ANSI record: %v, want ErrTruncated", err)
	}
}

// TestANSI378LongLength builds a record over 65535 bytes (43 views of 255
// minutiae: 26 + 43*(4+1530+2) = 66074) and checks the encoder switches to
// the 0x0000 + 4-byte length form and Decode recognises it.
func TestANSI378LongLength(t *testing.T) {
	tpl := &Template{Width: 1000, Height: 1000, ResX: 197, ResY: 197}
	for i := range 43 {
		v := View{Finger: i % 11, ViewNumber: i % 16}
		for j := range 255 {
			v.Minutiae = append(v.Minutiae, Minutia{X: j, Y: i, Angle: float64(j%180) * (2 * math.Pi) / 180, Type: MinutiaType(j % 3), Quality: uint8(j % 101)})
		}
		tpl.Views = append(tpl.Views, v)
	}
	b, err := tpl.EncodeANSI378()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 30+43*(4+1530+2) || b[8] != 0 || b[9] != 0 || int(binary.BigEndian.Uint32(b[10:14])) != len(b) {
		t.Fatalf("length %d, length fields % x", len(b), b[8:14])
	}
	got, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	tpl.Format = FormatANSI378
	if !reflect.DeepEqual(got, tpl) {
		t.Fatal("long-form ANSI record does not round-trip")
	}
}

// TestISO2005MultiView decodes testdata/synth_iso2005_2views_ext.bin (two
// views of finger 2, view numbers 0 and 1, the second with an 8-byte
// extended data block kept raw) and re-encodes it byte for byte.
func TestISO2005MultiView(t *testing.T) {
	b := testdataFile(t, "synth_iso2005_2views_ext.bin")
	tpl, err := Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if tpl.Format != FormatISO2005 || len(tpl.Views) != 2 {
		t.Fatalf("%v", tpl)
	}
	v0, v1 := tpl.Views[0], tpl.Views[1]
	if v0.Finger != 2 || v0.ViewNumber != 0 || v0.Quality != 70 || v0.Extended != nil ||
		v1.Finger != 2 || v1.ViewNumber != 1 || v1.Quality != 65 || len(v1.Extended) != 8 {
		t.Fatalf("views %v / %v", v0, v1)
	}
	wantMinutia(t, "v0m0", v0.Minutiae[0], 100, 200, 64*360.0/256, MinutiaRidgeEnding, 50)
	wantMinutia(t, "v1m0", v1.Minutiae[0], 50, 300, 180, MinutiaBifurcation, 0)
	if !bytes.Equal(v1.Extended, []byte{0, 2, 0, 8, 1, 0, 0x64, 0}) {
		t.Fatalf("extended data % x", v1.Extended)
	}
	out, err := tpl.EncodeISO2005()
	if err != nil || !bytes.Equal(out, b) {
		t.Fatalf("re-encode: %v", err)
	}
	// The template owns its extended data: changing the input afterwards
	// must not change it.
	b[len(b)-2] ^= 0xFF
	if v1.Extended[6] != 0x64 {
		t.Fatal("extended data aliases the input")
	}
}

// TestISO2011Synthetic decodes the two hand-built 2011 records
// (testdata/README.md): same minutiae, 6-byte form with one quality block
// of score 60, and 5-byte form with none (minutia quality 254).
func TestISO2011Synthetic(t *testing.T) {
	for _, tc := range []struct {
		file     string
		viewQ    int
		minQ     [2]uint8
		ending   uint8
		nQuality int
	}{
		{"synth_iso2011_6byte.bin", 60, [2]uint8{80, 0}, 0, 1},
		{"synth_iso2011_5byte.bin", 0, [2]uint8{254, 254}, 1, 0},
	} {
		b := testdataFile(t, tc.file)
		tpl, err := Decode(b)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if tpl.Format != FormatISO2011 || tpl.Width != 300 || tpl.Height != 400 || tpl.ResX != 197 || len(tpl.Views) != 1 {
			t.Fatalf("%s: %v", tc.file, tpl)
		}
		v := tpl.Views[0]
		c := v.Capture
		if c == nil || v.Finger != 2 || v.Quality != tc.viewQ || len(c.Quality) != tc.nQuality ||
			c.RidgeEnding != tc.ending || c.Technology != 1 || c.Vendor != 0x000F || c.DeviceType != 1 ||
			c.Time != [9]byte{0x07, 0xE9, 11, 25, 10, 30, 0, 0xFF, 0xFF} {
			t.Fatalf("%s: view %v capture %+v", tc.file, v, c)
		}
		wantMinutia(t, tc.file+" m0", v.Minutiae[0], 100, 200, 90, MinutiaRidgeEnding, tc.minQ[0])
		wantMinutia(t, tc.file+" m1", v.Minutiae[1], 50, 300, 180, MinutiaBifurcation, tc.minQ[1])
		out, err := tpl.EncodeISO2011()
		if err != nil || !bytes.Equal(out, b) {
			t.Fatalf("%s: re-encode %v\n got % x\nwant % x", tc.file, err, out, b)
		}
	}
}

// TestCardSynthetic decodes the hand-built card sequences: compact
// 64 c8 50 = (10.0 mm, 20.0 mm), ridge ending, angle 16 x 5.625° = 90°;
// 32 96 a0 = (5.0, 15.0 mm), bifurcation, 32 units = 180°. Normal
// 43e8 07d0 40 = ridge ending at (1000, 2000) x 0.01 mm, 90°; 81f4 0bb8 80 =
// bifurcation at (500, 3000), 180°.
func TestCardSynthetic(t *testing.T) {
	b := testdataFile(t, "synth_card_compact.bin")
	tpl, err := DecodeCardCompact(b)
	if err != nil {
		t.Fatal(err)
	}
	if tpl.ResX != 100 || tpl.ResY != 100 || len(tpl.Views) != 1 || tpl.Format != FormatCardCompact {
		t.Fatalf("%v", tpl)
	}
	wantMinutia(t, "compact m0", tpl.Views[0].Minutiae[0], 100, 200, 90, MinutiaRidgeEnding, 0)
	wantMinutia(t, "compact m1", tpl.Views[0].Minutiae[1], 50, 150, 180, MinutiaBifurcation, 0)
	if out, err := tpl.EncodeCardCompact(); err != nil || !bytes.Equal(out, b) {
		t.Fatalf("compact re-encode: %v", err)
	}

	b = testdataFile(t, "synth_card_normal.bin")
	tpl, err = DecodeCardNormal(b)
	if err != nil {
		t.Fatal(err)
	}
	if tpl.ResX != 1000 || tpl.ResY != 1000 || tpl.Format != FormatCardNormal {
		t.Fatalf("%v", tpl)
	}
	wantMinutia(t, "normal m0", tpl.Views[0].Minutiae[0], 1000, 2000, 90, MinutiaRidgeEnding, 0)
	wantMinutia(t, "normal m1", tpl.Views[0].Minutiae[1], 500, 3000, 180, MinutiaBifurcation, 0)
	if out, err := tpl.EncodeCardNormal(); err != nil || !bytes.Equal(out, b) {
		t.Fatalf("normal re-encode: %v", err)
	}
}

// TestConversions takes every FVC2002 record through the other formats
// and checks what each keeps, against the documented quantisation:
// ISO 2011 keeps everything the minutiae hold; ANSI rounds angles to 2°
// (error <= 1°); compact cards rescale 197 px/cm to 0.1 mm (error <= half a
// card unit, 0.5 x 1.97 px) and round angles to 5.625° (error <= 2.8125°);
// normal cards rescale to 0.01 mm.
func TestConversions(t *testing.T) {
	for _, name := range fvcFiles(t) {
		src, err := DecodeISO2005(readFile(t, name))
		if err != nil {
			t.Fatal(err)
		}
		orig := src.Views[0].Minutiae
		check := func(format string, enc func(*Template) ([]byte, error), dec func([]byte) (*Template, error),
			posTol, angleTol float64, keepsQuality bool) {
			b, err := enc(src)
			if err != nil {
				t.Fatalf("%s: encode %s: %v", name, format, err)
			}
			got, err := dec(b)
			if err != nil {
				t.Fatalf("%s: decode %s: %v", name, format, err)
			}
			ms := got.Views[0].Minutiae
			if len(ms) != len(orig) {
				t.Fatalf("%s %s: %d minutiae, want %d", name, format, len(ms), len(orig))
			}
			sx := float64(src.ResX) / float64(got.ResX)
			sy := float64(src.ResY) / float64(got.ResY)
			for i, m := range ms {
				o := orig[i]
				da := math.Abs(math.Remainder(m.Angle-o.Angle, 2*math.Pi))
				if math.Abs(float64(m.X)*sx-float64(o.X)) > posTol || math.Abs(float64(m.Y)*sy-float64(o.Y)) > posTol ||
					da > angleTol+1e-9 || m.Type != o.Type || (keepsQuality && m.Quality != o.Quality) {
					t.Fatalf("%s %s minutia %d: beyond documented quantisation", name, format, i)
				}
			}
		}
		check("ISO 2011", (*Template).EncodeISO2011, DecodeISO2011, 0, 0, true)
		check("ANSI 378", (*Template).EncodeANSI378, DecodeANSI378, 0, 1*deg, true)
		check("card compact", (*Template).EncodeCardCompact, DecodeCardCompact, 0.5*1.97, 2.8125*deg, false)
		check("card normal", (*Template).EncodeCardNormal, DecodeCardNormal, 0.5*0.197, 0, false)
	}
}

// TestEncodeErrors checks that templates that do not fit a format are
// refused with the documented sentinel, never silently truncated.
func TestEncodeErrors(t *testing.T) {
	one := func(m Minutia) *Template {
		return &Template{ResX: 197, ResY: 197, Views: []View{{Minutiae: []Minutia{m}}}}
	}
	tooMany := &Template{ResX: 197, ResY: 197, Views: []View{{Minutiae: make([]Minutia, 256)}}}
	cases := []struct {
		name string
		tpl  *Template
		enc  func(*Template) ([]byte, error)
		want error
	}{
		{"no views", &Template{}, (*Template).EncodeISO2005, ErrNoViews},
		{"no views 2011", &Template{}, (*Template).EncodeISO2011, ErrNoViews},
		{"256 minutiae", tooMany, (*Template).EncodeISO2005, ErrTooMany},
		{"256 minutiae ANSI", tooMany, (*Template).EncodeANSI378, ErrTooMany},
		{"256 minutiae 2011", tooMany, (*Template).EncodeISO2011, ErrTooMany},
		{"256 minutiae card", tooMany, (*Template).EncodeCardCompact, ErrTooMany},
		{"x beyond 14 bits", one(Minutia{X: 16384}), (*Template).EncodeISO2005, ErrField},
		{"negative y", one(Minutia{Y: -1}), (*Template).EncodeANSI378, ErrField},
		{"reserved type", one(Minutia{Type: 3}), (*Template).EncodeISO2011, ErrField},
		{"NaN angle", one(Minutia{Angle: math.NaN()}), (*Template).EncodeISO2005, ErrField},
		{"infinite angle", one(Minutia{Angle: math.Inf(1)}), (*Template).EncodeCardCompact, ErrField},
		{"beyond 25.5 mm", one(Minutia{X: 510}), (*Template).EncodeCardCompact, ErrField},
		{"huge x on card", one(Minutia{X: math.MaxInt}), (*Template).EncodeCardNormal, ErrField},
		{"two views on card", &Template{ResX: 100, ResY: 100, Views: make([]View, 2)}, (*Template).EncodeCardNormal, ErrTooMany},
		{"no resolution on card", &Template{Views: make([]View, 1)}, (*Template).EncodeCardCompact, ErrField},
		{"view number 16", &Template{Views: []View{{ViewNumber: 16}}}, (*Template).EncodeISO2005, ErrField},
		{"width beyond 16 bits", &Template{Width: 70000, Views: make([]View, 1)}, (*Template).EncodeISO2005, ErrField},
	}
	for _, tc := range cases {
		b, err := tc.enc(tc.tpl)
		var ee *EncodeError
		if b != nil || !errors.Is(err, tc.want) || !errors.As(err, &ee) {
			t.Errorf("%s: got %d bytes, %v; want %v", tc.name, len(b), err, tc.want)
		}
	}
}

// TestDecodeErrors runs damaged records through Decode and checks the
// sentinel and the reported offset.
func TestDecodeErrors(t *testing.T) {
	good := testdataFile(t, "fvc2002_db1_101_1.iso")
	mod := func(f func([]byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	cases := []struct {
		name   string
		in     []byte
		want   error
		offset int
	}{
		{"empty", nil, ErrTruncated, 0},
		{"bad magic", mod(func(b []byte) []byte { b[0] = 'X'; return b }), ErrMagic, 0},
		{"bad version", mod(func(b []byte) []byte { b[5] = '9'; return b }), ErrVersion, 4},
		{"trailing byte", mod(func(b []byte) []byte { return append(b, 0) }), ErrLength, 8},
		{"no views", mod(func(b []byte) []byte { b[22] = 0; return b }), ErrNoViews, 22},
		{"reserved minutia type", mod(func(b []byte) []byte { b[28] |= 0xC0; return b }), ErrField, 28},
		{"count beyond data", mod(func(b []byte) []byte { b[27] = 26; return b }), ErrTruncated, 28},
		// With one minutia fewer declared, the last minutia is read as an
		// extended data length (0x40af) that runs past the end.
		{"count below data", mod(func(b []byte) []byte { b[27] = 24; return b }), ErrTruncated, 174},
		{"extended length beyond data", mod(func(b []byte) []byte { b[len(b)-1] = 1; return b }), ErrTruncated, 180},
		{"ANSI angle 180", mod(func(b []byte) []byte {
			a, _ := DecodeISO2005(b)
			out, _ := a.EncodeANSI378()
			out[26+4+4] = 180 // first minutia's angle byte
			return out
		}), ErrField, 34},
	}
	for _, tc := range cases {
		tpl, err := Decode(tc.in)
		var de *DecodeError
		if tpl != nil || !errors.Is(err, tc.want) || !errors.As(err, &de) || de.Offset != tc.offset {
			t.Errorf("%s: got %v; want %v at offset %d", tc.name, err, tc.want, tc.offset)
		}
	}
	// Card sequences: a partial minutia, and more than 255 minutiae.
	if _, err := DecodeCardCompact(make([]byte, 4)); !errors.Is(err, ErrTruncated) {
		t.Errorf("compact 4 bytes: %v", err)
	}
	if _, err := DecodeCardNormal(make([]byte, 5*256)); !errors.Is(err, ErrTooMany) {
		t.Errorf("normal 256 minutiae: %v", err)
	}
	if _, err := DecodeCardCompact([]byte{1, 2, 0xC0}); !errors.Is(err, ErrField) {
		t.Errorf("compact reserved type: %v", err)
	}
}

func BenchmarkDecodeISO2005(b *testing.B) {
	rec := testdataFile(b, "fvc2002_db2_105_3.iso")
	b.SetBytes(int64(len(rec)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeISO2005(rec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeISO2005(b *testing.B) {
	tpl, err := DecodeISO2005(testdataFile(b, "fvc2002_db2_105_3.iso"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tpl.EncodeISO2005(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMasking prints a decoded template with every common verb and through
// slog, and checks that no minutia coordinate leaks. The first minutia of
// 101_1.iso is at (165, 48); the masked summary contains neither number.
func TestMasking(t *testing.T) {
	tpl, err := DecodeISO2005(testdataFile(t, "fvc2002_db1_101_1.iso"))
	if err != nil {
		t.Fatal(err)
	}
	tpl.Views[0].Minutiae[0].X, tpl.Views[0].Minutiae[0].Y = 4242, 4343 // distinctive values
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
		outs = append(outs, fmt.Sprintf(verb, tpl), fmt.Sprintf(verb, *tpl), fmt.Sprintf(verb, tpl.Views),
			fmt.Sprintf(verb, tpl.Views[0]), fmt.Sprintf(verb, tpl.Views[0].Minutiae[0]))
	}
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	logger.Info("t", "tpl", tpl, "view", tpl.Views[0], "m", tpl.Views[0].Minutiae[0])
	logger.Info("t", "value", *tpl)
	outs = append(outs, buf.String())
	for _, s := range outs {
		// %x prints hex: 4242 = 0x1092, 4343 = 0x10f7.
		for _, leak := range []string{"4242", "4343", "1092", "10f7"} {
			if strings.Contains(s, leak) {
				t.Fatalf("coordinate leaked: %q", s)
			}
		}
	}
	if !strings.Contains(buf.String(), "tpl.minutiae=25") || !strings.Contains(outs[0], "25 minutiae") {
		t.Fatalf("summary missing: %q / %q", outs[0], buf.String())
	}
}

// TestISO2005LongRecord: an ISO 2005 record over 65535 bytes has a non-zero
// first half in its 4-byte length, where ANSI's short length would be;
// Decode must still pick ISO because the 4-byte length matches.
func TestISO2005LongRecord(t *testing.T) {
	tpl := &Template{Format: FormatISO2005, Width: 800, Height: 800, ResX: 197, ResY: 197}
	for i := range 43 {
		v := View{Finger: 1, ViewNumber: i % 16, Quality: i}
		for j := range 255 {
			v.Minutiae = append(v.Minutiae, Minutia{X: i, Y: j, Angle: float64(j) * (2 * math.Pi) / 256, Type: MinutiaBifurcation})
		}
		tpl.Views = append(tpl.Views, v)
	}
	b, err := tpl.EncodeISO2005()
	if err != nil {
		t.Fatal(err)
	}
	if len(b) != 24+43*(4+1530+2) || binary.BigEndian.Uint16(b[8:10]) == 0 {
		t.Fatalf("length %d", len(b))
	}
	got, err := Decode(b)
	if err != nil || !reflect.DeepEqual(got, tpl) {
		t.Fatalf("long ISO record: %v", err)
	}
}

// TestISO2011Certifications round-trips a two-view 2011 record where only
// the second view has certification blocks: the record's certification
// flag must be set and the first view must carry a zero block count. Then
// a view whose width differs from view 0 is rejected (the model keeps one
// image size).
func TestISO2011Certifications(t *testing.T) {
	unknown := [9]byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}
	tpl := &Template{Format: FormatISO2011, Width: 256, Height: 360, ResX: 197, ResY: 197, Views: []View{
		{Finger: 7, Quality: 40, Minutiae: []Minutia{{X: 1, Y: 2, Type: MinutiaOther, Quality: 9}},
			Capture: &Capture{Time: unknown, Quality: []QualityBlock{{Score: 40, Vendor: 0x0101, Algorithm: 2}}}},
		{Finger: 7, ViewNumber: 1, Minutiae: []Minutia{{X: 3, Y: 4, Angle: math.Pi, Type: MinutiaRidgeEnding, Quality: 254}},
			Capture: &Capture{Time: unknown, Certifications: []Certification{{Authority: 0x0007, Scheme: 3}}}, Extended: []byte{0, 1, 0, 4}},
	}}
	b, err := tpl.EncodeISO2011()
	if err != nil {
		t.Fatal(err)
	}
	// 15 header + view 0: 18 capture + 1+5 quality + 1 cert count + 13 image
	// + 6 minutia + 2 ext = 46; view 1: 18 + 1 + 1+3 + 13 + 5 + 2+4 = 47.
	if len(b) != 15+46+47 || b[14] != 1 || binary.BigEndian.Uint32(b[15:19]) != 46 {
		t.Fatalf("layout: %d bytes, flag %d, view 0 length %d", len(b), b[14], binary.BigEndian.Uint32(b[15:19]))
	}
	got, err := Decode(b)
	if err != nil || !reflect.DeepEqual(got, tpl) {
		t.Fatalf("round trip: %v", err)
	}
	// View 1's width sits after its length (4), capture (14), quality count
	// (1), certification count and block (4), position, view number,
	// resolutions and impression (7).
	off := 15 + 46 + 4 + 14 + 1 + 4 + 7
	if binary.BigEndian.Uint16(b[off:off+2]) != 256 {
		t.Fatalf("width not at %d", off)
	}
	b[off+1] = 0x01
	if _, err := Decode(b); !errors.Is(err, ErrField) {
		t.Fatalf("differing width: %v, want ErrField", err)
	}
}
