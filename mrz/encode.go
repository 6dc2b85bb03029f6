package mrz

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/cancuoc/sdk/cccd"
)

// Fields is what the generic encoders write. Strings are upper-cased; the
// names may carry diacritics and are transliterated (see [Transliterate]).
//
// Fields holds personal data: it prints masked like [Document].
type Fields struct {
	DocumentCode   string // 1 or 2 letters: "P", "PP", "I", "ID", "AC"...
	Issuer         string // issuing state or organisation, such as "UTO" or "D"
	DocumentNumber string // up to 9 characters; TD1 and TD2 take longer ones
	// OptionalData is TD1 optional data 1, the TD2 or visa optional data,
	// or the TD3 personal number.
	OptionalData  string
	OptionalData2 string // TD1 optional data 2
	BirthDate     Date
	Sex           Sex  // zero writes "<"
	ExpiryDate    Date // ignored when NoExpiry is set
	NoExpiry      bool // writes 991231
	Nationality   string
	Surname       string
	GivenNames    string
}

// String returns a masked summary.
func (f Fields) String() string {
	return "mrz.Fields{" + f.DocumentCode + " " + f.Issuer + " number " + maskTail(f.DocumentNumber) + "}"
}

// GoString is the masked form too.
func (f Fields) GoString() string { return f.String() }

// Format makes every fmt verb print the masked form.
func (f Fields) Format(s fmt.State, verb rune) { fmt.Fprint(s, f.String()) }

// LogValue masks the fields in slog output.
func (f Fields) LogValue() slog.Value { return slog.StringValue(f.String()) }

// Fields returns the document's fields, full values, such that encoding them
// in the same layout gives the same MRZ (up to the name's transliteration,
// which is already done).
func (d Document) Fields() Fields {
	return Fields{
		DocumentCode: d.code, Issuer: d.issuer, DocumentNumber: d.number,
		OptionalData: d.optionalForEncode(), OptionalData2: d.opt2,
		BirthDate: d.birth, Sex: d.sex, ExpiryDate: d.expiry, NoExpiry: d.noExpiry,
		Nationality: d.nation, Surname: d.Surname(), GivenNames: d.GivenNames(),
	}
}

func (d Document) optionalForEncode() string {
	if d.format == TD3 {
		return d.personal
	}
	return d.opt1
}

// EncodeTD1 writes a TD1 (3 x 30) and checks it like [Parse] does.
func EncodeTD1(f Fields) (Document, error) { return encode(&td1, f) }

// EncodeTD2 writes a TD2 (2 x 36) and checks it like [Parse] does.
func EncodeTD2(f Fields) (Document, error) { return encode(&td2, f) }

// EncodeTD3 writes a TD3 (2 x 44) and checks it like [Parse] does. An empty
// personal number gets "<" as its check digit.
func EncodeTD3(f Fields) (Document, error) { return encode(&td3, f) }

// EncodeMRVA writes a visa of format A (2 x 44, ICAO 9303-7) and checks it
// like [Parse] does; the document code starts with V.
func EncodeMRVA(f Fields) (Document, error) { return encode(&mrva, f) }

// EncodeMRVB writes a visa of format B (2 x 36, ICAO 9303-7) and checks it
// like [Parse] does; the document code starts with V.
func EncodeMRVB(f Fields) (Document, error) { return encode(&mrvb, f) }

// writer fills a fixed MRZ buffer field by field and records what does not
// fit.
type writer struct {
	buf  *[bufSize]byte
	errs []*FieldError
}

