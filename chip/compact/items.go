package compact

import (
	"crypto/sha256"
	"errors"
	"strings"
	"time"

	"github.com/cancuoc/sdk/cccd"
	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/internal/cose"
)

// DocType is the document type of the objects this package writes; it is
// also the namespace of their items.
const DocType = "vn.gov.cccd.1"

// The element identifiers of the vn.gov.cccd.1 namespace. Names follow
// the holder JSON schema of chip.ParseHolderJSON; the full name is split the way
// ISO/IEC 18013-5 does (family_name, given_name): on a CCCD the family name
// is the first word and given_name holds the middle and given names.
const (
	ElemNumber           = "number"             // tstr, 12 digits
	ElemFamilyName       = "family_name"        // tstr
	ElemGivenName        = "given_name"         // tstr
	ElemBirthDate        = "birth_date"         // tstr YYYY-MM-DD
	ElemSex              = "sex"                // uint, ISO/IEC 5218: 1 male, 2 female
	ElemNationality      = "nationality"        // tstr
	ElemEthnicity        = "ethnicity"          // tstr
	ElemReligion         = "religion"           // tstr
	ElemPlaceOfOrigin    = "place_of_origin"    // tstr
	ElemPlaceOfResidence = "place_of_residence" // tstr
	ElemIdentifyingMarks = "identifying_marks"  // tstr
	ElemIssueDate        = "issue_date"         // tstr YYYY-MM-DD
	ElemExpiryDate       = "expiry_date"        // tstr YYYY-MM-DD, or null: no expiry
	ElemFatherName       = "father_name"        // tstr
	ElemMotherName       = "mother_name"        // tstr
	ElemSpouseName       = "spouse_name"        // tstr
	ElemOldNumber        = "old_number"         // tstr, 9 or 12 digits
	ElemFaceSHA256       = "face_sha256"        // bstr, SHA-256 of the face JPEG
)

const dateLayout = "2006-01-02"

// element describes how one identifier maps to the holder data.
type element struct {
	id  string
	get func(h *chip.Holder) (any, bool) // value to sign, and whether present
	set func(c *Card, raw []byte) error  // strict decode of a received value
}

