package chip_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
)

// oddCertificates returns certificates a master list may carry but that
// cannot be trust anchors: an Ed25519 key (not an ICAO algorithm) and a
// malformed basicConstraints extension.
func oddCertificates(t *testing.T) (ed, badBC []byte) {
	pub, priv, _ := ed25519.GenerateKey(nil)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(9), Subject: pkix.Name{Country: []string{"ZZ"}, CommonName: "Ed25519 CSCA"},
		NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	ed, err := x509.CreateCertificate(nil, tmpl, tmpl, pub, priv)
	if err != nil {
		t.Fatal(err)
	}
	tmpl.Subject.CommonName = "Bad constraints CSCA"
	tmpl.ExtraExtensions = []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 19}, Value: []byte{0x30, 0x03, 0x02, 0x01}}}
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	badBC, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, &ek.PublicKey, ek)
	if err != nil {
		t.Fatal(err)
	}
	return ed, badBC
}

func TestMasterListRejectsOddCertificatesOnly(t *testing.T) {
	is := newIssuer(t, chiptest.Options{Seed: "ml"})
	other := newIssuer(t, chiptest.Options{Seed: "ml-other", Name: "other", KeyType: chiptest.BrainpoolP256r1})
	ed, badBC := oddCertificates(t)
	garbage := []byte{0x30, 0x03, 0x02, 0x01, 0x00}
	raw, err := is.SignMasterList(is.CSCADER(), other.CSCADER(), ed, badBC, garbage)
	if err != nil {
		t.Fatal(err)
	}
	ml, err := chip.ParseMasterList(raw)
	if err != nil {
		t.Fatal(err)
	}
	if ml.Total != 5 || len(ml.Certificates) != 2 || len(ml.Rejected) != 3 || ml.Countries != 1 || ml.SignatureErr != nil {
		t.Fatalf("total %d usable %d rejected %d countries %d sig %v", ml.Total, len(ml.Certificates), len(ml.Rejected), ml.Countries, ml.SignatureErr)
	}
	want := map[string]error{"": chip.ErrMalformed, "CN=Ed25519 CSCA,C=ZZ": chip.ErrUnsupportedAlgorithm, "CN=Bad constraints CSCA,C=ZZ": chip.ErrMalformed}
	seen := map[int]bool{}
	for _, r := range ml.Rejected {
		if !errors.Is(r.Err, want[r.Subject]) || r.Reason == "" || seen[r.Index] || r.Index < 0 || r.Index >= 5 {
			t.Errorf("rejected %+v", r)
		}
		seen[r.Index] = true
	}
	if err := ml.VerifySigner(is.TrustStore(), at); err != nil {
		t.Fatal(err)
	}
	if err := ml.VerifySigner(other.TrustStore(), at); !errors.Is(err, chip.ErrUntrustedSigner) {
		t.Fatalf("other root: %v", err)
	}
	// Cards of both issuers verify against a store built from the list.
	ts := chip.NewTrustStore()
	if err := ts.AddMasterList(ml, is.TrustStore(), at); err != nil {
		t.Fatal(err)
	}
	for _, iss := range []*chiptest.Issuer{is, other} {
		if _, err := chip.Verify(sign(t, iss, syntheticFiles(11)), chip.VerifyOptions{Trust: ts, Now: at}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMasterListTampered(t *testing.T) {
	is := newIssuer(t, chiptest.Options{Seed: "ml-tamper"})
	raw, err := is.SignMasterList(is.CSCADER())
	if err != nil {
		t.Fatal(err)
	}
	// Flip a byte inside the CSCA certificate in the list content.
	i := strings.Index(string(raw), string(is.CSCADER())) + 40
	raw[i] ^= 1
	ml, err := chip.ParseMasterList(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(ml.SignatureErr, chip.ErrDigestMismatch) {
		t.Fatalf("signature error %v", ml.SignatureErr)
	}
	if err := chip.NewTrustStore().AddMasterList(ml, is.TrustStore(), at); !errors.Is(err, chip.ErrDigestMismatch) {
		t.Fatalf("AddMasterList: %v", err)
	}
	if err := chip.NewTrustStore().AddMasterListFromTrustedChannel(ml); !errors.Is(err, chip.ErrDigestMismatch) {
		t.Fatalf("AddMasterListFromTrustedChannel: %v", err)
	}
	if _, err := chip.ParseMasterList(append(raw, 0)); !errors.Is(err, chip.ErrTrailingData) {
		t.Fatalf("trailing: %v", err)
	}
	// An SOD is not a master list.
	f := sign(t, is, syntheticFiles(12))
	if _, err := chip.ParseMasterList(f["EF.SOD"][4:]); !errors.Is(err, chip.ErrMalformed) {
		t.Fatalf("SOD as list: %v", err)
	}
}
