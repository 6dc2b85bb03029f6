// Package bounded reads files and streams up to a limit that fits what
// they hold, for the operator CLI (examples/cancuoc), the verification
// service (examples/verifyd) and the evaluation harness of biometric. A
// reader that trusts its input's size can be made to allocate gigabytes
// (/dev/zero, a mistyped path to a disk image); one that applies a single
// generous limit to everything lets a minutiae record grow to megabytes
// before the decoder says no. Each Format here has its own limit, and an
// input over it is refused after reading at most limit+1 bytes, with an
// error that names the input and the limit.
//
// # Security
//
// The limits bound memory, not time: a slow stream is read until it ends
// or passes its limit. Callers that face the network bound time themselves
// (verifyd's server timeouts).
package bounded

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Format is a kind of input, with the largest size it can honestly have.
type Format int

// The formats read from files and streams.
const (
	// MinutiaeRecord is a finger minutiae record (ISO/IEC 19794-2:2005 or
	// :2011, ANSI INCITS 378): at most 255 minutiae of 6 bytes per view,
	// a few KB in practice; 64 KiB also holds every record whose length
	// fits the 2-byte field of ISO/IEC 19794-2:2005.
	MinutiaeRecord Format = iota
	// KeyFile is a PEM key (PKCS#8 private or PKIX public): well under
	// 1 KiB for the Ed25519 keys of compact signed cards.
	KeyFile
	// Certificate is a certificate file, PEM (possibly several blocks) or
	// DER: a CSCA certificate is 1 to 2 KB.
	Certificate
	// MasterList is a CSCA master list (ICAO Doc 9303-12 section 9), or a
	// file that may be either a certificate or a master list: the largest
	// published lists (some 500 CSCA certificates) are about 1 MB.
	MasterList
	// ChipFile is one file of a chip's LDS (EF.COM, EF.SOD, DG1..DG16):
	// the face image of DG2 makes the largest, a few hundred KB at most.
	ChipFile
	// CompactObject is a compact signed card object (chip/compact): the
	// limit is compact.MaxObjectSize, the size Verify accepts (a test
	// keeps the two equal; this package imports no SDK package, so that
	// every package may use it).
	CompactObject
	// HolderJSON is holder data as JSON (chip.ParseHolderJSON), a face
	// JPEG in base64 included.
	HolderJSON
	// MRZText is a machine-readable zone as text: at most three lines of
	// 44 characters; 4 KiB leaves room for blanks and line ends.
	MRZText
)

var formats = [...]struct {
	name  string
	limit int64
}{
	MinutiaeRecord: {"minutiae record", 64 << 10},
	KeyFile:        {"key file", 16 << 10},
	Certificate:    {"certificate file", 1 << 20},
	MasterList:     {"master list", 8 << 20},
	ChipFile:       {"chip file", 1 << 20},
	CompactObject:  {"compact card object", 16 << 10},
	HolderJSON:     {"holder JSON", 4 << 20},
	MRZText:        {"MRZ text", 4 << 10},
}

// Limit returns the largest input of format f, in bytes.
func (f Format) Limit() int64 { return formats[f].limit }

// String names the format, as in "minutiae record".
func (f Format) String() string { return formats[f].name }

// ErrTooLarge is matched by every *TooLargeError.
var ErrTooLarge = errors.New("input larger than its format allows")

// TooLargeError reports an input over its format's limit.
type TooLargeError struct {
	Name   string // the file name, or what the stream is (such as "stdin")
	Format Format
}

// Error names the input, the format and the limit.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s: larger than %d bytes, the limit for a %s", e.Name, e.Format.Limit(), e.Format)
}

// Unwrap returns ErrTooLarge.
func (e *TooLargeError) Unwrap() error { return ErrTooLarge }

// ReadFile reads the file name, refusing it with a *TooLargeError when it
// holds more than f's limit. A regular file is judged by its size before
// any byte is read; anything else (a device, a pipe) is read up to the
// limit plus one byte. Other errors are those of package os, which name
// the file.
func ReadFile(name string, f Format) ([]byte, error) {
	file, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	if st, err := file.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > f.Limit() {
		return nil, &TooLargeError{Name: name, Format: f}
	}
	return Read(file, name, f)
}

// Read reads r to its end, refusing it with a *TooLargeError naming name
// when it holds more than f's limit; it never reads more than limit+1
// bytes.
func Read(r io.Reader, name string, f Format) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, f.Limit()+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(b)) > f.Limit() {
		return nil, &TooLargeError{Name: name, Format: f}
	}
	return b, nil
}
