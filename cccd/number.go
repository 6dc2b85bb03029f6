package cccd

import (
	"database/sql/driver"
	"fmt"
	"io"
	"log/slog"
	"math/bits"
	"strconv"
	"time"
)

// Number is a parsed 12-digit personal identification number. It is a small
// comparable value; the zero Number means "no number".
//
// A Number is personal data: String, Format (%v, %s, %q, %#v), GoString and
// LogValue print it masked, keeping the province code and the last two
// digits (079*******45). Digits returns the full value, and so do the
// encodings (MarshalText, JSON, database/sql), which exist to store or
// transmit the number and are therefore explicit requests for it.
type Number struct {
	v uint64 // validBit | the 12 digits as an integer (< 10^12 < 2^40)
}

const validBit = 1 << 40

// Sex is the holder's sex as encoded by the number's fourth digit. The
// zero value is unknown.
type Sex uint8

// The sexes the number encodes: an even fourth digit is male, odd female.
const (
	SexUnknown Sex = iota
	Male
	Female
)

// String returns "male", "female" or "unknown".
func (s Sex) String() string {
	switch s {
	case Male:
		return "male"
	case Female:
		return "female"
	}
	return "unknown"
}

// ParseOptions tunes validation. The zero value is the strict default:
// only the 63 province codes and the abroad range 100-299 are accepted, the
// birth year may not be in the future according to time.Now, and there is
// no lower bound on the birth year.
type ParseOptions struct {
	// AllowUnknownProvince accepts a prefix of the form 0xx that is not in
	// the province table. Whether births registered after the 2025 merger
	// get new codes is not published; a caller who would rather warn than
	// reject sets this and checks Province().Known(). Prefixes 300-999 are
	// rejected regardless.
	AllowUnknownProvince bool
	// Now returns the current time; nil means time.Now. The birth year
	// must not be after Now().Year(). (With nil, birth years up to 2026
	// are accepted without reading the clock, which cannot be earlier.)
	Now func() time.Time
	// MaxAge, when positive, rejects numbers whose holder would be older
	// than MaxAge years this year (Now().Year() - BirthYear() > MaxAge).
	MaxAge int
}

// Parse parses the strict form: exactly 12 ASCII digits, nothing else. It
// uses the zero ParseOptions. A 9-digit input of digits returns
// ErrLegacyNumber. Errors are *ParseError values wrapping ErrLength,
// ErrDigit, ErrProvince, ErrBirthYear or ErrLegacyNumber.
func Parse(s string) (Number, error) { return ParseOptions{}.Parse(s) }

// Parse parses the strict form under o; see the package-level Parse.
//
// It is written for speed, all in one function (no call on the path of a
// valid number): the digits are checked and converted eight and four bytes
// at a time ("SIMD within a register"), because a byte-at-a-time loop is a
// chain of twelve dependent multiply-adds; the prefix and birth year come
// from the partial sums, not from the value by division.
func (o ParseOptions) Parse(s string) (Number, error) {
	if len(s) != 12 {
		return Number{}, lengthError(s)
	}
	// Little-endian loads: s[0] is the lowest byte. The compiler merges
	// each expression into one load.
	lo := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	hi := uint64(s[8]) | uint64(s[9])<<8 | uint64(s[10])<<16 | uint64(s[11])<<24
	const (
		nib   = 0xF0F0F0F0F0F0F0F0
		zeros = 0x3030303030303030
		six   = 0x0606060606060606
	)
	// A byte is a digit when its high nibble is 3 and adding 6 to it does
	// not change that (its low nibble is at most 9). A carry out of a bad
	// byte only reaches higher bytes, so the lowest flagged byte is the
	// first bad one.
	badLo := (lo&nib ^ zeros) | ((lo+six)&nib ^ zeros)
	badHi := ((hi&nib ^ zeros) | ((hi+six)&nib ^ zeros)) & 0xFFFFFFFF
	if badLo|badHi != 0 {
		i := 8 + bits.TrailingZeros64(badHi)/8
		if badLo != 0 {
			i = bits.TrailingZeros64(badLo) / 8
		}
		return Number{}, &strictDigit[i%len(strictDigit)]
	}
	// Combine neighbours: bytes into pairs (d0*10+d1), pairs into fours.
	// No lane overflows: 9*10+9 and 99*100+99 fit in 8 and 16 bits. The
	// prefix (d0d1d2) and the birth year (century code d3, year d4d5) are
	// read off the way.
	lo -= zeros
	hi -= zeros & 0xFFFFFFFF
	d2, d3 := int(lo>>16&0xFF), int(lo>>24&0xFF)
	lo = (lo*10 + lo>>8) & 0x00FF00FF00FF00FF
	prefix := int(lo&0xFF)*10 + d2
	year := 1900 + d3/2*100 + int(lo>>32&0xFF)
	lo = (lo*100 + lo>>16) & 0x0000FFFF0000FFFF
	hi = (hi*10 + hi>>8) & 0x00FF00FF
	hi = (hi*100 + hi>>16) & 0xFFFF
	// The three groups of four digits are weighted in parallel rather
	// than folded one after the other: a shorter chain of multiplies.
	v := (lo&0xFFFF)*1e8 + (lo>>32)*1e4 + hi
	// The common case inline: a province prefix and a birth year the
	// clock has certainly reached (checkFields' first branches).
	known := provinceIndex[prefix&(len(provinceIndex)-1)] != 0
	if known && year <= clockFloorYear && o.Now == nil && o.MaxAge <= 0 {
		return Number{v: v | validBit}, nil
	}
	if !known && !o.AllowUnknownProvince && (prefix < abroadFirst || prefix > abroadLast) {
		return Number{}, &strictProvince
	}
	if pe := o.checkFields(prefix, year); pe != nil {
		return Number{}, pe
	}
	return Number{v: v | validBit}, nil
}

