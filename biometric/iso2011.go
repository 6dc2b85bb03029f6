package biometric

import (
	"encoding/binary"
	"fmt"
)

// ISO/IEC 19794-2:2011 finger minutiae record (with the general header of
// ISO/IEC 19794-1:2011). Layout as implemented here; the ISO text itself
// was not available, so it follows the public format summary of
// FingerprintIO/SourceAFIS (templates.machinezoo.com/iso-19794-2-2011) and
// is exercised by round trips and hand-built records:
//
//	general header (15 bytes): "FMR\0", "030\0", record length (4),
//	number of finger representations (2), certification flag (1);
//	per representation: representation length (4, counting itself),
//	capture date and time (9), capture device technology (1), device
//	vendor (2), device type (2), number of quality blocks (1) and 5 bytes
//	each (score, algorithm vendor, algorithm id), if the certification flag
//	is set the number of certification blocks (1) and 3 bytes each
//	(authority, scheme), finger position (1), representation (view) number
//	(1), x and y resolution in pixels per cm (2 + 2), impression type (1),
//	width and height (2 + 2), minutia field length (4 bits, 5 or 6) and
//	ridge ending type (4 bits), number of minutiae (1), minutiae of 5 or 6
//	bytes (as ISO 2005, the quality byte only in 6-byte form), extended
//	data block length (2) and extended data.
const (
	iso2011HeaderLen  = 15
	iso2011CaptureLen = 4 + 9 + 1 + 2 + 2 // length .. device type
	iso2011ImageLen   = 1 + 1 + 2 + 2 + 1 + 2 + 2 + 1 + 1
	qualityBlockLen   = 5
	certBlockLen      = 3
	// minutiaQualityNone is the 2011 minutia quality "not reported"; it is
	// what 5-byte minutiae decode to.
	minutiaQualityNone = 254
)

// Capture holds the per-view capture fields that only ISO/IEC 19794-2:2011
// records carry. Decoding a 2011 record always sets [View.Capture]; other
// formats leave it nil and ignore it when encoding.
type Capture struct {
	// Time is the capture date and time as recorded: year (2 bytes),
	// month, day, hour, minute, second (1 byte each), millisecond
	// (2 bytes); 0xFF bytes mean "not given".
	Time [9]byte
	// Technology, Vendor and DeviceType identify the capture device.
	Technology uint8
	Vendor     uint16
	DeviceType uint16
	// Quality are the quality blocks; the first one's score is also
	// reported as [View.Quality]. When Capture is set, these blocks are
	// what the encoder writes.
	Quality []QualityBlock
	// Certifications are the certification blocks (written only when at
	// least one view of the record has some).
	Certifications []Certification
	// RidgeEnding is the 4-bit ridge ending type code (0 valley skeleton
	// bifurcation point, 1 ridge skeleton end point, ...).
	RidgeEnding uint8
}

// QualityBlock is one ISO/IEC 19794-1:2011 quality record.
type QualityBlock struct {
	Score     uint8  // 0..100, 255 = failed
	Vendor    uint16 // quality algorithm vendor
	Algorithm uint16 // quality algorithm id
}

// Certification is one ISO/IEC 19794-1:2011 certification block.
type Certification struct {
	Authority uint16
	Scheme    uint8
}

// DecodeISO2011 decodes an ISO/IEC 19794-2:2011 finger minutiae record.
// The template keeps one image size and resolution for all views (those of
// the first view): a record whose views differ in them is rejected with
// [ErrField]. Minutiae stored without a quality byte get quality 254 (not
// reported), as the 2011 edition defines it.
func DecodeISO2011(b []byte) (*Template, error) {
	const f = FormatISO2011
	r := &reader{b: b}
	if err := readMagicVersion(r, f, version2011); err != nil {
		return nil, err
	}
	n, ok := r.u32()
	if !ok {
		return nil, &DecodeError{f, "record length", 8, ErrTruncated}
	}
	if err := checkDeclaredLength(f, int64(n), len(b), 8, iso2011HeaderLen); err != nil {
		return nil, err
	}
	nreps, _ := r.u16() // length checked: at least 15 bytes
	certFlag, _ := r.u8()
	switch {
	case nreps == 0:
		return nil, &DecodeError{f, "number of representations", 12, ErrNoViews}
	case nreps > maxViews:
		return nil, &DecodeError{f, "number of representations", 12, ErrTooMany}
	case certFlag > 1:
		return nil, &DecodeError{f, "certification flag", 14, ErrField}
	}
	t := &Template{Format: f, Views: make([]View, nreps)}
	for i := range t.Views {
		if err := readView2011(r, t, i, certFlag == 1); err != nil {
			return nil, err
		}
	}
	if r.remaining() != 0 {
		return nil, &DecodeError{f, "trailing data", r.off, ErrLength}
	}
	return t, nil
}

// maxViews caps finger views per record in every format.
const maxViews = 255

