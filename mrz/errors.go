package mrz

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Every problem found in an MRZ is a [*FieldError] whose Err
// is one of these (or, for the Vietnamese profile, a sentinel of package
// cccd); callers branch with errors.Is.
var (
	// ErrFormat means the text does not have the shape of a known MRZ
	// format, or a field breaks the layout (document code, name syntax,
	// a long document number without its continuation).
	ErrFormat = errors.New("mrz: malformed")
	// ErrCharset means a character is outside A-Z, 0-9 and "<", or is not
	// allowed in its field (a letter in a date, a digit in a name).
	ErrCharset = errors.New("mrz: character not allowed here")
	// ErrCheckDigit means a check digit (or the composite check digit) does
	// not match the characters it covers.
	ErrCheckDigit = errors.New("mrz: check digit mismatch")
	// ErrDate means a date field is not a calendar date.
	ErrDate = errors.New("mrz: not a calendar date")
	// ErrSex means the sex field is not M, F, X or "<".
	ErrSex = errors.New("mrz: invalid sex")
	// ErrCountry means a state or organisation code is not in the ISO 3166-1
	// alpha-3 list or ICAO's list of additional codes (countries.go).
	ErrCountry = errors.New("mrz: unknown country code")
	// ErrProfile means the document breaks the Vietnamese CCCD profile:
	// the document number is not the tail of the 12-digit number, or the
	// number's birth year or sex disagrees with line 2.
	ErrProfile = errors.New("mrz: inconsistent with the Vietnamese card profile")
	// ErrName means a name cannot be written in the MRZ alphabet.
	ErrName = errors.New("mrz: name cannot be transliterated")
	// ErrField means an input field of an encoder is too long or malformed.
	ErrField = errors.New("mrz: field does not fit")
	// ErrAmbiguous means a repair found more than one candidate that the
	// check digits accept, so none was chosen.
	ErrAmbiguous = errors.New("mrz: ambiguous repair")
)

// Field names used in [FieldError.Field].
const (
	FieldMRZ            = "mrz" // the whole text: its shape is no MRZ layout
	FieldDocumentCode   = "document_code"
	FieldIssuer         = "issuer"
	FieldDocumentNumber = "document_number"
	FieldNumberCheck    = "document_number_check"
	FieldOptional1      = "optional_data_1"
	FieldOptional2      = "optional_data_2"
	FieldPersonalNumber = "personal_number"
	FieldPersonalCheck  = "personal_number_check"
	FieldBirthDate      = "birth_date"
	FieldBirthCheck     = "birth_date_check"
	FieldSex            = "sex"
	FieldExpiryDate     = "expiry_date"
	FieldExpiryCheck    = "expiry_date_check"
	FieldNationality    = "nationality"
	FieldComposite      = "composite_check"
	FieldName           = "name"
)

// FieldError is one problem found in an MRZ: which field, where, and why.
// Offset is the 0-based index of the first offending character in the MRZ
// text with line breaks removed (line 2 of a TD1 starts at 30), or -1 when
// the problem is not tied to a position. The error never includes the
// field's value.
type FieldError struct {
	Field  string
	Offset int
	Err    error
}

// Error says which field failed, where and why, without its value.
func (e *FieldError) Error() string {
	if e.Field == FieldMRZ {
		return "mrz: " + e.Reason()
	}
	var b strings.Builder
	b.WriteString("mrz: ")
	b.WriteString(e.Field)
	if e.Offset >= 0 {
		b.WriteString(" at position ")
		b.WriteString(strconv.Itoa(e.Offset))
	}
	b.WriteString(": ")
	b.WriteString(e.Reason())
	return b.String()
}

// Reason is the error's explanation without the field and position. For
// the whole text (FieldMRZ) it says which shapes an MRZ can have, so that
// every tool that shows Reason tells the reader what was expected.
func (e *FieldError) Reason() string {
	r := "invalid"
	if e.Err != nil {
		r = strings.TrimPrefix(e.Err.Error(), "mrz: ")
	}
	if e.Field == FieldMRZ {
		r += ": not 3 lines of 30, 2 of 36 or 2 of 44 characters"
	}
	return r
}

// Unwrap returns the sentinel.
func (e *FieldError) Unwrap() error { return e.Err }

// ValidationError lists every problem found in one MRZ, in position order.
//
// Document holds the fields as they were read. It is there so an operator
// tool can show what was on the card; it has failed at least one check and
// must not be trusted. [Parse] itself returns a zero Document when it
// returns an error.
type ValidationError struct {
	Errors   []*FieldError
	Document Document
}

// Error describes the first problem and counts the others.
func (e *ValidationError) Error() string {
	switch len(e.Errors) {
	case 0:
		return "mrz: invalid"
	case 1:
		return e.Errors[0].Error()
	}
	return e.Errors[0].Error() + " (and " + strconv.Itoa(len(e.Errors)-1) + " more)"
}

// Unwrap returns every [*FieldError], so errors.Is finds any sentinel.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Errors))
	for i, fe := range e.Errors {
		errs[i] = fe
	}
	return errs
}
