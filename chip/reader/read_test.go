package reader_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
	"github.com/cancuoc/sdk/chip/reader"
)

// issue makes a card for the default holder (number 001090012345, so CAN
// 012345) with the issuer options given.
func issue(t testing.TB, opts chiptest.Options) (*chiptest.Issuer, *chiptest.Card) {
	t.Helper()
	if opts.Seed == "" {
		opts.Seed = "reader test"
	}
	is, err := chiptest.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	c, err := is.Issue(chiptest.DefaultHolder())
	if err != nil {
		t.Fatal(err)
	}
	return is, c
}

func softCard(t testing.TB, c *chiptest.Card, opts chiptest.SoftCardOptions) *chiptest.SoftCard {
	t.Helper()
	s, err := chiptest.NewSoftCard(c, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func can(t testing.TB) reader.Password {
	p, err := reader.CANFromNumber("001090012345")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mrzPassword(t testing.TB, c *chiptest.Card) reader.Password {
	dg1, err := chip.ParseDG1(c.Files["DG1"])
	if err != nil {
		t.Fatal(err)
	}
	doc, err := dg1.Document()
	if err != nil {
		t.Fatal(err)
	}
	p, err := reader.MRZFromDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// checkRead asserts that every file of the card came back byte for byte
// and that passive authentication accepts them.
func checkRead(t *testing.T, is *chiptest.Issuer, c *chiptest.Card, res *reader.Result) {
	t.Helper()
	for name, want := range c.Files {
		if !bytes.Equal(res.Files[name], want) {
			t.Errorf("%s: read %d bytes, card has %d", name, len(res.Files[name]), len(want))
		}
	}
	if _, err := chip.Verify(res.Files, chip.VerifyOptions{Trust: is.TrustStore()}); err != nil {
		t.Errorf("passive authentication: %v", err)
	}
}

// The CCCD profile end to end: PACE-ECDH-GM-AES-128 on brainpoolP256r1
// with the CAN, chip authentication and active authentication.
func TestReadCCCD(t *testing.T) {
	is, c := issue(t, chiptest.Options{})
	card := softCard(t, c, chiptest.SoftCardOptions{})
	res, err := reader.Read(context.Background(), card, reader.Options{Password: can(t), ChipAuthentication: true, ActiveAuthentication: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Access != "PACE-ECDH-GM-AES-128" || res.ChipAuthentication != reader.OK || res.ActiveAuthentication != reader.OK {
		t.Fatalf("access %s, CA %v, AA %v", res.Access, res.ChipAuthentication, res.ActiveAuthentication)
	}
	checkRead(t, is, c, res)
	t.Logf("%d APDUs, %d bytes", res.APDUs, res.Bytes)
}

// A wrong CAN is ErrAccessDenied with status 6300 and no file read.
func TestReadWrongCAN(t *testing.T) {
	_, c := issue(t, chiptest.Options{})
	card := softCard(t, c, chiptest.SoftCardOptions{})
	pw, _ := reader.CAN("999999")
	res, err := reader.Read(context.Background(), card, reader.Options{Password: pw})
	var e *reader.Error
	if !errors.Is(err, reader.ErrAccessDenied) || !errors.As(err, &e) || e.SW != 0x6300 {
		t.Fatalf("err = %v", err)
	}
	for name := range res.Files {
		if name != chip.FileCardAccess {
			t.Errorf("%s read after a wrong CAN", name)
		}
	}
}
