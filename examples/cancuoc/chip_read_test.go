package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// chip issue → chip read -emulate → chip verify, the issue-15 contract:
// the JSON keys in order, the CCCD's PACE, CA and AA ok, the files written
// so that chip verify accepts them.
func TestChipReadContract(t *testing.T) {
	card := filepath.Join(t.TempDir(), "card")
	if _, stderr, code := runCLI(t, "", "chip", "issue", "-out", card, "-seed", "7"); code != exitOK {
		t.Fatalf("issue: %d %s", code, stderr)
	}
	got := filepath.Join(t.TempDir(), "read")
	out, stderr, code := runCLI(t, "", "chip", "read", "-emulate", card, "-number", "001090012345", "-out", got, "-aa", "-ca", "-progress")
	if code != exitOK {
		t.Fatalf("read: exit %d %s", code, stderr)
	}
	re := regexp.MustCompile(`^\{"access":"PACE-ECDH-GM-AES-128","chip_authentication":"ok","active_authentication":"ok","files":\{"DG1":95,"DG13":\d+,"DG14":\d+,"DG15":\d+,"DG2":\d+,"EF.COM":\d+,"EF.CardAccess":\d+,"EF.SOD":\d+\},"apdus":\d+,"bytes":\d+,"ms":\d+\}\n$`)
	if !re.MatchString(out) {
		t.Fatalf("output %s", out)
	}
	if !strings.Contains(stderr, "DG2 ") || strings.Contains(out, "DG2 ") {
		t.Errorf("progress must go to stderr only: %q", stderr)
	}
	for _, n := range []string{"EF.CardAccess", "EF.COM", "EF.SOD", "DG1", "DG2", "DG13", "DG14", "DG15"} {
		a, _ := os.ReadFile(filepath.Join(card, n))
		b, err := os.ReadFile(filepath.Join(got, n))
		if err != nil || string(a) != string(b) {
			t.Errorf("%s not read back: %v", n, err)
		}
	}
	out, stderr, code = runCLI(t, "", "chip", "verify", "-trust", filepath.Join(card, "csca.pem"), got)
	if code != exitOK || !strings.HasPrefix(out, `{"valid":true`) {
		t.Fatalf("verify: %d %s %s", code, out, stderr)
	}

	// Without -aa/-ca both are skipped.
	out, _, code = runCLI(t, "", "chip", "read", "-emulate", card, "-can", "012345", "-out", t.TempDir())
	var r chipReadResult
	if code != exitOK || json.Unmarshal([]byte(out), &r) != nil || r.ChipAuthentication != "skipped" || r.ActiveAuthentication != "skipped" {
		t.Fatalf("exit %d %s", code, out)
	}

	// A wrong CAN: exit 1, access empty, nothing but EF.CardAccess seen, nothing written.
	empty := filepath.Join(t.TempDir(), "none")
	out, stderr, code = runCLI(t, "", "chip", "read", "-emulate", card, "-can", "999999", "-out", empty)
	if code != exitFail || !strings.Contains(stderr, "access denied") {
		t.Fatalf("wrong CAN: exit %d %s %s", code, out, stderr)
	}
	if _, err := os.Stat(empty); !os.IsNotExist(err) {
		t.Errorf("files written after a wrong CAN")
	}
	if strings.Contains(stderr, "999999") || strings.Contains(out, "999999") {
		t.Error("the CAN was printed")
	}

	// BAC with the MRZ works too (the card offers PACE, which also takes the MRZ).
	dg1, _ := os.ReadFile(filepath.Join(card, "DG1"))
	mrzFile := filepath.Join(t.TempDir(), "mrz.txt")
	text := string(dg1[5:35]) + "\n" + string(dg1[35:65]) + "\n" + string(dg1[65:95]) + "\n"
	os.WriteFile(mrzFile, []byte(text), 0o600)
	out, stderr, code = runCLI(t, "", "chip", "read", "-emulate", card, "-mrz", mrzFile, "-out", t.TempDir())
	if code != exitOK || !strings.Contains(out, `"access":"PACE-ECDH-GM-AES-128"`) {
		t.Fatalf("MRZ: exit %d %s %s", code, out, stderr)
	}

	// Usage errors.
	for _, args := range [][]string{
		{"chip", "read", "-emulate", card, "-out", got},                                         // no password
		{"chip", "read", "-emulate", card, "-can", "1", "-number", "001090012345", "-out", got}, // two passwords
		{"chip", "read", "-can", "012345", "-out", got},                                         // no source
		{"chip", "read", "-emulate", filepath.Join(card, "nope"), "-can", "012345", "-out", got},
		{"chip", "read", "-emulate", card, "-number", "12345", "-out", got},
	} {
		if _, _, code := runCLI(t, "", args...); code != exitUsage {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
