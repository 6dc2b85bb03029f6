// Package bac implements Basic Access Control (ICAO 9303-11 section 4.3):
// the document basic access keys from the MRZ, and the terminal's side of
// the GET CHALLENGE / EXTERNAL AUTHENTICATE exchange that ends in a 3DES
// secure channel.
//
// The card's side (ChipResponse) serves the software card of chip/chiptest.
package bac

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"

	"github.com/cancuoc/sdk/internal/apdu"
	"github.com/cancuoc/sdk/internal/sm"
	"github.com/cancuoc/sdk/mrz"
)

// Errors of the exchange.
var (
	// ErrKey reports MRZ fields that cannot form a key.
	ErrKey = errors.New("bac: invalid MRZ key fields")
	// ErrAuthentication reports a chip cryptogram that does not verify
	// (wrong MAC, or a nonce that is not ours).
	ErrAuthentication = errors.New("bac: chip authentication failed")
)

// Key is the document basic access key seed, Kseed (ICAO 9303-11 section
// 9.7.2): the first 16 bytes of SHA-1 over the MRZ information.
type Key [16]byte

// String masks the key.
func (Key) String() string { return "bac.Key{…}" }

// GoString masks the key.
func (k Key) GoString() string { return k.String() }

// MRZInformation returns document number (padded with < to at least 9
// characters), date of birth and date of expiry (YYMMDD), each followed by
// its check digit (ICAO 9303-11 section 9.7.2).
func MRZInformation(docNumber, birth, expiry string) (string, error) {
	if len(docNumber) == 0 || len(birth) != 6 || len(expiry) != 6 {
		return "", ErrKey
	}
	for len(docNumber) < 9 {
		docNumber += "<"
	}
	for _, s := range []string{birth, expiry} {
		for i := range len(s) {
			if s[i] < '0' || s[i] > '9' {
				return "", ErrKey
			}
		}
	}
	return docNumber + string(mrz.CheckDigit(docNumber)) +
		birth + string(mrz.CheckDigit(birth)) +
		expiry + string(mrz.CheckDigit(expiry)), nil
}

// NewKey returns Kseed for the MRZ fields.
func NewKey(docNumber, birth, expiry string) (Key, error) {
	info, err := MRZInformation(docNumber, birth, expiry)
	if err != nil {
		return Key{}, err
	}
	sum := sha1.Sum([]byte(info))
	var k Key
	copy(k[:], sum[:16])
	return k, nil
}

// keys returns Kenc and Kmac of a key seed.
func (k *Key) keys() (enc, mac []byte) {
	enc, _ = sm.DeriveKey(sm.TDES, k[:], sm.CounterEnc)
	mac, _ = sm.DeriveKey(sm.TDES, k[:], sm.CounterMAC)
	return enc, mac
}

// handshake is the terminal's state for one BAC run.
type handshake struct {
	t          apdu.Transmitter
	rand       io.Reader
	kenc, kmac []byte
	rndIC      []byte
	rndIFD     []byte
	kIFD       []byte
}

// Run performs BAC with the card behind t, drawing RND.IFD and K.IFD from
// rand, and returns the 3DES secure channel (ICAO 9303-11 section 4.3.4).
// A status word other than 9000 is an *apdu.StatusError naming the step;
// a chip cryptogram that does not verify is ErrAuthentication.
func Run(ctx context.Context, t apdu.Transmitter, key Key, rand io.Reader) (*sm.Channel, error) {
	hs := &handshake{t: t, rand: rand}
	hs.kenc, hs.kmac = key.keys()
	defer hs.zero()
	if err := hs.getChallenge(ctx); err != nil {
		return nil, err
	}
	return hs.externalAuthenticate(ctx)
}

func (hs *handshake) zero() {
	clear(hs.kenc)
	clear(hs.kmac)
	clear(hs.kIFD)
}

func (hs *handshake) getChallenge(ctx context.Context) error {
	r, err := hs.t.Transmit(ctx, &apdu.Command{INS: 0x84, Ne: 8})
	if err != nil {
		return err
	}
	if !r.OK() {
		return &apdu.StatusError{Step: "GET CHALLENGE", SW: r.SW}
	}
	if len(r.Data) != 8 {
		return fmt.Errorf("%w: RND.IC of %d bytes", ErrAuthentication, len(r.Data))
	}
	hs.rndIC = bytes.Clone(r.Data)
	return nil
}

