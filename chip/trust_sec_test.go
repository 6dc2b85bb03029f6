package chip_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
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

// Exploit tests of issue 13 (trust holes found by an attack probe). Each
// failed on the code before the fix; the notes quote the before/after.

// secIssuer is a chiptest issuer whose CSCA key the test holds, so it can
// issue further certificates with crypto/x509.
func secIssuer(t *testing.T, seed string) (*chiptest.Issuer, crypto.Signer, *x509.Certificate) {
	t.Helper()
	key, err := chiptest.GenerateKey(chiptest.ECDSAP256, seed, "csca")
	if err != nil {
		t.Fatal(err)
	}
	is := newIssuer(t, chiptest.Options{Seed: seed, CSCAKey: key})
	ca, err := x509.ParseCertificate(is.CSCADER())
	if err != nil {
		t.Fatal(err)
	}
	return is, key, ca
}

// issue makes a certificate for pub under parent with crypto/x509: a
// Document Signer (digitalSignature) unless ca is set.
func issue(t *testing.T, cn string, ca bool, pub crypto.PublicKey, parent *x509.Certificate, parentKey crypto.Signer) []byte {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{Country: []string{"VN"}, CommonName: cn},
		NotBefore:    time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2039, 1, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	if ca {
		tmpl.IsCA, tmpl.BasicConstraintsValid, tmpl.KeyUsage = true, true, x509.KeyUsageCertSign|x509.KeyUsageCRLSign
	}
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// withInnerAlgorithm rewrites tbsCertificate.signature of der to inner and
// signs the new TBS with key and h, keeping the outer signatureAlgorithm.
func withInnerAlgorithm(t *testing.T, der []byte, inner asn1.ObjectIdentifier, key crypto.Signer, h crypto.Hash) []byte {
	t.Helper()
	s := cryptobyte.String(der)
	var cert, tbs, outer cryptobyte.String
	var sigBits asn1.BitString
	if !s.ReadASN1(&cert, cbasn1.SEQUENCE) || !cert.ReadASN1(&tbs, cbasn1.SEQUENCE) ||
		!cert.ReadASN1Element(&outer, cbasn1.SEQUENCE) || !cert.ReadASN1BitString(&sigBits) {
		t.Fatal("certificate structure")
	}
	var version, serial cryptobyte.String
	if !tbs.ReadASN1Element(&version, cbasn1.Tag(0).Constructed().ContextSpecific()) ||
		!tbs.ReadASN1Element(&serial, cbasn1.INTEGER) || !tbs.SkipASN1(cbasn1.SEQUENCE) {
		t.Fatal("tbsCertificate structure")
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(version)
		b.AddBytes(serial)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(inner) })
		b.AddBytes(tbs)
	})
	newTBS := b.BytesOrPanic()
	d := h.New()
	d.Write(newTBS)
	sig, err := key.Sign(rand.Reader, d.Sum(nil), h)
	if err != nil {
		t.Fatal(err)
	}
	var out cryptobyte.Builder
	out.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(newTBS)
		b.AddBytes(outer)
		b.AddASN1BitString(sig)
	})
	return out.BytesOrPanic()
}

// Issue 13 item 4: a DS certificate whose tbsCertificate says
// ecdsa-with-SHA512 while the outer signatureAlgorithm says
// ecdsa-with-SHA256 (and the signature is over SHA-256) chained "ok".
// RFC 5280 §4.1.1.2 requires the two to be equal; crypto/x509 refuses it.
func TestCertificateInnerOuterAlgorithmMismatch(t *testing.T) {
	is, cscaKey, ca := secIssuer(t, "sec-alg")
	dsKey, err := chiptest.GenerateKey(chiptest.ECDSAP256, "sec-alg", "ds2")
	if err != nil {
		t.Fatal(err)
	}
	good := issue(t, "DS alg", false, dsKey.Public(), ca, cscaKey)
	sha512OID := asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	bad := withInnerAlgorithm(t, good, sha512OID, cscaKey, crypto.SHA256)
	if _, err := x509.ParseCertificate(bad); err == nil {
		t.Fatal("crypto/x509 accepted the mismatched certificate; the test builds the wrong thing")
	}
	for _, tc := range []struct {
		name string
		der  []byte
		ok   bool
	}{{"equal identifiers", good, true}, {"inner SHA-512, outer SHA-256", bad, false}} {
		ds, err := chip.ParseCertificate(tc.der)
		if err != nil {
			t.Fatal(err)
		}
		_, cerr := is.TrustStore().Chain(ds, at)
		files, err := chip.BuildSOD(syntheticFiles(1), chip.SODOptions{Certificate: tc.der, Signer: dsKey})
		if err != nil {
			t.Fatal(err)
		}
		f := syntheticFiles(1)
		f[chip.FileSOD] = files
		r, verr := chip.Verify(f, chip.VerifyOptions{Trust: is.TrustStore(), Now: at})
		t.Logf("%s: Chain: %v; Verify: valid=%v chain=%s", tc.name, cerr, r.Valid, r.ChainStatus)
		if (cerr == nil) != tc.ok || (verr == nil) != tc.ok {
			t.Errorf("%s: Chain %v, Verify %v, want ok=%v", tc.name, cerr, verr, tc.ok)
		}
		if !tc.ok && (!errors.Is(cerr, chip.ErrUntrustedSigner) || r.ChainStatus != chip.ChainUntrusted) {
			t.Errorf("%s: Chain %v, status %s, want untrusted", tc.name, cerr, r.ChainStatus)
		}
	}
}

