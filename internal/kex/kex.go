// Package kex gives PACE and chip authentication one view of their
// key-agreement groups (ICAO 9303-11 section 9.5.1): the elliptic curves
// brainpoolP256r1/P384r1/P512r1 and NIST P-256/P-384/P-521 (ECDH), and
// the RFC 5114 MODP groups (DH). Elements travel as their encodings: an
// uncompressed point 04 || X || Y or a DH value, always at the field's full
// length (ICAO 9303-11 section 9.4: leading zero bytes are kept).
package kex

import (
	"crypto/elliptic"
	"errors"
	"fmt"
	"io"
	"math/big"

	"github.com/cancuoc/sdk/internal/brainpool"
)

// ErrElement reports an encoded element that is not in the group (off the
// curve, the point at infinity, out of range or outside the subgroup).
var ErrElement = errors.New("kex: invalid group element")

// ErrUnknownGroup reports a standardized domain parameter ID this package
// does not implement.
var ErrUnknownGroup = errors.New("kex: unsupported domain parameters")

// Group is a cyclic group of prime order in which the key agreements of
// ICAO 9303-11 run.
type Group interface {
	// Name is "brainpoolP256r1", "P-256", "MODP-1024-160"...
	Name() string
	// EC reports an elliptic-curve group.
	EC() bool
	// Order is the prime order of the generator.
	Order() *big.Int
	// Generator returns the encoded standard generator G.
	Generator() []byte
	// Mult returns k·P (k big-endian in [1, Order−1]); P is validated.
	Mult(k, p []byte) ([]byte, error)
	// Add returns P + Q (EC) or P·Q (DH); both are validated.
	Add(p, q []byte) ([]byte, error)
	// SharedSecret returns the value key derivation hashes: the
	// x-coordinate of a point or the DH value, at full length.
	SharedSecret(p []byte) []byte
	// Validate checks that an encoded element is a group element.
	Validate(p []byte) error
	// Curve returns the curve equation y² = x³ + ax + b over GF(p);
	// ok is false for DH groups.
	Curve() (p, a, b *big.Int, ok bool)
	// Point encodes affine coordinates (reduced mod p) as an
	// uncompressed point after checking that it is on the curve.
	Point(x, y *big.Int) ([]byte, error)
}

// ByParameterID returns the group of a standardized domain parameter ID
// (ICAO 9303-11 section 9.5.1, table 6): 0-2 RFC 5114 MODP, 12 NIST P-256,
// 13 brainpoolP256r1, 15 NIST P-384, 16 brainpoolP384r1, 17
// brainpoolP512r1, 18 NIST P-521.
func ByParameterID(id int) (Group, error) {
	switch id {
	case 0, 1, 2:
		return newDH(id), nil
	case 12:
		return nistGroup{elliptic.P256()}, nil
	case 13:
		return bpGroup{brainpool.P256r1()}, nil
	case 15:
		return nistGroup{elliptic.P384()}, nil
	case 16:
		return bpGroup{brainpool.P384r1()}, nil
	case 17:
		return bpGroup{brainpool.P512r1()}, nil
	case 18:
		return nistGroup{elliptic.P521()}, nil
	}
	return nil, fmt.Errorf("%w: parameter ID %d", ErrUnknownGroup, id)
}

// ByCurveName returns the EC group of a curve named as chip.PublicKeyInfo
// names it ("P-256", "brainpoolP256r1"...).
func ByCurveName(name string) (Group, error) {
	switch name {
	case "P-256":
		return nistGroup{elliptic.P256()}, nil
	case "P-384":
		return nistGroup{elliptic.P384()}, nil
	case "P-521":
		return nistGroup{elliptic.P521()}, nil
	}
	if c := brainpool.CurveByName(name); c != nil {
		return bpGroup{c}, nil
	}
	return nil, fmt.Errorf("%w: curve %q", ErrUnknownGroup, name)
}

// GenerateKey draws a private key in [1, Order−1] from rand by rejection
// sampling on the order's byte length (so a reader that yields a valid
// scalar yields exactly that key, as the worked examples need) and returns
// it with its public key k·gen.
func GenerateKey(g Group, gen []byte, rand io.Reader) (priv, pub []byte, err error) {
	n := g.Order()
	buf := make([]byte, (n.BitLen()+7)/8)
	for range 100 {
		if _, err := io.ReadFull(rand, buf); err != nil {
			return nil, nil, fmt.Errorf("kex: random: %w", err)
		}
		if excess := len(buf)*8 - n.BitLen(); excess > 0 && n.BitLen()%8 != 0 {
			// Keep the draw below 2^bitlen so rejection stays cheap; a
			// worked-example key already has these bits clear.
			buf[0] &= byte(0xFF >> excess)
		}
		k := new(big.Int).SetBytes(buf)
		if k.Sign() == 0 || k.Cmp(n) >= 0 {
			continue
		}
		pub, err := g.Mult(buf, gen)
		if err != nil {
			return nil, nil, err
		}
		return buf, pub, nil
	}
	return nil, nil, errors.New("kex: random source yields no valid scalar")
}

