package chip

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cancuoc/sdk/cccd"
)

// Files holds the files of a card's chip as raw bytes, keyed by their file
// names: "EF.COM", "DG1" ... "DG16" and "EF.SOD". The bytes are exactly as
// read from (or written to) the chip: tag, length and value.
type Files map[string][]byte

// File names used as keys of Files.
const (
	FileCOM = "EF.COM"
	FileSOD = "EF.SOD"
)

// DataGroupName returns the Files key of data group n ("DG1" for 1).
func DataGroupName(n int) string { return "DG" + strconv.Itoa(n) }

// ErrHolder reports holder data that is incomplete or inconsistent, or
// holder JSON that does not follow the schema. A *HolderError carries the
// field.
var ErrHolder = errors.New("chip: invalid holder data")

// HolderError says which holder field is wrong (its JSON key, or several
// keys for unknown keys). It matches ErrHolder and, when set, Err (such as
// cccd.ErrLength) with errors.Is. It never contains the field's value.
type HolderError struct {
	Field string
	Err   error
}

// Error names the field and the problem, never the value.
func (e *HolderError) Error() string {
	msg := "invalid"
	if e.Err != nil {
		msg = strings.TrimPrefix(e.Err.Error(), "chip: ")
	}
	return "chip: holder " + e.Field + ": " + msg
}

// Unwrap returns ErrHolder and the cause.
func (e *HolderError) Unwrap() []error {
	if e.Err == nil {
		return []error{ErrHolder}
	}
	return []error{ErrHolder, e.Err}
}

var (
	errUnknownKey   = errors.New("unknown key")
	errDuplicateKey = errors.New("duplicate key")
	errNotObject    = errors.New("not one JSON object")
	errNotString    = errors.New("must be a string or null")
	errDateFormat   = errors.New("must be a date YYYY-MM-DD")
	errSexValue     = errors.New(`must be "M" or "F"`)
	errRequired     = errors.New("required")
	errBadUTF8      = errors.New("not valid UTF-8")
	errBase64       = errors.New("not valid base64")
	errOldNumber    = errors.New("must have 9 or 12 digits")
	errNotJPEG      = errors.New("not a JPEG or JPEG 2000 image")
)

// Holder is the personal data a CCCD chip carries, as printed on the card
// (Vietnamese text with diacritics, UTF-8). Zero values mean "not present";
// a zero ExpiryDate means the card does not expire.
//
// A Holder is personal data: String, Format, GoString and LogValue print
// only a masked number. Read the fields, or call MarshalJSON, for the
// values.
type Holder struct {
	Number           cccd.Number
	Name             string
	BirthDate        time.Time
	Sex              cccd.Sex
	ExpiryDate       time.Time // zero: no expiry
	IssueDate        time.Time
	Nationality      string
	Ethnicity        string
	Religion         string
	PlaceOfOrigin    string
	PlaceOfResidence string
	IdentifyingMarks string
	FatherName       string
	MotherName       string
	SpouseName       string
	OldNumber        string // the previous 9-digit CMND (or 12-digit) number
	FaceJPEG         []byte
}

// holderJSON is the wire schema of ParseHolderJSON.
// Pointers tell absent/null from present.
type holderJSON struct {
	Number           *string `json:"number"`
	Name             *string `json:"name"`
	BirthDate        *string `json:"birth_date"`
	Sex              *string `json:"sex"`
	ExpiryDate       *string `json:"expiry_date"`
	IssueDate        *string `json:"issue_date"`
	Nationality      *string `json:"nationality"`
	Ethnicity        *string `json:"ethnicity"`
	Religion         *string `json:"religion"`
	PlaceOfOrigin    *string `json:"place_of_origin"`
	PlaceOfResidence *string `json:"place_of_residence"`
	IdentifyingMarks *string `json:"identifying_marks"`
	FatherName       *string `json:"father_name"`
	MotherName       *string `json:"mother_name"`
	SpouseName       *string `json:"spouse_name"`
	OldNumber        *string `json:"old_number"`
	FaceJPEG         *string `json:"face_jpeg"`
}

var holderKeys = []string{
	"number", "name", "birth_date", "sex", "expiry_date", "issue_date",
	"nationality", "ethnicity", "religion", "place_of_origin",
	"place_of_residence", "identifying_marks", "father_name", "mother_name",
	"spouse_name", "old_number", "face_jpeg",
}

// HolderJSONKeys returns the keys ParseHolderJSON accepts, in the order of
// its documentation.
func HolderJSONKeys() []string { return slices.Clone(holderKeys) }

const holderDate = "2006-01-02"

