package cms

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/asn1"
	"math/big"

	"github.com/cancuoc/sdk/internal/brainpool"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// sigKind is the signature scheme an AlgorithmIdentifier names.
type sigKind int

const (
	kindPKCS1 sigKind = iota + 1
	kindPSS
	kindECDSA      // DER ECDSA-Sig-Value
	kindECDSAPlain // r||s (BSI TR-03111)
)

var sigAlgs = []struct {
	oid  asn1.ObjectIdentifier
	kind sigKind
	h    crypto.Hash
	name string
}{
	{OIDSHA1WithRSA, kindPKCS1, crypto.SHA1, "sha1WithRSAEncryption"},
	{OIDSHA224WithRSA, kindPKCS1, crypto.SHA224, "sha224WithRSAEncryption"},
	{OIDSHA256WithRSA, kindPKCS1, crypto.SHA256, "sha256WithRSAEncryption"},
	{OIDSHA384WithRSA, kindPKCS1, crypto.SHA384, "sha384WithRSAEncryption"},
	{OIDSHA512WithRSA, kindPKCS1, crypto.SHA512, "sha512WithRSAEncryption"},
	{OIDECDSAWithSHA1, kindECDSA, crypto.SHA1, "ecdsa-with-SHA1"},
	{OIDECDSAWithSHA224, kindECDSA, crypto.SHA224, "ecdsa-with-SHA224"},
	{OIDECDSAWithSHA256, kindECDSA, crypto.SHA256, "ecdsa-with-SHA256"},
	{OIDECDSAWithSHA384, kindECDSA, crypto.SHA384, "ecdsa-with-SHA384"},
	{OIDECDSAWithSHA512, kindECDSA, crypto.SHA512, "ecdsa-with-SHA512"},
	{append(oidECDSAPlainPrefix[:len(oidECDSAPlainPrefix):len(oidECDSAPlainPrefix)], 1), kindECDSAPlain, crypto.SHA1, "ecdsa-plain-SHA1"},
	{append(oidECDSAPlainPrefix[:len(oidECDSAPlainPrefix):len(oidECDSAPlainPrefix)], 2), kindECDSAPlain, crypto.SHA224, "ecdsa-plain-SHA224"},
	{append(oidECDSAPlainPrefix[:len(oidECDSAPlainPrefix):len(oidECDSAPlainPrefix)], 3), kindECDSAPlain, crypto.SHA256, "ecdsa-plain-SHA256"},
	{append(oidECDSAPlainPrefix[:len(oidECDSAPlainPrefix):len(oidECDSAPlainPrefix)], 4), kindECDSAPlain, crypto.SHA384, "ecdsa-plain-SHA384"},
	{append(oidECDSAPlainPrefix[:len(oidECDSAPlainPrefix):len(oidECDSAPlainPrefix)], 5), kindECDSAPlain, crypto.SHA512, "ecdsa-plain-SHA512"},
}

// SignatureScheme describes how to verify a signature.
type SignatureScheme struct {
	kind sigKind
	Hash crypto.Hash
	// SaltLength is the RSA-PSS salt length.
	SaltLength int
}

// Name returns a readable name such as "sha256WithRSAEncryption",
// "RSASSA-PSS", "ecdsa-with-SHA256".
func (s SignatureScheme) Name() string {
	h := s.Hash.String()
	switch s.kind {
	case kindPKCS1:
		return "RSA-PKCS1v15-" + h
	case kindPSS:
		return "RSASSA-PSS-" + h
	case kindECDSA:
		return "ECDSA-" + h
	case kindECDSAPlain:
		return "ECDSA-plain-" + h
	}
	return "unknown"
}

// SignatureAlgorithmName names a signature AlgorithmIdentifier for display.
func SignatureAlgorithmName(alg AlgorithmIdentifier) string {
	for _, a := range sigAlgs {
		if a.oid.Equal(alg.Algorithm) {
			return a.name
		}
	}
	switch {
	case alg.Algorithm.Equal(OIDRSAEncryption):
		return "rsaEncryption"
	case alg.Algorithm.Equal(OIDRSAPSS):
		return "RSASSA-PSS"
	case alg.Algorithm.Equal(OIDECPublicKey):
		return "ecPublicKey"
	}
	return alg.Algorithm.String()
}

