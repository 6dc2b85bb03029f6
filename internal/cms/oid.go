package cms

import (
	"bytes"
	"crypto"
	"encoding/asn1"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Object identifiers used by SignedData, certificates and ICAO files.
var (
	OIDData           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	OIDSignedData     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	OIDLDSSecurityObj = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 1}
	// OIDLDSSecurityObjAlt is the older id-icao-ldsSecurityObject under
	// {iso(1) identified-organization(3) icao(27)}, seen in French and
	// Belgian documents.
	OIDLDSSecurityObjAlt = asn1.ObjectIdentifier{1, 3, 27, 1, 1, 1}
	OIDCSCAMasterList    = asn1.ObjectIdentifier{2, 23, 136, 1, 1, 2}
	OIDAttrContentType   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	OIDAttrMessageDig    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	OIDAttrSigningTime   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	OIDRSAEncryption     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	OIDRSAPSS            = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	OIDMGF1              = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 8}
	OIDECPublicKey       = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	OIDPrimeField        = asn1.ObjectIdentifier{1, 2, 840, 10045, 1, 1}
	OIDSHA1WithRSA       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}
	OIDSHA224WithRSA     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 14}
	OIDSHA256WithRSA     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	OIDSHA384WithRSA     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	OIDSHA512WithRSA     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	OIDECDSAWithSHA1     = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 1}
	OIDECDSAWithSHA224   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 1}
	OIDECDSAWithSHA256   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	OIDECDSAWithSHA384   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	OIDECDSAWithSHA512   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	OIDSHA1              = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	OIDSHA224            = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 4}
	OIDSHA256            = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	OIDSHA384            = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	OIDSHA512            = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	OIDNamedP224         = asn1.ObjectIdentifier{1, 3, 132, 0, 33}
	OIDNamedP256         = asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}
	OIDNamedP384         = asn1.ObjectIdentifier{1, 3, 132, 0, 34}
	OIDNamedP521         = asn1.ObjectIdentifier{1, 3, 132, 0, 35}
	OIDExtSubjectKeyID   = asn1.ObjectIdentifier{2, 5, 29, 14}
	OIDExtKeyUsage       = asn1.ObjectIdentifier{2, 5, 29, 15}
	OIDExtBasicConstr    = asn1.ObjectIdentifier{2, 5, 29, 19}
	OIDExtAuthorityKey   = asn1.ObjectIdentifier{2, 5, 29, 35}
	OIDCountryName       = asn1.ObjectIdentifier{2, 5, 4, 6}
	oidECDSAPlainPrefix  = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 1, 1, 4, 1}
)

// hashes maps digest algorithm OIDs to crypto.Hash.
var hashes = []struct {
	oid asn1.ObjectIdentifier
	h   crypto.Hash
}{
	{OIDSHA1, crypto.SHA1}, {OIDSHA224, crypto.SHA224}, {OIDSHA256, crypto.SHA256},
	{OIDSHA384, crypto.SHA384}, {OIDSHA512, crypto.SHA512},
}

// HashByOID returns the hash a digest AlgorithmIdentifier names, or 0.
func HashByOID(oid asn1.ObjectIdentifier) crypto.Hash {
	for _, e := range hashes {
		if e.oid.Equal(oid) {
			return e.h
		}
	}
	return 0
}

// HashOID returns the OID of h, or nil.
func HashOID(h crypto.Hash) asn1.ObjectIdentifier {
	for _, e := range hashes {
		if e.h == h {
			return e.oid
		}
	}
	return nil
}

// HashName returns the conventional name ("SHA-256") of h.
func HashName(h crypto.Hash) string {
	if h == 0 {
		return ""
	}
	return h.String()
}

// AlgorithmIdentifier is an OID with its raw parameters (the complete
// parameter TLV, nil when absent).
type AlgorithmIdentifier struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters []byte
}

// nullParams reports whether the parameters are absent or NULL.
func (a AlgorithmIdentifier) nullParams() bool {
	return len(a.Parameters) == 0 || (len(a.Parameters) == 2 && a.Parameters[0] == 0x05 && a.Parameters[1] == 0)
}

// SameAlgorithm reports whether a and b are the same AlgorithmIdentifier:
// equal DER, or the same OID where one has absent parameters and the other
// NULL (the only variant real certificates show; RFC 4055 §5 and RFC 5758
// §3.2 name one form each, and issuers use both).
func SameAlgorithm(a, b AlgorithmIdentifier) bool {
	if !a.Algorithm.Equal(b.Algorithm) {
		return false
	}
	// The OIDs are equal and Parameters is the raw TLV, so equal DER is
	// equal parameter bytes (compared without marshalling: this runs on
	// every certificate signature check).
	return bytes.Equal(a.Parameters, b.Parameters) || a.nullParams() && b.nullParams()
}

// Marshal returns the DER of the AlgorithmIdentifier.
func (a AlgorithmIdentifier) Marshal() []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(a.Algorithm)
		if a.Parameters != nil {
			b.AddBytes(a.Parameters)
		}
	})
	return b.BytesOrPanic()
}

// readAlgorithmIdentifier reads SEQUENCE { OID, ANY OPTIONAL }.
func readAlgorithmIdentifier(s *cryptobyte.String, out *AlgorithmIdentifier) bool {
	var seq cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.ReadASN1ObjectIdentifier(&out.Algorithm) {
		return false
	}
	out.Parameters = nil
	if !seq.Empty() {
		var p cryptobyte.String
		if !seq.ReadASN1Element(&p, peekTag(seq)) {
			return false
		}
		out.Parameters = p
	}
	return seq.Empty()
}

func peekTag(s cryptobyte.String) cbasn1.Tag {
	if len(s) == 0 {
		return 0
	}
	return cbasn1.Tag(s[0])
}

// readAny reads one element whatever its tag and returns the full TLV.
func readAny(s *cryptobyte.String, out *cryptobyte.String) bool {
	if len(*s) == 0 {
		return false
	}
	var tag cbasn1.Tag
	return s.ReadAnyASN1Element(out, &tag)
}

// readInteger reads an INTEGER leniently: non-minimal encodings (as
// found in real certificates) are accepted; the value must not be empty.
func readIntegerBytes(s *cryptobyte.String, out *[]byte) bool {
	var v cryptobyte.String
	if !s.ReadASN1(&v, cbasn1.INTEGER) || len(v) == 0 {
		return false
	}
	*out = v
	return true
}

// readSmallInt reads a non-negative INTEGER that fits in an int.
func readSmallInt(s *cryptobyte.String, out *int) bool {
	var v []byte
	if !readIntegerBytes(s, &v) || v[0]&0x80 != 0 {
		return false
	}
	n := 0
	for _, c := range v {
		if n > 1<<23 {
			return false
		}
		n = n<<8 | int(c)
	}
	*out = n
	return true
}
