package ed25519z

import (
	"crypto/ed25519"
	"fmt"
	"math/rand/v2"
	"testing"
)

// The named benchmarks live in chip/compact (a check reads them from
// ./chip/...); these are the package's own, for work on this code.

func benchEntries(nkeys, n int) (pubs []ed25519.PublicKey, msgs, sigs [][]byte) {
	for i := range n {
		_, priv, _ := ed25519.GenerateKey(rand.NewChaCha8([32]byte{byte(i % nkeys)}))
		msg := []byte(fmt.Sprintf("message %d", i))
		pubs = append(pubs, priv.Public().(ed25519.PublicKey))
		msgs = append(msgs, msg)
		sigs = append(sigs, ed25519.Sign(priv, msg))
	}
	return
}

func BenchmarkVerify(b *testing.B) {
	pubs, msgs, sigs := benchEntries(1, 1)
	b.ReportAllocs()
	for b.Loop() {
		if !Verify(pubs[0], msgs[0], sigs[0]) {
			b.Fatal("invalid")
		}
	}
}

func BenchmarkBatch(b *testing.B) {
	for _, n := range []int{64, 256} {
		b.Run(fmt.Sprint("n=", n), func(b *testing.B) {
			pubs, msgs, sigs := benchEntries(1, n)
			rng := rand.NewChaCha8([32]byte{})
			b.ReportAllocs()
			for b.Loop() {
				var v BatchVerifier
				for i := range n {
					v.Add(pubs[i], msgs[i], sigs[i])
				}
				if !v.Verify(rng) {
					b.Fatal("invalid")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/sig")
		})
	}
}
