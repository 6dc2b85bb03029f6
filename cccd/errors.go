package cccd

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Callers branch on them with errors.Is; a *ParseError
// wrapping one of them says which field failed and where.
var (
	// ErrLength means the input does not have 12 digits (or, for the old
	// number of a QR text, 9 or 12).
	ErrLength = errors.New("cccd: wrong number of digits")
	// ErrDigit means a character that is not a decimal digit (or, for the
	// lenient parsers, not an accepted separator).
	ErrDigit = errors.New("cccd: unexpected character")
	// ErrProvince means the 3-digit prefix is neither one of the 63 province
	// codes nor in the range for births registered abroad (100-299).
	// ParseOptions.AllowUnknownProvince accepts unknown 0xx prefixes.
	ErrProvince = errors.New("cccd: unknown province code")
	// ErrBirthYear means the birth year encoded by digits 4-6 is in the
	// future, or older than ParseOptions.MaxAge allows.
	ErrBirthYear = errors.New("cccd: implausible birth year")
	// ErrLegacyNumber means the input is a 9-digit number of the older
	// identity card (CMND). It is not a malformed CCCD number, but it is not
	// a CCCD number either, and no province can be derived from it.
	ErrLegacyNumber = errors.New("cccd: legacy 9-digit CMND number, not a 12-digit personal identification number")
	// ErrMismatch means the number disagrees with the holder's birth date or
	// sex. Matches and ParseQR return it inside a *MismatchError.
	ErrMismatch = errors.New("cccd: number does not match the holder's data")
	// ErrQRFormat means the QR text does not have the field layout of the
	// front-side QR code.
	ErrQRFormat = errors.New("cccd: malformed QR text")
	// ErrDate means a date field is not a valid ddmmyyyy date, or is out of
	// order (an issue date before the birth date, or in the future).
	ErrDate = errors.New("cccd: invalid date")
	// ErrSex means the sex field of the QR text is neither "Nam" nor "Nữ".
	ErrSex = errors.New("cccd: invalid sex field")
)

// ParseError reports where parsing failed: Field names the part of the
// input ("number", "province", "birth_year", or a QR field), Offset is the
// byte offset in the input where that part starts (or where the offending
// character is), and Err is one of the sentinel errors. It never includes
// the input's value, which is personal data.
//
// Treat a *ParseError as read-only: strict parsing can fail in only 28
// ways (a length of 0-12+, a bad character at 0-11, province, birth year,
// legacy number), so Parse returns shared, preallocated values for them and
// rejecting invalid input allocates nothing.
type ParseError struct {
	Field  string
	Offset int
	Err    error
}

// The preallocated errors of strict parsing, one per failure and position.
var (
	strictLength    = func() (a [13]ParseError) { fillErrors(a[:], "number", ErrLength); return }()
	strictDigit     = func() (a [12]ParseError) { fillErrors(a[:], "number", ErrDigit); return }()
	strictLegacy    = ParseError{Field: "number", Offset: 0, Err: ErrLegacyNumber}
	strictProvince  = ParseError{Field: "province", Offset: 0, Err: ErrProvince}
	strictBirthYear = ParseError{Field: "birth_year", Offset: 3, Err: ErrBirthYear}
)

func fillErrors(a []ParseError, field string, err error) {
	for i := range a {
		a[i] = ParseError{Field: field, Offset: i, Err: err}
	}
}

// Error names the field, its offset and the reason, never the value.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString("cccd: ")
	b.WriteString(e.Field)
	b.WriteString(" at offset ")
	b.WriteString(strconv.Itoa(e.Offset))
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "cccd: "))
	} else {
		b.WriteString("invalid")
	}
	return b.String()
}

// Unwrap returns the sentinel error, for errors.Is.
func (e *ParseError) Unwrap() error { return e.Err }

// MismatchError reports which of the holder's data the number disagrees
// with: Field is "sex" or "birth_year" (or "number" for a zero Number).
// It unwraps to ErrMismatch.
type MismatchError struct {
	Field string
}

// Error names the holder's field the number disagrees with.
func (e *MismatchError) Error() string {
	return "cccd: number does not match the holder's " + e.Field
}

// Unwrap returns ErrMismatch.
func (e *MismatchError) Unwrap() error { return ErrMismatch }
