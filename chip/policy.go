package chip

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"fmt"
	"slices"

	"github.com/cancuoc/sdk/internal/brainpool"
	"github.com/cancuoc/sdk/internal/cms"
)

// AlgorithmPolicy is the set of algorithms passive authentication accepts,
// in VerifyOptions.Policy. Every zero field takes its default, so the zero
// policy is the default policy:
//
//   - data-group hashes, the SOD signature's hashes, the Document
//     Signer certificate's and the CRLs' signature hashes: SHA-256 or
//     stronger;
//   - RSA keys of the Document Signer, the CSCA and the CRL issuers: 2048
//     bits or more;
//   - EC keys: the curves of [DefaultCurves] (NIST P-256, P-384, P-521 and
//     brainpoolP256r1 to P512r1).
//
// This follows BSI TR-03116-2 and the SHA-1 and 1024-bit RSA deprecation
// of NIST SP 800-131A; ICAO 9303-12 still lists SHA-1, which early
// passports (before about 2010) used. To verify such documents, ask for
// it: [LegacyAlgorithms]. A hash is compared by its digest size (SHA-1 <
// SHA-224 < SHA-256 < SHA-384 < SHA-512).
type AlgorithmPolicy struct {
	// MinDataGroupHash is the weakest hash accepted for the data-group
	// hashes of the SOD (0: SHA-256).
	MinDataGroupHash crypto.Hash
	// MinSignatureHash is the weakest hash accepted in the SOD signature:
	// the SignerInfo digest algorithm and the signature algorithm's hash
	// (0: SHA-256).
	MinSignatureHash crypto.Hash
	// MinCertificateHash is the weakest hash accepted in the signature of
	// the Document Signer certificate and of every CRL that counts for
	// the chain (see TrustStore.Chain) (0: SHA-256).
	MinCertificateHash crypto.Hash
	// MinRSABits is the smallest RSA modulus accepted for the Document
	// Signer, CSCA and CRL issuer keys (0: 2048).
	MinRSABits int
	// Curves names the elliptic curves accepted for the Document Signer,
	// CSCA and CRL issuer keys ("P-256", "brainpoolP256r1"; nil:
	// DefaultCurves()).
	Curves []string
}

// DefaultCurves returns the curves the zero AlgorithmPolicy accepts.
func DefaultCurves() []string {
	return []string{"P-256", "P-384", "P-521", "brainpoolP256r1", "brainpoolP320r1", "brainpoolP384r1", "brainpoolP512r1"}
}

// LegacyAlgorithms returns a policy that also accepts what ICAO 9303-12
// allowed for early documents: SHA-1 (hashes and signatures), RSA from
// 1024 bits and the 224-bit curves. Use it only to verify documents of
// that era, knowing SHA-1 signatures can be forged with chosen-prefix
// collisions.
func LegacyAlgorithms() AlgorithmPolicy {
	return AlgorithmPolicy{
		MinDataGroupHash:   crypto.SHA1,
		MinSignatureHash:   crypto.SHA1,
		MinCertificateHash: crypto.SHA1,
		MinRSABits:         1024,
		Curves:             append(DefaultCurves(), "P-224", "brainpoolP224r1"),
	}
}

// Algorithms names every algorithm a verification used, in Report.
type Algorithms struct {
	// DataGroupHash hashes the data groups (the LDS security object's
	// hashAlgorithm).
	DataGroupHash crypto.Hash
	// SignatureDigest is the SignerInfo digest algorithm (signed
	// attributes and content).
	SignatureDigest crypto.Hash
	// Signature is the SOD signature algorithm ("sha256WithRSAEncryption",
	// "RSASSA-PSS", "ecdsa-with-SHA256") and SignatureHash its hash.
	Signature     string
	SignatureHash crypto.Hash
	// SignerKey is the Document Signer's key ("RSA-2048",
	// "ECDSA-brainpoolP256r1").
	SignerKey string
	// Certificate is the signature algorithm of the Document Signer
	// certificate and CertificateHash its hash.
	Certificate     string
	CertificateHash crypto.Hash
	// IssuerKey is the key of the CSCA the signer chained to ("" when it
	// did not chain).
	IssuerKey string
	// CRL is the signature algorithm of the CRLs that counted for the
	// chain (see TrustStore.Chain), the one with the weakest hash when
	// they differ, and CRLHash its hash ("" and 0 when no CRL counted).
	CRL     string
	CRLHash crypto.Hash
}

