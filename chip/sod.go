package chip

import (
	"bytes"
	"crypto"
	"encoding/asn1"
	"hash"
	"slices"
	"time"

	"github.com/cancuoc/sdk/internal/cms"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// SOD is a parsed EF.SOD (ICAO 9303-10 §4.6.2): the LDS security object
// with its data-group hashes, and the CMS SignedData that signs it.
type SOD struct {
	// Raw is the file exactly as received.
	Raw []byte
	// Version is the LDSSecurityObject version: 0, or 1 with LDSVersion
	// and UnicodeVersion set.
	Version                    int
	LDSVersion, UnicodeVersion string
	// HashAlgorithm hashes the data groups.
	HashAlgorithm crypto.Hash
	// Hashes lists the data-group hashes in the order of the file.
	Hashes []DataGroupHash
	// ContentType is the eContentType: the LDS OID 2.23.136.1.1.1, the
	// older 1.3.27.1.1.1 (seen in French and Belgian documents) or id-data.
	ContentType asn1.ObjectIdentifier
	// SigningTime is the signingTime attribute (zero when absent).
	SigningTime time.Time
	// SignedAttributes lists the types of all signed attributes in file
	// order (contentType, messageDigest, signingTime and any others, such
	// as signingCertificate).
	SignedAttributes []asn1.ObjectIdentifier
	// DigestAlgorithm hashes the signed attributes and the content.
	DigestAlgorithm crypto.Hash
	// SignatureAlgorithm names the SignerInfo signature algorithm.
	SignatureAlgorithm string
	// Certificates are the certificates embedded in the SignedData.
	Certificates []*Certificate

	sd *cms.SignedData
}

// DataGroupHash is one entry of the LDS security object.
type DataGroupHash struct {
	Number int
	Hash   []byte
}

// maxSODSize bounds the file size accepted.
const maxSODSize = 1 << 20

// ParseSOD parses EF.SOD: tag 77 around a ContentInfo(SignedData). BER
// indefinite lengths are accepted; bytes after the object, a digest whose
// length does not fit the algorithm, duplicate or out-of-range data-group
// numbers and an unexpected content type are errors.
func ParseSOD(b []byte) (*SOD, error) {
	if len(b) > maxSODSize {
		return nil, &ParseError{File: FileSOD, Offset: -1, Err: ErrMalformed}
	}
	inner, err := cms.Unwrap(b, 0x77)
	if err != nil {
		return nil, fromCMS(FileSOD, err)
	}
	sd, err := cms.ParseSignedData(inner)
	if err != nil {
		return nil, fromCMS(FileSOD, err)
	}
	s := &SOD{Raw: b, ContentType: sd.EContentType, sd: sd, SigningTime: sd.Signer.SigningTime}
	if !sd.EContentType.Equal(cms.OIDLDSSecurityObj) && !sd.EContentType.Equal(cms.OIDLDSSecurityObjAlt) && !sd.EContentType.Equal(cms.OIDData) {
		return nil, &ParseError{File: FileSOD, Field: "eContentType", Offset: -1, Err: ErrMalformed}
	}
	if sd.EContent == nil {
		return nil, &ParseError{File: FileSOD, Field: "eContent", Offset: -1, Err: ErrMalformed}
	}
	if err := s.parseLDSSecurityObject(sd.EContent); err != nil {
		return nil, err
	}
	for _, a := range sd.Signer.Attributes {
		s.SignedAttributes = append(s.SignedAttributes, a.Type)
	}
	s.DigestAlgorithm = sd.Signer.DigestHash()
	s.SignatureAlgorithm = cms.SignatureAlgorithmName(sd.Signer.SignatureAlgorithm)
	for _, c := range sd.Certificates {
		s.Certificates = append(s.Certificates, newCertificate(c))
	}
	return s, nil
}

func (s *SOD) parseLDSSecurityObject(b []byte) error {
	perr := func(field string, err error) error {
		return &ParseError{File: FileSOD, Field: "LDSSecurityObject " + field, Offset: -1, Err: err}
	}
	der := b
	if n, err := cms.ElementLen(b); err != nil {
		return perr("", ErrMalformed)
	} else if n != len(b) {
		return perr("", ErrTrailingData)
	}
	if conv, _, err := cms.Normalize(b); err == nil {
		der = conv
	}
	in := cryptobyte.String(der)
	var seq, hashes cryptobyte.String
	var alg, params cryptobyte.String
	var oid asn1.ObjectIdentifier
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) || !in.Empty() {
		return perr("", ErrMalformed)
	}
	if !seq.ReadASN1Integer(&s.Version) || (s.Version != 0 && s.Version != 1) {
		return perr("version", ErrMalformed)
	}
	if !seq.ReadASN1(&alg, cbasn1.SEQUENCE) || !alg.ReadASN1ObjectIdentifier(&oid) {
		return perr("hashAlgorithm", ErrMalformed)
	}
	// Parameters are absent or NULL (RFC 5754 §2).
	if !alg.Empty() && (!alg.ReadASN1Element(&params, cbasn1.NULL) || len(params) != 2 || !alg.Empty()) {
		return perr("hashAlgorithm", ErrMalformed)
	}
	s.HashAlgorithm = cms.HashByOID(oid)
	if s.HashAlgorithm == 0 {
		return perr("hashAlgorithm", ErrUnsupportedAlgorithm)
	}
	if !seq.ReadASN1(&hashes, cbasn1.SEQUENCE) {
		return perr("dataGroupHashValues", ErrMalformed)
	}
	for !hashes.Empty() {
		var e, h cryptobyte.String
		var n int
		if !hashes.ReadASN1(&e, cbasn1.SEQUENCE) || !e.ReadASN1Integer(&n) ||
			!e.ReadASN1(&h, cbasn1.OCTET_STRING) || !e.Empty() {
			return perr("dataGroupHashValues", ErrMalformed)
		}
		if n < 1 || n > 16 || slices.ContainsFunc(s.Hashes, func(d DataGroupHash) bool { return d.Number == n }) {
			return perr("dataGroupNumber", ErrMalformed)
		}
		if len(h) != s.HashAlgorithm.Size() {
			return perr("dataGroupHashValue length", ErrMalformed)
		}
		s.Hashes = append(s.Hashes, DataGroupHash{Number: n, Hash: h})
	}
	if len(s.Hashes) == 0 {
		return perr("dataGroupHashValues", ErrMalformed)
	}
	if s.Version == 1 {
		var vi, lds, uni cryptobyte.String
		if !seq.ReadASN1(&vi, cbasn1.SEQUENCE) || !vi.ReadASN1(&lds, cbasn1.PrintableString) ||
			!vi.ReadASN1(&uni, cbasn1.PrintableString) || !vi.Empty() {
			return perr("ldsVersionInfo", ErrMalformed)
		}
		s.LDSVersion, s.UnicodeVersion = string(lds), string(uni)
	}
	if !seq.Empty() {
		return perr("", ErrTrailingData)
	}
	return nil
}

