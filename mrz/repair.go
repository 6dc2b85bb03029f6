package mrz

// Change is one character [Repair] replaced.
type Change struct {
	Position int  // 0-based index in the MRZ without line breaks
	From     byte // what OCR read
	To       byte // what the check digits confirmed
}

// Repair reads an MRZ like [Parse] and, if it fails, tries to fix the usual
// OCR confusions, with the zero [Options]: see [Options.Repair].
func Repair(text string) (Document, []Change, error) { return Options{}.Repair(text) }

// Repair reads an MRZ like [Options.Parse]. When that fails it tries the OCR
// confusions O/0, I/1, B/8, S/5, Z/2, G/6 and "<" read as K or C, only where
// the field type makes them meaningful, and accepts the result only when
// the whole document then passes every check:
//
//  1. a letter in a digits-only field (dates, check digits, the Vietnamese
//     number) becomes its digit look-alike, K or C in a date or in the
//     Vietnamese profile's filler becomes "<", and a digit in a country code
//     becomes its letter look-alike when that gives a known code;
//  2. if the document still fails, each K or C next to a filler (or at the
//     end of its field) in the alphanumeric fields covered by check digits
//     (document number, optional data, personal number) is tried as "<";
//     exactly one must pass.
//
// Letters and digits are both legal in alphanumeric fields, so look-alike
// swaps are not tried there: a single check digit would accept one wrong
// candidate in ten. Names and the document code have no check digit and are
// never changed.
//
// It returns the changes in position order (nil when the text parsed as
// is). When no candidate passes, it returns Parse's error; when several do,
// that error with an [ErrAmbiguous] entry added.
func (o Options) Repair(text string) (Document, []Change, error) {
	d, err := o.Parse(text)
	if err == nil {
		return d, nil, nil
	}
	var buf [bufSize]byte
	n, g, _, fe := shape(text, &buf)
	if fe != nil {
		return Document{}, nil, err
	}
	orig := buf
	slots := repairSlots(g, buf[0] == 'I' && string(buf[2:5]) == "VNM")

	// Step 1: type fixes, each with a single possible answer.
	var changes []Change
	for i := 0; i < n; i++ {
		c := buf[i]
		var to byte
		switch slots[i].kind {
		case digitSlot:
			to = lookalikeDigit(c)
		case dateSlot:
			to = lookalikeDigit(c)
			if c == 'K' || c == 'C' {
				to = '<'
			}
		case fillerSlot:
			if c == 'K' || c == 'C' {
				to = '<'
			}
		case countrySlot:
			to = lookalikeLetter(c)
		}
		if to != 0 {
			buf[i] = to
			changes = append(changes, Change{Position: i, From: c, To: to})
		}
	}
	// A country code fix stands only if it gives a known code.
	for _, off := range [2]int{2, g.nation} {
		if touched(changes, off, off+3) && !knownCountry(string(buf[off:off+3])) {
			copy(buf[off:off+3], orig[off:off+3])
			changes = untouch(changes, off, off+3)
		}
	}
	if d, err := o.parseBuf(&buf, n, g, lineSource{}); err == nil {
		return d, changes, nil
	}

	// Step 2: one filler read as K or C in a check-digit-covered field.
	// Letters and digits are both legal in these fields, so a look-alike
	// swap there is not something a check digit can confirm: one wrong
	// candidate in ten passes it by chance (the composite adds nothing for
	// a single substitution, its weights line up with the field's).
	var found []Change
	var doc Document
	for i := 0; i < n; i++ {
		c := buf[i]
		if slots[i].kind != anySlot || (c != 'K' && c != 'C') || !inFillerRun(&buf, &slots, i, n) {
			continue
		}
		buf[i] = '<'
		if d, err := o.parseBuf(&buf, n, g, lineSource{}); err == nil {
			found = append(found, Change{Position: i, From: c, To: '<'})
			doc = d
		}
		buf[i] = c
	}
	switch len(found) {
	case 0:
		return Document{}, nil, err
	case 1:
		changes = append(changes, found[0])
		sortChanges(changes)
		return doc, changes, nil
	}
	ve := err.(*ValidationError)
	ve.Errors = append(ve.Errors, &FieldError{Field: slots[found[0].Position].field, Offset: found[0].Position, Err: ErrAmbiguous})
	return Document{}, nil, ve
}