var elements = []element{
	{ElemNumber, func(h *chip.Holder) (any, bool) {
		return h.Number.Digits(), !h.Number.IsZero()
	}, func(c *Card, raw []byte) error {
		s, err := text(raw)
		if err != nil {
			return err
		}
		c.Holder.Number, err = cccd.Parse(s)
		return err
	}},
	{ElemFamilyName, func(h *chip.Holder) (any, bool) {
		f, _ := splitName(h.Name)
		return f, f != ""
	}, func(c *Card, raw []byte) (err error) {
		c.familyName, err = text(raw)
		return err
	}},
	{ElemGivenName, func(h *chip.Holder) (any, bool) {
		_, g := splitName(h.Name)
		return g, g != ""
	}, func(c *Card, raw []byte) (err error) {
		c.givenName, err = text(raw)
		return err
	}},
	dateElement(ElemBirthDate, func(h *chip.Holder) *time.Time { return &h.BirthDate }),
	{ElemSex, func(h *chip.Holder) (any, bool) {
		switch h.Sex {
		case cccd.Male:
			return uint64(1), true
		case cccd.Female:
			return uint64(2), true
		}
		return nil, false
	}, func(c *Card, raw []byte) error {
		var v uint64
		if err := cose.Unmarshal(raw, &v, ElemSex); err != nil {
			return err
		}
		switch v {
		case 1:
			c.Holder.Sex = cccd.Male
		case 2:
			c.Holder.Sex = cccd.Female
		default:
			return errors.New("sex must be 1 or 2 (ISO/IEC 5218)")
		}
		return nil
	}},
	textElement(ElemNationality, func(h *chip.Holder) *string { return &h.Nationality }),
	textElement(ElemEthnicity, func(h *chip.Holder) *string { return &h.Ethnicity }),
	textElement(ElemReligion, func(h *chip.Holder) *string { return &h.Religion }),
	textElement(ElemPlaceOfOrigin, func(h *chip.Holder) *string { return &h.PlaceOfOrigin }),
	textElement(ElemPlaceOfResidence, func(h *chip.Holder) *string { return &h.PlaceOfResidence }),
	textElement(ElemIdentifyingMarks, func(h *chip.Holder) *string { return &h.IdentifyingMarks }),
	dateElement(ElemIssueDate, func(h *chip.Holder) *time.Time { return &h.IssueDate }),
	{ElemExpiryDate, func(h *chip.Holder) (any, bool) {
		// Always signed, so that "no expiry" is a signed statement and not
		// an item the holder left out.
		if h.ExpiryDate.IsZero() {
			return nil, true
		}
		return h.ExpiryDate.Format(dateLayout), true
	}, func(c *Card, raw []byte) error {
		c.expiryDisclosed = true
		if len(raw) == 1 && raw[0] == 0xf6 { // null
			return nil
		}
		t, err := date(raw)
		c.Holder.ExpiryDate = t
		return err
	}},
	textElement(ElemFatherName, func(h *chip.Holder) *string { return &h.FatherName }),
	textElement(ElemMotherName, func(h *chip.Holder) *string { return &h.MotherName }),
	textElement(ElemSpouseName, func(h *chip.Holder) *string { return &h.SpouseName }),
	textElement(ElemOldNumber, func(h *chip.Holder) *string { return &h.OldNumber }),
	{ElemFaceSHA256, func(h *chip.Holder) (any, bool) {
		if len(h.FaceJPEG) == 0 {
			return nil, false
		}
		d := sha256.Sum256(h.FaceJPEG)
		return d[:], true
	}, func(c *Card, raw []byte) error {
		var d []byte
		if err := cose.Unmarshal(raw, &d, ElemFaceSHA256); err != nil {
			return err
		}
		if len(d) != sha256.Size {
			return errors.New("face_sha256 must be 32 bytes")
		}
		c.FaceSHA256 = d
		return nil
	}},
}

// Identifiers returns the element identifiers this package signs, in the
// order Sign writes them.
func Identifiers() []string {
	ids := make([]string, len(elements))
	for i, e := range elements {
		ids[i] = e.id
	}
	return ids
}

func lookup(id string) *element {
	for i := range elements {
		if elements[i].id == id {
			return &elements[i]
		}
	}
	return nil
}

func textElement(id string, field func(h *chip.Holder) *string) element {
	return element{id, func(h *chip.Holder) (any, bool) {
		s := *field(h)
		return s, s != ""
	}, func(c *Card, raw []byte) (err error) {
		*field(&c.Holder), err = text(raw)
		return err
	}}
}

func dateElement(id string, field func(h *chip.Holder) *time.Time) element {
	return element{id, func(h *chip.Holder) (any, bool) {
		t := *field(h)
		return t.Format(dateLayout), !t.IsZero()
	}, func(c *Card, raw []byte) (err error) {
		*field(&c.Holder), err = date(raw)
		return err
	}}
}

func text(raw []byte) (string, error) {
	c := cose.NewCursor(raw)
	s, err := c.Text(keyValue)
	if err != nil {
		return "", err
	}
	if err := c.End(keyValue); err != nil {
		return "", err
	}
	if s == "" {
		return "", errors.New("empty text")
	}
	return s, nil
}

func date(raw []byte) (time.Time, error) {
	s, err := text(raw)
	if err != nil {
		return time.Time{}, err
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil || t.Format(dateLayout) != s {
		return time.Time{}, errors.New("date must be YYYY-MM-DD")
	}
	return t, nil
}

// splitName splits a Vietnamese full name into the family name (first
// word) and the rest.
func splitName(name string) (family, given string) {
	fields := strings.Fields(name)
	if len(fields) == 0 {
		return "", ""
	}
	return fields[0], strings.Join(fields[1:], " ")
}
