package chip

import (
	"errors"
	"fmt"
)

// Sentinel errors. Callers branch on them with errors.Is; every error the
// package returns wraps exactly one of them (a *ParseError or *VerifyError
// carries the detail).
var (
	// ErrMalformed reports bytes that do not follow the encoding the
	// specification requires (TLV, DER, CMS, certificate).
	ErrMalformed = errors.New("chip: malformed data")
	// ErrTrailingData reports bytes after the end of a complete object.
	ErrTrailingData = errors.New("chip: trailing data")
	// ErrDigestMismatch reports a hash that does not match the bytes it
	// protects: a data group against the SOD, or the SOD content against
	// its signed messageDigest attribute.
	ErrDigestMismatch = errors.New("chip: digest mismatch")
	// ErrSignature reports a signature that does not verify.
	ErrSignature = errors.New("chip: invalid signature")
	// ErrUntrustedSigner reports a Document Signer (or master-list signer)
	// that does not chain to a trust anchor, or whose issuer's CRL was
	// signed by a certificate that keyUsage does not allow to sign CRLs.
	ErrUntrustedSigner = errors.New("chip: untrusted signer")
	// ErrExpired reports a certificate outside its validity period at the
	// verification time.
	ErrExpired = errors.New("chip: certificate expired or not yet valid")
	// ErrRevoked reports a certificate listed in its issuer's CRL.
	ErrRevoked = errors.New("chip: certificate revoked")
	// ErrStaleCRL reports a certificate whose issuer has CRLs but none
	// current at the verification time (thisUpdate after it, nextUpdate
	// before it, or nextUpdate absent), so whether the certificate is
	// revoked is unknown (RFC 5280 §6.3.3; ICAO 9303-12 CRL profile).
	ErrStaleCRL = errors.New("chip: issuer's CRL not current")
	// ErrUnsupportedAlgorithm reports a hash, signature or key algorithm
	// the package does not implement.
	ErrUnsupportedAlgorithm = errors.New("chip: unsupported algorithm")
	// ErrMissingDataGroup reports a data group that the SOD or EF.COM
	// lists but that was not supplied, or that a caller asked for.
	ErrMissingDataGroup = errors.New("chip: missing data group")
	// ErrUnprotectedDataGroup reports a data group that was supplied but
	// is not protected by a hash in the SOD.
	ErrUnprotectedDataGroup = errors.New("chip: data group not protected by the SOD")
	// ErrWeakAlgorithm reports a hash, signature or key algorithm that
	// VerifyOptions.Policy refuses (a *PolicyError names it).
	ErrWeakAlgorithm = errors.New("chip: algorithm refused by policy")
	// ErrNoTrust reports verification attempted without any trust anchor.
	ErrNoTrust = errors.New("chip: no trust anchors")
	// ErrNilArgument reports a programming error: a nil pointer, or a
	// zero value, where a function needs one made by a constructor or a
	// parser of this package (a *Certificate, *SOD or *MasterList).
	ErrNilArgument = errors.New("chip: nil or zero argument")
)

// nilArgument returns an error wrapping ErrNilArgument that names the
// argument.
func nilArgument(what string) error { return fmt.Errorf("%w: %s", ErrNilArgument, what) }

// ParseError says where a decoder failed. Err is one of the sentinels
// (usually ErrMalformed, ErrTrailingData or ErrUnsupportedAlgorithm).
// It never contains the offending value, only its location.
type ParseError struct {
	// File is the file or object being decoded ("EF.SOD", "DG1", "certificate").
	File string
	// Field names the element that failed ("signerInfos", "5F1F").
	Field string
	// Offset is the byte offset of the element in the file, or -1 when unknown.
	Offset int
	// Err is the sentinel the failure wraps.
	Err error
}

// Error describes the failure and its location.
func (e *ParseError) Error() string {
	s := "chip: "
	if e.File != "" {
		s += e.File + ": "
	}
	if e.Field != "" && e.Field != e.File {
		s += e.Field + ": "
	}
	if e.Offset >= 0 {
		s += fmt.Sprintf("at offset %d: ", e.Offset)
	}
	return s + trimPrefix(e.Err)
}

// Unwrap returns the sentinel.
func (e *ParseError) Unwrap() error { return e.Err }

// trimPrefix removes the package prefix of a sentinel so nested messages
// do not repeat "chip:".
func trimPrefix(err error) string {
	if err == nil {
		return "error"
	}
	s := err.Error()
	const p = "chip: "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}
