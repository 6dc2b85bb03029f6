package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestKeygenRefusesOverwrite runs "chip keygen" twice on the same files:
// the second run must fail and leave the first key in place, -force
// replaces it, and the private key is mode 0600 even when it replaces a
// world-readable file (issue 14 item 2).
func TestKeygenRefusesOverwrite(t *testing.T) {
	dir := t.TempDir()
	key, pub := filepath.Join(dir, "issuer.key"), filepath.Join(dir, "issuer.pub")
	_, stderr, code := runCLI(t, "", "chip", "keygen", "-out", key, "-pub", pub)
	require.Equal(t, exitOK, code, stderr)
	first, err := os.ReadFile(key)
	require.NoError(t, err)
	st, err := os.Stat(key)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	_, stderr, code = runCLI(t, "", "chip", "keygen", "-out", key, "-pub", pub)
	assert.Equal(t, exitFail, code, "a second keygen must not replace the key")
	assert.Contains(t, stderr, key+": exists; use -force to replace it")
	again, err := os.ReadFile(key)
	require.NoError(t, err)
	assert.Equal(t, first, again, "the existing key is untouched")

	// The public key is key material too: an existing one is kept.
	other := filepath.Join(dir, "other.key")
	_, stderr, code = runCLI(t, "", "chip", "keygen", "-out", other, "-pub", pub)
	assert.Equal(t, exitFail, code)
	assert.Contains(t, stderr, pub+": exists")
	_, err = os.Stat(other)
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing is written when one output exists")

	// -force replaces, and the new private key is 0600 even over a 0644 file.
	require.NoError(t, os.Chmod(key, 0o644))
	_, stderr, code = runCLI(t, "", "chip", "keygen", "-force", "-out", key, "-pub", pub)
	require.Equal(t, exitOK, code, stderr)
	replaced, err := os.ReadFile(key)
	require.NoError(t, err)
	assert.NotEqual(t, first, replaced)
	st, err = os.Stat(key)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())
}

// TestSignTooLarge signs a holder with a 100,000-character name: the CLI
// must refuse (exit 1, naming the limit) instead of writing an object
// "chip verify-cbor" rejects (issue 14 item 5).
func TestSignTooLarge(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "issuer.key")
	_, stderr, code := runCLI(t, "", "chip", "keygen", "-seed", "t", "-out", key, "-pub", filepath.Join(dir, "issuer.pub"))
	require.Equal(t, exitOK, code, stderr)
	holder := `{"number":"001095012345","name":"` + strings.Repeat("A", 100_000) + `","birth_date":"1995-03-17","sex":"M"}`
	out, stderr, code := runCLI(t, holder, "chip", "sign", "-key", key)
	assert.Equal(t, exitFail, code)
	assert.Empty(t, out, "nothing is written")
	assert.Contains(t, stderr, "object too large")
	assert.Contains(t, stderr, "16384")
}
