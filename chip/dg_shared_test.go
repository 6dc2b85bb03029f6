package chip

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ldsDir is the shared real-file corpus; its README states the expected
// values the tests below check.
const ldsDir = "../testdata/lds"

func readLDS(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(ldsDir, name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func unhex(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
