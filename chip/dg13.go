package chip

import (
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/text/unicode/norm"

	"github.com/cancuoc/sdk/cccd"
	"github.com/cancuoc/sdk/internal/tlv"
)

// The field numbers of the CCCD's DG13, as observed on issued cards and read
// by public reader projects (the layout is issuer defined: ICAO 9303-10 4.7.13
// reserves DG13 for optional details of the issuing state).
const (
	DG13Number           = 1  // personal identification number, 12 digits
	DG13Name             = 2  // full name
	DG13BirthDate        = 3  // dd/mm/yyyy
	DG13Sex              = 4  // "Nam" or "Nữ"
	DG13Nationality      = 5  // "Việt Nam"
	DG13Ethnicity        = 6  // "Kinh"
	DG13Religion         = 7  // "Không"
	DG13PlaceOfOrigin    = 8  // quê quán
	DG13PlaceOfResidence = 9  // nơi thường trú
	DG13IdentifyingMarks = 10 // đặc điểm nhận dạng
	DG13IssueDate        = 11 // dd/mm/yyyy
	DG13ExpiryDate       = 12 // dd/mm/yyyy, or text such as "Không thời hạn"
	DG13Parents          = 13 // SEQUENCE { father, mother }, empty slot for an unknown parent
	DG13Spouse           = 14 // SEQUENCE { spouse }, absent when unmarried
	DG13OldNumber        = 15 // previous 9-digit CMND or 12-digit number
	DG13Other            = 16 // disputed between sources and card generations; kept as is
)

// NoExpiryText is what a CCCD writes in the expiry field of a card that
// does not expire.
const NoExpiryText = "Không thời hạn"

// DG13 is the CCCD's data group 13: the holder's personal data, issuer
// defined, in one of the two CCCD layouts below. Fields are selected by
// their number, never by position. A DG13 whose contents do not follow either CCCD layout is kept
// in Opaque, not rejected.
//
// It holds personal data: String and Format print only the field numbers.
type DG13 struct {
	// Version and OID are set in the layout 30 { 02 version, 06 OID, 31 {
	// fields } }; OID is "" in the layout 31 { fields } that some readers
	// build.
	Version int
	OID     string
	Fields  []DG13Field
	// Opaque holds the 6D contents when they are not a CCCD field set;
	// Fields is then nil.
	Opaque []byte
	// Padding counts the zero bytes after the TLV (some readers return the
	// whole file buffer).
	Padding int
	Raw     []byte // the file as received, padding included
}

// DG13Field is one field: 30 { 02 number, value }.
type DG13Field struct {
	Number int
	// Value is what follows the number, as received (usually one UTF8String
	// or one SEQUENCE).
	Value []byte
	// Text is the value as NFC-normalised text, when it is one string.
	Text string
	// Parts holds the texts of a value that is a sequence of strings
	// (parents, spouse), "" for an empty slot.
	Parts []string
	// Err says why the value could not be read as text (the field is kept
	// in Value). It is a *ParseError.
	Err error
}

// Field returns field n; when n occurs twice, the first one.
func (d *DG13) Field(n int) (DG13Field, bool) {
	for _, f := range d.Fields {
		if f.Number == n {
			return f, true
		}
	}
	return DG13Field{}, false
}

// Text returns the text of field n, or "" when it is absent or not text.
func (d *DG13) Text(n int) string {
	f, _ := d.Field(n)
	return f.Text
}

// ParseDG13 decodes the CCCD's DG13: 6D { 30 { 02 version, 06 OID, 31 {
// fields } } } or 6D { 31 { fields } }, with each field 30 { 02 n, value }.
// It fails only when the outer 6D TLV is malformed or followed by non-zero
// bytes; a field it cannot read is kept with its Err set, and contents in
// another layout are kept in Opaque.
func ParseDG13(b []byte) (*DG13, error) {
	const file = "DG13"
	tag, v, elem, rest, err := tlv.Next(b)
	if err != nil {
		return nil, tlvError(file, "", b, b, err)
	}
	if tag != dataGroupTags[13] {
		return nil, &ParseError{File: file, Field: "tag", Offset: 0, Err: ErrMalformed}
	}
	for i, c := range rest {
		if c != 0 {
			return nil, &ParseError{File: file, Offset: len(elem) + i, Err: ErrTrailingData}
		}
	}
	d := &DG13{Padding: len(rest), Raw: b}
	if !d.parseContents(b, v) {
		*d = DG13{Opaque: v, Padding: len(rest), Raw: b}
	}
	return d, nil
}

