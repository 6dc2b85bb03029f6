package cose

import (
	"os"
	"testing"
)

// TestGenerateSeeds rewrites testdata/synth_sign1_*.cbor when run with
// COSE_WRITE_TESTDATA=1; otherwise it checks they are what the code makes.
func TestGenerateSeeds(t *testing.T) {
	seeds := map[string]Sign1Options{
		"testdata/synth_sign1_kid_valid.cbor":     {Kid: []byte("issuer-1")},
		"testdata/synth_sign1_x5chain_valid.cbor": {X5Chain: [][]byte{{0x30, 0x00}, {0x30, 0x01, 0x00}}},
		"testdata/synth_sign1_bare_valid.cbor":    {},
	}
	for path, opts := range seeds {
		b, err := SignEd25519(nil, testKey(), []byte("synthetic payload"), opts)
		if err != nil {
			t.Fatal(err)
		}
		if os.Getenv("COSE_WRITE_TESTDATA") == "1" {
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(b) {
			t.Errorf("%s differs from what SignEd25519 makes (Ed25519 is deterministic)", path)
		}
	}
}
