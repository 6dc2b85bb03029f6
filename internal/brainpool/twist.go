package brainpool

import (
	"math/big"
	"sync"
)

// twist is the curve y² = x³ − 3x + b' isomorphic to a brainpool curve
// y² = x³ + ax + b through (x, y) ↦ (x·Z², y·Z³) with a·Z⁴ = −3 and
// b' = b·Z⁶ (RFC 5639 §3 defines the "t1" curves this way; §3.4 and the
// other sections give one such Z per curve). With a = −3 a Jacobian
// doubling needs 3 multiplications and 5 squarings instead of 4 and 6,
// and verification is mostly doublings, so [Verify] works on the twist.
type twist struct {
	ar     *arith
	z2, z3 fe       // Z² and Z³ in Montgomery form
	g      jacobian // the image of G, Z = 1
}

// twist returns c's isomorphic a = −3 curve, computed on first use
// (finding Z takes two modular square roots).
func (c *Curve) twist() *twist {
	c.twistOnce.Do(func() { c.tw = newTwist(c) })
	return c.tw
}

// newTwist finds Z with Z⁴ = −3/a. Every brainpool prime is 3 mod 4, so
// −1 is not a square: of the two square roots ±s of −3/a exactly one is
// itself a square, and its square root is a valid Z. RFC 5639 §3
// guarantees −3/a is a fourth power for every curve here; curves_test.go
// checks a·Z⁴ = −3 and that the map sends G onto the twist.
func newTwist(c *Curve) *twist {
	p := c.P
	u := new(big.Int).ModInverse(c.A, p)
	u.Mul(u, big.NewInt(-3)).Mod(u, p)
	s := new(big.Int).ModSqrt(u, p)
	if s == nil {
		return nil
	}
	z := new(big.Int).ModSqrt(s, p)
	if z == nil {
		s.Sub(p, s)
		if z = new(big.Int).ModSqrt(s, p); z == nil {
			return nil
		}
	}
	f := c.arith.f
	fz := f.fromBig(z)
	var minus3, three fe
	three = f.fromBig(big.NewInt(3))
	f.neg(&minus3, &three)
	t := &twist{ar: &arith{f: f, a: minus3, aIsMinus3: true}}
	f.sqr(&t.z2, &fz)
	f.mul(&t.z3, &t.z2, &fz)
	var z6 fe
	f.sqr(&z6, &t.z3)
	f.mul(&t.ar.b, &c.arith.b, &z6)
	t.g = t.toTwist(&c.g)
	return t
}

// toTwist maps a point of the curve to the twist; Z = 1 stays 1.
func (t *twist) toTwist(p *jacobian) jacobian {
	r := jacobian{z: p.z}
	t.ar.f.mul(&r.x, &p.x, &t.z2)
	t.ar.f.mul(&r.y, &p.y, &t.z3)
	return r
}

// twistState is what a Curve keeps for its twist.
type twistState struct {
	twistOnce sync.Once
	tw        *twist
}
