package brainpool

import (
	"encoding/asn1"
	"math/big"
	"testing"
)

// TestDomainParameters checks the RFC 5639 constants against properties
// they must have, independently of where they were copied from: p and N
// prime, G on the curve, N·G = O, a ≠ -3 (so crypto/elliptic cannot be
// used), and the Hasse bound |p + 1 − N| <= 2·√p for a cofactor of 1.
func TestDomainParameters(t *testing.T) {
	for _, c := range Curves() {
		t.Run(c.Name, func(t *testing.T) {
			if !c.P.ProbablyPrime(20) {
				t.Error("p is not prime")
			}
			if !c.N.ProbablyPrime(20) {
				t.Error("N is not prime")
			}
			if c.BitSize != c.N.BitLen() {
				t.Errorf("BitSize %d, N has %d bits", c.BitSize, c.N.BitLen())
			}
			if !c.isOnCurve(c.Gx, c.Gy) {
				t.Error("G is not on the curve")
			}
			// Independent big.Int check of the curve equation for G.
			lhs := new(big.Int).Exp(c.Gy, big.NewInt(2), c.P)
			rhs := new(big.Int).Exp(c.Gx, big.NewInt(3), c.P)
			rhs.Add(rhs, new(big.Int).Mul(c.A, c.Gx))
			rhs.Add(rhs, c.B)
			rhs.Mod(rhs, c.P)
			if lhs.Cmp(rhs) != 0 {
				t.Error("G fails y² = x³ + ax + b with math/big")
			}
			minus3 := new(big.Int).Sub(c.P, big.NewInt(3))
			if c.A.Cmp(minus3) == 0 {
				t.Error("a = -3: this curve would not need this package")
			}
			ng := c.arith.scalarMult(&c.g, c.N)
			if !c.arith.isInfinity(&ng) {
				t.Error("N·G is not the point at infinity")
			}
			n1 := c.arith.scalarMult(&c.g, new(big.Int).Sub(c.N, big.NewInt(1)))
			if a, ok := c.arith.toAffine(&n1); !ok || c.arith.f.toBig(&a.x).Cmp(c.Gx) != 0 ||
				c.arith.f.toBig(&a.y).Cmp(new(big.Int).Sub(c.P, c.Gy)) != 0 {
				t.Error("(N-1)·G is not -G")
			}
			trace := new(big.Int).Add(c.P, big.NewInt(1))
			trace.Sub(trace, c.N)
			trace.Mul(trace, trace)
			if bound := new(big.Int).Mul(big.NewInt(4), c.P); trace.Cmp(bound) > 0 {
				t.Error("N violates the Hasse bound")
			}
		})
	}
}

