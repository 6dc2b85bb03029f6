package biometric

import (
	"encoding/binary"
	"fmt"
	"math"
)

// ISO/IEC 19794-2:2005 finger minutiae record (clause 7):
//
//	header (24 bytes): "FMR\0", " 20\0", record length (4), capture
//	equipment (2), width (2), height (2), x and y resolution in pixels per
//	cm (2 + 2), number of finger views (1), reserved (1);
//	per view: finger position (1), view number (4 bits) and impression type
//	(4 bits), finger quality (1), number of minutiae (1); per minutia
//	6 bytes: type (2 bits) and x (14 bits), reserved (2 bits) and y
//	(14 bits), angle (1, units of 360/256 degrees), quality (1); then the
//	extended data block length (2) and that many bytes of extended data.
const (
	iso2005HeaderLen = 24
	viewHeaderLen20  = 4 // finger position, view/impression, quality, count
	minutiaLen20     = 6
	iso2005Angles    = 256 // angle units per circle
	ansi378Angles    = 180 // 2-degree units per circle
	maxCoord14       = 1<<14 - 1
	// body20HeaderLen is the part of the ISO 2005 and ANSI 378 headers
	// after the length (and product id): equipment, image size and
	// resolution, view count, reserved byte.
	body20HeaderLen = 12
)

// DecodeISO2005 decodes an ISO/IEC 19794-2:2005 finger minutiae record.
// The declared record length must equal len(b): a shorter input is
// [ErrTruncated], extra bytes are [ErrLength].
func DecodeISO2005(b []byte) (*Template, error) {
	const f = FormatISO2005
	r := &reader{b: b}
	if err := readMagicVersion(r, f, version20); err != nil {
		return nil, err
	}
	n, ok := r.u32()
	if !ok {
		return nil, &DecodeError{f, "record length", 8, ErrTruncated}
	}
	if err := checkDeclaredLength(f, int64(n), len(b), 8, iso2005HeaderLen); err != nil {
		return nil, err
	}
	return readBody20(r, &Template{Format: f}, iso2005Angles)
}

// EncodeISO2005 writes the template as an ISO/IEC 19794-2:2005 record.
// Angles are rounded to units of 360/256 degrees; coordinates must fit in
// 14 bits and every count in its field, else it returns an [*EncodeError].
func (t *Template) EncodeISO2005() ([]byte, error) {
	const f = FormatISO2005
	body, err := bodySize20(t, f)
	if err != nil {
		return nil, err
	}
	total := iso2005HeaderLen - body20HeaderLen + body
	if int64(total) > 1<<32-1 {
		return nil, &EncodeError{f, "record length", ErrTooMany}
	}
	out := make([]byte, 0, total)
	out = append(out, magicFMR...)
	out = append(out, version20...)
	out = binary.BigEndian.AppendUint32(out, uint32(total))
	return appendBody20(out, t, iso2005Angles), nil
}

// readBody20 reads what follows the length (and ANSI's product id) in ISO
// 2005 and ANSI 378 records: capture equipment, image header, views; then
// requires the end of the input.
func readBody20(r *reader, t *Template, angles int) (*Template, error) {
	f := t.Format
	eq, ok := r.u16()
	if !ok {
		return nil, &DecodeError{f, "capture equipment", r.off, ErrTruncated}
	}
	t.Equipment = uint16(eq)
	nviews, err := readImageHeader(r, f, t)
	if err != nil {
		return nil, err
	}
	if t.Views, err = readViews20(r, f, nviews, angles); err != nil {
		return nil, err
	}
	if r.remaining() != 0 {
		return nil, &DecodeError{f, "trailing data", r.off, ErrLength}
	}
	return t, nil
}

// bodySize20 validates a template for the ISO 2005 / ANSI 378 layout and
// returns the size of what appendBody20 writes.
func bodySize20(t *Template, f Format) (int, error) {
	views, err := viewsSize20(t, f)
	if err != nil {
		return 0, err
	}
	if err := checkImageHeader(t, f); err != nil {
		return 0, err
	}
	return body20HeaderLen + views, nil
}

// appendBody20 writes equipment, image header and views checked by
// bodySize20.
func appendBody20(out []byte, t *Template, angles int) []byte {
	out = binary.BigEndian.AppendUint16(out, t.Equipment)
	out = appendImageHeader(out, t)
	return appendViews20(out, t, angles)
}

