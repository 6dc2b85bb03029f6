package mrz

import (
	"errors"
	"fmt"
	"time"

	"github.com/cancuoc/sdk/cccd"
)

// The Vietnamese CCCD TD1 profile (observed on issued cards and in public
// reader projects; not in a public regulation), all in one place:
//
//	line 1: "IDVNM", the last 9 digits of the 12-digit number (the document
//	        number), its check digit, the 12-digit number, "<<", a check
//	        digit over the 12-digit number
//	line 2: birth date, check, sex, expiry (991231: never), check, "VNM",
//	        11 fillers, composite check
//	line 3: FAMILY<<MIDDLE<GIVEN
//
// The number's sex and birth year must agree with line 2.
const (
	vnNumber = 15 // the 12-digit number, in optional data 1
	vnFiller = 27 // "<<"
	vnCheck  = 29 // check digit over the 12-digit number
	vnTail   = vnNumber + 3
)

// vietnam checks the profile of a TD1 with document code I* and issuer VNM.
func (p *parser) vietnam(d *Document) {
	d.personal = p.str(vnNumber, vnNumber+12) // as read; the Document is only returned if every check passes
	if !p.chars(FieldPersonalNumber, vnNumber, vnNumber+12, digitChar) {
		return
	}
	if p.b[vnFiller] != '<' || p.b[vnFiller+1] != '<' {
		p.fail(FieldOptional1, vnFiller, ErrFormat)
	}
	p.check(FieldPersonalCheck, vnNumber, vnNumber+12, vnCheck, false)
	if string(p.b[td1.number:td1.number+9]) != string(p.b[vnTail:vnNumber+12]) {
		p.fail(FieldDocumentNumber, td1.number, ErrProfile)
	}
	now := p.now
	opts := cccd.ParseOptions{AllowUnknownProvince: p.unknownProvince, Now: func() time.Time { return now }}
	n, err := opts.Parse(d.personal)
	if err != nil {
		var pe *cccd.ParseError
		if errors.As(err, &pe) {
			p.fail(FieldPersonalNumber, vnNumber+pe.Offset, pe.Err)
		} else {
			p.fail(FieldPersonalNumber, vnNumber, err)
		}
		return
	}
	// The number knows the century; the MRZ only the last two digits.
	if d.birth.Year != 0 && n.BirthYear()%100 == d.birth.Year%100 {
		d.birth.Year = n.BirthYear()
	}
	// What cccd.Number.Matches checks, without building a time.Time: the
	// MRZ sex (M/F) and birth year against the number's.
	mismatch, field, off := "", "", 0
	switch {
	case d.sex.CCCD() == cccd.SexUnknown || d.sex.CCCD() != n.Sex():
		mismatch, field, off = "sex", FieldSex, td1.sex
	case d.birth.Year != n.BirthYear():
		mismatch, field, off = "birth_year", FieldBirthDate, td1.birth
	}
	if mismatch != "" {
		p.fail(field, off, fmt.Errorf("%w: %w", ErrProfile, &cccd.MismatchError{Field: mismatch}))
		return
	}
	d.cccd, d.vn = n, true
}