func touched(cs []Change, from, to int) bool {
	for _, c := range cs {
		if c.Position >= from && c.Position < to {
			return true
		}
	}
	return false
}

func untouch(cs []Change, from, to int) []Change {
	out := cs[:0]
	for _, c := range cs {
		if c.Position < from || c.Position >= to {
			out = append(out, c)
		}
	}
	return out
}

func sortChanges(cs []Change) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].Position < cs[j-1].Position; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// The OCR look-alikes (the confusions npm mrz and Python mrz correct too).
const (
	lookLetters = "OIBSZG"
	lookDigits  = "018526"
)

func lookalikeDigit(c byte) byte {
	if i := indexByte(lookLetters, c); i >= 0 {
		return lookDigits[i]
	}
	return 0
}

func lookalikeLetter(c byte) byte {
	if i := indexByte(lookDigits, c); i >= 0 {
		return lookLetters[i]
	}
	return 0
}

// inFillerRun reports whether position i has a filler next to it in the
// same field, or is the last position of its field (where padding ends).
func inFillerRun(buf *[bufSize]byte, slots *[maxMRZ]slot, i, n int) bool {
	last := i+1 >= n || slots[i+1].field != slots[i].field
	return last || (i > 0 && buf[i-1] == '<' && slots[i-1].field == slots[i].field) ||
		(buf[i+1] == '<' && slots[i+1].field == slots[i].field)
}

// slotKind is what a repair may do at a position.
type slotKind uint8

const (
	noSlot      slotKind = iota // nothing confirms a change here
	anySlot                     // alphanumeric, covered by a check digit
	digitSlot                   // digits only
	dateSlot                    // digits or "<"
	fillerSlot                  // "<" only
	countrySlot                 // letters, confirmed by the country table
)

type slot struct {
	kind  slotKind
	field string
}

// repairSlots maps every position of layout g to its repair kind.
func repairSlots(g *geometry, vietnam bool) (s [maxMRZ]slot) {
	set := func(from, to int, k slotKind, field string) {
		for i := from; i < to; i++ {
			s[i] = slot{k, field}
		}
	}
	set(2, 5, countrySlot, FieldIssuer)
	set(g.nation, g.nation+3, countrySlot, FieldNationality)
	set(g.number, g.number+9, anySlot, FieldDocumentNumber)
	// A "<" check digit (long number) is left alone: digitSlot only maps letters.
	set(g.number+9, g.number+10, digitSlot, FieldNumberCheck)
	set(g.birth, g.birth+6, dateSlot, FieldBirthDate)
	set(g.birth+6, g.birth+7, digitSlot, FieldBirthCheck)
	set(g.expiry, g.expiry+6, dateSlot, FieldExpiryDate)
	set(g.expiry+6, g.expiry+7, digitSlot, FieldExpiryCheck)
	if g.composite >= 0 {
		set(g.composite, g.composite+1, digitSlot, FieldComposite)
		set(g.opt1, g.opt1+g.opt1Len, anySlot, FieldOptional1)
		if g.opt2Len > 0 {
			set(g.opt2, g.opt2+g.opt2Len, anySlot, FieldOptional2)
		}
	}
	if g.opt1Check >= 0 {
		set(g.opt1Check, g.opt1Check+1, digitSlot, FieldPersonalCheck)
	}
	if vietnam && g.layout == TD1 {
		set(g.number, g.number+9, digitSlot, FieldDocumentNumber)
		set(g.number+9, g.number+10, digitSlot, FieldNumberCheck)
		set(vnNumber, vnNumber+12, digitSlot, FieldPersonalNumber)
		set(vnFiller, vnFiller+2, fillerSlot, FieldOptional1)
		set(vnCheck, vnCheck+1, digitSlot, FieldPersonalCheck)
	}
	return s
}
