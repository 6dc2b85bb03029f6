package cms

import (
	"bytes"
	"crypto"
	"encoding/asn1"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// SignedData is a parsed CMS SignedData with exactly one SignerInfo (as
// ICAO requires for EF.SOD and master lists).
type SignedData struct {
	Version          int
	DigestAlgorithms []AlgorithmIdentifier
	EContentType     asn1.ObjectIdentifier
	// EContent is the content octets, exactly as received: the
	// messageDigest attribute is the hash of these bytes.
	EContent []byte
	// Certificates holds the embedded certificates that parsed;
	// CertificateErrors the others (index into the SET, error).
	Certificates      []*Certificate
	RawCertificates   [][]byte
	CertificateErrors []error
	Signer            SignerInfo
}

// SignerInfo is the single signer of a SignedData.
type SignerInfo struct {
	Version int
	// Either IssuerName+SerialNumber (issuerAndSerialNumber) or
	// SubjectKeyID identifies the signer's certificate.
	IssuerName         Name
	SerialNumber       []byte // INTEGER content bytes
	SubjectKeyID       []byte
	DigestAlgorithm    AlgorithmIdentifier
	SignatureAlgorithm AlgorithmIdentifier
	Signature          []byte
	// RawSignedAttrs is the DER SET OF the signed attributes, re-tagged
	// from [0] IMPLICIT to SET (0x31): the bytes the signature covers.
	RawSignedAttrs []byte
	Attributes     []Attribute
	ContentType    asn1.ObjectIdentifier
	MessageDigest  []byte
	SigningTime    time.Time // zero when absent
}

// Attribute is one signed attribute: its type and raw values (each a TLV).
type Attribute struct {
	Type   asn1.ObjectIdentifier
	Values [][]byte
}

// maxCertificates bounds the certificates read from one SignedData.
const maxCertificates = 64

// ParseSignedData parses a ContentInfo carrying SignedData. b must be one
// complete element; BER indefinite lengths are accepted.
func ParseSignedData(b []byte) (*SignedData, error) {
	sd, err := parseSignedData(b)
	if err == nil {
		return sd, nil
	}
	if e, ok := err.(*Error); ok && e.Err == ErrTrailing {
		return nil, err
	}
	der, n, nerr := Normalize(b)
	if nerr != nil {
		return nil, nerr
	}
	if n != len(b) {
		return nil, &Error{Field: "contentInfo", Err: ErrTrailing}
	}
	if bytes.Equal(der, b) {
		return nil, err
	}
	return parseSignedData(der)
}

func parseSignedData(der []byte) (*SignedData, error) {
	s := cryptobyte.String(der)
	var ci, content, sdSeq cryptobyte.String
	var ct asn1.ObjectIdentifier
	if !s.ReadASN1(&ci, cbasn1.SEQUENCE) {
		return nil, malformed("contentInfo")
	}
	if !s.Empty() {
		return nil, &Error{Field: "contentInfo", Err: ErrTrailing}
	}
	if !ci.ReadASN1ObjectIdentifier(&ct) || !ct.Equal(OIDSignedData) {
		return nil, malformed("contentInfo contentType")
	}
	if !ci.ReadASN1(&content, cbasn1.Tag(0).Constructed().ContextSpecific()) || !ci.Empty() ||
		!content.ReadASN1(&sdSeq, cbasn1.SEQUENCE) || !content.Empty() {
		return nil, malformed("contentInfo content")
	}
	sd := &SignedData{}
	var algs, eci cryptobyte.String
	if !readSmallInt(&sdSeq, &sd.Version) {
		return nil, malformed("signedData version")
	}
	if !sdSeq.ReadASN1(&algs, cbasn1.SET) {
		return nil, malformed("digestAlgorithms")
	}
	for !algs.Empty() {
		var a AlgorithmIdentifier
		if !readAlgorithmIdentifier(&algs, &a) || !a.nullParams() || len(sd.DigestAlgorithms) > 8 {
			return nil, malformed("digestAlgorithms")
		}
		sd.DigestAlgorithms = append(sd.DigestAlgorithms, a)
	}
	if !sdSeq.ReadASN1(&eci, cbasn1.SEQUENCE) || !eci.ReadASN1ObjectIdentifier(&sd.EContentType) {
		return nil, malformed("encapContentInfo")
	}
	if !eci.Empty() {
		var ex, oct cryptobyte.String
		if !eci.ReadASN1(&ex, cbasn1.Tag(0).Constructed().ContextSpecific()) || !eci.Empty() ||
			!ex.ReadASN1(&oct, cbasn1.OCTET_STRING) || !ex.Empty() {
			return nil, malformed("eContent")
		}
		sd.EContent = oct
	}
	if sdSeq.PeekASN1Tag(cbasn1.Tag(0).Constructed().ContextSpecific()) {
		var certs cryptobyte.String
		if !sdSeq.ReadASN1(&certs, cbasn1.Tag(0).Constructed().ContextSpecific()) {
			return nil, malformed("certificates")
		}
		for !certs.Empty() {
			var raw cryptobyte.String
			var tag cbasn1.Tag
			if !certs.ReadAnyASN1Element(&raw, &tag) || len(sd.RawCertificates) >= maxCertificates {
				return nil, malformed("certificates")
			}
			sd.RawCertificates = append(sd.RawCertificates, raw)
			if tag != cbasn1.SEQUENCE {
				continue // other certificate choices are ignored
			}
			c, err := ParseCertificate(raw)
			if err != nil {
				sd.CertificateErrors = append(sd.CertificateErrors, err)
				continue
			}
			sd.Certificates = append(sd.Certificates, c)
		}
	}
	if !sdSeq.SkipOptionalASN1(cbasn1.Tag(1).Constructed().ContextSpecific()) {
		return nil, malformed("crls")
	}
	var sis cryptobyte.String
	if !sdSeq.ReadASN1(&sis, cbasn1.SET) || !sdSeq.Empty() {
		return nil, malformed("signerInfos")
	}
	var si cryptobyte.String
	if !sis.ReadASN1(&si, cbasn1.SEQUENCE) {
		return nil, malformed("signerInfo")
	}
	if !sis.Empty() {
		return nil, unsupported("more than one signerInfo")
	}
	if err := parseSignerInfo(si, &sd.Signer); err != nil {
		return nil, err
	}
	// RFC 5652 §5.1, §5.3: versions follow from the content type and sid.
	switch {
	case sd.Version != 1 && sd.Version != 3 && sd.Version != 4 && sd.Version != 5,
		sd.Version == 1 && !sd.EContentType.Equal(OIDData):
		return nil, malformed("signedData version")
	case sd.Signer.SubjectKeyID == nil && sd.Signer.Version != 1,
		sd.Signer.SubjectKeyID != nil && sd.Signer.Version != 3:
		return nil, malformed("signerInfo version")
	}
	listed := false
	for _, a := range sd.DigestAlgorithms {
		listed = listed || a.Algorithm.Equal(sd.Signer.DigestAlgorithm.Algorithm)
	}
	if !listed {
		return nil, malformed("signer digest algorithm not in digestAlgorithms")
	}
	return sd, nil
}

func parseSignerInfo(si cryptobyte.String, out *SignerInfo) error {
	if !readSmallInt(&si, &out.Version) {
		return malformed("signerInfo version")
	}
	switch {
	case si.PeekASN1Tag(cbasn1.SEQUENCE):
		var ias cryptobyte.String
		if !si.ReadASN1(&ias, cbasn1.SEQUENCE) || !readName(&ias, &out.IssuerName) ||
			!readIntegerBytes(&ias, &out.SerialNumber) || !ias.Empty() {
			return malformed("signerInfo issuerAndSerialNumber")
		}
	case si.PeekASN1Tag(cbasn1.Tag(0).ContextSpecific()):
		var ski cryptobyte.String
		if !si.ReadASN1(&ski, cbasn1.Tag(0).ContextSpecific()) {
			return malformed("signerInfo subjectKeyIdentifier")
		}
		out.SubjectKeyID = ski
	default:
		return malformed("signerInfo sid")
	}
	if !readAlgorithmIdentifier(&si, &out.DigestAlgorithm) || !out.DigestAlgorithm.nullParams() {
		return malformed("signerInfo digestAlgorithm")
	}
	if si.PeekASN1Tag(cbasn1.Tag(0).Constructed().ContextSpecific()) {
		var full, attrs cryptobyte.String
		if !si.ReadASN1Element(&full, cbasn1.Tag(0).Constructed().ContextSpecific()) {
			return malformed("signedAttrs")
		}
		// Re-tag [0] IMPLICIT as SET OF (RFC 5652 §5.4): same length bytes.
		raw := make([]byte, len(full))
		copy(raw, full)
		raw[0] = 0x31
		out.RawSignedAttrs = raw
		if !full.ReadASN1(&attrs, cbasn1.Tag(0).Constructed().ContextSpecific()) {
			return malformed("signedAttrs")
		}
		if err := out.readAttributes(attrs); err != nil {
			return err
		}
	}
	if !readAlgorithmIdentifier(&si, &out.SignatureAlgorithm) {
		return malformed("signerInfo signatureAlgorithm")
	}
	var sig cryptobyte.String
	if !si.ReadASN1(&sig, cbasn1.OCTET_STRING) {
		return malformed("signerInfo signature")
	}
	out.Signature = sig
	if !si.SkipOptionalASN1(cbasn1.Tag(1).Constructed().ContextSpecific()) || !si.Empty() {
		return malformed("signerInfo unsignedAttrs")
	}
	return nil
}

func (out *SignerInfo) readAttributes(attrs cryptobyte.String) error {
	for !attrs.Empty() {
		var a, vals cryptobyte.String
		var at Attribute
		if !attrs.ReadASN1(&a, cbasn1.SEQUENCE) || !a.ReadASN1ObjectIdentifier(&at.Type) ||
			!a.ReadASN1(&vals, cbasn1.SET) || !a.Empty() || len(out.Attributes) >= 32 {
			return malformed("signed attribute")
		}
		for !vals.Empty() {
			var v cryptobyte.String
			if !readAny(&vals, &v) || len(at.Values) >= 16 {
				return malformed("signed attribute value")
			}
			at.Values = append(at.Values, v)
		}
		for _, prev := range out.Attributes {
			if prev.Type.Equal(at.Type) {
				return malformed("duplicate signed attribute")
			}
		}
		out.Attributes = append(out.Attributes, at)
		single := func() (cryptobyte.String, error) {
			if len(at.Values) != 1 {
				return nil, malformed("signed attribute value count")
			}
			return cryptobyte.String(at.Values[0]), nil
		}
		switch {
		case at.Type.Equal(OIDAttrContentType):
			v, err := single()
			if err != nil {
				return err
			}
			if !v.ReadASN1ObjectIdentifier(&out.ContentType) || !v.Empty() {
				return malformed("contentType attribute")
			}
		case at.Type.Equal(OIDAttrMessageDig):
			v, err := single()
			if err != nil {
				return err
			}
			var d cryptobyte.String
			if !v.ReadASN1(&d, cbasn1.OCTET_STRING) || !v.Empty() {
				return malformed("messageDigest attribute")
			}
			out.MessageDigest = d
		case at.Type.Equal(OIDAttrSigningTime):
			v, err := single()
			if err != nil {
				return err
			}
			t, err := readTime(&v)
			if err != nil || !v.Empty() {
				return malformed("signingTime attribute")
			}
			out.SigningTime = t
		}
	}
	return nil
}

// DigestHash returns the SignerInfo digest algorithm as a crypto.Hash (0
// when unknown).
func (si *SignerInfo) DigestHash() crypto.Hash { return HashByOID(si.DigestAlgorithm.Algorithm) }

// Matches reports whether c is the certificate the sid designates: same
// subject key identifier, or same issuer (as a set of RDNs, values
// byte for byte) and serial.
func (si *SignerInfo) Matches(c *Certificate) bool {
	if si.SubjectKeyID != nil {
		if c.SubjectKeyID != nil {
			return bytes.Equal(si.SubjectKeyID, c.SubjectKeyID)
		}
		// No extension: RFC 5280 §4.2.1.2 method (1), SHA-1 of the key bits.
		return bytes.Equal(si.SubjectKeyID, c.KeyIDSHA1())
	}
	if signedInt(si.SerialNumber).Cmp(c.SerialNumber) != 0 {
		return false
	}
	return bytes.Equal(si.IssuerName.Raw, c.Issuer.Raw) || si.IssuerName.ExactKey() == c.Issuer.ExactKey()
}

// VerifySignature checks the SignerInfo: the contentType attribute equals
// eContentType, messageDigest equals the digest of EContent, and the
// signature over the signed attributes verifies with pub. Without signed
// attributes the signature covers EContent directly.
func (sd *SignedData) VerifySignature(pub crypto.PublicKey) error {
	si := &sd.Signer
	h := si.DigestHash()
	if h == 0 || !h.Available() {
		return unsupported("digest algorithm")
	}
	sch, err := Scheme(si.SignatureAlgorithm, h)
	if err != nil {
		return err
	}
	if err := sd.CheckMessageDigest(); err != nil {
		return err
	}
	if si.RawSignedAttrs == nil {
		return sch.Verify(pub, sd.EContent, si.Signature)
	}
	return sch.Verify(pub, si.RawSignedAttrs, si.Signature)
}

// CheckMessageDigest compares the messageDigest attribute with the hash
// of EContent and the contentType attribute with eContentType.
func (sd *SignedData) CheckMessageDigest() error {
	si := &sd.Signer
	if si.RawSignedAttrs == nil {
		// RFC 5652 §5.3: signed attributes may be absent only for id-data,
		// and then the signature covers the content itself.
		if sd.EContentType.Equal(OIDData) {
			return nil
		}
		return malformed("signedAttrs missing")
	}
	h := si.DigestHash()
	if h == 0 || !h.Available() {
		return unsupported("digest algorithm")
	}
	if si.ContentType == nil || !si.ContentType.Equal(sd.EContentType) {
		return malformed("contentType attribute")
	}
	if len(si.MessageDigest) != h.Size() {
		return malformed("messageDigest length")
	}
	d := h.New()
	d.Write(sd.EContent)
	if !bytes.Equal(d.Sum(nil), si.MessageDigest) {
		return &Error{Field: "messageDigest", Err: ErrDigestMismatch}
	}
	return nil
}
