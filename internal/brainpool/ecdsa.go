package brainpool

import (
	"crypto"
	"crypto/hmac"
	cryptorand "crypto/rand"
	"crypto/sha512"
	"errors"
	"fmt"
	"io"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Errors returned when parsing points and keys; callers branch with errors.Is.
var (
	// ErrCurve means the curve is nil or not one of this package's curves.
	ErrCurve = errors.New("brainpool: nil or unsupported curve")
	// ErrPointEncoding means the encoding is not a SEC 1 uncompressed or
	// compressed point of the curve's size, or a coordinate is not below p.
	ErrPointEncoding = errors.New("brainpool: malformed point encoding")
	// ErrPointNotOnCurve means the coordinates do not satisfy the curve
	// equation (or a compressed x has no matching y).
	ErrPointNotOnCurve = errors.New("brainpool: point not on curve")
	// ErrPointAtInfinity means the encoding is the point at infinity, which
	// is never a valid public key.
	ErrPointAtInfinity = errors.New("brainpool: point at infinity")
	// ErrPrivateKey means a private key is nil or its scalar is not in [1, N-1].
	ErrPrivateKey = errors.New("brainpool: invalid private key")
)

// PublicKey is an ECDSA public key on a brainpool curve.
type PublicKey struct {
	Curve *Curve
	X, Y  *big.Int
}

// ParsePublicKey decodes a SEC 1 §2.3.3 point: uncompressed (04||X||Y) or
// compressed (02||X or 03||X), each coordinate exactly the field's length.
// It rejects the point at infinity, hybrid encodings, coordinates >= p and
// points off the curve. The input is not retained.
func ParsePublicKey(c *Curve, point []byte) (*PublicKey, error) {
	if c == nil || c.arith == nil {
		return nil, ErrCurve
	}
	l := c.byteLen()
	if len(point) == 0 {
		return nil, fmt.Errorf("%w: empty", ErrPointEncoding)
	}
	var x, y *big.Int
	switch point[0] {
	case 0x00:
		if len(point) == 1 {
			return nil, ErrPointAtInfinity
		}
		return nil, fmt.Errorf("%w: unknown prefix", ErrPointEncoding)
	case 0x04:
		if len(point) != 1+2*l {
			return nil, fmt.Errorf("%w: uncompressed point is %d bytes, want %d", ErrPointEncoding, len(point), 1+2*l)
		}
		x = new(big.Int).SetBytes(point[1 : 1+l])
		y = new(big.Int).SetBytes(point[1+l:])
		if x.Cmp(c.P) >= 0 || y.Cmp(c.P) >= 0 {
			return nil, fmt.Errorf("%w: coordinate not below p", ErrPointEncoding)
		}
		if !c.isOnCurve(x, y) {
			return nil, ErrPointNotOnCurve
		}
	case 0x02, 0x03:
		if len(point) != 1+l {
			return nil, fmt.Errorf("%w: compressed point is %d bytes, want %d", ErrPointEncoding, len(point), 1+l)
		}
		x = new(big.Int).SetBytes(point[1:])
		if x.Cmp(c.P) >= 0 {
			return nil, fmt.Errorf("%w: coordinate not below p", ErrPointEncoding)
		}
		y = c.decompress(x, point[0]&1)
		if y == nil {
			return nil, ErrPointNotOnCurve
		}
	default:
		return nil, fmt.Errorf("%w: unknown prefix", ErrPointEncoding)
	}
	return &PublicKey{Curve: c, X: x, Y: y}, nil
}

// isOnCurve reports whether 0 <= x, y < p and (x, y) is on the curve.
func (c *Curve) isOnCurve(x, y *big.Int) bool {
	if x.Sign() < 0 || y.Sign() < 0 || x.Cmp(c.P) >= 0 || y.Cmp(c.P) >= 0 {
		return false
	}
	f := c.arith.f
	fx, fy := f.fromBig(x), f.fromBig(y)
	return c.arith.onCurve(&fx, &fy)
}

// decompress returns the y with parity odd for x, or nil if x is not the
// abscissa of a curve point.
func (c *Curve) decompress(x *big.Int, odd byte) *big.Int {
	rhs := new(big.Int).Mul(x, x)
	rhs.Add(rhs, c.A)
	rhs.Mul(rhs, x)
	rhs.Add(rhs, c.B)
	rhs.Mod(rhs, c.P)
	y := new(big.Int).ModSqrt(rhs, c.P)
	if y == nil {
		return nil
	}
	if y.Bit(0) != uint(odd) {
		if y.Sign() == 0 {
			return nil // y = 0 has no odd twin
		}
		y.Sub(c.P, y)
	}
	return y
}

// Bytes returns the SEC 1 uncompressed encoding 04||X||Y, or nil if the key
// is incomplete.
func (pub *PublicKey) Bytes() []byte {
	if pub == nil || pub.Curve == nil || pub.X == nil || pub.Y == nil {
		return nil
	}
	l := pub.Curve.byteLen()
	if pub.X.Sign() < 0 || pub.Y.Sign() < 0 || pub.X.BitLen() > 8*l || pub.Y.BitLen() > 8*l {
		return nil
	}
	out := make([]byte, 1+2*l)
	out[0] = 0x04
	pub.X.FillBytes(out[1 : 1+l])
	pub.Y.FillBytes(out[1+l:])
	return out
}

// Equal reports whether x is a *PublicKey on the same curve with the same
// point.
func (pub *PublicKey) Equal(x crypto.PublicKey) bool {
	o, ok := x.(*PublicKey)
	if !ok || pub == nil || o == nil || pub.X == nil || pub.Y == nil || o.X == nil || o.Y == nil {
		return false
	}
	return pub.Curve == o.Curve && pub.X.Cmp(o.X) == 0 && pub.Y.Cmp(o.Y) == 0
}

// hashToInt converts a digest to an integer as SEC 1 §4.1.3 step 5 and
// FIPS 186-5 §6.4.1 say: the leftmost N.BitLen() bits when the digest is
// longer.
func hashToInt(digest []byte, c *Curve) *big.Int {
	orderBits := c.N.BitLen()
	orderBytes := (orderBits + 7) / 8
	if len(digest) > orderBytes {
		digest = digest[:orderBytes]
	}
	e := new(big.Int).SetBytes(digest)
	if excess := len(digest)*8 - orderBits; excess > 0 {
		e.Rsh(e, uint(excess))
	}
	return e
}

// Verify reports whether (r, s) is a valid ECDSA signature of digest by pub
// (SEC 1 §4.1.4). It is the primitive behind [VerifyASN1] and
// [VerifyP1363], and serves callers that decoded r and s themselves.
// r and s must lie in [1, N-1]; digest is truncated as in [SignASN1].
// An incomplete key, or one whose point is not on its curve, never verifies.
func Verify(pub *PublicKey, digest []byte, r, s *big.Int) bool {
	if pub == nil || pub.Curve == nil || pub.Curve.arith == nil || pub.X == nil || pub.Y == nil || r == nil || s == nil {
		return false
	}
	c := pub.Curve
	if r.Sign() <= 0 || s.Sign() <= 0 || r.Cmp(c.N) >= 0 || s.Cmp(c.N) >= 0 {
		return false
	}
	if !c.isOnCurve(pub.X, pub.Y) {
		return false
	}
	tw, f := c.twist(), c.arith.f
	if tw == nil {
		return false // unreachable: every curve here has a twist
	}
	q := jacobian{x: f.fromBig(pub.X), y: f.fromBig(pub.Y), z: f.one}
	q = tw.toTwist(&q)

	e := hashToInt(digest, c)
	w := new(big.Int).ModInverse(s, c.N) // N is prime and 0 < s < N, so w exists
	u1 := e.Mul(e, w)
	u1.Mod(u1, c.N)
	u2 := w.Mul(r, w)
	u2.Mod(u2, c.N)

	pt := tw.ar.combinedMult(&tw.g, u1, &q, u2)
	if tw.ar.isInfinity(&pt) {
		return false
	}
	// Accept when x(R) mod N = r. On the twist R is (X/Z², Y/Z³), so on
	// the curve x(R) = X/(Z²·z²) with z the twist's constant; x(R) < p and
	// N < p, so x(R) is r or r+N (when r+N < p): compare X with
	// r'·Z²·z² to avoid an inversion.
	var zz, t fe
	f.sqr(&zz, &pt.z)
	f.mul(&zz, &zz, &tw.z2)
	cand := new(big.Int).Set(r)
	for cand.Cmp(c.P) < 0 {
		fc := f.fromBig(cand)
		f.mul(&t, &fc, &zz)
		if t == pt.x {
			return true
		}
		cand.Add(cand, c.N)
	}
	return false
}

// VerifyASN1 reports whether sig, a DER-encoded ECDSA-Sig-Value
// (SEQUENCE { r INTEGER, s INTEGER }, RFC 3279 §2.2.3), is a valid
// signature of digest by pub. The encoding must be strict DER: minimal
// lengths and integers, no indefinite lengths, no trailing bytes.
func VerifyASN1(pub *PublicKey, digest, sig []byte) bool {
	r, s, ok := parseSignatureASN1(sig)
	return ok && Verify(pub, digest, r, s)
}

func parseSignatureASN1(sig []byte) (r, s *big.Int, ok bool) {
	var inner cryptobyte.String
	input := cryptobyte.String(sig)
	r, s = new(big.Int), new(big.Int)
	if !input.ReadASN1(&inner, cbasn1.SEQUENCE) || !input.Empty() ||
		!inner.ReadASN1Integer(r) || !inner.ReadASN1Integer(s) || !inner.Empty() {
		return nil, nil, false
	}
	return r, s, true
}

// VerifyP1363 reports whether sig, the plain concatenation r||s with each
// half exactly as long as N (IEEE P1363, BSI TR-03111 §5.2.1, used by
// ICAO active authentication), is a valid signature of digest by pub.
func VerifyP1363(pub *PublicKey, digest, sig []byte) bool {
	if pub == nil || pub.Curve == nil {
		return false
	}
	l := pub.Curve.scalarLen()
	if len(sig) != 2*l {
		return false
	}
	r := new(big.Int).SetBytes(sig[:l])
	s := new(big.Int).SetBytes(sig[l:])
	return Verify(pub, digest, r, s)
}

// PrivateKey is an ECDSA private key on a brainpool curve, for tests and
// throwaway issuers only (see doc.go, # Security). *PrivateKey implements
// crypto.Signer.
type PrivateKey struct {
	PublicKey
	D *big.Int
}

// Public returns the public half as a *PublicKey (crypto.Signer).
func (priv *PrivateKey) Public() crypto.PublicKey { return &priv.PublicKey }

// Sign signs digest with [SignASN1] and returns a DER ECDSA-Sig-Value
// (crypto.Signer). When opts names a hash, digest must have its size.
func (priv *PrivateKey) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	if opts != nil {
		if h := opts.HashFunc(); h != 0 && h.Available() && len(digest) != h.Size() {
			return nil, fmt.Errorf("brainpool: digest is %d bytes, %v wants %d", len(digest), h, h.Size())
		}
	}
	return SignASN1(rand, priv, digest)
}

