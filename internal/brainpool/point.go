package brainpool

import (
	"math/big"
	"sync"
)

// jacobian is a point (X/Z², Y/Z³) on a curve in Jacobian coordinates,
// field elements in Montgomery form; Z = 0 is the point at infinity.
type jacobian struct{ x, y, z fe }

// affine is a finite point with Montgomery-form coordinates.
type affine struct{ x, y fe }

// arith holds the Montgomery-form constants of one curve.
type arith struct {
	f    *field
	a, b fe

	gOnce  sync.Once
	gTable []jacobian // odd multiples G, 3G, ... with Z = 1, built on first use
}

// gWindow is the wNAF width for the fixed base point G: its table of
// 2^(gWindow-2) affine points is built once per curve.
const gWindow = 7

// qWindow is the wNAF width for a public key, whose table is built per call.
const qWindow = 5

func (c *arith) isInfinity(p *jacobian) bool { return p.z.isZero() }

// onCurve reports whether the affine point (x, y) satisfies
// y² = x³ + ax + b.
func (c *arith) onCurve(x, y *fe) bool {
	f := c.f
	var lhs, rhs fe
	f.sqr(&lhs, y)
	f.sqr(&rhs, x)
	f.add(&rhs, &rhs, &c.a)
	f.mul(&rhs, &rhs, x)
	f.add(&rhs, &rhs, &c.b)
	return lhs == rhs
}

// double sets r = 2p for an arbitrary curve coefficient a
// (dbl-1998-cmo-2, Cohen, Miyaji and Ono):
//
//	S = 4·X·Y², M = 3·X² + a·Z⁴, X' = M² − 2S, Y' = M·(S − X') − 8·Y⁴, Z' = 2·Y·Z
func (c *arith) double(r, p *jacobian) {
	f := c.f
	if p.z.isZero() || p.y.isZero() {
		// Y = 0 would be a point of order 2; brainpool curves have prime
		// order, but the result is still the point at infinity.
		*r = jacobian{}
		return
	}
	var xx, yy, zz, s, m, t, y4 fe
	f.sqr(&xx, &p.x)
	f.sqr(&yy, &p.y)
	f.sqr(&zz, &p.z)

	f.mul(&s, &p.x, &yy)
	f.add(&s, &s, &s)
	f.add(&s, &s, &s) // S = 4·X·Y²

	f.sqr(&t, &zz)
	f.mul(&t, &t, &c.a) // a·Z⁴
	f.add(&m, &xx, &xx)
	f.add(&m, &m, &xx)
	f.add(&m, &m, &t) // M = 3·X² + a·Z⁴

	var z3 fe
	f.mul(&z3, &p.y, &p.z)
	f.add(&z3, &z3, &z3) // Z' = 2·Y·Z (before r may overwrite p)

	f.sqr(&y4, &yy)
	f.add(&y4, &y4, &y4)
	f.add(&y4, &y4, &y4)
	f.add(&y4, &y4, &y4) // 8·Y⁴

	var x3, y3 fe
	f.sqr(&x3, &m)
	f.sub(&x3, &x3, &s)
	f.sub(&x3, &x3, &s) // X' = M² − 2S

	f.sub(&y3, &s, &x3)
	f.mul(&y3, &y3, &m)
	f.sub(&y3, &y3, &y4) // Y' = M·(S − X') − 8·Y⁴

	r.x, r.y, r.z = x3, y3, z3
}

// add sets r = p + q (add-1998-cmo-2), handling the point at infinity,
// p = q (doubling) and p = −q. When q.z is one it skips the Z₂ products
// (mixed addition).
func (c *arith) add(r, p, q *jacobian) {
	f := c.f
	if p.z.isZero() {
		*r = *q
		return
	}
	if q.z.isZero() {
		*r = *p
		return
	}
	qAffine := q.z == f.one

	var z1z1, u1, u2, s1, s2 fe
	f.sqr(&z1z1, &p.z)
	if qAffine {
		u1, s1 = p.x, p.y
	} else {
		var z2z2 fe
		f.sqr(&z2z2, &q.z)
		f.mul(&u1, &p.x, &z2z2)
		f.mul(&s1, &p.y, &z2z2)
		f.mul(&s1, &s1, &q.z) // S1 = Y1·Z2³
	}
	f.mul(&u2, &q.x, &z1z1)
	f.mul(&s2, &q.y, &z1z1)
	f.mul(&s2, &s2, &p.z) // S2 = Y2·Z1³

	var h, rr fe
	f.sub(&h, &u2, &u1)
	f.sub(&rr, &s2, &s1)
	if h.isZero() {
		if rr.isZero() {
			c.double(r, p)
			return
		}
		*r = jacobian{} // p = −q
		return
	}

	var hh, hhh, v, x3, y3, z3 fe
	f.sqr(&hh, &h)
	f.mul(&hhh, &hh, &h)
	f.mul(&v, &u1, &hh)

	f.sqr(&x3, &rr)
	f.sub(&x3, &x3, &hhh)
	f.sub(&x3, &x3, &v)
	f.sub(&x3, &x3, &v) // X3 = R² − H³ − 2·U1·H²

	f.sub(&y3, &v, &x3)
	f.mul(&y3, &y3, &rr)
	f.mul(&s1, &s1, &hhh)
	f.sub(&y3, &y3, &s1) // Y3 = R·(V − X3) − S1·H³

	if qAffine {
		f.mul(&z3, &p.z, &h)
	} else {
		f.mul(&z3, &p.z, &q.z)
		f.mul(&z3, &z3, &h) // Z3 = Z1·Z2·H
	}
	r.x, r.y, r.z = x3, y3, z3
}

