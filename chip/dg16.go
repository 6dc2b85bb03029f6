package chip

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"

	"github.com/cancuoc/sdk/internal/tlv"
)

// DG16 element tags (ICAO 9303-10 section 4.7.16).
const (
	TagDateRecorded    = 0x5F50 // yyyymmdd
	TagNotifyName      = 0x5F51
	TagNotifyTelephone = 0x5F52
	TagNotifyAddress   = 0x5F53
)

// DG16 is data group 16 (ICAO 9303-10 section 4.7.16): persons to notify.
//
// It holds personal data: String and Format print only counts.
type DG16 struct {
	Persons []PersonToNotify
	Raw     []byte // the file as received
}

// PersonToNotify is one template A1, A2, ... of DG16.
type PersonToNotify struct {
	Elements []Element
}

// Text returns the value of the element with tag (such as TagNotifyName),
// or "" when absent.
func (p PersonToNotify) Text(tag uint32) string { return findText(p.Elements, tag) }

// ParseDG16 decodes DG16: 70 { 02 count, A1 { elements }, A2 {...}... }.
// The templates must be numbered A1, A2... in order and match the count.
func ParseDG16(b []byte) (*DG16, error) {
	const file = "DG16"
	s, err := unwrapFile(file, dataGroupTags[16], b)
	if err != nil {
		return nil, err
	}
	var n int64
	countAt := s
	if !s.ReadInt(0x02, &n) || n < 0 || n > 15 {
		return nil, elementError(file, "02", b, countAt)
	}
	d := &DG16{Raw: b}
	for i := 0; !s.Empty(); i++ {
		at := s
		var v tlv.String
		if i >= 15 || !s.ReadTLV(uint32(0xA1+i), &v) {
			return nil, elementError(file, "A"+strconv.Itoa(i+1), b, at)
		}
		var p PersonToNotify
		for !v.Empty() {
			eat := v
			var e tlv.String
			var t uint32
			if !v.ReadAnyTLV(&e, &t) {
				return nil, elementError(file, "A"+strconv.Itoa(i+1), b, eat)
			}
			p.Elements = append(p.Elements, Element{Tag: t, Value: e})
		}
		d.Persons = append(d.Persons, p)
	}
	if int64(len(d.Persons)) != n {
		return nil, malformed(file, "02", b, countAt)
	}
	return d, nil
}

// DataGroupNumber returns 16.
func (d *DG16) DataGroupNumber() int { return 16 }

// Encode returns DG16 built from d.Persons.
func (d *DG16) Encode() ([]byte, error) {
	if len(d.Persons) > 15 {
		return nil, &ParseError{File: "DG16", Field: "02", Offset: -1, Err: ErrMalformed}
	}
	var b tlv.Builder
	b.AddConstructed(dataGroupTags[16], func(b *tlv.Builder) {
		b.AddInt(0x02, int64(len(d.Persons)))
		for i, p := range d.Persons {
			b.AddConstructed(uint32(0xA1+i), func(b *tlv.Builder) {
				for _, e := range p.Elements {
					b.AddTLV(e.Tag, e.Value)
				}
			})
		}
	})
	return b.Bytes()
}

// String returns the number of persons, never their data.
func (d DG16) String() string {
	return "chip.DG16{persons: " + strconv.Itoa(len(d.Persons)) + ", values masked}"
}

// GoString returns the masked summary, for %#v.
func (d DG16) GoString() string { return d.String() }

// Format prints the masked summary for every verb.
func (d DG16) Format(f fmt.State, verb rune) { io.WriteString(f, d.String()) }

// LogValue logs the masked summary.
func (d DG16) LogValue() slog.Value { return slog.StringValue(d.String()) }

// String masks the person's data.
func (p PersonToNotify) String() string {
	return "chip.PersonToNotify{" + tagSummary(p.Elements) + "}"
}

// GoString returns the masked summary, for %#v.
func (p PersonToNotify) GoString() string { return p.String() }

// Format prints the masked summary for every verb.
func (p PersonToNotify) Format(f fmt.State, verb rune) { io.WriteString(f, p.String()) }

// LogValue logs the masked summary.
func (p PersonToNotify) LogValue() slog.Value { return slog.StringValue(p.String()) }