// Equal reports whether x is a *PrivateKey with the same curve and scalar.
func (priv *PrivateKey) Equal(x crypto.PrivateKey) bool {
	o, ok := x.(*PrivateKey)
	if !ok || priv == nil || o == nil || priv.D == nil || o.D == nil {
		return false
	}
	return priv.PublicKey.Equal(&o.PublicKey) && priv.D.Cmp(o.D) == 0
}

// maxRandomTries bounds rejection sampling, so a broken reader (all zero
// bytes, say) yields an error instead of a loop. An honest reader needs
// more than a few tries with negligible probability.
const maxRandomTries = 64

// GenerateKey returns a new key on c with D uniform in [1, N-1] by
// rejection sampling (FIPS 186-5 §A.2.2) from rand; nil rand means
// crypto/rand. A deterministic reader gives a deterministic key.
func GenerateKey(c *Curve, rand io.Reader) (*PrivateKey, error) {
	if c == nil || c.arith == nil {
		return nil, ErrCurve
	}
	if rand == nil {
		rand = cryptorand.Reader
	}
	buf := make([]byte, c.scalarLen())
	excess := uint(len(buf)*8 - c.N.BitLen())
	for range maxRandomTries {
		if _, err := io.ReadFull(rand, buf); err != nil {
			return nil, fmt.Errorf("brainpool: reading randomness: %w", err)
		}
		buf[0] &= 0xff >> excess
		d := new(big.Int).SetBytes(buf)
		if d.Sign() == 0 || d.Cmp(c.N) >= 0 {
			continue
		}
		x, y, ok := c.baseMultAffine(d)
		if !ok {
			continue
		}
		return &PrivateKey{PublicKey: PublicKey{Curve: c, X: x, Y: y}, D: d}, nil
	}
	return nil, errors.New("brainpool: randomness source keeps yielding out-of-range scalars")
}

