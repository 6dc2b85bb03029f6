package cms

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/asn1"
	"math/big"

	"github.com/cancuoc/sdk/internal/brainpool"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// nistCurves lists the NIST prime curves with their OIDs.
var nistCurves = []struct {
	oid asn1.ObjectIdentifier
	c   func() elliptic.Curve
}{
	{OIDNamedP224, elliptic.P224}, {OIDNamedP256, elliptic.P256},
	{OIDNamedP384, elliptic.P384}, {OIDNamedP521, elliptic.P521},
}

// CurveName returns the name of the curve of an EC public key
// ("P-256", "brainpoolP256r1"), or "".
func CurveName(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		return k.Curve.Params().Name
	case *brainpool.PublicKey:
		return k.Curve.Name
	}
	return ""
}

// ParsePublicKeyInfo parses a DER SubjectPublicKeyInfo into *rsa.PublicKey,
// *ecdsa.PublicKey (NIST curves) or *brainpool.PublicKey. Explicit EC
// domain parameters are mapped to the named curve they equal.
func ParsePublicKeyInfo(spki []byte) (crypto.PublicKey, AlgorithmIdentifier, error) {
	var alg AlgorithmIdentifier
	s := cryptobyte.String(spki)
	var seq cryptobyte.String
	var bits asn1.BitString
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !s.Empty() {
		return nil, alg, malformed("subjectPublicKeyInfo")
	}
	if !readAlgorithmIdentifier(&seq, &alg) || !seq.ReadASN1BitString(&bits) || !seq.Empty() {
		return nil, alg, malformed("subjectPublicKeyInfo")
	}
	if bits.BitLength%8 != 0 {
		return nil, alg, malformed("subjectPublicKey bit string")
	}
	pub, err := parseKey(alg, bits.Bytes)
	return pub, alg, err
}

func parseKey(alg AlgorithmIdentifier, key []byte) (crypto.PublicKey, error) {
	switch {
	case alg.Algorithm.Equal(OIDRSAEncryption), alg.Algorithm.Equal(OIDRSAPSS):
		k, err := parseRSAKey(key)
		if err != nil {
			return nil, err // not a typed nil in the interface
		}
		return k, nil
	case alg.Algorithm.Equal(OIDECPublicKey):
		return parseECKey(alg.Parameters, key)
	}
	return nil, unsupported("public key algorithm")
}

// parseRSAKey reads RSAPublicKey { modulus, publicExponent }. A modulus
// encoded without its leading zero (so negative in two's complement) is
// read as the unsigned number its bytes spell, which is what its issuer meant.
func parseRSAKey(key []byte) (*rsa.PublicKey, error) {
	s := cryptobyte.String(key)
	var seq cryptobyte.String
	var n, e []byte
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !s.Empty() ||
		!readIntegerBytes(&seq, &n) || !readIntegerBytes(&seq, &e) || !seq.Empty() {
		return nil, malformed("RSA public key")
	}
	N := new(big.Int).SetBytes(n)
	E := new(big.Int).SetBytes(e)
	if N.Sign() == 0 || N.BitLen() < 512 || N.BitLen() > 16384 || !E.IsInt64() || E.Int64() < 3 || E.Int64() > 1<<31-1 || E.Bit(0) == 0 {
		return nil, unsupported("RSA key size or exponent")
	}
	return &rsa.PublicKey{N: N, E: int(E.Int64())}, nil
}

// Curve identifies an elliptic curve: exactly one field is set.
type Curve struct {
	NIST      elliptic.Curve
	Brainpool *brainpool.Curve
}

// Name returns the curve's name.
func (c Curve) Name() string {
	if c.NIST != nil {
		return c.NIST.Params().Name
	}
	if c.Brainpool != nil {
		return c.Brainpool.Name
	}
	return ""
}

