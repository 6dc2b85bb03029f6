package chip_test

import (
	"crypto"
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

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// The CRL rules left open after issue 13 (follow-up of sec2): the inner
// and outer signature algorithms of a CRL must be equal (RFC 5280
// §5.1.1.2), the algorithm policy covers CRL signatures, the CRL issuer
// must allow cRLSign when it has a keyUsage (RFC 5280 §6.3.3 (f)), and a
// delta, scoped or otherwise not understood CRL is refused (RFC 5280 §5.2,
// §5.3; ICAO 9303-12 CRL profile). Vectors: CRLs built here byte by byte
// (crlSpec) and signed by the test's CSCA keys; each case failed on the
// code before these rules.

// Signature algorithm OIDs (RFC 5758 §3.2, RFC 3279 §2.2.3).
var (
	oidECDSASHA1   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 1}
	oidECDSASHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSASHA512 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
)

// crlSpec describes a CRL for buildCRL: signed by key with hash, inner
// tbsCertList.signature = inner (outer when nil), each revoked entry
// carrying entryExts and the CRL carrying exts (DER Extensions).
type crlSpec struct {
	issuer     []byte // raw subject DER of the CRL issuer
	key        crypto.Signer
	hash       crypto.Hash
	outer      asn1.ObjectIdentifier
	inner      asn1.ObjectIdentifier
	revoked    []*big.Int
	entryExts  [][]byte
	exts       [][]byte
	this, next time.Time
}

// extension returns the DER of one Extension (RFC 5280 §4.1).
func extension(oid asn1.ObjectIdentifier, critical bool, value []byte) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oid)
		if critical {
			b.AddASN1Boolean(true)
		}
		b.AddASN1OctetString(value)
	})
	return b.BytesOrPanic()
}

func buildCRL(t *testing.T, s crlSpec) []byte {
	t.Helper()
	alg := func(oid asn1.ObjectIdentifier) func(*cryptobyte.Builder) {
		return func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oid) }
	}
	inner := s.inner
	if inner == nil {
		inner = s.outer
	}
	var tb cryptobyte.Builder
	tb.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(1)
		b.AddASN1(cbasn1.SEQUENCE, alg(inner))
		b.AddBytes(s.issuer)
		b.AddASN1UTCTime(s.this)
		b.AddASN1UTCTime(s.next)
		if len(s.revoked) > 0 {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				for _, n := range s.revoked {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1BigInt(n)
						b.AddASN1UTCTime(s.this)
						if len(s.entryExts) > 0 {
							b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
								for _, e := range s.entryExts {
									b.AddBytes(e)
								}
							})
						}
					})
				}
			})
		}
		if len(s.exts) > 0 {
			b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					for _, e := range s.exts {
						b.AddBytes(e)
					}
				})
			})
		}
	})
	tbs := tb.BytesOrPanic()
	d := s.hash.New()
	d.Write(tbs)
	sig, err := s.key.Sign(rand.Reader, d.Sum(nil), s.hash)
	if err != nil {
		t.Fatal(err)
	}
	var out cryptobyte.Builder
	out.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(tbs)
		b.AddASN1(cbasn1.SEQUENCE, alg(s.outer))
		b.AddASN1BitString(sig)
	})
	return out.BytesOrPanic()
}

// crlCase runs one CRL through TrustStore.AddCRL and VerifyOptions.CRLs
// and checks the verdict of Verify (err nil: valid).
type crlCase struct {
	name   string
	crl    []byte
	policy chip.AlgorithmPolicy
	err    error
	status string // ChainStatus when the CRL was accepted
	alg    string // Report.Algorithms.CRL when valid
}

func runCRLCases(t *testing.T, ts func() *chip.TrustStore, files chip.Files, cases []crlCase) {
	t.Helper()
	for _, tc := range cases {
		store := ts()
		addErr := store.AddCRL(tc.crl)
		if addErr != nil {
			// A refused CRL must be refused by both ways in.
			if !errors.Is(addErr, tc.err) {
				t.Errorf("%s: AddCRL: %v, want %v", tc.name, addErr, tc.err)
			}
		}
		for _, w := range []struct {
			how  string
			opts chip.VerifyOptions
		}{
			{"options", chip.VerifyOptions{Trust: ts(), Now: at, CRLs: [][]byte{tc.crl}, Policy: tc.policy}},
			{"store", chip.VerifyOptions{Trust: store, Now: at, Policy: tc.policy}},
		} {
			if w.how == "store" && addErr != nil {
				t.Logf("%s (store): AddCRL: %v", tc.name, addErr)
				continue
			}
			r, err := chip.Verify(files, w.opts)
			t.Logf("%s (%s): valid=%v chain=%s reason=%q crl=%q err=%v", tc.name, w.how, r.Valid, r.ChainStatus, r.Reason, r.Algorithms.CRL, err)
			if (tc.err == nil) != (err == nil) || !errors.Is(err, tc.err) || r.Reason != chip.ReasonCode(tc.err) {
				t.Errorf("%s (%s): err %v reason %q, want %v", tc.name, w.how, err, r.Reason, tc.err)
			}
			if tc.status != "" && r.ChainStatus != tc.status {
				t.Errorf("%s (%s): chain %s, want %s", tc.name, w.how, r.ChainStatus, tc.status)
			}
			if tc.alg != "" && r.Algorithms.CRL != tc.alg {
				t.Errorf("%s (%s): Algorithms.CRL %q, want %q", tc.name, w.how, r.Algorithms.CRL, tc.alg)
			}
		}
	}
}

