package chiptest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/asn1"
	"fmt"
	"io"
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

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
	caKeyType KeyType // for ECDH
	caDH      int     // RFC 5114 group for DH
}

// DHPrivateKey is a Diffie-Hellman chip-authentication key: the group (P,
// G, Q) and the private exponent X with Y = G^X mod P.
type DHPrivateKey struct {
	P, G, Q, X, Y *big.Int
}

// Equal reports whether x is the same key.
func (k *DHPrivateKey) Equal(x crypto.PrivateKey) bool {
	o, ok := x.(*DHPrivateKey)
	return ok && k.P.Cmp(o.P) == 0 && k.G.Cmp(o.G) == 0 && k.Q.Cmp(o.Q) == 0 && k.X.Cmp(o.X) == 0 && k.Y.Cmp(o.Y) == 0
}

// generateCAKey makes the chip-authentication key (from the seed when
// there is one).
func (p *accessProfile) generateCAKey(seed, label string) (crypto.PrivateKey, error) {
	if p.ca.EC {
		return GenerateKey(p.caKeyType, seed, label)
	}
	g, _ := kex.ByParameterID(p.caDH)
	var rnd io.Reader = rand.Reader
	if seed != "" {
		rnd = newSeedReader(seed, label)
	}
	x, y, err := kex.GenerateKey(g, g.Generator(), rnd)
	if err != nil {
		return nil, err
	}
	return dhKeyOf(g, x, y), nil
}

func ciphers() []sm.Cipher { return []sm.Cipher{sm.TDES, sm.AES128, sm.AES192, sm.AES256} }

// paramIDs are the standardized domain parameters kex implements.
func paramIDs() []int { return []int{13, 16, 17, 12, 15, 18, 0, 1, 2} }

func (o *Options) accessProfile() (accessProfile, error) {
	var p accessProfile
	if o.PACE != "none" {
		name := o.PACE
		if name == "" {
			name = "PACE-ECDH-GM-AES-128"
		}
		for _, ec := range []bool{true, false} {
			for _, c := range ciphers() {
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
		for _, id := range paramIDs() {
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
		for _, ec := range []bool{true, false} {
			for _, c := range ciphers() {
				if pr := ca.NewProtocol(ec, c); pr.String() == name {
					p.ca = &pr
				}
			}
		}
		if p.ca == nil {
			return p, fmt.Errorf("chiptest: unknown chip authentication %q", o.ChipAuthentication)
		}
		curve := o.CACurve
		if curve == "" {
			curve = map[bool]string{true: "brainpoolP256r1", false: "MODP-2048-256"}[p.ca.EC]
		}
		if kt, ok := map[string]KeyType{"brainpoolP256r1": BrainpoolP256r1, "brainpoolP384r1": BrainpoolP384r1,
			"brainpoolP512r1": BrainpoolP512r1, "P-256": ECDSAP256, "P-384": ECDSAP384, "P-521": ECDSAP521}[curve]; ok && p.ca.EC {
			p.caKeyType = kt
		} else if id, ok := map[string]int{"MODP-1024-160": 0, "MODP-2048-224": 1, "MODP-2048-256": 2}[curve]; ok && !p.ca.EC {
			p.caDH = id
		} else {
			return p, fmt.Errorf("chiptest: %s cannot use CA curve or group %q", name, o.CACurve)
		}
	}
	return p, nil
}

// dg14Infos are DG14's ChipAuthenticationInfo and
// ChipAuthenticationPublicKeyInfo (keyId 1).
func (p *accessProfile) dg14Infos(key crypto.PrivateKey) ([]chip.SecurityInfo, error) {
	var spki []byte
	var err error
	switch k := key.(type) {
	case *DHPrivateKey:
		spki, err = marshalDHSPKI(k)
	case crypto.Signer:
		spki, err = marshalSPKI(k.Public())
	default:
		err = fmt.Errorf("chiptest: chip-authentication key %T", key)
	}
	if err != nil {
		return nil, err
	}
	pk, err := chip.NewChipAuthenticationPublicKeyInfo(spki, p.ca.EC, 1)
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
func caScalar(k crypto.PrivateKey) ([]byte, kex.Group, error) {
	switch k := k.(type) {
	case *DHPrivateKey:
		g, err := kex.NewDH(k.P, k.G, k.Q)
		if err != nil {
			return nil, nil, err
		}
		return k.X.FillBytes(make([]byte, (k.Q.BitLen()+7)/8)), g, nil
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
	return nil, nil, fmt.Errorf("chiptest: chip-authentication key %T is not an EC or DH key", k)
}

// dhKeyOf builds a DHPrivateKey from a group and encoded x, y.
func dhKeyOf(g kex.Group, x, y []byte) *DHPrivateKey {
	p, _, _, _ := g.Curve()
	gen := new(big.Int).SetBytes(g.Generator())
	return &DHPrivateKey{P: p, G: gen, Q: g.Order(), X: new(big.Int).SetBytes(x), Y: new(big.Int).SetBytes(y)}
}

// marshalDHSPKI is SubjectPublicKeyInfo { dhpublicnumber, DomainParameters
// { p, g, q } } with subjectPublicKey INTEGER y (ANSI X9.42, RFC 3279
// section 2.3.3).
func marshalDHSPKI(k *DHPrivateKey) ([]byte, error) {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(asn1.ObjectIdentifier{1, 2, 840, 10046, 2, 1})
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1BigInt(k.P)
				b.AddASN1BigInt(k.G)
				b.AddASN1BigInt(k.Q)
			})
		})
		var y cryptobyte.Builder
		y.AddASN1BigInt(k.Y)
		yb, err := y.Bytes()
		if err != nil {
			b.SetError(err)
			return
		}
		b.AddASN1BitString(yb)
	})
	return b.Bytes()
}
