package chip

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/cancuoc/sdk/internal/brainpool"
	"github.com/cancuoc/sdk/internal/cms"
)

// Certificate is an X.509 certificate as passive authentication reads it:
// a Document Signer, a CSCA or a master-list signer. It is parsed by this
// package, not by crypto/x509, so certificates that crypto/x509 refuses
// (explicit EC parameters, negative serials, RSASSA-PSS, brainpool keys)
// are still usable. The parsed fields are read-only.
type Certificate struct {
	// Raw is the certificate's encoding (DER lengths).
	Raw []byte
	// Subject and Issuer are RFC 4514-style strings for display; names
	// are compared as sets of RDNs, not as these strings.
	Subject, Issuer string
	// SerialNumber may be negative: some issuers encode it so.
	SerialNumber        *big.Int
	NotBefore, NotAfter time.Time
	// PublicKeyAlgorithm describes the key, such as "RSA-2048",
	// "ECDSA-P-256" or "ECDSA-brainpoolP256r1" ("" when unsupported).
	PublicKeyAlgorithm string
	// SignatureAlgorithm names the algorithm of the issuer's signature.
	SignatureAlgorithm string
	SubjectKeyID       []byte
	AuthorityKeyID     []byte
	// IsCA is the basicConstraints cA flag (false when the extension is
	// absent or malformed).
	IsCA bool
	// Country is the subject's countryName, upper-cased.
	Country string

	c *cms.Certificate
}

// ParseCertificate parses one certificate in DER (BER lengths accepted).
// A certificate whose key this package cannot use still parses; its
// PublicKey is nil and KeyError says why.
func ParseCertificate(der []byte) (*Certificate, error) {
	c, err := cms.ParseCertificate(der)
	if err != nil {
		return nil, fromCMS("certificate", err)
	}
	return newCertificate(c), nil
}

func newCertificate(c *cms.Certificate) *Certificate {
	out := &Certificate{
		Raw:                c.Raw,
		Subject:            c.Subject.String(),
		Issuer:             c.Issuer.String(),
		SerialNumber:       c.SerialNumber,
		NotBefore:          c.NotBefore,
		NotAfter:           c.NotAfter,
		SignatureAlgorithm: cms.SignatureAlgorithmName(c.SignatureAlgorithm),
		SubjectKeyID:       c.SubjectKeyID,
		AuthorityKeyID:     c.AuthorityKeyID,
		IsCA:               c.BasicConstraintsValid && c.IsCA,
		Country:            c.Subject.Country(),
		c:                  c,
	}
	out.PublicKeyAlgorithm = keyName(c.PublicKey)
	return out
}

func keyName(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA-%d", k.N.BitLen())
	case *ecdsa.PublicKey, *brainpool.PublicKey:
		return "ECDSA-" + cms.CurveName(k)
	}
	return ""
}

// PublicKey returns the subject's key: *rsa.PublicKey, *ecdsa.PublicKey,
// or a brainpool key (an internal type usable only through this
// package). It is nil when KeyError is not.
func (c *Certificate) PublicKey() crypto.PublicKey {
	if !c.parsed() {
		return nil
	}
	return c.c.PublicKey
}

// KeyError says why the public key is unusable, or nil.
func (c *Certificate) KeyError() error {
	if !c.parsed() {
		return nilArgument("certificate")
	}
	if c.c.PublicKeyErr == nil {
		return nil
	}
	return fromCMS("subjectPublicKeyInfo", c.c.PublicKeyErr)
}

// CheckSignatureFrom verifies that parent's key signed c. It returns an
// error wrapping ErrSignature or ErrUnsupportedAlgorithm.
func (c *Certificate) CheckSignatureFrom(parent *Certificate) error {
	if !c.parsed() || !parent.parsed() {
		return nilArgument("certificate")
	}
	if err := c.c.CheckSignatureFrom(parent.c); err != nil {
		return fromCMS("certificate signature", err)
	}
	return nil
}

// parsed reports whether c was made by ParseCertificate (or a parser that
// uses it), as the methods that verify need.
func (c *Certificate) parsed() bool { return c != nil && c.c != nil }

// ValidAt reports whether t lies within the validity period.
func (c *Certificate) ValidAt(t time.Time) bool { return c.parsed() && c.c.ValidAt(t) }

// X509 parses the certificate with crypto/x509, for callers that need its
// richer API. It fails for many real CSCA certificates; this package
// never depends on it.
func (c *Certificate) X509() (*x509.Certificate, error) { return x509.ParseCertificate(c.Raw) }

// String returns the subject.
func (c *Certificate) String() string { return c.Subject }

// ParseCertificates reads every certificate in b: PEM (any number of
// CERTIFICATE blocks) or one DER certificate.
func ParseCertificates(b []byte) ([]*Certificate, error) {
	var out []*Certificate
	rest := b
	for {
		var blk *pem.Block
		blk, rest = pem.Decode(rest)
		if blk == nil {
			break
		}
		if blk.Type != "CERTIFICATE" {
			continue
		}
		c, err := ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if out != nil {
		return out, nil
	}
	c, err := ParseCertificate(b)
	if err != nil {
		return nil, err
	}
	return []*Certificate{c}, nil
}

// fromCMS converts an internal/cms error into a *ParseError wrapping the
// matching chip sentinel.
func fromCMS(file string, err error) error {
	var sentinel error
	switch {
	case errors.Is(err, cms.ErrTrailing):
		sentinel = ErrTrailingData
	case errors.Is(err, cms.ErrUnsupported):
		sentinel = ErrUnsupportedAlgorithm
	case errors.Is(err, cms.ErrSignature):
		sentinel = ErrSignature
	case errors.Is(err, cms.ErrDigestMismatch):
		sentinel = ErrDigestMismatch
	default:
		sentinel = ErrMalformed
	}
	field := ""
	var ce *cms.Error
	if errors.As(err, &ce) {
		field = ce.Field
	}
	return &ParseError{File: file, Field: field, Offset: -1, Err: sentinel}
}
