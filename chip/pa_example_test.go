package chip_test

import (
	"errors"
	"fmt"
	"log"
	"maps"
	"os"
	"time"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
)

func ExampleVerify() {
	issuer, err := chiptest.New(chiptest.Options{Seed: "example"}) // a throwaway CSCA and DS
	if err != nil {
		log.Fatal(err)
	}
	card, err := issuer.Issue(chiptest.DefaultHolder())
	if err != nil {
		log.Fatal(err)
	}
	trust := chip.NewTrustStore(issuer.CSCA)
	opts := chip.VerifyOptions{Trust: trust, Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}

	report, err := chip.Verify(card.Files, opts)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(report.Valid, report.ChainStatus, report.Signer.Subject)
	for _, d := range report.DataGroups {
		fmt.Println(d.Name, d.Status, d.HashAlgorithm)
	}

	// One altered byte of DG13 (the personal data).
	files := maps.Clone(card.Files)
	files["DG13"] = append([]byte(nil), files["DG13"]...)
	files["DG13"][20] ^= 1
	report, err = chip.Verify(files, opts)
	fmt.Println(report.Valid, report.Reason, errors.Is(err, chip.ErrDigestMismatch))
	// Output:
	// true ok CN=DS chiptest 2,O=cancuoc test issuer,C=VN
	// DG1 ok SHA-256
	// DG2 ok SHA-256
	// DG13 ok SHA-256
	// DG14 ok SHA-256
	// DG15 ok SHA-256
	// false digest_mismatch true
}

func ExampleParseMasterList() {
	b, err := os.ReadFile("../testdata/lds/gmrtd_NL_masterlist_2026-07-22.ml")
	if err != nil {
		log.Fatal(err)
	}
	ml, err := chip.ParseMasterList(b)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ml.Total, len(ml.Certificates), ml.Countries, ml.SignatureErr == nil)

	// The list is only as good as its signer: it must chain to the
	// publisher's root (here the Dutch CSCA), checked at the time the list
	// is loaded (pinned to its signing time so the example never expires).
	r, err := os.ReadFile("../testdata/lds/gmrtd_NL_csca_root.cer")
	if err != nil {
		log.Fatal(err)
	}
	root := chip.NewTrustStore()
	if err := root.AddEncoded(r); err != nil {
		log.Fatal(err)
	}
	trust := chip.NewTrustStore()
	if err := trust.AddMasterList(ml, root, ml.SigningTime); err != nil {
		log.Fatal(err)
	}
	fmt.Println(trust.Len())
	// A list signed by anyone else is refused.
	fmt.Println(chip.NewTrustStore().AddMasterList(ml, chip.NewTrustStore(), ml.SigningTime) != nil)
	// Output:
	// 411 411 129 true
	// 411
	// true
}

func ExampleVerifyActiveAuthentication() {
	issuer, err := chiptest.New(chiptest.Options{Seed: "example"})
	if err != nil {
		log.Fatal(err)
	}
	card, err := issuer.Issue(chiptest.DefaultHolder())
	if err != nil {
		log.Fatal(err)
	}
	challenge := []byte{1, 2, 3, 4, 5, 6, 7, 8} // random in practice
	response, err := card.RespondAA(challenge)  // what the chip answers
	if err != nil {
		log.Fatal(err)
	}
	err = chip.VerifyActiveAuthentication(card.Files["DG15"], card.Files["DG14"], challenge, response)
	fmt.Println(err)
	// Output:
	// <nil>
}
