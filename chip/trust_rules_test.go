package chip

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRealCSCAsCanIssue: the issuing rule of TrustStore.Chain keeps every
// usable certificate of the Dutch master list (testdata/lds, 411 self-signed
// CSCAs) as an issuer, including the Ukrainian CSCA whose cA is a BER TRUE
// (the relaxation the rule documents), while the list's signer and the
// Document Signers of the real SODs (keyUsage digitalSignature, no cA) are
// signers and never issuers.
func TestRealCSCAsCanIssue(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(ldsDir, "gmrtd_NL_masterlist_2026-07-22.ml"))
	if err != nil {
		t.Fatal(err)
	}
	ml, err := ParseMasterList(b)
	if err != nil {
		t.Fatal(err)
	}
	ukraine := 0
	for _, c := range ml.Certificates {
		if !canIssue(c) {
			t.Errorf("%q cannot issue", c.Subject)
		}
		if strings.Contains(c.Subject, "CN=CSCA-UKRAINE") {
			ukraine++
		}
	}
	if len(ml.Certificates) != 411 || ukraine == 0 {
		t.Fatalf("%d usable certificates, %d Ukrainian", len(ml.Certificates), ukraine)
	}
	signers := []*Certificate{ml.Signer}
	for _, n := range []string{"AU", "CN", "FR", "SG", "US"} {
		b, err := os.ReadFile(filepath.Join(ldsDir, "gmrtd_realissuer-"+n+"_EF.SOD"))
		if err != nil {
			t.Fatal(err)
		}
		sod, err := ParseSOD(b)
		if err != nil {
			t.Fatal(err)
		}
		ds, err := sod.SignerCertificate()
		if err != nil {
			t.Fatal(err)
		}
		signers = append(signers, ds)
	}
	for _, s := range signers {
		if canIssue(s) {
			t.Errorf("signer %q can issue", s.Subject)
		}
		if p := signerProblem(s, ml.Certificates[0]); p != "" {
			t.Errorf("signer %q: %s", s.Subject, p)
		}
	}
}

// TestDefaultCurve: defaultCurve is DefaultCurves without the slice.
func TestDefaultCurve(t *testing.T) {
	for _, c := range DefaultCurves() {
		if !defaultCurve(c) {
			t.Errorf("%s", c)
		}
	}
	for _, c := range []string{"P-224", "brainpoolP224r1", ""} {
		if defaultCurve(c) {
			t.Errorf("%s", c)
		}
	}
}