// ParseHolderJSON decodes holder data as JSON: one object whose keys are
// the fields of Holder in snake case, each value a string, or null (or the
// key absent) for "not present":
//
//	key                 Holder field      value
//	number              Number            12 digits (cccd.Parse); required
//	name                Name              full name as printed, family name first; required
//	birth_date          BirthDate         YYYY-MM-DD; required
//	sex                 Sex               "M" or "F"; required
//	expiry_date         ExpiryDate        YYYY-MM-DD; null or absent: the card never expires
//	issue_date          IssueDate         YYYY-MM-DD
//	nationality         Nationality       text, such as "Việt Nam"
//	ethnicity           Ethnicity         text
//	religion            Religion          text
//	place_of_origin     PlaceOfOrigin     text
//	place_of_residence  PlaceOfResidence  text
//	identifying_marks   IdentifyingMarks  text
//	father_name         FatherName        text
//	mother_name         MotherName        text
//	spouse_name         SpouseName        text
//	old_number          OldNumber         the previous number: 9 or 12 digits
//	face_jpeg           FaceJPEG          the face image, standard base64
//
// For example:
//
//	{"number":"001095012345","name":"Nguyễn Văn Đức","birth_date":"1995-03-17",
//	 "sex":"M","expiry_date":"2035-03-17","nationality":"Việt Nam"}
//
// Text is UTF-8. Duplicate keys, anything after the object and unknown keys
// are errors; an unknown key's error names it and lists the accepted keys
// (HolderJSONKeys). Errors are *HolderError values naming the key, never
// the value. The result is checked with Validate.
func ParseHolderJSON(b []byte) (Holder, error) {
	keys, err := holderKeysOf(b)
	if err != nil {
		return Holder{}, err
	}
	var unknown []string
	for k := range keys {
		if !slices.Contains(holderKeys, k) {
			unknown = append(unknown, strconv.Quote(k))
		}
	}
	if len(unknown) > 0 {
		slices.Sort(unknown)
		return Holder{}, &HolderError{Field: strings.Join(unknown, ", "), Err: fmt.Errorf("%w; the accepted keys are %s", errUnknownKey, strings.Join(holderKeys, ", "))}
	}
	// Check each value's JSON type first, so the error names the key.
	for _, k := range holderKeys {
		raw, ok := keys[k]
		if !ok {
			continue
		}
		if len(raw) == 0 || (raw[0] != '"' && !bytes.Equal(raw, []byte("null"))) {
			return Holder{}, &HolderError{Field: k, Err: errNotString}
		}
	}
	var j holderJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return Holder{}, &HolderError{Field: "(object)", Err: errNotObject}
	}
	var h Holder
	if j.Number != nil {
		if h.Number, err = cccd.Parse(*j.Number); err != nil {
			return Holder{}, &HolderError{Field: "number", Err: err}
		}
	}
	dates := []struct {
		key string
		src *string
		dst *time.Time
	}{
		{"birth_date", j.BirthDate, &h.BirthDate},
		{"expiry_date", j.ExpiryDate, &h.ExpiryDate},
		{"issue_date", j.IssueDate, &h.IssueDate},
	}
	for _, d := range dates {
		if d.src == nil {
			continue
		}
		t, err := time.Parse(holderDate, *d.src)
		if err != nil {
			return Holder{}, &HolderError{Field: d.key, Err: errDateFormat}
		}
		*d.dst = t
	}
	if j.Sex != nil {
		switch *j.Sex {
		case "M":
			h.Sex = cccd.Male
		case "F":
			h.Sex = cccd.Female
		default:
			return Holder{}, &HolderError{Field: "sex", Err: errSexValue}
		}
	}
	texts := []struct {
		key string
		src *string
		dst *string
	}{
		{"name", j.Name, &h.Name},
		{"nationality", j.Nationality, &h.Nationality},
		{"ethnicity", j.Ethnicity, &h.Ethnicity},
		{"religion", j.Religion, &h.Religion},
		{"place_of_origin", j.PlaceOfOrigin, &h.PlaceOfOrigin},
		{"place_of_residence", j.PlaceOfResidence, &h.PlaceOfResidence},
		{"identifying_marks", j.IdentifyingMarks, &h.IdentifyingMarks},
		{"father_name", j.FatherName, &h.FatherName},
		{"mother_name", j.MotherName, &h.MotherName},
		{"spouse_name", j.SpouseName, &h.SpouseName},
		{"old_number", j.OldNumber, &h.OldNumber},
	}
	for _, t := range texts {
		if t.src != nil {
			*t.dst = *t.src
		}
	}
	if j.FaceJPEG != nil {
		if h.FaceJPEG, err = base64.StdEncoding.DecodeString(*j.FaceJPEG); err != nil {
			return Holder{}, &HolderError{Field: "face_jpeg", Err: errBase64}
		}
	}
	if err := h.Validate(); err != nil {
		return Holder{}, err
	}
	return h, nil
}

