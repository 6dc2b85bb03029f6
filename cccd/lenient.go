package cccd

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// ParseLenient parses a number as people type it and OCR returns it, with
// the zero ParseOptions: surrounding whitespace, spaces, dots and hyphens
// between digits, and full-width digits ("０７９…") are accepted; any other
// character is ErrDigit. The digits that remain are then checked like
// Parse checks them, and error offsets are byte offsets in s.
func ParseLenient(s string) (Number, error) { return ParseOptions{}.ParseLenient(s) }

// ParseLenient parses the lenient form under o; see the package-level
// ParseLenient. It does not allocate for a valid number.
func (o ParseOptions) ParseLenient(s string) (Number, error) {
	var (
		v    uint64
		n    int
		offs [12]int // byte offset in s of each digit, to report errors there
	)
	for i, r := range s {
		d, ok := lenientRune(r)
		switch {
		case !ok:
			return Number{}, &ParseError{Field: "number", Offset: i, Err: ErrDigit}
		case d < 0: // separator
		case n == 12:
			return Number{}, &ParseError{Field: "number", Offset: i, Err: ErrLength}
		default:
			v = v*10 + uint64(d)
			offs[n] = i
			n++
		}
	}
	switch {
	case n == 9:
		return Number{}, &ParseError{Field: "number", Offset: offs[0], Err: ErrLegacyNumber}
	case n != 12:
		return Number{}, &ParseError{Field: "number", Offset: len(s), Err: ErrLength}
	}
	if pe := o.check(v); pe != nil {
		return Number{}, &ParseError{Field: pe.Field, Offset: offs[pe.Offset], Err: pe.Err}
	}
	return Number{v: v | validBit}, nil
}

// Normalize returns the digits of s after the lenient rules of
// ParseLenient: whitespace, dots and hyphens dropped, full-width digits
// narrowed. It fails with ErrDigit on any other character, but checks
// neither the length nor the fields: Parse the result for that (a 9-digit
// result is a legacy CMND number).
func Normalize(s string) (string, error) {
	var b strings.Builder
	for i, r := range s {
		d, ok := lenientRune(r)
		if !ok {
			return "", &ParseError{Field: "number", Offset: i, Err: ErrDigit}
		}
		if d >= 0 {
			if b.Len() == 0 {
				b.Grow(12)
			}
			b.WriteByte(byte('0' + d))
		}
	}
	return b.String(), nil
}

// lenientRune classifies r: a digit 0-9, a separator (-1), or not allowed.
// Separators are Unicode whitespace, '.', and the hyphens U+002D, U+2010
// and U+2011; their full-width forms narrow to these.
func lenientRune(r rune) (d int, ok bool) {
	if r >= utf8.RuneSelf {
		if p := width.LookupRune(r); p.Kind() == width.EastAsianFullwidth {
			if nr := p.Narrow(); nr != 0 {
				r = nr
			}
		}
	}
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), true
	case r == '.' || r == '-' || r == '\u2010' || r == '\u2011' || unicode.IsSpace(r):
		return -1, true
	}
	return 0, false
}
