package brainpool

import (
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"io"
	"math/big"
	"testing"
)

// countingReader is a deterministic stream of bytes for reproducible keys.
type countingReader struct{ n byte }

func (r *countingReader) Read(p []byte) (int, error) {
	for i := range p {
		r.n = r.n*31 + 7
		p[i] = r.n
	}
	return len(p), nil
}

// TestSignVerifyRoundTrip signs with each curve and checks the signature
// verifies through DER, through r||s, and through crypto.Signer; and that a
// changed digest, signature or key does not.
func TestSignVerifyRoundTrip(t *testing.T) {
	for _, c := range Curves() {
		t.Run(c.Name, func(t *testing.T) {
			priv, err := GenerateKey(c, &countingReader{})
			if err != nil {
				t.Fatal(err)
			}
			if !c.isOnCurve(priv.X, priv.Y) {
				t.Fatal("generated public key is off the curve")
			}
			for _, digest := range [][]byte{
				bytes.Repeat([]byte{0xAB}, 20),  // SHA-1 size: shorter than N
				sha512.New().Sum(nil),           // longer than N except P512r1: truncated
				make([]byte, 32),                // zero digest: u1 = 0
				bytes.Repeat([]byte{0xFF}, 100), // longer than any hash
			} {
				sig, err := SignASN1(&countingReader{n: 9}, priv, digest)
				if err != nil {
					t.Fatal(err)
				}
				if !VerifyASN1(&priv.PublicKey, digest, sig) {
					t.Fatalf("own signature over %d-byte digest does not verify", len(digest))
				}
				r, s, ok := parseSignatureASN1(sig)
				if !ok {
					t.Fatal("own signature is not DER")
				}
				l := c.scalarLen()
				plain := append(r.FillBytes(make([]byte, l)), s.FillBytes(make([]byte, l))...)
				if !VerifyP1363(&priv.PublicKey, digest, plain) {
					t.Fatal("r||s form does not verify")
				}
				bad := bytes.Clone(digest)
				bad[0] ^= 1
				if VerifyASN1(&priv.PublicKey, bad, sig) {
					t.Fatal("signature verifies a changed digest")
				}
				// (r, −s) and (r, s) differ; and s+N is out of range.
				if Verify(&priv.PublicKey, digest, r, new(big.Int).Add(s, c.N)) {
					t.Fatal("s + N accepted")
				}
				if Verify(&priv.PublicKey, digest, new(big.Int).Add(r, c.N), s) {
					t.Fatal("r + N accepted")
				}
				// The negated s is the other valid signature of (r, s) (ECDSA
				// malleability): still valid, as SEC 1 and Wycheproof say.
				if !Verify(&priv.PublicKey, digest, r, new(big.Int).Sub(c.N, s)) {
					t.Fatal("N − s rejected")
				}
			}
			// Deterministic for a deterministic reader, distinct per digest.
			d1 := sha256.Sum256([]byte("one"))
			d2 := sha256.Sum256([]byte("two"))
			s1, _ := SignASN1(&countingReader{}, priv, d1[:])
			s1b, _ := SignASN1(&countingReader{}, priv, d1[:])
			s2, _ := SignASN1(&countingReader{}, priv, d2[:])
			if !bytes.Equal(s1, s1b) {
				t.Error("same reader, same digest: different signatures")
			}
			r1, _, _ := parseSignatureASN1(s1)
			r2, _, _ := parseSignatureASN1(s2)
			if r1.Cmp(r2) == 0 {
				t.Error("same reader, different digests: nonce repeated")
			}
			// The reader's bytes hedge the nonce: another stream, another k.
			s3, _ := SignASN1(&countingReader{n: 1}, priv, d1[:])
			r3, _, _ := parseSignatureASN1(s3)
			if r1.Cmp(r3) == 0 {
				t.Error("different readers, same digest: same nonce")
			}
			// crypto.Signer
			var signer crypto.Signer = priv
			if !priv.PublicKey.Equal(signer.Public()) {
				t.Error("Public() is not the key's public half")
			}
			sig, err := signer.Sign(nil, d1[:], crypto.SHA256)
			if err != nil || !VerifyASN1(signer.Public().(*PublicKey), d1[:], sig) {
				t.Errorf("crypto.Signer signature does not verify: %v", err)
			}
			if _, err := signer.Sign(nil, d1[:20], crypto.SHA256); err == nil {
				t.Error("Sign accepted a digest of the wrong size for SHA-256")
			}
			other, _ := GenerateKey(c, &countingReader{n: 200})
			if VerifyASN1(&other.PublicKey, d1[:], sig) {
				t.Error("signature verifies under another key")
			}
			if priv.Equal(other) || !priv.Equal(priv) || priv.PublicKey.Equal(&other.PublicKey) {
				t.Error("Equal is wrong")
			}
		})
	}
}

