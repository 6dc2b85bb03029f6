package chiptest

import (
	"crypto"
	"crypto/ecdsa"
	"fmt"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/internal/brainpool"
	"github.com/cancuoc/sdk/internal/ca"
	"github.com/cancuoc/sdk/internal/kex"
	"github.com/cancuoc/sdk/internal/pace"
	"github.com/cancuoc/sdk/internal/sm"
)

// accessProfile is what Options say about PACE and chip authentication.
type accessProfile struct {
	pace      *pace.Suite
	paramID   int
	ca        *ca.Protocol
	caKeyType KeyType
}

var ciphers = []sm.Cipher{sm.TDES, sm.AES128, sm.AES192, sm.AES256}

// paramIDs are the standardized domain parameters kex implements.
var paramIDs = []int{13, 16, 17, 12, 15, 18, 0, 1, 2}

func (o *Options) accessProfile() (accessProfile, error) {
	var p accessProfile
	if o.PACE != "none" {
		name := o.PACE
		if name == "" {
			name = "PACE-ECDH-GM-AES-128"
		}
		for _, ec := range []bool{true, false} {
			for _, c := range ciphers {
				if s := pace.NewSuite(ec, c); s.String() == name {
					p.pace = &s
				}
			}
		}
		if im := pace.NewIMSuite(); im.String() == name {
			p.pace = &im
		}
		if p.pace == nil {
			return p, fmt.Errorf("chiptest: unknown PACE protocol %q", o.PACE)
		}
		group := o.PACEGroup
		if group == "" {
			group = "brainpoolP256r1"
		}
		p.paramID = -1
		for _, id := range paramIDs {
			if g, _ := kex.ByParameterID(id); g.Name() == group {
				p.paramID = id
				if g.EC() != p.pace.EC {
					return p, fmt.Errorf("chiptest: %s does not run on %s", name, group)
				}
			}
		}
		if p.paramID < 0 {
			return p, fmt.Errorf("chiptest: unknown PACE group %q", o.PACEGroup)
		}
	}
	if o.ChipAuthentication != "none" {
		name := o.ChipAuthentication
		if name == "" {
			name = "CA-ECDH-AES-128"
		}
		for _, c := range ciphers {
			if pr := ca.NewProtocol(true, c); pr.String() == name {
				p.ca = &pr
			}
		}
		if p.ca == nil {
			return p, fmt.Errorf("chiptest: unknown chip authentication %q", o.ChipAuthentication)
		}
		kt, ok := map[string]KeyType{"": BrainpoolP256r1, "brainpoolP256r1": BrainpoolP256r1,
			"brainpoolP384r1": BrainpoolP384r1, "brainpoolP512r1": BrainpoolP512r1,
			"P-256": ECDSAP256, "P-384": ECDSAP384, "P-521": ECDSAP521}[o.CACurve]
		if !ok {
			return p, fmt.Errorf("chiptest: unknown CA curve %q", o.CACurve)
		}
		p.caKeyType = kt
	}
	return p, nil
}

// dg14Infos are DG14's ChipAuthenticationInfo and
// ChipAuthenticationPublicKeyInfo (keyId 1).
func (p *accessProfile) dg14Infos(key crypto.Signer) ([]chip.SecurityInfo, error) {
	spki, err := marshalSPKI(key.Public())
	if err != nil {
		return nil, err
	}
	pk, err := chip.NewChipAuthenticationPublicKeyInfo(spki, true, 1)
	if err != nil {
		return nil, err
	}
	return []chip.SecurityInfo{chip.NewChipAuthenticationInfo(p.ca.OID, 1), pk}, nil
}

// cardAccess is EF.CardAccess: the PACEInfo and, as on the CCCD, the
// ChipAuthenticationInfo.
func (p *accessProfile) cardAccess() (*chip.CardAccess, bool) {
	if p.pace == nil {
		return nil, false
	}
	c := &chip.CardAccess{Infos: []chip.SecurityInfo{chip.NewPACEInfo(p.pace.OID, p.paramID)}}
	if p.ca != nil {
		c.Infos = append(c.Infos, chip.NewChipAuthenticationInfo(p.ca.OID, 1))
	}
	return c, true
}

// caScalar returns the private scalar of an EC key at the order's length,
// with its group.
func caScalar(k crypto.Signer) ([]byte, kex.Group, error) {
	switch k := k.(type) {
	case *brainpool.PrivateKey:
		g, err := kex.ByCurveName(k.Curve.Name)
		if err != nil {
			return nil, nil, err
		}
		return k.D.FillBytes(make([]byte, (k.Curve.N.BitLen()+7)/8)), g, nil
	case *ecdsa.PrivateKey:
		g, err := kex.ByCurveName(k.Curve.Params().Name)
		if err != nil {
			return nil, nil, err
		}
		b, err := k.Bytes()
		return b, g, err
	}
	return nil, nil, fmt.Errorf("chiptest: chip-authentication key %T is not an EC key", k)
}