// algorithms fills what the SOD, its signer and the anchor say.
func algorithms(sod *SOD, signer, anchor *Certificate) Algorithms {
	a := Algorithms{DataGroupHash: sod.HashAlgorithm, SignatureDigest: sod.DigestAlgorithm, Signature: sod.SignatureAlgorithm}
	if sch, err := cms.Scheme(sod.sd.Signer.SignatureAlgorithm, sod.DigestAlgorithm); err == nil {
		a.SignatureHash = sch.Hash
	}
	if signer != nil {
		a.SignerKey, a.Certificate = signer.PublicKeyAlgorithm, signer.SignatureAlgorithm
		if sch, err := cms.Scheme(signer.c.SignatureAlgorithm, 0); err == nil {
			a.CertificateHash = sch.Hash
		}
	}
	if anchor != nil {
		a.IssuerKey = anchor.PublicKeyAlgorithm
	}
	return a
}

// check applies the policy to what a verification used: the data-group
// hash, the SOD signature's hashes, the DS certificate's hash and the DS
// and CSCA keys (each when known). The first refusal wraps
// ErrWeakAlgorithm and names the algorithm.
func (p AlgorithmPolicy) check(a Algorithms, signer, anchor *Certificate) error {
	if err := weak("data-group hash", a.DataGroupHash, p.MinDataGroupHash); err != nil {
		return err
	}
	if err := weak("SOD signature digest", a.SignatureDigest, p.MinSignatureHash); err != nil {
		return err
	}
	if err := weak("SOD signature hash", a.SignatureHash, p.MinSignatureHash); err != nil {
		return err
	}
	if err := weak("Document Signer certificate hash", a.CertificateHash, p.MinCertificateHash); err != nil {
		return err
	}
	if err := p.checkKey("Document Signer key", signer); err != nil {
		return err
	}
	return p.checkKey("CSCA key", anchor)
}

// weak refuses h (when known) if it is weaker than min (0: SHA-256).
func weak(what string, h, min crypto.Hash) error {
	if min == 0 {
		min = crypto.SHA256
	}
	if h != 0 && h.Size() < min.Size() {
		return &PolicyError{What: what, Algorithm: h.String()}
	}
	return nil
}

// crlUse records, for Verify, the CRLs that counted for a chain: the
// signature algorithm with the weakest hash (Algorithms.CRL) and the
// first refusal of policy.
type crlUse struct {
	policy AlgorithmPolicy
	name   string
	hash   crypto.Hash
	err    error
}

// add records crl, which issuer signed. A nil u records nothing.
func (u *crlUse) add(crl *cms.CRL, issuer *Certificate) {
	if u == nil {
		return
	}
	var h crypto.Hash
	if sch, err := cms.Scheme(crl.SignatureAlgorithm, 0); err == nil {
		h = sch.Hash
	}
	if u.name == "" || h != 0 && u.hash != 0 && h.Size() < u.hash.Size() {
		u.name, u.hash = cms.SignatureAlgorithmName(crl.SignatureAlgorithm), h
	}
	if u.err == nil {
		if u.err = weak("CRL signature hash", h, u.policy.MinCertificateHash); u.err == nil {
			u.err = u.policy.checkKey("CRL issuer key", issuer)
		}
	}
}

func (p AlgorithmPolicy) checkKey(what string, c *Certificate) error {
	if c == nil {
		return nil
	}
	minBits := p.MinRSABits
	if minBits == 0 {
		minBits = 2048
	}
	switch k := c.c.PublicKey.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < minBits {
			return &PolicyError{What: what, Algorithm: c.PublicKeyAlgorithm}
		}
	case *ecdsa.PublicKey, *brainpool.PublicKey:
		name := cms.CurveName(k)
		ok := slices.Contains(p.Curves, name)
		if p.Curves == nil {
			ok = defaultCurve(name)
		}
		if !ok {
			return &PolicyError{What: what, Algorithm: c.PublicKeyAlgorithm}
		}
	}
	return nil
}

// defaultCurve reports whether DefaultCurves holds name, without building
// the slice.
func defaultCurve(name string) bool {
	switch name {
	case "P-256", "P-384", "P-521", "brainpoolP256r1", "brainpoolP320r1", "brainpoolP384r1", "brainpoolP512r1":
		return true
	}
	return false
}

// PolicyError reports an algorithm VerifyOptions.Policy refuses. It wraps
// ErrWeakAlgorithm.
type PolicyError struct {
	What      string // "data-group hash", "Document Signer key", ...
	Algorithm string // "SHA-1", "RSA-1024", "ECDSA-P-224"
}

// Error names what was refused.
func (e *PolicyError) Error() string {
	return fmt.Sprintf("chip: %s %s refused by the algorithm policy", e.What, e.Algorithm)
}

// Unwrap returns ErrWeakAlgorithm.
func (e *PolicyError) Unwrap() error { return ErrWeakAlgorithm }
