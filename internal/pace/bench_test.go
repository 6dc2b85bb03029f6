package pace

import (
	"context"
	"testing"
	"time"

	"github.com/cancuoc/sdk/internal/apdu"
	"github.com/cancuoc/sdk/internal/kex"
	"github.com/cancuoc/sdk/internal/sm"
)

// replay answers the worked example's commands without checking them, so
// a benchmark measures the terminal alone.
type replay struct{ i int }

func (r *replay) Transmit(_ context.Context, _ *apdu.Command) (apdu.Response, error) {
	resps := [...]string{"9000", "7C1280" + "10" + g1.z + "9000", "7C438241" + g1.chipMapPK + "9000",
		"7C438441" + g1.chipEphPK + "9000", "7C0A8608" + g1.tIC + "9000"}
	s := resps[r.i%len(resps)]
	r.i++
	b := make([]byte, len(s)/2)
	for i := range b {
		b[i] = unhexByte(s[2*i])<<4 | unhexByte(s[2*i+1])
	}
	return apdu.ParseResponse(b)
}

func unhexByte(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

// BenchmarkPACETerminal is the terminal's side of PACE-ECDH-GM-AES-128 on
// brainpoolP256r1 (the worked example, chip answers replayed): five
// scalar multiplications (mapping key, H, s·G, ephemeral key, K), one
// point addition, key derivation and tokens. Compare with
// BenchmarkFiveScalarMults in the same run.
func BenchmarkPACETerminal(b *testing.B) {
	mrzK := unhex(b, g1.mrzK)
	keys := unhex(b, g1.termMapSK+g1.termEphSK)
	b.ReportAllocs()
	for b.Loop() {
		rnd := fixed(keys)
		if _, err := Run(context.Background(), &replay{}, Config{Suite: NewSuite(true, sm.AES128), ParameterID: 13,
			PasswordType: PasswordMRZ, Password: mrzK, Rand: &rnd}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFiveScalarMults is the bill of BenchmarkPACETerminal: five
// brainpoolP256r1 scalar multiplications of the same kind.
func BenchmarkFiveScalarMults(b *testing.B) {
	g, _ := kex.ByParameterID(13)
	k := unhex(b, g1.termEphSK)
	p := unhex(b, g1.chipEphPK)
	b.ReportAllocs()
	for b.Loop() {
		for range 5 {
			if _, err := g.Mult(k, p); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkPACEOverScalarMults interleaves one terminal PACE handshake
// and five scalar multiplications per iteration, so the shared machine's
// load hits both alike, and reports their times and ratio (goal ≤ 1.5).
func BenchmarkPACEOverScalarMults(b *testing.B) {
	mrzK := unhex(b, g1.mrzK)
	keys := unhex(b, g1.termMapSK+g1.termEphSK)
	g, _ := kex.ByParameterID(13)
	k := unhex(b, g1.termEphSK)
	p := unhex(b, g1.chipEphPK)
	var tPACE, tMult time.Duration
	for b.Loop() {
		start := time.Now()
		rnd := fixed(keys)
		if _, err := Run(context.Background(), &replay{}, Config{Suite: NewSuite(true, sm.AES128), ParameterID: 13,
			PasswordType: PasswordMRZ, Password: mrzK, Rand: &rnd}); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		for range 5 {
			if _, err := g.Mult(k, p); err != nil {
				b.Fatal(err)
			}
		}
		tPACE += mid.Sub(start)
		tMult += time.Since(mid)
	}
	b.ReportMetric(float64(tPACE.Microseconds())/1000/float64(b.N), "ms/PACE")
	b.ReportMetric(float64(tMult.Microseconds())/1000/float64(b.N), "ms/5mults")
	b.ReportMetric(float64(tPACE)/float64(tMult), "ratio")
}
