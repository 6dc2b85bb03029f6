package chip

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/cancuoc/sdk/internal/tlv"
	"github.com/cancuoc/sdk/mrz"
)

// DG1 is data group 1 (ICAO 9303-10 section 4.7.1): the MRZ.
//
// It holds personal data: String and Format print it masked.
type DG1 struct {
	// MRZ is the machine readable zone as stored: the lines concatenated
	// without separators (90 characters for TD1, 72 for TD2, 88 for TD3).
	MRZ string
	Raw []byte // the file as received
}

// ParseDG1 decodes DG1: 61 { 5F1F MRZ }. It checks the MRZ's length and
// character set; DG1.Document checks the rest.
func ParseDG1(b []byte) (*DG1, error) {
	const file = "DG1"
	s, err := unwrapFile(file, dataGroupTags[1], b)
	if err != nil {
		return nil, err
	}
	var m tlv.String
	if !s.ReadTLV(0x5F1F, &m) {
		return nil, elementError(file, "5F1F", b, s)
	}
	if !validMRZ(m) {
		return nil, malformed(file, "5F1F", b, m)
	}
	if !s.Empty() {
		return nil, &ParseError{File: file, Offset: offsetIn(b, s), Err: ErrTrailingData}
	}
	return &DG1{MRZ: string(m), Raw: b}, nil
}

// validMRZ reports whether m has a TD1, TD2 or TD3 length and only the MRZ
// characters A-Z, 0-9 and '<' (ICAO 9303-3 section 4.3).
func validMRZ(m []byte) bool {
	switch len(m) {
	case 90, 72, 88:
	default:
		return false
	}
	for _, c := range m {
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '<') {
			return false
		}
	}
	return true
}

// Document parses the MRZ with mrz.Parse: layout, check digits, dates,
// country codes and, on a Vietnamese card, the CCCD profile.
func (d *DG1) Document() (mrz.Document, error) { return mrz.Parse(d.MRZ) }

// NewDG1 returns the DG1 holding doc's MRZ.
func NewDG1(doc mrz.Document) *DG1 { return &DG1{MRZ: strings.Join(doc.Lines(), "")} }

// DataGroupNumber returns 1.
func (d *DG1) DataGroupNumber() int { return 1 }

// Encode returns DG1 built from d.MRZ.
func (d *DG1) Encode() ([]byte, error) {
	if !validMRZ([]byte(d.MRZ)) {
		return nil, &ParseError{File: "DG1", Field: "5F1F", Offset: -1, Err: ErrMalformed}
	}
	var b tlv.Builder
	b.AddConstructed(dataGroupTags[1], func(b *tlv.Builder) {
		b.AddTLV(0x5F1F, []byte(d.MRZ))
	})
	return b.Bytes()
}

// String returns a masked summary: the MRZ's length only.
func (d DG1) String() string {
	return "chip.DG1{MRZ: " + strconv.Itoa(len(d.MRZ)) + " characters, masked}"
}

// GoString returns the masked summary, for %#v.
func (d DG1) GoString() string { return d.String() }

// Format prints the masked summary for every verb.
func (d DG1) Format(f fmt.State, verb rune) { io.WriteString(f, d.String()) }

// LogValue logs the masked summary.
func (d DG1) LogValue() slog.Value { return slog.StringValue(d.String()) }
