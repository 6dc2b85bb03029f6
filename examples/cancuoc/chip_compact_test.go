package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cancuoc/sdk/chip/compact"
)

const holderFixture = "../../chip/compact/testdata/synth_holder_full.json" // synthetic, see its README

func chipCLI(t *testing.T, stdin []byte, args ...string) (stdout []byte, stderr string, code int) {
	t.Helper()
	out, stderr, code := runCLI(t, string(stdin), args...)
	return []byte(out), stderr, code
}

// keysAndCard runs keygen and sign into dir and returns the paths.
func keysAndCard(t *testing.T, dir, seed string, extra ...string) (key, pub, card string) {
	t.Helper()
	key, pub, card = filepath.Join(dir, "issuer.key"), filepath.Join(dir, "issuer.pub"), filepath.Join(dir, "card.cbor")
	if _, stderr, code := chipCLI(t, nil, "chip", "keygen", "-seed", seed, "-out", key, "-pub", pub); code != exitOK {
		t.Fatalf("keygen: exit %d: %s", code, stderr)
	}
	holder, err := os.ReadFile(holderFixture)
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"chip", "sign", "-key", key, "-seed", "salts", "-now", "2026-01-01T00:00:00Z"}, extra...)
	out, stderr, code := chipCLI(t, holder, args...)
	if code != exitOK {
		t.Fatalf("sign: exit %d: %s", code, stderr)
	}
	if err := os.WriteFile(card, out, 0o644); err != nil {
		t.Fatal(err)
	}
	return key, pub, card
}

func TestChipKeygenSignReproducible(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	ka, pa, ca := keysAndCard(t, a, "demo")
	kb, pb, cb := keysAndCard(t, b, "demo")
	for _, pair := range [][2]string{{ka, kb}, {pa, pb}, {ca, cb}} {
		x, _ := os.ReadFile(pair[0])
		y, _ := os.ReadFile(pair[1])
		if !bytes.Equal(x, y) || len(x) == 0 {
			t.Errorf("%s and %s differ with the same seeds", filepath.Base(pair[0]), filepath.Base(pair[1]))
		}
	}
	priv, _ := os.ReadFile(ka)
	pub, _ := os.ReadFile(pa)
	if !bytes.HasPrefix(priv, []byte("-----BEGIN PRIVATE KEY-----\n")) || !bytes.HasPrefix(pub, []byte("-----BEGIN PUBLIC KEY-----\n")) {
		t.Errorf("PEM types wrong:\n%s\n%s", priv, pub)
	}
	if fi, err := os.Stat(ka); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("private key mode %v", fi.Mode())
	}
	// -seed alone (no -now) is reproducible too: the time is today's midnight.
	holder, _ := os.ReadFile(holderFixture)
	x, _, _ := chipCLI(t, holder, "chip", "sign", "-key", ka, "-seed", "s")
	y, _, _ := chipCLI(t, holder, "chip", "sign", "-key", ka, "-seed", "s")
	if len(x) == 0 || !bytes.Equal(x, y) {
		t.Error("chip sign -seed without -now is not reproducible")
	}
	out, _, code := chipCLI(t, nil, "chip", "verify-cbor", "-pub", pa, writeTemp(t, x))
	if code != exitOK {
		t.Errorf("seeded card does not verify now: %s", out)
	}
	// Without -pub the public key goes to stdout.
	out, _, code = chipCLI(t, nil, "chip", "keygen", "-seed", "demo", "-out", filepath.Join(a, "k2"))
	if code != exitOK || !bytes.Equal(out, pub) {
		t.Errorf("keygen to stdout: exit %d, %q", code, out)
	}
}

