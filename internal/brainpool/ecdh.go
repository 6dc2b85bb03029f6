package brainpool

import (
	"crypto/subtle"
	"errors"
	"math/big"
	"math/bits"
)

// Key agreement on arbitrary points, for PACE (ICAO 9303-11 section 4.4:
// the generic mapping computes Ĝ = s·G + H and then ephemeral keys on Ĝ)
// and chip authentication. Points travel as SEC 1 uncompressed encodings,
// 04 || X || Y, each coordinate at the field's full length.

// ErrScalar reports a scalar that is zero or not below the group order.
var ErrScalar = errors.New("brainpool: scalar out of range")

// ecdhWindow is the width of the signed odd digits of ScalarMult.
const ecdhWindow = 5

// ScalarMult returns k·P for the big-endian scalar k in [1, N−1] and the
// uncompressed point P (validated as ParsePublicKey does).
//
// The multiplication is regular: k (or k + N when k is even) is recoded
// into a fixed number of non-zero signed odd digits, each window does the
// same five doublings and one addition, and the table entry is selected
// and negated with constant-time masks, so the sequence of operations
// does not depend on k. The field operations underneath are branch-free
// (see doc.go, # Security), but the point formulas branch on the point at
// infinity and on P = ±Q and the final inversion goes through math/big, so
// this is hardened, not a verified constant-time implementation.
func (c *Curve) ScalarMult(k, point []byte) ([]byte, error) {
	pub, err := ParsePublicKey(c, point)
	if err != nil {
		return nil, err
	}
	f := c.arith.f
	p := jacobian{x: f.fromBig(pub.X), y: f.fromBig(pub.Y), z: f.one}
	return c.ladder(k, &p)
}

// ScalarBaseMult returns k·G, encoded uncompressed, as ScalarMult does.
func (c *Curve) ScalarBaseMult(k []byte) ([]byte, error) {
	return c.ladder(k, &c.g)
}

// AddPoints returns P + Q for two uncompressed points; the sum must not
// be the point at infinity.
func (c *Curve) AddPoints(p, q []byte) ([]byte, error) {
	a, err := ParsePublicKey(c, p)
	if err != nil {
		return nil, err
	}
	b, err := ParsePublicKey(c, q)
	if err != nil {
		return nil, err
	}
	f := c.arith.f
	ja := jacobian{x: f.fromBig(a.X), y: f.fromBig(a.Y), z: f.one}
	jb := jacobian{x: f.fromBig(b.X), y: f.fromBig(b.Y), z: f.one}
	var r jacobian
	c.arith.add(&r, &ja, &jb)
	return c.encodeJacobian(&r)
}

func (c *Curve) encodeJacobian(p *jacobian) ([]byte, error) {
	a, ok := c.arith.toAffine(p)
	if !ok {
		return nil, ErrPointAtInfinity
	}
	f := c.arith.f
	l := c.byteLen()
	out := make([]byte, 1+2*l)
	out[0] = 4
	f.toBig(&a.x).FillBytes(out[1 : 1+l])
	f.toBig(&a.y).FillBytes(out[1+l:])
	return out, nil
}

// ladder computes k·P with the regular signed-window method.
func (c *Curve) ladder(k []byte, p *jacobian) ([]byte, error) {
	n := c.N
	nl := (n.BitLen() + 63) / 64
	if len(k) > 8*nl+8 {
		return nil, ErrScalar
	}
	kb := new(big.Int).SetBytes(k)
	if kb.Sign() == 0 || kb.Cmp(n) >= 0 {
		return nil, ErrScalar
	}
	// s = k, or k + N when k is even (N is odd), so s is odd; s < 2N.
	limbs := nl + 1
	s := make([]uint64, limbs)
	ecdhLimbs(s, k)
	nn := make([]uint64, limbs)
	ecdhLimbs(nn, n.Bytes())
	even := uint64(1) - s[0]&1
	var carry uint64
	for i := range s {
		s[i], carry = bits.Add64(s[i], nn[i]&-even, carry)
	}
	digits := ecdhRecode(s, (n.BitLen()+1+ecdhWindow-1)/ecdhWindow+1)
	clear(s)

	ar := c.arith
	table := ar.oddMultiples(p, ecdhWindow+1) // P, 3P, ..., 31P
	var acc, t jacobian
	ecdhSelect(ar, &acc, table, digits[len(digits)-1])
	for i := len(digits) - 2; i >= 0; i-- {
		for range ecdhWindow {
			ar.double(&acc, &acc)
		}
		ecdhSelect(ar, &t, table, digits[i])
		ar.add(&acc, &acc, &t)
	}
	clear(digits)
	return c.encodeJacobian(&acc)
}

// ecdhLimbs writes the big-endian bytes b into little-endian limbs z.
func ecdhLimbs(z []uint64, b []byte) {
	clear(z)
	for i := range b {
		j := len(b) - 1 - i
		z[i/8] |= uint64(b[j]) << (8 * (i % 8))
	}
}

// ecdhRecode writes the odd s as m signed odd digits d_i with
// |d_i| < 2^w and s = Σ d_i·2^(w·i) (the regular recoding of Joye and
// Tunstall): d = (s mod 2^(w+1)) − 2^w keeps (s − d)/2^w odd.
func ecdhRecode(s []uint64, m int) []int8 {
	const w = ecdhWindow
	d := make([]int8, m)
	for i := 0; i < m-1; i++ {
		v := int64(s[0]&(1<<(w+1)-1)) - 1<<w
		d[i] = int8(v)
		// s -= v, then s >>= w. v is negative or positive: subtract as a
		// two's-complement constant extended to every limb.
		ext := uint64(v >> 63) // all ones when v < 0
		var borrow uint64
		for j := range s {
			sub := ext
			if j == 0 {
				sub = uint64(v)
			}
			s[j], borrow = bits.Sub64(s[j], sub, borrow)
		}
		for j := range s {
			s[j] >>= w
			if j+1 < len(s) {
				s[j] |= s[j+1] << (64 - w)
			}
		}
	}
	d[m-1] = int8(s[0]) // the remaining odd value, below 2^w
	return d
}

// ecdhSelect sets r to d·P from the odd multiples table, reading every
// entry and negating with masks so neither the index nor the sign shows
// in the memory access pattern.
func ecdhSelect(ar *arith, r *jacobian, table []jacobian, d int8) {
	neg := uint64(uint8(d) >> 7)
	abs := int((int16(d) ^ -int16(neg)) + int16(neg))
	idx := (abs - 1) / 2
	*r = jacobian{}
	for i := range table {
		mask := -uint64(subtle.ConstantTimeEq(int32(i), int32(idx)))
		for l := range maxLimbs {
			r.x[l] |= table[i].x[l] & mask
			r.y[l] |= table[i].y[l] & mask
			r.z[l] |= table[i].z[l] & mask
		}
	}
	var ny fe
	ar.f.neg(&ny, &r.y)
	m := -neg
	for l := range maxLimbs {
		r.y[l] = r.y[l]&^m | ny[l]&m
	}
}
