package brainpool

import (
	"encoding/binary"
	"math/big"
	"math/bits"
)

// maxLimbs is the number of 64-bit limbs of the largest field, brainpoolP512r1.
const maxLimbs = 8

// fe is a field element in Montgomery form (x·R mod p, R = 2^(64·n)),
// little-endian limbs; limbs at index n and above are zero. Every operation
// returns a fully reduced value, so two elements are equal exactly when their
// limbs are.
type fe [maxLimbs]uint64

// field is arithmetic modulo an odd prime p of at most 512 bits. The
// arithmetic is variable-time (see doc.go, # Security).
type field struct {
	n    int      // limbs in use
	p    fe       // the modulus, plain form
	pInv uint64   // -p^-1 mod 2^64
	rr   fe       // R^2 mod p, plain form, to enter Montgomery form
	one  fe       // R mod p: 1 in Montgomery form
	pBig *big.Int // p, for conversions and inversion
}

func newField(p *big.Int) *field {
	f := &field{n: (p.BitLen() + 63) / 64, pBig: p}
	f.p = limbsOf(p)
	// Newton iteration for p^-1 mod 2^64: each step doubles the correct bits,
	// starting from 1 correct bit (p is odd), so 6 steps give 64.
	inv := uint64(1)
	for range 6 {
		inv *= 2 - f.p[0]*inv
	}
	f.pInv = -inv
	r := new(big.Int).Lsh(big.NewInt(1), uint(64*f.n))
	f.one = limbsOf(new(big.Int).Mod(r, p))
	f.rr = limbsOf(new(big.Int).Mod(new(big.Int).Mul(r, r), p))
	return f
}

// limbsOf returns the little-endian limbs of |x|; callers ensure
// |x| < 2^512 (FillBytes panics otherwise).
func limbsOf(x *big.Int) fe {
	var buf [8 * maxLimbs]byte
	x.FillBytes(buf[:])
	var z fe
	for i := range maxLimbs {
		z[i] = binary.BigEndian.Uint64(buf[len(buf)-8*(i+1):])
	}
	return z
}

// bigOf is the inverse of limbsOf.
func bigOf(x *fe) *big.Int {
	var buf [8 * maxLimbs]byte
	for i := range maxLimbs {
		binary.BigEndian.PutUint64(buf[len(buf)-8*(i+1):], x[i])
	}
	return new(big.Int).SetBytes(buf[:])
}

// fromBig returns x (0 <= x < p) in Montgomery form.
func (f *field) fromBig(x *big.Int) fe {
	z := limbsOf(x)
	f.mul(&z, &z, &f.rr)
	return z
}

// toBig returns the plain value of x.
func (f *field) toBig(x *fe) *big.Int {
	var one, z fe
	one[0] = 1
	f.mul(&z, x, &one)
	return bigOf(&z)
}

//go:generate go run gen_mul.go

// mul sets z = x·y·R^-1 mod p (Montgomery multiplication). x and y must
// be reduced; z may alias them. The limb counts of the brainpool primes
// use unrolled code from mul_generated.go.
func (f *field) mul(z, x, y *fe) {
	switch f.n {
	case 4:
		mul4Fast(z, x, y, &f.p, f.pInv)
	case 5:
		mul5(z, x, y, &f.p, f.pInv)
	case 6:
		mul6(z, x, y, &f.p, f.pInv)
	case 8:
		mul8(z, x, y, &f.p, f.pInv)
	default:
		f.mulGeneric(z, x, y)
	}
}

// mulGeneric is mul for any limb count (the CIOS method of Koç, Acar and
// Kaliski, 1996). Operands are copied to local arrays first: the loops
// then touch only the stack, which keeps them free of race-detector
// instrumentation.
func (f *field) mulGeneric(z, x, y *fe) {
	n := f.n
	if n > maxLimbs || n < 1 {
		return // unreachable: newField limits n
	}
	xv, yv, p, pInv := *x, *y, f.p, f.pInv
	var t [maxLimbs + 2]uint64
	for i := 0; i < n; i++ {
		yi := yv[i]
		var c, cc uint64
		for j := 0; j < n; j++ {
			hi, lo := bits.Mul64(xv[j], yi)
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			lo, cc = bits.Add64(lo, c, 0)
			hi += cc
			t[j], c = lo, hi
		}
		t[n], cc = bits.Add64(t[n], c, 0)
		t[n+1] = cc

		m := t[0] * pInv
		hi, lo := bits.Mul64(m, p[0])
		_, cc = bits.Add64(lo, t[0], 0)
		c = hi + cc
		for j := 1; j < n; j++ {
			hi, lo = bits.Mul64(m, p[j])
			lo, cc = bits.Add64(lo, t[j], 0)
			hi += cc
			lo, cc = bits.Add64(lo, c, 0)
			hi += cc
			t[j-1], c = lo, hi
		}
		t[n-1], cc = bits.Add64(t[n], c, 0)
		t[n] = t[n+1] + cc
	}
	// t < 2p: subtract p once if t >= p.
	var s fe
	var b uint64
	for j := 0; j < n; j++ {
		s[j], b = bits.Sub64(t[j], p[j], b)
	}
	_, b = bits.Sub64(t[n], 0, b)
	if b != 0 {
		copy(s[:], t[:n])
	}
	*z = s
}

