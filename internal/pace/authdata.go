package pace

import (
	"fmt"

	"github.com/cancuoc/sdk/internal/tlv"
)

// AuthData is GENERAL AUTHENTICATE's dynamic authentication data: a '7C'
// template of context-specific data objects (ICAO 9303-11 section 4.4.4,
// ISO/IEC 7816-4 section 7.5.2).
type AuthData struct {
	tags   []byte
	values [][]byte
}

// Add appends a data object.
func (a *AuthData) Add(tag byte, value []byte) *AuthData {
	a.tags = append(a.tags, tag)
	a.values = append(a.values, value)
	return a
}

// Get returns the value of the first object with the tag.
func (a *AuthData) Get(tag byte) ([]byte, bool) {
	for i, t := range a.tags {
		if t == tag {
			return a.values[i], true
		}
	}
	return nil, false
}

// Encode returns 7C L { objects }.
func (a *AuthData) Encode() []byte {
	var inner []byte
	for i, t := range a.tags {
		inner = append(inner, t)
		inner = tlv.AppendLength(inner, len(a.values[i]))
		inner = append(inner, a.values[i]...)
	}
	out := []byte{0x7C}
	out = tlv.AppendLength(out, len(inner))
	return append(out, inner...)
}

// ParseAuthData decodes a '7C' template whose objects have one-byte
// context-specific tags (80 to 9F), with nothing after it. Values alias b.
func ParseAuthData(b []byte) (*AuthData, error) {
	tag, value, _, rest, err := tlv.Next(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if tag != 0x7C || len(rest) != 0 {
		return nil, fmt.Errorf("%w: want one 7C template, got tag %X and %d more bytes", ErrMalformed, tag, len(rest))
	}
	a := &AuthData{}
	for off := 0; len(value) > 0; {
		t, v, _, next, err := tlv.Next(value)
		if err != nil {
			return nil, fmt.Errorf("%w: at offset %d: %v", ErrMalformed, off, err)
		}
		if t < 0x80 || t > 0x9F {
			return nil, fmt.Errorf("%w: at offset %d: tag %X", ErrMalformed, off, t)
		}
		a.Add(byte(t), v)
		off += len(value) - len(next)
		value = next
	}
	return a, nil
}
