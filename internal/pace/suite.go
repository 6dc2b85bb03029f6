// Package pace implements Password Authenticated Connection Establishment
// (ICAO 9303-11 section 4.4, BSI TR-03110-2 section 3.2): the generic
// mapping over ECDH and DH with 3DES and AES-128/192/256, and the
// integrated mapping over ECDH with AES-128; the terminal's handshake
// (Run) and the chip's side (Chip) that the software card of
// chip/chiptest uses. The result is a secure channel (internal/sm) with
// SSC zero.
//
// Not implemented, rejected by SuiteByOID with ErrUnsupported: the
// integrated mapping over DH and with ciphers other than AES-128 (their
// pseudo-random-function constants), and chip authentication mapping.
package pace

import (
	"encoding/asn1"
	"errors"
	"fmt"

	"github.com/cancuoc/sdk/internal/sm"
)

// Errors of the protocol.
var (
	// ErrUnsupported reports a PACE OID or domain parameters this package
	// does not implement.
	ErrUnsupported = errors.New("pace: unsupported protocol")
	// ErrAuthentication reports a token that does not verify, or keys
	// that fail the protocol's checks.
	ErrAuthentication = errors.New("pace: authentication failed")
	// ErrMalformed reports dynamic authentication data that does not parse.
	ErrMalformed = errors.New("pace: malformed authentication data")
)

// Mapping is the PACE mapping of the nonce to an ephemeral generator.
type Mapping int

// Mappings of ICAO 9303-11 section 4.4.3.3.
const (
	GenericMapping    Mapping = iota + 1 // GM
	IntegratedMapping                    // IM
)

// Suite is a PACE protocol: key agreement, mapping and cipher, named by
// its OID (ICAO 9303-11 section 9.2.3).
type Suite struct {
	OID     asn1.ObjectIdentifier
	EC      bool
	Mapping Mapping
	Cipher  sm.Cipher
}

var idPACE = asn1.ObjectIdentifier{0, 4, 0, 127, 0, 7, 2, 2, 4}

// SuiteByOID decodes id-PACE-{DH,ECDH}-GM-{3DES-CBC-CBC,AES-CBC-CMAC-*}.
func SuiteByOID(oid asn1.ObjectIdentifier) (Suite, error) {
	if len(oid) != len(idPACE)+2 || !oid[:len(idPACE)].Equal(idPACE) {
		return Suite{}, fmt.Errorf("%w: %v is not a PACE protocol", ErrUnsupported, oid)
	}
	s := Suite{OID: append(asn1.ObjectIdentifier(nil), oid...)}
	switch oid[9] {
	case 1:
		s.Mapping = GenericMapping
	case 2:
		s.EC, s.Mapping = true, GenericMapping
	case 4:
		s.EC, s.Mapping = true, IntegratedMapping
	default:
		return Suite{}, fmt.Errorf("%w: %v (generic mapping, or integrated mapping over ECDH)", ErrUnsupported, oid)
	}
	c, ok := sm.CipherByArc(oid[10])
	if !ok {
		return Suite{}, fmt.Errorf("%w: %v", ErrUnsupported, oid)
	}
	s.Cipher = c
	if s.Mapping == IntegratedMapping && s.Cipher != sm.AES128 {
		return Suite{}, fmt.Errorf("%w: %v (integrated mapping with AES-128 only)", ErrUnsupported, oid)
	}
	return s, nil
}

// NewIMSuite returns PACE-ECDH-IM-AES-128 (0.4.0.127.0.7.2.2.4.4.2).
func NewIMSuite() Suite {
	oid := append(append(asn1.ObjectIdentifier(nil), idPACE...), 4, 2)
	return Suite{OID: oid, EC: true, Mapping: IntegratedMapping, Cipher: sm.AES128}
}

// NewSuite returns the suite with the given key agreement and cipher and
// the generic mapping.
func NewSuite(ec bool, c sm.Cipher) Suite {
	ka := 1
	if ec {
		ka = 2
	}
	oid := append(append(asn1.ObjectIdentifier(nil), idPACE...), ka, c.Arc())
	return Suite{OID: oid, EC: ec, Mapping: GenericMapping, Cipher: c}
}

// String is the protocol's short name, such as "PACE-ECDH-GM-AES-128".
func (s Suite) String() string {
	ka := "DH"
	if s.EC {
		ka = "ECDH"
	}
	m := "GM"
	if s.Mapping == IntegratedMapping {
		m = "IM"
	}
	return "PACE-" + ka + "-" + m + "-" + s.Cipher.String()
}

// PasswordType is the reference of the password in MSE:Set AT (tag 83).
type PasswordType byte

// Password types of ICAO 9303-11 section 9.2.3 / table 13.
const (
	PasswordMRZ PasswordType = 1
	PasswordCAN PasswordType = 2
)
