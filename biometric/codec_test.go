package biometric

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// sharedFingerprints is the shared FVC2002 data set (see its README).
const sharedFingerprints = "../../shared/testdata/fingerprints"

func fvcFiles(t testing.TB) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(sharedFingerprints, "fvc2002", "DB*_B", "*.iso"))
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

// TestFVC2002RoundTrip decodes all 320 shared records (README: ISO/IEC
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
	tpl, err := DecodeISO2005(readFile(t, filepath.Join(sharedFingerprints, "fvc2002", "DB1_B", "101_1.iso")))
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

// TestInvalidTruncated: the shared invalid/ records are truncated by 1, 2
// and 3 bytes (README): each must fail with ErrTruncated and no template.
func TestInvalidTruncated(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(sharedFingerprints, "invalid", "*.iso"))
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
