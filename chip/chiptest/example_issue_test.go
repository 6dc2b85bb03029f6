package chiptest_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
)

// Issue a synthetic card and check it by passive authentication against
// the issuer's own trust store: the fixture integrators test against.
func ExampleNew() {
	issuer, err := chiptest.New(chiptest.Options{Seed: "example"}) // same seed, same keys
	if err != nil {
		fmt.Println(err)
		return
	}
	card, err := issuer.Issue(chiptest.DefaultHolder())
	if err != nil {
		fmt.Println(err)
		return
	}
	report, err := chip.Verify(card.Files, chip.VerifyOptions{Trust: issuer.TrustStore(), Now: time.Now()})
	fmt.Println(report.Valid, err, report.Signer.Subject)
	// Output:
	// true <nil> CN=DS chiptest 2,O=cancuoc test issuer,C=VN
}

// Sign chip files made elsewhere (here chip.BuildDataGroups), then tamper
// with one: passive authentication names the data group.
func ExampleIssuer_Sign() {
	issuer, _ := chiptest.New(chiptest.Options{Seed: "example"})
	files, err := chip.BuildDataGroups(chiptest.DefaultHolder(), chip.BuildOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	if files, err = issuer.Sign(files); err != nil {
		fmt.Println(err)
		return
	}
	files["DG13"] = append(files["DG13"][:len(files["DG13"])-1], files["DG13"][len(files["DG13"])-1]^1)
	report, _ := chip.Verify(files, chip.VerifyOptions{Trust: issuer.TrustStore(), Now: time.Now()})
	fmt.Println(report.Valid, report.Reason)
	// Output:
	// false digest_mismatch
}

// Revoke the Document Signer with CRLs of realistic dates (ICAO 9303-12:
// a CSCA issues one at least every 90 days): the current CRL revokes the
// card's signer; a CRL whose nextUpdate has passed proves nothing either
// way, so verification fails with chip.ErrStaleCRL rather than ignore it.
func ExampleIssuer_CRLAt() {
	issuer, _ := chiptest.New(chiptest.Options{Seed: "example"})
	card, err := issuer.Issue(chiptest.DefaultHolder())
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	current, _ := issuer.CRLAt(now.AddDate(0, 0, -30), now.AddDate(0, 0, 60), issuer.DS)
	stale, _ := issuer.CRLAt(now.AddDate(0, 0, -120), now.AddDate(0, 0, -30), issuer.DS)
	for _, crl := range [][]byte{current, stale} {
		report, err := chip.Verify(card.Files, chip.VerifyOptions{Trust: issuer.TrustStore(), Now: now, CRLs: [][]byte{crl}})
		fmt.Println(report.Valid, report.ChainStatus, errors.Is(err, chip.ErrStaleCRL))
	}
	// Output:
	// false revoked false
	// false stale_crl true
}