// baseMultAffine returns k·G in affine coordinates.
func (c *Curve) baseMultAffine(k *big.Int) (x, y *big.Int, ok bool) {
	pt := c.arith.baseMult(&c.g, k)
	a, ok := c.arith.toAffine(&pt)
	if !ok {
		return nil, nil, false
	}
	return c.arith.f.toBig(&a.x), c.arith.f.toBig(&a.y), true
}

// SignASN1 signs digest (truncated to N's bit length as in [Verify]) and
// returns a DER ECDSA-Sig-Value. The nonce k comes from an HMAC-DRBG as in
// RFC 6979 §3.2 (HMAC-SHA-512), seeded with D, the digest and 32 bytes from
// rand as the extra input of RFC 6979 §3.6; nil rand means crypto/rand.
// A broken rand therefore cannot repeat k for different digests.
//
// Signing is not constant-time: use it for tests and throwaway issuers,
// never for production keys.
func SignASN1(rand io.Reader, priv *PrivateKey, digest []byte) ([]byte, error) {
	if priv == nil || priv.Curve == nil || priv.Curve.arith == nil {
		return nil, ErrCurve
	}
	c := priv.Curve
	if priv.D == nil || priv.D.Sign() <= 0 || priv.D.Cmp(c.N) >= 0 {
		return nil, ErrPrivateKey
	}
	if rand == nil {
		rand = cryptorand.Reader
	}
	extra := make([]byte, 32)
	if _, err := io.ReadFull(rand, extra); err != nil {
		return nil, fmt.Errorf("brainpool: reading randomness: %w", err)
	}
	e := hashToInt(digest, c)
	drbg := newNonceDRBG(c, priv.D, e, extra)
	for range maxRandomTries {
		k := drbg.next()
		if k.Sign() == 0 || k.Cmp(c.N) >= 0 {
			continue
		}
		x, _, ok := c.baseMultAffine(k)
		if !ok {
			continue
		}
		r := x.Mod(x, c.N)
		if r.Sign() == 0 {
			continue
		}
		s := new(big.Int).Mul(r, priv.D)
		s.Add(s, e)
		s.Mul(s, k.ModInverse(k, c.N))
		s.Mod(s, c.N)
		if s.Sign() == 0 {
			continue
		}
		var b cryptobyte.Builder
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1BigInt(r)
			b.AddASN1BigInt(s)
		})
		return b.Bytes()
	}
	return nil, errors.New("brainpool: no usable nonce")
}

