package chip_test

import (
	"crypto/x509"
	"errors"
	"testing"
	"time"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
)

// A CRL counts only while it is current: thisUpdate <= Now <= nextUpdate
// (RFC 5280 §6.3.3 (a); ICAO 9303-12 makes nextUpdate mandatory in CSCA
// CRLs). Before this rule a stale CRL, or one replayed from before the
// Document Signer was revoked, was applied as if current. Vectors: CRLs
// signed by the chiptest CSCA with the dates of each case, checked at
// `at` (2025-03-01).
func TestCRLFreshness(t *testing.T) {
	is := newIssuer(t, chiptest.Options{Seed: "crl-fresh"})
	rogue := newIssuer(t, chiptest.Options{Seed: "crl-fresh-rogue"}) // same CSCA name, other key
	files := sign(t, is, syntheticFiles(13))
	day := 24 * time.Hour
	crl := func(is *chiptest.Issuer, this, next time.Time, revoked ...*chip.Certificate) []byte {
		t.Helper()
		der, err := is.CRLAt(this, next, revoked...)
		if err != nil {
			t.Fatal(err)
		}
		return der
	}
	var (
		current      = crl(is, at.Add(-30*day), at.Add(60*day))
		currentDS    = crl(is, at.Add(-30*day), at.Add(60*day), is.DS)
		stale        = crl(is, at.Add(-120*day), at.Add(-30*day))
		staleDS      = crl(is, at.Add(-120*day), at.Add(-30*day), is.DS)
		future       = crl(is, at.Add(day), at.Add(90*day))
		futureDS     = crl(is, at.Add(day), at.Add(90*day), is.DS)
		noNext       = crl(is, at.Add(-30*day), time.Time{})
		noNextDS     = crl(is, at.Add(-30*day), time.Time{}, is.DS)
		startsNow    = crl(is, at, at.Add(90*day))
		endsNow      = crl(is, at.Add(-90*day), at)
		rogueStale   = crl(rogue, at.Add(-120*day), at.Add(-30*day))
		rogueCurrent = crl(rogue, at.Add(-30*day), at.Add(60*day))
	)
	cases := []struct {
		name   string
		crls   [][]byte
		status string
		err    error // nil: valid
	}{
		{"control: no CRL", nil, chip.ChainOK, nil},
		{"control: current CRL, DS not listed", [][]byte{current}, chip.ChainOK, nil},
		{"control: current CRL revoking the DS", [][]byte{currentDS}, chip.ChainRevoked, chip.ErrRevoked},
		{"stale CRL (nextUpdate passed), DS not listed", [][]byte{stale}, chip.ChainStaleCRL, chip.ErrStaleCRL},
		{"stale CRL revoking the DS", [][]byte{staleDS}, chip.ChainStaleCRL, chip.ErrStaleCRL},
		{"CRL from the future (thisUpdate after Now)", [][]byte{future}, chip.ChainStaleCRL, chip.ErrStaleCRL},
		{"CRL from the future revoking the DS", [][]byte{futureDS}, chip.ChainStaleCRL, chip.ErrStaleCRL},
		{"CRL without nextUpdate", [][]byte{noNext}, chip.ChainStaleCRL, chip.ErrStaleCRL},
		{"CRL without nextUpdate revoking the DS", [][]byte{noNextDS}, chip.ChainStaleCRL, chip.ErrStaleCRL},
		{"Now equals thisUpdate", [][]byte{startsNow}, chip.ChainOK, nil},
		{"Now equals nextUpdate", [][]byte{endsNow}, chip.ChainOK, nil},
		{"stale and current CRLs, DS not listed", [][]byte{stale, current}, chip.ChainOK, nil},
		{"stale CRL and current CRL revoking the DS", [][]byte{stale, currentDS}, chip.ChainRevoked, chip.ErrRevoked},
		{"stale CRL of a rogue CSCA with the same name", [][]byte{rogueStale}, chip.ChainOK, nil},
		{"current rogue CRL does not cover a stale one", [][]byte{staleDS, rogueCurrent}, chip.ChainStaleCRL, chip.ErrStaleCRL},
	}
	for _, tc := range cases {
		// Through VerifyOptions.CRLs and through TrustStore.AddCRL.
		ts := is.TrustStore()
		for _, der := range tc.crls {
			if err := ts.AddCRL(der); err != nil {
				t.Fatal(err)
			}
		}
		for _, w := range []struct {
			how  string
			opts chip.VerifyOptions
		}{
			{"options", chip.VerifyOptions{Trust: is.TrustStore(), Now: at, CRLs: tc.crls}},
			{"store", chip.VerifyOptions{Trust: ts, Now: at}},
		} {
			how := w.how
			r, err := chip.Verify(files, w.opts)
			t.Logf("%s (%s): valid=%v chain=%s reason=%q err=%v", tc.name, how, r.Valid, r.ChainStatus, r.Reason, err)
			wantCode := chip.ReasonCode(tc.err)
			if r.ChainStatus != tc.status || (tc.err == nil) != (err == nil) || !errors.Is(err, tc.err) || r.Reason != wantCode {
				t.Errorf("%s (%s): chain %s, reason %q, err %v; want %s, %q, %v", tc.name, how, r.ChainStatus, r.Reason, err, tc.status, wantCode, tc.err)
			}
		}
	}
	if got := chip.ReasonCode(chip.ErrStaleCRL); got != "stale_crl" {
		t.Errorf("ReasonCode(ErrStaleCRL) = %q, want stale_crl", got)
	}
}

// The anchor's own revocation status follows the same rule: a CSCA link
// certificate whose root has only a stale CRL fails with ErrStaleCRL.
func TestCRLFreshnessForTheAnchor(t *testing.T) {
	is, cscaKey, ca := secIssuer(t, "crl-fresh-link")
	linkKey, err := chiptest.GenerateKey(chiptest.ECDSAP256, "crl-fresh-link", "link")
	if err != nil {
		t.Fatal(err)
	}
	linkDER := issue(t, "CSCA VN link", true, linkKey.Public(), ca, cscaKey)
	link := parseCert(t, linkDER)
	linkX, err := x509.ParseCertificate(linkDER)
	if err != nil {
		t.Fatal(err)
	}
	dsKey, _ := chiptest.GenerateKey(chiptest.ECDSAP256, "crl-fresh-link", "ds")
	ds := parseCert(t, issue(t, "DS under link", false, dsKey.Public(), linkX, linkKey))
	day := 24 * time.Hour
	for _, tc := range []struct {
		name       string
		this, next time.Time
		err        error
	}{
		{"root's CRL current", at.Add(-30 * day), at.Add(60 * day), nil},
		{"root's CRL stale", at.Add(-120 * day), at.Add(-30 * day), chip.ErrStaleCRL},
	} {
		der, err := is.CRLAt(tc.this, tc.next)
		if err != nil {
			t.Fatal(err)
		}
		ts := chip.NewTrustStore(is.CSCA, link)
		if err := ts.AddCRL(der); err != nil {
			t.Fatal(err)
		}
		_, err = ts.Chain(ds, at)
		t.Logf("%s: Chain: %v", tc.name, err)
		if (tc.err == nil) != (err == nil) || !errors.Is(err, tc.err) {
			t.Errorf("%s: Chain: %v, want %v", tc.name, err, tc.err)
		}
	}
}