// negate sets r = −p.
func (c *arith) negate(r, p *jacobian) {
	r.x, r.z = p.x, p.z
	c.f.neg(&r.y, &p.y)
}

// toAffine returns p in affine coordinates; ok is false for infinity.
func (c *arith) toAffine(p *jacobian) (a affine, ok bool) {
	if p.z.isZero() {
		return affine{}, false
	}
	f := c.f
	var zinv, zinv2, zinv3 fe
	f.inv(&zinv, &p.z)
	f.sqr(&zinv2, &zinv)
	f.mul(&zinv3, &zinv2, &zinv)
	f.mul(&a.x, &p.x, &zinv2)
	f.mul(&a.y, &p.y, &zinv3)
	return a, true
}

// oddMultiples returns p, 3p, 5p, ... (2^(w-2) points).
func (c *arith) oddMultiples(p *jacobian, w uint) []jacobian {
	t := make([]jacobian, 1<<(w-2))
	t[0] = *p
	var p2 jacobian
	c.double(&p2, p)
	for i := 1; i < len(t); i++ {
		c.add(&t[i], &t[i-1], &p2)
	}
	return t
}

// generatorTable returns the odd multiples of G normalised to Z = 1, so
// additions with them are mixed additions. It is computed once per curve.
func (c *arith) generatorTable(g *jacobian) []jacobian {
	c.gOnce.Do(func() {
		t := c.oddMultiples(g, gWindow)
		for i := range t {
			// Never infinity: G has prime order far above 2^gWindow.
			a, _ := c.toAffine(&t[i])
			t[i] = jacobian{x: a.x, y: a.y, z: c.f.one}
		}
		c.gTable = t
	})
	return c.gTable
}

// wnaf returns the width-w non-adjacent form of 0 <= k < 2^512: digits
// d[i] that are zero or odd with |d[i]| < 2^(w-1), such that
// k = Σ d[i]·2^i. At most one of any w consecutive digits is non-zero.
func wnaf(k *big.Int, w uint) []int8 {
	limbs := limbsOf(k)
	var s [maxLimbs + 1]uint64 // one spare limb: k − d can carry when d < 0
	copy(s[:], limbs[:])
	out := make([]int8, 0, k.BitLen()+1)
	width := uint64(1) << w
	for !isZeroLimbs(s[:]) {
		var d int64
		if s[0]&1 == 1 {
			d = int64(s[0] & (width - 1))
			if d >= int64(width/2) {
				d -= int64(width)
			}
			if d > 0 {
				subSmall(s[:], uint64(d))
			} else {
				addSmall(s[:], uint64(-d))
			}
		}
		out = append(out, int8(d))
		shiftRight1(s[:])
	}
	return out
}

func isZeroLimbs(s []uint64) bool {
	for _, v := range s {
		if v != 0 {
			return false
		}
	}
	return true
}

func subSmall(s []uint64, v uint64) {
	for i := range s {
		old := s[i]
		s[i] = old - v
		if old >= v {
			return
		}
		v = 1
	}
}

func addSmall(s []uint64, v uint64) {
	for i := range s {
		s[i] += v
		if s[i] >= v {
			return
		}
		v = 1
	}
}

func shiftRight1(s []uint64) {
	for i := range s {
		s[i] >>= 1
		if i+1 < len(s) {
			s[i] |= s[i+1] << 63
		}
	}
}

// addDigit adds d·P to r, where table holds the odd multiples of P.
func (c *arith) addDigit(r *jacobian, table []jacobian, d int8) {
	switch {
	case d > 0:
		c.add(r, r, &table[d/2])
	case d < 0:
		var neg jacobian
		c.negate(&neg, &table[(-d)/2])
		c.add(r, r, &neg)
	}
}

// combinedMult returns u1·G + u2·Q by interleaving the wNAF expansions of
// both scalars (Shamir's trick: one shared chain of doublings).
// It runs in variable time: verification uses only public values.
func (c *arith) combinedMult(g *jacobian, u1 *big.Int, q *jacobian, u2 *big.Int) jacobian {
	gt := c.generatorTable(g)
	qt := c.oddMultiples(q, qWindow)
	n1 := wnaf(u1, gWindow)
	n2 := wnaf(u2, qWindow)
	var r jacobian
	for i := max(len(n1), len(n2)) - 1; i >= 0; i-- {
		c.double(&r, &r)
		if i < len(n1) {
			c.addDigit(&r, gt, n1[i])
		}
		if i < len(n2) {
			c.addDigit(&r, qt, n2[i])
		}
	}
	return r
}

// baseMult returns k·G. It runs in variable time (see doc.go).
func (c *arith) baseMult(g *jacobian, k *big.Int) jacobian {
	return c.tableMult(c.generatorTable(g), wnaf(k, gWindow))
}

// scalarMult returns k·P for any point (tests use it to check N·G = O).
func (c *arith) scalarMult(p *jacobian, k *big.Int) jacobian {
	return c.tableMult(c.oddMultiples(p, qWindow), wnaf(k, qWindow))
}

// tableMult returns Σ d[i]·2^i·P given the odd multiples of P.
func (c *arith) tableMult(table []jacobian, d []int8) jacobian {
	var r jacobian
	for i := len(d) - 1; i >= 0; i-- {
		c.double(&r, &r)
		c.addDigit(&r, table, d[i])
	}
	return r
}
