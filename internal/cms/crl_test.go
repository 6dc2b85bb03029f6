package cms

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Vectors: CRLs built here field by field (RFC 5280 §5.1) with a dummy
// signature, since ParseCRL does not verify it, and one made by
// crypto/x509.CreateRevocationList as an interoperability check.

var (
	ecdsaSHA256 = []byte{0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02}
	ecdsaSHA512 = []byte{0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04}
	rsaSHA256   = []byte{0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b}
	rsaSHA256N  = []byte{0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00}
	// Name C=VN.
	nameVN = []byte{0x30, 0x0d, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x06, 0x13, 0x02, 0x56, 0x4e}
)

// ext returns the DER of an Extension with the OID 2.5.29.<arc>
// (arc < 128) or, for arc 0, a private OID.
func ext(arc byte, critical bool, value []byte) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		if arc == 0 {
			b.AddASN1ObjectIdentifier(asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1})
		} else {
			b.AddASN1(cbasn1.OBJECT_IDENTIFIER, func(b *cryptobyte.Builder) { b.AddBytes([]byte{0x55, 0x1d, arc}) })
		}
		if critical {
			b.AddASN1Boolean(true)
		}
		b.AddASN1OctetString(value)
	})
	return b.BytesOrPanic()
}

// testCRL builds a CRL with the given inner and outer AlgorithmIdentifier
// DER, one revoked entry (serial 5) with entryExts when entry is set, and
// crlExtensions exts when not nil.
func testCRL(inner, outer []byte, entry bool, entryExts, exts [][]byte) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1Int64(1)
			b.AddBytes(inner)
			b.AddBytes(nameVN)
			b.AddASN1UTCTime(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
			b.AddASN1UTCTime(time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC))
			if entry {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1Int64(5)
						b.AddASN1UTCTime(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
						if entryExts != nil {
							b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
								for _, e := range entryExts {
									b.AddBytes(e)
								}
							})
						}
					})
				})
			}
			if exts != nil {
				b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						for _, e := range exts {
							b.AddBytes(e)
						}
					})
				})
			}
		})
		b.AddBytes(outer)
		b.AddASN1BitString([]byte{0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01})
	})
	return b.BytesOrPanic()
}

// crlRuleCases are ParseCRL's rules (see its doc); they also seed
// FuzzParseCRL.
func crlRuleCases() []struct {
	name string
	der  []byte
	ok   bool
} {
	cRLNumber := ext(20, false, []byte{0x02, 0x01, 0x07})
	aki := ext(35, false, []byte{0x30, 0x02, 0x80, 0x00})
	return []struct {
		name string
		der  []byte
		ok   bool
	}{
		{"no extensions", testCRL(ecdsaSHA256, ecdsaSHA256, false, nil, nil), true},
		{"entry without extensions", testCRL(ecdsaSHA256, ecdsaSHA256, true, nil, nil), true},
		{"RSA, inner without NULL, outer with NULL", testCRL(rsaSHA256, rsaSHA256N, false, nil, nil), true},
		{"inner ecdsa-with-SHA512, outer ecdsa-with-SHA256", testCRL(ecdsaSHA512, ecdsaSHA256, false, nil, nil), false},
		{"inner ecdsa-with-SHA256, outer RSA", testCRL(ecdsaSHA256, rsaSHA256, false, nil, nil), false},
		{"cRLNumber and authorityKeyIdentifier", testCRL(ecdsaSHA256, ecdsaSHA256, false, nil, [][]byte{cRLNumber, aki}), true},
		{"critical cRLNumber (known)", testCRL(ecdsaSHA256, ecdsaSHA256, false, nil, [][]byte{ext(20, true, []byte{0x02, 0x01, 0x07})}), true},
		{"unknown non-critical extension", testCRL(ecdsaSHA256, ecdsaSHA256, false, nil, [][]byte{ext(0, false, nil)}), true},
		{"unknown critical extension", testCRL(ecdsaSHA256, ecdsaSHA256, false, nil, [][]byte{ext(0, true, nil)}), false},
		{"deltaCRLIndicator", testCRL(ecdsaSHA256, ecdsaSHA256, false, nil, [][]byte{cRLNumber, ext(27, true, []byte{0x02, 0x01, 0x06})}), false},
		{"deltaCRLIndicator marked non-critical", testCRL(ecdsaSHA256, ecdsaSHA256, false, nil, [][]byte{ext(27, false, []byte{0x02, 0x01, 0x06})}), false},
		{"issuingDistributionPoint", testCRL(ecdsaSHA256, ecdsaSHA256, false, nil, [][]byte{ext(28, true, []byte{0x30, 0x03, 0x81, 0x01, 0xff})}), false},
		{"freshestCRL marked critical (unknown)", testCRL(ecdsaSHA256, ecdsaSHA256, false, nil, [][]byte{ext(46, true, []byte{0x30, 0x00})}), false},
		{"entry reasonCode and invalidityDate", testCRL(ecdsaSHA256, ecdsaSHA256, true, [][]byte{
			ext(21, false, []byte{0x0a, 0x01, 0x01}), ext(24, false, []byte{0x18, 0x0f, '2', '0', '2', '5', '0', '1', '0', '1', '0', '0', '0', '0', '0', '0', 'Z'})}, nil), true},
		{"entry unknown non-critical extension", testCRL(ecdsaSHA256, ecdsaSHA256, true, [][]byte{ext(0, false, nil)}, nil), true},
		{"entry certificateIssuer (critical)", testCRL(ecdsaSHA256, ecdsaSHA256, true, [][]byte{ext(29, true, []byte{0x30, 0x00})}, nil), false},
		{"entry unknown critical extension", testCRL(ecdsaSHA256, ecdsaSHA256, true, [][]byte{ext(0, true, nil)}, nil), false},
		{"empty input", nil, false},
	}
}

