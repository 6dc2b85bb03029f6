package chip

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/subtle"
	"math/big"

	"github.com/cancuoc/sdk/internal/brainpool"
	"github.com/cancuoc/sdk/internal/cms"
)

// ChallengeSize is the length of an active-authentication challenge.
const ChallengeSize = 8

// VerifyActiveAuthentication checks a chip's active-authentication
// response (ICAO 9303-11 §6.1) to challenge, using the public key in DG15.
// RSA keys use ISO/IEC 9796-2 digital signature scheme 1 with partial
// message recovery (the challenge is the non-recoverable part; trailer BC
// for SHA-1, or a hash identifier with CC). ECDSA keys (NIST or brainpool)
// sign the challenge with the hash named by DG14's ActiveAuthenticationInfo
// (dg14 may be nil only for RSA); the response is plain r||s (DER is also
// accepted). Errors wrap ErrSignature, ErrMalformed,
// ErrMissingDataGroup or ErrUnsupportedAlgorithm.
//
// Active authentication proves the chip holds the private key; it means
// something only after passive authentication has verified DG15 (and DG14).
func VerifyActiveAuthentication(dg15, dg14, challenge, response []byte) error {
	if len(challenge) != ChallengeSize {
		return &ParseError{File: "AA", Field: "challenge length", Offset: -1, Err: ErrMalformed}
	}
	pub, err := dg15PublicKey(dg15)
	if err != nil {
		return err
	}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return verify9796(k, challenge, response)
	case *ecdsa.PublicKey, *brainpool.PublicKey:
		if dg14 == nil {
			return &ParseError{File: "DG14", Field: "ActiveAuthenticationInfo", Offset: -1, Err: ErrMissingDataGroup}
		}
		h, err := aaHash(dg14)
		if err != nil {
			return err
		}
		d := h.New()
		d.Write(challenge)
		return verifyECDSAResponse(k, d.Sum(nil), response)
	}
	return &ParseError{File: "DG15", Field: "public key", Offset: -1, Err: ErrUnsupportedAlgorithm}
}

// dg15PublicKey returns the usable public key of DG15.
func dg15PublicKey(dg15 []byte) (crypto.PublicKey, error) {
	d, err := ParseDG15(dg15)
	if err != nil {
		return nil, err
	}
	if d.Key.KeyErr != nil {
		return nil, d.Key.KeyErr
	}
	return d.Key.PublicKey, nil // nil for a Diffie-Hellman key: unsupported below
}

// aaHash returns the hash DG14's ActiveAuthenticationInfo names for ECDSA.
func aaHash(dg14 []byte) (crypto.Hash, error) {
	perr := func(e error) error {
		return &ParseError{File: "DG14", Field: "ActiveAuthenticationInfo", Offset: -1, Err: e}
	}
	d, err := ParseDG14(dg14)
	if err != nil {
		return 0, err
	}
	for _, si := range d.Infos {
		if si.Kind == KindActiveAuthentication && si.Err != nil {
			return 0, perr(ErrMalformed) // present but unreadable is not "missing"
		}
	}
	si, ok := d.ActiveAuthenticationInfo()
	if !ok {
		return 0, perr(ErrMissingDataGroup)
	}
	sch, err := cms.Scheme(cms.AlgorithmIdentifier{Algorithm: si.SignatureAlgorithm}, 0)
	if err != nil || !sch.Hash.Available() {
		return 0, perr(ErrUnsupportedAlgorithm)
	}
	return sch.Hash, nil
}

func verifyECDSAResponse(pub crypto.PublicKey, digest, resp []byte) error {
	bad := &ParseError{File: "AA", Field: "response", Offset: -1, Err: ErrSignature}
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		size := (k.Curve.Params().N.BitLen() + 7) / 8
		if len(resp) == 2*size {
			r := new(big.Int).SetBytes(resp[:size])
			s := new(big.Int).SetBytes(resp[size:])
			if ecdsa.Verify(k, digest, r, s) {
				return nil
			}
			return bad
		}
		if ecdsa.VerifyASN1(k, digest, resp) {
			return nil
		}
	case *brainpool.PublicKey:
		if brainpool.VerifyP1363(k, digest, resp) || brainpool.VerifyASN1(k, digest, resp) {
			return nil
		}
	}
	return bad
}

// hashIDs are the ISO/IEC 10118 hash identifiers of the 9796-2 trailer.
var hashIDs = map[byte]crypto.Hash{
	0x33: crypto.SHA1, 0x34: crypto.SHA256, 0x35: crypto.SHA512, 0x36: crypto.SHA384, 0x38: crypto.SHA224,
}

// verify9796 checks ISO/IEC 9796-2 scheme 1 with partial recovery:
// s^e mod n = 6A || M1 || H(M1 || challenge) || trailer.
func verify9796(k *rsa.PublicKey, challenge, resp []byte) error {
	bad := &ParseError{File: "AA", Field: "response", Offset: -1, Err: ErrSignature}
	size := (k.N.BitLen() + 7) / 8
	if len(resp) != size {
		return bad
	}
	s := new(big.Int).SetBytes(resp)
	if s.Cmp(k.N) >= 0 {
		return bad
	}
	m := new(big.Int).Exp(s, big.NewInt(int64(k.E)), k.N)
	f := m.Bytes()
	if len(f) < 2 || f[0] != 0x6A {
		return bad
	}
	var h crypto.Hash
	t := 1
	switch f[len(f)-1] {
	case 0xBC:
		h = crypto.SHA1
	case 0xCC:
		t = 2
		h = hashIDs[f[len(f)-2]]
		if h == 0 {
			return &ParseError{File: "AA", Field: "9796-2 hash identifier", Offset: -1, Err: ErrUnsupportedAlgorithm}
		}
	default:
		return bad
	}
	if len(f) < 1+h.Size()+t {
		return bad
	}
	digest := f[len(f)-t-h.Size() : len(f)-t]
	m1 := f[1 : len(f)-t-h.Size()]
	d := h.New()
	d.Write(m1)
	d.Write(challenge)
	if subtle.ConstantTimeCompare(d.Sum(nil), digest) != 1 {
		return bad
	}
	return nil
}
