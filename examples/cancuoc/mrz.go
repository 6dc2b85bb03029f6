package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cancuoc/sdk/cccd"
	"github.com/cancuoc/sdk/mrz"
)

func init() {
	register(command{name: "mrz parse", summary: "check MRZs on stdin (blocks separated by a blank line); one JSON object per document", run: runMRZParse})
	register(command{name: "mrz encode", summary: "write Vietnamese card TD1 MRZs from JSON lines of holder data", run: runMRZEncode})
}

// mrzMaxBlock bounds the text kept for one document; an MRZ has at most 90
// characters, so anything much longer is reported malformed unread.
const mrzMaxBlock = 1024

// mrzResult is one output object of "mrz parse", fields in contract order.
type mrzResult struct {
	Valid          bool         `json:"valid"`
	Format         string       `json:"format"`
	DocumentCode   string       `json:"document_code"`
	Issuer         string       `json:"issuer"`
	DocumentNumber string       `json:"document_number"`
	PersonalNumber string       `json:"personal_number"`
	BirthDate      string       `json:"birth_date"`
	ExpiryDate     *string      `json:"expiry_date"`
	Sex            string       `json:"sex"`
	Nationality    string       `json:"nationality"`
	Surname        string       `json:"surname"`
	GivenNames     string       `json:"given_names"`
	Errors         []mrzError   `json:"errors"`
	Repaired       *[]mrzChange `json:"repaired,omitempty"`
}

type mrzError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

type mrzChange struct {
	Position int    `json:"position"`
	From     string `json:"from"`
	To       string `json:"to"`
}

func runMRZParse(e *env, args []string) int {
	fs := newFlags(e, "mrz parse", "[-repair] [-allow-unknown-province] < MRZ text\n\n"+
		"Reads MRZ documents on stdin, one per block: its lines (2 or 3, or all on one\n"+
		"line), then a blank line or the end of input. Lower case and surrounding blanks\n"+
		"are accepted. Writes one JSON object per document, in order:\n"+
		`  {"valid":true,"format":"TD1","document_code":"ID","issuer":"VNM","document_number":"095012345",`+"\n"+
		`   "personal_number":"001095012345","birth_date":"1995-03-17","expiry_date":"2035-03-17","sex":"M",`+"\n"+
		`   "nationality":"VNM","surname":"NGUYEN","given_names":"VAN DUC","errors":[]}`+"\n"+
		"expiry_date is null when the document never expires (991231), or when no\n"+
		"expiry date could be read (valid is then false); unknown date parts print as\n"+
		"XX, an unreadable birth_date as \"\". errors lists every problem found\n"+
		"({\"field\",\"message\"}); an invalid document still shows the fields as\n"+
		"read, which must not be trusted.\n"+
		"With -repair, OCR confusions confirmed by the check digits are fixed first and\n"+
		"\"repaired\":[{\"position\":N,\"from\":\"O\",\"to\":\"0\"}] lists them; position is the\n"+
		"0-based index in the MRZ with line breaks removed (line 2 of a TD1 starts at 30).\n"+
		"Prints full values: an operator asked for them.\n"+
		"Exit 0 when the input was read, even if documents are invalid; 1 when reading\nor writing fails; 2 on usage.\n")
	repair := fs.Bool("repair", false, "fix OCR confusions the check digits confirm, and list them")
	allowUnknown := fs.Bool("allow-unknown-province", false, "accept Vietnamese numbers with a 0xx prefix missing from the province table")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	opts := mrz.Options{AllowUnknownProvince: *allowUnknown}
	out := bufio.NewWriter(e.stdout)
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	err := mrzBlocks(e.stdin, func(block string, tooLong bool) error {
		var res mrzResult
		switch {
		case tooLong:
			res = mrzReport(mrz.Document{}, errors.New("mrz: input too long for an MRZ"))
			if *repair {
				res.Repaired = &[]mrzChange{}
			}
		case *repair:
			d, changes, err := opts.Repair(block)
			res = mrzReport(d, err)
			list := make([]mrzChange, 0, len(changes))
			for _, c := range changes {
				list = append(list, mrzChange{Position: c.Position, From: string(c.From), To: string(c.To)})
			}
			res.Repaired = &list
		default:
			d, err := opts.Parse(block)
			res = mrzReport(d, err)
		}
		return enc.Encode(res)
	})
	if ferr := out.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "cancuoc mrz parse:", err)
		return exitFail
	}
	return exitOK
}

