package pace

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/asn1"
	"fmt"
	"io"

	"github.com/cancuoc/sdk/internal/apdu"
	"github.com/cancuoc/sdk/internal/kex"
	"github.com/cancuoc/sdk/internal/sm"
	"github.com/cancuoc/sdk/internal/tlv"
)

// Config is one PACE run's parameters.
type Config struct {
	Suite Suite
	// ParameterID names the standardized domain parameters (ICAO 9303-11
	// section 9.5.1), such as 13 for brainpoolP256r1.
	ParameterID int
	// SendParameterID adds the domain parameter reference (tag 84) to
	// MSE:Set AT; the worked example omits it, some chips require it.
	SendParameterID bool
	// PasswordType says what Password is.
	PasswordType PasswordType
	// Password is K of section 9.7.3: the CAN's digits as bytes, or SHA-1
	// of the MRZ information (MRZKey).
	Password []byte
	// Rand supplies the terminal's ephemeral keys.
	Rand io.Reader
}

// PasswordKey returns Kπ = KDF(K, 3) for a suite's cipher.
func PasswordKey(c sm.Cipher, password []byte) ([]byte, error) {
	return sm.DeriveKey(c, password, sm.CounterPi)
}

// handshake is the terminal's state for one PACE run (ICAO 9303-11
// section 4.4.4), one method per GENERAL AUTHENTICATE step.
type handshake struct {
	t     apdu.Transmitter
	cfg   *Config
	g     kex.Group
	kpi   []byte
	s     []byte // the decrypted nonce
	gen   []byte // the mapped generator Ĝ
	skEph []byte
	pkEph []byte
	pkIC  []byte // the chip's ephemeral public key
	ksEnc []byte
	ksMac []byte
}

// Run performs PACE with the card behind t and returns the secure
// channel. A status word other than 9000 is an *apdu.StatusError naming
// the step; a chip token that does not verify is ErrAuthentication.
func Run(ctx context.Context, t apdu.Transmitter, cfg Config) (*sm.Channel, error) {
	g, err := kex.ByParameterID(cfg.ParameterID)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	if g.EC() != cfg.Suite.EC {
		return nil, fmt.Errorf("%w: %v with %s", ErrUnsupported, cfg.Suite, g.Name())
	}
	hs := &handshake{t: t, cfg: &cfg, g: g}
	defer hs.zero()
	if hs.kpi, err = PasswordKey(cfg.Suite.Cipher, cfg.Password); err != nil {
		return nil, err
	}
	if err := hs.setAT(ctx); err != nil {
		return nil, err
	}
	if err := hs.decryptNonce(ctx); err != nil {
		return nil, err
	}
	if err := hs.mapNonce(ctx); err != nil {
		return nil, err
	}
	if err := hs.agreeKeys(ctx); err != nil {
		return nil, err
	}
	if err := hs.authenticate(ctx); err != nil {
		return nil, err
	}
	return sm.New(cfg.Suite.Cipher, hs.ksEnc, hs.ksMac, make([]byte, cfg.Suite.Cipher.BlockSize()))
}

func (hs *handshake) zero() {
	clear(hs.kpi)
	clear(hs.s)
	clear(hs.skEph)
	clear(hs.ksEnc)
	clear(hs.ksMac)
}

// SetATData returns the data of MSE:Set AT for PACE: 80 OID, 83 password
// reference, and 84 parameter ID when asked.
func SetATData(s Suite, pw PasswordType, paramID int, sendParam bool) []byte {
	oid, _ := asn1.Marshal(s.OID)
	d := append([]byte{0x80}, oid[1:]...) // tag 80 replaces 06
	d = append(d, 0x83, 1, byte(pw))
	if sendParam {
		d = append(d, 0x84, 1, byte(paramID))
	}
	return d
}

func (hs *handshake) setAT(ctx context.Context) error {
	c := apdu.Command{INS: 0x22, P1: 0xC1, P2: 0xA4,
		Data: SetATData(hs.cfg.Suite, hs.cfg.PasswordType, hs.cfg.ParameterID, hs.cfg.SendParameterID)}
	r, err := hs.t.Transmit(ctx, &c)
	if err != nil {
		return err
	}
	if !r.OK() {
		return &apdu.StatusError{Step: "MSE:Set AT", SW: r.SW}
	}
	return nil
}

// generalAuthenticate sends one step's data object and returns the
// response object with the expected tag.
func (hs *handshake) generalAuthenticate(ctx context.Context, step string, last bool, tag byte, value []byte, want byte) ([]byte, error) {
	var a AuthData
	if value != nil {
		a.Add(tag, value)
	}
	cla := byte(0x10)
	if last {
		cla = 0
	}
	r, err := hs.t.Transmit(ctx, &apdu.Command{CLA: cla, INS: 0x86, Data: a.Encode(), Ne: apdu.MaxShortLe})
	if err != nil {
		return nil, err
	}
	if !r.OK() {
		return nil, &apdu.StatusError{Step: "GENERAL AUTHENTICATE " + step, SW: r.SW}
	}
	resp, err := ParseAuthData(r.Data)
	if err != nil {
		return nil, err
	}
	v, ok := resp.Get(want)
	if !ok {
		return nil, fmt.Errorf("%w: %s: no data object %X", ErrMalformed, step, want)
	}
	return v, nil
}

// decryptNonce is step 1: the chip's encrypted nonce z, s = D(Kπ, z).
func (hs *handshake) decryptNonce(ctx context.Context) error {
	z, err := hs.generalAuthenticate(ctx, "nonce", false, 0, nil, 0x80)
	if err != nil {
		return err
	}
	if len(z) != hs.cfg.Suite.Cipher.BlockSize() {
		return fmt.Errorf("%w: encrypted nonce of %d bytes", ErrMalformed, len(z))
	}
	hs.s, err = sm.Decrypt(hs.cfg.Suite.Cipher, hs.kpi, z)
	return err
}

