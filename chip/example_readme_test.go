package chip_test

import (
	"fmt"
	"log"
	"time"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
)

// Example_readme is the README's chip snippet, run: every output the README
// shows comes from here (TestReadmeOutputs in examples/tour checks).
func Example_readme() {
	issuer, _ := chiptest.New(chiptest.Options{Seed: "demo"}) // tests only
	card, _ := issuer.Issue(chiptest.DefaultHolder())

	trust := chip.NewTrustStore(issuer.CSCA) // or AddEncoded(pem), AddMasterList(ml, publisherRoot, time.Now())
	report, err := chip.Verify(card.Files, chip.VerifyOptions{Trust: trust, Now: time.Now()})
	if err != nil {
		log.Fatal(report.Reason, err) // errors.Is(err, chip.ErrDigestMismatch), chip.ErrUntrustedSigner, ...
	}
	fmt.Println(report.Valid, report.Signer.Subject) // true CN=DS chiptest 2,O=cancuoc test issuer,C=VN
	fmt.Println(report.DataGroups)                   // [{1 DG1 ok SHA-256} {2 DG2 ok SHA-256} ...
	// Output:
	// true CN=DS chiptest 2,O=cancuoc test issuer,C=VN
	// [{1 DG1 ok SHA-256} {2 DG2 ok SHA-256} {13 DG13 ok SHA-256} {14 DG14 ok SHA-256} {15 DG15 ok SHA-256}]
}
