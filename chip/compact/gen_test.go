package compact

import (
	"crypto/ed25519"
	"os"
	"testing"
)

// TestTestdata rewrites the synthetic objects in testdata/ when run with
// COMPACT_WRITE_TESTDATA=1; otherwise it checks that the code still makes
// exactly them (salts from a seeded reader, Ed25519 is deterministic).
func TestTestdata(t *testing.T) {
	root, rootKey := testCA(t)
	full := signTest(t, SignOptions{})
	disclosed, err := Disclose(full, ElemFamilyName, ElemGivenName, ElemBirthDate, ElemFaceSHA256)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"testdata/synth_card_full_valid.cbor":      full,
		"testdata/synth_card_disclosed_valid.cbor": disclosed,
	}
	if os.Getenv("COMPACT_WRITE_TESTDATA") == "1" {
		// The certificates are signed with crypto/rand: this file is
		// written once and only checked for validity afterwards.
		leaf := testLeaf(t, root, rootKey, testIssuer(t).Public().(ed25519.PublicKey))
		files["testdata/synth_card_x5chain_valid.cbor"] = signTest(t, SignOptions{Kid: []byte{}, X5Chain: [][]byte{leaf.Raw, root.Raw}, Include: []string{ElemNumber}})
		for p, b := range files {
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for p, b := range files {
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(b) {
			t.Errorf("%s differs from what Sign makes", p)
		}
	}
}