// firstNonDigit returns the index of the first byte of s that is not an
// ASCII digit (len(s) if none).
func firstNonDigit(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return i
		}
	}
	return len(s)
}

func allDigits(s string) bool { return firstNonDigit(s) == len(s) }

// lengthError explains an input that is not 12 bytes long, recognising the
// 9-digit legacy number.
func lengthError(s string) error {
	if len(s) == 9 && allDigits(s) {
		return &strictLegacy
	}
	return &strictLength[min(len(s), 12)]
}

// check validates the fields of a 12-digit value; offsets are positions in
// the 12 digits.
func (o ParseOptions) check(v uint64) *ParseError {
	return o.checkFields(int(v/1e9), birthYear(v))
}

// checkFields validates the prefix (0-999) and the birth year of a number.
func (o ParseOptions) checkFields(prefix, year int) *ParseError {
	switch {
	case provinceIndex[prefix&(len(provinceIndex)-1)] != 0:
	case prefix >= abroadFirst && prefix <= abroadLast:
	case prefix < 100 && o.AllowUnknownProvince:
	default:
		return &strictProvince
	}
	if year <= clockFloorYear && o.Now == nil && o.MaxAge <= 0 {
		return nil // not in the future, and reading the clock costs more than the rest of Parse
	}
	return o.checkYear(year)
}

// checkYear is the part of checkFields that reads the clock.
func (o ParseOptions) checkYear(year int) *ParseError {
	thisYear := o.now().Year()
	if year > thisYear || (o.MaxAge > 0 && thisYear-year > o.MaxAge) {
		return &strictBirthYear
	}
	return nil
}

// clockFloorYear is a year the system clock has certainly reached (this
// code was written in 2026): with the default clock, a birth year up to it
// is not in the future, so Parse skips reading the clock.
const clockFloorYear = 2026

// Births registered abroad carry a country code in 100-299 (spec: "treat
// 1xx/2xx as registered abroad").
const (
	abroadFirst = 100
	abroadLast  = 299
)

func birthYear(v uint64) int {
	g := int(v / 1e8 % 10)
	return 1900 + g/2*100 + int(v/1e6%100)
}

func (n Number) value() uint64 { return n.v &^ validBit }

// IsZero reports whether n is the zero Number (no number).
func (n Number) IsZero() bool { return n.v == 0 }

// Digits returns the full 12-digit number, or "" for the zero Number. It is
// the explicit way to get the unmasked value.
func (n Number) Digits() string {
	if n.IsZero() {
		return ""
	}
	var b [12]byte
	n.put(&b)
	return string(b[:])
}

func (n Number) put(b *[12]byte) {
	v := n.value()
	for i := 11; i >= 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
}

// String returns the masked number, such as 079*******45: the province code
// and the last two digits. The zero Number prints as "".
func (n Number) String() string {
	if n.IsZero() {
		return ""
	}
	var b [12]byte
	n.put(&b)
	for i := 3; i < 10; i++ {
		b[i] = '*'
	}
	return string(b[:])
}

// GoString returns the masked number as Go syntax, for %#v.
func (n Number) GoString() string { return "cccd.Number(" + strconv.Quote(n.String()) + ")" }

