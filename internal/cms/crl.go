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
}

// maxRevoked bounds the entries read from one CRL.
const maxRevoked = 1 << 20

// ParseCRL parses one DER CRL; trailing bytes are an error.
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
	var inner AlgorithmIdentifier
	if !tbs.ReadASN1(&tbs, cbasn1.SEQUENCE) {
		return nil, malformed("tbsCertList")
	}
	if tbs.PeekASN1Tag(cbasn1.INTEGER) {
		var v int
		if !readSmallInt(&tbs, &v) {
			return nil, malformed("CRL version")
		}
	}
	if !readAlgorithmIdentifier(&tbs, &inner) || !readName(&tbs, &c.Issuer) {
		return nil, malformed("CRL issuer")
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
			var e cryptobyte.String
			var serial []byte
			if !list.ReadASN1(&e, cbasn1.SEQUENCE) || !readIntegerBytes(&e, &serial) || len(c.Revoked) >= maxRevoked {
				return nil, malformed("revokedCertificate")
			}
			c.Revoked = append(c.Revoked, signedInt(serial))
		}
	}
	if !tbs.SkipOptionalASN1(cbasn1.Tag(0).Constructed().ContextSpecific()) || !tbs.Empty() {
		return nil, malformed("crlExtensions")
	}
	return c, nil
}

// CheckSignatureFrom verifies that issuer signed the CRL.
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
