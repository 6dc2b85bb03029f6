package chip_test

import (
	"crypto/x509"
	"errors"
	"testing"
	"time"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/internal/zerotest"
	"github.com/cancuoc/sdk/mrz"
)

// TestZeroInputs calls every exported constructor, parser and verifier of
// the package with zero and nil values: each must return an error (or an
// empty result), never panic (issue 14 item 3).
func TestZeroInputs(t *testing.T) {
	var zero time.Time
	calls := map[string]func(){
		"Verify":                     func() { _, _ = chip.Verify(nil, chip.VerifyOptions{}) },
		"BuildDataGroups":            func() { _, _ = chip.BuildDataGroups(chip.Holder{}, chip.BuildOptions{}) },
		"BuildSOD":                   func() { _, _ = chip.BuildSOD(nil, chip.SODOptions{}) },
		"BuildMasterList":            func() { _, _ = chip.BuildMasterList(nil, chip.SODOptions{}) },
		"VerifyActiveAuthentication": func() { _ = chip.VerifyActiveAuthentication(nil, nil, nil, nil) },
		"MarshalPublicKeyInfo":       func() { _, _ = chip.MarshalPublicKeyInfo(nil) },
		"ParseCOM":                   func() { _, _ = chip.ParseCOM(nil) },
		"ParseCertificate":           func() { _, _ = chip.ParseCertificate(nil) },
		"ParseCertificates":          func() { _, _ = chip.ParseCertificates(nil) },
		"ParseDG1":                   func() { _, _ = chip.ParseDG1(nil) },
		"ParseDG2":                   func() { _, _ = chip.ParseDG2(nil) },
		"ParseDG11":                  func() { _, _ = chip.ParseDG11(nil) },
		"ParseDG12":                  func() { _, _ = chip.ParseDG12(nil) },
		"ParseDG13":                  func() { _, _ = chip.ParseDG13(nil) },
		"ParseDG14":                  func() { _, _ = chip.ParseDG14(nil) },
		"ParseDG15":                  func() { _, _ = chip.ParseDG15(nil) },
		"ParseDG16":                  func() { _, _ = chip.ParseDG16(nil) },
		"ParseDataGroup":             func() { _, _ = chip.ParseDataGroup(0, nil) },
		"ParseOpaque":                func() { _, _ = chip.ParseOpaque(0, nil) },
		"ParseSOD":                   func() { _, _ = chip.ParseSOD(nil) },
		"ParseMasterList":            func() { _, _ = chip.ParseMasterList(nil) },
		"ParseHolderJSON":            func() { _, _ = chip.ParseHolderJSON(nil) },
		"NewDG1":                     func() { _, _ = chip.NewDG1(mrz.Document{}).Encode() },
		"NewDG2":                     func() { _, _ = chip.NewDG2(nil) },
		"NewDG13":                    func() { _, _ = chip.NewDG13(chip.Holder{}, "").Encode() },
		"NewDG15":                    func() { _, _ = chip.NewDG15(nil) },
		"NewTrustStore(nil)":         func() { chip.NewTrustStore(nil).Len() },
		"TrustStore.Add(nil)":        func() { chip.NewTrustStore().Add(nil) },
		"TrustStore.AddX509(nil)":    func() { _ = chip.NewTrustStore().AddX509((*x509.Certificate)(nil)) },
		"TrustStore.AddEncoded(nil)": func() { _ = chip.NewTrustStore().AddEncoded(nil) },
		"TrustStore.AddMasterList(nil)": func() {
			_ = chip.NewTrustStore().AddMasterList(nil, nil, zero)
		},
		"TrustStore.AddMasterListFromTrustedChannel(nil)": func() {
			_ = chip.NewTrustStore().AddMasterListFromTrustedChannel(nil)
		},
		"TrustStore.AddCRL(nil)":           func() { _ = chip.NewTrustStore().AddCRL(nil) },
		"TrustStore.Chain(nil)":            func() { _, _ = chip.NewTrustStore().Chain(nil, zero) },
		"zero TrustStore.Add(nil)":         func() { new(chip.TrustStore).Add(nil) },
		"TrustStore.Add(zero Certificate)": func() { chip.NewTrustStore().Add(&chip.Certificate{}) },
		"NewTrustStore(zero Certificate)":  func() { chip.NewTrustStore(&chip.Certificate{}) },
		"zero SOD.DataGroupHash":           func() { new(chip.SOD).DataGroupHash(1) },
		"zero Certificate.ValidAt":         func() { new(chip.Certificate).ValidAt(zero) },
		"zero Certificate.PublicKey":       func() { new(chip.Certificate).PublicKey() },
		"zero Certificate.X509":            func() { _, _ = new(chip.Certificate).X509() },
		"zero TrustStore.AddEncoded":       func() { _ = new(chip.TrustStore).AddEncoded(nil) },
		"nil TrustStore.Len":               func() { (*chip.TrustStore)(nil).Len() },
		"MasterList.VerifySigner(nil)":     func() { _ = new(chip.MasterList).VerifySigner(nil, zero) },
		"SOD.VerifySignature(nil)":         func() { _ = new(chip.SOD).VerifySignature(nil) },
		"SOD.SignerCertificate":            func() { _, _ = new(chip.SOD).SignerCertificate() },
		"SOD.CheckMessageDigest":           func() { _ = new(chip.SOD).CheckMessageDigest() },
		"SOD.SignerMatches(nil)":           func() { new(chip.SOD).SignerMatches(nil) },
		"Certificate.CheckSignatureFrom":   func() { _ = new(chip.Certificate).CheckSignatureFrom(nil) },
		"Certificate.KeyError":             func() { _ = new(chip.Certificate).KeyError() },
		"DG13.Holder":                      func() { _, _ = new(chip.DG13).Holder() },
		"DG1.Document":                     func() { _, _ = new(chip.DG1).Document() },
		"DG14.ActiveAuthenticationInfo":    func() { new(chip.DG14).ActiveAuthenticationInfo() },
		"Holder.Validate":                  func() { _ = chip.Holder{}.Validate() },
	}
	zerotest.NoPanics(t, calls)
	// The verifiers say why, with the sentinel for a programming error.
	for name, err := range map[string]error{
		"SOD.VerifySignature(nil)":       new(chip.SOD).VerifySignature(nil),
		"TrustStore.AddMasterList(nil)":  chip.NewTrustStore().AddMasterList(nil, nil, zero),
		"Certificate.CheckSignatureFrom": new(chip.Certificate).CheckSignatureFrom(nil),
	} {
		if !errors.Is(err, chip.ErrNilArgument) {
			t.Errorf("%s: %v, want ErrNilArgument", name, err)
		}
	}
}
