package cccd

import (
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// QR is the text of the QR code printed on the front of a chip card:
//
//	number|old 9-digit number|full name|birth date ddmmyyyy|sex|permanent address|issue date ddmmyyyy
//
// All of it is personal data: String, Format, GoString and LogValue show
// only the masked number. The fields and Text give the full values.
type QR struct {
	Number    Number
	OldNumber string    // the legacy CMND number (9 or 12 digits), or ""
	Name      string    // full name, as printed
	BirthDate time.Time // midnight UTC
	Sex       Sex
	Address   string    // permanent address, as printed
	IssueDate time.Time // midnight UTC
	// Extra holds fields after the seventh, which later card generations
	// may append; they are kept, in order, and not interpreted.
	Extra []string
}

// maxQRText bounds the input: a QR code holds at most 2953 bytes.
const maxQRText = 4096

// ParseQR parses the front-side QR text with the zero ParseOptions; see
// ParseOptions.ParseQR.
func ParseQR(text string) (QR, error) { return ParseOptions{}.ParseQR(text) }

// ParseQR parses the front-side QR text. A trailing line break, which some
// scanners append, is ignored. It checks that the number parses under o,
// that the old number is empty or 9 or 12 digits, that the name is not
// empty, that the dates are real dates with the issue date neither before
// the birth date nor in the future, that the sex is "Nam" or "Nữ", and that
// the number agrees with the birth year and sex (ErrMismatch). Errors are
// *ParseError values whose Field names the QR field ("number" errors keep
// the number's own field, such as "province") and whose Offset is a byte
// offset in text.
func (o ParseOptions) ParseQR(text string) (QR, error) {
	if len(text) > maxQRText {
		return QR{}, &ParseError{Field: "qr", Offset: maxQRText, Err: ErrQRFormat}
	}
	text = strings.TrimSuffix(strings.TrimSuffix(text, "\n"), "\r")
	if !utf8.ValidString(text) {
		return QR{}, &ParseError{Field: "qr", Offset: invalidUTF8Offset(text), Err: ErrQRFormat}
	}
	fields := strings.Split(text, "|")
	if len(fields) < 7 {
		return QR{}, &ParseError{Field: "qr", Offset: len(text), Err: ErrQRFormat}
	}
	var offs [7]int
	for i, off := 1, 0; i < 7; i++ {
		off += len(fields[i-1]) + 1
		offs[i] = off
	}

	var q QR
	var err error
	q.Number, err = o.Parse(fields[0])
	if err != nil {
		pe := err.(*ParseError) // Parse returns only *ParseError
		return QR{}, &ParseError{Field: pe.Field, Offset: pe.Offset, Err: pe.Err}
	}
	if old := fields[1]; old != "" {
		if len(old) != 9 && len(old) != 12 {
			return QR{}, &ParseError{Field: "old_number", Offset: offs[1], Err: ErrLength}
		}
		if !allDigits(old) {
			return QR{}, &ParseError{Field: "old_number", Offset: offs[1], Err: ErrDigit}
		}
		q.OldNumber = old
	}
	if strings.TrimSpace(fields[2]) == "" {
		return QR{}, &ParseError{Field: "name", Offset: offs[2], Err: ErrQRFormat}
	}
	q.Name = fields[2]
	if q.BirthDate, err = parseDate(fields[3]); err != nil {
		return QR{}, &ParseError{Field: "birth_date", Offset: offs[3], Err: ErrDate}
	}
	switch fields[4] {
	case "Nam":
		q.Sex = Male
	case "Nữ", "Nu\u0303": // NFC and NFD
		q.Sex = Female
	default:
		return QR{}, &ParseError{Field: "sex", Offset: offs[4], Err: ErrSex}
	}
	q.Address = fields[5]
	if q.IssueDate, err = parseDate(fields[6]); err != nil {
		return QR{}, &ParseError{Field: "issue_date", Offset: offs[6], Err: ErrDate}
	}
	// A day of slack: the card is dated in Vietnam (UTC+7), now may be UTC.
	if q.IssueDate.Before(q.BirthDate) || q.IssueDate.After(o.now().Add(24*time.Hour)) {
		return QR{}, &ParseError{Field: "issue_date", Offset: offs[6], Err: ErrDate}
	}
	if err := q.Number.Matches(q.BirthDate, q.Sex); err != nil {
		field, off := "birth_date", offs[3]
		if err.(*MismatchError).Field == "sex" {
			field, off = "sex", offs[4]
		}
		return QR{}, &ParseError{Field: field, Offset: off, Err: ErrMismatch}
	}
	if len(fields) > 7 {
		q.Extra = fields[7:]
	}
	return q, nil
}

func (o ParseOptions) now() time.Time {
	if o.Now != nil {
		return o.Now()
	}
	return time.Now()
}

func invalidUTF8Offset(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return 0
}

// parseDate reads ddmmyyyy and rejects dates that do not exist.
func parseDate(s string) (time.Time, error) {
	if len(s) != 8 || !allDigits(s) {
		return time.Time{}, ErrDate
	}
	d, _ := strconv.Atoi(s[0:2])
	m, _ := strconv.Atoi(s[2:4])
	y, _ := strconv.Atoi(s[4:8])
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if y < 1900 || t.Day() != d || int(t.Month()) != m {
		return time.Time{}, ErrDate
	}
	return t, nil
}

// Text returns the QR text with the full values, in the card's layout:
// the inverse of ParseQR for text it accepts (a trailing line break and an
// NFD "Nữ" are not kept).
func (q QR) Text() string {
	sex := "Nam"
	if q.Sex == Female {
		sex = "Nữ"
	}
	parts := []string{q.Number.Digits(), q.OldNumber, q.Name, q.BirthDate.Format("02012006"), sex, q.Address, q.IssueDate.Format("02012006")}
	return strings.Join(append(parts, q.Extra...), "|")
}

// String returns a masked summary: the masked number, nothing else of the
// holder's data.
func (q QR) String() string {
	return "cccd.QR{Number: " + q.Number.String() + ", other fields masked}"
}

// GoString is String, for %#v.
func (q QR) GoString() string { return q.String() }

// Format prints the masked summary for every verb.
func (q QR) Format(f fmt.State, verb rune) { io.WriteString(f, q.String()) }

// LogValue logs only the masked number.
func (q QR) LogValue() slog.Value {
	return slog.GroupValue(slog.String("number", q.Number.String()))
}
