package cms

import (
	"errors"
	"fmt"
)

// Sentinel errors. Callers (package chip) map them to their own sentinels.
var (
	ErrMalformed   = errors.New("cms: malformed encoding")
	ErrTrailing    = errors.New("cms: trailing data")
	ErrUnsupported = errors.New("cms: unsupported algorithm")
	ErrSignature   = errors.New("cms: signature verification failed")
	// ErrDigestMismatch reports a messageDigest attribute that does not
	// match the hash of the content.
	ErrDigestMismatch = errors.New("cms: message digest mismatch")
)

// MaxDepth bounds the nesting of constructed BER elements.
const MaxDepth = 32

// maxLength bounds any single BER length (16 MiB): ICAO files are far smaller.
const maxLength = 1 << 24

// Error describes where parsing failed.
type Error struct {
	Field string // the element being read
	Err   error  // one of the sentinels
}

// Error names the element and the failure.
func (e *Error) Error() string { return "cms: " + e.Field + ": " + trim(e.Err) }

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func trim(err error) string {
	s := err.Error()
	if len(s) > 5 && s[:5] == "cms: " {
		return s[5:]
	}
	return s
}

func malformed(field string) error { return &Error{Field: field, Err: ErrMalformed} }

func unsupported(field string) error { return &Error{Field: field, Err: ErrUnsupported} }

// header is one BER identifier and length.
type header struct {
	tagLen     int  // bytes of the identifier
	hdrLen     int  // identifier + length bytes
	length     int  // content length (definite form)
	indefinite bool // 0x80 length
	minimal    bool // length is in DER's shortest form
}

func (h header) constructed(b []byte) bool { return b[0]&0x20 != 0 }

// readHeader reads the identifier and length at the start of b.
func readHeader(b []byte) (header, error) {
	var h header
	if len(b) < 2 {
		return h, malformed("header")
	}
	i := 1
	if b[0]&0x1f == 0x1f { // high tag number form
		for {
			if i >= len(b) || i > 4 {
				return h, malformed("tag")
			}
			c := b[i]
			i++
			if c&0x80 == 0 {
				break
			}
		}
	}
	h.tagLen = i
	if i >= len(b) {
		return h, malformed("length")
	}
	l := b[i]
	i++
	switch {
	case l < 0x80:
		h.length = int(l)
		h.minimal = true
	case l == 0x80:
		h.indefinite = true
		if b[0]&0x20 == 0 {
			return h, malformed("indefinite length on primitive")
		}
	default:
		n := int(l & 0x7f)
		if n > 4 || i+n > len(b) {
			return h, malformed("length")
		}
		v := 0
		for j := 0; j < n; j++ {
			v = v<<8 | int(b[i+j])
		}
		i += n
		if v > maxLength {
			return h, malformed("length too large")
		}
		h.length = v
		h.minimal = v >= 0x80 && b[i-n] != 0
	}
	h.hdrLen = i
	if !h.indefinite && h.length > len(b)-i {
		return h, malformed("length exceeds data")
	}
	return h, nil
}

// ElementLen returns the total encoded size of the BER element at the
// start of b, following indefinite lengths (bounded by MaxDepth).
func ElementLen(b []byte) (int, error) { return elementLen(b, 0) }

func elementLen(b []byte, depth int) (int, error) {
	if depth > MaxDepth {
		return 0, malformed("nesting too deep")
	}
	h, err := readHeader(b)
	if err != nil {
		return 0, err
	}
	if !h.indefinite {
		return h.hdrLen + h.length, nil
	}
	off := h.hdrLen
	for {
		if len(b)-off >= 2 && b[off] == 0 && b[off+1] == 0 {
			return off + 2, nil
		}
		if off >= len(b) {
			return 0, malformed("missing end-of-contents")
		}
		n, err := elementLen(b[off:], depth+1)
		if err != nil {
			return 0, err
		}
		off += n
	}
}

// Normalize converts the BER element at the start of b to DER lengths:
// indefinite lengths become definite, long-form lengths become minimal and
// constructed OCTET STRINGs become primitive. Elements that need no change
// are copied verbatim (primitive contents are never touched). It returns
// the converted element and the number of input bytes it used.
func Normalize(b []byte) ([]byte, int, error) {
	if n, ok := derLen(b, 0); ok {
		return b[:n], n, nil // already DER lengths: no copy
	}
	out, n, _, err := normalize(b, 0)
	return out, n, err
}