func TestSignErrors(t *testing.T) {
	c := P256r1()
	priv, err := GenerateKey(c, &countingReader{})
	if err != nil {
		t.Fatal(err)
	}
	d := make([]byte, 32)
	if _, err := SignASN1(nil, nil, d); !errors.Is(err, ErrCurve) {
		t.Errorf("nil key: %v", err)
	}
	bad := *priv
	bad.D = new(big.Int).Set(c.N)
	if _, err := SignASN1(nil, &bad, d); !errors.Is(err, ErrPrivateKey) {
		t.Errorf("D = N: %v", err)
	}
	if _, err := SignASN1(io.LimitReader(&countingReader{}, 5), priv, d); err == nil {
		t.Error("short reader accepted")
	}
	if _, err := GenerateKey(nil, nil); !errors.Is(err, ErrCurve) {
		t.Errorf("nil curve: %v", err)
	}
	if _, err := GenerateKey(c, bytes.NewReader(make([]byte, 1<<14))); err == nil {
		t.Error("all-zero reader produced a key")
	}
	if _, err := GenerateKey(c, io.LimitReader(&countingReader{}, 3)); err == nil {
		t.Error("short reader produced a key")
	}
}

// TestParsePublicKey covers the encodings of SEC 1 §2.3.3 and the ways
// to get them wrong.
func TestParsePublicKey(t *testing.T) {
	for _, c := range Curves() {
		l := c.byteLen()
		g := (&PublicKey{Curve: c, X: c.Gx, Y: c.Gy}).Bytes()
		gx := g[1 : 1+l]
		negGy := new(big.Int).Sub(c.P, c.Gy)
		pBytes := c.P.FillBytes(make([]byte, l))
		// (x, y+p) encodes the same residue as (x, y) but is not canonical,
		// when it fits the field length at all.
		yPlusP := new(big.Int).Add(c.Gy, c.P)
		offCurve := bytes.Clone(g)
		offCurve[len(offCurve)-1] ^= 1
		cases := []struct {
			name  string
			in    []byte
			err   error
			wantY *big.Int
		}{
			{"uncompressed G", g, nil, c.Gy},
			{"compressed G", append([]byte{0x02 | byte(c.Gy.Bit(0))}, gx...), nil, c.Gy},
			{"compressed −G", append([]byte{0x03 ^ byte(c.Gy.Bit(0))}, gx...), nil, negGy},
			{"empty", nil, ErrPointEncoding, nil},
			{"infinity", []byte{0x00}, ErrPointAtInfinity, nil},
			{"zero prefix with data", append([]byte{0x00}, gx...), ErrPointEncoding, nil},
			{"hybrid", append([]byte{0x06 | byte(c.Gy.Bit(0))}, g[1:]...), ErrPointEncoding, nil},
			{"short", g[:len(g)-1], ErrPointEncoding, nil},
			{"long", append(bytes.Clone(g), 0), ErrPointEncoding, nil},
			{"compressed long", append([]byte{0x02}, g[1:]...), ErrPointEncoding, nil},
			{"x = p", append(append([]byte{0x04}, pBytes...), g[1+l:]...), ErrPointEncoding, nil},
			{"y = p", append(append([]byte{0x04}, gx...), pBytes...), ErrPointEncoding, nil},
			{"compressed x = p", append([]byte{0x02}, pBytes...), ErrPointEncoding, nil},
			{"off curve", offCurve, ErrPointNotOnCurve, nil},
			{"all zero", make([]byte, 1+2*l), ErrPointEncoding, nil},
			{"zero coordinates", append([]byte{0x04}, make([]byte, 2*l)...), ErrPointNotOnCurve, nil},
		}
		if yPlusP.BitLen() <= 8*l {
			cases = append(cases, struct {
				name  string
				in    []byte
				err   error
				wantY *big.Int
			}{"y + p", append(append([]byte{0x04}, gx...), yPlusP.FillBytes(make([]byte, l))...), ErrPointEncoding, nil})
		}
		// An x with no square root: find the first x >= 1 that is not on the curve.
		for x := int64(1); ; x++ {
			xb := big.NewInt(x).FillBytes(make([]byte, l))
			if c.decompress(big.NewInt(x), 0) == nil {
				cases = append(cases, struct {
					name  string
					in    []byte
					err   error
					wantY *big.Int
				}{"compressed non-residue", append([]byte{0x02}, xb...), ErrPointNotOnCurve, nil})
				break
			}
		}
		for _, tc := range cases {
			pub, err := ParsePublicKey(c, tc.in)
			if !errors.Is(err, tc.err) {
				t.Errorf("%s %s: err %v, want %v", c.Name, tc.name, err, tc.err)
				continue
			}
			if err != nil {
				if pub != nil {
					t.Errorf("%s %s: error with a non-nil key", c.Name, tc.name)
				}
				continue
			}
			if pub.Curve != c || pub.X.Cmp(c.Gx) != 0 || pub.Y.Cmp(tc.wantY) != 0 {
				t.Errorf("%s %s: wrong point", c.Name, tc.name)
			}
		}
	}
	if _, err := ParsePublicKey(nil, []byte{4}); !errors.Is(err, ErrCurve) {
		t.Errorf("nil curve: %v", err)
	}
	if _, err := ParsePublicKey(&Curve{Name: "homemade"}, []byte{4}); !errors.Is(err, ErrCurve) {
		t.Errorf("foreign curve: %v", err)
	}
}

