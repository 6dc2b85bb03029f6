package cms

import (
	"bytes"
	"crypto"
	"crypto/sha1"
	"encoding/asn1"
	"math/big"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Certificate holds the fields of an X.509 certificate that passive
// authentication uses. Unusual but harmless encodings are accepted; a
// public key this package cannot use leaves PublicKey nil and sets
// PublicKeyErr instead of failing the parse, so lists of certificates can
// report it.
type Certificate struct {
	Raw                     []byte // the certificate as parsed (DER lengths)
	RawTBS                  []byte // TBSCertificate, the signed bytes
	RawSubjectPublicKeyInfo []byte
	Version                 int // 1, 2 or 3
	SerialNumber            *big.Int
	TBSSignatureAlgorithm   AlgorithmIdentifier
	SignatureAlgorithm      AlgorithmIdentifier
	Signature               []byte
	Issuer, Subject         Name
	NotBefore, NotAfter     time.Time
	PublicKeyAlgorithm      AlgorithmIdentifier
	PublicKey               crypto.PublicKey
	PublicKeyErr            error
	SubjectKeyID            []byte
	AuthorityKeyID          []byte
	BasicConstraintsValid   bool // the extension is present and well formed
	IsCA                    bool
	MaxPathLen              int // -1 when absent
	KeyUsage                int // X.509 KeyUsage bits as in crypto/x509 (bit 0 = digitalSignature)
	HasKeyUsage             bool
	// ExtensionErr names the first extension that could not be decoded
	// (nil when all decoded). The certificate is still returned.
	ExtensionErr error
}

// ParseCertificate parses one certificate. BER lengths are converted to
// DER first; trailing bytes give ErrTrailing.
func ParseCertificate(b []byte) (*Certificate, error) {
	c, err := parseCertificate(b)
	if err == nil {
		return c, nil
	}
	der, n, nerr := Normalize(b)
	if nerr != nil {
		return nil, err
	}
	if n != len(b) {
		return nil, &Error{Field: "certificate", Err: ErrTrailing}
	}
	if bytes.Equal(der, b) {
		return nil, err
	}
	return parseCertificate(der)
}

func parseCertificate(der []byte) (*Certificate, error) {
	c := &Certificate{MaxPathLen: -1}
	s := cryptobyte.String(der)
	var cert, tbs cryptobyte.String
	if !s.ReadASN1Element(&cert, cbasn1.SEQUENCE) {
		return nil, malformed("certificate")
	}
	if !s.Empty() {
		return nil, &Error{Field: "certificate", Err: ErrTrailing}
	}
	c.Raw = cert
	if !cert.ReadASN1(&cert, cbasn1.SEQUENCE) || !cert.ReadASN1Element(&tbs, cbasn1.SEQUENCE) {
		return nil, malformed("certificate")
	}
	c.RawTBS = tbs
	var bits asn1.BitString
	if !readAlgorithmIdentifier(&cert, &c.SignatureAlgorithm) || !cert.ReadASN1BitString(&bits) || !cert.Empty() {
		return nil, malformed("certificate signature")
	}
	c.Signature = bits.RightAlign()
	if !tbs.ReadASN1(&tbs, cbasn1.SEQUENCE) {
		return nil, malformed("tbsCertificate")
	}
	c.Version = 1
	if tbs.PeekASN1Tag(cbasn1.Tag(0).Constructed().ContextSpecific()) {
		var v cryptobyte.String
		if !tbs.ReadASN1(&v, cbasn1.Tag(0).Constructed().ContextSpecific()) || !readSmallInt(&v, &c.Version) || !v.Empty() || c.Version > 2 {
			return nil, malformed("version")
		}
		c.Version++
	}
	var serial []byte
	if !readIntegerBytes(&tbs, &serial) || len(serial) > 64 {
		return nil, malformed("serialNumber")
	}
	c.SerialNumber = signedInt(serial)
	if !readAlgorithmIdentifier(&tbs, &c.TBSSignatureAlgorithm) {
		return nil, malformed("signature algorithm")
	}
	if !readName(&tbs, &c.Issuer) {
		return nil, malformed("issuer")
	}
	var validity cryptobyte.String
	if !tbs.ReadASN1(&validity, cbasn1.SEQUENCE) {
		return nil, malformed("validity")
	}
	var err error
	if c.NotBefore, err = readTime(&validity); err != nil {
		return nil, malformed("notBefore")
	}
	if c.NotAfter, err = readTime(&validity); err != nil || !validity.Empty() {
		return nil, malformed("notAfter")
	}
	if !readName(&tbs, &c.Subject) {
		return nil, malformed("subject")
	}
	var spki cryptobyte.String
	if !tbs.ReadASN1Element(&spki, cbasn1.SEQUENCE) {
		return nil, malformed("subjectPublicKeyInfo")
	}
	c.RawSubjectPublicKeyInfo = spki
	c.PublicKey, c.PublicKeyAlgorithm, c.PublicKeyErr = ParsePublicKeyInfo(spki)
	// issuerUniqueID [1], subjectUniqueID [2]: skipped.
	for _, t := range []cbasn1.Tag{cbasn1.Tag(1).ContextSpecific(), cbasn1.Tag(2).ContextSpecific()} {
		if !tbs.SkipOptionalASN1(t) {
			return nil, malformed("unique identifier")
		}
	}
	if tbs.PeekASN1Tag(cbasn1.Tag(3).Constructed().ContextSpecific()) {
		var ext cryptobyte.String
		if !tbs.ReadASN1(&ext, cbasn1.Tag(3).Constructed().ContextSpecific()) || !ext.ReadASN1(&ext, cbasn1.SEQUENCE) {
			return nil, malformed("extensions")
		}
		for !ext.Empty() {
			var e, val, id cryptobyte.String
			// The OID stays raw: comparing content octets saves decoding
			// every extension's OID into a new slice.
			if !ext.ReadASN1(&e, cbasn1.SEQUENCE) || !e.ReadASN1(&id, cbasn1.OBJECT_IDENTIFIER) || !validOID(id) {
				return nil, malformed("extension")
			}
			var critical bool
			if e.PeekASN1Tag(cbasn1.BOOLEAN) {
				var bv cryptobyte.String
				if !e.ReadASN1(&bv, cbasn1.BOOLEAN) || len(bv) != 1 {
					return nil, malformed("extension critical flag")
				}
				critical = bv[0] != 0
			}
			_ = critical
			if !e.ReadASN1(&val, cbasn1.OCTET_STRING) || !e.Empty() {
				return nil, malformed("extension value")
			}
			if err := c.decodeExtension(id, val); err != nil && c.ExtensionErr == nil {
				c.ExtensionErr = err
			}
		}
	}
	if !tbs.Empty() {
		return nil, malformed("tbsCertificate trailing fields")
	}
	return c, nil
}

// The content octets (X.690 §8.19) of the extension OIDs decodeExtension
// knows: 2.5.29.14, .35, .19 and .15.
const (
	rawExtSubjectKeyID = "\x55\x1d\x0e"
	rawExtAuthorityKey = "\x55\x1d\x23"
	rawExtBasicConstr  = "\x55\x1d\x13"
	rawExtKeyUsage     = "\x55\x1d\x0f"
)

// validOID reports whether b is a well-formed OID encoding (X.690
// §8.19.2): non-empty, each subidentifier minimal (no leading 0x80) and
// the last octet ending one.
func validOID(b []byte) bool {
	if len(b) == 0 || b[len(b)-1]&0x80 != 0 {
		return false
	}
	start := true
	for _, c := range b {
		if start && c == 0x80 {
			return false
		}
		start = c&0x80 == 0
	}
	return true
}

func (c *Certificate) decodeExtension(id []byte, val cryptobyte.String) error {
	switch string(id) {
	case rawExtSubjectKeyID:
		var v cryptobyte.String
		if !val.ReadASN1(&v, cbasn1.OCTET_STRING) || !val.Empty() {
			return malformed("subjectKeyIdentifier")
		}
		c.SubjectKeyID = v
	case rawExtAuthorityKey:
		var seq cryptobyte.String
		if !val.ReadASN1(&seq, cbasn1.SEQUENCE) || !val.Empty() {
			return malformed("authorityKeyIdentifier")
		}
		if seq.PeekASN1Tag(cbasn1.Tag(0).ContextSpecific()) {
			var v cryptobyte.String
			if !seq.ReadASN1(&v, cbasn1.Tag(0).ContextSpecific()) {
				return malformed("authorityKeyIdentifier")
			}
			c.AuthorityKeyID = v
		}
	case rawExtBasicConstr:
		var seq cryptobyte.String
		if !val.ReadASN1(&seq, cbasn1.SEQUENCE) || !val.Empty() {
			return malformed("basicConstraints")
		}
		if seq.PeekASN1Tag(cbasn1.BOOLEAN) {
			var bv cryptobyte.String
			if !seq.ReadASN1(&bv, cbasn1.BOOLEAN) || len(bv) != 1 {
				return malformed("basicConstraints cA")
			}
			c.IsCA = bv[0] != 0
		}
		if !seq.Empty() {
			if !readSmallInt(&seq, &c.MaxPathLen) || !seq.Empty() {
				return malformed("basicConstraints pathLenConstraint")
			}
		}
		c.BasicConstraintsValid = true
	case rawExtKeyUsage:
		var bits asn1.BitString
		if !val.ReadASN1BitString(&bits) || !val.Empty() {
			return malformed("keyUsage")
		}
		for i := 0; i < 9; i++ {
			if bits.At(i) != 0 {
				c.KeyUsage |= 1 << i
			}
		}
		c.HasKeyUsage = true
	}
	return nil
}

// signedInt reads two's-complement bytes (negative serials exist in the wild).
func signedInt(b []byte) *big.Int {
	n := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return n
}

// SignedInt decodes the content of a DER INTEGER (two's complement).
func SignedInt(b []byte) *big.Int { return signedInt(b) }

// readTime reads a UTCTime or GeneralizedTime, accepting the variants
// real certificates use (seconds omitted, fractional seconds, offsets).
func readTime(s *cryptobyte.String) (time.Time, error) {
	var v cryptobyte.String
	var tag cbasn1.Tag
	if !s.ReadAnyASN1(&v, &tag) {
		return time.Time{}, malformed("time")
	}
	return ParseTime(byte(tag), string(v))
}

// ParseTime decodes the content of a UTCTime (tag 0x17) or
// GeneralizedTime (tag 0x18).
func ParseTime(tag byte, v string) (time.Time, error) {
	// The DER forms (YYMMDDHHMMSSZ, YYYYMMDDHHMMSSZ) without time.Parse.
	if t, ok := fastTime(tag, v); ok {
		return t, nil
	}
	var layouts []string
	switch tag {
	case 0x17:
		layouts = []string{"0601021504Z0700", "060102150405Z0700", "0601021504-0700", "060102150405-0700"}
	case 0x18:
		layouts = []string{"20060102150405Z0700", "20060102150405.999999999Z0700", "20060102150405-0700", "200601021504Z0700"}
	default:
		return time.Time{}, malformed("time type")
	}
	for _, l := range layouts {
		t, err := time.Parse(l, v)
		if err != nil {
			continue
		}
		if tag == 0x17 && t.Year() >= 2050 { // RFC 5280 §4.1.2.5.1
			t = t.AddDate(-100, 0, 0)
		}
		return t.UTC(), nil
	}
	return time.Time{}, malformed("time value")
}

// CheckSignatureFrom verifies that parent's key signed c.
//
// The signatureAlgorithm outside the TBSCertificate must equal the
// signature field inside it (RFC 5280 §4.1.1.2): the outer one is not
// signed, so a mismatch lets the verifier be told a different algorithm
// from the one the issuer committed to. The two are compared as DER; the
// only variant allowed is the same OID with absent and NULL parameters,
// which real certificates mix for RSA PKCS#1 v1.5 and ECDSA. A mismatch
// is ErrMalformed.
func (c *Certificate) CheckSignatureFrom(parent *Certificate) error {
	if !SameAlgorithm(c.TBSSignatureAlgorithm, c.SignatureAlgorithm) {
		return malformed("signatureAlgorithm differs from tbsCertificate signature")
	}
	if parent.PublicKey == nil {
		if parent.PublicKeyErr != nil {
			return parent.PublicKeyErr
		}
		return unsupported("issuer public key")
	}
	sch, err := Scheme(c.SignatureAlgorithm, 0)
	if err != nil {
		return err
	}
	return sch.Verify(parent.PublicKey, c.RawTBS, c.Signature)
}

// KeyIDSHA1 returns the SHA-1 of the subjectPublicKey bits (RFC 5280
// §4.2.1.2 method 1), the usual subject key identifier.
func (c *Certificate) KeyIDSHA1() []byte {
	s := cryptobyte.String(c.RawSubjectPublicKeyInfo)
	var seq cryptobyte.String
	var bits asn1.BitString
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.SkipASN1(cbasn1.SEQUENCE) || !seq.ReadASN1BitString(&bits) {
		return nil
	}
	h := sha1.Sum(bits.Bytes)
	return h[:]
}

// ValidAt reports whether t lies within [NotBefore, NotAfter].
func (c *Certificate) ValidAt(t time.Time) bool {
	return !t.Before(c.NotBefore) && !t.After(c.NotAfter)
}

// fastTime decodes the DER forms of UTCTime and GeneralizedTime.
func fastTime(tag byte, v string) (time.Time, bool) {
	var n int
	switch tag {
	case 0x17:
		n = 13
	case 0x18:
		n = 15
	default:
		return time.Time{}, false
	}
	if len(v) != n || v[n-1] != 'Z' {
		return time.Time{}, false
	}
	num := func(s string) (int, bool) {
		x := 0
		for i := 0; i < len(s); i++ {
			if s[i] < '0' || s[i] > '9' {
				return 0, false
			}
			x = x*10 + int(s[i]-'0')
		}
		return x, true
	}
	var year int
	var ok bool
	rest := v
	if tag == 0x17 {
		if year, ok = num(v[:2]); !ok {
			return time.Time{}, false
		}
		if year < 50 {
			year += 2000
		} else {
			year += 1900
		}
		rest = v[2:]
	} else {
		if year, ok = num(v[:4]); !ok {
			return time.Time{}, false
		}
		rest = v[4:]
	}
	var f [5]int
	for i := range f {
		if f[i], ok = num(rest[2*i : 2*i+2]); !ok {
			return time.Time{}, false
		}
	}
	mon, day, hh, mm, ss := f[0], f[1], f[2], f[3], f[4]
	t := time.Date(year, time.Month(mon), day, hh, mm, ss, 0, time.UTC)
	// time.Date normalises out-of-range fields; reject them instead.
	if mon < 1 || mon > 12 || t.Day() != day || t.Month() != time.Month(mon) || hh > 23 || mm > 59 || ss > 59 {
		return time.Time{}, false
	}
	return t, true
}
