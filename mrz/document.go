package mrz

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/cancuoc/sdk/cccd"
)

// Layout is the format of an MRZ (ICAO 9303 parts 4 to 7).
type Layout uint8

// The formats Parse recognises by their shape.
const (
	TD1  Layout = iota + 1 // ID card, 3 lines of 30
	TD2                    // ID card, 2 lines of 36
	TD3                    // passport, 2 lines of 44
	MRVA                   // visa A, 2 lines of 44
	MRVB                   // visa B, 2 lines of 36
)

// String returns "TD1", "TD2", "TD3", "MRV-A" or "MRV-B".
func (f Layout) String() string {
	switch f {
	case TD1:
		return "TD1"
	case TD2:
		return "TD2"
	case TD3:
		return "TD3"
	case MRVA:
		return "MRV-A"
	case MRVB:
		return "MRV-B"
	}
	return "unknown"
}

// Sex is the sex field of an MRZ.
type Sex byte

// Values of the sex field (ICAO 9303-3, 4.2.2: X or "<" for unspecified).
const (
	Male        Sex = 'M'
	Female      Sex = 'F'
	Unspecified Sex = 'X'
	NotStated   Sex = '<'
)

// SexOf returns the MRZ sex of a cccd.Sex: Male, Female, or Unspecified
// for cccd.SexUnknown.
func SexOf(s cccd.Sex) Sex {
	switch s {
	case cccd.Male:
		return Male
	case cccd.Female:
		return Female
	}
	return Unspecified
}

// CCCD returns s as a cccd.Sex, the type of cccd.Number.Sex,
// cccd.Number.Matches and chip.Holder: cccd.Male, cccd.Female, or
// cccd.SexUnknown for Unspecified, NotStated and any other value.
func (s Sex) CCCD() cccd.Sex {
	switch s {
	case Male:
		return cccd.Male
	case Female:
		return cccd.Female
	}
	return cccd.SexUnknown
}

// String returns the MRZ character, or "" for a value that is not one.
func (s Sex) String() string {
	switch s {
	case Male:
		return "M"
	case Female:
		return "F"
	case Unspecified:
		return "X"
	case NotStated:
		return "<"
	}
	return ""
}

// Document is a machine-readable zone that passed every check, as returned
// by [Parse] or by the encoders.
//
// It holds personal data. Printing it with fmt (any verb), slog or String
// shows a masked form; the full values need the explicit accessors.
type Document struct {
	format   Layout
	lines    [3]string // the MRZ lines (often substrings of the parsed text)
	code     string
	issuer   string
	number   string
	opt1     string
	opt2     string
	personal string // TD3 personal number; the 12-digit number on a Vietnamese card
	birth    Date
	sex      Sex
	expiry   Date
	noExpiry bool
	nation   string
	surname  string // primary identifier as printed: "<" between words, no fillers at the ends
	given    string // secondary identifiers, likewise
	cut      bool
	cccd     cccd.Number
	vn       bool
}

// Layout returns the MRZ format (TD1, TD2, TD3, MRV-A or MRV-B).
func (d Document) Layout() Layout { return d.format }

// DocumentCode returns the document code with trailing fillers removed,
// such as "ID", "I", "P" or "PP".
func (d Document) DocumentCode() string { return d.code }

// Issuer returns the issuing state or organisation code, such as "VNM" or
// "D" (fillers removed).
func (d Document) Issuer() string { return d.issuer }

// DocumentNumber returns the full document number (with the continuation of
// a long number), without fillers.
func (d Document) DocumentNumber() string { return d.number }

// OptionalData returns the optional data fields with trailing fillers
// removed: TD1 has two, TD2 and the visas one (second is empty), TD3 none
// (see [Document.PersonalNumber]). On a long document number the first
// starts after the number's continuation.
func (d Document) OptionalData() (first, second string) { return d.opt1, d.opt2 }

// PersonalNumber returns the TD3 personal number field, or the 12-digit
// number of a Vietnamese card, or "".
func (d Document) PersonalNumber() string { return d.personal }

// BirthDate returns the birth date; its century is inferred (see [Options]).
func (d Document) BirthDate() Date { return d.birth }

// ExpiryDate returns the expiry date; ok is false when the document never
// expires (991231).
func (d Document) ExpiryDate() (date Date, ok bool) {
	if d.noExpiry {
		return Date{}, false
	}
	return d.expiry, true
}

