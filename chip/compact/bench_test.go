package compact

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"sync"
	"testing"

	"github.com/cancuoc/sdk/internal/ed25519z"
)

// The benchmarks of issue 6. A check outside the repository reads
// BenchmarkBatchVerify/keys=1/n=64 from `go test -bench ./chip/...`;
// compare its ns/sig with BenchmarkStdlibVerify's in the same run.
//
// The signed messages are real: the Sig_structures of card objects (one
// holder, all items) signed by 1 or 16 synthetic issuer keys.

type benchSig struct {
	pub      ed25519.PublicKey
	msg, sig []byte
}

var benchSigs = sync.OnceValues(func() (oneKey, sixteenKeys []benchSig) {
	const n = 1024
	build := func(nkeys int) []benchSig {
		keys := make([]ed25519.PrivateKey, nkeys)
		for i := range keys {
			seed := sha256.Sum256([]byte(fmt.Sprint("bench issuer ", i)))
			keys[i] = ed25519.NewKeyFromSeed(seed[:])
		}
		h, err := loadHolder()
		if err != nil {
			panic(err)
		}
		out := make([]benchSig, n)
		for i := range out {
			key := keys[i%nkeys]
			obj, err := Sign(seeded(byte(i)), h, key, SignOptions{Now: testNow})
			if err != nil {
				panic(err)
			}
			o, err := parseObject(obj)
			if err != nil {
				panic(err)
			}
			tbs, err := o.auth.ToBeSigned(nil)
			if err != nil {
				panic(err)
			}
			out[i] = benchSig{key.Public().(ed25519.PublicKey), tbs, o.auth.Signature}
		}
		return out
	}
	return build(1), build(16)
})

func perSig(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/sig")
}

// BenchmarkStdlibVerify is the baseline: crypto/ed25519.Verify, one by one.
func BenchmarkStdlibVerify(b *testing.B) {
	sigs, _ := benchSigs()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s := sigs[i%len(sigs)]
		if !ed25519.Verify(s.pub, s.msg, s.sig) {
			b.Fatal("invalid")
		}
		i++
	}
	perSig(b, 1)
}

// BenchmarkVerifySingle is ZIP-215 verification of one signature
// (internal/ed25519z.Verify).
func BenchmarkVerifySingle(b *testing.B) {
	sigs, _ := benchSigs()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s := sigs[i%len(sigs)]
		if !ed25519z.Verify(s.pub, s.msg, s.sig) {
			b.Fatal("invalid")
		}
		i++
	}
	perSig(b, 1)
}

// BenchmarkBatchVerify adds n signatures by 1 or 16 keys to a
// BatchVerifier (hashing each message) and verifies them with fresh
// coefficients from crypto/rand, as a back-end would.
func BenchmarkBatchVerify(b *testing.B) {
	one, sixteen := benchSigs()
	for _, set := range []struct {
		keys int
		sigs []benchSig
	}{{1, one}, {16, sixteen}} {
		b.Run(fmt.Sprint("keys=", set.keys), func(b *testing.B) {
			for _, n := range []int{1, 8, 64, 256, 1024} {
				if n < set.keys {
					continue
				}
				b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
					sigs := set.sigs[:n]
					b.ReportAllocs()
					for b.Loop() {
						var v ed25519z.BatchVerifier
						for _, s := range sigs {
							v.Add(s.pub, s.msg, s.sig)
						}
						if !v.Verify(nil) {
							b.Fatal("invalid batch")
						}
					}
					perSig(b, n)
				})
			}
		})
	}
}

// BenchmarkVerifyCard is Verify of one full card object: strict decoding,
// key lookup, signature, payload and 18 item digests.
func BenchmarkVerifyCard(b *testing.B) {
	obj := signTest(b, SignOptions{})
	opts := VerifyOptions{Trust: testStore(b, testIssuer(b)), Now: testNow}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(obj, opts); err != nil {
			b.Fatal(err)
		}
	}
	perSig(b, 1)
}

// BenchmarkVerifyBatchCards is VerifyBatch of 64 full card objects from
// one issuer: what a back-end pays per object end to end.
func BenchmarkVerifyBatchCards(b *testing.B) {
	const n = 64
	objs := make([][]byte, n)
	for i := range objs {
		obj, err := Sign(seeded(byte(i)), testHolder(b), testIssuer(b), SignOptions{Now: testNow})
		if err != nil {
			b.Fatal(err)
		}
		objs[i] = obj
	}
	opts := VerifyOptions{Trust: testStore(b, testIssuer(b)), Now: testNow}
	b.ReportAllocs()
	for b.Loop() {
		_, errs := VerifyBatch(objs, opts)
		for _, err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	perSig(b, n)
}