// parseContents reads either layout. It reports false when v is neither.
func (d *DG13) parseContents(file []byte, v tlv.String) bool {
	var set tlv.String
	var t uint32
	if !v.ReadAnyTLV(&set, &t) || !v.Empty() {
		return false
	}
	first, _ := set.PeekTag()
	switch {
	case t == 0x31: // 31 { fields }
	case t == 0x30 && first != 0x02: // 30 { fields }, seen from some readers
	case t == 0x30: // 30 { 02 version, 06 OID, 31 { fields } }
		seq := set
		var version int64
		var oid tlv.String
		if !seq.ReadInt(0x02, &version) || version < 0 || version > 1<<16 ||
			!seq.ReadElement(0x06, &oid) || !seq.ReadAnyTLV(&set, &t) || !seq.Empty() {
			return false
		}
		if t != 0x31 && t != 0x30 {
			return false
		}
		var o asn1.ObjectIdentifier
		cs := cryptobyte.String(oid)
		if !cs.ReadASN1ObjectIdentifier(&o) {
			return false
		}
		d.Version, d.OID = int(version), o.String()
	default:
		return false
	}
	// One allocation for the fields: growing the slice of 88-byte fields
	// one append at a time was a quarter of the decoding time. The count
	// is bounded so that a file of many tiny TLVs still grows the slice
	// only as its fields are read.
	n := 0
	for rest := set; n < maxDG13Fields && !rest.Empty() && rest.Skip(); {
		n++
	}
	if n > 0 {
		d.Fields = make([]DG13Field, 0, n)
	}
	for !set.Empty() {
		at := set
		var f tlv.String
		if !set.ReadTLV(0x30, &f) {
			// A field that breaks the framing ends the walk; the fields
			// before it stay.
			if !set.Skip() {
				d.Fields = append(d.Fields, DG13Field{Value: at, Err: elementError("DG13", "field", file, at)})
				return true
			}
			d.Fields = append(d.Fields, DG13Field{Value: at[:len(at)-len(set)], Err: malformed("DG13", "field", file, at)})
			continue
		}
		d.Fields = append(d.Fields, parseDG13Field(file, f))
	}
	return true
}

// maxDG13Fields bounds the fields parseContents allocates room for at once;
// a CCCD's DG13 has 16.
const maxDG13Fields = 32

func parseDG13Field(file []byte, f tlv.String) DG13Field {
	var n int64
	at := f
	if !f.ReadInt(0x02, &n) || n < 0 || n > 1<<16 {
		return DG13Field{Value: at, Err: malformed("DG13", "field number", file, at)}
	}
	field := DG13Field{Number: int(n), Value: f}
	name := strconv.Itoa(int(n))
	var elems []tlv.String
	var tags []uint32
	for s := f; !s.Empty(); {
		var e tlv.String
		var t uint32
		eat := s
		if !s.ReadAnyTLV(&e, &t) {
			field.Err = elementError("DG13", name, file, eat)
			return field
		}
		elems, tags = append(elems, e), append(tags, t)
	}
	switch {
	case len(elems) == 0:
		// A number without a value: an empty field.
	case len(elems) == 1 && (tags[0] == 0x30 || tags[0] == 0x31):
		parts, err := dg13Parts(file, name, elems[0])
		field.Parts, field.Err = parts, err
	case len(elems) == 1:
		text, ok := dg13Text(tags[0], elems[0])
		if !ok {
			field.Err = malformed("DG13", name, file, elems[0])
		}
		field.Text = text
	default: // several strings after the number: read them as parts.
		for i, e := range elems {
			text, ok := dg13Text(tags[i], e)
			if !ok {
				field.Err = malformed("DG13", name, file, e)
				field.Parts = nil
				break
			}
			field.Parts = append(field.Parts, text)
		}
	}
	return field
}