// bpGroup is a brainpool curve.
type bpGroup struct{ c *brainpool.Curve }

func (g bpGroup) Name() string      { return g.c.Name }
func (g bpGroup) EC() bool          { return true }
func (g bpGroup) Order() *big.Int   { return g.c.N }
func (g bpGroup) Generator() []byte { return encodePoint(g.c.BitSize, g.c.Gx, g.c.Gy) }
func (g bpGroup) Mult(k, p []byte) ([]byte, error) {
	r, err := g.c.ScalarMult(k, p)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrElement, err)
	}
	return r, nil
}
func (g bpGroup) Add(p, q []byte) ([]byte, error) {
	r, err := g.c.AddPoints(p, q)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrElement, err)
	}
	return r, nil
}
func (g bpGroup) SharedSecret(p []byte) []byte       { return xCoordinate(p) }
func (g bpGroup) Curve() (p, a, b *big.Int, ok bool) { return g.c.P, g.c.A, g.c.B, true }
func (g bpGroup) Point(x, y *big.Int) ([]byte, error) {
	e := encodePoint(g.c.BitSize, x, y)
	return e, g.Validate(e)
}
func (g bpGroup) Validate(p []byte) error {
	if len(p) == 0 || p[0] != 4 {
		return fmt.Errorf("%w: not an uncompressed point", ErrElement)
	}
	if _, err := brainpool.ParsePublicKey(g.c, p); err != nil {
		return fmt.Errorf("%w: %v", ErrElement, err)
	}
	return nil
}

// nistGroup is a NIST curve. crypto/ecdh, the recommended API, computes
// only x(k·P) for a fixed generator's keys, while PACE's generic mapping
// needs full points on a mapped generator; crypto/elliptic's Curve
// methods (deprecated as a low-level API, constant-time for P-256, P-384
// and P-521 since Go 1.19) are the standard library's only way to do it.
type nistGroup struct{ c elliptic.Curve }

func (g nistGroup) Name() string    { return g.c.Params().Name }
func (g nistGroup) EC() bool        { return true }
func (g nistGroup) Order() *big.Int { return g.c.Params().N }
func (g nistGroup) Generator() []byte {
	return encodePoint(g.c.Params().BitSize, g.c.Params().Gx, g.c.Params().Gy)
}

func (g nistGroup) parse(p []byte) (x, y *big.Int, err error) {
	l := (g.c.Params().BitSize + 7) / 8
	if len(p) != 1+2*l || p[0] != 4 {
		return nil, nil, fmt.Errorf("%w: not an uncompressed %s point", ErrElement, g.Name())
	}
	x, y = new(big.Int).SetBytes(p[1:1+l]), new(big.Int).SetBytes(p[1+l:])
	if !g.c.IsOnCurve(x, y) { //nolint:staticcheck // see nistGroup
		return nil, nil, fmt.Errorf("%w: not on %s", ErrElement, g.Name())
	}
	return x, y, nil
}

func (g nistGroup) Mult(k, p []byte) ([]byte, error) {
	x, y, err := g.parse(p)
	if err != nil {
		return nil, err
	}
	kb := new(big.Int).SetBytes(k)
	if kb.Sign() == 0 || kb.Cmp(g.Order()) >= 0 {
		return nil, fmt.Errorf("%w: scalar out of range", ErrElement)
	}
	rx, ry := g.c.ScalarMult(x, y, k) //nolint:staticcheck // see nistGroup
	if rx.Sign() == 0 && ry.Sign() == 0 {
		return nil, fmt.Errorf("%w: point at infinity", ErrElement)
	}
	return encodePoint(g.c.Params().BitSize, rx, ry), nil
}

func (g nistGroup) Add(p, q []byte) ([]byte, error) {
	x1, y1, err := g.parse(p)
	if err != nil {
		return nil, err
	}
	x2, y2, err := g.parse(q)
	if err != nil {
		return nil, err
	}
	rx, ry := g.c.Add(x1, y1, x2, y2) //nolint:staticcheck // see nistGroup
	if rx.Sign() == 0 && ry.Sign() == 0 {
		return nil, fmt.Errorf("%w: point at infinity", ErrElement)
	}
	return encodePoint(g.c.Params().BitSize, rx, ry), nil
}

func (g nistGroup) SharedSecret(p []byte) []byte { return xCoordinate(p) }
func (g nistGroup) Curve() (p, a, b *big.Int, ok bool) {
	prm := g.c.Params()
	return prm.P, new(big.Int).Sub(prm.P, big.NewInt(3)), prm.B, true
}
func (g nistGroup) Point(x, y *big.Int) ([]byte, error) {
	e := encodePoint(g.c.Params().BitSize, x, y)
	return e, g.Validate(e)
}
func (g nistGroup) Validate(p []byte) error { _, _, err := g.parse(p); return err }

