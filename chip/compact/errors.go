package compact

import (
	"errors"
	"fmt"
)

// Sentinel reasons for a failed verification, carried by *VerifyError.
var (
	ErrMalformed      = errors.New("compact: malformed object")
	ErrAlgorithm      = errors.New("compact: algorithm is not EdDSA")
	ErrUnknownKey     = errors.New("compact: kid names no trusted issuer key")
	ErrUntrustedKey   = errors.New("compact: issuer key refused")
	ErrSignature      = errors.New("compact: signature verification failed")
	ErrPayload        = errors.New("compact: signed payload invalid")
	ErrDocType        = errors.New("compact: unexpected docType")
	ErrNotYetValid    = errors.New("compact: object not yet valid")
	ErrExpired        = errors.New("compact: object expired")
	ErrItems          = errors.New("compact: items do not match the signed digests")
	ErrDigestMismatch = errors.New("compact: item altered (digest mismatch)")
	ErrUnsignedItem   = errors.New("compact: item not covered by the signature")
	ErrDuplicateItem  = errors.New("compact: item repeated")
	ErrMissingItem    = errors.New("compact: required item missing")
	ErrItemValue      = errors.New("compact: item malformed")
	ErrTooLarge       = errors.New("compact: object too large")
	ErrUnknownElement = errors.New("compact: unknown element identifier")
	// ErrNoTrust is a programming error: VerifyOptions.Trust is nil, so
	// no object can verify. (An empty store is a configuration that
	// trusts nobody: its objects fail with ErrUnknownKey.)
	ErrNoTrust = errors.New("compact: no trust store (VerifyOptions.Trust is nil)")
)

// ItemError reports one item that failed: altered, not covered by the
// signature, repeated, malformed, or required but missing. Identifier is
// the item's elementIdentifier as received (empty when unreadable).
type ItemError struct {
	Index      int // position in its namespace's item array, as received
	Identifier string
	DigestID   uint64
	Err        error // ErrDigestMismatch, ErrUnsignedItem, ErrDuplicateItem, ErrItemValue, ErrMissingItem or ErrUnknownElement
}

// Error names the reason and the item (never its value).
func (e *ItemError) Error() string { return fmt.Sprintf("%v: %s", e.Err, e.name()) }

// name is the item's identifier, or its position when unreadable.
func (e *ItemError) name() string {
	if e.Identifier == "" {
		return fmt.Sprintf("item #%d", e.Index)
	}
	return e.Identifier
}

// Unwrap returns the item's sentinel.
func (e *ItemError) Unwrap() error { return e.Err }

// VerifyError is the error of Verify and VerifyBatch. Reason is one of the
// sentinels above; Items lists every failing item when Reason is ErrItems,
// ErrMissingItem or ErrUnknownElement; Err is the underlying detail, if
// any: for a malformed object, which CBOR field failed and at what byte
// offset (read it with Error; its type is internal). errors.Is matches
// Reason, Err and each item's error.
type VerifyError struct {
	Reason error
	Items  []*ItemError
	Err    error
}

// Error gives the reason, up to three failing items, and the detail. Items
// that failed for the reason itself are only named ("compact: required item
// missing: birth_date, sex").
func (e *VerifyError) Error() string {
	s := e.Reason.Error()
	for i, it := range e.Items {
		switch {
		case i == 3:
			s += fmt.Sprintf("; and %d more", len(e.Items)-3)
		case it.Err == e.Reason && i == 0:
			s += ": " + it.name()
		case it.Err == e.Reason:
			s += ", " + it.name()
		default:
			s += "; " + it.Error()
		}
		if i == 3 {
			break
		}
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns Reason, Err and the item errors, for errors.Is and
// errors.As.
func (e *VerifyError) Unwrap() []error {
	errs := []error{e.Reason}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	for _, it := range e.Items {
		errs = append(errs, it)
	}
	return errs
}

func fail(reason, err error) *VerifyError { return &VerifyError{Reason: reason, Err: err} }
