package biometric

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors returned (wrapped in a [*DecodeError] or an encode error)
// by the codecs. Callers branch on them with errors.Is.
var (
	// ErrMagic means the record does not start with the format identifier
	// "FMR\x00".
	ErrMagic = errors.New("biometric: not a finger minutiae record")
	// ErrVersion means the version field names an edition this package does
	// not decode.
	ErrVersion = errors.New("biometric: unsupported record version")
	// ErrTruncated means the input ends before a field the record declares.
	ErrTruncated = errors.New("biometric: truncated record")
	// ErrLength means a length field disagrees with the data: the declared
	// record length is not the input length, or bytes are left over.
	ErrLength = errors.New("biometric: record length mismatch")
	// ErrTooMany means a count exceeds what the format (or this package's
	// bound) allows: views, minutiae per view, extended data size.
	ErrTooMany = errors.New("biometric: too many items")
	// ErrNoViews means the record declares no finger views.
	ErrNoViews = errors.New("biometric: record has no finger views")
	// ErrField means a field holds a value the format reserves or forbids,
	// such as minutia type 3 or a coordinate that does not fit its bits.
	ErrField = errors.New("biometric: invalid field value")
	// ErrFormat means the input matches no known record format, or the
	// requested format is not one this package can encode.
	ErrFormat = errors.New("biometric: unknown record format")
)

// DecodeError reports where a record failed to decode: the format being
// read, the field (such as "view 0 minutia 3"), the byte offset of that field
// in the input, and the reason, one of the sentinel errors above.
// It never includes field values.
type DecodeError struct {
	Format Format
	Field  string
	Offset int
	Err    error
}

// Error describes the failure without printing any template data.
func (e *DecodeError) Error() string {
	reason := "invalid"
	if e.Err != nil {
		reason = strings.TrimPrefix(e.Err.Error(), "biometric: ")
	}
	return fmt.Sprintf("biometric: %v: %s at offset %d: %s", e.Format, e.Field, e.Offset, reason)
}

// Unwrap returns the sentinel reason so errors.Is works.
func (e *DecodeError) Unwrap() error { return e.Err }

// EncodeError reports why a [Template] cannot be written in a format: the
// field that does not fit and the reason (a sentinel error).
type EncodeError struct {
	Format Format
	Field  string
	Err    error
}

// Error describes the failure without printing any template data.
func (e *EncodeError) Error() string {
	reason := "invalid"
	if e.Err != nil {
		reason = strings.TrimPrefix(e.Err.Error(), "biometric: ")
	}
	return fmt.Sprintf("biometric: encode %v: %s: %s", e.Format, e.Field, reason)
}

// Unwrap returns the sentinel reason so errors.Is works.
func (e *EncodeError) Unwrap() error { return e.Err }
