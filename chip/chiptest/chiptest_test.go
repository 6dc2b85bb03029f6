package chiptest

import (
	"bytes"
	"crypto"
	"crypto/rsa"
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