// dg13Parts reads a sequence of strings; an empty string or NULL is an
// empty slot.
func dg13Parts(file []byte, name string, s tlv.String) ([]string, error) {
	parts := []string{}
	for !s.Empty() {
		var e tlv.String
		var t uint32
		at := s
		if !s.ReadAnyTLV(&e, &t) {
			return nil, elementError("DG13", name, file, at)
		}
		text, ok := dg13Text(t, e)
		if !ok {
			return nil, malformed("DG13", name, file, at)
		}
		parts = append(parts, text)
	}
	return parts, nil
}

// dg13Text decodes a string value and normalises it to NFC. It accepts
// UTF8String, PrintableString, IA5String, VisibleString, OCTET STRING
// holding UTF-8, BMPString, and NULL as the empty string.
func dg13Text(tag uint32, v []byte) (string, bool) {
	switch tag {
	case 0x0C, 0x13, 0x16, 0x1A, 0x04:
		if !utf8.Valid(v) {
			return "", false
		}
		if isASCII(v) || norm.NFC.IsNormal(v) {
			return string(v), true
		}
		return string(norm.NFC.Bytes(v)), true
	case 0x1E:
		if len(v)%2 != 0 {
			return "", false
		}
		u := make([]uint16, len(v)/2)
		for i := range u {
			u[i] = uint16(v[2*i])<<8 | uint16(v[2*i+1])
		}
		return norm.NFC.String(string(utf16.Decode(u))), true
	case 0x05:
		return "", len(v) == 0
	}
	return "", false
}

