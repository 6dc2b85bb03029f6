package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cancuoc/sdk/chip/chiptest"
)

// Issue 13 item 3: loadTrust checked a master list's signature only
// against the certificate embedded in the list, so a list signed by
// anyone was trusted. It now needs -ml-root and a signer that chains to it.
func TestLoadTrustMasterListNeedsRoot(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	anyone, err := chiptest.New(chiptest.Options{Seed: "verifyd-anyone"})
	if err != nil {
		t.Fatal(err)
	}
	legit, err := chiptest.New(chiptest.Options{Seed: "verifyd-legit"})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := anyone.SignMasterList(anyone.CSCADER())
	if err != nil {
		t.Fatal(err)
	}
	ml := write("anyone.ml", raw)
	legitRoot := write("legit.pem", legit.CSCAPEM())
	ownRoot := write("anyone.pem", anyone.CSCAPEM())
	for _, tc := range []struct {
		name  string
		roots []string
		want  string // "" for success
	}{
		{"no -ml-root", nil, "anyone.ml: master list refused: anyone can sign a master list; give the certificate of its publisher (the root its signer chains to) with -ml-root FILE"},
		{"another root", []string{legitRoot}, "anyone.ml: master list refused: master list signer not trusted"},
		{"its own root", []string{ownRoot}, ""},
	} {
		var c config
		err := c.loadTrust([]string{ml}, tc.roots, nil)
		t.Logf("%s: %v", tc.name, err)
		if tc.want == "" {
			if err != nil || c.trust.csca.Len() != 1 {
				t.Errorf("%s: %v, %d anchors", tc.name, err, c.trust.csca.Len())
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