// DataGroupHash returns the hash the SOD holds for data group n.
func (s *SOD) DataGroupHash(n int) ([]byte, bool) {
	for _, d := range s.Hashes {
		if d.Number == n {
			return d.Hash, true
		}
	}
	return nil, false
}

// SignerCertificate returns the embedded certificate the SignerInfo
// designates (by issuer and serial number, names compared as sets of
// RDNs, or by subject key identifier).
func (s *SOD) SignerCertificate() (*Certificate, error) {
	if !s.parsed() {
		return nil, nilArgument("SOD")
	}
	for _, c := range s.Certificates {
		if s.sd.Signer.Matches(c.c) {
			return c, nil
		}
	}
	return nil, &ParseError{File: FileSOD, Field: "signer certificate not embedded", Offset: -1, Err: ErrUntrustedSigner}
}

// SignerMatches reports whether c is the certificate the SOD's SignerInfo
// designates.
func (s *SOD) SignerMatches(c *Certificate) bool {
	return s.parsed() && c.parsed() && s.sd.Signer.Matches(c.c)
}

// parsed reports whether s was made by ParseSOD.
func (s *SOD) parsed() bool { return s != nil && s.sd != nil }

// CheckMessageDigest compares the signed messageDigest with the hash of
// the LDS security object (ErrDigestMismatch) and the contentType
// attribute with eContentType.
func (s *SOD) CheckMessageDigest() error {
	if !s.parsed() {
		return nilArgument("SOD")
	}
	if err := s.sd.CheckMessageDigest(); err != nil {
		return fromCMS(FileSOD, err)
	}
	return nil
}

// VerifySignature checks the messageDigest and the signature of the
// SignerInfo with c's public key. It does not check c's trust.
func (s *SOD) VerifySignature(c *Certificate) error {
	if !s.parsed() || !c.parsed() {
		return nilArgument("SOD or certificate")
	}
	if c.c.PublicKey == nil {
		return &ParseError{File: FileSOD, Field: "signer public key", Offset: -1, Err: ErrUnsupportedAlgorithm}
	}
	if err := s.sd.VerifySignature(c.c.PublicKey); err != nil {
		return fromCMS(FileSOD, err)
	}
	return nil
}

// checkHash compares the hash of a received data group with the SOD.
func (s *SOD) checkHash(h hash.Hash, n int, file []byte) (status string) {
	want, ok := s.DataGroupHash(n)
	if !ok {
		return StatusNotInSOD
	}
	h.Reset()
	h.Write(file)
	var buf [64]byte
	if bytes.Equal(h.Sum(buf[:0]), want) {
		return StatusOK
	}
	// Some readers return the whole EF, zero-padded after the data
	// group's TLV; the issuer hashed the TLV. Padding that is all zeros
	// carries no data, so the TLV alone may match.
	if n, err := cms.ElementLen(file); err == nil && n < len(file) && allZero(file[n:]) {
		h.Reset()
		h.Write(file[:n])
		if bytes.Equal(h.Sum(buf[:0]), want) {
			return StatusOK
		}
	}
	return StatusMismatch
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
