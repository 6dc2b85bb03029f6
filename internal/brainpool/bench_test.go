package brainpool

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	cryptorand "crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"testing"
)

// benchVerify measures one VerifyASN1 of a fixed signature; the key and
// signature come from this package's own signer (see TestSignVerifyRoundTrip).
// Besides wall time it reports the process's CPU time per operation, which
// a shared, loaded machine distorts less.
func benchVerify(b *testing.B, c *Curve, digest []byte) {
	priv, err := GenerateKey(c, cryptorand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	sig, err := SignASN1(cryptorand.Reader, priv, digest)
	if err != nil {
		b.Fatal(err)
	}
	pub := &priv.PublicKey
	if !VerifyASN1(pub, digest, sig) {
		b.Fatal("signature does not verify")
	}
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if !VerifyASN1(pub, digest, sig) {
			b.Fatal("signature does not verify")
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

func BenchmarkVerifyP224r1(b *testing.B) {
	d := sha256.Sum224([]byte("bench"))
	benchVerify(b, P224r1(), d[:])
}

func BenchmarkVerifyP256r1(b *testing.B) {
	d := sha256.Sum256([]byte("bench"))
	benchVerify(b, P256r1(), d[:])
}

func BenchmarkVerifyP320r1(b *testing.B) {
	d := sha512.Sum384([]byte("bench"))
	benchVerify(b, P320r1(), d[:])
}

func BenchmarkVerifyP384r1(b *testing.B) {
	d := sha512.Sum384([]byte("bench"))
	benchVerify(b, P384r1(), d[:])
}

func BenchmarkVerifyP512r1(b *testing.B) {
	d := sha512.Sum512([]byte("bench"))
	benchVerify(b, P512r1(), d[:])
}

// benchStdlib is the reference: crypto/ecdsa verifying the same way on
// the NIST curve of the same size, which the standard library optimises.
func benchStdlib(b *testing.B, c elliptic.Curve, digest []byte) {
	priv, err := ecdsa.GenerateKey(c, cryptorand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	sig, err := ecdsa.SignASN1(cryptorand.Reader, priv, digest)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		if !ecdsa.VerifyASN1(&priv.PublicKey, digest, sig) {
			b.Fatal("signature does not verify")
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
}

func BenchmarkStdlibP256(b *testing.B) {
	d := sha256.Sum256([]byte("bench"))
	benchStdlib(b, elliptic.P256(), d[:])
}

func BenchmarkStdlibP384(b *testing.B) {
	d := sha512.Sum384([]byte("bench"))
	benchStdlib(b, elliptic.P384(), d[:])
}

func BenchmarkSignP256r1(b *testing.B) {
	d := sha256.Sum256([]byte("bench"))
	priv, err := GenerateKey(P256r1(), cryptorand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := SignASN1(cryptorand.Reader, priv, d[:]); err != nil {
			b.Fatal(err)
		}
	}
}
