package reader

import (
	"crypto/sha1"
	"fmt"
	"log/slog"

	"github.com/cancuoc/sdk/internal/bac"
	"github.com/cancuoc/sdk/mrz"
)

// Password is what opens the chip: a CAN (PACE) or the MRZ's document
// number, birth and expiry dates (PACE with MRZ, or BAC). It prints
// masked.
type Password struct {
	can                string
	doc, birth, expiry string
}

// CAN returns a card access number password (ICAO 9303-11 section 9.7.3):
// 6 digits on the CCCD.
func CAN(digits string) (Password, error) {
	if len(digits) == 0 || len(digits) > 10 {
		return Password{}, fmt.Errorf("%w: CAN of %d characters", ErrNotSupported, len(digits))
	}
	for i := range len(digits) {
		if digits[i] < '0' || digits[i] > '9' {
			return Password{}, fmt.Errorf("%w: CAN is not digits", ErrNotSupported)
		}
	}
	return Password{can: digits}, nil
}

// CANFromNumber returns the CCCD's CAN: the last 6 digits of its 12-digit
// number (Vietnamese reader apps, e.g. NghiaLio/NFC_CCCD_Reader
// paceFromCccdNumber).
func CANFromNumber(number string) (Password, error) {
	if len(number) != 12 {
		return Password{}, fmt.Errorf("%w: the number has %d digits, want 12", ErrNotSupported, len(number))
	}
	return CAN(number[6:])
}

// MRZ returns an MRZ password from the document number (the MRZ's 9
// characters; on the CCCD the last 9 digits of the 12-digit number) and
// the dates of birth and expiry as YYMMDD.
func MRZ(docNumber, birth, expiry string) (Password, error) {
	if _, err := bac.MRZInformation(docNumber, birth, expiry); err != nil {
		return Password{}, fmt.Errorf("%w: MRZ password fields", ErrNotSupported)
	}
	return Password{doc: docNumber, birth: birth, expiry: expiry}, nil
}

// MRZFromDocument takes the MRZ password's fields from a parsed MRZ
// (TD1 as on the CCCD, TD2 or TD3).
func MRZFromDocument(d mrz.Document) (Password, error) {
	doc, birth, expiry, ok := bac.KeyFields(d.Lines())
	if !ok {
		return Password{}, fmt.Errorf("%w: MRZ layout", ErrNotSupported)
	}
	return MRZ(doc, birth, expiry)
}

// IsCAN reports a CAN password.
func (p Password) IsCAN() bool { return p.can != "" }

// IsMRZ reports an MRZ password.
func (p Password) IsMRZ() bool { return p.doc != "" }

// paceSecret is K of ICAO 9303-11 section 9.7.3: the CAN's characters, or
// SHA-1 of the MRZ information.
func (p Password) paceSecret() []byte {
	if p.can != "" {
		return []byte(p.can)
	}
	info, _ := bac.MRZInformation(p.doc, p.birth, p.expiry)
	sum := sha1.Sum([]byte(info))
	return sum[:]
}

func (p Password) bacKey() (bac.Key, error) { return bac.NewKey(p.doc, p.birth, p.expiry) }

// String masks the password.
func (p Password) String() string {
	switch {
	case p.can != "":
		return "reader.Password{CAN ******}"
	case p.doc != "":
		return "reader.Password{MRZ ***}"
	}
	return "reader.Password{}"
}

// GoString masks the password.
func (p Password) GoString() string { return p.String() }

// Format masks the password for every verb.
func (p Password) Format(f fmt.State, _ rune) { fmt.Fprint(f, p.String()) }

// LogValue masks the password.
func (p Password) LogValue() slog.Value { return slog.StringValue(p.String()) }
