//go:build unix

package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/sdk/chip/chiptest"
	"github.com/cancuoc/sdk/chip/reader/pcsc"
)

func TestChipEmulateUsage(t *testing.T) {
	_, _, code := runCLI(t, "", "chip", "emulate")
	require.Equal(t, exitUsage, code, "no DIR")
	_, _, code = runCLI(t, "", "chip", "emulate", "a", "b")
	require.Equal(t, exitUsage, code, "two DIRs")
	_, stderr, code := runCLI(t, "", "chip", "emulate", t.TempDir())
	require.Equal(t, exitFail, code, "an empty folder holds no card")
	require.Contains(t, stderr, "chip emulate:")
}

// The first vsmartcard reader; the tests of chip/reader/pcsc use the second
// (go test runs packages in parallel).
const e2eReader = "Virtual PCD 00 00"

// TestChipEmulateReadPCSC is issue 15's PC/SC path end to end through the
// CLI: "chip issue" writes a card, "chip emulate" attaches it to pcscd's
// virtual reader, "chip read -pcsc" reads it through pcscd, "chip verify"
// accepts what it read, and SIGTERM stops the emulator. It skips without
// pcscd and vsmartcard-vpcd (and fails instead with CANCUOC_PCSC=required).
func TestChipEmulateReadPCSC(t *testing.T) {
	skip := t.Skipf
	if os.Getenv("CANCUOC_PCSC") == "required" {
		skip = t.Fatalf
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	names, err := pcsc.ListReaders(ctx, pcsc.Options{})
	cancel()
	if err != nil {
		skip("pcscd not reachable (%v): install pcscd and vsmartcard-vpcd and start pcscd to run this test", err)
		return
	}
	if !slices.Contains(names, e2eReader) {
		skip("pcscd lists no %q reader (readers: %q): install vsmartcard-vpcd and restart pcscd", e2eReader, names)
		return
	}

	dir := t.TempDir()
	card := filepath.Join(dir, "card")
	_, stderr, code := runCLI(t, "", "chip", "issue", "-out", card)
	require.Equal(t, exitOK, code, stderr)

	emulated := make(chan int, 1)
	var emulateErr strings.Builder
	go func() {
		emulated <- run(&env{stdin: strings.NewReader(""), stdout: &strings.Builder{}, stderr: &emulateErr},
			[]string{"chip", "emulate", "-vpcd", chiptest.DefaultVPCDAddr, card})
	}()

	// pcscd notices the card at its next poll (400 ms); until then the
	// read fails as a transport error (exit 2).
	out := filepath.Join(dir, "read")
	number := chiptest.DefaultHolder().Number.Digits()
	var stdout string
	deadline := time.Now().Add(15 * time.Second)
	for {
		stdout, stderr, code = runCLI(t, "", "chip", "read", "-pcsc", "-reader", e2eReader, "-number", number, "-ca", "-aa", "-out", out)
		if code != exitUsage || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	require.Equal(t, exitOK, code, "chip read: %s", stderr)
	var res struct {
		Access               string         `json:"access"`
		ChipAuthentication   string         `json:"chip_authentication"`
		ActiveAuthentication string         `json:"active_authentication"`
		Files                map[string]int `json:"files"`
		APDUs                int            `json:"apdus"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &res))
	require.Equal(t, "PACE-ECDH-GM-AES-128", res.Access)
	require.Equal(t, "ok", res.ChipAuthentication)
	require.Equal(t, "ok", res.ActiveAuthentication)
	for _, f := range []string{"EF.CardAccess", "EF.COM", "EF.SOD", "DG1", "DG2", "DG13", "DG14", "DG15"} {
		require.Positive(t, res.Files[f], f)
	}
	t.Logf("read through pcscd: %s", strings.TrimSpace(stdout))

	// A reader name pcscd does not know: a usage error naming the readers.
	_, stderr, code = runCLI(t, "", "chip", "read", "-pcsc", "-reader", "No Such Reader 00 00", "-number", number, "-out", t.TempDir())
	require.Equal(t, exitUsage, code)
	require.Contains(t, stderr, `reader: "`+e2eReader+`"`)

	stdout, stderr, code = runCLI(t, "", "chip", "verify", "-trust", filepath.Join(card, "csca.pem"), out)
	require.Equal(t, exitOK, code, stderr)
	require.Contains(t, stdout, `"valid":true`)

	// "until SIGTERM": the emulator has registered for it (it is serving).
	require.NoError(t, syscall.Kill(os.Getpid(), syscall.SIGTERM))
	select {
	case code := <-emulated:
		require.Equal(t, exitOK, code, emulateErr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("chip emulate did not stop on SIGTERM")
	}
	require.Contains(t, emulateErr.String(), "serving")
}