// decodeVersion20 tells ISO 2005 from ANSI 378 (both " 20\0") by which
// length field matches the input, as the formats differ only in the header.
// When neither matches (a damaged record), a non-zero 2-byte field at
// offset 8 means ANSI's short form; otherwise ISO is assumed, and its
// decoder reports what is wrong.
func decodeVersion20(b []byte) (*Template, error) {
	if len(b) < 12 {
		return nil, &DecodeError{FormatUnknown, "record length", 8, ErrTruncated}
	}
	isoLen := int64(binary.BigEndian.Uint32(b[8:12]))
	ansiShort := int64(binary.BigEndian.Uint16(b[8:10]))
	switch {
	case isoLen == int64(len(b)):
		return DecodeISO2005(b)
	case ansiShort != 0:
		return DecodeANSI378(b)
	case len(b) >= 14 && int64(binary.BigEndian.Uint32(b[10:14])) == int64(len(b)):
		return DecodeANSI378(b)
	}
	return DecodeISO2005(b)
}

func readMagicVersion(r *reader, f Format, version []byte) error {
	m, ok := r.bytes(4)
	if !ok {
		return &DecodeError{f, "format identifier", 0, ErrTruncated}
	}
	if string(m) != string(magicFMR) {
		return &DecodeError{f, "format identifier", 0, ErrMagic}
	}
	v, ok := r.bytes(4)
	if !ok {
		return &DecodeError{f, "version", 4, ErrTruncated}
	}
	if string(v) != string(version) {
		return &DecodeError{f, "version", 4, ErrVersion}
	}
	return nil
}

// checkDeclaredLength compares a record's declared length with the input.
func checkDeclaredLength(f Format, declared int64, actual, off, minLen int) error {
	switch {
	case declared > int64(actual):
		return &DecodeError{f, "record length", off, ErrTruncated}
	case declared < int64(actual):
		return &DecodeError{f, "record length", off, ErrLength}
	case declared < int64(minLen):
		return &DecodeError{f, "record length", off, ErrTruncated}
	}
	return nil
}

// readImageHeader reads width, height, resolutions, view count and the
// reserved byte shared by the ISO 2005 and ANSI 378 headers.
func readImageHeader(r *reader, f Format, t *Template) (int, error) {
	start := r.off
	var vals [4]int
	for i := range vals {
		v, ok := r.u16()
		if !ok {
			return 0, &DecodeError{f, "image header", start, ErrTruncated}
		}
		vals[i] = v
	}
	t.Width, t.Height, t.ResX, t.ResY = vals[0], vals[1], vals[2], vals[3]
	nviews, ok := r.u8()
	if !ok {
		return 0, &DecodeError{f, "number of views", r.off, ErrTruncated}
	}
	if nviews == 0 {
		return 0, &DecodeError{f, "number of views", r.off - 1, ErrNoViews}
	}
	if _, ok := r.u8(); !ok { // reserved
		return 0, &DecodeError{f, "reserved", r.off, ErrTruncated}
	}
	return nviews, nil
}

func checkImageHeader(t *Template, f Format) error {
	for _, v := range [...]struct {
		name string
		val  int
	}{{"width", t.Width}, {"height", t.Height}, {"x resolution", t.ResX}, {"y resolution", t.ResY}} {
		if v.val < 0 || v.val > 0xFFFF {
			return &EncodeError{f, v.name, ErrField}
		}
	}
	return nil
}

func appendImageHeader(out []byte, t *Template) []byte {
	out = binary.BigEndian.AppendUint16(out, uint16(t.Width))
	out = binary.BigEndian.AppendUint16(out, uint16(t.Height))
	out = binary.BigEndian.AppendUint16(out, uint16(t.ResX))
	out = binary.BigEndian.AppendUint16(out, uint16(t.ResY))
	out = append(out, byte(len(t.Views)), 0)
	return out
}

// readViews20 reads the finger views of an ISO 2005 or ANSI 378 record; the
// two differ only in the angle unit (angles per circle).
func readViews20(r *reader, f Format, nviews, angles int) ([]View, error) {
	views := make([]View, nviews) // nviews <= 255: it came from one byte
	for i := range views {
		v := &views[i]
		start := r.off
		h, ok := r.bytes(viewHeaderLen20)
		if !ok {
			return nil, &DecodeError{f, fmt.Sprintf("view %d header", i), start, ErrTruncated}
		}
		v.Finger = int(h[0])
		v.ViewNumber = int(h[1] >> 4)
		v.Impression = int(h[1] & 0x0F)
		v.Quality = int(h[2])
		count := int(h[3])
		if count*minutiaLen20 > r.remaining() {
			return nil, &DecodeError{f, fmt.Sprintf("view %d minutiae", i), r.off, ErrTruncated}
		}
		if count > 0 {
			v.Minutiae = make([]Minutia, count)
		}
		for j := range v.Minutiae {
			off := r.off
			m, _ := r.bytes(minutiaLen20) // length checked above
			w0 := binary.BigEndian.Uint16(m[0:2])
			w1 := binary.BigEndian.Uint16(m[2:4])
			typ := MinutiaType(w0 >> 14)
			if typ == minutiaTypeReserved {
				return nil, &DecodeError{f, fmt.Sprintf("view %d minutia %d type", i, j), off, ErrField}
			}
			if int(m[4]) >= angles {
				return nil, &DecodeError{f, fmt.Sprintf("view %d minutia %d angle", i, j), off + 4, ErrField}
			}
			// The top 2 bits of the y word are reserved; they are ignored.
			v.Minutiae[j] = Minutia{
				X:       int(w0 & maxCoord14),
				Y:       int(w1 & maxCoord14),
				Angle:   angleFromUnits(int(m[4]), angles),
				Type:    typ,
				Quality: m[5],
			}
		}
		ext, err := readExtended(r, f, i)
		if err != nil {
			return nil, err
		}
		v.Extended = ext
	}
	return views, nil
}

