package chip

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"

	"github.com/cancuoc/sdk/internal/tlv"
)

// ICAO 9303-10 section 4.6, table 34: the tag of each LDS file.
const (
	tagCOM = 0x60
	tagSOD = 0x77
)

var dataGroupTags = [17]uint32{0, 0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70}

// DataGroupTag returns the tag that starts data group n (1-16) in ICAO
// 9303-10: 0x61 for DG1, 0x75 for DG2, ... 0x70 for DG16.
func DataGroupTag(n int) (uint32, bool) {
	if n < 1 || n > 16 {
		return 0, false
	}
	return dataGroupTags[n], true
}

// DataGroupByTag returns the number of the data group that starts with
// tag, as EF.COM's tag list names them.
func DataGroupByTag(tag uint32) (int, bool) {
	for n, t := range dataGroupTags {
		if n > 0 && t == tag {
			return n, true
		}
	}
	return 0, false
}

// DataGroup is a decoded data group: *DG1, *DG2, *DG11, *DG12, *DG13,
// *DG14, *DG15, *DG16 or *Opaque.
type DataGroup interface {
	// DataGroupNumber returns the data group's number, 1 to 16.
	DataGroupNumber() int
	// Encode returns the file's bytes, built from the decoded fields.
	Encode() ([]byte, error)
}

// ParseDataGroup decodes data group n with its decoder, or as *Opaque for
// the data groups the package does not model (DG3 to DG10).
func ParseDataGroup(n int, b []byte) (DataGroup, error) {
	switch n {
	case 1:
		return asDataGroup(ParseDG1(b))
	case 2:
		return asDataGroup(ParseDG2(b))
	case 11:
		return asDataGroup(ParseDG11(b))
	case 12:
		return asDataGroup(ParseDG12(b))
	case 13:
		return asDataGroup(ParseDG13(b))
	case 14:
		return asDataGroup(ParseDG14(b))
	case 15:
		return asDataGroup(ParseDG15(b))
	case 16:
		return asDataGroup(ParseDG16(b))
	}
	return asDataGroup(ParseOpaque(n, b))
}

// asDataGroup returns a nil interface, not a typed nil pointer, with an
// error.
func asDataGroup[T DataGroup](d T, err error) (DataGroup, error) {
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Opaque is a data group the package does not decode: its number and
// bytes, checked only for the outer tag and length.
//
// DG3 to DG7 hold fingerprints, iris images, portraits and signatures:
// String, Format, GoString and LogValue print only the number and size.
type Opaque struct {
	Number int
	Value  []byte // the contents of the outer TLV
	Raw    []byte // the whole file as received
}

// ParseOpaque checks that b is one TLV with the tag of data group n and
// keeps its contents.
func ParseOpaque(n int, b []byte) (*Opaque, error) {
	file := DataGroupName(n)
	tag, ok := DataGroupTag(n)
	if !ok {
		return nil, &ParseError{File: file, Offset: -1, Err: ErrMalformed}
	}
	v, err := unwrapFile(file, tag, b)
	if err != nil {
		return nil, err
	}
	return &Opaque{Number: n, Value: v, Raw: b}, nil
}

// String returns the data group's name and size, never its bytes.
func (o Opaque) String() string {
	return "chip.Opaque{" + DataGroupName(o.Number) + ": " + strconv.Itoa(len(o.Value)) + " bytes, masked}"
}

// GoString returns the summary, for %#v.
func (o Opaque) GoString() string { return o.String() }

// Format prints the summary for every verb.
func (o Opaque) Format(f fmt.State, verb rune) { io.WriteString(f, o.String()) }

// LogValue logs the summary.
func (o Opaque) LogValue() slog.Value { return slog.StringValue(o.String()) }

// DataGroupNumber returns o.Number.
func (o *Opaque) DataGroupNumber() int { return o.Number }

// Encode returns the outer TLV around o.Value.
func (o *Opaque) Encode() ([]byte, error) {
	tag, ok := DataGroupTag(o.Number)
	if !ok {
		return nil, &ParseError{File: DataGroupName(o.Number), Offset: -1, Err: ErrMalformed}
	}
	var b tlv.Builder
	b.AddTLV(tag, o.Value)
	return b.Bytes()
}

// unwrapFile checks that b is exactly one element with tag and returns its
// value.
func unwrapFile(file string, tag uint32, b []byte) (tlv.String, error) {
	t, v, _, rest, err := tlv.Next(b)
	if err != nil {
		return nil, tlvError(file, "", b, b, err)
	}
	if t != tag {
		return nil, &ParseError{File: file, Field: "tag", Offset: 0, Err: ErrMalformed}
	}
	if len(rest) != 0 {
		return nil, &ParseError{File: file, Offset: len(b) - len(rest), Err: ErrTrailingData}
	}
	return v, nil
}

// offsetIn returns the offset of part within file; part must be a
// sub-slice of file (the tlv reader never copies).
func offsetIn(file, part []byte) int {
	off := cap(file) - cap(part)
	if off < 0 || off > len(file) {
		return -1
	}
	return off
}

// malformed reports the element of file that starts at part.
func malformed(file, field string, full, part []byte) error {
	return &ParseError{File: file, Field: field, Offset: offsetIn(full, part), Err: ErrMalformed}
}

// tlvError turns a *tlv.Error found while decoding at (a sub-slice of
// full) into a *ParseError with the offset in full.
func tlvError(file, field string, full, at []byte, err error) error {
	off := offsetIn(full, at)
	var te *tlv.Error
	if errors.As(err, &te) && off >= 0 {
		off += te.Offset
	}
	return &ParseError{File: file, Field: field, Offset: off, Err: ErrMalformed}
}

// firstErrorOffset reports where the first element of s fails to decode,
// as an offset in full.
func elementError(file, field string, full []byte, s tlv.String) error {
	_, _, _, _, err := tlv.Next(s)
	if err == nil {
		return malformed(file, field, full, s)
	}
	return tlvError(file, field, full, s, err)
}
