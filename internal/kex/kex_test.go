package kex

import (
	"bytes"
	"errors"
	"math/big"
	"testing"
)

// Every standardized group: the generator lies in the group, Validate
// rejects a corrupted element, and k·(l·G) = l·(k·G) (ECDH/DH agreement).
func TestGroups(t *testing.T) {
	for _, id := range []int{0, 1, 2, 12, 13, 15, 16, 17, 18} {
		g, err := ByParameterID(id)
		if err != nil {
			t.Fatal(err)
		}
		gen := g.Generator()
		if err := g.Validate(gen); err != nil {
			t.Fatalf("%s: generator: %v", g.Name(), err)
		}
		bad := bytes.Clone(gen)
		bad[len(bad)-1] ^= 1
		if err := g.Validate(bad); !errors.Is(err, ErrElement) {
			t.Errorf("%s: corrupted element accepted", g.Name())
		}
		k, l := big.NewInt(0x1234567).Bytes(), big.NewInt(0x7654321).Bytes()
		kg, _ := g.Mult(k, gen)
		lg, _ := g.Mult(l, gen)
		a, err1 := g.Mult(k, lg)
		b, err2 := g.Mult(l, kg)
		if err1 != nil || err2 != nil || !bytes.Equal(g.SharedSecret(a), g.SharedSecret(b)) {
			t.Fatalf("%s: agreement: %v %v", g.Name(), err1, err2)
		}
		if len(g.SharedSecret(a)) != (len(gen)-1)/2 && g.EC() {
			t.Errorf("%s: shared secret not at full length", g.Name())
		}
	}
	if _, err := ByParameterID(3); !errors.Is(err, ErrUnknownGroup) {
		t.Error("parameter 3 accepted")
	}
}

// The RFC 5114 parameters: q is prime and g has order q.
func TestDHParameters(t *testing.T) {
	for id := range 3 {
		g := newDH(id)
		if !g.q.ProbablyPrime(20) || !g.p.ProbablyPrime(20) {
			t.Fatalf("%s: not prime", g.name)
		}
		if new(big.Int).Exp(g.g, g.q, g.p).Cmp(big.NewInt(1)) != 0 {
			t.Fatalf("%s: g^q != 1", g.name)
		}
	}
}

// NewDH recognises the RFC 5114 groups and checks explicit parameters.
func TestNewDH(t *testing.T) {
	for id := range 3 {
		d := newDH(id)
		g, err := NewDH(d.p, d.g, d.q)
		if err != nil || g.Name() != d.name {
			t.Fatalf("group %d: %v", id, err)
		}
	}
	d := newDH(2)
	for _, bad := range [][3]*big.Int{
		{d.p, d.g, nil},
		{d.p, big.NewInt(1), d.q},
		{d.p, d.g, new(big.Int).Add(d.q, big.NewInt(2))},
		{new(big.Int).Add(d.p, big.NewInt(2)), d.g, d.q},
	} {
		if _, err := NewDH(bad[0], bad[1], bad[2]); !errors.Is(err, ErrUnknownGroup) {
			t.Errorf("bad parameters accepted: %v", err)
		}
	}
}

// Shared secrets keep their leading zero bytes (ICAO 9303-11 section
// 9.4.1 encodes them at the field's length; a reader that drops them, as
// gmrtd did, derives wrong keys in about one session in 256): find k·G
// whose x-coordinate (DH: value) starts with a zero byte and check the
// encoding's length.
func TestSharedSecretKeepsLeadingZeros(t *testing.T) {
	for _, id := range []int{13, 12, 0} {
		g, _ := ByParameterID(id)
		want := len(g.SharedSecret(g.Generator()))
		found := false
		for k := int64(1); k < 5000 && !found; k++ {
			e, err := g.Mult(big.NewInt(k).Bytes(), g.Generator())
			if err != nil {
				t.Fatal(err)
			}
			s := g.SharedSecret(e)
			if len(s) != want {
				t.Fatalf("%s: %d-byte secret, want %d", g.Name(), len(s), want)
			}
			found = s[0] == 0
		}
		if !found {
			t.Fatalf("%s: no secret with a leading zero byte among 5000", g.Name())
		}
	}
}