// mapNonce is step 2: the generic mapping (section 4.4.3.3.1),
// H = SKmap·PKmap,IC and Ĝ = s·G + H, or the integrated mapping (section
// 4.4.3.3.2), a random nonce t sent to the chip and Ĝ = f_G(R_p(s, t)).
func (hs *handshake) mapNonce(ctx context.Context) error {
	if hs.cfg.Suite.Mapping == IntegratedMapping {
		t := make([]byte, hs.cfg.Suite.Cipher.BlockSize())
		if _, err := io.ReadFull(hs.cfg.Rand, t); err != nil {
			return fmt.Errorf("pace: random: %w", err)
		}
		if _, err := hs.generalAuthenticate(ctx, "map nonce", false, 0x81, t, 0x82); err != nil {
			return err
		}
		var err error
		hs.gen, err = MapIntegrated(hs.g, hs.cfg.Suite.Cipher, hs.s, t)
		return err
	}
	sk, pk, err := kex.GenerateKey(hs.g, hs.g.Generator(), hs.cfg.Rand)
	if err != nil {
		return err
	}
	defer clear(sk)
	pkIC, err := hs.generalAuthenticate(ctx, "map nonce", false, 0x81, pk, 0x82)
	if err != nil {
		return err
	}
	hs.gen, err = MapGeneric(hs.g, hs.s, sk, pkIC)
	return err
}

// MapGeneric returns Ĝ = s·G + SK·PK (the generic mapping, ICAO 9303-11
// section 4.4.3.3.1), for either side: SK is the own mapping key, PK the
// other side's.
func MapGeneric(g kex.Group, s, sk, pk []byte) ([]byte, error) {
	h, err := g.Mult(sk, pk)
	if err != nil {
		return nil, fmt.Errorf("%w: mapping key: %v", ErrAuthentication, err)
	}
	// s is one cipher block (64 or 128 bits), below every group order.
	sg, err := g.Mult(s, g.Generator())
	if err != nil {
		return nil, fmt.Errorf("%w: nonce: %v", ErrAuthentication, err)
	}
	gen, err := g.Add(sg, h)
	if err != nil {
		return nil, fmt.Errorf("%w: mapped generator: %v", ErrAuthentication, err)
	}
	return gen, nil
}

// agreeKeys is step 3: ephemeral keys on Ĝ, K = SKeph·PKeph,IC, and the
// session keys.
func (hs *handshake) agreeKeys(ctx context.Context) error {
	var err error
	hs.skEph, hs.pkEph, err = kex.GenerateKey(hs.g, hs.gen, hs.cfg.Rand)
	if err != nil {
		return err
	}
	hs.pkIC, err = hs.generalAuthenticate(ctx, "key agreement", false, 0x83, hs.pkEph, 0x84)
	if err != nil {
		return err
	}
	if bytes.Equal(hs.pkIC, hs.pkEph) {
		return fmt.Errorf("%w: chip echoed the terminal's key", ErrAuthentication)
	}
	hs.ksEnc, hs.ksMac, err = sessionKeys(hs.g, hs.cfg.Suite.Cipher, hs.skEph, hs.pkIC)
	return err
}

// sessionKeys computes K and derives KSenc and KSmac (section 9.7.1).
func sessionKeys(g kex.Group, c sm.Cipher, sk, pk []byte) (enc, mac []byte, err error) {
	shared, err := g.Mult(sk, pk)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: key agreement: %v", ErrAuthentication, err)
	}
	k := g.SharedSecret(shared)
	defer clear(k)
	enc, _ = sm.DeriveKey(c, k, sm.CounterEnc)
	mac, err = sm.DeriveKey(c, k, sm.CounterMAC)
	return enc, mac, err
}

// authenticate is step 4: exchange and check the tokens.
func (hs *handshake) authenticate(ctx context.Context) error {
	tIFD, err := Token(hs.cfg.Suite, hs.g, hs.ksMac, hs.pkIC)
	if err != nil {
		return err
	}
	tIC, err := hs.generalAuthenticate(ctx, "mutual authentication", true, 0x85, tIFD, 0x86)
	if err != nil {
		return err
	}
	want, err := Token(hs.cfg.Suite, hs.g, hs.ksMac, hs.pkEph)
	if err != nil {
		return err
	}
	if subtle.ConstantTimeCompare(want, tIC) != 1 {
		return fmt.Errorf("%w: chip token", ErrAuthentication)
	}
	return nil
}

// Token is the authentication token of section 4.4.3.4: the MAC with
// KSmac of the other side's ephemeral public key as a public key data
// object 7F49 { 06 OID, 86 point } (84 for DH): CMAC cut to 8 bytes for
// AES, the retail MAC for 3DES.
func Token(s Suite, g kex.Group, ksMac, pk []byte) ([]byte, error) {
	oid, _ := asn1.Marshal(s.OID)
	inner := append([]byte(nil), oid...)
	tag := byte(0x84)
	if g.EC() {
		tag = 0x86
	}
	inner = append(inner, tag)
	inner = tlv.AppendLength(inner, len(pk))
	inner = append(inner, pk...)
	data := []byte{0x7F, 0x49}
	data = tlv.AppendLength(data, len(inner))
	data = append(data, inner...)
	if s.Cipher == sm.TDES {
		return sm.MAC(sm.TDES, ksMac, data)
	}
	return sm.CMAC(ksMac, data)
}
