package bounded

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cancuoc/sdk/chip/compact"
)

// TestCompactLimit keeps CompactObject's limit the one compact.Verify
// enforces.
func TestCompactLimit(t *testing.T) {
	if CompactObject.Limit() != compact.MaxObjectSize {
		t.Errorf("CompactObject limit %d, compact.MaxObjectSize %d", CompactObject.Limit(), compact.MaxObjectSize)
	}
}

// TestReadFileLimits writes a file at each format's limit and one byte
// over it: the first reads back whole, the second is refused with an
// error naming the file and the limit (boundary values, hand-picked).
func TestReadFileLimits(t *testing.T) {
	dir := t.TempDir()
	for f := range Format(len(formats)) {
		at := filepath.Join(dir, "at")
		over := filepath.Join(dir, "over")
		if err := os.WriteFile(at, bytes.Repeat([]byte{'a'}, int(f.Limit())), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(over, bytes.Repeat([]byte{'a'}, int(f.Limit())+1), 0o600); err != nil {
			t.Fatal(err)
		}
		b, err := ReadFile(at, f)
		if err != nil || int64(len(b)) != f.Limit() {
			t.Errorf("%s at its limit: %d bytes, %v", f, len(b), err)
		}
		_, err = ReadFile(over, f)
		var tl *TooLargeError
		if !errors.Is(err, ErrTooLarge) || !errors.As(err, &tl) || tl.Name != over {
			t.Errorf("%s over its limit: %v", f, err)
			continue
		}
		for _, want := range []string{over, f.String(), "limit", strconv.FormatInt(f.Limit(), 10)} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q does not name %q", f, err, want)
			}
		}
	}
}

// TestReadEndlessStream reads an endless stream (/dev/zero, and an
// io.Reader that never ends): refused after reading limit+1 bytes.
func TestReadEndlessStream(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err == nil {
		if _, err := ReadFile("/dev/zero", MinutiaeRecord); !errors.Is(err, ErrTooLarge) {
			t.Errorf("/dev/zero: %v", err)
		}
	}
	r := &countingReader{}
	if _, err := Read(r, "stdin", HolderJSON); !errors.Is(err, ErrTooLarge) || !strings.HasPrefix(err.Error(), "stdin: ") {
		t.Errorf("endless stream: %v", err)
	}
	if r.n > HolderJSON.Limit()+1 {
		t.Errorf("read %d bytes of an endless stream, limit %d", r.n, HolderJSON.Limit())
	}
}

type countingReader struct{ n int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	clear(p)
	r.n += int64(len(p))
	return len(p), nil
}

// TestReadErrors: a missing file keeps os's error (it names the file); a
// failing stream names the stream.
func TestReadErrors(t *testing.T) {
	if _, err := ReadFile(filepath.Join(t.TempDir(), "missing"), KeyFile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Read(io.MultiReader(strings.NewReader("ab"), errReader{}), "stdin", KeyFile); err == nil || !strings.HasPrefix(err.Error(), "stdin: ") {
		t.Errorf("failing stream: %v", err)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("broken pipe") }
