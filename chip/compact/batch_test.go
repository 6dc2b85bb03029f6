package compact

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"io"
	"testing"
)

// weakReaders are the random sources VerifyBatch must survive: its
// coefficients come from a hash of the whole batch, so a reader that is
// all zeros, constant, short or failing weakens nothing (issue 13, item 1).
func weakReaders() map[string]func() io.Reader {
	return map[string]func() io.Reader{
		"nil":      func() io.Reader { return nil },
		"seeded":   func() io.Reader { return seeded(5) },
		"zeros":    func() io.Reader { return bytes.NewReader(make([]byte, 1<<20)) },
		"constant": func() io.Reader { return constantReader(0x5a) },
		"short":    func() io.Reader { return bytes.NewReader(make([]byte, 7)) },
		"failing":  func() io.Reader { return failingReader{} },
	}
}

type constantReader byte

func (c constantReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("no entropy") }

// forgedCard is signed by an attacker's key under the kid of the trusted
// test issuer: Verify must reject it with ErrSignature.
func forgedCard(t testing.TB) []byte {
	t.Helper()
	attacker := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{0x66}, 32))
	kid := KeyID(testIssuer(t).Public().(ed25519.PublicKey))
	obj, err := Sign(seeded(7), testHolder(t), attacker, SignOptions{Now: testNow, Kid: kid})
	if err != nil {
		t.Fatal(err)
	}
	return obj
}

// tweakS adds delta to the signature scalar S of obj, re-encoding the
// object: the COSE signature is the last 64 bytes of issuerAuth.
func tweakS(t testing.TB, obj []byte, delta int) []byte {
	t.Helper()
	o, err := parseObject(obj)
	if err != nil {
		t.Fatal(err)
	}
	sig := o.auth.Signature
	i := bytes.Index(obj, sig)
	if i < 0 || len(sig) != 64 {
		t.Fatal("signature not found in the object")
	}
	out := bytes.Clone(obj)
	s := out[i+32 : i+64] // little-endian S, far below 2^255: no wrap for small delta
	carry := delta
	for j := 0; j < 32 && carry != 0; j++ {
		v := int(s[j]) + carry
		s[j] = byte(v)
		carry = v >> 8
	}
	return out
}

// TestVerifyBatchWeakRand is the issue-13 exploit: a card signed by an
// attacker under the trusted kid, verified in a batch whose coefficients
// came from an all-zero reader, was accepted (every coefficient 0 makes the
// batch equation the identity). A constant reader gave equal coefficients,
// so two signatures whose S were moved by +1 and -1 cancelled out. Under
// every reader, VerifyBatch must now return what Verify returns.
func TestVerifyBatchWeakRand(t *testing.T) {
	good := signTest(t, SignOptions{})
	good2, err := Sign(seeded(3), testHolder(t), testIssuer(t), SignOptions{Now: testNow, Include: []string{ElemNumber}})
	if err != nil {
		t.Fatal(err)
	}
	forged := forgedCard(t)
	plus, minus := tweakS(t, good, +1), tweakS(t, good2, -1)
	batches := map[string][][]byte{
		"forged alone":      {forged},
		"forged with valid": {good, forged, good2},
		"S+1 and S-1":       {plus, minus},
		"valid":             {good, good2},
	}
	for rname, reader := range weakReaders() {
		for bname, objs := range batches {
			opts := VerifyOptions{Trust: testStore(t, testIssuer(t)), Now: testNow}
			for i, obj := range objs {
				opts.Rand = reader()
				_, single := Verify(obj, opts)
				opts.Rand = reader()
				_, errs := VerifyBatch(objs, opts)
				var a, b *VerifyError
				agree := (single == nil) == (errs[i] == nil)
				if agree && single != nil {
					agree = errors.As(single, &a) && errors.As(errs[i], &b) && a.Reason == b.Reason
				}
				if !agree {
					t.Errorf("%s reader, %s, object %d: VerifyBatch %v, Verify %v", rname, bname, i, errs[i], single)
				}
			}
		}
	}
	// The forged and tweaked objects are what Verify rejects.
	for _, obj := range [][]byte{forged, plus, minus} {
		if _, err := Verify(obj, VerifyOptions{Trust: testStore(t, testIssuer(t)), Now: testNow}); !errors.Is(err, ErrSignature) {
			t.Fatalf("Verify = %v, want ErrSignature", err)
		}
	}
}