// sodUnder returns the synthetic card files with an SOD signed by key under
// the certificate der.
func sodUnder(t *testing.T, der []byte, key crypto.Signer) chip.Files {
	t.Helper()
	f := syntheticFiles(13)
	sod, err := chip.BuildSOD(f, chip.SODOptions{Certificate: der, Signer: key})
	if err != nil {
		t.Fatal(err)
	}
	f[chip.FileSOD] = sod
	return f
}

func parseCert(t *testing.T, der []byte) *chip.Certificate {
	t.Helper()
	c, err := chip.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Issue 13 item 2: anything in the trust store acted as an issuing CA,
// anchors were never checked against CRLs, and a SOD signed directly by
// the CSCA (or by a certificate without digitalSignature) verified.
func TestChainRules(t *testing.T) {
	is, cscaKey, ca := secIssuer(t, "sec-chain")
	// The leaked Document Signer key of the issuer, and its certificate
	// as crypto/x509 sees it (to issue under it).
	leakedKey, err := chiptest.GenerateKey(chiptest.ECDSAP256, "sec-chain", "leaked")
	if err != nil {
		t.Fatal(err)
	}
	leakedDER := issue(t, "DS leaked", false, leakedKey.Public(), ca, cscaKey)
	leaked, _ := x509.ParseCertificate(leakedDER)
	attackerKey, _ := chiptest.GenerateKey(chiptest.ECDSAP256, "sec-chain", "attacker")
	// A certificate the DS key issued (crypto/x509 insists the parent be
	// a CA to set no fields; it signs anyway).
	underDS := issue(t, "DS under DS", false, attackerKey.Public(), leaked, leakedKey)
	revokeDS, err := is.CRL(parseCert(t, leakedDER))
	if err != nil {
		t.Fatal(err)
	}

	// A CSCA link: a second CA certificate issued by the root for a new
	// key, a DS under it, and the root's CRL revoking the link.
	linkKey, _ := chiptest.GenerateKey(chiptest.ECDSAP256, "sec-chain", "link")
	linkDER := issue(t, "CSCA VN link", true, linkKey.Public(), ca, cscaKey)
	link, _ := x509.ParseCertificate(linkDER)
	dsUnderLinkKey, _ := chiptest.GenerateKey(chiptest.ECDSAP256, "sec-chain", "ds-link")
	dsUnderLink := issue(t, "DS under link", false, dsUnderLinkKey.Public(), link, linkKey)
	revokeLink, err := is.CRL(parseCert(t, linkDER))
	if err != nil {
		t.Fatal(err)
	}
	revokeCSCA, err := is.CRL(is.CSCA)
	if err != nil {
		t.Fatal(err)
	}

	// A certificate for a key encipherment key only.
	noSignDER := func() []byte {
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(77), Subject: pkix.Name{Country: []string{"VN"}, CommonName: "DS no digitalSignature"},
			NotBefore: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2039, 1, 1, 0, 0, 0, 0, time.UTC),
			KeyUsage: x509.KeyUsageKeyEncipherment,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, attackerKey.Public(), cscaKey)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}()

	// A CSCA whose keyUsage also has digitalSignature, signing SODs
	// itself; and a non-CA certificate the CSCA issued for its own key.
	signingCSCAKey, _ := chiptest.GenerateKey(chiptest.ECDSAP256, "sec-chain", "signing-csca")
	signingCSCA := func() []byte {
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(5), Subject: pkix.Name{Country: []string{"VN"}, CommonName: "CSCA that signs"},
			NotBefore: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2044, 1, 1, 0, 0, 0, 0, time.UTC),
			IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, signingCSCAKey.Public(), signingCSCAKey)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}()
	ownKeyDS := issue(t, "DS with the CSCA key", false, cscaKey.Public(), ca, cscaKey)

	store := func(certs ...[]byte) *chip.TrustStore {
		ts := is.TrustStore()
		for _, der := range certs {
			ts.Add(parseCert(t, der))
		}
		return ts
	}
	cases := []struct {
		name   string
		files  chip.Files
		trust  *chip.TrustStore
		crls   [][]byte
		status string
		err    error
	}{
		{"control: DS issued by the CSCA", sodUnder(t, leakedDER, leakedKey), store(), nil, chip.ChainOK, nil},
		{"DS in the store issues a certificate", sodUnder(t, underDS, attackerKey), store(leakedDER), nil, chip.ChainUntrusted, chip.ErrUntrustedSigner},
		{"DS in the store only", sodUnder(t, underDS, attackerKey), chip.NewTrustStore(parseCert(t, leakedDER)), nil, chip.ChainUntrusted, chip.ErrUntrustedSigner},
		{"issuing DS revoked by the CSCA", sodUnder(t, underDS, attackerKey), store(leakedDER), [][]byte{revokeDS}, chip.ChainUntrusted, chip.ErrUntrustedSigner},
		{"SOD signed by the CSCA itself", sodUnder(t, is.CSCADER(), cscaKey), store(), nil, chip.ChainUntrusted, chip.ErrUntrustedSigner},
		{"SOD signed by a CSCA with digitalSignature", sodUnder(t, signingCSCA, signingCSCAKey), store(signingCSCA), nil, chip.ChainUntrusted, chip.ErrUntrustedSigner},
		{"DS certificate for the CSCA's own key", sodUnder(t, ownKeyDS, cscaKey), store(), nil, chip.ChainUntrusted, chip.ErrUntrustedSigner},
		{"signer without digitalSignature", sodUnder(t, noSignDER, attackerKey), store(), nil, chip.ChainUntrusted, chip.ErrUntrustedSigner},
		{"control: DS under a CSCA link", sodUnder(t, dsUnderLink, dsUnderLinkKey), store(linkDER), nil, chip.ChainOK, nil},
		{"CSCA link revoked by the root", sodUnder(t, dsUnderLink, dsUnderLinkKey), store(linkDER), [][]byte{revokeLink}, chip.ChainRevoked, chip.ErrRevoked},
		{"CSCA listed in its own CRL", sodUnder(t, leakedDER, leakedKey), store(), [][]byte{revokeCSCA}, chip.ChainRevoked, chip.ErrRevoked},
	}
	for _, tc := range cases {
		r, err := chip.Verify(tc.files, chip.VerifyOptions{Trust: tc.trust, Now: at, CRLs: tc.crls})
		t.Logf("%s: valid=%v chain=%s err=%v", tc.name, r.Valid, r.ChainStatus, err)
		if r.ChainStatus != tc.status || !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
			t.Errorf("%s: chain %s, err %v; want %s, %v", tc.name, r.ChainStatus, err, tc.status, tc.err)
		}
	}
}

