package chiptest

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cancuoc/sdk/chip"
)

var at = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

func TestIssueVerifies(t *testing.T) {
	for _, kt := range []KeyType{ECDSAP256, BrainpoolP256r1, RSA2048} {
		t.Run(kt.String(), func(t *testing.T) {
			is, err := New(Options{Seed: "issue", KeyType: kt, AAKeyType: kt})
			if err != nil {
				t.Fatal(err)
			}
			card, err := is.Issue(DefaultHolder())
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"EF.COM", "DG1", "DG2", "DG13", "DG14", "DG15", "EF.SOD"} {
				if name == "DG14" && kt == RSA2048 {
					continue // RSA active authentication needs no AA info in DG14
				}
				if len(card.Files[name]) == 0 {
					t.Fatalf("%s missing", name)
				}
			}
			r, err := chip.Verify(card.Files, chip.VerifyOptions{Trust: is.TrustStore(), Now: at})
			if err != nil || !r.Valid {
				t.Fatalf("Verify: %v", err)
			}
			dg1, err := chip.ParseDG1(card.Files["DG1"])
			if err != nil {
				t.Fatal(err)
			}
			doc, err := dg1.Document()
			if err != nil || doc.DocumentNumber() == "" {
				t.Fatalf("DG1: %v", err)
			}
			// Active authentication round trip, and a wrong challenge fails.
			ch := []byte{1, 2, 3, 4, 5, 6, 7, 8}
			resp, err := card.RespondAA(ch)
			if err != nil {
				t.Fatal(err)
			}
			if err := chip.VerifyActiveAuthentication(card.Files["DG15"], card.Files["DG14"], ch, resp); err != nil {
				t.Fatalf("AA: %v", err)
			}
			ch[0] ^= 1
			if err := chip.VerifyActiveAuthentication(card.Files["DG15"], card.Files["DG14"], ch, resp); !errors.Is(err, chip.ErrSignature) {
				t.Fatalf("AA with another challenge: %v", err)
			}
		})
	}
}

