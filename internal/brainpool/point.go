package brainpool

import (
	"math/big"
	"math/bits"
	"sync"
)

// jacobian is a point (X/Z², Y/Z³) on a curve in Jacobian coordinates,
// field elements in Montgomery form; Z = 0 is the point at infinity.
type jacobian struct{ x, y, z fe }

// affine is a finite point with Montgomery-form coordinates.
type affine struct{ x, y fe }

// arith holds the Montgomery-form constants of one curve.
type arith struct {
	f         *field
	a, b      fe
	aIsMinus3 bool // a = −3: double uses the cheaper dbl-2001-b

	gOnce  sync.Once
	gTable []jacobian // odd multiples G, 3G, ... with Z = 1, built on first use
}

// gWindow is the wNAF width for the fixed base point G: its table of
// 2^(gWindow-2) affine points is built once per curve.
const gWindow = 8

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

// double sets r = 2p (see doubleAny). Fields of 4 limbs, P224r1 and
// P256r1, take the copy of the formulas generated for them, which calls
// the field's unrolled arithmetic directly.
func (c *arith) double(r, p *jacobian) {
	if c.f.n == 4 {
		c.doubleL4(r, p)
		return
	}
	c.doubleAny(r, p)
}

// add sets r = p + q (see addAny), with the same dispatch as double.
func (c *arith) add(r, p, q *jacobian) {
	if c.f.n == 4 {
		c.addL4(r, p, q)
		return
	}
	c.addAny(r, p, q)
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
	c.fillOddMultiples(t, p)
	return t
}

// fillOddMultiples sets t to p, 3p, 5p, ...
func (c *arith) fillOddMultiples(t []jacobian, p *jacobian) {
	if len(t) == 0 {
		return
	}
	t[0] = *p
	var p2 jacobian
	c.double(&p2, p)
	for i := 1; i < len(t); i++ {
		c.add(&t[i], &t[i-1], &p2)
	}
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
// Runs of zero digits are skipped a limb shift at a time.
func wnaf(k *big.Int, w uint) []int8 {
	limbs := limbsOf(k)
	var s [maxLimbs + 1]uint64 // one spare limb: k − d can carry when d < 0
	copy(s[:], limbs[:])
	out := make([]int8, k.BitLen()+1) // the digits not set below are zero
	n := 0
	width := uint64(1) << w
	for !isZeroLimbs(s[:]) {
		if s[0]&1 == 0 {
			// Skip the zero digits up to the next set bit, at most 63 at a
			// time (s[0] = 0 skips a whole limb).
			z := uint(63)
			if s[0] != 0 {
				z = uint(bits.TrailingZeros64(s[0]))
			}
			n += int(z)
			shiftRight(s[:], z)
			continue
		}
		d := int64(s[0] & (width - 1))
		if d >= int64(width/2) {
			d -= int64(width)
		}
		if d > 0 {
			subSmall(s[:], uint64(d))
		} else {
			addSmall(s[:], uint64(-d))
		}
		out[n] = int8(d)
		n++
		shiftRight(s[:], 1)
	}
	out = out[:n]
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

// shiftRight shifts s right by 1 <= n <= 63 bits.
func shiftRight(s []uint64, n uint) {
	for i := range s {
		s[i] >>= n
		if i+1 < len(s) {
			s[i] |= s[i+1] << (64 - n)
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
	var qtable [1 << (qWindow - 2)]jacobian // on the stack: no allocation per call
	qt := qtable[:]
	c.fillOddMultiples(qt, q)
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