func TestChipVerifyCBORContract(t *testing.T) {
	dir := t.TempDir()
	_, pub, card := keysAndCard(t, dir, "demo")
	obj, _ := os.ReadFile(card)
	bad := filepath.Join(dir, "bad.cbor")
	tampered := bytes.Clone(obj)
	tampered[len(tampered)-5] ^= 0x01 // inside the last item
	if err := os.WriteFile(bad, tampered, 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := chipCLI(t, nil, "chip", "verify-cbor", "-pub", pub, "-now", "2026-06-01T00:00:00Z", card)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	ids, _ := json.Marshal(compact.Identifiers())
	want := `{"file":"` + card + `","valid":true,"reason":"","items":` + string(ids) + "}\n"
	if string(out) != want {
		t.Errorf("got  %s\nwant %s", out, want)
	}

	out, _, code = chipCLI(t, nil, "chip", "verify-cbor", "-pub", pub, "-now", "2026-06-01T00:00:00Z", card, bad, filepath.Join(dir, "missing.cbor"))
	if code != exitFail {
		t.Errorf("mixed files: exit %d, want %d", code, exitFail)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3:\n%s", len(lines), out)
	}
	var r cborResult
	if err := json.Unmarshal([]byte(lines[1]), &r); err != nil {
		t.Fatal(err)
	}
	if r.File != bad || r.Valid || !strings.Contains(r.Reason, "digest mismatch") || len(r.Items) != 0 {
		t.Errorf("tampered: %s", lines[1])
	}
	if !strings.HasPrefix(lines[2], `{"file":"`+filepath.Join(dir, "missing.cbor")+`","valid":false,"reason":"`) {
		t.Errorf("missing file: %s", lines[2])
	}

	// Another issuer's key: the kid names no trusted key.
	other := t.TempDir()
	_, otherPub, _ := keysAndCard(t, other, "other")
	out, _, code = chipCLI(t, nil, "chip", "verify-cbor", "-pub", otherPub, "-now", "2026-06-01T00:00:00Z", card)
	if code != exitFail || !strings.Contains(string(out), "kid names no trusted issuer key") {
		t.Errorf("other key: exit %d, %s", code, out)
	}
	// Expired, and a required item that is not there.
	if _, _, code = chipCLI(t, nil, "chip", "verify-cbor", "-pub", pub, "-now", "2028-01-01T00:00:00Z", card); code != exitFail {
		t.Errorf("expired: exit %d", code)
	}
	small := filepath.Join(dir, "small.cbor")
	_, _, small0 := keysAndCard(t, t.TempDir(), "demo", "-items", "number,birth_date")
	b, _ := os.ReadFile(small0)
	os.WriteFile(small, b, 0o644)
	out, _, code = chipCLI(t, nil, "chip", "verify-cbor", "-pub", pub, "-now", "2026-06-01T00:00:00Z", "-require", "sex", small)
	if code != exitFail || !strings.Contains(string(out), "required item missing") {
		t.Errorf("require: exit %d, %s", code, out)
	}
}

func TestChipCompactUsage(t *testing.T) {
	for _, args := range [][]string{
		{"chip", "keygen", "-h"}, {"chip", "sign", "-h"}, {"chip", "verify-cbor", "-h"},
	} {
		if _, stderr, code := chipCLI(t, nil, args...); code != exitOK || !strings.Contains(stderr, "usage:") {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	for _, args := range [][]string{
		{"chip", "keygen"}, {"chip", "sign"}, {"chip", "verify-cbor", "x.cbor"}, {"chip", "verify-cbor", "-pub", "p"},
		{"chip", "sign", "-key", "k", "-now", "yesterday"},
	} {
		if _, _, code := chipCLI(t, nil, args...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", args, code, exitUsage)
		}
	}
	// A bad holder or key file is a failure, not a usage error.
	dir := t.TempDir()
	key, _, _ := keysAndCard(t, dir, "demo")
	if _, stderr, code := chipCLI(t, []byte(`{"name":"x","bogus":1}`), "chip", "sign", "-key", key); code != exitFail || !strings.Contains(stderr, "bogus") {
		t.Errorf("bad holder: exit %d, %s", code, stderr)
	}
	if _, _, code := chipCLI(t, nil, "chip", "sign", "-key", filepath.Join(dir, "none")); code != exitFail {
		t.Errorf("missing key: exit %d", code)
	}
}

func writeTemp(t *testing.T, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "card.cbor")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