// sqr sets z = x²·R^-1 mod p, with the unrolled squarings of
// mul_generated.go for the brainpool limb counts.
func (f *field) sqr(z, x *fe) {
	switch f.n {
	case 4:
		sqr4Fast(z, x, &f.p, f.pInv)
	case 5:
		sqr5(z, x, &f.p, f.pInv)
	case 6:
		sqr6(z, x, &f.p, f.pInv)
	case 8:
		sqr8(z, x, &f.p, f.pInv)
	default:
		f.mulGeneric(z, x, x)
	}
}

// add sets z = x + y mod p.
func (f *field) add(z, x, y *fe) {
	switch f.n {
	case 4:
		add4(z, x, y, &f.p)
	case 5:
		add5(z, x, y, &f.p)
	case 6:
		add6(z, x, y, &f.p)
	case 8:
		add8(z, x, y, &f.p)
	default:
		f.addGeneric(z, x, y)
	}
}

// addGeneric is add for any limb count.
func (f *field) addGeneric(z, x, y *fe) {
	n := f.n
	xv, yv, p := *x, *y, f.p
	var s, d fe
	var c, b uint64
	for j := 0; j < n && j < maxLimbs; j++ {
		s[j], c = bits.Add64(xv[j], yv[j], c)
	}
	for j := 0; j < n && j < maxLimbs; j++ {
		d[j], b = bits.Sub64(s[j], p[j], b)
	}
	// Keep s - p unless it borrowed without the sum having carried out.
	if c == 1 || b == 0 {
		*z = d
		return
	}
	*z = s
}

// sub sets z = x - y mod p.
func (f *field) sub(z, x, y *fe) {
	switch f.n {
	case 4:
		sub4(z, x, y, &f.p)
	case 5:
		sub5(z, x, y, &f.p)
	case 6:
		sub6(z, x, y, &f.p)
	case 8:
		sub8(z, x, y, &f.p)
	default:
		f.subGeneric(z, x, y)
	}
}

// subGeneric is sub for any limb count.
func (f *field) subGeneric(z, x, y *fe) {
	n := f.n
	xv, yv, p := *x, *y, f.p
	var d fe
	var b uint64
	for j := 0; j < n && j < maxLimbs; j++ {
		d[j], b = bits.Sub64(xv[j], yv[j], b)
	}
	if b != 0 {
		var c uint64
		for j := 0; j < n && j < maxLimbs; j++ {
			d[j], c = bits.Add64(d[j], p[j], c)
		}
	}
	*z = d
}

// half sets z = x/2 mod p.
func (f *field) half(z, x *fe) {
	switch f.n {
	case 4:
		half4(z, x, &f.p)
	case 5:
		half5(z, x, &f.p)
	case 6:
		half6(z, x, &f.p)
	case 8:
		half8(z, x, &f.p)
	default:
		f.halfGeneric(z, x)
	}
}

// halfGeneric is half for any limb count: x + p is even when x is odd.
func (f *field) halfGeneric(z, x *fe) {
	n := f.n
	s, p := *x, f.p
	var c uint64
	if s[0]&1 == 1 {
		for j := 0; j < n && j < maxLimbs; j++ {
			s[j], c = bits.Add64(s[j], p[j], c)
		}
	}
	for j := 0; j+1 < n && j+1 < maxLimbs; j++ {
		s[j] = s[j]>>1 | s[j+1]<<63
	}
	if n >= 1 && n <= maxLimbs {
		s[n-1] = s[n-1]>>1 | c<<63
	}
	*z = s
}

// neg sets z = -x mod p.
func (f *field) neg(z, x *fe) {
	var zero fe
	f.sub(z, &zero, x)
}

// isZero reports whether x is zero by OR-ing the limbs, which is cheaper
// than comparing arrays (a call to memequal).
func (x *fe) isZero() bool {
	return x[0]|x[1]|x[2]|x[3]|x[4]|x[5]|x[6]|x[7] == 0
}

// equal reports whether x and y are the same element.
func (x *fe) equal(y *fe) bool {
	var d uint64
	for i := range x {
		d |= x[i] ^ y[i]
	}
	return d == 0
}

// inv sets z = x^-1 mod p; x must not be zero.
func (f *field) inv(z, x *fe) {
	v := f.toBig(x)
	v.ModInverse(v, f.pBig)
	*z = f.fromBig(v)
}