// Scheme resolves a signature AlgorithmIdentifier. digest is the digest
// algorithm to use when the identifier does not name one (rsaEncryption or
// ecPublicKey used as a signature algorithm, as some SODs do).
func Scheme(alg AlgorithmIdentifier, digest crypto.Hash) (SignatureScheme, error) {
	for _, a := range sigAlgs {
		if a.oid.Equal(alg.Algorithm) {
			// Parameters must be absent or NULL (RFC 5754 allows both in practice).
			if !alg.nullParams() {
				return SignatureScheme{}, malformed("signature algorithm parameters")
			}
			return SignatureScheme{kind: a.kind, Hash: a.h}, nil
		}
	}
	switch {
	case alg.Algorithm.Equal(OIDRSAEncryption):
		if digest == 0 {
			return SignatureScheme{}, unsupported("rsaEncryption without digest algorithm")
		}
		return SignatureScheme{kind: kindPKCS1, Hash: digest}, nil
	case alg.Algorithm.Equal(OIDECPublicKey):
		if digest == 0 {
			return SignatureScheme{}, unsupported("ecPublicKey without digest algorithm")
		}
		return SignatureScheme{kind: kindECDSA, Hash: digest}, nil
	case alg.Algorithm.Equal(OIDRSAPSS):
		return pssScheme(alg.Parameters)
	}
	return SignatureScheme{}, unsupported("signature algorithm")
}

// pssScheme reads RSASSA-PSS-params (RFC 4055 §3.1).
func pssScheme(params []byte) (SignatureScheme, error) {
	sch := SignatureScheme{kind: kindPSS, Hash: crypto.SHA1, SaltLength: 20}
	if len(params) == 0 {
		return sch, nil
	}
	s := cryptobyte.String(params)
	var seq cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !s.Empty() {
		return sch, malformed("RSASSA-PSS parameters")
	}
	mgfHash := crypto.SHA1
	if seq.PeekASN1Tag(cbasn1.Tag(0).Constructed().ContextSpecific()) {
		var e cryptobyte.String
		var h AlgorithmIdentifier
		if !seq.ReadASN1(&e, cbasn1.Tag(0).Constructed().ContextSpecific()) || !readAlgorithmIdentifier(&e, &h) || !e.Empty() || !h.nullParams() {
			return sch, malformed("RSASSA-PSS hashAlgorithm")
		}
		if sch.Hash = HashByOID(h.Algorithm); sch.Hash == 0 {
			return sch, unsupported("RSASSA-PSS hash")
		}
	}
	if seq.PeekASN1Tag(cbasn1.Tag(1).Constructed().ContextSpecific()) {
		var e cryptobyte.String
		var m, h AlgorithmIdentifier
		if !seq.ReadASN1(&e, cbasn1.Tag(1).Constructed().ContextSpecific()) || !readAlgorithmIdentifier(&e, &m) || !e.Empty() {
			return sch, malformed("RSASSA-PSS maskGenAlgorithm")
		}
		p := cryptobyte.String(m.Parameters)
		if !m.Algorithm.Equal(OIDMGF1) || !readAlgorithmIdentifier(&p, &h) || !p.Empty() {
			return sch, unsupported("RSASSA-PSS mask generation")
		}
		if !h.nullParams() {
			return sch, malformed("RSASSA-PSS MGF1 hash parameters")
		}
		mgfHash = HashByOID(h.Algorithm)
	}
	if seq.PeekASN1Tag(cbasn1.Tag(2).Constructed().ContextSpecific()) {
		var e cryptobyte.String
		if !seq.ReadASN1(&e, cbasn1.Tag(2).Constructed().ContextSpecific()) || !readSmallInt(&e, &sch.SaltLength) || !e.Empty() {
			return sch, malformed("RSASSA-PSS saltLength")
		}
	}
	if seq.PeekASN1Tag(cbasn1.Tag(3).Constructed().ContextSpecific()) {
		var e cryptobyte.String
		var t int
		if !seq.ReadASN1(&e, cbasn1.Tag(3).Constructed().ContextSpecific()) || !readSmallInt(&e, &t) || !e.Empty() || t != 1 {
			return sch, unsupported("RSASSA-PSS trailerField")
		}
	}
	if !seq.Empty() {
		return sch, malformed("RSASSA-PSS parameters")
	}
	if mgfHash != sch.Hash {
		// crypto/rsa uses the message hash for MGF1.
		return sch, unsupported("RSASSA-PSS with different MGF1 hash")
	}
	return sch, nil
}

