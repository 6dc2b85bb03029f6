package cms

import (
	"encoding/asn1"
	"math/big"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// CRL is a parsed X.509 certificate revocation list (RFC 5280 §5).
type CRL struct {
	RawTBS             []byte
	SignatureAlgorithm AlgorithmIdentifier
	Signature          []byte
	Issuer             Name
	ThisUpdate         time.Time
	NextUpdate         time.Time // zero when absent
	// Revoked holds the revoked serial numbers.
	Revoked []*big.Int
	// TBSSignatureAlgorithm is tbsCertList.signature; ParseCRL requires
	// it to equal SignatureAlgorithm.
	TBSSignatureAlgorithm AlgorithmIdentifier
}

// maxRevoked bounds the entries read from one CRL.
const maxRevoked = 1 << 20

// ParseCRL parses one DER CRL; trailing bytes are an error.
//
// It returns only complete CRLs whose every critical part it understands;
// otherwise the error is ErrMalformed and names the field:
//
//   - the signatureAlgorithm outside tbsCertList must equal the signature
//     field inside it (RFC 5280 §5.1.1.2), compared as SameAlgorithm
//     compares those of certificates: the outer one is not signed;
//   - a delta CRL (deltaCRLIndicator, RFC 5280 §5.2.4) or a CRL whose
//     scope an issuingDistributionPoint restricts (§5.2.5) is not a
//     complete list of the issuer's revocations, and ICAO 9303-12's CRL
//     profile forbids both: it is refused whether or not the extension
//     is marked critical;
//   - a critical CRL extension other than authorityKeyIdentifier,
//     cRLNumber and issuerAltName, or a critical entry extension other
//     than reasonCode and invalidityDate (e.g. certificateIssuer, which
//     makes an indirect CRL), is refused (RFC 5280 §5.2 and §5.3: a CRL
//     with a critical extension the application cannot process must not
//     be used). Non-critical extensions are ignored.
func ParseCRL(der []byte) (*CRL, error) {
	s := cryptobyte.String(der)
	var seq, tbs cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) {
		return nil, malformed("CRL")
	}
	if !s.Empty() {
		return nil, &Error{Field: "CRL", Err: ErrTrailing}
	}
	c := &CRL{}
	var bits asn1.BitString
	if !seq.ReadASN1Element(&tbs, cbasn1.SEQUENCE) || !readAlgorithmIdentifier(&seq, &c.SignatureAlgorithm) ||
		!seq.ReadASN1BitString(&bits) || !seq.Empty() {
		return nil, malformed("CRL")
	}
	c.RawTBS = tbs
	c.Signature = bits.RightAlign()
	if !tbs.ReadASN1(&tbs, cbasn1.SEQUENCE) {
		return nil, malformed("tbsCertList")
	}
	if tbs.PeekASN1Tag(cbasn1.INTEGER) {
		var v int
		if !readSmallInt(&tbs, &v) {
			return nil, malformed("CRL version")
		}
	}
	if !readAlgorithmIdentifier(&tbs, &c.TBSSignatureAlgorithm) || !readName(&tbs, &c.Issuer) {
		return nil, malformed("CRL issuer")
	}
	if !SameAlgorithm(c.TBSSignatureAlgorithm, c.SignatureAlgorithm) {
		return nil, malformed("signatureAlgorithm differs from tbsCertList signature")
	}
	var err error
	if c.ThisUpdate, err = readTime(&tbs); err != nil {
		return nil, err
	}
	if tbs.PeekASN1Tag(cbasn1.UTCTime) || tbs.PeekASN1Tag(cbasn1.GeneralizedTime) {
		if c.NextUpdate, err = readTime(&tbs); err != nil {
			return nil, err
		}
	}
	if tbs.PeekASN1Tag(cbasn1.SEQUENCE) {
		var list cryptobyte.String
		if !tbs.ReadASN1(&list, cbasn1.SEQUENCE) {
			return nil, malformed("revokedCertificates")
		}
		for !list.Empty() {
			var e, date cryptobyte.String
			var serial []byte
			if !list.ReadASN1(&e, cbasn1.SEQUENCE) || !readIntegerBytes(&e, &serial) || !readAny(&e, &date) ||
				len(c.Revoked) >= maxRevoked {
				return nil, malformed("revokedCertificate")
			}
			if !e.Empty() {
				var exts cryptobyte.String
				if !e.ReadASN1(&exts, cbasn1.SEQUENCE) || !e.Empty() {
					return nil, malformed("crlEntryExtensions")
				}
				if err := checkCRLExtensions(exts, true); err != nil {
					return nil, err
				}
			}
			c.Revoked = append(c.Revoked, signedInt(serial))
		}
	}
	if tbs.PeekASN1Tag(cbasn1.Tag(0).Constructed().ContextSpecific()) {
		var exts cryptobyte.String
		if !tbs.ReadASN1(&exts, cbasn1.Tag(0).Constructed().ContextSpecific()) ||
			!exts.ReadASN1(&exts, cbasn1.SEQUENCE) {
			return nil, malformed("crlExtensions")
		}
		if err := checkCRLExtensions(exts, false); err != nil {
			return nil, err
		}
	}
	if !tbs.Empty() {
		return nil, malformed("tbsCertList trailing fields")
	}
	return c, nil
}

