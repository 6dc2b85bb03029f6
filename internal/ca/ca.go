// Package ca implements chip authentication version 1 (ICAO 9303-11
// section 6.2, BSI TR-03110-1 section 3.4.1): an ephemeral-static key
// agreement with the chip's key from DG14 that replaces the secure
// channel's keys. The genuine chip alone can compute the new keys, so
// the first protected response after the switch that verifies proves the
// chip holds the private key; a cloned chip fails there.
package ca

import (
	"context"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"

	"github.com/cancuoc/sdk/internal/apdu"
	"github.com/cancuoc/sdk/internal/kex"
	"github.com/cancuoc/sdk/internal/pace"
	"github.com/cancuoc/sdk/internal/sm"
	"github.com/cancuoc/sdk/internal/tlv"
)

// ErrUnsupported reports a chip-authentication OID this package does not
// implement.
var ErrUnsupported = errors.New("ca: unsupported protocol")

var idCA = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 3}

// Protocol is a chip-authentication protocol named by its OID
// id-CA-{DH,ECDH}-{3DES-CBC-CBC,AES-CBC-CMAC-*} (ICAO 9303-11 section 9.2.5).
type Protocol struct {
	OID    asn1.ObjectIdentifier
	EC     bool
	Cipher sm.Cipher
}

// ProtocolByOID decodes a ChipAuthenticationInfo protocol.
func ProtocolByOID(oid asn1.ObjectIdentifier) (Protocol, error) {
	if len(oid) != len(idCA)+2 || !oid[:len(idCA)].Equal(idCA) || (oid[9] != 1 && oid[9] != 2) {
		return Protocol{}, fmt.Errorf("%w: %v", ErrUnsupported, oid)
	}
	c, ok := sm.CipherByArc(oid[10])
	if !ok {
		return Protocol{}, fmt.Errorf("%w: %v", ErrUnsupported, oid)
	}
	return Protocol{OID: append(asn1.ObjectIdentifier(nil), oid...), EC: oid[9] == 2, Cipher: c}, nil
}

// NewProtocol returns the protocol for a key agreement and cipher.
func NewProtocol(ec bool, c sm.Cipher) Protocol {
	ka := 1
	if ec {
		ka = 2
	}
	return Protocol{OID: append(append(asn1.ObjectIdentifier(nil), idCA...), ka, c.Arc()), EC: ec, Cipher: c}
}

// String is the protocol's short name, such as "CA-ECDH-AES-128".
func (p Protocol) String() string {
	ka := "DH"
	if p.EC {
		ka = "ECDH"
	}
	return "CA-" + ka + "-" + p.Cipher.String()
}

// Config is one chip-authentication run.
type Config struct {
	Protocol Protocol
	// KeyID is the ChipAuthenticationInfo's keyId, nil when absent.
	KeyID *big.Int
	// Group is the chip key's group, ChipKey its public key (an
	// uncompressed point or a DH value at full length).
	Group   kex.Group
	ChipKey []byte
	// Rand supplies the terminal's ephemeral key.
	Rand io.Reader
}

func keyRef(id *big.Int) []byte {
	if id == nil {
		return nil
	}
	b := id.Bytes()
	if len(b) == 0 {
		b = []byte{0}
	}
	return append(append([]byte{0x84}, tlv.AppendLength(nil, len(b))...), b...)
}

// Run performs chip authentication through t, the current secure
// channel: MSE:Set KAT (3DES) or MSE:Set AT + GENERAL AUTHENTICATE (AES),
// as ICAO 9303-11 section 6.2.4 prescribes. It returns the new channel
// (SSC zero); the caller switches to it and treats the first protected
// response that fails to verify as chip authentication failing.
func Run(ctx context.Context, t apdu.Transmitter, cfg Config) (*sm.Channel, error) {
	if cfg.Group == nil || cfg.Group.EC() != cfg.Protocol.EC {
		return nil, fmt.Errorf("%w: key does not match %v", ErrUnsupported, cfg.Protocol)
	}
	if err := cfg.Group.Validate(cfg.ChipKey); err != nil {
		return nil, err
	}
	sk, pk, err := kex.GenerateKey(cfg.Group, cfg.Group.Generator(), cfg.Rand)
	if err != nil {
		return nil, err
	}
	defer clear(sk)
	if cfg.Protocol.Cipher == sm.TDES {
		data := append([]byte{0x91}, tlv.AppendLength(nil, len(pk))...)
		data = append(append(data, pk...), keyRef(cfg.KeyID)...)
		r, err := t.Transmit(ctx, &apdu.Command{INS: 0x22, P1: 0x41, P2: 0xA6, Data: data})
		if err != nil {
			return nil, err
		}
		if !r.OK() {
			return nil, &apdu.StatusError{Step: "MSE:Set KAT", SW: r.SW}
		}
	} else {
		oid, _ := asn1.Marshal(cfg.Protocol.OID)
		data := append(append([]byte{0x80}, oid[1:]...), keyRef(cfg.KeyID)...)
		r, err := t.Transmit(ctx, &apdu.Command{INS: 0x22, P1: 0x41, P2: 0xA4, Data: data})
		if err != nil {
			return nil, err
		}
		if !r.OK() {
			return nil, &apdu.StatusError{Step: "MSE:Set AT", SW: r.SW}
		}
		var ga pace.AuthData
		ga.Add(0x80, pk)
		r, err = t.Transmit(ctx, &apdu.Command{INS: 0x86, Data: ga.Encode(), Ne: apdu.MaxShortLe})
		if err != nil {
			return nil, err
		}
		if !r.OK() {
			return nil, &apdu.StatusError{Step: "GENERAL AUTHENTICATE", SW: r.SW}
		}
	}
	return Channel(cfg.Protocol, cfg.Group, sk, cfg.ChipKey)
}

// Channel derives the new secure channel from one side's private key and
// the other side's public key: K = the shared secret at full length,
// KSenc = KDF(K, 1), KSmac = KDF(K, 2), SSC = 0. The chip uses it with
// its static key and the terminal's ephemeral key.
func Channel(p Protocol, g kex.Group, sk, pk []byte) (*sm.Channel, error) {
	shared, err := g.Mult(sk, pk)
	if err != nil {
		return nil, err
	}
	k := g.SharedSecret(shared)
	defer clear(k)
	enc, _ := sm.DeriveKey(p.Cipher, k, sm.CounterEnc)
	mac, err := sm.DeriveKey(p.Cipher, k, sm.CounterMAC)
	if err != nil {
		return nil, err
	}
	defer clear(enc)
	defer clear(mac)
	return sm.New(p.Cipher, enc, mac, make([]byte, p.Cipher.BlockSize()))
}