func readView2011(whole *reader, t *Template, i int, certified bool) error {
	const f = FormatISO2011
	start := whole.off
	n, ok := whole.u32()
	if !ok {
		return &DecodeError{f, fmt.Sprintf("view %d length", i), start, ErrTruncated}
	}
	if int64(n) > int64(whole.remaining()+4) {
		return &DecodeError{f, fmt.Sprintf("view %d length", i), start, ErrTruncated}
	}
	if n < iso2011CaptureLen {
		return &DecodeError{f, fmt.Sprintf("view %d length", i), start, ErrLength}
	}
	end := start + int(n)
	whole.off = end
	// A reader bounded by this representation, with offsets into the record.
	r := &reader{b: whole.b[:end], off: start + 4}
	v := &t.Views[i]
	c := &Capture{}
	v.Capture = c
	field := func(name string) string { return fmt.Sprintf("view %d %s", i, name) }

	tm, _ := r.bytes(9) // within iso2011CaptureLen
	copy(c.Time[:], tm)
	tech, _ := r.u8()
	vendor, _ := r.u16()
	devType, _ := r.u16()
	c.Technology, c.Vendor, c.DeviceType = uint8(tech), uint16(vendor), uint16(devType)

	nq, ok := r.u8()
	if !ok || nq*qualityBlockLen > r.remaining() {
		return &DecodeError{f, field("quality blocks"), r.off, ErrTruncated}
	}
	if nq > 0 {
		c.Quality = make([]QualityBlock, nq)
	}
	for j := range c.Quality {
		q, _ := r.bytes(qualityBlockLen)
		c.Quality[j] = QualityBlock{Score: q[0], Vendor: binary.BigEndian.Uint16(q[1:3]), Algorithm: binary.BigEndian.Uint16(q[3:5])}
	}
	if len(c.Quality) > 0 {
		v.Quality = int(c.Quality[0].Score)
	}
	if certified {
		nc, ok := r.u8()
		if !ok || nc*certBlockLen > r.remaining() {
			return &DecodeError{f, field("certification blocks"), r.off, ErrTruncated}
		}
		if nc > 0 {
			c.Certifications = make([]Certification, nc)
		}
		for j := range c.Certifications {
			cb, _ := r.bytes(certBlockLen)
			c.Certifications[j] = Certification{Authority: binary.BigEndian.Uint16(cb[0:2]), Scheme: cb[2]}
		}
	}

	imgOff := r.off
	h, ok := r.bytes(iso2011ImageLen)
	if !ok {
		return &DecodeError{f, field("image header"), imgOff, ErrTruncated}
	}
	v.Finger = int(h[0])
	v.ViewNumber = int(h[1])
	resX := int(binary.BigEndian.Uint16(h[2:4]))
	resY := int(binary.BigEndian.Uint16(h[4:6]))
	v.Impression = int(h[6])
	width := int(binary.BigEndian.Uint16(h[7:9]))
	height := int(binary.BigEndian.Uint16(h[9:11]))
	size := int(h[11] >> 4)
	c.RidgeEnding = h[11] & 0x0F
	count := int(h[12])
	if i == 0 {
		t.Width, t.Height, t.ResX, t.ResY = width, height, resX, resY
	} else if width != t.Width || height != t.Height || resX != t.ResX || resY != t.ResY {
		return &DecodeError{f, field("image size or resolution differs from view 0"), imgOff + 2, ErrField}
	}
	if size != 5 && size != 6 {
		return &DecodeError{f, field("minutia field length"), imgOff + 11, ErrField}
	}
	if count*size > r.remaining() {
		return &DecodeError{f, field("minutiae"), r.off, ErrTruncated}
	}
	if count > 0 {
		v.Minutiae = make([]Minutia, count)
	}
	for j := range v.Minutiae {
		off := r.off
		m, _ := r.bytes(size)
		w0 := binary.BigEndian.Uint16(m[0:2])
		typ := MinutiaType(w0 >> 14)
		if typ == minutiaTypeReserved {
			return &DecodeError{f, field(fmt.Sprintf("minutia %d type", j)), off, ErrField}
		}
		q := uint8(minutiaQualityNone)
		if size == 6 {
			q = m[5]
		}
		v.Minutiae[j] = Minutia{
			X:       int(w0 & maxCoord14),
			Y:       int(binary.BigEndian.Uint16(m[2:4]) & maxCoord14),
			Angle:   angleFromUnits(int(m[4]), iso2005Angles),
			Type:    typ,
			Quality: q,
		}
	}
	ext, err := readExtended(r, f, i)
	if err != nil {
		return err
	}
	v.Extended = ext
	if r.remaining() != 0 {
		return &DecodeError{f, field("trailing data"), r.off, ErrLength}
	}
	return nil
}

