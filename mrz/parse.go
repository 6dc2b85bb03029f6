package mrz

import (
	"cmp"
	"slices"
	"time"
)

// Options tunes [Options.Parse] and [Options.Repair]. The zero value is the
// default that [Parse] uses.
type Options struct {
	// Now is the clock birth dates get their century from (the latest
	// century that does not put the birth after Now) and the Vietnamese
	// number's birth year is checked against. Zero means time.Now().
	Now time.Time
	// AllowUnknownProvince accepts a Vietnamese card whose 12-digit number
	// starts with a 0xx prefix missing from the province table (see
	// cccd.ParseOptions); by default such a card fails with cccd.ErrProvince.
	AllowUnknownProvince bool
}

func (o Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

// geometry is where the fields of one layout are, as offsets in the MRZ
// without line breaks (ICAO 9303-4 4.2.2, 9303-5 4.2.2, 9303-6 4.2.2,
// 9303-7 4.2.2).
type geometry struct {
	layout        Layout
	width, lines  int
	number        int // 9 characters, check digit after
	opt1, opt1Len int // TD1 optional data 1, TD2/MRV optional data, TD3 personal number
	opt1Check     int // TD3 personal number check digit, else -1
	longNumber    bool
	birth, sex    int
	expiry        int
	nation        int
	opt2, opt2Len int // TD1 optional data 2
	composite     int // -1 for visas
	parts         [3][2]int
	name, nameLen int
	codes         string // allowed first letters of the document code
}

var (
	td1 = geometry{layout: TD1, width: 30, lines: 3, number: 5, opt1: 15, opt1Len: 15, opt1Check: -1,
		longNumber: true, birth: 30, sex: 37, expiry: 38, nation: 45, opt2: 48, opt2Len: 11,
		composite: 59, parts: [3][2]int{{5, 37}, {38, 45}, {48, 59}}, name: 60, nameLen: 30, codes: "ACI"}
	td2 = geometry{layout: TD2, width: 36, lines: 2, name: 5, nameLen: 31, number: 36, nation: 46,
		birth: 49, sex: 56, expiry: 57, opt1: 64, opt1Len: 7, opt1Check: -1, longNumber: true,
		composite: 71, parts: [3][2]int{{36, 46}, {49, 56}, {57, 71}}, codes: "ACI"}
	td3 = geometry{layout: TD3, width: 44, lines: 2, name: 5, nameLen: 39, number: 44, nation: 54,
		birth: 57, sex: 64, expiry: 65, opt1: 72, opt1Len: 14, opt1Check: 86,
		composite: 87, parts: [3][2]int{{44, 54}, {57, 64}, {65, 87}}, codes: "P"}
	mrva = geometry{layout: MRVA, width: 44, lines: 2, name: 5, nameLen: 39, number: 44, nation: 54,
		birth: 57, sex: 64, expiry: 65, opt1: 72, opt1Len: 16, opt1Check: -1, composite: -1, codes: "V"}
	mrvb = geometry{layout: MRVB, width: 36, lines: 2, name: 5, nameLen: 31, number: 36, nation: 46,
		birth: 49, sex: 56, expiry: 57, opt1: 64, opt1Len: 8, opt1Check: -1, composite: -1, codes: "V"}
)

// maxMRZ is the longest MRZ (TD1, 3 x 30); bufSize leaves room after it for
// the names with spaces and a long document number, so that a parsed
// Document is one string allocation.
const (
	maxMRZ  = 90
	bufSize = 256
)

// shape finds the layout of text: OCR output with or without line breaks,
// surrounding blanks and lower case. It copies the MRZ, upper-cased and
// without line breaks, into buf, in one pass that stops at the 91st
// character.
//
// src says where the lines of the copy are in text when they appear there
// unchanged, so the parsed fields can be substrings of text.
func shape(text string, buf *[bufSize]byte) (n int, g *geometry, src lineSource, fe *FieldError) {
	if n, g, src, ok := shapeLines(text, buf); ok {
		return n, g, src, nil
	}
	return shapeAny(text, buf)
}

// shapeAny is shape for any input.
func shapeAny(text string, buf *[bufSize]byte) (n int, g *geometry, src lineSource, fe *FieldError) {
	var lens [3]int
	lines, start, blanks := 0, 0, 0
	verbatim := true
	for i := 0; i <= len(text); i++ {
		c := byte('\n')
		if i < len(text) {
			c = text[i]
		}
		switch {
		case c == '\n':
			if n > start { // a line ends; its trailing blanks are dropped
				if lines == 3 {
					return 0, nil, lineSource{}, &FieldError{Field: FieldMRZ, Offset: -1, Err: ErrFormat}
				}
				lens[lines] = n - start
				lines++
				start = n
			}
			blanks = 0
		case isBlank(c):
			if n > start { // leading blanks are dropped, inner ones kept
				blanks++
				verbatim = verbatim && c == ' '
			}
		default:
			if n+blanks >= maxMRZ {
				return 0, nil, lineSource{}, &FieldError{Field: FieldMRZ, Offset: -1, Err: ErrFormat}
			}
			if n == start && lines < 3 {
				src.starts[lines] = i
			}
			for ; blanks > 0; blanks-- {
				buf[n] = ' '
				n++
			}
			if c >= 'a' && c <= 'z' {
				c -= 'a' - 'A'
				verbatim = false
			}
			buf[n] = c
			n++
		}
	}
	switch {
	case lines == 1 && n == 90, lines == 3 && lens == [3]int{30, 30, 30}:
		g = &td1
	case lines == 1 && n == 72, lines == 2 && lens[0] == 36 && lens[1] == 36:
		g = &td2
		if buf[0] == 'V' {
			g = &mrvb
		}
	case lines == 1 && n == 88, lines == 2 && lens[0] == 44 && lens[1] == 44:
		g = &td3
		if buf[0] == 'V' {
			g = &mrva
		}
	default:
		return 0, nil, lineSource{}, &FieldError{Field: FieldMRZ, Offset: -1, Err: ErrFormat}
	}
	if lines == 1 { // one line holding the whole MRZ: its lines follow each other
		for i := 1; i < g.lines; i++ {
			src.starts[i] = src.starts[0] + i*g.width
		}
	}
	if verbatim {
		src.text = text
	}
	return n, g, src, nil
}

// shapeLines is shape's fast path for the usual input: the lines of one
// layout separated by "\n" (a final "\n" allowed), made only of MRZ
// characters. ok is false for anything else, which shape then handles.
func shapeLines(text string, buf *[bufSize]byte) (n int, g *geometry, src lineSource, ok bool) {
	l := len(text)
	if l > 0 && text[l-1] == '\n' {
		l--
	}
	switch l {
	case 3*30 + 2:
		g = &td1
	case 2*36 + 1:
		g = &td2
	case 2*44 + 1:
		g = &td3
	default:
		return 0, nil, lineSource{}, false
	}
	w := g.width
	for i := range g.lines {
		start := i * (w + 1)
		if i > 0 && text[start-1] != '\n' {
			return 0, nil, lineSource{}, false
		}
		line := text[start : start+w]
		for j := 0; j < len(line); j++ {
			if charClasses[line[j]] == 0 {
				return 0, nil, lineSource{}, false
			}
		}
		src.starts[i] = start
		n += copy(buf[n:], line)
	}
	if buf[0] == 'V' {
		switch g {
		case &td2:
			g = &mrvb
		case &td3:
			g = &mrva
		}
	}
	src.text = text
	return n, g, src, true
}

// lineSource locates the lines of a shaped MRZ in the caller's text: line i
// is text[starts[i]:starts[i]+width]. text is empty when the lines were
// changed while shaping (lower case, tabs inside), and the parser then
// copies the MRZ once instead.
type lineSource struct {
	text   string
	starts [3]int
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' }

func indexByte[S ~string | ~[]byte](s S, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// Parse reads an MRZ with the zero [Options]: see [Options.Parse].
func Parse(text string) (Document, error) { return Options{}.Parse(text) }

// Parse reads an MRZ as OCR returns it (with or without line breaks,
// surrounding blanks, lower case), finds its layout by shape (TD1 3x30,
// TD2 2x36, TD3 2x44, MRV-A 2x44 and MRV-B 2x36 when the document code
// starts with V) and checks everything: the character set, every check
// digit and the composite, calendar dates, sex, country codes, the name
// syntax, and on a Vietnamese card the CCCD profile.
//
// On any failure it returns the zero Document and a *[ValidationError]
// listing every problem found; its Document field shows what was read and
// must not be trusted.
//
// Parse allocates nothing when the lines appear unchanged in text (upper
// case, no tabs): the Document's strings are then substrings of text, which
// it keeps alive. Other input is copied once.
func (o Options) Parse(text string) (Document, error) {
	var buf [bufSize]byte
	n, g, src, fe := shape(text, &buf)
	if fe != nil {
		return Document{}, &ValidationError{Errors: []*FieldError{fe}}
	}
	return o.parseBuf(&buf, n, g, src)
}

// parseBuf checks the MRZ in buf[:n], of layout g, whose lines are found
// unchanged in src.text when that is not empty.
func (o Options) parseBuf(buf *[bufSize]byte, n int, g *geometry, src lineSource) (Document, error) {
	p := parser{g: g, now: o.now(), unknownProvince: o.AllowUnknownProvince}
	d := p.decode(buf, n, src)
	if len(p.errs) > 0 {
		slices.SortStableFunc(p.errs, func(a, b *FieldError) int { return cmp.Compare(a.Offset, b.Offset) })
		return Document{}, &ValidationError{Errors: p.errs, Document: d}
	}
	return d, nil
}

// parser collects every problem of one MRZ.
type parser struct {
	g               *geometry
	now             time.Time
	unknownProvince bool
	b               [maxMRZ]byte // the MRZ without line breaks (a copy, so buf stays on the caller's stack)
	src             lineSource
	errs            []*FieldError
}

// str returns b[from:to], which lies within one line, as a string without
// copying: a substring of the caller's text when the lines appear there
// unchanged, else of the one copy decode made.
func (p *parser) str(from, to int) string {
	if from >= to {
		return "" // also when from is the end of the last line
	}
	w, line := p.g.width, 0
	if from >= w { // no division: this runs for every field
		line = 1
		if from >= 2*w {
			line = 2
		}
	}
	off := p.src.starts[line] - line*w
	return p.src.text[off+from : off+to]
}

func (p *parser) fail(field string, off int, err error) {
	p.errs = append(p.errs, &FieldError{Field: field, Offset: off, Err: err})
}

// charKind is what a field allows.
type charKind uint8

const (
	anyChar   charKind = iota // A-Z, 0-9, <
	alphaChar                 // A-Z, <
	numChar                   // 0-9, < (dates)
	digitChar                 // 0-9 (check digits, the Vietnamese number)
)

// charClasses has bit 1 for digits, 2 for letters, 4 for "<"; kindMask
// says which of them a charKind allows. Filled once, never written again.
var charClasses = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = 1
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = 2
	}
	t['<'] = 4
	return t
}()

var kindMask = [...]uint8{anyChar: 7, alphaChar: 6, numChar: 5, digitChar: 1}

func allowed(c byte, k charKind) bool { return charClasses[c]&kindMask[k] != 0 }

// chars reports each character of s[from:to] not allowed by k.
func (p *parser) chars(field string, from, to int, k charKind) bool {
	ok := true
	for i := from; i < to; i++ {
		if !allowed(p.b[i], k) {
			p.fail(field, i, ErrCharset)
			ok = false
		}
	}
	return ok
}

// check verifies the check digit at position at over s[from:to]. fillerOK
// allows "<" as the check digit of an all-filler optional field.
func (p *parser) check(field string, from, to, at int, fillerOK bool) {
	c := p.b[at]
	if c == '<' && fillerOK && allFiller(p.b[from:to]) {
		return
	}
	if c < '0' || c > '9' {
		p.fail(field, at, ErrCharset)
		return
	}
	if sum, _ := checkSum(p.b[from:to], 0, 0); c != byte('0'+sum%10) {
		p.fail(field, at, ErrCheckDigit)
	}
}

// longNumber finds the continuation of a document number longer than 9
// characters (ICAO 9303-5 4.2.2 note j, 9303-6 likewise): the number's check
// digit position holds "<", and the optional data field starts with the
// remaining characters, the check digit and "<". It returns the length of
// continuation plus check digit (0 if the number is not long) and whether
// the layout was found.
func longNumber(s []byte, g *geometry) (k int, ok bool) {
	if !g.longNumber || s[g.number+9] != '<' {
		return 0, true
	}
	opt := s[g.opt1 : g.opt1+g.opt1Len]
	k = indexByte(opt, '<')
	// A long number fills all nine positions.
	if k < 2 || indexByte(s[g.number:g.number+9], '<') >= 0 {
		return 0, false
	}
	return k, true
}

// decode checks every field of the MRZ in buf[:n] and returns the document.
// The Document's strings are substrings of src.text when it is set, so a
// parse allocates nothing; otherwise of one copy of the MRZ, which also
// holds a long document number rendered after it.
func (p *parser) decode(buf *[bufSize]byte, n int, src lineSource) Document {
	g := p.g
	copy(p.b[:], buf[:n])
	long, longOK := longNumber(buf[:n], g)
	copied := src.text == ""
	if copied {
		out := buf[:n]
		if long > 0 {
			out = append(out, buf[g.number:g.number+9]...)
			out = append(out, buf[g.opt1:g.opt1+long-1]...)
		}
		src = lineSource{text: string(out), starts: [3]int{0, g.width, 2 * g.width}}
	}
	p.src = src

	d := Document{format: g.layout}
	for i := range g.lines {
		d.lines[i] = p.str(i*g.width, (i+1)*g.width)
	}
	// Name: the primary and secondary identifiers as printed, fillers at
	// their ends removed; the accessors render "<" as spaces.
	name := buf[g.name : g.name+g.nameLen]
	sep := len(name)
	for i := 0; i+1 < len(name); i++ {
		if name[i] == '<' && name[i+1] == '<' {
			sep = i
			break
		}
	}
	d.surname = p.nameStr(g.name, g.name+sep)
	if sep < len(name) {
		d.given = p.nameStr(g.name+sep+2, g.name+len(name))
	}
	d.cut = name[len(name)-1] != '<'
	s := p.b[:n]

	// Document code: ICAO 9303-4 4.2.2 (P, PP since the amendment), -5 (A, C, I), -7 (V).
	if p.chars(FieldDocumentCode, 0, 2, alphaChar) && indexByte(g.codes, s[0]) < 0 {
		p.fail(FieldDocumentCode, 0, ErrFormat)
	}
	d.code = trimFiller(p.str(0, 2))
	d.issuer = p.country(FieldIssuer, 2)

	// Document number and its check digit.
	num := g.number
	p.chars(FieldDocumentNumber, num, num+9, anyChar)
	opt1 := p.str(g.opt1, g.opt1+g.opt1Len)
	switch {
	case !longOK:
		p.fail(FieldDocumentNumber, num+9, ErrFormat)
		d.number = trimFiller(p.str(num, num+9))
	case long > 0:
		if copied {
			d.number = p.src.text[n:] // rendered after the copy above
		} else {
			d.number = p.str(num, num+9) + opt1[:long-1] // the one allocation of this case
		}
		sum, i := checkSum(s[num:num+9], 0, 0)
		sum, _ = checkSum(opt1[:long-1], sum, i)
		if c := opt1[long-1]; c < '0' || c > '9' {
			p.fail(FieldNumberCheck, g.opt1+long-1, ErrCharset)
		} else if c != byte('0'+sum%10) {
			p.fail(FieldNumberCheck, g.opt1+long-1, ErrCheckDigit)
		}
		opt1 = opt1[long+1:]
	default:
		d.number = trimFiller(p.str(num, num+9))
		if d.number == "" {
			p.fail(FieldDocumentNumber, num, ErrFormat)
		}
		p.check(FieldNumberCheck, num, num+9, num+9, false)
	}

	// Optional data (TD3: personal number with its check digit).
	p.chars(FieldOptional1, g.opt1, g.opt1+g.opt1Len, anyChar)
	if g.opt1Check >= 0 {
		d.personal = trimFiller(opt1)
		p.check(FieldPersonalCheck, g.opt1, g.opt1+g.opt1Len, g.opt1Check, true)
	} else {
		d.opt1 = trimFiller(opt1)
	}
	if g.opt2Len > 0 {
		p.chars(FieldOptional2, g.opt2, g.opt2+g.opt2Len, anyChar)
		d.opt2 = trimFiller(p.str(g.opt2, g.opt2+g.opt2Len))
	}

	now := p.now
	d.birth = p.date(FieldBirthDate, g.birth, true, now)
	p.check(FieldBirthCheck, g.birth, g.birth+6, g.birth+6, false)
	switch c := Sex(s[g.sex]); c {
	case Male, Female, Unspecified, NotStated:
		d.sex = c
	default:
		p.fail(FieldSex, g.sex, ErrSex)
	}
	if string(s[g.expiry:g.expiry+6]) == noExpiry {
		d.noExpiry = true
	} else {
		d.expiry = p.date(FieldExpiryDate, g.expiry, false, now)
	}
	p.check(FieldExpiryCheck, g.expiry, g.expiry+6, g.expiry+6, false)
	d.nation = p.country(FieldNationality, g.nation)

	if g.composite >= 0 {
		sum, i := 0, 0
		for _, r := range g.parts {
			sum, i = checkSum(s[r[0]:r[1]], sum, i)
		}
		if c := s[g.composite]; c < '0' || c > '9' {
			p.fail(FieldComposite, g.composite, ErrCharset)
		} else if c != byte('0'+sum%10) {
			p.fail(FieldComposite, g.composite, ErrCheckDigit)
		}
	}

	// Name: primary identifier, "<<", secondary identifiers (9303-3 4.6).
	if p.chars(FieldName, g.name, g.name+g.nameLen, alphaChar) && (d.surname == "" && d.given == "") {
		p.fail(FieldName, g.name, ErrFormat)
	}

	if g.layout == TD1 && s[0] == 'I' && d.issuer == "VNM" {
		p.vietnam(&d)
	}
	return d
}

// nameStr returns the name part b[from:to] with the fillers at its ends
// removed.
func (p *parser) nameStr(from, to int) string {
	for from < to && p.b[from] == '<' {
		from++
	}
	for to > from && p.b[to-1] == '<' {
		to--
	}
	return p.str(from, to)
}

// country checks a 3-character state or organisation code at off.
func (p *parser) country(field string, off int) string {
	c := p.str(off, off+3)
	if p.chars(field, off, off+3, alphaChar) && !knownCountry(c) {
		p.fail(field, off, ErrCountry)
	}
	return trimFiller(c)
}

// date checks a YYMMDD field at off.
func (p *parser) date(field string, off int, birth bool, now time.Time) Date {
	if !p.chars(field, off, off+6, numChar) {
		return Date{}
	}
	d, ok := parseDate(p.str(off, off+6), birth, now)
	if !ok {
		p.fail(field, off, ErrDate)
	}
	return d
}

// trimFiller removes trailing "<".
func trimFiller(s string) string {
	for len(s) > 0 && s[len(s)-1] == '<' {
		s = s[:len(s)-1]
	}
	return s
}
