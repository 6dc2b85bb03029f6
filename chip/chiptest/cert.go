package chiptest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/asn1"
	"fmt"
	"math/big"
	"time"

	"github.com/cancuoc/sdk/internal/brainpool"
	"github.com/cancuoc/sdk/internal/cms"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// name is a distinguished name as ordered RDNs (one attribute each).
type name []struct {
	oid asn1.ObjectIdentifier
	v   string
}

func dn(country, org, cn string) name {
	return name{
		{asn1.ObjectIdentifier{2, 5, 4, 6}, country},
		{asn1.ObjectIdentifier{2, 5, 4, 10}, org},
		{asn1.ObjectIdentifier{2, 5, 4, 3}, cn},
	}
}

func (n name) marshal() []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		for _, a := range n {
			b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(a.oid)
					tag := cbasn1.UTF8String
					if a.oid.Equal(asn1.ObjectIdentifier{2, 5, 4, 6}) {
						tag = cbasn1.PrintableString
					}
					b.AddASN1(tag, func(b *cryptobyte.Builder) { b.AddBytes([]byte(a.v)) })
				})
			})
		}
	})
	return b.BytesOrPanic()
}

// marshalSPKI encodes a public key as SubjectPublicKeyInfo.
func marshalSPKI(pub crypto.PublicKey) ([]byte, error) {
	bp, ok := pub.(*brainpool.PublicKey)
	if !ok {
		return x509.MarshalPKIXPublicKey(pub)
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(cms.OIDECPublicKey)
			b.AddASN1ObjectIdentifier(bp.Curve.OID)
		})
		b.AddASN1BitString(bp.Bytes())
	})
	return b.Bytes()
}

// sigAlgFor returns the signature AlgorithmIdentifier for a key and hash.
func sigAlgFor(pub crypto.PublicKey, h crypto.Hash) (cms.AlgorithmIdentifier, error) {
	switch pub.(type) {
	case *ecdsa.PublicKey, *brainpool.PublicKey:
		oid := map[crypto.Hash]asn1.ObjectIdentifier{crypto.SHA1: cms.OIDECDSAWithSHA1, crypto.SHA224: cms.OIDECDSAWithSHA224,
			crypto.SHA256: cms.OIDECDSAWithSHA256, crypto.SHA384: cms.OIDECDSAWithSHA384, crypto.SHA512: cms.OIDECDSAWithSHA512}[h]
		if oid != nil {
			return cms.AlgorithmIdentifier{Algorithm: oid}, nil
		}
	case *rsa.PublicKey:
		oid := map[crypto.Hash]asn1.ObjectIdentifier{crypto.SHA1: cms.OIDSHA1WithRSA, crypto.SHA224: cms.OIDSHA224WithRSA,
			crypto.SHA256: cms.OIDSHA256WithRSA, crypto.SHA384: cms.OIDSHA384WithRSA, crypto.SHA512: cms.OIDSHA512WithRSA}[h]
		if oid != nil {
			return cms.AlgorithmIdentifier{Algorithm: oid, Parameters: []byte{5, 0}}, nil
		}
	}
	return cms.AlgorithmIdentifier{}, fmt.Errorf("chiptest: no signature algorithm for %T with %v", pub, h)
}

// signed wraps tbs into SEQUENCE { tbs, algorithm, BIT STRING signature }.
func signed(tbs []byte, alg cms.AlgorithmIdentifier, key crypto.Signer, h crypto.Hash) ([]byte, error) {
	d := h.New()
	d.Write(tbs)
	sig, err := key.Sign(rand.Reader, d.Sum(nil), h)
	if err != nil {
		return nil, err
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(tbs)
		b.AddBytes(alg.Marshal())
		b.AddASN1BitString(sig)
	})
	return b.Bytes()
}

// certTemplate is what createCertificate needs.
type certTemplate struct {
	serial    int64
	subject   name
	issuer    name
	notBefore time.Time
	notAfter  time.Time
	ca        bool
	pub       crypto.PublicKey
	issuerPub crypto.PublicKey // for the authority key identifier
}

// keyID is the RFC 5280 §4.2.1.2 method (1) key identifier.
func keyID(pub crypto.PublicKey) []byte {
	spki, err := marshalSPKI(pub)
	if err != nil {
		return nil
	}
	s := cryptobyte.String(spki)
	var seq cryptobyte.String
	var bits asn1.BitString
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.SkipASN1(cbasn1.SEQUENCE) || !seq.ReadASN1BitString(&bits) {
		return nil
	}
	h := sha1.Sum(bits.Bytes)
	return h[:]
}

