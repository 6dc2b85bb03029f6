package brainpool

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestFieldAgainstBig checks Montgomery arithmetic against math/big on
// random and edge-case operands for every curve's prime.
func TestFieldAgainstBig(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, c := range Curves() {
		f := c.arith.f
		p := c.P
		pm1 := new(big.Int).Sub(p, big.NewInt(1))
		edges := []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(2), pm1, new(big.Int).Rsh(p, 1)}
		random := func() *big.Int {
			buf := make([]byte, c.byteLen()+8)
			for i := range buf {
				buf[i] = byte(rng.Uint32())
			}
			return new(big.Int).Mod(new(big.Int).SetBytes(buf), p)
		}
		vals := append([]*big.Int{}, edges...)
		for range 40 {
			vals = append(vals, random())
		}
		for _, x := range vals {
			fx := f.fromBig(x)
			if got := f.toBig(&fx); got.Cmp(x) != 0 {
				t.Fatalf("%s: round trip of %x gave %x", c.Name, x, got)
			}
			for _, y := range vals[:12] {
				fy := f.fromBig(y)
				var z fe
				f.mul(&z, &fx, &fy)
				want := new(big.Int).Mul(x, y)
				want.Mod(want, p)
				if got := f.toBig(&z); got.Cmp(want) != 0 {
					t.Fatalf("%s: %x·%x = %x, want %x", c.Name, x, y, got, want)
				}
				var zg fe
				f.mulGeneric(&zg, &fx, &fy)
				if zg != z {
					t.Fatalf("%s: generated and generic multiplication differ", c.Name)
				}
				f.sqr(&z, &fx)
				f.mulGeneric(&zg, &fx, &fx)
				if zg != z {
					t.Fatalf("%s: generated squaring and generic multiplication differ", c.Name)
				}
				f.half(&z, &fx)
				f.add(&zg, &z, &z)
				if zg != fx {
					t.Fatalf("%s: 2·(x/2) ≠ x", c.Name)
				}
				f.halfGeneric(&zg, &fx)
				if zg != z {
					t.Fatalf("%s: generated and generic halving differ", c.Name)
				}
				f.add(&z, &fx, &fy)
				want.Add(x, y).Mod(want, p)
				if got := f.toBig(&z); got.Cmp(want) != 0 {
					t.Fatalf("%s: %x+%x = %x, want %x", c.Name, x, y, got, want)
				}
				f.addGeneric(&zg, &fx, &fy)
				if zg != z {
					t.Fatalf("%s: generated and generic addition differ", c.Name)
				}
				f.sub(&z, &fx, &fy)
				want.Sub(x, y).Mod(want, p)
				if got := f.toBig(&z); got.Cmp(want) != 0 {
					t.Fatalf("%s: %x-%x = %x, want %x", c.Name, x, y, got, want)
				}
				f.subGeneric(&zg, &fx, &fy)
				if zg != z {
					t.Fatalf("%s: generated and generic subtraction differ", c.Name)
				}
			}
			if x.Sign() != 0 {
				var z fe
				f.inv(&z, &fx)
				f.mul(&z, &z, &fx)
				if z != f.one {
					t.Fatalf("%s: x·x⁻¹ ≠ 1 for %x", c.Name, x)
				}
			}
		}
	}
}

// TestWNAF checks that the digits recombine to the scalar and obey the
// width-w rules.
func TestWNAF(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	ks := []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(7), big.NewInt(255), P512r1().N,
		new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 512), big.NewInt(1))}
	for range 50 {
		buf := make([]byte, 1+rng.IntN(64))
		for i := range buf {
			buf[i] = byte(rng.Uint32())
		}
		ks = append(ks, new(big.Int).SetBytes(buf))
	}
	for _, w := range []uint{2, 4, qWindow, gWindow} {
		for _, k := range ks {
			d := wnaf(k, w)
			sum := new(big.Int)
			last := -int(w)
			for i := len(d) - 1; i >= 0; i-- {
				sum.Lsh(sum, 1)
				sum.Add(sum, big.NewInt(int64(d[i])))
			}
			for i, v := range d {
				if v == 0 {
					continue
				}
				if d := int(v); d%2 == 0 || d >= 1<<(w-1) || d <= -(1<<(w-1)) {
					t.Fatalf("w=%d k=%x: digit %d at %d", w, k, v, i)
				}
				if i-last < int(w) {
					t.Fatalf("w=%d k=%x: digits at %d and %d are too close", w, k, last, i)
				}
				last = i
			}
			if sum.Cmp(k) != 0 {
				t.Fatalf("w=%d: wNAF of %x sums to %x", w, k, sum)
			}
		}
	}
}

