package sm

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/subtle"
)

// Pad appends ISO/IEC 9797-1 padding method 2 (80 00...) to a multiple of
// the block size.
func Pad(dst []byte, bs int) []byte {
	dst = append(dst, 0x80)
	for len(dst)%bs != 0 {
		dst = append(dst, 0)
	}
	return dst
}

// Unpad removes ISO/IEC 9797-1 padding method 2; ok is false when the
// padding is missing or longer than a block.
func Unpad(b []byte, bs int) ([]byte, bool) {
	for i := len(b) - 1; i >= 0 && i >= len(b)-bs; i-- {
		switch b[i] {
		case 0:
			continue
		case 0x80:
			return b[:i], true
		}
		return nil, false
	}
	return nil, false
}

// macer computes the 8-byte MAC of padded data.
type macer interface {
	mac(dst, padded []byte) []byte
}

// retailMAC is ISO/IEC 9797-1 MAC algorithm 3 with DES: CBC-MAC with the
// first key, then decrypt with the second and encrypt with the first on
// the last block (ICAO 9303-11 section 9.8.6.2).
type retailMAC struct{ k1, k2 cipher.Block }

func newRetailMAC(key []byte) (*retailMAC, error) {
	if len(key) != 16 {
		return nil, ErrCipher
	}
	k1, err := des.NewCipher(key[:8])
	if err != nil {
		return nil, err
	}
	k2, err := des.NewCipher(key[8:])
	if err != nil {
		return nil, err
	}
	return &retailMAC{k1, k2}, nil
}

func (m *retailMAC) mac(dst, padded []byte) []byte {
	var y [8]byte
	for i := 0; i+8 <= len(padded); i += 8 {
		subtle.XORBytes(y[:], y[:], padded[i:i+8])
		m.k1.Encrypt(y[:], y[:])
	}
	m.k2.Decrypt(y[:], y[:])
	m.k1.Encrypt(y[:], y[:])
	return append(dst, y[:]...)
}

// cmac is AES-CMAC (NIST SP 800-38B, RFC 4493) truncated to 8 bytes
// (ICAO 9303-11 section 9.8.6.1).
type cmac struct {
	b      cipher.Block
	k1, k2 [16]byte
	y, blk [16]byte // scratch: a cmac is used by one goroutine at a time
}

func newCMAC(key []byte) (*cmac, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, ErrCipher
	}
	m := &cmac{b: b}
	var l [16]byte
	b.Encrypt(l[:], l[:])
	dbl := func(dst, src *[16]byte) {
		carry := src[0] >> 7
		for i := range 15 {
			dst[i] = src[i]<<1 | src[i+1]>>7
		}
		dst[15] = src[15]<<1 ^ byte(subtle.ConstantTimeByteEq(carry, 1))*0x87
	}
	dbl(&m.k1, &l)
	dbl(&m.k2, &m.k1)
	return m, nil
}

// Sum returns the full 16-byte CMAC of msg.
func (m *cmac) Sum(msg []byte) [16]byte {
	m.sum(msg)
	return m.y
}

// sum leaves the CMAC of msg in m.y.
func (m *cmac) sum(msg []byte) {
	y, blk := m.y[:], m.blk[:]
	clear(y)
	clear(blk)
	n := (len(msg) + 15) / 16
	if n == 0 {
		n = 1
	}
	for i := 0; i < n-1; i++ {
		subtle.XORBytes(y, y, msg[16*i:16*i+16])
		m.b.Encrypt(y, y)
	}
	last := msg[16*(n-1):]
	if len(last) == 16 {
		subtle.XORBytes(blk, last, m.k1[:])
	} else {
		copy(blk, last)
		blk[len(last)] = 0x80
		subtle.XORBytes(blk, blk, m.k2[:])
	}
	subtle.XORBytes(y, y, blk)
	m.b.Encrypt(y, y)
}

func (m *cmac) mac(dst, padded []byte) []byte {
	m.sum(padded)
	return append(dst, m.y[:8]...)
}

// MAC returns the 8-byte secure-messaging MAC of data, which the function
// pads first: the retail MAC for 3DES, AES-CMAC cut to 8 bytes for AES.
// BAC and PACE use it for their authentication tokens too.
func MAC(c Cipher, key, data []byte) ([]byte, error) {
	m, err := newMAC(c, key)
	if err != nil {
		return nil, err
	}
	return m.mac(nil, Pad(append([]byte(nil), data...), c.BlockSize())), nil
}

// CMAC returns the 8-byte AES-CMAC of data without padding it first, as
// PACE authentication tokens are computed (ICAO 9303-11 section 4.4.3.4).
func CMAC(key, data []byte) ([]byte, error) {
	m, err := newCMAC(key)
	if err != nil {
		return nil, err
	}
	s := m.Sum(data)
	return s[:8], nil
}

func newMAC(c Cipher, key []byte) (macer, error) {
	if len(key) != c.KeyLen() {
		return nil, ErrCipher
	}
	if c == TDES {
		return newRetailMAC(key)
	}
	return newCMAC(key)
}

// newBlock returns the encryption block cipher: 3DES with K1 K2 K1, or AES.
func newBlock(c Cipher, key []byte) (cipher.Block, error) {
	if len(key) != c.KeyLen() {
		return nil, ErrCipher
	}
	if c == TDES {
		k := make([]byte, 0, 24)
		k = append(append(k, key...), key[:8]...)
		return des.NewTripleDESCipher(k)
	}
	return aes.NewCipher(key)
}

// Encrypt encrypts padded data in CBC mode with a zero IV, as BAC's
// EXTERNAL AUTHENTICATE and PACE's nonce use it.
func Encrypt(c Cipher, key, padded []byte) ([]byte, error) {
	b, err := newBlock(c, key)
	if err != nil || len(padded)%b.BlockSize() != 0 {
		return nil, ErrCipher
	}
	out := make([]byte, len(padded))
	cipher.NewCBCEncrypter(b, make([]byte, b.BlockSize())).CryptBlocks(out, padded)
	return out, nil
}

// Decrypt is the inverse of Encrypt.
func Decrypt(c Cipher, key, ct []byte) ([]byte, error) {
	b, err := newBlock(c, key)
	if err != nil || len(ct)%b.BlockSize() != 0 {
		return nil, ErrCipher
	}
	out := make([]byte, len(ct))
	cipher.NewCBCDecrypter(b, make([]byte, b.BlockSize())).CryptBlocks(out, ct)
	return out, nil
}