// VerifyDigest checks sig over an already computed digest.
func (s SignatureScheme) VerifyDigest(pub crypto.PublicKey, digest, sig []byte) error {
	bad := &Error{Field: "signature", Err: ErrSignature}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if k == nil {
			return unsupported("public key")
		}
	case *ecdsa.PublicKey:
		if k == nil {
			return unsupported("public key")
		}
	case *brainpool.PublicKey:
		if k == nil {
			return unsupported("public key")
		}
	}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		switch s.kind {
		case kindPKCS1:
			if rsaFast(k, s.Hash) {
				if !verifyPKCS1v15(k, s.Hash, digest, sig) {
					return bad
				}
				return nil
			}
			if rsa.VerifyPKCS1v15(k, s.Hash, digest, sig) != nil {
				return bad
			}
			return nil
		case kindPSS:
			// The declared salt length is enforced: the parameters are not
			// signed, and accepting any length would let a changed
			// AlgorithmIdentifier pass unnoticed.
			if rsaFast(k, s.Hash) {
				if !verifyPSS(k, s.Hash, digest, sig, s.SaltLength) {
					return bad
				}
				return nil
			}
			if rsa.VerifyPSS(k, s.Hash, digest, sig, &rsa.PSSOptions{SaltLength: s.SaltLength, Hash: s.Hash}) != nil {
				return bad
			}
			return nil
		}
	case *ecdsa.PublicKey:
		switch s.kind {
		case kindECDSA:
			if ecdsa.VerifyASN1(k, digest, sig) {
				return nil
			}
			// Some issuers encode r and s with superfluous leading zeros or
			// BER lengths; the numbers are what is signed.
			if r, ss, ok := lenientECDSASig(sig); ok && ecdsa.Verify(k, digest, r, ss) {
				return nil
			}
			return bad
		case kindECDSAPlain:
			size := (k.Curve.Params().N.BitLen() + 7) / 8
			if len(sig) != 2*size {
				return bad
			}
			r := new(big.Int).SetBytes(sig[:size])
			ss := new(big.Int).SetBytes(sig[size:])
			if !ecdsa.Verify(k, digest, r, ss) {
				return bad
			}
			return nil
		}
	case *brainpool.PublicKey:
		switch s.kind {
		case kindECDSA:
			if brainpool.VerifyASN1(k, digest, sig) {
				return nil
			}
			if r, ss, ok := lenientECDSASig(sig); ok && brainpool.Verify(k, digest, r, ss) {
				return nil
			}
			return bad
		case kindECDSAPlain:
			if !brainpool.VerifyP1363(k, digest, sig) {
				return bad
			}
			return nil
		}
	case nil:
		return unsupported("public key")
	}
	return unsupported("signature algorithm for this key type")
}

// Verify hashes signed with the scheme's hash and checks sig.
func (s SignatureScheme) Verify(pub crypto.PublicKey, signed, sig []byte) error {
	if !s.Hash.Available() {
		return unsupported("hash")
	}
	h := s.Hash.New()
	h.Write(signed)
	return s.VerifyDigest(pub, h.Sum(nil), sig)
}

// lenientECDSASig reads ECDSA-Sig-Value { r, s } accepting non-minimal
// integer and length encodings; r and s must be positive.
func lenientECDSASig(sig []byte) (r, s *big.Int, ok bool) {
	der, n, err := Normalize(sig)
	if err != nil || n != len(sig) {
		return nil, nil, false
	}
	in := cryptobyte.String(der)
	var seq cryptobyte.String
	var rb, sb []byte
	if !in.ReadASN1(&seq, cbasn1.SEQUENCE) || !in.Empty() || !readIntegerBytes(&seq, &rb) || !readIntegerBytes(&seq, &sb) || !seq.Empty() {
		return nil, nil, false
	}
	r, s = signedInt(rb), signedInt(sb)
	if r.Sign() <= 0 || s.Sign() <= 0 {
		return nil, nil, false
	}
	return r, s, true
}
