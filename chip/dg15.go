package chip

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"math/big"
	"strconv"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/cancuoc/sdk/internal/brainpool"
	"github.com/cancuoc/sdk/internal/cms"
	"github.com/cancuoc/sdk/internal/tlv"
)

// Key algorithm identifiers (RFC 3279, RFC 8017, ANSI X9.42).
var (
	oidRSAEncryption = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidRSAPSS        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 10}
	oidECPublicKey   = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
	oidDHPublicKey   = asn1.ObjectIdentifier{1, 2, 840, 10046, 2, 1}
)

// DG15 is data group 15 (ICAO 9303-10 section 4.7.15): the active
// authentication public key.
type DG15 struct {
	Key PublicKeyInfo
	Raw []byte // the file as received
}

// PublicKeyInfo is a decoded SubjectPublicKeyInfo (RFC 5280 section
// 4.1.2.7). Keys the package cannot use (unknown curves, tiny RSA moduli)
// are reported in KeyErr with their parameters kept, not rejected.
type PublicKeyInfo struct {
	Raw        []byte                // the SubjectPublicKeyInfo as received
	Algorithm  asn1.ObjectIdentifier // rsaEncryption, id-ecPublicKey, dhpublicnumber...
	Parameters []byte                // the AlgorithmIdentifier parameters as received, or nil
	Key        []byte                // the subjectPublicKey BIT STRING's bytes
	// PublicKey is *rsa.PublicKey, *ecdsa.PublicKey (NIST curves) or the
	// brainpool key type of this module; nil when KeyErr is set or for
	// Diffie-Hellman keys (see DH).
	PublicKey crypto.PublicKey
	Curve     string   // EC curve name ("P-256", "brainpoolP384r1"), else ""
	Bits      int      // RSA modulus, EC field or DH prime size in bits
	DH        *DHKey   // for Diffie-Hellman keys
	Problems  []string // quirks found, such as "RSA modulus encoded as a negative INTEGER"
	KeyErr    error    // why PublicKey is nil: a *ParseError wrapping ErrUnsupportedAlgorithm or ErrMalformed
}

// DHKey is a Diffie-Hellman public key with its domain parameters (ANSI
// X9.42 DomainParameters, or PKCS #3 DHParameter without Q).
type DHKey struct {
	P, G, Q *big.Int // Q is nil when absent
	Y       *big.Int
}

// ParseDG15 decodes DG15: 6F { SubjectPublicKeyInfo }. Only a malformed
// structure is an error; an unusable key is reported in Key.KeyErr.
func ParseDG15(b []byte) (*DG15, error) {
	const file = "DG15"
	s, err := unwrapFile(file, dataGroupTags[15], b)
	if err != nil {
		return nil, err
	}
	var spki tlv.String
	if at := s; !s.ReadElement(0x30, &spki) {
		return nil, elementError(file, "subjectPublicKeyInfo", b, at)
	}
	if !s.Empty() {
		return nil, &ParseError{File: file, Offset: offsetIn(b, s), Err: ErrTrailingData}
	}
	k, err := parsePublicKeyInfo(file, b, spki)
	if err != nil {
		return nil, err
	}
	return &DG15{Key: *k, Raw: b}, nil
}

// parsePublicKeyInfo decodes the DER SubjectPublicKeyInfo spki, a
// sub-slice of full.
func parsePublicKeyInfo(file string, full, spki []byte) (*PublicKeyInfo, error) {
	bad := func(field string) error {
		return &ParseError{File: file, Field: field, Offset: offsetIn(full, spki), Err: ErrMalformed}
	}
	s := cryptobyte.String(spki)
	var seq, algSeq, params cryptobyte.String
	var bits asn1.BitString
	k := &PublicKeyInfo{Raw: spki}
	var hasParams bool
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !s.Empty() ||
		!seq.ReadASN1(&algSeq, cbasn1.SEQUENCE) || !algSeq.ReadASN1ObjectIdentifier(&k.Algorithm) {
		return nil, bad("subjectPublicKeyInfo")
	}
	if !algSeq.Empty() {
		var tag cbasn1.Tag
		if !algSeq.ReadAnyASN1Element(&params, &tag) || !algSeq.Empty() {
			return nil, bad("algorithm parameters")
		}
		hasParams = true
		if tag != cbasn1.NULL {
			k.Parameters = params
		}
	}
	if !seq.ReadASN1BitString(&bits) || !seq.Empty() || bits.BitLength%8 != 0 {
		return nil, bad("subjectPublicKey")
	}
	k.Key = bits.Bytes
	unsupported := func(field string) {
		k.KeyErr = &ParseError{File: file, Field: field, Offset: offsetIn(full, spki), Err: ErrUnsupportedAlgorithm}
	}
	switch {
	case k.Algorithm.Equal(oidRSAEncryption), k.Algorithm.Equal(oidRSAPSS):
		if k.Algorithm.Equal(oidRSAEncryption) && !hasParams {
			k.Problems = append(k.Problems, "rsaEncryption without NULL parameters")
		}
		if err := k.parseRSA(); err != nil {
			return nil, bad("RSA public key")
		}
		if k.PublicKey == nil {
			unsupported("RSA key size or exponent")
		}
	case k.Algorithm.Equal(oidECPublicKey):
		c, err := cms.CurveFromParameters(k.Parameters)
		if err != nil {
			if errors.Is(err, cms.ErrUnsupported) {
				unsupported("EC parameters")
			} else {
				k.KeyErr = bad("EC parameters")
			}
			return k, nil
		}
		k.Curve = c.Name()
		if c.NIST != nil {
			k.Bits = c.NIST.Params().BitSize
		} else {
			k.Bits = c.Brainpool.BitSize
		}
		pub, err := cms.ECPublicKey(c, k.Key)
		if err != nil {
			k.KeyErr = bad("EC public key point")
			return k, nil
		}
		k.PublicKey = pub
	case k.Algorithm.Equal(oidDHPublicKey):
		if err := k.parseDH(); err != nil {
			return nil, bad("DH public key")
		}
	default:
		unsupported("public key algorithm")
	}
	return k, nil
}