// readExtended reads a 2-byte extended data block length and copies the
// block (nil when empty) so the template does not alias the input.
func readExtended(r *reader, f Format, view int) ([]byte, error) {
	off := r.off
	n, ok := r.u16()
	if !ok {
		return nil, &DecodeError{f, fmt.Sprintf("view %d extended data length", view), off, ErrTruncated}
	}
	if n == 0 {
		return nil, nil
	}
	data, ok := r.bytes(n)
	if !ok {
		return nil, &DecodeError{f, fmt.Sprintf("view %d extended data", view), r.off, ErrTruncated}
	}
	return append([]byte(nil), data...), nil
}

// viewsSize20 validates the views for the ISO 2005 / ANSI 378 layout and
// returns their encoded size.
func viewsSize20(t *Template, f Format) (int, error) {
	if len(t.Views) == 0 {
		return 0, &EncodeError{f, "views", ErrNoViews}
	}
	if len(t.Views) > 255 {
		return 0, &EncodeError{f, "views", ErrTooMany}
	}
	size := 0
	for i := range t.Views {
		v := &t.Views[i]
		if err := checkView20(v, f, i); err != nil {
			return 0, err
		}
		size += viewHeaderLen20 + minutiaLen20*len(v.Minutiae) + 2 + len(v.Extended)
	}
	return size, nil
}

func checkView20(v *View, f Format, i int) error {
	switch {
	case v.Finger < 0 || v.Finger > 255:
		return &EncodeError{f, fmt.Sprintf("view %d finger position", i), ErrField}
	case v.ViewNumber < 0 || v.ViewNumber > 15:
		return &EncodeError{f, fmt.Sprintf("view %d view number", i), ErrField}
	case v.Impression < 0 || v.Impression > 15:
		return &EncodeError{f, fmt.Sprintf("view %d impression type", i), ErrField}
	case v.Quality < 0 || v.Quality > 255:
		return &EncodeError{f, fmt.Sprintf("view %d quality", i), ErrField}
	case len(v.Minutiae) > 255:
		return &EncodeError{f, fmt.Sprintf("view %d minutiae", i), ErrTooMany}
	case len(v.Extended) > 0xFFFF:
		return &EncodeError{f, fmt.Sprintf("view %d extended data", i), ErrTooMany}
	}
	for j, m := range v.Minutiae {
		if err := checkMinutia(m, f, i, j, maxCoord14); err != nil {
			return err
		}
	}
	return nil
}

func checkMinutia(m Minutia, f Format, i, j, maxCoord int) error {
	what := ""
	switch {
	case m.X < 0 || m.X > maxCoord || m.Y < 0 || m.Y > maxCoord:
		what = "position"
	case m.Type > MinutiaBifurcation:
		what = "type"
	case math.IsNaN(m.Angle) || math.IsInf(m.Angle, 0):
		what = "angle"
	default:
		return nil // the common path builds no field name
	}
	return &EncodeError{f, fmt.Sprintf("view %d minutia %d %s", i, j, what), ErrField}
}

// appendViews20 writes views already checked by viewsSize20.
func appendViews20(out []byte, t *Template, angles int) []byte {
	for i := range t.Views {
		v := &t.Views[i]
		out = append(out, byte(v.Finger), byte(v.ViewNumber<<4|v.Impression), byte(v.Quality), byte(len(v.Minutiae)))
		for _, m := range v.Minutiae {
			a, _ := angleToUnits(m.Angle, angles) // finite: checked
			out = binary.BigEndian.AppendUint16(out, uint16(m.Type)<<14|uint16(m.X))
			out = binary.BigEndian.AppendUint16(out, uint16(m.Y))
			out = append(out, byte(a), m.Quality)
		}
		out = binary.BigEndian.AppendUint16(out, uint16(len(v.Extended)))
		out = append(out, v.Extended...)
	}
	return out
}