func isASCII(v []byte) bool {
	for _, c := range v {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// DataGroupNumber returns 13.
func (d *DG13) DataGroupNumber() int { return 13 }

// Encode returns DG13 built from d: Opaque when set, else the fields in
// the layout with version and OID when OID is set, and without otherwise.
// Each field's Value is written as is. Padding is not written.
func (d *DG13) Encode() ([]byte, error) {
	var oid []byte
	if d.Opaque == nil && d.OID != "" {
		var err error
		if oid, err = marshalOID(d.OID); err != nil {
			return nil, &ParseError{File: "DG13", Field: "OID", Offset: -1, Err: ErrMalformed}
		}
	}
	var b tlv.Builder
	b.AddConstructed(dataGroupTags[13], func(b *tlv.Builder) {
		if d.Opaque != nil {
			b.AddRaw(d.Opaque)
			return
		}
		fields := func(b *tlv.Builder) {
			b.AddConstructed(0x31, func(b *tlv.Builder) {
				for _, f := range d.Fields {
					b.AddConstructed(0x30, func(b *tlv.Builder) {
						b.AddInt(0x02, int64(f.Number))
						b.AddRaw(f.Value)
					})
				}
			})
		}
		if oid == nil {
			fields(b)
			return
		}
		b.AddConstructed(0x30, func(b *tlv.Builder) {
			b.AddInt(0x02, int64(d.Version))
			b.AddRaw(oid)
			fields(b)
		})
	})
	return b.Bytes()
}

func marshalOID(dotted string) ([]byte, error) {
	var o asn1.ObjectIdentifier
	for p := range strings.SplitSeq(dotted, ".") {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return nil, errors.New("bad OID")
		}
		o = append(o, n)
	}
	if len(o) < 2 {
		return nil, errors.New("bad OID")
	}
	var b cryptobyte.Builder
	b.AddASN1ObjectIdentifier(o)
	return b.Bytes()
}

// TextField returns field n holding text as a UTF8String (NFC).
func TextField(n int, text string) DG13Field {
	text = norm.NFC.String(text)
	var b tlv.Builder
	b.AddTLV(0x0C, []byte(text))
	v, _ := b.Bytes()
	return DG13Field{Number: n, Value: v, Text: text}
}

// SequenceField returns field n holding a SEQUENCE of UTF8Strings, "" for
// an empty slot (field 13: father, mother; field 14: spouse).
func SequenceField(n int, parts ...string) DG13Field {
	f := DG13Field{Number: n, Parts: []string{}}
	var b tlv.Builder
	b.AddConstructed(0x30, func(b *tlv.Builder) {
		for _, p := range parts {
			p = norm.NFC.String(p)
			f.Parts = append(f.Parts, p)
			b.AddTLV(0x0C, []byte(p))
		}
	})
	f.Value, _ = b.Bytes()
	return f
}

const dg13Date = "02/01/2006"

// NewDG13 returns the DG13 of holder h: fields 1-15 in the CCCD's layout,
// each present value written as UTF8String in NFC, dates dd/mm/yyyy, sex
// "Nam"/"Nữ", a zero expiry as NoExpiryText, parents as SEQUENCE {
// father, mother } with an empty slot for an unknown parent, and the
// spouse as SEQUENCE { spouse }, absent when empty. With a non-empty oid
// it uses the layout with version 1 and that OID; with "" the layout
// without them. The CCCD's own OID is not public.
func NewDG13(h Holder, oid string) *DG13 {
	d := &DG13{OID: oid}
	if oid != "" {
		d.Version = 1
	}
	add := func(n int, s string) {
		if s != "" {
			d.Fields = append(d.Fields, TextField(n, s))
		}
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(dg13Date)
	}
	add(DG13Number, h.Number.Digits())
	add(DG13Name, h.Name)
	add(DG13BirthDate, date(h.BirthDate))
	switch h.Sex {
	case cccd.Male:
		add(DG13Sex, "Nam")
	case cccd.Female:
		add(DG13Sex, "Nữ")
	}
	add(DG13Nationality, h.Nationality)
	add(DG13Ethnicity, h.Ethnicity)
	add(DG13Religion, h.Religion)
	add(DG13PlaceOfOrigin, h.PlaceOfOrigin)
	add(DG13PlaceOfResidence, h.PlaceOfResidence)
	add(DG13IdentifyingMarks, h.IdentifyingMarks)
	add(DG13IssueDate, date(h.IssueDate))
	if h.ExpiryDate.IsZero() {
		add(DG13ExpiryDate, NoExpiryText)
	} else {
		add(DG13ExpiryDate, date(h.ExpiryDate))
	}
	if h.FatherName != "" || h.MotherName != "" {
		d.Fields = append(d.Fields, SequenceField(DG13Parents, h.FatherName, h.MotherName))
	}
	if h.SpouseName != "" {
		d.Fields = append(d.Fields, SequenceField(DG13Spouse, h.SpouseName))
	}
	add(DG13OldNumber, h.OldNumber)
	return d
}

// Holder maps the fields to a Holder. Dates are read as dd/mm/yyyy; an
// expiry holding text instead of a date ("Không thời hạn") means no
// expiry; the number is read with cccd, accepting unknown province codes.
// Fields it cannot map are skipped and reported in err (errors.Join of
// *ParseError, each naming the field); the returned Holder holds the
// others and is not validated. Field 16 is not mapped. FaceJPEG is empty
// (the face is in DG2).
func (d *DG13) Holder() (Holder, error) {
	var h Holder
	var errs []error
	bad := func(n int) {
		errs = append(errs, &ParseError{File: "DG13", Field: strconv.Itoa(n), Offset: -1, Err: ErrMalformed})
	}
	if d.Opaque != nil {
		return h, &ParseError{File: "DG13", Field: "layout", Offset: -1, Err: ErrMalformed}
	}
	// The first of a repeated field counts. Field numbers are read from
	// the card (0 to 65536); the CCCD's are below 64.
	var seenLow uint64
	var seen map[int]bool
	for _, f := range d.Fields {
		if f.Number < 64 {
			if seenLow&(1<<f.Number) != 0 {
				continue
			}
			seenLow |= 1 << f.Number
		} else {
			if seen[f.Number] {
				continue
			}
			if seen == nil {
				seen = map[int]bool{}
			}
			seen[f.Number] = true
		}
		if f.Err != nil {
			if f.Number >= 1 && f.Number <= 15 {
				errs = append(errs, f.Err)
			}
			continue
		}
		var ok = true
		switch f.Number {
		case DG13Number:
			n, err := cccd.ParseOptions{AllowUnknownProvince: true}.Parse(strings.TrimSpace(f.Text))
			h.Number, ok = n, err == nil
		case DG13Name:
			h.Name = f.Text
		case DG13BirthDate:
			h.BirthDate, ok = parseDG13Date(f.Text)
		case DG13Sex:
			// Case-insensitive: the simple case folding of EqualFold and
			// lower-casing agree on these letters.
			switch t := f.Text; {
			case strings.EqualFold(t, "nam"), strings.EqualFold(t, "m"):
				h.Sex = cccd.Male
			case strings.EqualFold(t, "nữ"), strings.EqualFold(t, "f"):
				h.Sex = cccd.Female
			default:
				ok = false
			}
		case DG13Nationality:
			h.Nationality = f.Text
		case DG13Ethnicity:
			h.Ethnicity = f.Text
		case DG13Religion:
			h.Religion = f.Text
		case DG13PlaceOfOrigin:
			h.PlaceOfOrigin = f.Text
		case DG13PlaceOfResidence:
			h.PlaceOfResidence = f.Text
		case DG13IdentifyingMarks:
			h.IdentifyingMarks = f.Text
		case DG13IssueDate:
			h.IssueDate, ok = parseDG13Date(f.Text)
		case DG13ExpiryDate:
			if t, isDate := parseDG13Date(f.Text); isDate {
				h.ExpiryDate = t
			} else {
				ok = isNoExpiry(f.Text)
			}
		case DG13Parents:
			switch len(f.Parts) {
			case 2:
				h.FatherName, h.MotherName = f.Parts[0], f.Parts[1]
			case 1:
				h.FatherName = f.Parts[0]
			case 0:
				ok = f.Text == "" && len(f.Value) == 0
			default:
				ok = false
			}
		case DG13Spouse:
			switch {
			case len(f.Parts) == 1:
				h.SpouseName = f.Parts[0]
			case f.Parts == nil:
				h.SpouseName = f.Text
			default:
				ok = len(f.Parts) == 0
			}
		case DG13OldNumber:
			h.OldNumber = f.Text
		}
		if !ok {
			bad(f.Number)
		}
	}
	return h, errors.Join(errs...)
}

// parseDG13Date reads dd/mm/yyyy (also with '-' or '.' separators).
func parseDG13Date(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) != 10 {
		return time.Time{}, false
	}
	sep := s[2]
	if (sep != '/' && sep != '-' && sep != '.') || s[5] != sep {
		return time.Time{}, false
	}
	layout := "02/01/2006"
	switch sep {
	case '-':
		layout = "02-01-2006"
	case '.':
		layout = "02.01.2006"
	}
	t, err := time.Parse(layout, s)
	return t, err == nil
}

