package sm

import (
	"crypto/sha1"
	"crypto/sha256"
	"errors"
)

// Cipher is the block cipher and key length of a secure channel.
type Cipher int

// Ciphers of ICAO 9303-11 section 9.8 and the PACE/CA OIDs of section 9.2.
const (
	TDES   Cipher = iota + 1 // two-key 3DES in CBC mode, retail MAC
	AES128                   // AES-128, CMAC
	AES192                   // AES-192, CMAC
	AES256                   // AES-256, CMAC
)

// String names the cipher as the OIDs do: "3DES", "AES-128"...
func (c Cipher) String() string {
	switch c {
	case TDES:
		return "3DES"
	case AES128:
		return "AES-128"
	case AES192:
		return "AES-192"
	case AES256:
		return "AES-256"
	}
	return "unknown cipher"
}

// CipherByArc returns the cipher that the last arc of a PACE, chip- or
// terminal-authentication OID names (BSI TR-03110-3 A.1.1.1: 1 3DES-CBC-CBC,
// 2, 3, 4 AES-CBC-CMAC-128, -192, -256); ok is false for any other arc.
func CipherByArc(arc int) (c Cipher, ok bool) {
	if arc < int(TDES) || arc > int(AES256) {
		return 0, false
	}
	return Cipher(arc), true
}

// Arc is the last arc of the protocol OIDs that use c, the inverse of
// [CipherByArc]; 0 for an unknown cipher.
func (c Cipher) Arc() int {
	if _, ok := CipherByArc(int(c)); !ok {
		return 0
	}
	return int(c)
}

// KeyLen is the length of a session key: 16 for 3DES (two keys) and
// AES-128, 24 and 32 for AES-192 and AES-256.
func (c Cipher) KeyLen() int {
	switch c {
	case AES192:
		return 24
	case AES256:
		return 32
	}
	return 16
}

// BlockSize is 8 for 3DES, 16 for AES.
func (c Cipher) BlockSize() int {
	if c == TDES {
		return 8
	}
	return 16
}

// Counters of the key derivation function (ICAO 9303-11 section 9.7.1).
const (
	CounterEnc uint32 = 1 // KSenc
	CounterMAC uint32 = 2 // KSmac
	CounterPi  uint32 = 3 // Kπ, the PACE password key
)

// ErrCipher reports an unknown cipher or a key of the wrong length.
var ErrCipher = errors.New("sm: unsupported cipher or key length")

// DeriveKey is KDF(K, c) of ICAO 9303-11 section 9.7.1: the hash of
// secret || c (32-bit big-endian), SHA-1 for 3DES and AES-128, SHA-256 for
// AES-192 and AES-256, cut to the key length. 3DES keys get odd DES
// parity, as Appendix D.1 shows.
func DeriveKey(c Cipher, secret []byte, counter uint32) ([]byte, error) {
	ctr := []byte{byte(counter >> 24), byte(counter >> 16), byte(counter >> 8), byte(counter)}
	var sum []byte
	switch c {
	case TDES, AES128:
		h := sha1.New()
		h.Write(secret)
		h.Write(ctr)
		sum = h.Sum(nil)
	case AES192, AES256:
		h := sha256.New()
		h.Write(secret)
		h.Write(ctr)
		sum = h.Sum(nil)
	default:
		return nil, ErrCipher
	}
	k := sum[:c.KeyLen()]
	if c == TDES {
		for i, b := range k {
			// Odd parity in the low bit of every byte.
			b &^= 1
			p := b ^ b>>4
			p ^= p >> 2
			p ^= p >> 1
			k[i] = b | (^p & 1)
		}
	}
	return k, nil
}