// Items 1, 2 and 4: algorithm identifiers, policy and extensions of a CRL
// signed by the genuine CSCA.
func TestCRLRules(t *testing.T) {
	is, cscaKey, ca := secIssuer(t, "crl-rules")
	files := sign(t, is, syntheticFiles(14))
	day := 24 * time.Hour
	spec := func(f func(*crlSpec)) []byte {
		s := crlSpec{issuer: ca.RawSubject, key: cscaKey, hash: crypto.SHA256, outer: oidECDSASHA256,
			this: at.Add(-30 * day), next: at.Add(60 * day)}
		f(&s)
		return buildCRL(t, s)
	}
	other := big.NewInt(424242) // a serial that is not the DS's
	dsSerial := is.DS.SerialNumber
	var (
		cRLNumber = extension(asn1.ObjectIdentifier{2, 5, 29, 20}, false, []byte{0x02, 0x01, 0x07})
		delta     = extension(asn1.ObjectIdentifier{2, 5, 29, 27}, true, []byte{0x02, 0x01, 0x06})
		idp       = extension(asn1.ObjectIdentifier{2, 5, 29, 28}, true, []byte{0x30, 0x03, 0x81, 0x01, 0xff}) // onlyContainsUserCerts
		unknownC  = extension(asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, true, []byte{0x05, 0x00})
		unknownN  = extension(asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 99999, 1}, false, []byte{0x05, 0x00})
		reason    = extension(asn1.ObjectIdentifier{2, 5, 29, 21}, false, []byte{0x0a, 0x01, 0x01}) // keyCompromise
		certIss   = extension(asn1.ObjectIdentifier{2, 5, 29, 29}, true, []byte{0x30, 0x00})        // indirect CRL entry
	)
	runCRLCases(t, is.TrustStore, files, []crlCase{
		{name: "control: SHA-256 CRL, DS not listed", crl: spec(func(*crlSpec) {}), status: chip.ChainOK, alg: "ecdsa-with-SHA256"},
		{name: "control: SHA-256 CRL revoking the DS", crl: spec(func(s *crlSpec) { s.revoked = []*big.Int{dsSerial} }), status: chip.ChainRevoked, err: chip.ErrRevoked},
		// Item 1.
		{name: "inner ecdsa-with-SHA512, outer ecdsa-with-SHA256", crl: spec(func(s *crlSpec) { s.inner = oidECDSASHA512 }), err: chip.ErrMalformed},
		// Item 2.
		{name: "SHA-1 CRL, default policy", crl: spec(func(s *crlSpec) { s.hash, s.outer = crypto.SHA1, oidECDSASHA1 }), status: chip.ChainOK, err: chip.ErrWeakAlgorithm},
		{name: "SHA-1 CRL, legacy policy", crl: spec(func(s *crlSpec) { s.hash, s.outer = crypto.SHA1, oidECDSASHA1 }), policy: chip.LegacyAlgorithms(), status: chip.ChainOK, alg: "ecdsa-with-SHA1"},
		// Item 4.
		{name: "control: non-critical cRLNumber and unknown extension, entry reasonCode", crl: spec(func(s *crlSpec) {
			s.exts, s.revoked, s.entryExts = [][]byte{cRLNumber, unknownN}, []*big.Int{other}, [][]byte{reason}
		}), status: chip.ChainOK, alg: "ecdsa-with-SHA256"},
		{name: "delta CRL (deltaCRLIndicator)", crl: spec(func(s *crlSpec) { s.exts = [][]byte{cRLNumber, delta} }), err: chip.ErrMalformed},
		{name: "scoped CRL (issuingDistributionPoint)", crl: spec(func(s *crlSpec) { s.exts = [][]byte{cRLNumber, idp} }), err: chip.ErrMalformed},
		{name: "unknown critical CRL extension", crl: spec(func(s *crlSpec) { s.exts = [][]byte{unknownC} }), err: chip.ErrMalformed},
		{name: "unknown critical entry extension (certificateIssuer)", crl: spec(func(s *crlSpec) {
			s.revoked, s.entryExts = []*big.Int{other}, [][]byte{certIss}
		}), err: chip.ErrMalformed},
	})
}

