package ca

import (
	"bytes"
	"context"
	"crypto/sha256"
	"math/big"
	"testing"
	"time"

	"github.com/cancuoc/sdk/internal/apdu"
	"github.com/cancuoc/sdk/internal/kex"
	"github.com/cancuoc/sdk/internal/pace"
	"github.com/cancuoc/sdk/internal/sm"
)

type counterReader struct{ n byte }

func (r *counterReader) Read(p []byte) (int, error) {
	for i := range p {
		h := sha256.Sum256([]byte{r.n, byte(i)})
		p[i] = h[0]
	}
	r.n++
	return len(p), nil
}

// recorder plays a chip: it keeps the terminal's ephemeral key from the
// command and answers 9000.
type recorder struct{ cmds []apdu.Command }

func (r *recorder) Transmit(_ context.Context, c *apdu.Command) (apdu.Response, error) {
	r.cmds = append(r.cmds, apdu.Command{CLA: c.CLA, INS: c.INS, P1: c.P1, P2: c.P2, Data: bytes.Clone(c.Data), Ne: c.Ne})
	if c.INS == 0x86 {
		return apdu.Response{Data: []byte{0x7C, 0}, SW: 0x9000}, nil
	}
	return apdu.Response{SW: 0x9000}, nil
}

// Round trip for AES (MSE:Set AT + GENERAL AUTHENTICATE) and 3DES
// (MSE:Set KAT) on brainpoolP256r1 and P-256: the chip's side derives the
// same channel from its static key and the terminal's ephemeral key.
func TestRoundTrip(t *testing.T) {
	for _, id := range []int{13, 12, 0} {
		g, _ := kex.ByParameterID(id)
		for _, c := range []sm.Cipher{sm.AES128, sm.TDES, sm.AES256} {
			p := NewProtocol(g.EC(), c)
			if q, err := ProtocolByOID(p.OID); err != nil || q.Cipher != c {
				t.Fatalf("%v: %v", p, err)
			}
			sk, pk, _ := kex.GenerateKey(g, g.Generator(), &counterReader{})
			rec := &recorder{}
			ch, err := Run(context.Background(), rec, Config{Protocol: p, KeyID: big.NewInt(1), Group: g, ChipKey: pk, Rand: &counterReader{n: 9}})
			if err != nil {
				t.Fatalf("%v: %v", p, err)
			}
			var pkIFD []byte
			if c == sm.TDES {
				if len(rec.cmds) != 1 || rec.cmds[0].P2 != 0xA6 || rec.cmds[0].Data[0] != 0x91 {
					t.Fatalf("%v: commands %+v", p, rec.cmds)
				}
				pkIFD = rec.cmds[0].Data[len(rec.cmds[0].Data)-3-len(pk) : len(rec.cmds[0].Data)-3]
			} else {
				a, err := pace.ParseAuthData(rec.cmds[1].Data)
				if err != nil {
					t.Fatal(err)
				}
				pkIFD, _ = a.Get(0x80)
			}
			chip, err := Channel(p, g, sk, pkIFD)
			if err != nil {
				t.Fatal(err)
			}
			cmd := apdu.Command{INS: 0xB0, Ne: 10}
			w, _ := ch.Wrap(&cmd)
			if _, err := chip.UnwrapCommand(&w); err != nil {
				t.Fatalf("%v: chip cannot read the terminal's command: %v", p, err)
			}
		}
	}
}

// BenchmarkCATerminal is the terminal's side of chip authentication
// (CA-ECDH-AES-128, brainpoolP256r1): two scalar multiplications
// (ephemeral key, shared secret), key derivation and the two commands.
// Compare with BenchmarkTwoScalarMults in the same run.
func BenchmarkCATerminal(b *testing.B) {
	g, _ := kex.ByParameterID(13)
	_, pk, _ := kex.GenerateKey(g, g.Generator(), &counterReader{})
	p := NewProtocol(true, sm.AES128)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Run(context.Background(), &recorder{}, Config{Protocol: p, Group: g, ChipKey: pk, Rand: &counterReader{n: 3}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTwoScalarMults is CA's bill: two brainpoolP256r1 scalar
// multiplications.
func BenchmarkTwoScalarMults(b *testing.B) {
	g, _ := kex.ByParameterID(13)
	k, pk, _ := kex.GenerateKey(g, g.Generator(), &counterReader{})
	b.ReportAllocs()
	for b.Loop() {
		for range 2 {
			if _, err := g.Mult(k, pk); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkCAOverScalarMults interleaves one terminal chip
// authentication and two scalar multiplications per iteration and
// reports their times and ratio (goal ≤ 1.5).
func BenchmarkCAOverScalarMults(b *testing.B) {
	g, _ := kex.ByParameterID(13)
	k, pk, _ := kex.GenerateKey(g, g.Generator(), &counterReader{})
	p := NewProtocol(true, sm.AES128)
	var tCA, tMult time.Duration
	for b.Loop() {
		start := time.Now()
		if _, err := Run(context.Background(), &recorder{}, Config{Protocol: p, Group: g, ChipKey: pk, Rand: &counterReader{n: 3}}); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		for range 2 {
			if _, err := g.Mult(k, pk); err != nil {
				b.Fatal(err)
			}
		}
		tCA += mid.Sub(start)
		tMult += time.Since(mid)
	}
	b.ReportMetric(float64(tCA.Microseconds())/1000/float64(b.N), "ms/CA")
	b.ReportMetric(float64(tMult.Microseconds())/1000/float64(b.N), "ms/2mults")
	b.ReportMetric(float64(tCA)/float64(tMult), "ratio")
}
