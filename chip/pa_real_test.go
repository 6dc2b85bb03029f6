package chip_test

import (
	"crypto"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cancuoc/sdk/chip"
)

// lds is the shared folder of real files; expected outcomes are from its
// README.md.
const lds = "../testdata/lds/"

func readLDS(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(lds, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func specimenFiles(t testing.TB) chip.Files {
	p := "jmrtd_nl-specimen2006_"
	return chip.Files{
		"EF.COM": readLDS(t, p+"EF.COM"), "DG1": readLDS(t, p+"DG1.bin"), "DG2": readLDS(t, p+"DG2.bin"),
		"DG15": readLDS(t, p+"DG15.bin"), "EF.SOD": readLDS(t, p+"EF.SOD"),
	}
}

func dutchList(t testing.TB) *chip.MasterList {
	ml, err := chip.ParseMasterList(readLDS(t, "gmrtd_NL_masterlist_2026-07-22.ml"))
	if err != nil {
		t.Fatal(err)
	}
	return ml
}

// dutchTrust is a store built from the Dutch master list, authenticated
// by its root (README: the signer chains to gmrtd_NL_csca_root.cer) at
// the list's signing time.
func dutchTrust(t testing.TB) *chip.TrustStore {
	t.Helper()
	root := chip.NewTrustStore()
	if err := root.AddEncoded(readLDS(t, "gmrtd_NL_csca_root.cer")); err != nil {
		t.Fatal(err)
	}
	ml := dutchList(t)
	ts := chip.NewTrustStore()
	if err := ts.AddMasterList(ml, root, ml.SigningTime); err != nil {
		t.Fatal(err)
	}
	return ts
}

// README: specimen SOD v0, SHA-256, sha256WithRSA, DS "C=NL,O=Sdu
// Identification bv,OU=DS Test,CN=DS Test" (2006-09-25..2011-10-04),
// signature valid, DG1, DG2, DG15 match; the chain ends "untrusted issuer".
func TestRealSpecimenPassport(t *testing.T) {
	ts := dutchTrust(t)
	for _, trust := range []*chip.TrustStore{nil, ts} {
		r, err := chip.Verify(specimenFiles(t), chip.VerifyOptions{Trust: trust, Now: time.Date(2008, 6, 1, 0, 0, 0, 0, time.UTC)})
		if !errors.Is(err, chip.ErrUntrustedSigner) || r.Valid || r.Reason != "untrusted_signer" || r.ChainStatus != chip.ChainUntrusted {
			t.Fatalf("got %v (reason %q, chain %q), want untrusted signer", err, r.Reason, r.ChainStatus)
		}
		if !r.SignatureValid || r.SOD.Version != 0 || r.HashAlgorithm.String() != "SHA-256" || r.SOD.SignatureAlgorithm != "sha256WithRSAEncryption" {
			t.Fatalf("SOD: sig %v v%d %v %s", r.SignatureValid, r.SOD.Version, r.HashAlgorithm, r.SOD.SignatureAlgorithm)
		}
		if r.Signer.Subject != "C=NL,O=Sdu Identification bv,OU=DS Test,CN=DS Test" ||
			!r.Signer.NotBefore.Equal(time.Date(2006, 9, 25, 0, 0, 0, 0, time.UTC)) && r.Signer.NotBefore.Format("2006-01-02") != "2006-09-25" {
			t.Fatalf("signer %q from %v", r.Signer.Subject, r.Signer.NotBefore)
		}
		if r.Signer.NotAfter.Format("2006-01-02") != "2011-10-04" {
			t.Fatalf("signer until %v", r.Signer.NotAfter)
		}
		for _, n := range []int{1, 2, 15} {
			if d, _ := r.DataGroup(n); d.Status != chip.StatusOK {
				t.Errorf("DG%d %q", n, d.Status)
			}
		}
	}
	// One altered byte in DG2 is still caught. The untrusted chain comes
	// first in the report's reason, the data-group result says mismatch.
	f := specimenFiles(t)
	f["DG2"][100] ^= 1
	r, err := chip.Verify(f, chip.VerifyOptions{Now: time.Date(2008, 6, 1, 0, 0, 0, 0, time.UTC)})
	if err == nil || r.Valid {
		t.Fatal("altered DG2 accepted")
	}
	if d, _ := r.DataGroup(2); d.Status != chip.StatusMismatch {
		t.Fatalf("DG2 %q", d.Status)
	}
}

// README table of real-issuer SODs.
func TestRealIssuerSODs(t *testing.T) {
	ts := dutchTrust(t)
	cases := []struct {
		country string
		version int
		sigAlg  string
		dgs     []int
		idData  bool
	}{
		{"AU", 0, "rsaEncryption", []int{1, 2, 15}, false},
		{"CN", 0, "sha256WithRSAEncryption", []int{1, 2, 11, 12, 15}, true},
		{"FR", 0, "sha256WithRSAEncryption", []int{1, 2, 3, 11, 12, 13, 14}, false},
		{"SG", 1, "RSASSA-PSS", []int{1, 2, 3, 4, 13, 14}, false},
		{"US", 0, "rsaEncryption", []int{1, 2, 11, 12}, false},
	}
	for _, tc := range cases {
		t.Run(tc.country, func(t *testing.T) {
			sod, err := chip.ParseSOD(readLDS(t, "gmrtd_realissuer-"+tc.country+"_EF.SOD"))
			if err != nil {
				t.Fatal(err)
			}
			if sod.Version != tc.version || sod.HashAlgorithm.String() != "SHA-256" || sod.SignatureAlgorithm != tc.sigAlg {
				t.Fatalf("v%d %v %s", sod.Version, sod.HashAlgorithm, sod.SignatureAlgorithm)
			}
			if got := sod.ContentType.String() == "1.2.840.113549.1.7.1"; got != tc.idData {
				t.Fatalf("eContentType %v", sod.ContentType)
			}
			if len(sod.Hashes) != len(tc.dgs) {
				t.Fatalf("%d hashes", len(sod.Hashes))
			}
			for _, n := range tc.dgs {
				if _, ok := sod.DataGroupHash(n); !ok {
					t.Fatalf("DG%d not listed", n)
				}
			}
			if err := sod.CheckMessageDigest(); err != nil {
				t.Fatal(err)
			}
			// AU carries id-aa-signingCertificate(v2) besides the usual three.
			extra := 0
			for _, a := range sod.SignedAttributes {
				if strings.HasPrefix(a.String(), "1.2.840.113549.1.9.16.2.") {
					extra++
				}
			}
			if (tc.country == "AU") != (extra > 0) {
				t.Errorf("signed attributes %v", sod.SignedAttributes)
			}
			ds, err := sod.SignerCertificate()
			if err != nil {
				t.Fatal(err)
			}
			if err := sod.VerifySignature(ds); err != nil {
				t.Fatal(err)
			}
			when := sod.SigningTime
			if when.IsZero() { // SG has no signingTime
				when = ds.NotBefore.Add(24 * time.Hour)
			}
			csca, err := ts.Chain(ds, when)
			if err != nil {
				t.Fatalf("chain: %v", err)
			}
			t.Logf("DS %q -> CSCA %q", ds.Subject, csca.Subject)
			// Files supplied with no data groups: every listed group is missing.
			r, err := chip.Verify(chip.Files{"EF.SOD": sod.Raw}, chip.VerifyOptions{Trust: ts, Now: when})
			if !errors.Is(err, chip.ErrMissingDataGroup) || !r.SignatureValid || r.ChainStatus != chip.ChainOK {
				t.Fatalf("Verify without DGs: %v sig %v chain %q", err, r.SignatureValid, r.ChainStatus)
			}
		})
	}
	// Trailing bytes after the SOD are reported.
	b := append(readLDS(t, "gmrtd_realissuer-FR_EF.SOD"), 0)
	if _, err := chip.ParseSOD(b); !errors.Is(err, chip.ErrTrailingData) {
		t.Fatalf("trailing byte: %v", err)
	}
}

// README: 411 certificates of 129 countries, signature valid with the
// embedded signer, chain to gmrtd_NL_csca_root.cer.
func TestRealDutchMasterList(t *testing.T) {
	ml := dutchList(t)
	if ml.Total != 411 || ml.SignatureErr != nil || ml.Countries != 129 {
		t.Fatalf("total %d, signature %v, countries %d", ml.Total, ml.SignatureErr, ml.Countries)
	}
	if len(ml.Certificates)+len(ml.Rejected) != ml.Total {
		t.Fatalf("%d usable + %d rejected != %d", len(ml.Certificates), len(ml.Rejected), ml.Total)
	}
	for _, r := range ml.Rejected {
		t.Logf("rejected #%d %q: %s", r.Index, r.Subject, r.Reason)
	}
	if ml.Signer == nil || ml.Signer.PublicKeyAlgorithm != "RSA-4096" {
		t.Fatalf("signer %v", ml.Signer)
	}
	root := chip.NewTrustStore()
	if err := root.AddEncoded(readLDS(t, "gmrtd_NL_csca_root.cer")); err != nil {
		t.Fatal(err)
	}
	if err := ml.VerifySigner(root, ml.SigningTime); err != nil {
		t.Fatal(err)
	}
	if err := ml.VerifySigner(chip.NewTrustStore(), ml.SigningTime); !errors.Is(err, chip.ErrUntrustedSigner) {
		t.Fatalf("no roots: %v", err)
	}
	// Quirks the README counts.
	negative, pss := 0, 0
	for _, c := range ml.Certificates {
		if c.SerialNumber.Sign() < 0 {
			negative++
		}
		if c.SignatureAlgorithm == "RSASSA-PSS" {
			pss++
		}
	}
	// The basicConstraints that crypto/x509 calls invalid (a BER TRUE, not
	// DER's FF) still reads as a CA.
	ukraine := 0
	for _, c := range ml.Certificates {
		if strings.Contains(c.Subject, "CN=CSCA-UKRAINE") && c.IsCA {
			if _, err := x509.ParseCertificate(c.Raw); err != nil && strings.Contains(err.Error(), "basic constraints") {
				ukraine++
			}
		}
	}
	if ukraine != 1 {
		t.Errorf("Ukrainian CSCA with lax basicConstraints: %d", ukraine)
	}
	if negative != 3 || pss != 89 {
		t.Errorf("negative serials %d (want 3), RSASSA-PSS %d (want 89)", negative, pss)
	}
	// Where crypto/x509 accepts a certificate, both parsers agree.
	accepted := 0
	for _, c := range ml.Certificates {
		xc, err := x509.ParseCertificate(c.Raw)
		if err != nil {
			continue
		}
		accepted++
		type eq interface{ Equal(crypto.PublicKey) bool }
		k, ok := xc.PublicKey.(eq)
		if !ok || !k.Equal(c.PublicKey()) || xc.SerialNumber.Cmp(c.SerialNumber) != 0 ||
			!xc.NotBefore.Equal(c.NotBefore) || !xc.NotAfter.Equal(c.NotAfter) {
			t.Errorf("%q: fields differ from crypto/x509: key %v serial %v/%v validity %v %v / %v %v", c.Subject, ok && k.Equal(c.PublicKey()), xc.SerialNumber, c.SerialNumber, xc.NotBefore, xc.NotAfter, c.NotBefore, c.NotAfter)
		}
	}
	t.Logf("crypto/x509 accepts %d of %d; this parser uses %d", accepted, ml.Total, len(ml.Certificates))
	if accepted >= len(ml.Certificates) {
		t.Errorf("expected crypto/x509 to refuse some certificates")
	}
}

// Every certificate of the list is self-signed (README): each signature
// verifies with the certificate's own key, across RSA PKCS#1, RSA-PSS,
// ECDSA with named and explicit curves, NIST and brainpool.
func TestRealMasterListSelfSignatures(t *testing.T) {
	if testing.Short() {
		t.Skip("verifies 411 signatures")
	}
	ml := dutchList(t)
	kinds := map[string]int{}
	for _, c := range ml.Certificates {
		if err := c.CheckSignatureFrom(c); err != nil {
			t.Errorf("%q (%s, %s): %v", c.Subject, c.PublicKeyAlgorithm, c.SignatureAlgorithm, err)
		}
		kinds[c.PublicKeyAlgorithm]++
	}
	t.Logf("key types: %v", kinds)
}
