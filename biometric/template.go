package biometric

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"log/slog"
	"math"
)

// Format names a finger minutiae record format.
type Format uint8

// The record formats this package reads and writes.
const (
	FormatUnknown     Format = iota
	FormatISO2005            // ISO/IEC 19794-2:2005 record ("FMR\0", " 20\0", 4-byte length)
	FormatISO2011            // ISO/IEC 19794-2:2011 record ("FMR\0", "030\0")
	FormatANSI378            // ANSI INCITS 378-2004 record ("FMR\0", " 20\0", 2- or 6-byte length)
	FormatCardCompact        // ISO/IEC 19794-2:2005 clause 8 compact card format, 3 bytes per minutia
	FormatCardNormal         // ISO/IEC 19794-2:2005 clause 8 normal card format, 5 bytes per minutia
)

// String returns the standard's name for the format.
func (f Format) String() string {
	switch f {
	case FormatISO2005:
		return "ISO 19794-2:2005"
	case FormatISO2011:
		return "ISO 19794-2:2011"
	case FormatANSI378:
		return "ANSI 378-2004"
	case FormatCardCompact:
		return "ISO 19794-2 card compact"
	case FormatCardNormal:
		return "ISO 19794-2 card normal"
	}
	return "unknown format"
}

// MinutiaType is the kind of ridge feature, coded on 2 bits in every format.
type MinutiaType uint8

// Minutia types as coded by ISO/IEC 19794-2 and ANSI INCITS 378
// (value 3 is reserved and rejected).
const (
	MinutiaOther        MinutiaType = 0
	MinutiaRidgeEnding  MinutiaType = 1
	MinutiaBifurcation  MinutiaType = 2
	minutiaTypeReserved MinutiaType = 3
)

// String returns "other", "ridge ending" or "bifurcation".
func (t MinutiaType) String() string {
	switch t {
	case MinutiaOther:
		return "other"
	case MinutiaRidgeEnding:
		return "ridge ending"
	case MinutiaBifurcation:
		return "bifurcation"
	}
	return "reserved"
}

// Minutia is one ridge ending or bifurcation.
//
// X and Y are in pixels of the record's image frame: origin at the upper
// left corner, X growing to the right, Y growing downward, at the template's
// ResX and ResY pixels per centimetre.
//
// Angle is the ridge direction in radians in [0, 2π), measured
// counter-clockwise as seen on the image (so from the +X axis towards -Y,
// because Y grows downward): a minutia pointing right has angle 0, pointing
// up has angle π/2. The records quantise it: ISO records in units of
// 2π/256 (1.40625°), ANSI 378 in units of 2°, card formats in units of
// 2π/64 (5.625°). Decoding gives the exact multiple k·2π/n; encoding rounds
// to the nearest unit, so decode then encode in the same format is exact.
//
// Quality is the minutia quality as recorded: 1..100 with 0 for "not
// reported" in ISO 2005 and ANSI 378; 0..100 with 254 for "not reported"
// and 255 for "failed" in ISO 2011. Conversions copy it unchanged; card
// formats have none (decoded as 0, dropped when encoding).
type Minutia struct {
	X, Y    int
	Angle   float64
	Type    MinutiaType
	Quality uint8
}

// View is one finger view (one impression of one finger) of a record.
type View struct {
	// Finger is the finger position code (0 unknown, 1 right thumb ..
	// 10 left little finger, as in ISO/IEC 19794-2 table 2).
	Finger int
	// ViewNumber tells apart several views of the same finger (0..15).
	ViewNumber int
	// Impression is the impression type code (0 live-scan plain,
	// 1 live-scan rolled, 2 non-live plain, 3 non-live rolled, ...; 0..15).
	Impression int
	// Quality is the finger quality (0..100 in ISO 2005 and ANSI 378).
	Quality int
	// Minutiae are the view's minutiae in record order.
	Minutiae []Minutia
	// Extended is the raw extended data block (ridge counts, cores and
	// deltas, vendor data) following the minutiae, without its 2-byte
	// length; nil when absent. It is kept unparsed and written back as is.
	Extended []byte
	// Capture holds the capture fields of ISO/IEC 19794-2:2011 views;
	// nil for views decoded from other formats.
	Capture *Capture
}

// Template is a finger minutiae template: the common model every codec
// decodes into and encodes from.
type Template struct {
	// Format is the record format the template was decoded from
	// (FormatUnknown for a template built in code).
	Format Format
	// Equipment is the 2-byte capture equipment field of ISO 2005 and
	// ANSI 378 records (4 bits certification/compliance, 12 bits ID).
	Equipment uint16
	// ProductID is the ANSI 378 CBEFF product identifier (owner, type).
	ProductID uint32
	// Width and Height are the image size in pixels (0 when unknown).
	Width, Height int
	// ResX and ResY are the resolution in pixels per centimetre, as in the
	// record (197 ≈ 500 dpi). Card formats have no header: their
	// coordinates are in units of 0.1 mm, so their templates carry 100.
	ResX, ResY int
	// Views are the finger views in record order.
	Views []View
}

// MinutiaeCount returns the number of minutiae over all views (0 for nil).
func (t *Template) MinutiaeCount() int {
	if t == nil {
		return 0
	}
	n := 0
	for i := range t.Views {
		n += len(t.Views[i].Minutiae)
	}
	return n
}

