package cms

import (
	"bytes"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	_ "crypto/sha1" // registers SHA-1
	_ "crypto/sha256"
	_ "crypto/sha512"
	"math/big"
	"testing"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// TestRSAAgainstStdlib holds verifyPKCS1v15 and verifyPSS to crypto/rsa's
// answers (the oracle) on signatures crypto/rsa makes, on every one-bit
// change of them and of the digest, on other salt lengths, and on
// hand-built encodings (RFC 8017 §8.2.2, §9.1.2) raised to the private
// exponent: short padding, missing NULL, non-minimal DER, trailing bytes,
// a wrong hash OID, wrong block type, bad PSS trailer and top bits. Key
// sizes include 1025 bits, where the PSS block is one byte shorter than
// the modulus.
func TestRSAAgainstStdlib(t *testing.T) {
	hashes := []crypto.Hash{crypto.SHA1, crypto.SHA256, crypto.SHA384, crypto.SHA512}
	for _, bits := range []int{1024, 1025, 2048} {
		key, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			t.Fatal(err)
		}
		pub := &key.PublicKey
		if !rsaFast(pub, crypto.SHA256) {
			t.Fatalf("%d-bit key does not take the fast path", bits)
		}
		raw := func(em []byte) []byte { // em^d mod n: a "signature" of any block
			s := new(big.Int).Exp(new(big.Int).SetBytes(em), key.D, key.N)
			return s.FillBytes(make([]byte, pub.Size()))
		}
		for _, h := range hashes {
			m := h.New()
			m.Write([]byte("passive authentication"))
			digest := m.Sum(nil)

			sig, err := rsa.SignPKCS1v15(nil, key, h, digest)
			if err != nil {
				t.Fatal(err)
			}
			checkPKCS1 := func(name string, d, s []byte) bool {
				t.Helper()
				want := rsa.VerifyPKCS1v15(pub, h, d, s) == nil
				if got := verifyPKCS1v15(pub, h, d, s); got != want {
					t.Fatalf("%d bits %v PKCS#1 v1.5 %s: got %v, crypto/rsa %v", bits, h, name, got, want)
				}
				return want
			}
			if !checkPKCS1("valid", digest, sig) {
				t.Fatalf("%d bits %v: valid signature refused", bits, h)
			}
			for i := 0; i < len(sig)*8; i += 61 {
				s := bytes.Clone(sig)
				s[i/8] ^= 1 << (i % 8)
				checkPKCS1("signature bit flipped", digest, s)
			}
			for i := 0; i < len(digest)*8; i += 13 {
				d := bytes.Clone(digest)
				d[i/8] ^= 1 << (i % 8)
				checkPKCS1("digest bit flipped", d, sig)
			}
			checkPKCS1("short signature", digest, sig[1:])
			checkPKCS1("modulus as signature", digest, pub.N.FillBytes(make([]byte, pub.Size())))
			checkPKCS1("short digest", digest[1:], sig)

			k := pub.Size()
			info := func(oid []byte, withNull bool, d []byte) []byte {
				var b cryptobyte.Builder
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1(cbasn1.OBJECT_IDENTIFIER, func(b *cryptobyte.Builder) { b.AddBytes(oid) })
						if withNull {
							b.AddASN1NULL()
						}
					})
					b.AddASN1OctetString(d)
				})
				return b.BytesOrPanic()
			}
			block := func(bt byte, ps int, tail []byte) []byte {
				em := []byte{0, bt}
				em = append(em, bytes.Repeat([]byte{0xff}, ps)...)
				em = append(em, 0)
				return append(em, tail...)
			}
			good := info(hashOIDBytes(h), true, digest)
			other := hashOIDBytes(crypto.SHA224)
			nonMinimal := append([]byte{0x30, 0x81, byte(len(good) - 2)}, good[2:]...)
			crafted := map[string][]byte{
				"rebuilt valid":    block(1, k-3-len(good), good),
				"block type 2":     block(2, k-3-len(good), good),
				"no NULL":          block(1, k-3-len(good)+2, info(hashOIDBytes(h), false, digest)),
				"wrong OID":        block(1, k-3-len(good)-len(other)+len(hashOIDBytes(h)), info(other, true, digest)),
				"non-minimal DER":  block(1, k-3-len(nonMinimal), nonMinimal),
				"trailing byte":    block(1, k-4-len(good), append(bytes.Clone(good), 0)),
				"7 bytes padding":  append(block(1, 7, good), make([]byte, k-10-len(good))...),
				"digest in PS gap": block(1, k-3-len(good), append(bytes.Clone(good[:len(good)-1]), 0x00)),
			}
			for name, em := range crafted {
				if len(em) != k {
					continue // does not fit this key
				}
				ok := checkPKCS1(name, digest, raw(em))
				if ok != (name == "rebuilt valid") {
					t.Fatalf("%d bits %v: %s accepted=%v", bits, h, name, ok)
				}
			}

			for _, saltSign := range []int{0, 20, 32, h.Size()} {
				psig, err := rsa.SignPSS(rand.Reader, key, h, digest, &rsa.PSSOptions{SaltLength: saltSign, Hash: h})
				if err != nil {
					continue // salt too long for this key
				}
				for _, saltVerify := range []int{0, -1, 20, 32, h.Size(), 1} {
					checkPSS := func(name string, d, s []byte) bool {
						t.Helper()
						want := rsa.VerifyPSS(pub, h, d, s, &rsa.PSSOptions{SaltLength: saltVerify, Hash: h}) == nil
						if got := verifyPSS(pub, h, d, s, saltVerify); got != want {
							t.Fatalf("%d bits %v PSS salt %d/%d %s: got %v, crypto/rsa %v", bits, h, saltSign, saltVerify, name, got, want)
						}
						return want
					}
					checkPSS("as signed", digest, psig)
					for i := 0; i < len(psig)*8; i += 211 {
						s := bytes.Clone(psig)
						s[i/8] ^= 1 << (i % 8)
						checkPSS("signature bit flipped", digest, s)
					}
					d := bytes.Clone(digest)
					d[0] ^= 1
					checkPSS("digest changed", d, psig)
				}
				// Hand-built blocks: recover EM, damage it, raise it again.
				em, ok := rsaEncrypt(pub, psig)
				if !ok {
					t.Fatal("cannot recover the PSS block")
				}
				for name, damage := range map[string]func([]byte){
					"unchanged":   func([]byte) {},
					"trailer":     func(b []byte) { b[len(b)-1] = 0xbd },
					"top bit set": func(b []byte) { b[len(b)-pssLen(pub)] |= 0x80 },
				} {
					b := bytes.Clone(em)
					damage(b)
					if new(big.Int).SetBytes(b).Cmp(pub.N) >= 0 || (name != "unchanged" && bytes.Equal(b, em)) {
						continue // not a block below n, or the bit was already set
					}
					want := rsa.VerifyPSS(pub, h, digest, raw(b), &rsa.PSSOptions{SaltLength: saltSign, Hash: h}) == nil
					if got := verifyPSS(pub, h, digest, raw(b), saltSign); got != want || want != (name == "unchanged") {
						t.Fatalf("%d bits %v PSS %s: got %v, crypto/rsa %v", bits, h, name, got, want)
					}
				}
			}
		}
	}
}

// pssLen is emLen of RFC 8017 §9.1.1 for pub.
func pssLen(pub *rsa.PublicKey) int { return (pub.N.BitLen() - 1 + 7) / 8 }