func (hs *handshake) externalAuthenticate(ctx context.Context) (*sm.Channel, error) {
	buf := make([]byte, 24)
	if _, err := io.ReadFull(hs.rand, buf); err != nil {
		return nil, fmt.Errorf("bac: random: %w", err)
	}
	hs.rndIFD, hs.kIFD = buf[:8], buf[8:]
	s := append(append(append([]byte(nil), hs.rndIFD...), hs.rndIC...), hs.kIFD...)
	eIFD, _ := sm.Encrypt(sm.TDES, hs.kenc, s)
	clear(s)
	mIFD, _ := sm.MAC(sm.TDES, hs.kmac, eIFD)
	r, err := hs.t.Transmit(ctx, &apdu.Command{INS: 0x82, Data: append(eIFD, mIFD...), Ne: 40})
	if err != nil {
		return nil, err
	}
	if !r.OK() {
		return nil, &apdu.StatusError{Step: "EXTERNAL AUTHENTICATE", SW: r.SW}
	}
	if len(r.Data) != 40 {
		return nil, fmt.Errorf("%w: response of %d bytes", ErrAuthentication, len(r.Data))
	}
	eIC, mIC := r.Data[:32], r.Data[32:]
	if want, _ := sm.MAC(sm.TDES, hs.kmac, eIC); subtle.ConstantTimeCompare(want, mIC) != 1 {
		return nil, fmt.Errorf("%w: MIC", ErrAuthentication)
	}
	rr, _ := sm.Decrypt(sm.TDES, hs.kenc, eIC)
	defer clear(rr)
	if !bytes.Equal(rr[:8], hs.rndIC) || !bytes.Equal(rr[8:16], hs.rndIFD) {
		return nil, fmt.Errorf("%w: nonces", ErrAuthentication)
	}
	return sessionChannel(hs.kIFD, rr[16:32], hs.rndIC, hs.rndIFD)
}

// sessionChannel derives KSenc and KSmac from K.IFD xor K.IC and sets
// SSC = RND.IC[4:8] || RND.IFD[4:8] (ICAO 9303-11 section 9.8.2).
func sessionChannel(kIFD, kIC, rndIC, rndIFD []byte) (*sm.Channel, error) {
	seed := make([]byte, 16)
	subtle.XORBytes(seed, kIFD, kIC)
	defer clear(seed)
	enc, _ := sm.DeriveKey(sm.TDES, seed, sm.CounterEnc)
	mac, _ := sm.DeriveKey(sm.TDES, seed, sm.CounterMAC)
	defer clear(enc)
	defer clear(mac)
	ssc := append(append([]byte(nil), rndIC[4:8]...), rndIFD[4:8]...)
	return sm.New(sm.TDES, enc, mac, ssc)
}

// ChipResponse is the card's side of EXTERNAL AUTHENTICATE: it checks the
// terminal's cryptogram cmd (EIFD || MIFD) against the challenge rndIC it
// gave, draws K.IC from rand and returns EIC || MIC and the card's secure
// channel. ErrAuthentication means the terminal used another key.
func ChipResponse(key Key, rndIC, cmd []byte, rand io.Reader) ([]byte, *sm.Channel, error) {
	kenc, kmac := key.keys()
	defer clear(kenc)
	defer clear(kmac)
	if len(cmd) != 40 || len(rndIC) != 8 {
		return nil, nil, fmt.Errorf("%w: cryptogram of %d bytes", ErrAuthentication, len(cmd))
	}
	if want, _ := sm.MAC(sm.TDES, kmac, cmd[:32]); subtle.ConstantTimeCompare(want, cmd[32:]) != 1 {
		return nil, nil, fmt.Errorf("%w: MIFD", ErrAuthentication)
	}
	s, _ := sm.Decrypt(sm.TDES, kenc, cmd[:32])
	defer clear(s)
	if subtle.ConstantTimeCompare(s[8:16], rndIC) != 1 {
		return nil, nil, fmt.Errorf("%w: RND.IC", ErrAuthentication)
	}
	rndIFD, kIFD := s[:8], s[16:32]
	kIC := make([]byte, 16)
	if _, err := io.ReadFull(rand, kIC); err != nil {
		return nil, nil, err
	}
	r := append(append(append([]byte(nil), rndIC...), rndIFD...), kIC...)
	eIC, _ := sm.Encrypt(sm.TDES, kenc, r)
	clear(r)
	mIC, _ := sm.MAC(sm.TDES, kmac, eIC)
	ch, err := sessionChannel(kIFD, kIC, rndIC, rndIFD)
	clear(kIC)
	return append(eIC, mIC...), ch, err
}

// KeyFields returns the document number (fillers trimmed), date of birth
// and date of expiry of an MRZ given as its lines: TD1 (the CCCD: line 1
// columns 6-14, line 2 columns 1-6 and 9-14), TD2 or TD3 (line 2 columns
// 1-9, 14-19 and 22-27), ICAO 9303-5/-4 layouts.
func KeyFields(lines []string) (doc, birth, expiry string, ok bool) {
	switch {
	case len(lines) == 3 && len(lines[0]) == 30 && len(lines[1]) == 30:
		doc, birth, expiry = lines[0][5:14], lines[1][0:6], lines[1][8:14]
	case len(lines) == 2 && len(lines[1]) >= 36:
		doc, birth, expiry = lines[1][0:9], lines[1][13:19], lines[1][21:27]
	default:
		return "", "", "", false
	}
	for len(doc) > 0 && doc[len(doc)-1] == '<' {
		doc = doc[:len(doc)-1]
	}
	return doc, birth, expiry, true
}
