package main

import (
	"crypto"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cancuoc/sdk/chip/chiptest"
)

// Issue 13 item 3: "chip verify -trust anyone.ml card/" answered
// valid:true for a card of whoever signed the list. A master list now
// needs -ml-root, and its signer must chain to it.
func TestChipVerifyMasterListNeedsRoot(t *testing.T) {
	tmp := t.TempDir()
	card := filepath.Join(tmp, "card")
	if _, stderr, code := runCLI(t, "", "chip", "issue", "-out", card, "-seed", "anyone"); code != exitOK {
		t.Fatalf("issue: %s", stderr)
	}
	legit := filepath.Join(tmp, "legit")
	if _, stderr, code := runCLI(t, "", "chip", "issue", "-out", legit, "-seed", "legit"); code != exitOK {
		t.Fatalf("issue: %s", stderr)
	}
	// The card's issuer (same seed: same keys) signs a list of its CSCA.
	is, err := chiptest.New(chiptest.Options{Seed: "anyone"})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := is.SignMasterList(is.CSCADER())
	if err != nil {
		t.Fatal(err)
	}
	ml := filepath.Join(tmp, "anyone.ml")
	if err := os.WriteFile(ml, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stdout string // prefix
		stderr string // substring
	}{
		{"no -ml-root", []string{"-trust", ml}, exitFail, "", "master list refused: anyone can sign a master list; give the certificate of its publisher (the root its signer chains to) with -ml-root FILE"},
		{"another root", []string{"-trust", ml, "-ml-root", filepath.Join(legit, "csca.pem")}, exitFail, "", "anyone.ml: master list refused: master list signer not trusted: chain of"},
		{"the list's own root", []string{"-trust", ml, "-ml-root", filepath.Join(card, "csca.pem")}, exitOK, `{"valid":true,`, ""},
	} {
		args := append(append([]string{"chip", "verify"}, tc.args...), card)
		out, stderr, code := runCLI(t, "", args...)
		t.Logf("%s: exit %d, stdout %q, stderr %q", tc.name, code, out, stderr)
		if code != tc.code || !strings.HasPrefix(out, tc.stdout) || !strings.Contains(stderr, tc.stderr) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", tc.name, code, out, stderr)
		}
	}
}

// Issue 13 item 5: a SHA-1 card (written here with chiptest) is refused by
// default with reason weak_algorithm, and verifies with -legacy-algorithms.
func TestChipVerifyLegacyAlgorithms(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "card")
	is, err := chiptest.New(chiptest.Options{Seed: "cli-sha1", Hash: crypto.SHA1})
	if err != nil {
		t.Fatal(err)
	}
	card, err := is.Issue(chiptest.DefaultHolder())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, b := range card.Files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	csca := filepath.Join(dir, "csca.pem")
	if err := os.WriteFile(csca, is.CSCAPEM(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code := runCLI(t, "", "chip", "verify", "-trust", csca, dir)
	if code != exitFail || !strings.HasPrefix(out, `{"valid":false,"reason":"weak_algorithm",`) {
		t.Fatalf("default: exit %d %s", code, out)
	}
	out, _, code = runCLI(t, "", "chip", "verify", "-trust", csca, "-legacy-algorithms", dir)
	if code != exitOK || !strings.HasPrefix(out, `{"valid":true,`) {
		t.Fatalf("-legacy-algorithms: exit %d %s", code, out)
	}
}
