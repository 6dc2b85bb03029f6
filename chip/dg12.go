package chip

import (
	"fmt"
	"io"
	"log/slog"
)

// DG12 element tags (ICAO 9303-10 section 4.7.12).
const (
	TagIssuingAuthority        = 0x5F19
	TagDateOfIssue             = 0x5F26 // yyyymmdd
	TagOtherPerson             = 0x5F1A // inside the A0 group
	TagEndorsements            = 0x5F1B
	TagTaxExitRequirements     = 0x5F1C
	TagImageFront              = 0x5F1D
	TagImageRear               = 0x5F1E
	TagPersonalizationTime     = 0x5F55 // yyyymmddhhmmss
	TagPersonalizationDeviceSN = 0x5F56
)

// DG12 is data group 12 (ICAO 9303-10 section 4.7.12): additional document
// details.
type DG12 struct {
	TagList  []uint32  // the tag list (5C)
	Elements []Element // the elements after the tag list, in order; the A0 group raw
	Raw      []byte    // the file as received
}

// ParseDG12 decodes DG12: 6C { 5C tag list, elements... }.
func ParseDG12(b []byte) (*DG12, error) {
	list, elems, err := parseTaggedFile("DG12", dataGroupTags[12], TagOtherPerson, b)
	if err != nil {
		return nil, err
	}
	return &DG12{TagList: list, Elements: elems, Raw: b}, nil
}

// Text returns the value of the element with tag (such as
// TagDateOfIssue) as a string, or "" when absent.
func (d *DG12) Text(tag uint32) string { return findText(d.Elements, tag) }

// OtherPersons returns the names of the A0 group (5F1A).
func (d *DG12) OtherPersons() []string { return findGroup(d.Elements, TagOtherPerson) }

// DataGroupNumber returns 12.
func (d *DG12) DataGroupNumber() int { return 12 }

// Encode returns DG12 built from d.TagList and d.Elements.
func (d *DG12) Encode() ([]byte, error) {
	return encodeTaggedFile(dataGroupTags[12], d.TagList, d.Elements)
}

// String returns the tags present, never the values (they may name
// other persons).
func (d DG12) String() string { return "chip.DG12{" + tagSummary(d.Elements) + "}" }

// GoString returns the masked summary, for %#v.
func (d DG12) GoString() string { return d.String() }

// Format prints the masked summary for every verb.
func (d DG12) Format(f fmt.State, verb rune) { io.WriteString(f, d.String()) }

// LogValue logs the masked summary.
func (d DG12) LogValue() slog.Value { return slog.StringValue(d.String()) }