// Issue 13 item 3: AddMasterList trusted a list signed by anyone, so a
// card of the list's author verified. The list must now chain to the
// roots the caller names, valid at the time given.
func TestMasterListNeedsItsRoot(t *testing.T) {
	legit := newIssuer(t, chiptest.Options{Seed: "ml-legit"})
	attacker := newIssuer(t, chiptest.Options{Seed: "ml-attacker", Name: "attacker"})
	raw, err := attacker.SignMasterList(attacker.CSCADER(), legit.CSCADER())
	if err != nil {
		t.Fatal(err)
	}
	ml, err := chip.ParseMasterList(raw)
	if err != nil || ml.SignatureErr != nil {
		t.Fatalf("attacker's list: %v %v", err, ml.SignatureErr)
	}
	card := sign(t, attacker, syntheticFiles(21))
	for _, tc := range []struct {
		name  string
		roots *chip.TrustStore
		at    time.Time
		want  error
	}{
		{"no roots", nil, at, chip.ErrUntrustedSigner},
		{"empty roots", chip.NewTrustStore(), at, chip.ErrUntrustedSigner},
		{"the legitimate root", legit.TrustStore(), at, chip.ErrUntrustedSigner},
		{"its own root, signer expired", attacker.TrustStore(), time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC), chip.ErrExpired},
		{"its own root", attacker.TrustStore(), at, nil},
	} {
		ts := chip.NewTrustStore()
		err := ts.AddMasterList(ml, tc.roots, tc.at)
		_, verr := chip.Verify(card, chip.VerifyOptions{Trust: ts, Now: at})
		t.Logf("%s: AddMasterList: %v; attacker's card: %v", tc.name, err, verr)
		if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
			t.Errorf("%s: AddMasterList = %v, want %v", tc.name, err, tc.want)
		}
		if (err == nil) != (verr == nil) || ts.Len() != 2*boolInt(err == nil) {
			t.Errorf("%s: store of %d, card %v", tc.name, ts.Len(), verr)
		}
	}
	// The explicitly named call trusts the channel, not the list.
	ts := chip.NewTrustStore()
	if err := ts.AddMasterListFromTrustedChannel(ml); err != nil || ts.Len() != 2 {
		t.Fatalf("AddMasterListFromTrustedChannel: %v, %d anchors", err, ts.Len())
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Issue 13 item 5: SHA-1 SODs, ecdsa-with-SHA1 signatures, weak keys and
// SHA-1 certificates verified with no way to refuse them. The default
// policy now refuses them; LegacyAlgorithms accepts them when asked.
func TestAlgorithmPolicy(t *testing.T) {
	sha1Issuer := newIssuer(t, chiptest.Options{Seed: "sec-sha1", Hash: crypto.SHA1}) // ecdsa-with-SHA1 everywhere
	is, cscaKey, ca := secIssuer(t, "sec-policy")
	dsUnder := func(name string, key crypto.Signer, sigAlg x509.SignatureAlgorithm) chip.Files {
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{Country: []string{"VN"}, CommonName: name},
			NotBefore: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2039, 1, 1, 0, 0, 0, 0, time.UTC),
			KeyUsage: x509.KeyUsageDigitalSignature, SignatureAlgorithm: sigAlg,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), cscaKey)
		if err != nil {
			t.Fatal(err)
		}
		return sodUnder(t, der, key)
	}
	rsa1024, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	p224, err := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p256, _ := chiptest.GenerateKey(chiptest.ECDSAP256, "sec-policy", "p256")
	cases := []struct {
		name  string
		files chip.Files
		trust *chip.TrustStore
		what  string
	}{
		{"SHA-1 SOD, ecdsa-with-SHA1", sign(t, sha1Issuer, syntheticFiles(31)), sha1Issuer.TrustStore(), "chip: data-group hash SHA-1 refused by the algorithm policy"},
		{"DS certificate signed with ecdsa-with-SHA1", dsUnder("DS sha1 cert", p256, x509.ECDSAWithSHA1), is.TrustStore(), "chip: Document Signer certificate hash SHA-1 refused by the algorithm policy"},
		{"RSA-1024 Document Signer", dsUnder("DS rsa1024", rsa1024, x509.ECDSAWithSHA256), is.TrustStore(), "chip: Document Signer key RSA-1024 refused by the algorithm policy"},
		{"P-224 Document Signer", dsUnder("DS p224", p224, x509.ECDSAWithSHA256), is.TrustStore(), "chip: Document Signer key ECDSA-P-224 refused by the algorithm policy"},
	}
	for _, tc := range cases {
		r, err := chip.Verify(tc.files, chip.VerifyOptions{Trust: tc.trust, Now: at})
		t.Logf("%s: default policy: valid=%v reason=%q err=%v", tc.name, r.Valid, r.Reason, err)
		var pe *chip.PolicyError
		if !errors.Is(err, chip.ErrWeakAlgorithm) || r.Reason != "weak_algorithm" || !errors.As(err, &pe) || err.Error() != tc.what {
			t.Errorf("%s: default policy: %v (reason %q), want %q", tc.name, err, r.Reason, tc.what)
		}
		r, err = chip.Verify(tc.files, chip.VerifyOptions{Trust: tc.trust, Now: at, Policy: chip.LegacyAlgorithms()})
		if err != nil || !r.Valid {
			t.Errorf("%s: legacy policy: %v", tc.name, err)
		}
	}
}
