package compact_test

import (
	"crypto/ed25519"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/cancuoc/sdk/cccd"
	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/compact"
)

func Example() {
	// A synthetic issuer and holder.
	issuer := ed25519.NewKeyFromSeed(make([]byte, 32))
	number, _ := cccd.Parse("001090012345")
	holder := chip.Holder{
		Number:    number,
		Name:      "Nguyễn Văn An",
		BirthDate: time.Date(1990, 3, 15, 0, 0, 0, 0, time.UTC),
		Sex:       cccd.Male,
	}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

	// The issuer signs; salts come from the reader (seeded here for a
	// reproducible example; pass nil for crypto/rand).
	obj, err := compact.Sign(rand.NewChaCha8([32]byte{}), holder, issuer, compact.SignOptions{Now: now})
	if err != nil {
		panic(err)
	}
	// The holder shares only the birth date.
	shared, err := compact.Disclose(obj, compact.ElemBirthDate)
	if err != nil {
		panic(err)
	}
	// The verifier trusts the issuer's key and requires the birth date.
	var trust compact.TrustStore
	if err := trust.AddKey(nil, issuer.Public().(ed25519.PublicKey)); err != nil {
		panic(err)
	}
	card, err := compact.Verify(shared, compact.VerifyOptions{Trust: &trust, Now: now, Require: []string{compact.ElemBirthDate}})
	if err != nil {
		panic(err)
	}
	fmt.Println(card.Identifiers(), card.Holder.BirthDate.Format("2006-01-02"))
	fmt.Println(card) // personal data prints masked
	// Output:
	// [birth_date] 1990-03-15
	// compact.Card{vn.gov.cccd.1, items [birth_date]}
}
