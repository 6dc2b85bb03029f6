package cms

import (
	"encoding/asn1"
	"sort"
	"strings"
	"unicode/utf16"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// AttributeTypeAndValue is one element of a relative distinguished name.
type AttributeTypeAndValue struct {
	// RawType is the content of the attribute type's OBJECT IDENTIFIER
	// (kept encoded: names are parsed on every verification and
	// compared, rarely printed).
	RawType []byte
	Tag     byte   // the value's universal tag (0x0C UTF8String, 0x13 PrintableString...)
	Value   []byte // the value's content bytes
}

// Type decodes the attribute type.
func (a AttributeTypeAndValue) Type() asn1.ObjectIdentifier {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.OBJECT_IDENTIFIER, func(b *cryptobyte.Builder) { b.AddBytes(a.RawType) })
	der, err := b.Bytes()
	if err != nil {
		return nil
	}
	var oid asn1.ObjectIdentifier
	s := cryptobyte.String(der)
	if !s.ReadASN1ObjectIdentifier(&oid) {
		return nil
	}
	return oid
}

// Name is an X.501 Name: the raw DER and the parsed RDN sequence.
type Name struct {
	Raw  []byte
	RDNs [][]AttributeTypeAndValue
}

// readName reads a Name and keeps its raw bytes.
func readName(s *cryptobyte.String, out *Name) bool {
	var raw, seq cryptobyte.String
	if !s.ReadASN1Element(&raw, cbasn1.SEQUENCE) {
		return false
	}
	n, ok := parseName(raw)
	*out = n
	_ = seq
	return ok
}

func parseName(raw []byte) (Name, bool) {
	n := Name{Raw: raw}
	s := cryptobyte.String(raw)
	var seq cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !s.Empty() {
		return n, false
	}
	// All attributes go into one slice, cut into RDNs at the end: two
	// allocations per name instead of one per RDN.
	var flat []AttributeTypeAndValue
	var ends []int
	var endsBuf [16]int
	ends = endsBuf[:0]
	for !seq.Empty() {
		var set cryptobyte.String
		if !seq.ReadASN1(&set, cbasn1.SET) || len(ends) >= 64 {
			return n, false
		}
		start := len(flat)
		for !set.Empty() {
			var atv, typ, val cryptobyte.String
			var tag cbasn1.Tag
			if !set.ReadASN1(&atv, cbasn1.SEQUENCE) || !atv.ReadASN1(&typ, cbasn1.OBJECT_IDENTIFIER) || len(typ) == 0 ||
				!atv.ReadAnyASN1(&val, &tag) || !atv.Empty() || len(flat)-start >= 16 {
				return n, false
			}
			if flat == nil {
				flat = make([]AttributeTypeAndValue, 0, 8)
			}
			flat = append(flat, AttributeTypeAndValue{RawType: typ, Tag: byte(tag), Value: val})
		}
		if len(flat) == start {
			return n, false
		}
		ends = append(ends, len(flat))
	}
	if len(ends) > 0 {
		n.RDNs = make([][]AttributeTypeAndValue, len(ends))
		prev := 0
		for i, e := range ends {
			n.RDNs[i] = flat[prev:e:e]
			prev = e
		}
	}
	return n, true
}

// shortNames are the RFC 4514 / common labels of attribute types, by
// the content octets of their OIDs.
var shortNames = []struct {
	oid  string
	name string
}{
	{"\x55\x04\x03", "CN"}, {"\x55\x04\x06", "C"}, {"\x55\x04\x0a", "O"}, {"\x55\x04\x0b", "OU"},
	{"\x55\x04\x05", "serialNumber"}, {"\x55\x04\x07", "L"}, {"\x55\x04\x08", "ST"},
	{"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01", "emailAddress"}, {"\x55\x04\x04", "SN"},
	{"\x55\x04\x2a", "GN"}, {"\x55\x04\x61", "organizationIdentifier"},
}

// oidCountryName is the content of 2.5.4.6.
const oidCountryName = "\x55\x04\x06"

func shortName(a AttributeTypeAndValue) string {
	for _, s := range shortNames {
		if s.oid == string(a.RawType) {
			return s.name
		}
	}
	return a.Type().String()
}