// The content octets (X.690 §8.19) of the CRL and CRL entry extension
// OIDs checkCRLExtensions knows (RFC 5280 §5.2, §5.3).
const (
	rawExtIssuerAltName  = "\x55\x1d\x12" // 2.5.29.18
	rawExtCRLNumber      = "\x55\x1d\x14" // 2.5.29.20
	rawExtReasonCode     = "\x55\x1d\x15" // 2.5.29.21
	rawExtInvalidityDate = "\x55\x1d\x18" // 2.5.29.24
	rawExtDeltaCRL       = "\x55\x1d\x1b" // 2.5.29.27
	rawExtIssuingDP      = "\x55\x1d\x1c" // 2.5.29.28
)

// checkCRLExtensions applies ParseCRL's extension rules to the
// Extensions of a CRL (entry false) or of one revoked entry (entry true).
func checkCRLExtensions(exts cryptobyte.String, entry bool) error {
	field := "crlExtensions"
	if entry {
		field = "crlEntryExtensions"
	}
	for !exts.Empty() {
		var e, id, val cryptobyte.String
		if !exts.ReadASN1(&e, cbasn1.SEQUENCE) || !e.ReadASN1(&id, cbasn1.OBJECT_IDENTIFIER) || !validOID(id) {
			return malformed(field)
		}
		critical := false
		if e.PeekASN1Tag(cbasn1.BOOLEAN) {
			var bv cryptobyte.String
			if !e.ReadASN1(&bv, cbasn1.BOOLEAN) || len(bv) != 1 {
				return malformed(field + " critical flag")
			}
			critical = bv[0] != 0
		}
		if !e.ReadASN1(&val, cbasn1.OCTET_STRING) || !e.Empty() {
			return malformed(field + " value")
		}
		var known bool
		switch k := string(id); {
		case !entry && k == rawExtDeltaCRL:
			return malformed("crlExtensions deltaCRLIndicator (delta CRL)")
		case !entry && k == rawExtIssuingDP:
			return malformed("crlExtensions issuingDistributionPoint (partial CRL)")
		case !entry:
			known = k == rawExtAuthorityKey || k == rawExtCRLNumber || k == rawExtIssuerAltName
		default:
			known = k == rawExtReasonCode || k == rawExtInvalidityDate
		}
		if critical && !known {
			return malformed(field + " unknown critical extension")
		}
	}
	return nil
}

// CheckSignatureFrom verifies that issuer's key signed the CRL (the
// inner and outer algorithms are equal: ParseCRL checked them). Whether
// issuer may sign CRLs (keyUsage cRLSign) is the caller's rule.
func (c *CRL) CheckSignatureFrom(issuer *Certificate) error {
	if issuer.PublicKey == nil {
		return unsupported("issuer public key")
	}
	sch, err := Scheme(c.SignatureAlgorithm, 0)
	if err != nil {
		return err
	}
	return sch.Verify(issuer.PublicKey, c.RawTBS, c.Signature)
}

// IsRevoked reports whether serial is listed.
func (c *CRL) IsRevoked(serial *big.Int) bool {
	for _, r := range c.Revoked {
		if r.Cmp(serial) == 0 {
			return true
		}
	}
	return false
}