// CurveFromParameters maps EC parameters (a namedCurve OID or explicit
// ECParameters, RFC 3279 §2.3.5) to a supported curve.
func CurveFromParameters(params []byte) (Curve, error) {
	s := cryptobyte.String(params)
	if len(s) == 0 {
		return Curve{}, malformed("EC parameters")
	}
	if s[0] == byte(cbasn1.OBJECT_IDENTIFIER) {
		var oid asn1.ObjectIdentifier
		if !s.ReadASN1ObjectIdentifier(&oid) || !s.Empty() {
			return Curve{}, malformed("namedCurve")
		}
		for _, nc := range nistCurves {
			if nc.oid.Equal(oid) {
				return Curve{NIST: nc.c()}, nil
			}
		}
		if c := brainpool.CurveByOID(oid); c != nil {
			return Curve{Brainpool: c}, nil
		}
		return Curve{}, unsupported("named curve")
	}
	// ECParameters ::= SEQUENCE { version, fieldID { prime-field, p },
	//   curve { a OCTET STRING, b OCTET STRING, seed BIT STRING OPTIONAL },
	//   base OCTET STRING, order INTEGER, cofactor INTEGER OPTIONAL }
	var seq, field, curve cryptobyte.String
	var version int
	var fieldType asn1.ObjectIdentifier
	var p, order []byte
	var a, b, base cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !s.Empty() ||
		!readSmallInt(&seq, &version) ||
		!seq.ReadASN1(&field, cbasn1.SEQUENCE) || !field.ReadASN1ObjectIdentifier(&fieldType) ||
		!readIntegerBytes(&field, &p) || !field.Empty() ||
		!seq.ReadASN1(&curve, cbasn1.SEQUENCE) ||
		!curve.ReadASN1(&a, cbasn1.OCTET_STRING) || !curve.ReadASN1(&b, cbasn1.OCTET_STRING) ||
		!seq.ReadASN1(&base, cbasn1.OCTET_STRING) || !readIntegerBytes(&seq, &order) {
		return Curve{}, malformed("explicit EC parameters")
	}
	if !fieldType.Equal(OIDPrimeField) {
		return Curve{}, unsupported("EC field type")
	}
	P := new(big.Int).SetBytes(p)
	A := new(big.Int).SetBytes(a)
	B := new(big.Int).SetBytes(b)
	N := new(big.Int).SetBytes(order)
	for _, nc := range nistCurves {
		cp := nc.c().Params()
		if cp.P.Cmp(P) != 0 || cp.B.Cmp(B) != 0 || cp.N.Cmp(N) != 0 {
			continue
		}
		// NIST curves have a = -3 mod p.
		if new(big.Int).Sub(cp.P, big.NewInt(3)).Cmp(A) != 0 {
			continue
		}
		gx, gy := decodePoint(base, cp.P)
		if gx == nil || gx.Cmp(cp.Gx) != 0 || (gy != nil && gy.Cmp(cp.Gy) != 0) {
			continue
		}
		return Curve{NIST: nc.c()}, nil
	}
	if c := brainpool.CurveByEncodedParams(P, A, B, base, N); c != nil {
		return Curve{Brainpool: c}, nil
	}
	return Curve{}, unsupported("explicit EC parameters match no known curve")
}

// decodePoint returns the coordinates of an uncompressed point, or x
// alone (y nil) for a compressed one; nil when malformed.
func decodePoint(pt []byte, p *big.Int) (x, y *big.Int) {
	size := (p.BitLen() + 7) / 8
	switch {
	case len(pt) == 1+2*size && pt[0] == 4:
		return new(big.Int).SetBytes(pt[1 : 1+size]), new(big.Int).SetBytes(pt[1+size:])
	case len(pt) == 1+size && (pt[0] == 2 || pt[0] == 3):
		return new(big.Int).SetBytes(pt[1:]), nil
	}
	return nil, nil
}

func parseECKey(params, point []byte) (crypto.PublicKey, error) {
	c, err := CurveFromParameters(params)
	if err != nil {
		return nil, err
	}
	return ECPublicKey(c, point)
}

// ECPublicKey decodes a SEC 1 point on c.
func ECPublicKey(c Curve, point []byte) (crypto.PublicKey, error) {
	if c.Brainpool != nil {
		k, err := brainpool.ParsePublicKey(c.Brainpool, point)
		if err != nil {
			return nil, malformed("EC public key point")
		}
		return k, nil
	}
	if len(point) > 0 && (point[0] == 2 || point[0] == 3) {
		// Compressed point (SEC 1 §2.3.3): expand it.
		x, y := elliptic.UnmarshalCompressed(c.NIST, point)
		if x == nil {
			return nil, malformed("EC public key point")
		}
		size := (c.NIST.Params().BitSize + 7) / 8
		point = make([]byte, 1+2*size)
		point[0] = 4 // uncompressed
		x.FillBytes(point[1 : 1+size])
		y.FillBytes(point[1+size:])
	}
	k, err := ecdsa.ParseUncompressedPublicKey(c.NIST, point)
	if err != nil {
		return nil, malformed("EC public key point")
	}
	return k, nil
}
