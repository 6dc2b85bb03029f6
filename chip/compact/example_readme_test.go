package compact_test

import (
	"crypto/ed25519"
	"fmt"
	"log"
	"time"

	"github.com/cancuoc/sdk/cccd"
	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/compact"
)

// Example_readme is the README's compact snippet, run: every output the
// README shows comes from here (TestReadmeOutputs in examples/tour checks).
func Example_readme() {
	issuerKey := ed25519.NewKeyFromSeed(make([]byte, 32)) // synthetic
	number, _ := cccd.Parse("001090012345")
	holder := chip.Holder{Number: number, Name: "Nguyễn Văn An", BirthDate: time.Date(1990, 3, 15, 0, 0, 0, 0, time.UTC), Sex: cccd.Male}

	obj, err := compact.Sign(nil, holder, issuerKey, compact.SignOptions{}) // holder: chip.Holder; issuerKey: ed25519.PrivateKey or any crypto.Signer
	if err != nil {
		log.Fatal(err)
	}
	shared, _ := compact.Disclose(obj, compact.ElemBirthDate) // the holder shares one item

	trust, err := compact.NewTrustStore(issuerKey.Public().(ed25519.PublicKey)) // kid = compact.KeyID(pub)
	if err != nil {
		log.Fatal(err) // errors.Is(err, compact.ErrUntrustedKey): not a usable issuer key
	}
	card, err := compact.Verify(shared, compact.VerifyOptions{Trust: trust, Require: []string{compact.ElemBirthDate}})
	if err != nil {
		log.Fatal(err) // errors.Is(err, compact.ErrSignature), compact.ErrUnknownKey, compact.ErrItems, ...
	}
	fmt.Println(card.Identifiers(), card.Holder.BirthDate.Format(time.DateOnly)) // [birth_date] 1990-03-15
	// Output:
	// [birth_date] 1990-03-15
}