// nonceDRBG is the HMAC-DRBG of RFC 6979 §3.2 steps b to h.
type nonceDRBG struct {
	c    *Curve
	k, v []byte
}

func newNonceDRBG(c *Curve, d, e *big.Int, extra []byte) *nonceDRBG {
	rlen := c.scalarLen()
	x := d.FillBytes(make([]byte, rlen))
	h := new(big.Int).Mod(e, c.N).FillBytes(make([]byte, rlen)) // bits2octets
	g := &nonceDRBG{c: c, k: make([]byte, sha512.Size), v: make([]byte, sha512.Size)}
	for i := range g.v {
		g.v[i] = 0x01
	}
	for _, sep := range []byte{0x00, 0x01} {
		g.k = g.mac(g.v, []byte{sep}, x, h, extra)
		g.v = g.mac(g.v)
	}
	return g
}

func (g *nonceDRBG) mac(parts ...[]byte) []byte {
	m := hmac.New(sha512.New, g.k)
	for _, p := range parts {
		m.Write(p)
	}
	return m.Sum(nil)
}

// next returns the next candidate k (bits2int of the DRBG output, step
// h.2) and then updates K and V as step h.3 says, ready for a retry.
func (g *nonceDRBG) next() *big.Int {
	var t []byte
	for len(t) < g.c.scalarLen() {
		g.v = g.mac(g.v)
		t = append(t, g.v...)
	}
	k := hashToInt(t, g.c)
	g.k = g.mac(g.v, []byte{0x00})
	g.v = g.mac(g.v)
	return k
}