// text decodes a directory string value.
func (a AttributeTypeAndValue) text() string {
	switch a.Tag {
	case 0x1E: // BMPString
		if len(a.Value)%2 != 0 {
			return string(a.Value)
		}
		u := make([]uint16, len(a.Value)/2)
		for i := range u {
			u[i] = uint16(a.Value[2*i])<<8 | uint16(a.Value[2*i+1])
		}
		return string(utf16.Decode(u))
	case 0x14, 0x1A, 0x16: // T61String, VisibleString, IA5String: read bytes as Latin-1-ish
		var b strings.Builder
		for _, c := range a.Value {
			b.WriteRune(rune(c))
		}
		return b.String()
	}
	return strings.ToValidUTF8(string(a.Value), "\uFFFD")
}

// plain reports whether text would return the value's bytes unchanged
// and String would not escape them: valid UTF-8 in a string type text
// does not transcode, without ",", "+" or "=".
func (a AttributeTypeAndValue) plain() bool {
	switch a.Tag {
	case 0x1E, 0x14, 0x1A, 0x16:
		return false
	}
	for _, c := range a.Value {
		if c >= 0x80 || c == ',' || c == '+' || c == '=' {
			return false // non-ASCII takes the general path, validity check included
		}
	}
	return true
}

// Text returns the value as a string.
func (a AttributeTypeAndValue) Text() string { return a.text() }

// escaper escapes RFC 4514 special characters; read-only after init.
var escaper = strings.NewReplacer(",", "\\,", "+", "\\+", "=", "\\=")

// String renders the name in RFC 4514 order (last RDN first), e.g.
// "CN=DS Test,OU=DS Test,O=Sdu Identification bv,C=NL".
func (n Name) String() string {
	var b strings.Builder
	size := 0
	for _, rdn := range n.RDNs {
		for _, a := range rdn {
			size += len(a.Value) + 8 // label, "=", separator
		}
	}
	b.Grow(size)
	for i := len(n.RDNs) - 1; i >= 0; i-- {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		for j, a := range n.RDNs[i] {
			if j > 0 {
				b.WriteByte('+')
			}
			b.WriteString(shortName(a))
			b.WriteByte('=')
			if a.plain() {
				b.Write(a.Value) // the usual case: no conversion, no escaping
				continue
			}
			v := a.text()
			if strings.ContainsAny(v, ",+=") {
				v = escaper.Replace(v)
			}
			b.WriteString(v)
		}
	}
	return b.String()
}

// Country returns the first countryName value, upper-cased, or "".
func (n Name) Country() string {
	for _, rdn := range n.RDNs {
		for _, a := range rdn {
			if string(a.RawType) == oidCountryName {
				return strings.ToUpper(strings.TrimSpace(a.text()))
			}
		}
	}
	return ""
}

// Key returns a canonical form for comparing names as sets of RDNs:
// RDN order and attribute order within an RDN are ignored, string values
// compare case-insensitively with spaces collapsed (RFC 5280 §7.1), and
// the string type (PrintableString or UTF8String) does not matter.
func (n Name) Key() string { return n.key(true) }

// ExactKey is Key with values and their types compared byte for byte
// (still ignoring the order of RDNs). SignerInfo identifiers use it: they
// are copied from the certificate, so only the RDN order may differ.
func (n Name) ExactKey() string { return n.key(false) }

func (n Name) key(fold bool) string {
	// Every part is length-prefixed, so no value can imitate a separator.
	rdns := make([]string, 0, len(n.RDNs))
	for _, rdn := range n.RDNs {
		atvs := make([]string, 0, len(rdn))
		for _, a := range rdn {
			v := string(rune(a.Tag)) + string(a.Value)
			if fold {
				v = canonical(a)
			}
			atvs = append(atvs, lp(string(a.RawType))+lp(v))
		}
		sort.Strings(atvs)
		rdns = append(rdns, lp(strings.Join(atvs, "")))
	}
	sort.Strings(rdns)
	return strings.Join(rdns, "")
}

// lp prefixes s with its length (4 bytes, big-endian).
func lp(s string) string {
	n := len(s)
	return string([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}) + s
}

func canonical(a AttributeTypeAndValue) string {
	switch a.Tag {
	case 0x0C, 0x13, 0x14, 0x16, 0x1A, 0x1E, 0x1C:
		return "s" + strings.ToLower(strings.Join(strings.Fields(a.text()), " "))
	}
	return "b" + string(rune(a.Tag)) + string(a.Value) // other types compare by bytes
}

// Equal reports whether two names are the same set of RDNs.
func (n Name) Equal(o Name) bool { return n.Key() == o.Key() }