// isNoExpiry reports whether s says "no expiry" (with or without
// diacritics, any case).
func isNoExpiry(s string) bool {
	s = strings.ToLower(norm.NFC.String(strings.TrimSpace(s)))
	return s == strings.ToLower(NoExpiryText) || s == "khong thoi han"
}

// String returns the field numbers present, never their values.
func (d DG13) String() string {
	if d.Opaque != nil {
		return "chip.DG13{opaque: " + strconv.Itoa(len(d.Opaque)) + " bytes}"
	}
	var b strings.Builder
	b.WriteString("chip.DG13{fields:")
	for _, f := range d.Fields {
		b.WriteString(" ")
		b.WriteString(strconv.Itoa(f.Number))
	}
	b.WriteString(", values masked}")
	return b.String()
}

// GoString returns the masked summary, for %#v.
func (d DG13) GoString() string { return d.String() }

// Format prints the masked summary for every verb.
func (d DG13) Format(f fmt.State, verb rune) { io.WriteString(f, d.String()) }

// LogValue logs the masked summary.
func (d DG13) LogValue() slog.Value { return slog.StringValue(d.String()) }

// String masks the field's value.
func (f DG13Field) String() string { return "chip.DG13Field{" + strconv.Itoa(f.Number) + ": masked}" }

// GoString masks the field's value, for %#v.
func (f DG13Field) GoString() string { return f.String() }

// Format prints the masked field for every verb.
func (f DG13Field) Format(s fmt.State, verb rune) { io.WriteString(s, f.String()) }

// LogValue logs the masked field.
func (f DG13Field) LogValue() slog.Value { return slog.StringValue(f.String()) }