// parseRSA reads RSAPublicKey { modulus, publicExponent } (RFC 8017 A.1.1).
// A modulus whose first bit is set was encoded without its leading zero:
// it is read as the unsigned number its issuer meant and reported.
func (k *PublicKeyInfo) parseRSA() error {
	s := cryptobyte.String(k.Key)
	var seq, n, e cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !s.Empty() ||
		!seq.ReadASN1(&n, cbasn1.INTEGER) || !seq.ReadASN1(&e, cbasn1.INTEGER) || !seq.Empty() ||
		len(n) == 0 || len(e) == 0 || len(e) > 8 {
		return errors.New("bad RSA key")
	}
	if n[0]&0x80 != 0 {
		k.Problems = append(k.Problems, "RSA modulus encoded as a negative INTEGER")
	}
	if e[0]&0x80 != 0 {
		return errors.New("negative exponent")
	}
	N := new(big.Int).SetBytes(n)
	E := new(big.Int).SetBytes(e)
	k.Bits = N.BitLen()
	if k.Bits%8 != 0 {
		k.Problems = append(k.Problems, "RSA modulus of "+strconv.Itoa(k.Bits)+" bits")
	}
	if k.Bits < 512 || k.Bits > 16384 || !E.IsInt64() || E.Int64() < 3 || E.Int64() > 1<<31-1 || E.Bit(0) == 0 {
		return nil
	}
	k.PublicKey = &rsa.PublicKey{N: N, E: int(E.Int64())}
	return nil
}

// parseDH reads DomainParameters { p, g, q, ... } (ANSI X9.42) or
// DHParameter { p, g, ... } (PKCS #3) and the public value INTEGER y.
func (k *PublicKeyInfo) parseDH() error {
	p := cryptobyte.String(k.Parameters)
	var seq cryptobyte.String
	dh := &DHKey{P: new(big.Int), G: new(big.Int), Y: new(big.Int)}
	if !p.ReadASN1(&seq, cbasn1.SEQUENCE) || !p.Empty() || !seq.ReadASN1Integer(dh.P) || !seq.ReadASN1Integer(dh.G) {
		return errors.New("bad DH parameters")
	}
	if seq.PeekASN1Tag(cbasn1.INTEGER) {
		dh.Q = new(big.Int)
		if !seq.ReadASN1Integer(dh.Q) {
			return errors.New("bad DH parameters")
		}
	}
	y := cryptobyte.String(k.Key)
	if !y.ReadASN1Integer(dh.Y) || !y.Empty() || dh.P.Sign() <= 0 || dh.Y.Sign() <= 0 {
		return errors.New("bad DH key")
	}
	k.DH = dh
	k.Bits = dh.P.BitLen()
	return nil
}

// MarshalPublicKeyInfo encodes pub (*rsa.PublicKey, *ecdsa.PublicKey or a
// brainpool key of this module) as a DER SubjectPublicKeyInfo, brainpool
// keys with their named-curve OID.
func MarshalPublicKeyInfo(pub crypto.PublicKey) ([]byte, error) {
	switch k := pub.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey:
		b, err := x509.MarshalPKIXPublicKey(k)
		if err != nil {
			return nil, &ParseError{File: "DG15", Field: "public key", Offset: -1, Err: ErrUnsupportedAlgorithm}
		}
		return b, nil
	case *brainpool.PublicKey:
		var b cryptobyte.Builder
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(oidECPublicKey)
				b.AddASN1ObjectIdentifier(k.Curve.OID)
			})
			b.AddASN1BitString(k.Bytes())
		})
		return b.Bytes()
	}
	return nil, &ParseError{File: "DG15", Field: "public key", Offset: -1, Err: ErrUnsupportedAlgorithm}
}

// NewDG15 returns the DG15 holding pub.
func NewDG15(pub crypto.PublicKey) (*DG15, error) {
	spki, err := MarshalPublicKeyInfo(pub)
	if err != nil {
		return nil, err
	}
	k, err := parsePublicKeyInfo("DG15", spki, spki)
	if err != nil {
		return nil, err
	}
	return &DG15{Key: *k}, nil
}

// DataGroupNumber returns 15.
func (d *DG15) DataGroupNumber() int { return 15 }

// Encode returns DG15 around d.Key.Raw.
func (d *DG15) Encode() ([]byte, error) {
	if len(d.Key.Raw) == 0 {
		return nil, &ParseError{File: "DG15", Field: "subjectPublicKeyInfo", Offset: -1, Err: ErrMalformed}
	}
	var b tlv.Builder
	b.AddTLV(dataGroupTags[15], d.Key.Raw)
	return b.Bytes()
}
