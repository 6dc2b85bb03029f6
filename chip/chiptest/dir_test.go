package chiptest

import (
	"bytes"
	"crypto"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Round trip through a folder for every AA key type (RSA, NIST, brainpool)
// and the default brainpool CA key: files, keys and the test-material
// warning.
func TestWriteLoadCard(t *testing.T) {
	for i, kt := range []KeyType{ECDSAP256, BrainpoolP384r1, RSA2048} {
		opts := Options{Seed: "dir", AAKeyType: kt, CACurve: "P-384"}
		if i == 2 {
			opts.ChipAuthentication, opts.CACurve = "CA-DH-AES-128", "MODP-1024-160"
		}
		is, err := New(opts)
		if err != nil {
			t.Fatal(err)
		}
		c, err := is.Issue(DefaultHolder())
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		names, err := WriteCard(dir, c)
		if err != nil {
			t.Fatal(err)
		}
		if len(names) != len(c.Files)+2 {
			t.Fatalf("wrote %v", names)
		}
		pemText, _ := os.ReadFile(filepath.Join(dir, AAKeyFile))
		if !strings.Contains(string(pemText), "test material") {
			t.Error("key file not marked as test material")
		}
		back, err := LoadCard(dir)
		if err != nil {
			t.Fatal(err)
		}
		for n, b := range c.Files {
			if !bytes.Equal(back.Files[n], b) {
				t.Errorf("%s differs", n)
			}
		}
		for _, pair := range [][2]crypto.PrivateKey{{c.AAKey, back.AAKey}, {c.CAKey, back.CAKey}} {
			type equaler interface{ Equal(crypto.PrivateKey) bool }
			if e, ok := pair[0].(equaler); !ok || !e.Equal(pair[1]) {
				t.Errorf("%v: key %T does not round trip", kt, pair[0])
			}
		}
	}
	if _, err := LoadCard(t.TempDir()); err == nil {
		t.Error("empty folder loaded")
	}
}
