package pace

import (
	"crypto/aes"
	"fmt"
	"math/big"

	"github.com/cancuoc/sdk/internal/kex"
	"github.com/cancuoc/sdk/internal/sm"
)

// pseudoRandom is R_p(s, t) of ICAO 9303-11 section 4.4.3.3.2 for AES-128:
// key_0 = E(t, s), then key_{i+1} = E(key_i, c0) and x_i = E(key_i, c1)
// for n = ceil((log2 p + 64) / 128) blocks; the result is x_0 || ... mod p.
func pseudoRandom(s, t []byte, p *big.Int) (*big.Int, error) {
	if len(s) != 16 || len(t) != 16 {
		return nil, fmt.Errorf("%w: nonces of %d and %d bytes", ErrMalformed, len(s), len(t))
	}
	// The constants c0 and c1 for 128-bit AES keys (ICAO 9303-11 section
	// 4.4.3.3.2, table 4).
	c0 := [16]byte{0xa6, 0x68, 0x89, 0x2a, 0x7c, 0x41, 0xe3, 0xca, 0x73, 0x9f, 0x40, 0xb0, 0x57, 0xd8, 0x59, 0x04}
	c1 := [16]byte{0xa4, 0xe1, 0x36, 0xac, 0x72, 0x5f, 0x73, 0x8b, 0x01, 0xc1, 0xf6, 0x02, 0x17, 0xc1, 0x88, 0xad}
	b, err := aes.NewCipher(t)
	if err != nil {
		return nil, err
	}
	key := make([]byte, 16)
	b.Encrypt(key, s) // one block: CBC with a zero IV is ECB
	n := (p.BitLen() + 64 + 127) / 128
	x := make([]byte, 0, 16*n)
	var xi [16]byte
	for range n {
		kb, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		kb.Encrypt(xi[:], c1[:])
		x = append(x, xi[:]...)
		kb.Encrypt(key, c0[:])
	}
	clear(key)
	r := new(big.Int).SetBytes(x)
	clear(x)
	return r.Mod(r, p), nil
}

// encodeToCurve is the point encoding f_G of ICAO 9303-11 section
// 4.4.3.3.2 (the simplified SWU map of Brier et al., for p ≡ 3 mod 4):
//
//	α = −t², X2 = −b/a · (1 + 1/(α² + α)), X3 = α·X2,
//	h2 = X2³ + a·X2 + b, U = t³·h2, A = h2^(p−1−(p+1)/4);
//	(X2, A·h2) if A²·h2 = 1, else (X3, A·U).
//
// It runs in variable time (math/big) on a value derived from the shared
// nonce.
func encodeToCurve(g kex.Group, t *big.Int) ([]byte, error) {
	p, a, b, ok := g.Curve()
	if !ok || p.Bit(0) != 1 || p.Bit(1) != 1 {
		return nil, fmt.Errorf("%w: integrated mapping needs a curve with p ≡ 3 mod 4", ErrUnsupported)
	}
	mod := func(v *big.Int) *big.Int { return v.Mod(v, p) }
	alpha := mod(new(big.Int).Neg(new(big.Int).Mul(t, t)))
	d := mod(new(big.Int).Add(new(big.Int).Mul(alpha, alpha), alpha))
	dInv := new(big.Int).ModInverse(d, p)
	aInv := new(big.Int).ModInverse(a, p)
	if dInv == nil || aInv == nil {
		return nil, fmt.Errorf("%w: degenerate nonce", ErrAuthentication)
	}
	x2 := mod(new(big.Int).Mul(mod(new(big.Int).Neg(new(big.Int).Mul(b, aInv))), mod(dInv.Add(dInv, big.NewInt(1)))))
	x3 := mod(new(big.Int).Mul(alpha, x2))
	h2 := mod(new(big.Int).Add(new(big.Int).Add(new(big.Int).Exp(x2, big.NewInt(3), p), new(big.Int).Mul(a, x2)), b))
	u := mod(new(big.Int).Mul(new(big.Int).Exp(t, big.NewInt(3), p), h2))
	e := new(big.Int).Sub(p, big.NewInt(1))
	e.Sub(e, new(big.Int).Rsh(new(big.Int).Add(p, big.NewInt(1)), 2))
	A := new(big.Int).Exp(h2, e, p)
	if mod(new(big.Int).Mul(new(big.Int).Mul(A, A), h2)).Cmp(big.NewInt(1)) == 0 {
		return g.Point(x2, mod(new(big.Int).Mul(A, h2)))
	}
	return g.Point(x3, mod(new(big.Int).Mul(A, u)))
}

// MapIntegrated returns Ĝ = f_G(R_p(s, t)), the integrated mapping of
// ICAO 9303-11 section 4.4.3.3.2 over ECDH with AES-128.
func MapIntegrated(g kex.Group, c sm.Cipher, s, t []byte) ([]byte, error) {
	p, _, _, ok := g.Curve()
	if !ok || c != sm.AES128 {
		return nil, fmt.Errorf("%w: integrated mapping with %v on %s", ErrUnsupported, c, g.Name())
	}
	r, err := pseudoRandom(s, t, p)
	if err != nil {
		return nil, err
	}
	return encodeToCurve(g, r)
}
