package chiptest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"math/big"

	"github.com/cancuoc/sdk/internal/brainpool"
)

// KeyType selects the algorithm of generated keys.
type KeyType int

// Key types. The zero value is ECDSA P-256.
const (
	ECDSAP256 KeyType = iota
	ECDSAP384
	ECDSAP521
	RSA2048
	RSA3072
	BrainpoolP256r1
	BrainpoolP384r1
	BrainpoolP512r1
)

// String names the key type.
func (k KeyType) String() string {
	switch k {
	case ECDSAP256:
		return "ECDSA-P-256"
	case ECDSAP384:
		return "ECDSA-P-384"
	case ECDSAP521:
		return "ECDSA-P-521"
	case RSA2048:
		return "RSA-2048"
	case RSA3072:
		return "RSA-3072"
	case BrainpoolP256r1:
		return "ECDSA-brainpoolP256r1"
	case BrainpoolP384r1:
		return "ECDSA-brainpoolP384r1"
	case BrainpoolP512r1:
		return "ECDSA-brainpoolP512r1"
	}
	return fmt.Sprintf("KeyType(%d)", int(k))
}

// seedReader is an HMAC-SHA-256 counter-mode stream: deterministic bytes
// from a seed and a label, so each key of an issuer differs.
type seedReader struct {
	key     []byte
	label   string
	counter uint64
	buf     []byte
}

func newSeedReader(seed, label string) *seedReader {
	k := sha256.Sum256([]byte("cancuoc chiptest seed\x00" + seed))
	return &seedReader{key: k[:], label: label}
}

func (r *seedReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(r.buf) == 0 {
			m := hmac.New(sha256.New, r.key)
			var c [8]byte
			binary.BigEndian.PutUint64(c[:], r.counter)
			r.counter++
			m.Write([]byte(r.label))
			m.Write(c[:])
			r.buf = m.Sum(nil)
		}
		k := copy(p[n:], r.buf)
		r.buf = r.buf[k:]
		n += k
	}
	return n, nil
}

// GenerateKey returns a new key of type kt. With a non-empty seed, EC keys
// (NIST and brainpool) are derived from seed and label deterministically;
// RSA keys are always random (crypto/rsa ignores custom readers).
func GenerateKey(kt KeyType, seed, label string) (crypto.Signer, error) {
	var rnd io.Reader = rand.Reader
	if seed != "" {
		rnd = newSeedReader(seed, label)
	}
	switch kt {
	case ECDSAP256, ECDSAP384, ECDSAP521:
		c := map[KeyType]elliptic.Curve{ECDSAP256: elliptic.P256(), ECDSAP384: elliptic.P384(), ECDSAP521: elliptic.P521()}[kt]
		if seed == "" {
			return ecdsa.GenerateKey(c, rand.Reader)
		}
		return deriveECDSA(c, rnd)
	case RSA2048:
		return rsa.GenerateKey(rand.Reader, 2048)
	case RSA3072:
		return rsa.GenerateKey(rand.Reader, 3072)
	case BrainpoolP256r1:
		return brainpool.GenerateKey(brainpool.P256r1(), rnd)
	case BrainpoolP384r1:
		return brainpool.GenerateKey(brainpool.P384r1(), rnd)
	case BrainpoolP512r1:
		return brainpool.GenerateKey(brainpool.P512r1(), rnd)
	}
	return nil, fmt.Errorf("chiptest: unknown key type %v", kt)
}

// deriveECDSA draws a scalar in [1, N-1] by rejection sampling from rnd
// and loads it with ecdsa.ParseRawPrivateKey.
func deriveECDSA(c elliptic.Curve, rnd io.Reader) (*ecdsa.PrivateKey, error) {
	n := c.Params().N
	size := (n.BitLen() + 7) / 8
	buf := make([]byte, size)
	for range 1000 {
		if _, err := io.ReadFull(rnd, buf); err != nil {
			return nil, err
		}
		if excess := size*8 - n.BitLen(); excess > 0 {
			buf[0] &= 0xff >> excess
		}
		d := new(big.Int).SetBytes(buf)
		if d.Sign() == 0 || d.Cmp(n) >= 0 {
			continue
		}
		return ecdsa.ParseRawPrivateKey(c, buf)
	}
	return nil, fmt.Errorf("chiptest: cannot derive key")
}
