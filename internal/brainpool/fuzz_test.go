package brainpool

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"testing"
)

// wycheproofSeeds returns public keys and signatures from the shared
// Wycheproof files (see wycheproof_test.go); it fails if it finds none.
func wycheproofSeeds(f *testing.F) (keys, sigs [][]byte) {
	f.Helper()
	// readWycheproof skips when the shared files are missing; a fuzzer
	// without its seeds must fail instead.
	if _, err := os.Stat(wycheproofDir); err != nil {
		f.Fatalf("no seeds: %v", err)
	}
	for _, name := range wycheproofFiles {
		wf := readWycheproof(f, name)
		// A sample (every 16th key, every 32nd signature) keeps the
		// baseline run of the seed corpus within CI's few fuzzing seconds.
		for gi, g := range wf.TestGroups {
			if gi%16 == 0 {
				keys = append(keys, mustHex(f, g.PublicKey.Uncompressed))
			}
			for i, tc := range g.Tests {
				if (i+gi)%32 == 0 {
					sigs = append(sigs, mustHex(f, tc.Sig))
				}
			}
		}
	}
	if len(keys) == 0 || len(sigs) == 0 {
		f.Fatal("no seeds found")
	}
	return keys, sigs
}

// FuzzParsePublicKey checks that any input either parses to a point on the
// curve that re-encodes canonically, or fails with a package error and a
// nil key.
func FuzzParsePublicKey(f *testing.F) {
	keys, _ := wycheproofSeeds(f)
	for _, k := range keys {
		f.Add(uint8(0), k)
		if len(k) > 1 {
			l := (len(k) - 1) / 2
			f.Add(uint8(1), append([]byte{0x02 | k[len(k)-1]&1}, k[1:1+l]...)) // compressed
		}
	}
	f.Add(uint8(2), []byte{0x00})
	f.Add(uint8(3), []byte{})
	f.Fuzz(func(t *testing.T, curve uint8, in []byte) {
		c := allCurves[int(curve)%len(allCurves)]
		pub, err := ParsePublicKey(c, in)
		if err != nil {
			if pub != nil {
				t.Fatal("error with a non-nil key")
			}
			if !errors.Is(err, ErrPointEncoding) && !errors.Is(err, ErrPointNotOnCurve) && !errors.Is(err, ErrPointAtInfinity) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if !c.isOnCurve(pub.X, pub.Y) {
			t.Fatal("accepted a point off the curve")
		}
		enc := pub.Bytes()
		if in[0] == 0x04 && !bytes.Equal(enc, in) {
			t.Fatal("uncompressed input does not re-encode identically")
		}
		again, err := ParsePublicKey(c, enc)
		if err != nil || !again.Equal(pub) {
			t.Fatalf("re-encoding does not parse back: %v", err)
		}
	})
}

// FuzzVerifyASN1 feeds arbitrary signatures to VerifyASN1 under a fixed
// brainpoolP256r1 key: it must never panic, and whatever it accepts must be
// strict DER that re-encodes identically and also verifies as r||s.
func FuzzVerifyASN1(f *testing.F) {
	_, sigs := wycheproofSeeds(f)
	c := P256r1()
	priv, err := GenerateKey(c, &countingReader{})
	if err != nil {
		f.Fatal(err)
	}
	digest := sha256.Sum256([]byte("fuzz"))
	own, err := SignASN1(&countingReader{}, priv, digest[:])
	if err != nil {
		f.Fatal(err)
	}
	f.Add(own)
	for _, s := range sigs {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sig []byte) {
		if !VerifyASN1(&priv.PublicKey, digest[:], sig) {
			return
		}
		r, s, ok := parseSignatureASN1(sig)
		if !ok {
			t.Fatal("accepted a signature that does not parse")
		}
		l := c.scalarLen()
		plain := append(r.FillBytes(make([]byte, l)), s.FillBytes(make([]byte, l))...)
		if !VerifyP1363(&priv.PublicKey, digest[:], plain) {
			t.Fatalf("DER accepted, r||s rejected: %s", hex.EncodeToString(sig))
		}
	})
}