// put writes s at off, padded with "<" to width. Lower case is upper-cased
// and spaces become "<"; any other character outside the alphabet, or a
// value longer than width, is an ErrField.
func (w *writer) put(field string, off, width int, s string) {
	if len(s) > width {
		w.errs = append(w.errs, &FieldError{Field: field, Offset: off, Err: ErrField})
		return
	}
	for i := 0; i < width; i++ {
		c := byte('<')
		if i < len(s) {
			c = s[i]
			switch {
			case c >= 'a' && c <= 'z':
				c -= 'a' - 'A'
			case c == ' ':
				c = '<'
			case !allowed(c, anyChar):
				w.errs = append(w.errs, &FieldError{Field: field, Offset: off + i, Err: ErrField})
				return
			}
		}
		w.buf[off+i] = c
	}
}

func (w *writer) date(off int, d Date) {
	copy(w.buf[off:off+6], appendDate(make([]byte, 0, 6), d))
	w.digit(off, off+6, off+6)
}

// digit writes the check digit of buf[from:to] at at.
func (w *writer) digit(from, to, at int) {
	w.buf[at] = CheckDigit(string(w.buf[from:to]))
}

func encode(g *geometry, f Fields) (Document, error) {
	var buf [bufSize]byte
	w := writer{buf: &buf}
	n := g.width * g.lines
	w.put(FieldDocumentCode, 0, 2, f.DocumentCode)
	w.put(FieldIssuer, 2, 3, f.Issuer)
	num := g.number
	switch {
	case len(f.DocumentNumber) <= 9:
		w.put(FieldDocumentNumber, num, 9, f.DocumentNumber)
		w.digit(num, num+9, num+9)
		w.put(FieldOptional1, g.opt1, g.opt1Len, f.OptionalData)
	case g.longNumber:
		// ICAO 9303-5 4.2.2 note j: first 9 characters, "<", then the rest,
		// the check digit and "<" at the start of the optional data.
		w.put(FieldDocumentNumber, num, 9, f.DocumentNumber[:9])
		buf[num+9] = '<'
		rest := f.DocumentNumber[9:]
		w.put(FieldOptional1, g.opt1, g.opt1Len, rest+"0<"+f.OptionalData)
		if len(w.errs) == 0 {
			sum, i := checkSum(string(buf[num:num+9]), 0, 0)
			sum, _ = checkSum(string(buf[g.opt1:g.opt1+len(rest)]), sum, i)
			buf[g.opt1+len(rest)] = byte('0' + sum%10)
		}
	default:
		w.errs = append(w.errs, &FieldError{Field: FieldDocumentNumber, Offset: num, Err: ErrField})
	}
	if g.opt1Check >= 0 {
		if f.OptionalData == "" {
			buf[g.opt1Check] = '<'
		} else {
			w.digit(g.opt1, g.opt1+g.opt1Len, g.opt1Check)
		}
	}
	if g.opt2Len > 0 {
		w.put(FieldOptional2, g.opt2, g.opt2Len, f.OptionalData2)
	}
	w.date(g.birth, f.BirthDate)
	switch f.Sex {
	case 0:
		buf[g.sex] = '<'
	default:
		buf[g.sex] = byte(f.Sex)
	}
	if f.NoExpiry {
		copy(buf[g.expiry:], noExpiry)
		w.digit(g.expiry, g.expiry+6, g.expiry+6)
	} else {
		w.date(g.expiry, f.ExpiryDate)
	}
	w.put(FieldNationality, g.nation, 3, f.Nationality)
	name, cut, err := nameField(f.Surname, f.GivenNames, g.nameLen)
	if err != nil {
		w.errs = append(w.errs, &FieldError{Field: FieldName, Offset: g.name, Err: err})
	} else {
		copy(buf[g.name:], name)
	}
	if len(w.errs) > 0 {
		return Document{}, &ValidationError{Errors: w.errs}
	}
	return finish(g, &buf, n, cut, f.BirthDate)
}