func TestParseCRLRules(t *testing.T) {
	for _, tc := range crlRuleCases() {
		c, err := ParseCRL(tc.der)
		t.Logf("%s: %v", tc.name, err)
		switch {
		case tc.ok && err != nil:
			t.Errorf("%s: %v, want accepted", tc.name, err)
		case !tc.ok && !errors.Is(err, ErrMalformed):
			t.Errorf("%s: %v, want ErrMalformed", tc.name, err)
		case !tc.ok && c != nil:
			t.Errorf("%s: a CRL with the error", tc.name)
		case tc.ok && (len(c.Revoked) > 1 || !SameAlgorithm(c.TBSSignatureAlgorithm, c.SignatureAlgorithm)):
			t.Errorf("%s: parsed %d entries, algorithms %v / %v", tc.name, len(c.Revoked), c.TBSSignatureAlgorithm, c.SignatureAlgorithm)
		}
	}
}

// A CRL crypto/x509 makes, with its usual extensions (authorityKeyIdentifier,
// cRLNumber) and an entry reasonCode, parses and its signature verifies.
func TestParseCRLFromX509(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{Country: []string{"VN"}, CommonName: "CSCA"},
		NotBefore: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2039, 1, 1, 0, 0, 0, 0, time.UTC),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, SubjectKeyId: []byte{1, 2, 3},
	}
	caDER, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateRevocationList(rand.Reader, &x509.RevocationList{
		Number: big.NewInt(7), ThisUpdate: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), NextUpdate: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
		RevokedCertificateEntries: []x509.RevocationListEntry{{SerialNumber: big.NewInt(5), RevocationTime: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), ReasonCode: 1}},
	}, ca, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := ParseCRL(der)
	if err != nil {
		t.Fatal(err)
	}
	issuer, err := ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckSignatureFrom(issuer); err != nil || !c.IsRevoked(big.NewInt(5)) || c.IsRevoked(big.NewInt(6)) {
		t.Fatalf("signature %v, revoked 5 %v, 6 %v", err, c.IsRevoked(big.NewInt(5)), c.IsRevoked(big.NewInt(6)))
	}
}

// FuzzParseCRL: no panic, an error never comes with a CRL, and a CRL
// returned obeys ParseCRL's algorithm rule. Seeds: crlRuleCases.
func FuzzParseCRL(f *testing.F) {
	for _, tc := range crlRuleCases() {
		f.Add(tc.der)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := ParseCRL(b)
		if err != nil {
			if c != nil {
				t.Fatal("error with a result")
			}
			return
		}
		if !SameAlgorithm(c.TBSSignatureAlgorithm, c.SignatureAlgorithm) {
			t.Fatal("inner and outer algorithms differ")
		}
		_ = c.IsRevoked(big.NewInt(1))
	})
}