func encodePoint(bitSize int, x, y *big.Int) []byte {
	l := (bitSize + 7) / 8
	out := make([]byte, 1+2*l)
	out[0] = 4
	x.FillBytes(out[1 : 1+l])
	y.FillBytes(out[1+l:])
	return out
}

// xCoordinate returns X of 04 || X || Y, at full length.
func xCoordinate(p []byte) []byte {
	l := (len(p) - 1) / 2
	return append([]byte(nil), p[1:1+l]...)
}

// NewDH returns the DH group of explicit domain parameters, as a DG14
// chip-authentication key carries them (ANSI X9.42 DomainParameters). The
// RFC 5114 groups are recognised; other parameters must pass the checks:
// p and q probable primes, q divides p − 1, 1 < g < p and g^q = 1.
func NewDH(p, g, q *big.Int) (Group, error) {
	if p == nil || g == nil || q == nil {
		return nil, fmt.Errorf("%w: DH parameters without q", ErrUnknownGroup)
	}
	for id := range dhParams {
		if d := newDH(id); d.p.Cmp(p) == 0 && d.g.Cmp(g) == 0 && d.q.Cmp(q) == 0 {
			return d, nil
		}
	}
	one := big.NewInt(1)
	pm1 := new(big.Int).Sub(p, one)
	if p.BitLen() < 1024 || p.BitLen() > 4096 || q.BitLen() < 160 || !p.ProbablyPrime(10) || !q.ProbablyPrime(10) ||
		new(big.Int).Mod(pm1, q).Sign() != 0 || g.Cmp(one) <= 0 || g.Cmp(p) >= 0 || new(big.Int).Exp(g, q, p).Cmp(one) != 0 {
		return nil, fmt.Errorf("%w: DH parameters fail the group checks", ErrUnknownGroup)
	}
	return dhGroup{name: fmt.Sprintf("MODP-%d-%d", p.BitLen(), q.BitLen()), p: p, g: g, q: q}, nil
}

// dhGroup is a MODP group with a prime-order subgroup. Exponentiation uses
// math/big and is not constant-time.
type dhGroup struct {
	name    string
	p, g, q *big.Int
}

func newDH(id int) dhGroup {
	v := dhParams[id]
	p, _ := new(big.Int).SetString(v[0], 16)
	g, _ := new(big.Int).SetString(v[1], 16)
	q, _ := new(big.Int).SetString(v[2], 16)
	return dhGroup{name: fmt.Sprintf("MODP-%d-%d", p.BitLen(), q.BitLen()), p: p, g: g, q: q}
}

func (g dhGroup) Name() string      { return g.name }
func (g dhGroup) EC() bool          { return false }
func (g dhGroup) Order() *big.Int   { return g.q }
func (g dhGroup) Generator() []byte { return g.encode(g.g) }
func (g dhGroup) encode(v *big.Int) []byte {
	return v.FillBytes(make([]byte, (g.p.BitLen()+7)/8))
}

// parse checks 1 < y < p−1 and y^q = 1 (the element lies in the subgroup).
func (g dhGroup) parse(b []byte) (*big.Int, error) {
	if len(b) != (g.p.BitLen()+7)/8 {
		return nil, fmt.Errorf("%w: DH value of %d bytes", ErrElement, len(b))
	}
	y := new(big.Int).SetBytes(b)
	pm1 := new(big.Int).Sub(g.p, big.NewInt(1))
	if y.Cmp(big.NewInt(1)) <= 0 || y.Cmp(pm1) >= 0 {
		return nil, fmt.Errorf("%w: DH value out of range", ErrElement)
	}
	if new(big.Int).Exp(y, g.q, g.p).Cmp(big.NewInt(1)) != 0 {
		return nil, fmt.Errorf("%w: DH value outside the subgroup", ErrElement)
	}
	return y, nil
}

func (g dhGroup) Mult(k, b []byte) ([]byte, error) {
	y, err := g.parse(b)
	if err != nil {
		return nil, err
	}
	kb := new(big.Int).SetBytes(k)
	if kb.Sign() == 0 || kb.Cmp(g.q) >= 0 {
		return nil, fmt.Errorf("%w: exponent out of range", ErrElement)
	}
	return g.encode(new(big.Int).Exp(y, kb, g.p)), nil
}

func (g dhGroup) Add(a, b []byte) ([]byte, error) {
	x, err := g.parse(a)
	if err != nil {
		return nil, err
	}
	y, err := g.parse(b)
	if err != nil {
		return nil, err
	}
	return g.encode(new(big.Int).Mod(new(big.Int).Mul(x, y), g.p)), nil
}

func (g dhGroup) SharedSecret(b []byte) []byte       { return append([]byte(nil), b...) }
func (g dhGroup) Curve() (p, a, b *big.Int, ok bool) { return g.p, nil, nil, false }
func (g dhGroup) Point(x, y *big.Int) ([]byte, error) {
	return nil, fmt.Errorf("%w: a DH group has no points", ErrElement)
}
func (g dhGroup) Validate(b []byte) error { _, err := g.parse(b); return err }
