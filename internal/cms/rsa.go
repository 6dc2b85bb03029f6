package cms

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/subtle"
	"math/big"
	"math/bits"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// RSA signature verification on math/big. crypto/rsa rebuilds the
// modulus's Montgomery constants (its constant-time arithmetic needs them)
// on every verification, which made up most of the memory and a tenth of
// the time of passive authentication with an RSA CSCA. Verification uses
// only public values, so variable-time math/big is fine, and it needs no
// precomputation. Keys outside the common shape (below 1024 or above 8192
// bits, an even modulus, an even or huge exponent) and hashes without a
// known OID go to crypto/rsa instead, so nothing is accepted that
// crypto/rsa refuses; TestRSAAgainstStdlib holds the two to the same
// answers, including on hand-built malformed encodings.

// rsaFast reports whether pub and h take this file's path.
func rsaFast(pub *rsa.PublicKey, h crypto.Hash) bool {
	n := pub.N
	return n != nil && n.Sign() > 0 && n.Bit(0) == 1 && n.BitLen() >= 1024 && n.BitLen() <= 8192 &&
		pub.E >= 3 && pub.E&1 == 1 && pub.E < 1<<31 && HashOID(h) != nil && h.Available()
}

// rsaEncrypt is RSAVP1 (RFC 8017 §5.2.2): sig^e mod n as k bytes, k the
// modulus length (a new slice the caller may change); ok is false when sig
// is not k bytes or not below n.
func rsaEncrypt(pub *rsa.PublicKey, sig []byte) (em []byte, ok bool) {
	k := (pub.N.BitLen() + 7) / 8
	if len(sig) != k {
		return nil, false
	}
	s := new(big.Int).SetBytes(sig)
	if s.Cmp(pub.N) >= 0 {
		return nil, false
	}
	// Left-to-right square and multiply with reused big.Ints: big.Int.Exp
	// allocates afresh at each step, this only while the values grow.
	var acc, prod, quo big.Int
	acc.Set(s)
	e := uint64(pub.E)
	for i := bits.Len64(e) - 2; i >= 0; i-- {
		prod.Mul(&acc, &acc)
		quo.QuoRem(&prod, pub.N, &acc)
		if e>>uint(i)&1 == 1 {
			prod.Mul(&acc, s)
			quo.QuoRem(&prod, pub.N, &acc)
		}
	}
	return acc.FillBytes(make([]byte, k)), true
}

// verifyPKCS1v15 is RSASSA-PKCS1-v1_5-VERIFY (RFC 8017 §8.2.2): the
// recovered block must be exactly 00 01 FF..FF 00 DigestInfo, with at
// least eight FF bytes and a DER DigestInfo naming h with NULL parameters
// (§9.2 note 1), holding digest.
func verifyPKCS1v15(pub *rsa.PublicKey, h crypto.Hash, digest, sig []byte) bool {
	if len(digest) != h.Size() {
		return false
	}
	em, ok := rsaEncrypt(pub, sig)
	if !ok || len(em) < 11 || em[0] != 0 || em[1] != 1 {
		return false
	}
	i := 2
	for i < len(em) && em[i] == 0xff {
		i++
	}
	if i-2 < 8 || i >= len(em) || em[i] != 0 {
		return false
	}
	t := cryptobyte.String(em[i+1:])
	var info, alg, null cryptobyte.String
	var oid, got []byte
	if !t.ReadASN1(&info, cbasn1.SEQUENCE) || !t.Empty() ||
		!info.ReadASN1(&alg, cbasn1.SEQUENCE) ||
		!alg.ReadASN1Bytes(&oid, cbasn1.OBJECT_IDENTIFIER) ||
		!alg.ReadASN1(&null, cbasn1.NULL) || !null.Empty() || !alg.Empty() ||
		!info.ReadASN1Bytes(&got, cbasn1.OCTET_STRING) || !info.Empty() {
		return false
	}
	return bytes.Equal(oid, hashOIDBytes(h)) && bytes.Equal(got, digest)
}

// verifyPSS is RSASSA-PSS-VERIFY (RFC 8017 §8.1.2, EMSA-PSS-VERIFY §9.1.2)
// with MGF1 over h. saltLen follows rsa.PSSOptions: 0 finds the salt's
// length, -1 means h's size, anything else must match exactly.
func verifyPSS(pub *rsa.PublicKey, h crypto.Hash, digest, sig []byte, saltLen int) bool {
	hLen := h.Size()
	if len(digest) != hLen {
		return false
	}
	if saltLen == rsa.PSSSaltLengthEqualsHash {
		saltLen = hLen
	}
	if saltLen < 0 {
		return false
	}
	em, ok := rsaEncrypt(pub, sig)
	if !ok {
		return false
	}
	// emBits = modBits − 1; EM is emLen = ⌈emBits/8⌉ bytes, so the
	// k-byte RSAVP1 output has one leading zero byte more when emBits is a
	// multiple of 8.
	emBits := pub.N.BitLen() - 1
	emLen := (emBits + 7) / 8
	if len(em) > emLen {
		if em[0] != 0 {
			return false
		}
		em = em[1:]
	}
	if emLen < hLen+2 || em[emLen-1] != 0xbc {
		return false
	}
	db := em[:emLen-hLen-1]
	hh := em[emLen-hLen-1 : emLen-1]
	topMask := byte(0xff >> (8*emLen - emBits))
	if db[0]&^topMask != 0 {
		return false
	}
	mgf1XOR(db, h, hh)
	db[0] &= topMask
	// DB = PS (zeros) || 01 || salt.
	psLen := 0
	for psLen < len(db) && db[psLen] == 0 {
		psLen++
	}
	if psLen == len(db) || db[psLen] != 1 {
		return false
	}
	salt := db[psLen+1:]
	if saltLen != 0 && len(salt) != saltLen {
		return false
	}
	if saltLen == 0 && emLen < hLen+len(salt)+2 {
		return false
	}
	m := h.New()
	var zeros [8]byte
	m.Write(zeros[:])
	m.Write(digest)
	m.Write(salt)
	return subtle.ConstantTimeCompare(m.Sum(nil), hh) == 1
}

// mgf1XOR XORs out with MGF1(seed) (RFC 8017 §B.2.1) over h.
func mgf1XOR(out []byte, h crypto.Hash, seed []byte) {
	m := h.New()
	var counter [4]byte
	var sum []byte
	for done := 0; done < len(out); {
		m.Reset()
		m.Write(seed)
		m.Write(counter[:])
		sum = m.Sum(sum[:0])
		done += subtle.XORBytes(out[done:], out[done:], sum)
		for i := 3; i >= 0; i-- {
			if counter[i]++; counter[i] != 0 {
				break
			}
		}
	}
}

// hashOIDBytes returns the DER contents of h's OID.
func hashOIDBytes(h crypto.Hash) []byte {
	var b cryptobyte.Builder
	b.AddASN1ObjectIdentifier(HashOID(h))
	der, err := b.Bytes()
	if err != nil || len(der) < 2 {
		return nil
	}
	return der[2:] // tag and one-byte length: hash OIDs are short
}
