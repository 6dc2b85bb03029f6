package cose

import (
	"errors"
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/fxamacker/cbor/v2"
)

// Limits of the strict decoder. Card objects need three levels of nesting
// and about twenty items; the limits leave room without inviting abuse.
const (
	MaxDepth     = 4  // fxamacker/cbor's minimum; the signed payload needs 3
	MaxContainer = 64 // elements of an array, pairs of a map
)

// Sentinel errors of the strict decoder, wrapped in *DecodeError.
var (
	ErrMalformed        = errors.New("cose: malformed CBOR")
	ErrDuplicateKey     = errors.New("cose: duplicate map key")
	ErrIndefiniteLength = errors.New("cose: indefinite-length item")
	ErrUnexpectedTag    = errors.New("cose: unexpected tag")
	ErrTooLarge         = errors.New("cose: container too large")
	ErrTooDeep          = errors.New("cose: nesting too deep")
	ErrTrailingData     = errors.New("cose: trailing data")
	ErrUnknownField     = errors.New("cose: unknown map key")
	ErrType             = errors.New("cose: unexpected CBOR type")
)

// DecodeError reports where strict decoding failed. Field names the
// structure being read; Offset counts bytes from the start of the input
// given to the Cursor (or to Unmarshal).
type DecodeError struct {
	Field  string
	Offset int
	Err    error  // one of the sentinels above
	Detail string // what the CBOR decoder said, without data values
}

// Error describes the failure, its field and offset.
func (e *DecodeError) Error() string {
	s := fmt.Sprintf("%v in %s at offset %d", e.Err, e.Field, e.Offset)
	if e.Detail != "" {
		s += " (" + e.Detail + ")"
	}
	return s
}

// Unwrap returns the sentinel, for errors.Is.
func (e *DecodeError) Unwrap() error { return e.Err }

var (
	decMode cbor.DecMode
	encMode cbor.EncMode
)

func init() {
	var err error
	decMode, err = cbor.DecOptions{
		DupMapKey:         cbor.DupMapKeyEnforcedAPF,
		IndefLength:       cbor.IndefLengthForbidden,
		TagsMd:            cbor.TagsForbidden,
		MaxNestedLevels:   MaxDepth,
		MaxArrayElements:  MaxContainer,
		MaxMapPairs:       MaxContainer,
		ExtraReturnErrors: cbor.ExtraDecErrorUnknownField,
		UTF8:              cbor.UTF8RejectInvalid,
		IntDec:            cbor.IntDecConvertSignedOrFail, // integers outside int64 are errors
		// No format here uses floats; NaN in particular would make map keys
		// that never compare equal, defeating the duplicate-key check.
		NaN:               cbor.NaNDecodeForbidden,
		Inf:               cbor.InfDecodeForbidden,
		FieldNameMatching: cbor.FieldNameMatchingCaseSensitive,
	}.DecMode()
	if err != nil {
		panic("cose: decoder options: " + err.Error()) // fixed options: a bug if reached
	}
	opts := cbor.CoreDetEncOptions()
	opts.IndefLength = cbor.IndefLengthForbidden
	encMode, err = opts.EncMode()
	if err != nil {
		panic("cose: encoder options: " + err.Error())
	}
}

// Marshal encodes v in the core deterministic encoding.
func Marshal(v any) ([]byte, error) { return encMode.Marshal(v) }

// Unmarshal strictly decodes exactly one data item from b into v; field
// names the structure for errors.
func Unmarshal(b []byte, v any, field string) error {
	c := Cursor{b: b}
	if err := c.Value(v, field); err != nil {
		return err
	}
	return c.End(field)
}

// classify maps an error of the CBOR library to one of our sentinels.
func classify(err error) error {
	var (
		dup    *cbor.DupMapKeyError
		unk    *cbor.UnknownFieldError
		indef  *cbor.IndefiniteLengthError
		tags   *cbor.TagsMdError
		depth  *cbor.MaxNestedLevelError
		arr    *cbor.MaxArrayElementsError
		pairs  *cbor.MaxMapPairsError
		extra  *cbor.ExtraneousDataError
		typErr *cbor.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &dup):
		return ErrDuplicateKey
	case errors.As(err, &unk):
		return ErrUnknownField
	case errors.As(err, &indef):
		return ErrIndefiniteLength
	case errors.As(err, &tags):
		return ErrUnexpectedTag
	case errors.As(err, &depth):
		return ErrTooDeep
	case errors.As(err, &arr), errors.As(err, &pairs):
		return ErrTooLarge
	case errors.As(err, &extra):
		return ErrTrailingData
	case errors.As(err, &typErr):
		return ErrType
	}
	return ErrMalformed
}

// Cursor reads a CBOR input item by item, for structures that carry tags
// at known places (which the strict decoder refuses everywhere else).
// Every method checks lengths against the bytes that remain.
type Cursor struct {
	b   []byte
	off int
}

// NewCursor returns a Cursor at the start of b.
func NewCursor(b []byte) *Cursor { return &Cursor{b: b} }

// Offset returns the number of bytes read so far.
func (c *Cursor) Offset() int { return c.off }

// Rest returns the bytes not read yet.
func (c *Cursor) Rest() []byte { return c.b[c.off:] }

