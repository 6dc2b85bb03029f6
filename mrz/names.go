package mrz

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Transliterate writes a name in the MRZ alphabet (ICAO 9303-3 4.6 and
// Appendix B, as Vietnamese cards print names): it decomposes the text (NFD), drops the combining
// marks, writes Đ and đ as D, upper-cases, turns spaces and hyphens into
// one "<" and drops apostrophes. So "Nguyễn Văn Đức" becomes
// "NGUYEN<VAN<DUC". Letters that do not decompose to A-Z (other than Đ),
// digits and other symbols fail with [ErrName]; Vietnamese needs no
// expansions such as AE for Ä.
func Transliterate(name string) (string, error) {
	b := make([]byte, 0, len(name))
	sep := false // a separator is pending
	var it norm.Iter
	it.InitString(norm.NFD, name)
	for !it.Done() {
		seg := it.Next() // one decomposed segment: a base and its marks
		for len(seg) > 0 {
			r, size := utf8.DecodeRune(seg)
			seg = seg[size:]
			switch {
			case unicode.Is(unicode.Mn, r):
				continue
			case r == '\'' || r == '\u2019' || r == '\u02bc' || r == '\u2018':
				continue
			case r == ' ' || r == '-' || r == '\t' || r == '\u00a0' || r == '\u2010':
				sep = len(b) > 0
				continue
			case r == 'Đ' || r == 'đ':
				r = 'D'
			case r >= 'a' && r <= 'z':
				r -= 'a' - 'A'
			case r >= 'A' && r <= 'Z':
			default:
				return "", errNameCharacter
			}
			if sep {
				b = append(b, '<')
				sep = false
			}
			b = append(b, byte(r))
		}
	}
	return string(b), nil
}

// errNameCharacter is ErrName for a character that is not a letter with a
// Latin base, a space, a hyphen or an apostrophe. It does not say which:
// a name is personal data.
var errNameCharacter = fmt.Errorf("%w: it holds a character other than a letter A-Z (with or without marks), Đ, a space, a hyphen or an apostrophe", ErrName)

// nameField writes the name field of the given width: primary identifier,
// "<<", secondary identifiers, padded with "<". When the name does not fit
// (ICAO 9303-5 4.2.2.3 and the examples of 4.2.3) characters are cut from the family name until "<<"
// and at least the first letter of the first given name fit, then the given
// names are cut at the end; the last position then holds a letter, which is
// how a reader tells that the name was truncated (one more character of the
// family name goes when the cut would end on a filler).
func nameField(surname, given string, width int) (field string, cut bool, err error) {
	fam, err := Transliterate(surname)
	if err != nil {
		return "", false, err
	}
	giv, err := Transliterate(given)
	if err != nil {
		return "", false, err
	}
	if fam == "" && giv == "" {
		return "", false, fmt.Errorf("%w: the name is empty", ErrName)
	}
	join := func(f string) string {
		if giv == "" {
			return f
		}
		return f + "<<" + giv
	}
	full := join(fam)
	if len(full) <= width {
		return full + strings.Repeat("<", width-len(full)), false, nil
	}
	if giv == "" {
		return fam[:width], true, nil
	}
	if len(fam)+3 > width {
		fam = strings.TrimRight(fam[:width-3], "<")
	}
	for {
		s := join(fam)
		if len(s) <= width {
			return s + strings.Repeat("<", width-len(s)), true, nil
		}
		s = s[:width]
		if s[width-1] != '<' || len(fam) <= 1 {
			return s, true, nil
		}
		fam = strings.TrimRight(fam[:len(fam)-1], "<")
	}
}