// mrzBlocks calls fn for each block of non-blank lines in r. A block longer
// than mrzMaxBlock is passed as tooLong, without its text.
func mrzBlocks(r io.Reader, fn func(block string, tooLong bool) error) error {
	in := bufio.NewReader(r)
	var block []byte
	tooLong, open := false, false
	flush := func() error {
		if !open {
			return nil
		}
		err := fn(string(block), tooLong)
		block, tooLong, open = block[:0], false, false
		return err
	}
	for {
		line, lineTooLong, err := readLine(in, mrzMaxBlock)
		if err != nil && err != io.EOF {
			return err
		}
		switch {
		case len(line) == 0 && !lineTooLong:
		case !lineTooLong && len(bytes.TrimSpace(line)) == 0:
			if ferr := flush(); ferr != nil {
				return ferr
			}
		default:
			open = true
			if lineTooLong || len(block)+len(line) > mrzMaxBlock {
				tooLong = true
			} else {
				block = append(block, line...)
			}
		}
		if err == io.EOF {
			return flush()
		}
	}
}

// mrzReport turns Parse's or Repair's outcome into the output object; an
// invalid document shows what was read.
func mrzReport(d mrz.Document, err error) mrzResult {
	res := mrzResult{Valid: err == nil, Errors: []mrzError{}}
	badDate := map[string]bool{}
	if err != nil {
		var ve *mrz.ValidationError
		if errors.As(err, &ve) {
			d = ve.Document
			for _, fe := range ve.Errors {
				res.Errors = append(res.Errors, mrzError{Field: fe.Field, Message: fe.Error()})
				// Only an unreadable date is hidden; one that disagrees
				// with the card profile was read and is shown.
				if errors.Is(fe, mrz.ErrDate) || errors.Is(fe, mrz.ErrCharset) {
					badDate[fe.Field] = true
				}
			}
		} else {
			res.Errors = append(res.Errors, mrzError{Field: mrz.FieldMRZ, Message: err.Error()})
		}
	}
	if d.Layout() == 0 {
		// Nothing was read: "" for the strings, null for expiry_date (the
		// contract allows only a date or null there; valid is false).
		return res
	}
	res.Format = d.Layout().String()
	res.DocumentCode = d.DocumentCode()
	res.Issuer = d.Issuer()
	res.DocumentNumber = d.DocumentNumber()
	res.PersonalNumber = d.PersonalNumber()
	// A date that could not be read prints as "", not as unknown parts.
	if !badDate[mrz.FieldBirthDate] {
		res.BirthDate = d.BirthDate().String()
	}
	// expiry_date is a date or null, never "": an expiry that could not be
	// read is null too, with its error listed and valid false.
	if exp, ok := d.ExpiryDate(); ok && !badDate[mrz.FieldExpiryDate] {
		s := exp.String()
		res.ExpiryDate = &s
	}
	res.Sex = d.Sex().String()
	res.Nationality = d.Nationality()
	res.Surname = d.Surname()
	res.GivenNames = d.GivenNames()
	return res
}

// mrzEncodeMaxLine bounds one input line of "mrz encode": a holder object
// is a few hundred bytes.
const mrzEncodeMaxLine = 64 << 10

// mrzHolder is one input line of "mrz encode".
type mrzHolder struct {
	Number     string          `json:"number"`
	Name       string          `json:"name"`
	BirthDate  string          `json:"birth_date"`
	Sex        string          `json:"sex"`
	ExpiryDate json.RawMessage `json:"expiry_date"` // empty when missing, "null" for no expiry
}