// Sex returns the sex field.
func (d Document) Sex() Sex { return d.sex }

// Nationality returns the nationality code (fillers removed).
func (d Document) Nationality() string { return d.nation }

// Surname returns the primary identifier with "<" read as a space.
// It renders the field on each call: a name of several words costs one
// small allocation (parsing itself allocates nothing).
func (d Document) Surname() string { return spaced(d.surname) }

// GivenNames returns the secondary identifiers separated by spaces,
// rendered on each call like [Document.Surname].
func (d Document) GivenNames() string { return spaced(d.given) }

// spaced returns a name part with every run of "<" written as one space.
func spaced(part string) string {
	if indexByte(part, '<') < 0 {
		return part
	}
	b := make([]byte, 0, len(part))
	for i := 0; i < len(part); i++ {
		if part[i] == '<' {
			if part[i-1] != '<' {
				b = append(b, ' ')
			}
			continue
		}
		b = append(b, part[i])
	}
	return string(b)
}

// NameTruncated reports, for an encoded document, whether the name was cut
// to fit. For a parsed one it reports whether the name fills its field and
// ends in a letter, which is how ICAO marks a possibly truncated name.
func (d Document) NameTruncated() bool { return d.cut }

// CCCD returns the 12-digit personal identification number of a Vietnamese
// card (document code I*, issuer VNM, TD1); ok is false on other documents.
func (d Document) CCCD() (n cccd.Number, ok bool) { return d.cccd, d.vn }

// Lines returns the MRZ lines.
func (d Document) Lines() []string {
	w := d.width()
	if w == 0 {
		return nil
	}
	n := 2
	if d.format == TD1 {
		n = 3
	}
	return append([]string(nil), d.lines[:n]...)
}

// at returns the MRZ characters at offsets [from, to) of the MRZ without
// line breaks; the range lies within one line.
func (d Document) at(from, to int) string {
	w := d.width()
	if from >= to || w == 0 {
		return ""
	}
	line := from / w
	return d.lines[line][from-line*w : to-line*w]
}

// Text returns the MRZ lines joined by "\n", without a final newline.
func (d Document) Text() string { return strings.Join(d.Lines(), "\n") }

func (d Document) width() int {
	switch d.format {
	case TD1:
		return 30
	case TD2, MRVB:
		return 36
	case TD3, MRVA:
		return 44
	}
	return 0
}

// String returns a masked summary: format, codes, the last two characters
// of the document number and the initials.
func (d Document) String() string {
	if d.format == 0 {
		return "mrz.Document{}"
	}
	var b strings.Builder
	b.WriteString("mrz.Document{")
	b.WriteString(d.format.String())
	b.WriteString(" ")
	b.WriteString(d.code)
	b.WriteString(" ")
	b.WriteString(d.issuer)
	b.WriteString(" number ")
	b.WriteString(maskTail(d.number))
	b.WriteString(" name ")
	b.WriteString(initials(d.surname, d.given))
	b.WriteString("}")
	return b.String()
}

// GoString is the masked form too, so %#v does not reveal the fields.
func (d Document) GoString() string { return d.String() }

// Format makes every fmt verb print the masked form.
func (d Document) Format(f fmt.State, verb rune) { fmt.Fprint(f, d.String()) }

// LogValue masks the document in slog output.
func (d Document) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("format", d.format.String()),
		slog.String("code", d.code),
		slog.String("issuer", d.issuer),
		slog.String("number", maskTail(d.number)),
	)
}

// maskTail keeps the last two characters of s.
func maskTail(s string) string {
	if len(s) <= 2 {
		return strings.Repeat("*", len(s))
	}
	return strings.Repeat("*", len(s)-2) + s[len(s)-2:]
}

// initials returns "N. V. D." style initials of the name.
func initials(surname, given string) string {
	var b strings.Builder
	f := func(r rune) bool { return r == ' ' || r == '<' }
	for _, w := range strings.FieldsFunc(surname+"<"+given, f) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte(w[0])
		b.WriteByte('.')
	}
	return b.String()
}

func (d Document) geometry() *geometry {
	switch d.format {
	case TD1:
		return &td1
	case TD2:
		return &td2
	case TD3:
		return &td3
	case MRVA:
		return &mrva
	case MRVB:
		return &mrvb
	}
	return nil
}
