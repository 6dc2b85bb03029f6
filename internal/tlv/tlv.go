package tlv

import (
	"errors"
	"strconv"
)

// MaxDepth bounds nesting: Parse descends at most this many constructed
// levels, and an indefinite-length value may nest at most this many
// indefinite-length values. ICAO files nest fewer than ten levels.
const MaxDepth = 32

// Sentinel errors, wrapped by *Error.
var (
	// ErrTruncated means a tag, length or value runs past the end of the input.
	ErrTruncated = errors.New("tlv: truncated")
	// ErrTag means a tag longer than four bytes, or a multi-byte tag whose
	// continuation bytes are malformed.
	ErrTag = errors.New("tlv: malformed tag")
	// ErrLength means a length form this reader does not accept: more than
	// four length bytes (85..FF), or a length beyond the input.
	ErrLength = errors.New("tlv: unsupported length")
	// ErrIndefinite means an indefinite length on a primitive value, or an
	// indefinite-length value without its end-of-contents octets.
	ErrIndefinite = errors.New("tlv: malformed indefinite length")
	// ErrDepth means nesting deeper than MaxDepth.
	ErrDepth = errors.New("tlv: nesting too deep")
	// ErrTrailing means bytes after the last complete element where none
	// were expected.
	ErrTrailing = errors.New("tlv: trailing data")
)

// Error says where decoding failed: Offset is the byte offset, in the input
// given to Parse, of the element (or byte) that failed.
type Error struct {
	Offset int
	Err    error
}

// Error returns the sentinel's message and the offset.
func (e *Error) Error() string {
	return e.Err.Error() + " at offset " + strconv.Itoa(e.Offset)
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// Constructed reports whether tag has the constructed bit (bit 6 of its
// first byte) set.
func Constructed(tag uint32) bool {
	return firstByte(tag)&0x20 != 0
}

func firstByte(tag uint32) byte {
	switch {
	case tag > 0xFFFFFF:
		return byte(tag >> 24)
	case tag > 0xFFFF:
		return byte(tag >> 16)
	case tag > 0xFF:
		return byte(tag >> 8)
	}
	return byte(tag)
}

// ValidTag reports whether tag, written as its bytes in big-endian order
// (0x5F1F, 0x7F61, 0x61), is a well-formed BER tag: a single byte whose low
// five bits are not all set, or a first byte with low bits 11111 followed
// by continuation bytes (bit 8 set) and a final byte (bit 8 clear).
func ValidTag(tag uint32) bool {
	var b [4]byte
	n := putTag(&b, tag)
	var t uint32
	rest := b[4-n:]
	s := String(rest)
	if !s.readTag(&t) || t != tag || len(s) != 0 {
		return false
	}
	return true
}

func putTag(b *[4]byte, tag uint32) int {
	b[0], b[1], b[2], b[3] = byte(tag>>24), byte(tag>>16), byte(tag>>8), byte(tag)
	switch {
	case tag > 0xFFFFFF:
		return 4
	case tag > 0xFFFF:
		return 3
	case tag > 0xFF:
		return 2
	}
	return 1
}
