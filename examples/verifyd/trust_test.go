package main

import (
	"crypto"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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

// Issue 13 item 5: the CCCD profile requires SHA-256 or better. A card
// signed with SHA-1 throughout (ecdsa-with-SHA1), by a CSCA the service
// trusts, verified before; it is now refused with reason weak_algorithm,
// while the same card with SHA-256 verifies.
func TestCardProfileRefusesSHA1(t *testing.T) {
	for _, tc := range []struct {
		hash   crypto.Hash
		valid  bool
		reason string
	}{{crypto.SHA256, true, ""}, {crypto.SHA1, false, "weak_algorithm"}} {
		is, err := chiptest.New(chiptest.Options{Seed: "verifyd-profile", Hash: tc.hash})
		if err != nil {
			t.Fatal(err)
		}
		card, err := is.Issue(chiptest.DefaultHolder())
		if err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{}
		for name, b := range card.Files {
			if knownFile(name) { // the files a phone posts (not EF.CardAccess)
				files[name] = b
			}
		}
		cfg := config{trust: trustConfig{csca: is.TrustStore()}}
		srv := httptest.NewServer(newServer(cfg, slog.New(slog.NewJSONHandler(io.Discard, nil))))
		code, out := post(t, srv, "/v1/cards/verify", "application/json", cardBody(t, files, nil))
		srv.Close()
		t.Logf("%v: %d valid=%v reason=%v", tc.hash, code, out["valid"], out["reason"])
		if code != http.StatusOK || out["valid"] != tc.valid || out["reason"] != tc.reason {
			t.Errorf("%v: status %d, %v", tc.hash, code, out)
		}
	}
}
