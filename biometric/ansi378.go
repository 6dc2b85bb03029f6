package biometric

import "encoding/binary"

// ANSI INCITS 378-2004 finger minutiae record: the same magic, version and
// view layout as ISO/IEC 19794-2:2005, but
//
//	header: "FMR\0", " 20\0", record length in 2 bytes (or 0x0000 then
//	4 bytes when the record exceeds 65535 bytes), CBEFF product identifier
//	(4: owner, type), capture equipment (2: compliance 4 bits, ID 12 bits),
//	width, height, x and y resolution (2 each, pixels per cm), number of
//	finger views (1), reserved (1);
//
// and minutia angles in units of 2 degrees (0..179).
const (
	ansi378HeaderShort = 26
	ansi378HeaderLong  = 30
)

// DecodeANSI378 decodes an ANSI INCITS 378-2004 finger minutiae record.
// The declared record length must equal len(b).
func DecodeANSI378(b []byte) (*Template, error) {
	const f = FormatANSI378
	r := &reader{b: b}
	if err := readMagicVersion(r, f, version20); err != nil {
		return nil, err
	}
	n, ok := r.u16()
	if !ok {
		return nil, &DecodeError{f, "record length", 8, ErrTruncated}
	}
	declared, off, minLen := int64(n), 8, ansi378HeaderShort
	if n == 0 {
		long, ok := r.u32()
		if !ok {
			return nil, &DecodeError{f, "record length", 10, ErrTruncated}
		}
		declared, off, minLen = int64(long), 10, ansi378HeaderLong
	}
	if err := checkDeclaredLength(f, declared, len(b), off, minLen); err != nil {
		return nil, err
	}
	t := &Template{Format: f}
	if t.ProductID, ok = r.u32(); !ok {
		return nil, &DecodeError{f, "product identifier", r.off, ErrTruncated}
	}
	return readBody20(r, t, ansi378Angles)
}

// EncodeANSI378 writes the template as an ANSI INCITS 378-2004 record, with
// the 2-byte length form when the record fits in 65535 bytes. Angles are
// rounded to units of 2 degrees.
func (t *Template) EncodeANSI378() ([]byte, error) {
	const f = FormatANSI378
	body, err := bodySize20(t, f)
	if err != nil {
		return nil, err
	}
	total := ansi378HeaderShort - body20HeaderLen + body
	long := total > 0xFFFF
	if long {
		total += ansi378HeaderLong - ansi378HeaderShort
	}
	if int64(total) > 1<<32-1 {
		return nil, &EncodeError{f, "record length", ErrTooMany}
	}
	out := make([]byte, 0, total)
	out = append(out, magicFMR...)
	out = append(out, version20...)
	if long {
		out = append(out, 0, 0)
		out = binary.BigEndian.AppendUint32(out, uint32(total))
	} else {
		out = binary.BigEndian.AppendUint16(out, uint16(total))
	}
	out = binary.BigEndian.AppendUint32(out, t.ProductID)
	return appendBody20(out, t, ansi378Angles), nil
}