// finish fills the composite, checks the result like Parse and keeps the
// caller's birth century.
func finish(g *geometry, buf *[bufSize]byte, n int, cut bool, birth Date) (Document, error) {
	if g.composite >= 0 {
		sum, i := 0, 0
		for _, r := range g.parts {
			sum, i = checkSum(buf[r[0]:r[1]], sum, i)
		}
		buf[g.composite] = byte('0' + sum%10)
	}
	p := parser{g: g, now: time.Now()}
	d := p.decode(buf, n, lineSource{})
	if len(p.errs) > 0 {
		return Document{}, &ValidationError{Errors: p.errs, Document: d}
	}
	if birth.Year%100 == d.birth.Year%100 {
		d.birth.Year = birth.Year
	}
	d.cut = cut
	return d, nil
}

// Holder is what a Vietnamese card's MRZ is written from.
//
// Holder holds personal data: it prints masked.
type Holder struct {
	Number    cccd.Number // the 12-digit personal identification number
	Name      string      // full name as printed, family name first: "Nguyễn Văn Đức"
	BirthDate time.Time
	Sex       cccd.Sex
	// ExpiryDate is the card's expiry; the zero time means the card never
	// expires (holders aged 60 and over), written 991231.
	ExpiryDate time.Time
}

// String returns a masked summary.
func (h Holder) String() string { return "mrz.Holder{number " + h.Number.String() + "}" }

// GoString is the masked form too.
func (h Holder) GoString() string { return h.String() }

// Format makes every fmt verb print the masked form.
func (h Holder) Format(s fmt.State, verb rune) { fmt.Fprint(s, h.String()) }

// LogValue masks the holder in slog output.
func (h Holder) LogValue() slog.Value { return slog.StringValue(h.String()) }

// EncodeCCCD writes the three TD1 lines of a Vietnamese chip card in the
// card's profile (see the package documentation and vietnam.go): document
// code ID, issuer and nationality VNM, the number's last nine digits as the
// document number, the full number with its own check digit in optional
// data 1, and the name as FAMILY<<MIDDLE<GIVEN. The first word of Name is
// the family name. The number must agree with the birth year and sex.
// [Document.NameTruncated] reports whether the name was cut to fit.
func EncodeCCCD(h Holder) (Document, error) {
	if err := h.Number.Matches(h.BirthDate, h.Sex); err != nil {
		return Document{}, &ValidationError{Errors: []*FieldError{{Field: FieldPersonalNumber, Offset: vnNumber, Err: fmt.Errorf("%w: %w", ErrProfile, err)}}}
	}
	digits := h.Number.Digits()
	var buf [bufSize]byte
	b := buf[:0]
	b = append(b, "IDVNM"...)
	b = append(b, digits[3:]...)
	b = append(b, CheckDigit(digits[3:]))
	b = append(b, digits...)
	b = append(b, "<<"...)
	b = append(b, CheckDigit(digits))
	birth := DateOf(h.BirthDate)
	b = appendDate(b, birth)
	b = append(b, CheckDigit(string(b[30:36])))
	b = append(b, byte(SexOf(h.Sex)))
	if h.ExpiryDate.IsZero() {
		b = append(b, noExpiry...)
	} else {
		b = appendDate(b, DateOf(h.ExpiryDate))
	}
	b = append(b, CheckDigit(string(b[38:44])))
	b = append(b, "VNM<<<<<<<<<<<0"...) // composite filled by finish
	family, given := splitFullName(h.Name)
	name, cut, err := nameField(family, given, td1.nameLen)
	if err != nil {
		return Document{}, &ValidationError{Errors: []*FieldError{{Field: FieldName, Offset: td1.name, Err: err}}}
	}
	b = append(b, name...)
	return finish(&td1, &buf, len(b), cut, birth)
}

// splitFullName splits a Vietnamese full name into the family name (the
// first word) and the rest.
func splitFullName(name string) (family, given string) {
	name = trimSpace(name)
	for i := 0; i < len(name); i++ {
		if name[i] == ' ' || name[i] == '\t' {
			return name[:i], trimSpace(name[i+1:])
		}
	}
	return name, ""
}

func trimSpace(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}