func TestCurveLookup(t *testing.T) {
	want := []struct {
		c    *Curve
		name string
		oid  asn1.ObjectIdentifier // RFC 5639 §4.1
		bits int
	}{
		{P224r1(), "brainpoolP224r1", asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 5}, 224},
		{P256r1(), "brainpoolP256r1", asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 7}, 256},
		{P320r1(), "brainpoolP320r1", asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 9}, 320},
		{P384r1(), "brainpoolP384r1", asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 11}, 384},
		{P512r1(), "brainpoolP512r1", asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 13}, 512},
	}
	all := Curves()
	if len(all) != len(want) {
		t.Fatalf("Curves() has %d curves, want %d", len(all), len(want))
	}
	for i, w := range want {
		if all[i] != w.c {
			t.Errorf("Curves()[%d] = %s, want %s", i, all[i], w.name)
		}
		if w.c.Name != w.name || w.c.String() != w.name || w.c.BitSize != w.bits || w.c.H != 1 {
			t.Errorf("%s: name %q bits %d cofactor %d", w.name, w.c.Name, w.c.BitSize, w.c.H)
		}
		if got := CurveByOID(w.oid); got != w.c {
			t.Errorf("CurveByOID(%v) = %v, want %s", w.oid, got, w.name)
		}
		if got := CurveByName(w.name); got != w.c {
			t.Errorf("CurveByName(%q) = %v", w.name, got)
		}
		c := w.c
		if got := CurveByParams(c.P, c.A, c.B, c.Gx, c.Gy, c.N); got != c {
			t.Errorf("CurveByParams(%s) = %v", w.name, got)
		}
		// Fresh copies, as a certificate parser would produce them.
		cp := func(x *big.Int) *big.Int { return new(big.Int).Set(x) }
		if got := CurveByParams(cp(c.P), cp(c.A), cp(c.B), cp(c.Gx), cp(c.Gy), cp(c.N)); got != c {
			t.Errorf("CurveByParams(copies of %s) = %v", w.name, got)
		}
		wrongN := new(big.Int).Add(c.N, big.NewInt(2))
		if got := CurveByParams(c.P, c.A, c.B, c.Gx, c.Gy, wrongN); got != nil {
			t.Errorf("CurveByParams(%s, N+2) = %v, want nil", w.name, got)
		}
		if got := CurveByParams(c.P, c.A, c.B, c.Gy, c.Gx, c.N); got != nil {
			t.Errorf("CurveByParams(%s, swapped G) = %v, want nil", w.name, got)
		}
		g := (&PublicKey{Curve: c, X: c.Gx, Y: c.Gy}).Bytes()
		if got := CurveByEncodedParams(c.P, c.A, c.B, g, c.N); got != c {
			t.Errorf("CurveByEncodedParams(%s, uncompressed G) = %v", w.name, got)
		}
		comp := append([]byte{0x02 | byte(c.Gy.Bit(0))}, g[1:1+c.byteLen()]...)
		if got := CurveByEncodedParams(c.P, c.A, c.B, comp, c.N); got != c {
			t.Errorf("CurveByEncodedParams(%s, compressed G) = %v", w.name, got)
		}
		comp[0] ^= 1 // the other root: −G
		if got := CurveByEncodedParams(c.P, c.A, c.B, comp, c.N); got != nil {
			t.Errorf("CurveByEncodedParams(%s, −G) = %v, want nil", w.name, got)
		}
	}
	if CurveByOID(asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}) != nil { // NIST P-256
		t.Error("CurveByOID(prime256v1) is not nil")
	}
	if CurveByOID(asn1.ObjectIdentifier{1, 3, 36, 3, 3, 2, 8, 1, 1, 8}) != nil { // brainpoolP256t1
		t.Error("CurveByOID(brainpoolP256t1) is not nil")
	}
	if CurveByParams(nil, nil, nil, nil, nil, nil) != nil || CurveByEncodedParams(nil, nil, nil, nil, nil) != nil {
		t.Error("nil parameters matched a curve")
	}
	if CurveByName("brainpoolp256R1") != P256r1() || CurveByName("P-256") != nil {
		t.Error("CurveByName is not case-insensitive or matched a NIST name")
	}
	// Curves returns a copy: changing it must not change the package.
	all[0] = nil
	if Curves()[0] != P224r1() {
		t.Error("Curves() exposes the package's slice")
	}
}

// TestTwist checks the a = −3 curve Verify works on (RFC 5639 §3): the
// map (x, y) ↦ (x·Z², y·Z³) sends G and a multiple of G onto it, its
// doubling agrees with mapping the doubled point, and a·Z⁴ = −3.
func TestTwist(t *testing.T) {
	for _, c := range Curves() {
		tw := c.twist()
		if tw == nil {
			t.Fatalf("%s: no twist", c.Name)
		}
		f := c.arith.f
		var z4, az4 fe
		f.sqr(&z4, &tw.z2)
		f.mul(&az4, &z4, &c.arith.a)
		if got := f.toBig(&az4); new(big.Int).Add(got, big.NewInt(3)).Cmp(c.P) != 0 {
			t.Fatalf("%s: a·Z⁴ = %x, want p−3", c.Name, got)
		}
		if !tw.ar.onCurve(&tw.g.x, &tw.g.y) {
			t.Fatalf("%s: G's image is off the twist", c.Name)
		}
		var g2, g2t jacobian
		c.arith.double(&g2, &c.g)
		tw.ar.double(&g2t, &tw.g)
		a, _ := c.arith.toAffine(&g2)
		img := tw.toTwist(&jacobian{x: a.x, y: a.y, z: f.one})
		if !sameAffine(tw.ar, &img, &g2t) {
			t.Fatalf("%s: doubling on the twist differs from the curve's", c.Name)
		}
	}
}