func (c *Cursor) fail(field string, err error, detail string) error {
	return &DecodeError{Field: field, Offset: c.off, Err: err, Detail: detail}
}

// head reads one initial byte and argument (RFC 8949 section 3) without
// consuming it; n is the head's length.
func (c *Cursor) head(field string) (major byte, arg uint64, n int, err error) {
	rest := c.b[c.off:]
	if len(rest) == 0 {
		return 0, 0, 0, c.fail(field, ErrMalformed, "unexpected end of data")
	}
	major, ai := rest[0]>>5, rest[0]&0x1f
	switch {
	case ai < 24:
		return major, uint64(ai), 1, nil
	case ai <= 27:
		size := 1 << (ai - 24)
		if len(rest) < 1+size {
			return 0, 0, 0, c.fail(field, ErrMalformed, "unexpected end of data")
		}
		for _, b := range rest[1 : 1+size] {
			arg = arg<<8 | uint64(b)
		}
		return major, arg, 1 + size, nil
	case ai == 31:
		return 0, 0, 0, c.fail(field, ErrIndefiniteLength, "")
	}
	return 0, 0, 0, c.fail(field, ErrMalformed, "reserved additional information")
}

// expect reads a head of the given major type.
func (c *Cursor) expect(major byte, field string) (uint64, error) {
	m, arg, n, err := c.head(field)
	if err != nil {
		return 0, err
	}
	if m != major {
		if m == 6 {
			return 0, c.fail(field, ErrUnexpectedTag, "")
		}
		return 0, c.fail(field, ErrType, fmt.Sprintf("major type %d, want %d", m, major))
	}
	c.off += n
	return arg, nil
}

// Tag reads a tag head and fails unless its number is want.
func (c *Cursor) Tag(want uint64, field string) error {
	m, arg, n, err := c.head(field)
	if err != nil {
		return err
	}
	if m != 6 {
		return c.fail(field, ErrType, fmt.Sprintf("major type %d, want tag %d", m, want))
	}
	if arg != want {
		return c.fail(field, ErrUnexpectedTag, fmt.Sprintf("tag %d, want %d", arg, want))
	}
	c.off += n
	return nil
}

// ArrayHead reads an array head and returns its length (at most
// MaxContainer).
func (c *Cursor) ArrayHead(field string) (int, error) { return c.container(4, field) }

// MapHead reads a map head and returns its number of pairs (at most
// MaxContainer).
func (c *Cursor) MapHead(field string) (int, error) { return c.container(5, field) }

func (c *Cursor) container(major byte, field string) (int, error) {
	start := c.off
	n, err := c.expect(major, field)
	if err != nil {
		return 0, err
	}
	if n > MaxContainer {
		c.off = start
		return 0, c.fail(field, ErrTooLarge, fmt.Sprintf("%d elements", n))
	}
	return int(n), nil
}

// Bytes reads a byte string and returns the received bytes (no copy).
func (c *Cursor) Bytes(field string) ([]byte, error) { return c.str(2, field) }

// Uint reads an unsigned integer.
func (c *Cursor) Uint(field string) (uint64, error) { return c.expect(0, field) }

// Text reads a text string (valid UTF-8).
func (c *Cursor) Text(field string) (string, error) {
	b, err := c.TextBytes(field)
	return string(b), err
}

// TextBytes reads a text string (valid UTF-8) and returns the received
// bytes, without copying.
func (c *Cursor) TextBytes(field string) ([]byte, error) {
	start := c.off
	b, err := c.str(3, field)
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(b) {
		c.off = start
		return nil, c.fail(field, ErrMalformed, "invalid UTF-8")
	}
	return b, nil
}

func (c *Cursor) str(major byte, field string) ([]byte, error) {
	start := c.off
	n, err := c.expect(major, field)
	if err != nil {
		return nil, err
	}
	if n > uint64(len(c.b)-c.off) || n > math.MaxInt32 {
		c.off = start
		return nil, c.fail(field, ErrMalformed, "string longer than the data")
	}
	s := c.b[c.off : c.off+int(n)]
	c.off += int(n)
	return s, nil
}

// Value strictly decodes the next data item into v (tags are refused).
func (c *Cursor) Value(v any, field string) error {
	rest, err := decMode.UnmarshalFirst(c.b[c.off:], v)
	if err != nil {
		return c.fail(field, classify(err), err.Error())
	}
	c.off = len(c.b) - len(rest)
	return nil
}

// Raw returns the next data item's received bytes, checked strictly (no
// tags, limits applied).
func (c *Cursor) Raw(field string) ([]byte, error) {
	start := c.off
	var item skipItem
	if err := c.Value(&item, field); err != nil {
		return nil, err
	}
	return c.b[start:c.off], nil
}

// skipItem accepts any data item the decoding mode lets through (well
// formed, no tags, within the limits) and keeps nothing: Raw needs only
// where the item ends, and cbor.RawMessage would copy it.
type skipItem struct{}

// UnmarshalCBOR implements cbor.Unmarshaler.
func (*skipItem) UnmarshalCBOR([]byte) error { return nil }

// End fails if any bytes remain.
func (c *Cursor) End(field string) error {
	if c.off != len(c.b) {
		return c.fail(field, ErrTrailingData, fmt.Sprintf("%d bytes", len(c.b)-c.off))
	}
	return nil
}