func TestSeedIsDeterministic(t *testing.T) {
	a, err := New(Options{Seed: "same"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Options{Seed: "same"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{Seed: "other"})
	if err != nil {
		t.Fatal(err)
	}
	// Keys (and so the certificates' public keys) follow the seed; ECDSA
	// signatures are randomized by crypto/ecdsa.
	if !bytes.Equal(a.CSCA.SubjectKeyID, b.CSCA.SubjectKeyID) || !bytes.Equal(a.DS.SubjectKeyID, b.DS.SubjectKeyID) {
		t.Fatal("same seed, different keys")
	}
	if bytes.Equal(a.CSCA.SubjectKeyID, c.CSCA.SubjectKeyID) || bytes.Equal(a.CSCA.SubjectKeyID, a.DS.SubjectKeyID) {
		t.Fatal("different seeds or roles share a key")
	}
	ca, _ := a.Issue(DefaultHolder())
	cb, _ := b.Issue(DefaultHolder())
	for _, n := range []string{"EF.COM", "DG1", "DG2", "DG13", "DG14", "DG15"} {
		if !bytes.Equal(ca.Files[n], cb.Files[n]) {
			t.Errorf("%s differs for the same seed", n)
		}
	}
}

func TestSign9796SHA1Trailer(t *testing.T) {
	// ISO/IEC 9796-2 with the implicit SHA-1 trailer BC, as most RSA
	// passport chips answer.
	is, err := New(Options{Seed: "rsa-aa", AAKeyType: RSA2048})
	if err != nil {
		t.Fatal(err)
	}
	card, err := is.Issue(DefaultHolder())
	if err != nil {
		t.Fatal(err)
	}
	k := card.AAKey.(*rsa.PrivateKey)
	ch := []byte("8bytes!!")
	m1 := bytes.Repeat([]byte{0x42}, 256-1-20-1)
	sig, err := sign9796(k, crypto.SHA1, m1, ch)
	if err != nil {
		t.Fatal(err)
	}
	if err := chip.VerifyActiveAuthentication(card.Files["DG15"], nil, ch, sig); err != nil {
		t.Fatal(err)
	}
	sig[10] ^= 1
	if err := chip.VerifyActiveAuthentication(card.Files["DG15"], nil, ch, sig); !errors.Is(err, chip.ErrSignature) {
		t.Fatalf("tampered: %v", err)
	}
}

func TestExpiredAndRevokedVariants(t *testing.T) {
	is, err := New(Options{Seed: "variants"})
	if err != nil {
		t.Fatal(err)
	}
	old, err := is.ExpiredSigner()
	if err != nil {
		t.Fatal(err)
	}
	if old.DS.ValidAt(at) || old.CSCA != is.CSCA || old.DS.SerialNumber.Cmp(is.DS.SerialNumber) == 0 {
		t.Fatal("expired signer: wrong certificate")
	}
	card, err := old.Issue(DefaultHolder())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chip.Verify(card.Files, chip.VerifyOptions{Trust: is.TrustStore(), Now: at}); !errors.Is(err, chip.ErrExpired) {
		t.Fatalf("expired DS: %v", err)
	}
	crl, err := is.CRL(is.DS)
	if err != nil {
		t.Fatal(err)
	}
	card, _ = is.Issue(DefaultHolder())
	if _, err := chip.Verify(card.Files, chip.VerifyOptions{Trust: is.TrustStore(), Now: at, CRLs: [][]byte{crl}}); !errors.Is(err, chip.ErrRevoked) {
		t.Fatalf("revoked DS: %v", err)
	}
}

func TestCardPrintsMasked(t *testing.T) {
	is, err := New(Options{Seed: "mask"})
	if err != nil {
		t.Fatal(err)
	}
	card, err := is.Issue(DefaultHolder())
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("card", "c", card)
	for _, s := range []string{fmt.Sprint(card), fmt.Sprintf("%v %+v %#v %s %x", card, card, card, card, card), logged.String()} {
		if strings.Contains(s, "090012345") || strings.Contains(s, "NGUYEN") || !strings.Contains(s, "DG1:") {
			t.Fatalf("card printed unmasked or without summary: %q", s)
		}
	}
}

// The CRL builder's dates (RFC 5280 §5.1.2.4-5): CRL is current from the
// day after the signing time, or from the CSCA's notBefore when that day
// falls outside the CSCA's validity, until the CSCA expires; CRLAt writes
// the dates it is given, leaves nextUpdate out when it is zero and refuses
// a nextUpdate before thisUpdate. Checked by parsing with crypto/x509.
func TestCRLDates(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name       string
		opts       Options
		this, next time.Time
	}{
		{"defaults", Options{Seed: "crl-dates"}, day(2024, 6, 2), day(2044, 1, 1)},
		{"CSCA 2010-2020", Options{Seed: "crl-dates", CSCANotBefore: day(2010, 1, 1), CSCANotAfter: day(2020, 1, 1),
			DSNotBefore: day(2011, 1, 1), DSNotAfter: day(2019, 1, 1)}, day(2010, 1, 1), day(2020, 1, 1)},
		{"CSCA to 2060", Options{Seed: "crl-dates", CSCANotAfter: day(2060, 1, 1)}, day(2024, 6, 2), day(2060, 1, 1)},
	} {
		is, err := New(tc.opts)
		if err != nil {
			t.Fatal(err)
		}
		der, err := is.CRL(is.DS)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		crl, err := x509.ParseRevocationList(der)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !crl.ThisUpdate.Equal(tc.this) || !crl.NextUpdate.Equal(tc.next) || len(crl.RevokedCertificateEntries) != 1 {
			t.Errorf("%s: thisUpdate %v nextUpdate %v, %d entries; want %v, %v, 1", tc.name, crl.ThisUpdate, crl.NextUpdate, len(crl.RevokedCertificateEntries), tc.this, tc.next)
		}
		if err := crl.CheckSignatureFrom(mustX509(t, is.CSCADER())); err != nil {
			t.Errorf("%s: CRL signature: %v", tc.name, err)
		}
	}
	is, err := New(Options{Seed: "crl-dates"})
	if err != nil {
		t.Fatal(err)
	}
	der, err := is.CRLAt(day(2025, 1, 1), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if crl, err := x509.ParseRevocationList(der); err != nil || !crl.NextUpdate.IsZero() || !crl.ThisUpdate.Equal(day(2025, 1, 1)) {
		t.Errorf("CRLAt without nextUpdate: %v", err)
	}
	if _, err := is.CRLAt(day(2025, 1, 1), day(2024, 1, 1)); err == nil {
		t.Error("CRLAt accepted nextUpdate before thisUpdate")
	}
}

func mustX509(t *testing.T, der []byte) *x509.Certificate {
	t.Helper()
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
