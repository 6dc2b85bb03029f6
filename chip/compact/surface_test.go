package compact

import (
	"crypto/ed25519"
	"errors"
	"testing"
)

// TestTrustStoreShapes checks that NewTrustStore and the zero value behave
// alike, as chip.NewTrustStore and chip's zero TrustStore do, and that a
// nil store is its own programming error (issue 14 item 13).
func TestTrustStoreShapes(t *testing.T) {
	obj := signTest(t, SignOptions{})
	pub := testIssuer(t).Public().(ed25519.PublicKey)

	built, err := NewTrustStore(pub)
	if err != nil {
		t.Fatal(err)
	}
	var zero TrustStore
	if err := zero.AddKey(nil, pub); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*TrustStore{"NewTrustStore(pub)": built, "zero + AddKey": &zero} {
		if s.Len() != 1 {
			t.Errorf("%s: Len %d", name, s.Len())
		}
		if _, err := Verify(obj, VerifyOptions{Trust: s, Now: testNow}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}

	empty, err := NewTrustStore()
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*TrustStore{"NewTrustStore()": empty, "zero": {}} {
		if _, err := Verify(obj, VerifyOptions{Trust: s, Now: testNow}); !errors.Is(err, ErrUnknownKey) {
			t.Errorf("%s: %v, want ErrUnknownKey", name, err)
		}
	}
	if _, err := Verify(obj, VerifyOptions{Now: testNow}); !errors.Is(err, ErrNoTrust) || errors.Is(err, ErrUnknownKey) {
		t.Errorf("nil store: %v, want ErrNoTrust only", err)
	}
	_, errs := VerifyBatch([][]byte{obj}, VerifyOptions{Now: testNow})
	if !errors.Is(errs[0], ErrNoTrust) {
		t.Errorf("VerifyBatch, nil store: %v", errs[0])
	}
	if _, err := NewTrustStore(make(ed25519.PublicKey, ed25519.PublicKeySize)); !errors.Is(err, ErrUntrustedKey) {
		t.Errorf("all-zero key: %v, want ErrUntrustedKey", err)
	}
}

// TestRequireUnknownElement asks for an item name the namespace does not
// define: ErrUnknownElement naming it, not "required item missing" (issue
// 14 item 11).
func TestRequireUnknownElement(t *testing.T) {
	obj := signTest(t, SignOptions{})
	trust := testStore(t, testIssuer(t))
	_, err := Verify(obj, VerifyOptions{Trust: trust, Now: testNow, Require: []string{ElemBirthDate, "bogus"}})
	if !errors.Is(err, ErrUnknownElement) || errors.Is(err, ErrMissingItem) {
		t.Fatalf("Require bogus: %v, want ErrUnknownElement only", err)
	}
	if want := "compact: unknown element identifier: bogus"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	// A known item that was not disclosed is still a missing item.
	shared, err := Disclose(obj, ElemNumber)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(shared, VerifyOptions{Trust: trust, Now: testNow, Require: []string{ElemBirthDate}}); !errors.Is(err, ErrMissingItem) {
		t.Errorf("undisclosed birth_date: %v", err)
	}
}
