package reader

import (
	"context"
	"errors"
	"io"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/internal/apdu"
	"github.com/cancuoc/sdk/internal/ca"
	"github.com/cancuoc/sdk/internal/kex"
)

// ChipAuthentication runs chip authentication with the key of DG14
// (ICAO 9303-11 section 6.2) and switches secure messaging to the new
// keys. It proves nothing by itself: the first protected response after
// it does. If that response fails to verify, the call that received it
// returns an error wrapping ErrChipAuthentication (and
// ErrSecureMessaging); the session is then over. DG14 must have passed
// passive authentication for the result to mean anything.
func (s *Session) ChipAuthentication(ctx context.Context, dg14 []byte) error {
	const step = "chip authentication"
	if s.ch == nil {
		return &Error{Step: step, Err: ErrNotSupported, Detail: "needs secure messaging first"}
	}
	d, err := chip.ParseDG14(dg14)
	if err != nil {
		return &Error{Step: step, Err: ErrMalformed, Detail: "DG14 does not parse"}
	}
	cfg, ok := caConfig(d)
	if !ok {
		return &Error{Step: step, Err: ErrNotSupported, Detail: "DG14 has no usable ChipAuthenticationInfo and key"}
	}
	cfg.Rand = s.rand
	ch, err := ca.Run(ctx, transmitter{s}, cfg)
	if err != nil {
		if se, ok := err.(*apdu.StatusError); ok {
			if notSupported(se.SW) {
				return &Error{Step: step + ": " + se.Step, SW: se.SW, Err: ErrNotSupported}
			}
			return &Error{Step: step + ": " + se.Step, SW: se.SW, Err: ErrChipAuthentication}
		}
		var re *Error
		if errors.As(err, &re) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return err
		}
		return &Error{Step: step, Err: ErrChipAuthentication, Detail: err.Error()}
	}
	s.ch.Close()
	s.ch, s.caNew = ch, true
	return nil
}

// caConfig picks the first ChipAuthenticationInfo this package
// implements and the ECDH key with the same keyId.
func caConfig(d *chip.DG14) (ca.Config, bool) {
	for _, info := range d.Infos {
		if info.Kind != chip.KindChipAuthentication || info.Err != nil {
			continue
		}
		p, err := ca.ProtocolByOID(info.Protocol)
		if err != nil {
			continue
		}
		for _, k := range d.Infos {
			if k.Kind != chip.KindChipAuthenticationPublicKey || k.Err != nil || k.PublicKey == nil {
				continue
			}
			if info.KeyID != nil && (k.KeyID == nil || k.KeyID.Cmp(info.KeyID) != 0) {
				continue
			}
			g, key, ok := chipKey(k.PublicKey)
			if !ok || g.EC() != p.EC || g.Validate(key) != nil {
				continue
			}
			return ca.Config{Protocol: p, KeyID: info.KeyID, Group: g, ChipKey: key}, true
		}
	}
	return ca.Config{}, false
}

// chipKey returns the group and encoded public key of a DG14 key: an EC
// point on a named curve, or a DH value at the prime's length.
func chipKey(k *chip.PublicKeyInfo) (kex.Group, []byte, bool) {
	if k.DH != nil {
		g, err := kex.NewDH(k.DH.P, k.DH.G, k.DH.Q)
		if err != nil || k.DH.Y.BitLen() > k.DH.P.BitLen() {
			return nil, nil, false
		}
		return g, k.DH.Y.FillBytes(make([]byte, (k.DH.P.BitLen()+7)/8)), true
	}
	g, err := kex.ByCurveName(k.Curve)
	if err != nil {
		return nil, nil, false
	}
	return g, k.Key, true
}

// InternalAuthenticate sends INTERNAL AUTHENTICATE with challenge (ICAO
// 9303-11 section 6.1) and returns the chip's signature, to be checked
// with chip.VerifyActiveAuthentication.
func (s *Session) InternalAuthenticate(ctx context.Context, challenge []byte) ([]byte, error) {
	ne := apdu.MaxShortLe
	if s.extended {
		ne = apdu.MaxExtendedLe - 64 // room for secure messaging around a 4096-bit signature
	}
	r, err := s.send(ctx, &apdu.Command{INS: 0x88, Data: challenge, Ne: ne})
	if err != nil {
		return nil, err
	}
	if ne == apdu.MaxShortLe && apdu.IsWrongLe(r.SW) {
		// A 2048-bit RSA signature does not fit a short protected
		// response: ask again with extended length.
		if r, err = s.send(ctx, &apdu.Command{INS: 0x88, Data: challenge, Ne: apdu.MaxExtendedLe - 64}); err != nil {
			return nil, err
		}
	}
	if !r.OK() {
		return nil, statusError("active authentication", r.SW)
	}
	return r.Data, nil
}

// newChallenge draws a fresh 8-byte challenge.
func (s *Session) newChallenge() ([]byte, error) {
	c := make([]byte, chip.ChallengeSize)
	if _, err := io.ReadFull(s.rand, c); err != nil {
		return nil, &Error{Step: "active authentication", Err: ErrNotSupported, Detail: "random source failed"}
	}
	return c, nil
}