// derLen returns the size of the element at the start of b when it and
// everything inside it already have DER lengths and no constructed OCTET
// STRING; ok is false otherwise (or when malformed).
func derLen(b []byte, depth int) (int, bool) {
	if depth > MaxDepth {
		return 0, false
	}
	h, err := readHeader(b)
	if err != nil || h.indefinite || !h.minimal {
		return 0, false
	}
	end := h.hdrLen + h.length
	if !h.constructed(b) {
		return end, true
	}
	if h.tagLen == 1 && b[0] == 0x24 {
		return 0, false
	}
	for off := h.hdrLen; off < end; {
		n, ok := derLen(b[off:end], depth+1)
		if !ok {
			return 0, false
		}
		off += n
	}
	return end, true
}

func normalize(b []byte, depth int) (out []byte, used int, changed bool, err error) {
	if depth > MaxDepth {
		return nil, 0, false, malformed("nesting too deep")
	}
	h, err := readHeader(b)
	if err != nil {
		return nil, 0, false, err
	}
	tag := b[:h.tagLen]
	if !h.constructed(b) {
		used = h.hdrLen + h.length
		if h.minimal {
			return b[:used], used, false, nil
		}
		return appendTLV(nil, tag, b[h.hdrLen:used]), used, true, nil
	}
	// Constructed: convert each child.
	var content []byte
	var parts [][]byte
	anyChanged := h.indefinite || !h.minimal
	off := h.hdrLen
	end := len(b)
	if !h.indefinite {
		end = h.hdrLen + h.length
	}
	for {
		if h.indefinite {
			if end-off >= 2 && b[off] == 0 && b[off+1] == 0 {
				off += 2
				break
			}
			if off >= end {
				return nil, 0, false, malformed("missing end-of-contents")
			}
		} else if off >= end {
			break
		}
		child, n, ch, err := normalize(b[off:end], depth+1)
		if err != nil {
			return nil, 0, false, err
		}
		parts = append(parts, child)
		anyChanged = anyChanged || ch
		off += n
	}
	used = off
	octet := len(tag) == 1 && tag[0] == 0x24 // constructed OCTET STRING
	if !anyChanged && !octet {
		return b[:used], used, false, nil
	}
	if octet {
		for _, p := range parts {
			ph, err := readHeader(p)
			if err != nil || p[0] != 0x04 {
				return nil, 0, false, malformed("constructed OCTET STRING segment")
			}
			content = append(content, p[ph.hdrLen:]...)
		}
		return appendTLV(nil, []byte{0x04}, content), used, true, nil
	}
	for _, p := range parts {
		content = append(content, p...)
	}
	return appendTLV(nil, tag, content), used, true, nil
}

// appendTLV appends tag, the minimal DER length of v and v.
func appendTLV(dst, tag, v []byte) []byte {
	dst = append(dst, tag...)
	dst = appendLength(dst, len(v))
	return append(dst, v...)
}

func appendLength(dst []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(dst, byte(n))
	case n < 0x100:
		return append(dst, 0x81, byte(n))
	case n < 0x10000:
		return append(dst, 0x82, byte(n>>8), byte(n))
	case n < 0x1000000:
		return append(dst, 0x83, byte(n>>16), byte(n>>8), byte(n))
	default:
		return append(dst, 0x84, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}

// Unwrap strips one outer BER element with the one-byte tag want (such as
// the ICAO 0x77 of EF.SOD) and returns its content converted to DER
// lengths. Bytes after the element give ErrTrailing.
func Unwrap(b []byte, want byte) ([]byte, error) {
	if len(b) == 0 || b[0] != want {
		return nil, malformed(fmt.Sprintf("outer tag %02X", want))
	}
	n, err := ElementLen(b)
	if err != nil {
		return nil, err
	}
	if n != len(b) {
		return nil, &Error{Field: fmt.Sprintf("after tag %02X", want), Err: ErrTrailing}
	}
	h, _ := readHeader(b)
	if !h.indefinite {
		return b[h.hdrLen:n], nil
	}
	return b[h.hdrLen : n-2], nil
}
