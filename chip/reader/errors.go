package reader

import (
	"errors"

	"github.com/cancuoc/sdk/internal/apdu"
)

// Sentinel errors. Every error of the package wraps one of them (or
// ErrCardRemoved, or the context's error) inside an *Error that says
// which step failed and with which status word.
var (
	// ErrAccessDenied reports a wrong password (CAN, MRZ) or a file the
	// card refuses to read (6982).
	ErrAccessDenied = errors.New("reader: access denied")
	// ErrSecureMessaging reports a protected response that does not
	// verify, or an unprotected answer inside a secure session. The
	// session is over.
	ErrSecureMessaging = errors.New("reader: secure messaging failed")
	// ErrNotSupported reports a protocol, file or parameter the card (or
	// this package) does not support.
	ErrNotSupported = errors.New("reader: not supported")
	// ErrCardStatus reports an unexpected status word.
	ErrCardStatus = errors.New("reader: unexpected status")
	// ErrMalformed reports a card answer that does not parse.
	ErrMalformed = errors.New("reader: malformed card response")
	// ErrChipAuthentication reports a chip that fails chip
	// authentication: a likely clone.
	ErrChipAuthentication = errors.New("reader: chip authentication failed")
	// ErrActiveAuthentication reports a chip whose active-authentication
	// signature does not verify: a likely clone.
	ErrActiveAuthentication = errors.New("reader: active authentication failed")
)

// Error is a failed step. It never holds keys, passwords or file data.
type Error struct {
	// Step is what the reader was doing: "PACE", "BAC", "read DG2",
	// "chip authentication"...
	Step string
	// SW is the status word that ended the step, 0 when none.
	SW uint16
	// Err is the sentinel (or the transport's or context's error).
	Err error
	// Detail explains, without data.
	Detail string
}

// Error describes the step, status word and reason.
func (e *Error) Error() string {
	s := "reader: " + e.Step
	if e.SW != 0 {
		s += ": status " + apdu.SWString(e.SW)
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s + ": " + trim(e.Err)
}

// Unwrap returns the sentinel.
func (e *Error) Unwrap() error { return e.Err }

func trim(err error) string {
	s := err.Error()
	const p = "reader: "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

// statusError classifies a status word of a step.
func statusError(step string, sw uint16) *Error {
	switch {
	case sw == apdu.SWSecurityNotSatisfied, sw == apdu.SWAuthBlocked:
		return &Error{Step: step, SW: sw, Err: ErrAccessDenied}
	case sw == apdu.SWSMObjectsMissing, sw == apdu.SWSMObjectsIncorrect:
		return &Error{Step: step, SW: sw, Err: ErrSecureMessaging}
	case sw == apdu.SWINSNotSupported, sw == apdu.SWCLANotSupported, sw == apdu.SWFunctionNotSupported,
		sw == apdu.SWFileNotFound, sw == apdu.SWReferenceNotFound, sw == apdu.SWWrongP1P2:
		return &Error{Step: step, SW: sw, Err: ErrNotSupported}
	}
	return &Error{Step: step, SW: sw, Err: ErrCardStatus}
}