// Format prints the masked number for every verb: %v, %s and %+v print
// String, %q quotes it, %#v prints GoString.
func (n Number) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		io.WriteString(f, n.GoString())
	case verb == 'q':
		fmt.Fprintf(f, fmt.FormatString(f, verb), n.String())
	default:
		fmt.Fprintf(f, fmt.FormatString(f, 's'), n.String())
	}
}

// LogValue logs the masked number.
func (n Number) LogValue() slog.Value { return slog.StringValue(n.String()) }

// Province returns where the birth was registered. For a number of a birth
// registered abroad, Abroad is set and Code is the country code; for an
// unknown prefix accepted by ParseOptions.AllowUnknownProvince, only Code is
// set. The zero Number returns the zero Province.
func (n Number) Province() Province {
	if n.IsZero() {
		return Province{}
	}
	prefix := n.value() / 1e9
	if i := provinceIndex[prefix]; i != 0 {
		return provinceTable[i-1]
	}
	return Province{Code: codeString(int(prefix)), Abroad: prefix >= abroadFirst && prefix <= abroadLast}
}

// Sex returns the sex encoded by the fourth digit: even male, odd female.
func (n Number) Sex() Sex {
	if n.IsZero() {
		return SexUnknown
	}
	if n.value()/1e8%2 == 0 {
		return Male
	}
	return Female
}

// BirthYear returns the birth year encoded by digits 4-6: the century from
// the fourth digit (0/1: 1900s, 2/3: 2000s, ... 8/9: 2300s) and the last two
// digits of the year. The zero Number returns 0.
func (n Number) BirthYear() int {
	if n.IsZero() {
		return 0
	}
	return birthYear(n.value())
}

// Century returns the first year of the birth century: 1900, 2000, 2100,
// 2200 or 2300. The zero Number returns 0.
func (n Number) Century() int {
	if n.IsZero() {
		return 0
	}
	return n.BirthYear() / 100 * 100
}

// Serial returns the last six digits, the random part (format it with
// %06d). It is personal data. The zero Number returns 0.
func (n Number) Serial() int { return int(n.value() % 1e6) }

// Matches reports whether the number agrees with the holder's birth date
// and sex, as read from DG13, the MRZ or the card face. It fails closed: a
// zero Number, an unknown sex or a zero birth date is a mismatch. The error
// is a *MismatchError naming the first field that disagrees.
func (n Number) Matches(birthDate time.Time, sex Sex) error {
	switch {
	case n.IsZero():
		return &MismatchError{Field: "number"}
	case sex == SexUnknown || sex != n.Sex():
		return &MismatchError{Field: "sex"}
	case birthDate.IsZero() || birthDate.Year() != n.BirthYear():
		return &MismatchError{Field: "birth_year"}
	}
	return nil
}

// MarshalText returns the full 12 digits (empty for the zero Number):
// encoding is an explicit request for the value.
func (n Number) MarshalText() ([]byte, error) {
	if n.IsZero() {
		return []byte{}, nil
	}
	var b [12]byte
	n.put(&b)
	return b[:], nil
}

// UnmarshalText parses the strict 12-digit form with the zero ParseOptions
// (so it rejects unknown province codes, which Scan accepts); empty text
// gives the zero Number.
func (n *Number) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*n = Number{}
		return nil
	}
	v, err := Parse(string(text))
	if err != nil {
		return err
	}
	*n = v
	return nil
}

// Scan implements sql.Scanner: NULL gives the zero Number; a string,
// []byte or int64 (leading zeros lost) is parsed strictly, except that a
// 0xx prefix missing from the province table is accepted, as with
// ParseOptions.AllowUnknownProvince: a stored number was validated when it
// was stored, and a caller who accepted an unknown prefix must be able to
// read it back.
func (n *Number) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
		*n = Number{}
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	case int64:
		if v < 0 || v >= 1e12 {
			return &ParseError{Field: "number", Offset: 0, Err: ErrLength}
		}
		s = Number{v: uint64(v)}.Digits()
	default:
		return fmt.Errorf("cccd: cannot scan a %T into a Number", src)
	}
	v, err := ParseOptions{AllowUnknownProvince: true}.Parse(s)
	if err != nil {
		return err
	}
	*n = v
	return nil
}

// Value implements driver.Valuer: the full 12 digits as a string (a
// database column is where the full value belongs), or NULL for the zero
// Number.
func (n Number) Value() (driver.Value, error) {
	if n.IsZero() {
		return nil, nil
	}
	return n.Digits(), nil
}
