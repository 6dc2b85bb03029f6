package chip

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"math/big"
	"slices"
	"testing"

	"github.com/cancuoc/sdk/internal/brainpool"
	"github.com/cancuoc/sdk/internal/tlv"
)

// Expected sizes: ../testdata/lds/README.md (gmrtd sample: RSA
// 1792-bit); the specimen's key size is what openssl asn1parse shows for
// its modulus (1024 bits).
func TestParseDG15Shared(t *testing.T) {
	for file, bits := range map[string]int{
		"gmrtd_sample_DG15.bin":          1792,
		"jmrtd_nl-specimen2006_DG15.bin": 1024,
	} {
		b := readLDS(t, file)
		d, err := ParseDG15(b)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		k, ok := d.Key.PublicKey.(*rsa.PublicKey)
		if !ok || k.N.BitLen() != bits || d.Key.Bits != bits || d.Key.KeyErr != nil || len(d.Key.Problems) != 0 {
			t.Errorf("%s: %T %d bits, %v %q", file, d.Key.PublicKey, d.Key.Bits, d.Key.KeyErr, d.Key.Problems)
		}
		if out, err := d.Encode(); err != nil || !bytes.Equal(out, b) {
			t.Errorf("%s: Encode differs", file)
		}
	}
}

// dg15Around wraps a SubjectPublicKeyInfo in the DG15 tag.
func dg15Around(spki []byte) []byte {
	return append(tlv.AppendLength([]byte{0x6F}, len(spki)), spki...)
}

// dg14SampleSPKI is the chip-authentication SubjectPublicKeyInfo in the
// gmrtd DG14 sample: offset 23, 441 bytes (openssl asn1parse: "23:d=3 hl=4
// l=437 SEQUENCE"), id-ecPublicKey with explicit brainpoolP384r1 parameters.
func dg14SampleSPKI(t testing.TB) []byte {
	return readLDS(t, "gmrtd_sample_DG14.bin")[23 : 23+4+437]
}

func TestParseDG15Keys(t *testing.T) {
	// Explicit brainpool parameters map to the named curve.
	d, err := ParseDG15(dg15Around(dg14SampleSPKI(t)))
	if err != nil || d.Key.Curve != "brainpoolP384r1" || d.Key.Bits != 384 || d.Key.PublicKey == nil {
		t.Fatalf("explicit brainpool: %v %q", err, d.Key.Curve)
	}
	// The same parameters with one byte of the prime changed match no curve:
	// reported, parameters kept.
	spki := bytes.Clone(dg14SampleSPKI(t))
	spki[58-23+2+10]++ // a byte inside the prime (INTEGER at file offset 58)
	d, err = ParseDG15(dg15Around(spki))
	if err != nil || d.Key.PublicKey != nil || !errors.Is(d.Key.KeyErr, ErrUnsupportedAlgorithm) || len(d.Key.Parameters) == 0 {
		t.Fatalf("unknown curve: %v %v", err, d.Key.KeyErr)
	}

	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	bp, _ := brainpool.GenerateKey(brainpool.P256r1(), rand.Reader)
	for _, pub := range []any{&p256.PublicKey, &bp.PublicKey} {
		nd, err := NewDG15(pub)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := nd.Encode()
		got, err := ParseDG15(b)
		if err != nil || got.Key.PublicKey == nil {
			t.Fatalf("%T: %v", pub, err)
		}
		switch k := got.Key.PublicKey.(type) {
		case *ecdsa.PublicKey:
			if !k.Equal(&p256.PublicKey) || got.Key.Curve != "P-256" {
				t.Error("P-256 key differs")
			}
		case *brainpool.PublicKey:
			if k.X.Cmp(bp.X) != 0 || got.Key.Curve != "brainpoolP256r1" {
				t.Error("brainpool key differs")
			}
		}
	}
}

// rsaSPKI hand-encodes rsaEncryption SubjectPublicKeyInfo with the modulus
// bytes as given (no leading zero added).
func rsaSPKI(n []byte, e byte) []byte {
	var key tlv.Builder
	key.AddConstructed(0x30, func(b *tlv.Builder) {
		b.AddTLV(0x02, n)
		b.AddTLV(0x02, []byte{e})
	})
	kb, _ := key.Bytes()
	var b tlv.Builder
	b.AddConstructed(0x30, func(b *tlv.Builder) {
		b.AddRaw([]byte{0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00})
		b.AddTLV(0x03, append([]byte{0}, kb...))
	})
	out, _ := b.Bytes()
	return out
}

func TestParseDG15OddRSA(t *testing.T) {
	// A 1024-bit modulus without its leading zero: negative in two's
	// complement; read as unsigned and reported.
	n := bytes.Repeat([]byte{0xC5}, 128)
	d, err := ParseDG15(dg15Around(rsaSPKI(n, 3)))
	if err != nil || d.Key.Bits != 1024 || !slices.Contains(d.Key.Problems, "RSA modulus encoded as a negative INTEGER") {
		t.Fatalf("negative modulus: %v %q", err, d.Key.Problems)
	}
	if k := d.Key.PublicKey.(*rsa.PublicKey); k.N.Cmp(new(big.Int).SetBytes(n)) != 0 || k.E != 3 {
		t.Error("modulus not read as unsigned")
	}
	// A 1001-bit modulus is odd but usable; a 256-bit one is not.
	odd := append([]byte{0x01}, bytes.Repeat([]byte{0x55}, 125)...)
	d, err = ParseDG15(dg15Around(rsaSPKI(odd, 3)))
	if err != nil || d.Key.Bits != 1001 || d.Key.PublicKey == nil || !slices.Contains(d.Key.Problems, "RSA modulus of 1001 bits") {
		t.Fatalf("odd size: %v %d %q", err, d.Key.Bits, d.Key.Problems)
	}
	d, err = ParseDG15(dg15Around(rsaSPKI(bytes.Repeat([]byte{0x55}, 32), 3)))
	if err != nil || d.Key.PublicKey != nil || !errors.Is(d.Key.KeyErr, ErrUnsupportedAlgorithm) {
		t.Fatalf("tiny key: %v %v", err, d.Key.KeyErr)
	}
	// Structural damage is an error.
	spec := readLDS(t, "gmrtd_sample_DG15.bin")
	for _, bad := range [][]byte{spec[:100], append(bytes.Clone(spec), 0), dg15Around([]byte{0x30, 0x00})} {
		var pe *ParseError
		if d, err := ParseDG15(bad); d != nil || !errors.As(err, &pe) || !(errors.Is(err, ErrMalformed) || errors.Is(err, ErrTrailingData)) {
			t.Errorf("accepted % X...: %v", bad[:4], err)
		}
	}
}