// EncodeISO2011 writes the template as an ISO/IEC 19794-2:2011 record.
// Views with a [Capture] keep its fields; other views get an unknown
// capture time (0xFF), device 0, and one quality block holding
// [View.Quality] when that is not zero. A view's minutiae are written in
// 6-byte form when any has a quality other than 254, else in 5-byte form.
func (t *Template) EncodeISO2011() ([]byte, error) {
	const f = FormatISO2011
	if len(t.Views) == 0 {
		return nil, &EncodeError{f, "views", ErrNoViews}
	}
	if len(t.Views) > maxViews {
		return nil, &EncodeError{f, "views", ErrTooMany}
	}
	if err := checkImageHeader(t, f); err != nil {
		return nil, err
	}
	certified := false
	for i := range t.Views {
		if c := t.Views[i].Capture; c != nil && len(c.Certifications) > 0 {
			certified = true
		}
	}
	out := make([]byte, 0, iso2011HeaderLen+64*len(t.Views))
	out = append(out, magicFMR...)
	out = append(out, version2011...)
	out = append(out, 0, 0, 0, 0) // record length, set below
	out = binary.BigEndian.AppendUint16(out, uint16(len(t.Views)))
	if certified {
		out = append(out, 1)
	} else {
		out = append(out, 0)
	}
	for i := range t.Views {
		var err error
		if out, err = appendView2011(out, t, i, certified); err != nil {
			return nil, err
		}
	}
	if int64(len(out)) > 1<<32-1 {
		return nil, &EncodeError{f, "record length", ErrTooMany}
	}
	binary.BigEndian.PutUint32(out[8:12], uint32(len(out)))
	return out, nil
}

func appendView2011(out []byte, t *Template, i int, certified bool) ([]byte, error) {
	const f = FormatISO2011
	v := &t.Views[i]
	field := func(name string) string { return fmt.Sprintf("view %d %s", i, name) }
	switch {
	case v.Finger < 0 || v.Finger > 255:
		return nil, &EncodeError{f, field("finger position"), ErrField}
	case v.ViewNumber < 0 || v.ViewNumber > 255:
		return nil, &EncodeError{f, field("view number"), ErrField}
	case v.Impression < 0 || v.Impression > 255:
		return nil, &EncodeError{f, field("impression type"), ErrField}
	case v.Quality < 0 || v.Quality > 255:
		return nil, &EncodeError{f, field("quality"), ErrField}
	case len(v.Minutiae) > 255:
		return nil, &EncodeError{f, field("minutiae"), ErrTooMany}
	case len(v.Extended) > 0xFFFF:
		return nil, &EncodeError{f, field("extended data"), ErrTooMany}
	}
	c := v.Capture
	if c == nil {
		c = &Capture{Time: [9]byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}}
		if v.Quality != 0 {
			c.Quality = []QualityBlock{{Score: uint8(v.Quality)}}
		}
	}
	switch {
	case len(c.Quality) > 255:
		return nil, &EncodeError{f, field("quality blocks"), ErrTooMany}
	case len(c.Certifications) > 255:
		return nil, &EncodeError{f, field("certification blocks"), ErrTooMany}
	case c.RidgeEnding > 15:
		return nil, &EncodeError{f, field("ridge ending type"), ErrField}
	}
	size := 5
	for j, m := range v.Minutiae {
		if err := checkMinutia(m, f, i, j, maxCoord14); err != nil {
			return nil, err
		}
		if m.Quality != minutiaQualityNone {
			size = 6
		}
	}
	start := len(out)
	out = append(out, 0, 0, 0, 0) // representation length, set below
	out = append(out, c.Time[:]...)
	out = append(out, c.Technology)
	out = binary.BigEndian.AppendUint16(out, c.Vendor)
	out = binary.BigEndian.AppendUint16(out, c.DeviceType)
	out = append(out, byte(len(c.Quality)))
	for _, q := range c.Quality {
		out = append(out, q.Score)
		out = binary.BigEndian.AppendUint16(out, q.Vendor)
		out = binary.BigEndian.AppendUint16(out, q.Algorithm)
	}
	if certified {
		out = append(out, byte(len(c.Certifications)))
		for _, cb := range c.Certifications {
			out = binary.BigEndian.AppendUint16(out, cb.Authority)
			out = append(out, cb.Scheme)
		}
	}
	out = append(out, byte(v.Finger), byte(v.ViewNumber))
	out = binary.BigEndian.AppendUint16(out, uint16(t.ResX))
	out = binary.BigEndian.AppendUint16(out, uint16(t.ResY))
	out = append(out, byte(v.Impression))
	out = binary.BigEndian.AppendUint16(out, uint16(t.Width))
	out = binary.BigEndian.AppendUint16(out, uint16(t.Height))
	out = append(out, byte(size<<4)|c.RidgeEnding, byte(len(v.Minutiae)))
	for _, m := range v.Minutiae {
		a, _ := angleToUnits(m.Angle, iso2005Angles)
		out = binary.BigEndian.AppendUint16(out, uint16(m.Type)<<14|uint16(m.X))
		out = binary.BigEndian.AppendUint16(out, uint16(m.Y))
		out = append(out, byte(a))
		if size == 6 {
			out = append(out, m.Quality)
		}
	}
	out = binary.BigEndian.AppendUint16(out, uint16(len(v.Extended)))
	out = append(out, v.Extended...)
	if int64(len(out)-start) > 1<<32-1 {
		return nil, &EncodeError{f, field("length"), ErrTooMany}
	}
	binary.BigEndian.PutUint32(out[start:start+4], uint32(len(out)-start))
	return out, nil
}
