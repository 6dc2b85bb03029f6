package pace

import (
	"bytes"
	"crypto/subtle"
	"fmt"
	"io"

	"github.com/cancuoc/sdk/internal/kex"
	"github.com/cancuoc/sdk/internal/sm"
)

// Chip is the chip's side of one PACE run, for software cards: one
// method per GENERAL AUTHENTICATE step, called in order.
type Chip struct {
	suite Suite
	g     kex.Group
	kpi   []byte
	rand  io.Reader
	s     []byte
	gen   []byte
	pkIFD []byte
	pkEph []byte
	ksEnc []byte
	ksMac []byte
}

// NewChip starts a run for the suite, domain parameters and password K
// the chip holds; rand supplies its nonce and keys.
func NewChip(s Suite, paramID int, password []byte, rand io.Reader) (*Chip, error) {
	g, err := kex.ByParameterID(paramID)
	if err != nil || g.EC() != s.EC {
		return nil, fmt.Errorf("%w: parameters %d for %v", ErrUnsupported, paramID, s)
	}
	kpi, err := PasswordKey(s.Cipher, password)
	if err != nil {
		return nil, err
	}
	return &Chip{suite: s, g: g, kpi: kpi, rand: rand}, nil
}

// Nonce is step 1: a random nonce s, returned encrypted with Kπ.
func (c *Chip) Nonce() ([]byte, error) {
	c.s = make([]byte, c.suite.Cipher.BlockSize())
	for {
		if _, err := io.ReadFull(c.rand, c.s); err != nil {
			return nil, err
		}
		if subtle.ConstantTimeCompare(c.s, make([]byte, len(c.s))) == 0 {
			break
		}
	}
	return sm.Encrypt(c.suite.Cipher, c.kpi, c.s)
}

// Map is step 2: the chip's mapping key for the terminal's (generic
// mapping), or nothing for the terminal's nonce t (integrated mapping).
func (c *Chip) Map(pkIFD []byte) ([]byte, error) {
	if c.suite.Mapping == IntegratedMapping {
		gen, err := MapIntegrated(c.g, c.suite.Cipher, c.s, pkIFD)
		if err != nil {
			return nil, err
		}
		c.gen = gen
		return []byte{}, nil
	}
	if err := c.g.Validate(pkIFD); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrAuthentication, err)
	}
	sk, pk, err := kex.GenerateKey(c.g, c.g.Generator(), c.rand)
	if err != nil {
		return nil, err
	}
	defer clear(sk)
	if c.gen, err = MapGeneric(c.g, c.s, sk, pkIFD); err != nil {
		return nil, err
	}
	return pk, nil
}

// Agree is step 3: the chip's ephemeral key for the terminal's.
func (c *Chip) Agree(pkIFD []byte) ([]byte, error) {
	if c.gen == nil {
		return nil, fmt.Errorf("%w: key agreement before mapping", ErrAuthentication)
	}
	sk, pk, err := kex.GenerateKey(c.g, c.gen, c.rand)
	if err != nil {
		return nil, err
	}
	defer clear(sk)
	if subtle.ConstantTimeCompare(pk, pkIFD) == 1 {
		return nil, fmt.Errorf("%w: terminal echoed the chip's key", ErrAuthentication)
	}
	if c.ksEnc, c.ksMac, err = sessionKeys(c.g, c.suite.Cipher, sk, pkIFD); err != nil {
		return nil, err
	}
	c.pkIFD, c.pkEph = bytes.Clone(pkIFD), pk
	return pk, nil
}

// Authenticate is step 4: it checks the terminal's token (a wrong
// password shows here, as ErrAuthentication) and returns the chip's token
// and secure channel.
func (c *Chip) Authenticate(tIFD []byte) ([]byte, *sm.Channel, error) {
	if c.ksMac == nil {
		return nil, nil, fmt.Errorf("%w: authentication before key agreement", ErrAuthentication)
	}
	defer c.zero()
	want, err := Token(c.suite, c.g, c.ksMac, c.pkEph)
	if err != nil {
		return nil, nil, err
	}
	if subtle.ConstantTimeCompare(want, tIFD) != 1 {
		return nil, nil, fmt.Errorf("%w: terminal token", ErrAuthentication)
	}
	tIC, err := Token(c.suite, c.g, c.ksMac, c.pkIFD)
	if err != nil {
		return nil, nil, err
	}
	ch, err := sm.New(c.suite.Cipher, c.ksEnc, c.ksMac, make([]byte, c.suite.Cipher.BlockSize()))
	return tIC, ch, err
}

func (c *Chip) zero() {
	clear(c.kpi)
	clear(c.s)
	clear(c.ksEnc)
	clear(c.ksMac)
}
