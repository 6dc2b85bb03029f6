package chip

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"

	"github.com/cancuoc/sdk/internal/tlv"
)

// Element is one data element of DG11, DG12 or a DG16 person: its tag and
// its value as received.
type Element struct {
	Tag   uint32
	Value []byte
}

// DG11 element tags (ICAO 9303-10 section 4.7.11).
const (
	TagFullName           = 0x5F0E
	TagOtherName          = 0x5F0F // inside the A0 group
	TagPersonalNumber     = 0x5F10
	TagFullDateOfBirth    = 0x5F2B // yyyymmdd
	TagPlaceOfBirth       = 0x5F11
	TagAddress            = 0x5F42
	TagTelephone          = 0x5F12
	TagProfession         = 0x5F13
	TagTitle              = 0x5F14
	TagPersonalSummary    = 0x5F15
	TagProofOfCitizenship = 0x5F16 // an image
	TagOtherTDNumbers     = 0x5F17
	TagCustodyInformation = 0x5F18
)

// tagOtherNames is the group A0 { 02 count, 5F0F name... } of DG11 (other
// names) and DG12 (other persons, 5F1A).
const tagOtherNames = 0xA0

// DG11 is data group 11 (ICAO 9303-10 section 4.7.11): additional
// personal details.
//
// It holds personal data: String and Format print only the tags.
type DG11 struct {
	TagList  []uint32  // the tag list (5C)
	Elements []Element // the elements after the tag list, in order; the A0 group raw
	Raw      []byte    // the file as received
}

// ParseDG11 decodes DG11: 6B { 5C tag list, elements... }.
func ParseDG11(b []byte) (*DG11, error) {
	list, elems, err := parseTaggedFile("DG11", dataGroupTags[11], TagOtherName, b)
	if err != nil {
		return nil, err
	}
	return &DG11{TagList: list, Elements: elems, Raw: b}, nil
}

// parseTaggedFile reads the layout DG11 and DG12 share: a tag list, then
// elements, one of them possibly the group A0 { 02 count, member... }.
func parseTaggedFile(file string, tag, member uint32, b []byte) ([]uint32, []Element, error) {
	s, err := unwrapFile(file, tag, b)
	if err != nil {
		return nil, nil, err
	}
	var listBytes tlv.String
	if at := s; !s.ReadTLV(0x5C, &listBytes) {
		return nil, nil, elementError(file, "5C", b, at)
	}
	list := []uint32{}
	for l := listBytes; !l.Empty(); {
		var t uint32
		if !l.ReadTag(&t) {
			return nil, nil, malformed(file, "5C", b, l)
		}
		list = append(list, t)
	}
	var elems []Element
	for !s.Empty() {
		at := s
		var v tlv.String
		var t uint32
		if !s.ReadAnyTLV(&v, &t) {
			return nil, nil, elementError(file, "element", b, at)
		}
		if t == tagOtherNames {
			if _, ok := readGroup(v, member); !ok {
				return nil, nil, malformed(file, "A0", b, at)
			}
		}
		elems = append(elems, Element{Tag: t, Value: v})
	}
	return list, elems, nil
}

// readGroup reads A0 contents { 02 count, member... } and checks the count.
func readGroup(v tlv.String, member uint32) ([]string, bool) {
	var n int64
	if !v.ReadInt(0x02, &n) || n < 0 || n > int64(len(v)) {
		return nil, false
	}
	out := []string{}
	for !v.Empty() {
		var m tlv.String
		if !v.ReadTLV(member, &m) {
			return nil, false
		}
		out = append(out, string(m))
	}
	return out, int64(len(out)) == n
}

// findText returns the value of the first element with tag as a string.
func findText(elems []Element, tag uint32) string {
	for _, e := range elems {
		if e.Tag == tag {
			return string(e.Value)
		}
	}
	return ""
}

// findGroup returns the members of the A0 group.
func findGroup(elems []Element, member uint32) []string {
	for _, e := range elems {
		if e.Tag == tagOtherNames {
			names, _ := readGroup(e.Value, member)
			return names
		}
	}
	return nil
}

// encodeTaggedFile writes tag { 5C list, elements... }.
func encodeTaggedFile(tag uint32, list []uint32, elems []Element) ([]byte, error) {
	var b tlv.Builder
	b.AddConstructed(tag, func(b *tlv.Builder) {
		var l []byte
		for _, t := range list {
			l = tlv.AppendTag(l, t)
		}
		b.AddTLV(0x5C, l)
		for _, e := range elems {
			b.AddTLV(e.Tag, e.Value)
		}
	})
	return b.Bytes()
}

// Text returns the value of the element with tag (such as TagFullName) as
// a string, or "" when absent.
func (d *DG11) Text(tag uint32) string { return findText(d.Elements, tag) }

// OtherNames returns the names of the A0 group (5F0F).
func (d *DG11) OtherNames() []string { return findGroup(d.Elements, TagOtherName) }

// DataGroupNumber returns 11.
func (d *DG11) DataGroupNumber() int { return 11 }

// Encode returns DG11 built from d.TagList and d.Elements.
func (d *DG11) Encode() ([]byte, error) {
	return encodeTaggedFile(dataGroupTags[11], d.TagList, d.Elements)
}

// String returns the tags present, never the values.
func (d DG11) String() string { return "chip.DG11{" + tagSummary(d.Elements) + "}" }

// GoString returns the masked summary, for %#v.
func (d DG11) GoString() string { return d.String() }

// Format prints the masked summary for every verb.
func (d DG11) Format(f fmt.State, verb rune) { io.WriteString(f, d.String()) }

// LogValue logs the masked summary.
func (d DG11) LogValue() slog.Value { return slog.StringValue(d.String()) }

func tagSummary(elems []Element) string {
	s := "elements:"
	for _, e := range elems {
		s += " " + strconv.FormatUint(uint64(e.Tag), 16)
	}
	return s + ", values masked"
}

// String returns the tag and the value's length, never the value (DG11 and
// DG16 elements are personal data).
func (e Element) String() string {
	return "chip.Element{" + strconv.FormatUint(uint64(e.Tag), 16) + ": " + strconv.Itoa(len(e.Value)) + " bytes}"
}

// GoString returns the masked element, for %#v.
func (e Element) GoString() string { return e.String() }

// Format prints the masked element for every verb.
func (e Element) Format(f fmt.State, verb rune) { io.WriteString(f, e.String()) }

// LogValue logs the masked element (slog's JSON handler would otherwise
// write the value).
func (e Element) LogValue() slog.Value { return slog.StringValue(e.String()) }