// TestPointArithmetic checks addition against doubling and scalar
// multiplication against repeated addition, including the p = q and
// p = −q branches of add.
func TestPointArithmetic(t *testing.T) {
	for _, c := range Curves() {
		ar := c.arith
		g := c.g
		var g2a, g2d, sum, neg jacobian
		ar.add(&g2a, &g, &g)
		ar.double(&g2d, &g)
		if !sameAffine(ar, &g2a, &g2d) {
			t.Fatalf("%s: G+G ≠ 2G", c.Name)
		}
		ar.negate(&neg, &g)
		ar.add(&sum, &g, &neg)
		if !ar.isInfinity(&sum) {
			t.Fatalf("%s: G + (−G) is not infinity", c.Name)
		}
		var inf jacobian
		ar.add(&sum, &inf, &g)
		if !sameAffine(ar, &sum, &g) {
			t.Fatalf("%s: O + G ≠ G", c.Name)
		}
		// k·G by repeated addition of a non-affine 2G to a non-affine point
		acc := g
		for k := int64(2); k <= 40; k++ {
			ar.add(&acc, &acc, &g)
			want := ar.scalarMult(&g, big.NewInt(k))
			if !sameAffine(ar, &acc, &want) {
				t.Fatalf("%s: %d·G differs", c.Name, k)
			}
			if got := ar.baseMult(&g, big.NewInt(k)); !sameAffine(ar, &got, &want) {
				t.Fatalf("%s: baseMult(%d) differs", c.Name, k)
			}
			if a, _ := ar.toAffine(&acc); !ar.onCurve(&a.x, &a.y) {
				t.Fatalf("%s: %d·G is off the curve", c.Name, k)
			}
		}
		// u1·G + u2·Q with Q = 3G equals (u1 + 3·u2)·G.
		var q jacobian
		q3 := ar.scalarMult(&g, big.NewInt(3))
		qa, _ := ar.toAffine(&q3)
		q = jacobian{x: qa.x, y: qa.y, z: ar.f.one}
		u1 := new(big.Int).Sub(c.N, big.NewInt(12345))
		u2 := big.NewInt(98765)
		got := ar.combinedMult(&g, u1, &q, u2)
		k := new(big.Int).Mul(u2, big.NewInt(3))
		k.Add(k, u1).Mod(k, c.N)
		want := ar.baseMult(&g, k)
		if !sameAffine(ar, &got, &want) {
			t.Fatalf("%s: combinedMult differs", c.Name)
		}
	}
}

func sameAffine(ar *arith, p, q *jacobian) bool {
	a, okA := ar.toAffine(p)
	b, okB := ar.toAffine(q)
	return okA == okB && a == b
}

func BenchmarkFieldMul256(b *testing.B) {
	f := P256r1().arith.f
	x, y := f.fromBig(P256r1().Gx), f.fromBig(P256r1().Gy)
	cpu := cpuTime()
	for b.Loop() {
		f.mul(&x, &x, &y)
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

func BenchmarkFieldSqr256(b *testing.B) {
	f := P256r1().arith.f
	x := f.fromBig(P256r1().Gx)
	cpu := cpuTime()
	for b.Loop() {
		f.sqr(&x, &x)
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

// TestFieldMulWithoutADX runs TestFieldAgainstBig's multiplications again
// with the assembly's MULQ path when the CPU would take the MULX one.
func TestFieldMulWithoutADX(t *testing.T) {
	if !setADXForTest(false) {
		t.Skip("no assembly multiplication on this platform")
	}
	defer setADXForTest(true)
	TestFieldAgainstBig(t)
	TestFieldRandomLimbs(t)
}

// TestFieldRandomLimbs compares the 4-limb multiplication and squaring
// (assembly on amd64) with mulGeneric on many operands, random and with
// limbs at their extremes, where carries run furthest.
func TestFieldRandomLimbs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, c := range []*Curve{P224r1(), P256r1()} {
		f := c.arith.f
		pm1 := new(big.Int).Sub(c.P, big.NewInt(1))
		special := []*big.Int{big.NewInt(0), big.NewInt(1), pm1, new(big.Int).Sub(c.P, big.NewInt(2)),
			new(big.Int).Rsh(c.P, 1), new(big.Int).Lsh(big.NewInt(1), uint(c.P.BitLen()-1))}
		var vals []fe
		for _, v := range special {
			vals = append(vals, limbsOf(v)) // plain limbs are valid operands too: any value below p
		}
		for range 3000 {
			var x fe
			for i := range f.n {
				switch rng.IntN(4) {
				case 0:
					x[i] = ^uint64(0)
				case 1:
					x[i] = 0
				default:
					x[i] = rng.Uint64()
				}
			}
			v := new(big.Int).Mod(bigOf(&x), c.P)
			vals = append(vals, limbsOf(v))
		}
		for i, x := range vals {
			y := vals[(i*7+3)%len(vals)]
			var got, want fe
			f.mul(&got, &x, &y)
			f.mulGeneric(&want, &x, &y)
			if got != want {
				t.Fatalf("%s: mul(%x, %x) = %x, want %x", c.Name, x, y, got, want)
			}
			f.sqr(&got, &x)
			f.mulGeneric(&want, &x, &x)
			if got != want {
				t.Fatalf("%s: sqr(%x) = %x, want %x", c.Name, x, got, want)
			}
		}
	}
}
