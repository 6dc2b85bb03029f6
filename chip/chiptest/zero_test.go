package chiptest_test

import (
	"testing"
	"time"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
	"github.com/cancuoc/sdk/internal/zerotest"
)

// TestZeroInputs calls the package's constructors and the issuer's
// methods with zero and nil values: errors, never panics (issue 14 item 3).
func TestZeroInputs(t *testing.T) {
	is, err := chiptest.New(chiptest.Options{Seed: "zero"})
	if err != nil {
		t.Fatal(err)
	}
	var zero time.Time
	calls := map[string]func(){
		"New":                        func() { _, _ = chiptest.New(chiptest.Options{}) },
		"GenerateKey":                func() { _, _ = chiptest.GenerateKey(0, "", "") },
		"Issuer.Issue":               func() { _, _ = is.Issue(chip.Holder{}) },
		"Issuer.Sign":                func() { _, _ = is.Sign(nil) },
		"Issuer.SignMasterList":      func() { _, _ = is.SignMasterList() },
		"Issuer.SignMasterList(nil)": func() { _, _ = is.SignMasterList(nil) },
		"Issuer.CRL(nil)":            func() { _, _ = is.CRL(nil) },
		"Issuer.CRLAt(zero)":         func() { _, _ = is.CRLAt(zero, zero) },
		"zero Issuer.CRL":            func() { _, _ = new(chiptest.Issuer).CRL() },
		"Issuer.WithDocumentSigner":  func() { _, _ = is.WithDocumentSigner(nil, zero, zero) },
		"zero Issuer.Issue":          func() { _, _ = new(chiptest.Issuer).Issue(chip.Holder{}) },
		"zero Issuer.Sign":           func() { _, _ = new(chiptest.Issuer).Sign(nil) },
		"zero Issuer.TrustStore":     func() { new(chiptest.Issuer).TrustStore() },
		"zero Card.RespondAA":        func() { _, _ = new(chiptest.Card).RespondAA(nil) },
	}
	zerotest.NoPanics(t, calls)
}
