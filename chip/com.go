package chip

import (
	"github.com/cancuoc/sdk/internal/tlv"
)

// COM is EF.COM (ICAO 9303-10 section 4.6.1): the LDS and Unicode versions
// and the tags of the data groups present.
type COM struct {
	LDSVersion     string // four digits "aabb": 0107 is LDS 1.7
	UnicodeVersion string // six digits "aabbcc": 040000 is Unicode 4.0.0
	Tags           []byte // tag list (5C): one tag byte per data group, such as 0x61 0x75
	Raw            []byte // the file as received
}

// ParseCOM decodes EF.COM: 60 { 5F01 LDS version, 5F36 Unicode version,
// 5C tag list }.
func ParseCOM(b []byte) (*COM, error) {
	const file = FileCOM
	s, err := unwrapFile(file, tagCOM, b)
	if err != nil {
		return nil, err
	}
	var lds, uni, tags tlv.String
	if at := s; !s.ReadTLV(0x5F01, &lds) {
		return nil, elementError(file, "5F01", b, at)
	}
	if !isDigits(string(lds), 4) {
		return nil, malformed(file, "5F01", b, lds)
	}
	if at := s; !s.ReadTLV(0x5F36, &uni) {
		return nil, elementError(file, "5F36", b, at)
	}
	if !isDigits(string(uni), 6) {
		return nil, malformed(file, "5F36", b, uni)
	}
	if at := s; !s.ReadTLV(0x5C, &tags) {
		return nil, elementError(file, "5C", b, at)
	}
	if !s.Empty() {
		return nil, &ParseError{File: file, Offset: offsetIn(b, s), Err: ErrTrailingData}
	}
	return &COM{LDSVersion: string(lds), UnicodeVersion: string(uni), Tags: tags, Raw: b}, nil
}

// DataGroups returns the numbers of the data groups in the tag list, in
// its order, skipping tags that name no data group.
func (c *COM) DataGroups() []int {
	var out []int
	for _, t := range c.Tags {
		if n, ok := DataGroupByTag(uint32(t)); ok {
			out = append(out, n)
		}
	}
	return out
}

// Encode returns EF.COM built from c's fields.
func (c *COM) Encode() ([]byte, error) {
	if !isDigits(c.LDSVersion, 4) || !isDigits(c.UnicodeVersion, 6) {
		return nil, &ParseError{File: FileCOM, Field: "version", Offset: -1, Err: ErrMalformed}
	}
	var b tlv.Builder
	b.AddConstructed(tagCOM, func(b *tlv.Builder) {
		b.AddTLV(0x5F01, []byte(c.LDSVersion))
		b.AddTLV(0x5F36, []byte(c.UnicodeVersion))
		b.AddTLV(0x5C, c.Tags)
	})
	return b.Bytes()
}