// holderKeysOf reads the top-level object of b key by key, rejecting
// duplicate keys and anything after the object.
func holderKeysOf(b []byte) (map[string]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, &HolderError{Field: "(object)", Err: errNotObject}
	}
	keys := map[string]json.RawMessage{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, &HolderError{Field: "(object)", Err: errNotObject}
		}
		k, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, &HolderError{Field: strconv.Quote(k), Err: errNotObject}
		}
		if _, dup := keys[k]; dup {
			return nil, &HolderError{Field: strconv.Quote(k), Err: errDuplicateKey}
		}
		keys[k] = v
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return nil, &HolderError{Field: "(object)", Err: errNotObject}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &HolderError{Field: "(object)", Err: errNotObject}
	}
	return keys, nil
}

// Validate checks that h can be written to a card: number, name, birth date
// and sex are present, the number agrees with the birth date and sex
// (cccd.Number.Matches), text is valid UTF-8, and an old number has 9 or 12
// digits. It returns a *HolderError.
func (h Holder) Validate() error {
	switch {
	case h.Number.IsZero():
		return &HolderError{Field: "number", Err: errRequired}
	case h.Name == "":
		return &HolderError{Field: "name", Err: errRequired}
	case h.BirthDate.IsZero():
		return &HolderError{Field: "birth_date", Err: errRequired}
	case h.Sex != cccd.Male && h.Sex != cccd.Female:
		return &HolderError{Field: "sex", Err: errRequired}
	}
	if err := h.Number.Matches(h.BirthDate, h.Sex); err != nil {
		return &HolderError{Field: "number", Err: err}
	}
	for _, t := range []struct{ key, v string }{
		{"name", h.Name}, {"nationality", h.Nationality}, {"ethnicity", h.Ethnicity},
		{"religion", h.Religion}, {"place_of_origin", h.PlaceOfOrigin},
		{"place_of_residence", h.PlaceOfResidence}, {"identifying_marks", h.IdentifyingMarks},
		{"father_name", h.FatherName}, {"mother_name", h.MotherName},
		{"spouse_name", h.SpouseName}, {"old_number", h.OldNumber},
	} {
		if !utf8.ValidString(t.v) {
			return &HolderError{Field: t.key, Err: errBadUTF8}
		}
	}
	if h.OldNumber != "" && !isDigits(h.OldNumber, 9) && !isDigits(h.OldNumber, 12) {
		return &HolderError{Field: "old_number", Err: errOldNumber}
	}
	return nil
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// MarshalJSON encodes h in the schema ParseHolderJSON reads. Absent values
// are written as null. It is an explicit request for the personal data and
// returns it unmasked.
func (h Holder) MarshalJSON() ([]byte, error) {
	str := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	date := func(t time.Time) *string {
		if t.IsZero() {
			return nil
		}
		return str(t.Format(holderDate))
	}
	j := holderJSON{
		Number:           str(h.Number.Digits()),
		Name:             str(h.Name),
		BirthDate:        date(h.BirthDate),
		ExpiryDate:       date(h.ExpiryDate),
		IssueDate:        date(h.IssueDate),
		Nationality:      str(h.Nationality),
		Ethnicity:        str(h.Ethnicity),
		Religion:         str(h.Religion),
		PlaceOfOrigin:    str(h.PlaceOfOrigin),
		PlaceOfResidence: str(h.PlaceOfResidence),
		IdentifyingMarks: str(h.IdentifyingMarks),
		FatherName:       str(h.FatherName),
		MotherName:       str(h.MotherName),
		SpouseName:       str(h.SpouseName),
		OldNumber:        str(h.OldNumber),
	}
	switch h.Sex {
	case cccd.Male:
		j.Sex = str("M")
	case cccd.Female:
		j.Sex = str("F")
	}
	if len(h.FaceJPEG) > 0 {
		j.FaceJPEG = str(base64.StdEncoding.EncodeToString(h.FaceJPEG))
	}
	return json.Marshal(j)
}

// UnmarshalJSON decodes h with ParseHolderJSON.
func (h *Holder) UnmarshalJSON(b []byte) error {
	v, err := ParseHolderJSON(b)
	if err != nil {
		return err
	}
	*h = v
	return nil
}

// String returns a masked summary that names no personal value except the
// masked number (province code and last two digits).
func (h Holder) String() string {
	return "chip.Holder{Number: " + strconv.Quote(h.Number.String()) + ", personal fields: masked}"
}

// GoString returns the masked summary, for %#v.
func (h Holder) GoString() string { return h.String() }

// Format prints the masked summary for every verb.
func (h Holder) Format(f fmt.State, verb rune) {
	io.WriteString(f, h.String())
}

// LogValue logs the masked number only.
func (h Holder) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("number", h.Number.String()),
		slog.Bool("has_face", len(h.FaceJPEG) > 0),
	)
}
