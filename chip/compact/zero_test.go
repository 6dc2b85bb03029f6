package compact_test

import (
	"crypto/x509"
	"testing"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/compact"
	"github.com/cancuoc/sdk/internal/zerotest"
)

// TestZeroInputs calls every exported function of the package with zero
// and nil values: each must return an error (or an empty result), never
// panic (issue 14 item 3).
func TestZeroInputs(t *testing.T) {
	calls := map[string]func(){
		"Sign":                      func() { _, _ = compact.Sign(nil, chip.Holder{}, nil, compact.SignOptions{}) },
		"Verify":                    func() { _, _ = compact.Verify(nil, compact.VerifyOptions{}) },
		"VerifyBatch":               func() { compact.VerifyBatch(nil, compact.VerifyOptions{}) },
		"VerifyBatch([nil])":        func() { compact.VerifyBatch([][]byte{nil}, compact.VerifyOptions{}) },
		"Disclose":                  func() { _, _ = compact.Disclose(nil) },
		"KeyID":                     func() { compact.KeyID(nil) },
		"TrustStore.AddKey":         func() { _ = new(compact.TrustStore).AddKey(nil, nil) },
		"TrustStore.AddCertificate": func() { _ = new(compact.TrustStore).AddCertificate((*x509.Certificate)(nil)) },
		"nil TrustStore.Len":        func() { (*compact.TrustStore)(nil).Len() },
		"Card.Identifiers":          func() { compact.Card{}.Identifiers() },
		"Card.String":               func() { _ = compact.Card{}.String() },
	}
	zerotest.NoPanics(t, calls)
}
