package compact_test

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/cancuoc/sdk/cccd"
	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/compact"
)

// synthetic returns a synthetic issuer key and holder for the examples.
func synthetic() (ed25519.PrivateKey, chip.Holder) {
	number, _ := cccd.Parse("001090012345")
	return ed25519.NewKeyFromSeed(make([]byte, 32)), chip.Holder{
		Number: number, Name: "Nguyễn Văn An", Sex: cccd.Male,
		BirthDate: time.Date(1990, 3, 15, 0, 0, 0, 0, time.UTC),
	}
}

var exampleNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func ExampleSign() {
	issuer, holder := synthetic()
	// Seeded salts and a fixed time make the bytes reproducible; pass nil
	// and a zero Now in production.
	obj, err := compact.Sign(rand.NewChaCha8([32]byte{}), holder, issuer, compact.SignOptions{Now: exampleNow, Include: []string{compact.ElemNumber, compact.ElemBirthDate}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(obj) <= compact.MaxObjectSize)
	// Everything Sign returns verifies: a holder too large is refused.
	holder.PlaceOfResidence = string(make([]byte, compact.MaxObjectSize))
	_, err = compact.Sign(nil, holder, issuer, compact.SignOptions{})
	fmt.Println(errors.Is(err, compact.ErrTooLarge))
	// Output:
	// true
	// true
}

func ExampleVerify() {
	issuer, holder := synthetic()
	obj, _ := compact.Sign(nil, holder, issuer, compact.SignOptions{Now: exampleNow})
	trust, _ := compact.NewTrustStore(issuer.Public().(ed25519.PublicKey))

	card, err := compact.Verify(obj, compact.VerifyOptions{Trust: trust, Now: exampleNow})
	fmt.Println(card, err)
	_, err = compact.Verify(obj, compact.VerifyOptions{Trust: trust, Now: exampleNow.AddDate(2, 0, 0)})
	fmt.Println(errors.Is(err, compact.ErrExpired), err)
	_, err = compact.Verify(obj, compact.VerifyOptions{Now: exampleNow})
	fmt.Println(errors.Is(err, compact.ErrNoTrust))
	// Output:
	// compact.Card{vn.gov.cccd.1, number 001*******45, items [number family_name given_name birth_date sex expiry_date]} <nil>
	// true compact: object expired
	// true
}

func ExampleVerifyBatch() {
	issuer, holder := synthetic()
	good, _ := compact.Sign(nil, holder, issuer, compact.SignOptions{Now: exampleNow})
	bad := append([]byte(nil), good...)
	bad[len(bad)-1] ^= 1 // one bit of the last item
	trust, _ := compact.NewTrustStore(issuer.Public().(ed25519.PublicKey))

	cards, errs := compact.VerifyBatch([][]byte{good, bad}, compact.VerifyOptions{Trust: trust, Now: exampleNow})
	for i := range cards {
		fmt.Println(cards[i] != nil, errs[i] == nil, errors.Is(errs[i], compact.ErrDigestMismatch))
	}
	// Output:
	// true true false
	// false false true
}

func ExampleDisclose() {
	issuer, holder := synthetic()
	obj, _ := compact.Sign(nil, holder, issuer, compact.SignOptions{Now: exampleNow})
	shared, err := compact.Disclose(obj, compact.ElemBirthDate, compact.ElemSex)
	fmt.Println(len(shared) < len(obj), err)
	_, err = compact.Disclose(obj, compact.ElemSpouseName)
	fmt.Println(err)
	// Output:
	// true <nil>
	// compact: required item missing: spouse_name
}

func ExampleNewTrustStore() {
	issuer, _ := synthetic()
	trust, err := compact.NewTrustStore(issuer.Public().(ed25519.PublicKey))
	fmt.Println(trust.Len(), err)
	// The zero value is an empty store too; AddKey fills it the same way.
	var same compact.TrustStore
	err = same.AddKey(nil, issuer.Public().(ed25519.PublicKey))
	fmt.Println(same.Len(), err)
	// An all-zero key is of small order: refused.
	_, err = compact.NewTrustStore(make(ed25519.PublicKey, ed25519.PublicKeySize))
	fmt.Println(errors.Is(err, compact.ErrUntrustedKey))
	// Output:
	// 1 <nil>
	// 1 <nil>
	// true
}
