package ed25519z

import (
	"crypto/sha512"
	"errors"

	"filippo.io/edwards25519"
)

// Sizes of the encodings this package reads.
const (
	PublicKeySize = 32
	SignatureSize = 64
)

// Errors returned by [CheckPublicKey].
var (
	ErrKeyEncoding     = errors.New("ed25519z: public key is not a point encoding")
	ErrKeyNonCanonical = errors.New("ed25519z: public key encoding is not canonical")
	ErrKeySmallOrder   = errors.New("ed25519z: public key has small order")
	ErrKeyMixedOrder   = errors.New("ed25519z: public key has a small-order component")
)

// Verify reports whether sig is a valid signature of msg by pub under the
// ZIP-215 rules. It never panics; inputs of the wrong length are invalid.
func Verify(pub, msg, sig []byte) bool {
	if len(pub) != PublicKeySize || len(sig) != SignatureSize {
		return false
	}
	A, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil {
		return false
	}
	R, err := new(edwards25519.Point).SetBytes(sig[:32])
	if err != nil {
		return false
	}
	S, err := new(edwards25519.Scalar).SetCanonicalBytes(sig[32:])
	if err != nil {
		return false
	}
	k := challenge(sig[:32], pub, msg)

	// [S]B - [k]A - R, times the cofactor, must be the identity.
	minusA := new(edwards25519.Point).Negate(A)
	check := new(edwards25519.Point).VarTimeDoubleScalarBaseMult(k, minusA, S)
	check.Subtract(check, R)
	check.MultByCofactor(check)
	return check.Equal(edwards25519.NewIdentityPoint()) == 1
}

// challenge returns k = SHA-512(R || A || M) mod L over the received
// encodings (ZIP-215: never the re-encoded points).
func challenge(r, a, msg []byte) *edwards25519.Scalar {
	d := challengeDigest(r, a, msg)
	k, _ := new(edwards25519.Scalar).SetUniformBytes(d[:]) // 64 bytes: cannot fail
	return k
}

// challengeDigest is SHA-512(R || A || M), before the reduction mod L.
func challengeDigest(r, a, msg []byte) [64]byte {
	h := sha512.New()
	h.Write(r)
	h.Write(a)
	h.Write(msg)
	var d [64]byte
	h.Sum(d[:0])
	return d
}

// CheckPublicKey reports why pub should not be trusted as an issuer key:
// it must be a canonical encoding of a point of prime order L (no
// small-order component: [L]A is the identity, and A itself is not the
// identity or another small-order point).
func CheckPublicKey(pub []byte) error {
	if len(pub) != PublicKeySize {
		return ErrKeyEncoding
	}
	A, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil {
		return ErrKeyEncoding
	}
	if string(A.Bytes()) != string(pub) {
		return ErrKeyNonCanonical
	}
	identity := edwards25519.NewIdentityPoint()
	if new(edwards25519.Point).MultByCofactor(A).Equal(identity) == 1 {
		return ErrKeySmallOrder
	}
	// [L]A = [L-1]A + A; L-1 is the scalar -1, multiplied as the integer L-1.
	minusOne := new(edwards25519.Scalar).Negate(scalarOne())
	la := new(edwards25519.Point).ScalarMult(minusOne, A)
	la.Add(la, A)
	if la.Equal(identity) != 1 {
		return ErrKeyMixedOrder
	}
	return nil
}

func scalarOne() *edwards25519.Scalar {
	var b [32]byte
	b[0] = 1
	s, _ := new(edwards25519.Scalar).SetCanonicalBytes(b[:])
	return s
}
