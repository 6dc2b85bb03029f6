package chip

import (
	"encoding/asn1"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/cancuoc/sdk/internal/tlv"
)

// FileCardAccess names EF.CardAccess in Files.
const FileCardAccess = "EF.CardAccess"

// CardAccess is EF.CardAccess (ICAO 9303-11 section 9.2.11): the
// SecurityInfos a reader needs before access control, PACEInfo above all.
// Unlike DG14 it has no application tag: the file is the SET itself.
type CardAccess struct {
	Infos []SecurityInfo
	Raw   []byte // the file as received
}

// ParseCardAccess decodes EF.CardAccess: SET OF SecurityInfo. Like
// ParseDG14 it keeps unknown SecurityInfos raw and undecodable known ones
// with Err set; only a malformed TLV structure is an error.
func ParseCardAccess(b []byte) (*CardAccess, error) {
	infos, err := parseSecurityInfos(FileCardAccess, b, tlv.String(b))
	if err != nil {
		return nil, err
	}
	return &CardAccess{Infos: infos, Raw: b}, nil
}

// PACEInfos returns the decodable PACEInfos in file order.
func (c *CardAccess) PACEInfos() []SecurityInfo {
	var out []SecurityInfo
	for _, si := range c.Infos {
		if si.Kind == KindPACE && si.Err == nil {
			out = append(out, si)
		}
	}
	return out
}

// Encode returns the file: the SET of c.Infos in order.
func (c *CardAccess) Encode() ([]byte, error) {
	var inner []byte
	for i := range c.Infos {
		b, err := c.Infos[i].encode()
		if err != nil {
			return nil, err
		}
		inner = append(inner, b...)
	}
	out := []byte{0x31}
	out = tlv.AppendLength(out, len(inner))
	return append(out, inner...), nil
}

// NewPACEInfo returns a PACEInfo (version 2) for a PACE protocol OID, such
// as id-PACE-ECDH-GM-AES-CBC-CMAC-128 (0.4.0.127.0.7.2.2.4.2.2), and a
// standardized domain parameter ID (13 for brainpoolP256r1), or -1 for none.
func NewPACEInfo(protocol []int, parameterID int) SecurityInfo {
	return SecurityInfo{Protocol: append([]int(nil), protocol...), Kind: KindPACE, Version: 2, ParameterID: parameterID}
}

// NewChipAuthenticationInfo returns a ChipAuthenticationInfo for a
// protocol such as id-CA-ECDH-AES-CBC-CMAC-128 (0.4.0.127.0.7.2.2.3.2.2),
// with version 1 and keyID (-1 for none).
func NewChipAuthenticationInfo(protocol []int, keyID int64) SecurityInfo {
	si := SecurityInfo{Protocol: append([]int(nil), protocol...), Kind: KindChipAuthentication, Version: 1, ParameterID: -1}
	if keyID >= 0 {
		si.KeyID = big.NewInt(keyID)
	}
	return si
}

// NewChipAuthenticationPublicKeyInfo returns a
// ChipAuthenticationPublicKeyInfo { id-PK-ECDH or id-PK-DH, spki, keyId }
// (ICAO 9303-11 section 9.2.6) for a DER SubjectPublicKeyInfo, with keyID
// -1 for none. ecdh selects the protocol OID.
func NewChipAuthenticationPublicKeyInfo(spki []byte, ecdh bool, keyID int64) (SecurityInfo, error) {
	proto := append(asn1.ObjectIdentifier(nil), oidPK...)
	if ecdh {
		proto = append(proto, 2)
	} else {
		proto = append(proto, 1)
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(proto)
		b.AddBytes(spki)
		if keyID >= 0 {
			b.AddASN1Int64(keyID)
		}
	})
	raw, err := b.Bytes()
	if err != nil {
		return SecurityInfo{}, &ParseError{File: "DG14", Field: "ChipAuthenticationPublicKeyInfo", Offset: -1, Err: ErrMalformed}
	}
	si := parseSecurityInfo("DG14", raw, raw)
	if si.Err != nil {
		return SecurityInfo{}, si.Err
	}
	return si, nil
}