func runMRZEncode(e *env, args []string) int {
	fs := newFlags(e, "mrz encode", "< JSON lines\n\n"+
		"Reads one holder per line:\n"+
		`  {"number":"001095012345","name":"Nguyễn Văn Đức","birth_date":"1995-03-17","sex":"M","expiry_date":"2035-03-17"}`+"\n"+
		"(expiry_date null: the card never expires, written 991231; the key is required)\n"+
		"and writes the three TD1 lines of the Vietnamese card for each, then a blank\n"+
		"line. A line that fails is reported on stderr with its line number and\n"+
		"skipped. Exit 0 when every line was encoded, 1 otherwise, 2 on usage.\n")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return exitUsage
	}
	in := bufio.NewReader(e.stdin)
	out := bufio.NewWriter(e.stdout)
	code := exitOK
	for line := 1; ; line++ {
		raw, tooLong, err := readLine(in, mrzEncodeMaxLine)
		if err != nil && err != io.EOF {
			out.Flush()
			fmt.Fprintln(e.stderr, "cancuoc mrz encode: reading input:", err)
			return exitFail
		}
		if tooLong {
			fmt.Fprintf(e.stderr, "cancuoc mrz encode: line %d: longer than %d bytes, the limit for one holder object\n", line, mrzEncodeMaxLine)
			code = exitFail
		}
		text := strings.TrimSpace(string(raw))
		if tooLong || text == "" {
			if err == io.EOF {
				break
			}
			continue
		}
		d, err := mrzEncodeLine(text)
		if err != nil {
			fmt.Fprintf(e.stderr, "cancuoc mrz encode: line %d: %v\n", line, err)
			code = exitFail
			continue
		}
		if d.NameTruncated() {
			fmt.Fprintf(e.stderr, "cancuoc mrz encode: line %d: name truncated to fit the MRZ\n", line)
		}
		fmt.Fprintf(out, "%s\n\n", d.Text())
		if err == io.EOF {
			break
		}
	}
	if err := out.Flush(); err != nil {
		fmt.Fprintln(e.stderr, "cancuoc mrz encode:", err)
		return exitFail
	}
	return code
}

func mrzEncodeLine(text string) (mrz.Document, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.DisallowUnknownFields()
	var h mrzHolder
	if err := dec.Decode(&h); err != nil {
		return mrz.Document{}, fmt.Errorf("not a holder object: %v", err)
	}
	if dec.More() {
		return mrz.Document{}, errors.New("trailing data after the holder object")
	}
	n, err := cccd.Parse(h.Number)
	if err != nil {
		return mrz.Document{}, err
	}
	birth, err := time.Parse(time.DateOnly, h.BirthDate)
	if err != nil {
		return mrz.Document{}, errors.New("birth_date: want YYYY-MM-DD")
	}
	holder := mrz.Holder{Number: n, Name: h.Name, BirthDate: birth}
	switch h.Sex {
	case "M":
		holder.Sex = cccd.Male
	case "F":
		holder.Sex = cccd.Female
	default:
		return mrz.Document{}, errors.New(`sex: want "M" or "F"`)
	}
	if len(h.ExpiryDate) == 0 {
		return mrz.Document{}, errors.New("expiry_date missing (null means no expiry)")
	}
	if string(h.ExpiryDate) != "null" {
		var s string
		if err := json.Unmarshal(h.ExpiryDate, &s); err != nil {
			return mrz.Document{}, errors.New("expiry_date: want YYYY-MM-DD or null")
		}
		if holder.ExpiryDate, err = time.Parse(time.DateOnly, s); err != nil {
			return mrz.Document{}, errors.New("expiry_date: want YYYY-MM-DD or null")
		}
	}
	return mrz.EncodeCCCD(holder)
}