// TestVerifyRejects checks the guards Verify has before any arithmetic.
func TestVerifyRejects(t *testing.T) {
	c := P256r1()
	priv, _ := GenerateKey(c, &countingReader{})
	d := sha256.Sum256([]byte("msg"))
	sig, _ := SignASN1(&countingReader{}, priv, d[:])
	r, s, _ := parseSignatureASN1(sig)
	pub := &priv.PublicKey
	if !Verify(pub, d[:], r, s) {
		t.Fatal("baseline does not verify")
	}
	offCurve := &PublicKey{Curve: c, X: pub.X, Y: new(big.Int).Add(pub.Y, big.NewInt(1))}
	unreduced := &PublicKey{Curve: c, X: new(big.Int).Add(pub.X, c.P), Y: pub.Y}
	cases := map[string]func() bool{
		"nil key":          func() bool { return Verify(nil, d[:], r, s) },
		"nil curve":        func() bool { return Verify(&PublicKey{X: pub.X, Y: pub.Y}, d[:], r, s) },
		"nil X":            func() bool { return Verify(&PublicKey{Curve: c, Y: pub.Y}, d[:], r, s) },
		"nil r":            func() bool { return Verify(pub, d[:], nil, s) },
		"r = 0":            func() bool { return Verify(pub, d[:], new(big.Int), s) },
		"s = 0":            func() bool { return Verify(pub, d[:], r, new(big.Int)) },
		"r < 0":            func() bool { return Verify(pub, d[:], new(big.Int).Neg(r), s) },
		"s = N":            func() bool { return Verify(pub, d[:], r, c.N) },
		"key off curve":    func() bool { return Verify(offCurve, d[:], r, s) },
		"key x >= p":       func() bool { return Verify(unreduced, d[:], r, s) },
		"other curve":      func() bool { return Verify(&PublicKey{Curve: P384r1(), X: pub.X, Y: pub.Y}, d[:], r, s) },
		"foreign curve":    func() bool { return Verify(&PublicKey{Curve: &Curve{}, X: pub.X, Y: pub.Y}, d[:], r, s) },
		"P1363 short":      func() bool { return VerifyP1363(pub, d[:], make([]byte, 63)) },
		"P1363 nil key":    func() bool { return VerifyP1363(nil, d[:], make([]byte, 64)) },
		"DER trailing":     func() bool { return VerifyASN1(pub, d[:], append(bytes.Clone(sig), 0)) },
		"DER empty":        func() bool { return VerifyASN1(pub, d[:], nil) },
		"DER indefinite":   func() bool { return VerifyASN1(pub, d[:], berIndefinite(sig)) },
		"DER long length":  func() bool { return VerifyASN1(pub, d[:], berLongLength(sig)) },
		"DER padded r":     func() bool { return VerifyASN1(pub, d[:], derPaddedR(r, s)) },
		"DER extra member": func() bool { return VerifyASN1(pub, d[:], derExtraMember(sig)) },
	}
	for name, f := range cases {
		if f() {
			t.Errorf("%s: verified", name)
		}
	}
	if (&PublicKey{}).Bytes() != nil || (*PublicKey)(nil).Bytes() != nil {
		t.Error("Bytes of an incomplete key is not nil")
	}
}

// berIndefinite re-encodes a short-form DER SEQUENCE with an indefinite
// length (BER, X.690 §8.1.3.6).
func berIndefinite(sig []byte) []byte {
	out := []byte{0x30, 0x80}
	out = append(out, sig[2:]...)
	return append(out, 0, 0)
}

// berLongLength re-encodes a short-form length as the long form 81 xx.
func berLongLength(sig []byte) []byte {
	out := []byte{0x30, 0x81, sig[1]}
	return append(out, sig[2:]...)
}

// derPaddedR encodes r with a superfluous leading zero byte.
func derPaddedR(r, s *big.Int) []byte {
	rb := append([]byte{0, 0}, r.Bytes()...) // at least one zero too many
	sb := s.Bytes()
	if sb[0]&0x80 != 0 {
		sb = append([]byte{0}, sb...)
	}
	body := append(append([]byte{0x02, byte(len(rb))}, rb...), append([]byte{0x02, byte(len(sb))}, sb...)...)
	return append([]byte{0x30, byte(len(body))}, body...)
}

// derExtraMember appends a third INTEGER inside the SEQUENCE.
func derExtraMember(sig []byte) []byte {
	body := append(bytes.Clone(sig[2:]), 0x02, 0x01, 0x01)
	return append([]byte{0x30, byte(len(body))}, body...)
}