// Item 3: the CRL issuer's certificate must allow cRLSign when it has a
// keyUsage extension (RFC 5280 §6.3.3 (f), §4.2.1.3). A CSCA without
// keyUsage is not restricted (the relaxation TrustStore.Chain already
// applies to keyCertSign).
func TestCRLIssuerNeedsCRLSign(t *testing.T) {
	key, err := chiptest.GenerateKey(chiptest.ECDSAP256, "crl-sign", "csca")
	if err != nil {
		t.Fatal(err)
	}
	dsKey, err := chiptest.GenerateKey(chiptest.ECDSAP256, "crl-sign", "ds")
	if err != nil {
		t.Fatal(err)
	}
	day := 24 * time.Hour
	for _, ku := range []struct {
		name  string
		usage x509.KeyUsage
		err   error // of a current CRL not listing the DS
	}{
		{"keyCertSign and cRLSign", x509.KeyUsageCertSign | x509.KeyUsageCRLSign, nil},
		{"no keyUsage", 0, nil},
		{"keyCertSign only", x509.KeyUsageCertSign, chip.ErrUntrustedSigner},
	} {
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(1), Subject: pkix.Name{Country: []string{"VN"}, CommonName: "CSCA crl-sign"},
			NotBefore: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2039, 1, 1, 0, 0, 0, 0, time.UTC),
			IsCA: true, BasicConstraintsValid: true, KeyUsage: ku.usage,
		}
		caDER, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
		if err != nil {
			t.Fatal(err)
		}
		ca, err := x509.ParseCertificate(caDER)
		if err != nil {
			t.Fatal(err)
		}
		dsDER := issue(t, "DS crl-sign", false, dsKey.Public(), ca, key)
		ds := parseCert(t, dsDER)
		files := sodUnder(t, dsDER, dsKey)
		ts := func() *chip.TrustStore { return chip.NewTrustStore(parseCert(t, caDER)) }
		crl := func(revoked ...*big.Int) []byte {
			return buildCRL(t, crlSpec{issuer: ca.RawSubject, key: key, hash: crypto.SHA256, outer: oidECDSASHA256,
				this: at.Add(-30 * day), next: at.Add(60 * day), revoked: revoked})
		}
		revokedErr, revokedStatus := chip.ErrRevoked, chip.ChainRevoked
		status := chip.ChainOK
		if ku.err != nil {
			revokedErr, revokedStatus, status = ku.err, chip.ChainUntrusted, chip.ChainUntrusted
		}
		runCRLCases(t, ts, files, []crlCase{
			{name: ku.name + ": CRL not listing the DS", crl: crl(), err: ku.err, status: status},
			{name: ku.name + ": CRL revoking the DS", crl: crl(ds.SerialNumber), err: revokedErr, status: revokedStatus},
		})
	}
}

// Item 2 for the key: the policy covers the key of every CRL issuer that
// counts, including the root whose CRL covers a link CSCA, which no other
// check sees. Vector: root on P-224 (LegacyAlgorithms' curve), link CSCA
// and Document Signer on P-256, the root's CRL current and not listing the
// link.
func TestCRLIssuerKeyPolicy(t *testing.T) {
	rootKey, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rootDER := issue(t, "CSCA root P-224", true, rootKey.Public(), nil, rootKey)
	root, err := x509.ParseCertificate(rootDER)
	if err != nil {
		t.Fatal(err)
	}
	linkKey, err := chiptest.GenerateKey(chiptest.ECDSAP256, "crl-key", "link")
	if err != nil {
		t.Fatal(err)
	}
	linkDER := issue(t, "CSCA link", true, linkKey.Public(), root, rootKey)
	link, err := x509.ParseCertificate(linkDER)
	if err != nil {
		t.Fatal(err)
	}
	dsKey, err := chiptest.GenerateKey(chiptest.ECDSAP256, "crl-key", "ds")
	if err != nil {
		t.Fatal(err)
	}
	dsDER := issue(t, "DS under link", false, dsKey.Public(), link, linkKey)
	files := sodUnder(t, dsDER, dsKey)
	day := 24 * time.Hour
	crl := buildCRL(t, crlSpec{issuer: root.RawSubject, key: rootKey, hash: crypto.SHA256, outer: oidECDSASHA256,
		this: at.Add(-30 * day), next: at.Add(60 * day)})
	ts := func() *chip.TrustStore { return chip.NewTrustStore(parseCert(t, rootDER), parseCert(t, linkDER)) }
	curves := chip.AlgorithmPolicy{Curves: append(chip.DefaultCurves(), "P-224")}
	runCRLCases(t, ts, files, []crlCase{
		{name: "root's CRL, root on P-224, default policy", crl: crl, status: chip.ChainOK, err: chip.ErrWeakAlgorithm},
		{name: "root's CRL, root on P-224, P-224 allowed", crl: crl, policy: curves, status: chip.ChainOK, alg: "ecdsa-with-SHA256"},
	})
	r, err := chip.Verify(files, chip.VerifyOptions{Trust: ts(), Now: at, CRLs: [][]byte{crl}})
	var pe *chip.PolicyError
	if !errors.As(err, &pe) || pe.What != "CRL issuer key" || r.Algorithms.IssuerKey != "ECDSA-P-256" {
		t.Errorf("err %v, issuer key %s; want the CRL issuer key refused, the CSCA key ECDSA-P-256", err, r.Algorithms.IssuerKey)
	}
}