// createCertificate builds an X.509 v3 certificate signed by key.
func createCertificate(t certTemplate, key crypto.Signer, h crypto.Hash) ([]byte, error) {
	alg, err := sigAlgFor(key.Public(), h)
	if err != nil {
		return nil, err
	}
	spki, err := marshalSPKI(t.pub)
	if err != nil {
		return nil, err
	}
	ext := func(b *cryptobyte.Builder, oid asn1.ObjectIdentifier, critical bool, v func(*cryptobyte.Builder)) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oid)
			if critical {
				b.AddASN1Boolean(true)
			}
			b.AddASN1(cbasn1.OCTET_STRING, v)
		})
	}
	var tb cryptobyte.Builder
	tb.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) { b.AddASN1Int64(2) })
		b.AddASN1BigInt(big.NewInt(t.serial))
		b.AddBytes(alg.Marshal())
		b.AddBytes(t.issuer.marshal())
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			addTime(b, t.notBefore)
			addTime(b, t.notAfter)
		})
		b.AddBytes(t.subject.marshal())
		b.AddBytes(spki)
		b.AddASN1(cbasn1.Tag(3).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				ext(b, cms.OIDExtSubjectKeyID, false, func(b *cryptobyte.Builder) { b.AddASN1OctetString(keyID(t.pub)) })
				ext(b, cms.OIDExtAuthorityKey, false, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1(cbasn1.Tag(0).ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(keyID(t.issuerPub)) })
					})
				})
				usage := x509.KeyUsageDigitalSignature
				if t.ca {
					usage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
				}
				ext(b, cms.OIDExtKeyUsage, true, func(b *cryptobyte.Builder) { addKeyUsage(b, usage) })
				if t.ca {
					ext(b, cms.OIDExtBasicConstr, true, func(b *cryptobyte.Builder) {
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							b.AddASN1Boolean(true)
							b.AddASN1Int64(0)
						})
					})
				}
			})
		})
	})
	tbs, err := tb.Bytes()
	if err != nil {
		return nil, err
	}
	return signed(tbs, alg, key, h)
}

// addKeyUsage encodes KeyUsage as a DER BIT STRING (bit 0 first, trailing
// zero bits removed).
func addKeyUsage(b *cryptobyte.Builder, u x509.KeyUsage) {
	var v uint16
	last := -1
	for i := 0; i < 9; i++ {
		if u&(1<<i) != 0 {
			v |= 1 << (15 - i)
			last = i
		}
	}
	nbytes := last/8 + 1
	unused := 7 - last%8
	out := []byte{byte(unused), byte(v >> 8), byte(v)}[:1+nbytes]
	b.AddASN1(cbasn1.BIT_STRING, func(b *cryptobyte.Builder) { b.AddBytes(out) })
}

// addTime adds a Time as RFC 5280 §4.1.2.5 asks: UTCTime through 2049,
// GeneralizedTime from 2050.
func addTime(b *cryptobyte.Builder, tm time.Time) {
	if tm.UTC().Year() < 2050 {
		b.AddASN1UTCTime(tm.UTC())
	} else {
		b.AddASN1GeneralizedTime(tm.UTC())
	}
}

// createCRL builds a v2 CRL listing serials, signed by the CSCA.
func createCRL(issuer name, key crypto.Signer, h crypto.Hash, thisUpdate, nextUpdate time.Time, serials []*big.Int) ([]byte, error) {
	alg, err := sigAlgFor(key.Public(), h)
	if err != nil {
		return nil, err
	}
	var tb cryptobyte.Builder
	tb.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(1)
		b.AddBytes(alg.Marshal())
		b.AddBytes(issuer.marshal())
		addTime(b, thisUpdate)
		if !nextUpdate.IsZero() {
			addTime(b, nextUpdate)
		}
		if len(serials) > 0 {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				for _, s := range serials {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1BigInt(s)
						addTime(b, thisUpdate)
					})
				}
			})
		}
	})
	tbs, err := tb.Bytes()
	if err != nil {
		return nil, err
	}
	return signed(tbs, alg, key, h)
}