// String describes the template without any minutiae: format, image size,
// resolution, view count, minutiae count and finger quality.
func (t Template) String() string {
	q := 0
	for i := range t.Views {
		q = max(q, t.Views[i].Quality)
	}
	return fmt.Sprintf("biometric.Template{%v, %dx%d px at %dx%d px/cm, %d view(s), %d minutiae, quality %d}",
		t.Format, t.Width, t.Height, t.ResX, t.ResY, len(t.Views), t.MinutiaeCount(), q)
}

// GoString masks %#v the same way as String.
func (t Template) GoString() string { return t.String() }

// LogValue gives slog the same summary as String, as attributes.
func (t Template) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("format", t.Format.String()),
		slog.Int("width", t.Width), slog.Int("height", t.Height),
		slog.Int("res_x", t.ResX), slog.Int("res_y", t.ResY),
		slog.Int("views", len(t.Views)),
		slog.Int("minutiae", t.MinutiaeCount()),
	)
}

// String describes the view without its minutiae.
func (v View) String() string {
	return fmt.Sprintf("biometric.View{finger %d, view %d, impression %d, quality %d, %d minutiae, %d bytes extended}",
		v.Finger, v.ViewNumber, v.Impression, v.Quality, len(v.Minutiae), len(v.Extended))
}

// Format masks every fmt verb (%v, %+v, %#v, %d, ...) with String.
func (v View) Format(f fmt.State, _ rune) { fmt.Fprint(f, v.String()) }

// LogValue gives slog the masked summary.
func (v View) LogValue() slog.Value { return slog.StringValue(v.String()) }

// String masks the minutia: a minutia's position is part of a fingerprint.
func (m Minutia) String() string { return "biometric.Minutia{masked}" }

// Format masks every fmt verb with String.
func (m Minutia) Format(f fmt.State, _ rune) { fmt.Fprint(f, m.String()) }

// LogValue gives slog the masked form.
func (m Minutia) LogValue() slog.Value { return slog.StringValue(m.String()) }

// Decode reads a finger minutiae record, detecting its format from the
// header: "FMR\0" then " 20\0" is ISO/IEC 19794-2:2005 when the 4-byte length
// at offset 8 equals the input length, and ANSI INCITS 378-2004 when the
// 2-byte length at offset 8 (or, if zero, the 4-byte length at offset 10)
// does; "030\0" is ISO/IEC 19794-2:2011. Card formats carry no header and
// must be decoded with [DecodeCardCompact] or [DecodeCardNormal].
// ANSI INCITS 378-2009 also uses "030\0" and is not supported: such a
// record fails as a malformed 2011 record.
func Decode(b []byte) (*Template, error) {
	if len(b) < 8 {
		return nil, &DecodeError{Format: FormatUnknown, Field: "header", Offset: 0, Err: ErrTruncated}
	}
	if !bytes.Equal(b[:4], magicFMR) {
		return nil, &DecodeError{Format: FormatUnknown, Field: "format identifier", Offset: 0, Err: ErrMagic}
	}
	switch {
	case bytes.Equal(b[4:8], version2011):
		return DecodeISO2011(b)
	case !bytes.Equal(b[4:8], version20):
		return nil, &DecodeError{Format: FormatUnknown, Field: "version", Offset: 4, Err: ErrVersion}
	}
	return decodeVersion20(b)
}

var (
	magicFMR    = []byte("FMR\x00")
	version20   = []byte(" 20\x00")
	version2011 = []byte("030\x00")
)

// reader walks untrusted bytes; every read is bounds-checked and failures
// carry the offset where the missing field starts.
type reader struct {
	b   []byte
	off int
}

func (r *reader) remaining() int { return len(r.b) - r.off }

func (r *reader) bytes(n int) ([]byte, bool) {
	if n < 0 || r.remaining() < n {
		return nil, false
	}
	s := r.b[r.off : r.off+n : r.off+n]
	r.off += n
	return s, true
}

func (r *reader) u8() (int, bool) {
	s, ok := r.bytes(1)
	if !ok {
		return 0, false
	}
	return int(s[0]), true
}

func (r *reader) u16() (int, bool) {
	s, ok := r.bytes(2)
	if !ok {
		return 0, false
	}
	return int(binary.BigEndian.Uint16(s)), true
}

func (r *reader) u32() (uint32, bool) {
	s, ok := r.bytes(4)
	if !ok {
		return 0, false
	}
	return binary.BigEndian.Uint32(s), true
}

// angleFromUnits converts k units of a circle divided in n to radians.
func angleFromUnits(k, n int) float64 {
	return float64(k) * (2 * math.Pi) / float64(n)
}

// angleToUnits rounds an angle in radians to the nearest of n units per
// circle, wrapping into [0, n). It fails on NaN and infinities.
func angleToUnits(a float64, n int) (int, bool) {
	if math.IsNaN(a) || math.IsInf(a, 0) {
		return 0, false
	}
	u := math.Mod(math.Round(a*float64(n)/(2*math.Pi)), float64(n))
	if u < 0 {
		u += float64(n)
	}
	if u >= float64(n) { // -0.0 wrap or rounding at the top
		u = 0
	}
	return int(u), true
}
