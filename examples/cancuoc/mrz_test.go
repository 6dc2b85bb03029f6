package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/cancuoc/sdk/mrz"
)

// Synthetic Vietnamese cards (written by hand in the CCCD profile of
// mrz/vietnam.go) and the ICAO TD1 specimen (Doc 9303-5 Appendix A) are the
// truth these tests compare with.
const (
	mrzNguyen = "IDVNM0950123455001095012345<<6\n9503179M3503177VNM<<<<<<<<<<<0\nNGUYEN<<VAN<DUC<<<<<<<<<<<<<<<"
	mrzLe     = "IDVNM1580001236038158000123<<3\n5801051F9912315VNM<<<<<<<<<<<8\nLE<<THI<HOA<<<<<<<<<<<<<<<<<<<"
	mrzTran   = "IDVNM3030007771079303000777<<1\n0308304F2808303VNM<<<<<<<<<<<4\nTRAN<<THI<NGOC<ANH<<<<<<<<<<<<"
	mrzICAO   = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)

func TestMRZParseContract(t *testing.T) {
	in := mrzNguyen + "\n\n" + mrzLe + "\n   \n\n" + strings.ReplaceAll(strings.ToLower(mrzICAO), "\n", "") + "\n"
	out, stderr, code := runCLI(t, in, "mrz", "parse")
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	want := `{"valid":true,"format":"TD1","document_code":"ID","issuer":"VNM","document_number":"095012345","personal_number":"001095012345","birth_date":"1995-03-17","expiry_date":"2035-03-17","sex":"M","nationality":"VNM","surname":"NGUYEN","given_names":"VAN DUC","errors":[]}
{"valid":true,"format":"TD1","document_code":"ID","issuer":"VNM","document_number":"158000123","personal_number":"038158000123","birth_date":"1958-01-05","expiry_date":null,"sex":"F","nationality":"VNM","surname":"LE","given_names":"THI HOA","errors":[]}
{"valid":true,"format":"TD1","document_code":"I","issuer":"UTO","document_number":"D23145890","personal_number":"","birth_date":"1974-08-12","expiry_date":"2012-04-15","sex":"F","nationality":"UTO","surname":"ERIKSSON","given_names":"ANNA MARIA","errors":[]}
`
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestMRZParseInvalid(t *testing.T) {
	// Birth date check digit 9 -> 8 (position 36): that check and the
	// composite fail; then a block that is no MRZ at all.
	bad := strings.Replace(mrzNguyen, "9503179M", "9503178M", 1)
	// Invalid documents are results, not failures: exit 0, as number validate.
	out, _, code := runCLI(t, bad+"\n\nHELLO\n", "mrz", "parse")
	if code != exitOK {
		t.Errorf("exit %d, want %d", code, exitOK)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 objects, got %q", out)
	}
	var first struct {
		Valid          bool
		DocumentNumber string `json:"document_number"`
		Errors         []struct{ Field, Message string }
	}
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if first.Valid || first.DocumentNumber != "095012345" || len(first.Errors) != 2 ||
		first.Errors[0].Field != "birth_date_check" || !strings.Contains(first.Errors[0].Message, "position 36") ||
		first.Errors[1].Field != "composite_check" {
		t.Errorf("first: %s", lines[0])
	}
	if !strings.HasPrefix(lines[1], `{"valid":false,"format":"",`) || !strings.Contains(lines[1], `"expiry_date":null,`) ||
		!strings.Contains(lines[1], `"errors":[{"field":"mrz"`) {
		t.Errorf("second: %s", lines[1])
	}
	// Huge input is bounded and reported, not kept.
	out, _, code = runCLI(t, strings.Repeat("<", 1<<20), "mrz", "parse")
	if code != exitOK || !strings.Contains(out, `"valid":false`) {
		t.Errorf("huge: %d %q", code, out)
	}
}

func TestMRZParseRepair(t *testing.T) {
	// Two zeros of the card read as O (positions 18 and 40).
	ocr := "idvnm0950123455001O95012345<<6\n9503179M35O3177VNM<<<<<<<<<<<0\nnguyen<<van<duc<<<<<<<<<<<<<<<"
	out, _, code := runCLI(t, ocr+"\n\n"+mrzTran, "mrz", "parse", "-repair")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 2 ||
		!strings.HasSuffix(lines[0], `"errors":[],"repaired":[{"position":18,"from":"O","to":"0"},{"position":40,"from":"O","to":"0"}]}`) ||
		!strings.HasSuffix(lines[1], `"errors":[],"repaired":[]}`) || !strings.Contains(lines[0], `"personal_number":"001095012345"`) {
		t.Errorf("got\n%s", out)
	}
	// Without -repair the same input is invalid and has no "repaired" key.
	out, _, code = runCLI(t, ocr, "mrz", "parse")
	if code != exitOK || !strings.Contains(out, `"valid":false`) || strings.Contains(out, "repaired") {
		t.Errorf("without -repair: %d %s", code, out)
	}
}

func TestMRZEncode(t *testing.T) {
	in := `{"number":"001095012345","name":"Nguyễn Văn Đức","birth_date":"1995-03-17","sex":"M","expiry_date":"2035-03-17"}

{"number":"079303000777","name":"Trần Thị Ngọc Ánh","birth_date":"2003-08-30","sex":"F","expiry_date":"2028-08-30"}
{"number":"038158000123","name":"Lê Thị Hoa","birth_date":"1958-01-05","sex":"F","expiry_date":null}
`
	out, stderr, code := runCLI(t, in, "mrz", "encode")
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := mrzNguyen + "\n\n" + mrzTran + "\n\n" + mrzLe + "\n\n"; out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	// Encode then parse.
	out2, _, code := runCLI(t, out, "mrz", "parse")
	if code != exitOK || strings.Count(out2, `"valid":true`) != 3 {
		t.Errorf("parse of encode: %d %s", code, out2)
	}
}

func TestMRZEncodeErrors(t *testing.T) {
	for name, line := range map[string]string{
		"sex mismatch":   `{"number":"001095012345","name":"Nguyễn Văn Đức","birth_date":"1995-03-17","sex":"F","expiry_date":null}`,
		"year mismatch":  `{"number":"001095012345","name":"Nguyễn Văn Đức","birth_date":"1994-03-17","sex":"M","expiry_date":null}`,
		"no expiry key":  `{"number":"001095012345","name":"Nguyễn Văn Đức","birth_date":"1995-03-17","sex":"M"}`,
		"bad number":     `{"number":"00109501234","name":"Nguyễn Văn Đức","birth_date":"1995-03-17","sex":"M","expiry_date":null}`,
		"bad date":       `{"number":"001095012345","name":"Nguyễn Văn Đức","birth_date":"17/03/1995","sex":"M","expiry_date":null}`,
		"unknown field":  `{"number":"001095012345","name":"Nguyễn Văn Đức","birth_date":"1995-03-17","sex":"M","expiry_date":null,"x":1}`,
		"not json":       `hello`,
		"untranslatable": `{"number":"001095012345","name":"Nguyễn 李","birth_date":"1995-03-17","sex":"M","expiry_date":null}`,
	} {
		out, stderr, code := runCLI(t, line+"\n", "mrz", "encode")
		if code != exitFail || out != "" || !strings.Contains(stderr, "line 1") {
			t.Errorf("%s: exit %d, out %q, stderr %q", name, code, out, stderr)
		}
	}
}

func TestMRZHelp(t *testing.T) {
	for _, cmd := range []string{"parse", "encode"} {
		_, stderr, code := runCLI(t, "", "mrz", cmd, "-h")
		if code != exitOK || !strings.Contains(stderr, "usage: cancuoc mrz "+cmd) {
			t.Errorf("%s -h: %d %q", cmd, code, stderr)
		}
		if _, _, code := runCLI(t, "", "mrz", cmd, "extra"); code != exitUsage {
			t.Errorf("%s extra: %d", cmd, code)
		}
	}
	if !strings.Contains(func() string { _, s, _ := runCLI(t, "", "mrz", "parse", "-h"); return s }(), "0-based index") {
		t.Error("-h does not define position")
	}
}

// TestMRZParseUnreadable pins the contract's shape when fields cannot be
// read: expiry_date is a date or null (never ""), every key is present, and
// a date that was read but disagrees with the card profile is still shown.
func TestMRZParseUnreadable(t *testing.T) {
	const garbage = `{"valid":false,"format":"","document_code":"","issuer":"","document_number":"","personal_number":"","birth_date":"","expiry_date":null,"sex":"","nationality":"","surname":"","given_names":"",` +
		`"errors":[{"field":"mrz","message":"mrz: malformed: not 3 lines of 30, 2 of 36 or 2 of 44 characters"}]`
	out, _, code := runCLI(t, "HELLO\n", "mrz", "parse")
	if code != exitOK || out != garbage+"}\n" {
		t.Errorf("garbage: exit %d\n got %s\nwant %s}", code, out, garbage)
	}
	out, _, code = runCLI(t, "HELLO\n", "mrz", "parse", "-repair")
	if code != exitOK || out != garbage+`,"repaired":[]}`+"\n" {
		t.Errorf("garbage -repair: exit %d\n got %s", code, out)
	}
	// A block too long to be an MRZ has the same shape.
	out, _, _ = runCLI(t, strings.Repeat("A", 2000)+"\n", "mrz", "parse")
	if !strings.HasPrefix(out, strings.SplitN(garbage, `"errors"`, 2)[0]) {
		t.Errorf("too long: %s", out)
	}

	// Expiry month 13 (3503177 -> 3513177): not a calendar date, so null;
	// birth month 13 (9503179 -> 9513179): "".
	for _, tc := range []struct{ name, mrz, birth, expiry string }{
		{"expiry", strings.Replace(mrzNguyen, "M3503177", "M3513177", 1), `"1995-03-17"`, `null`},
		{"birth", strings.Replace(mrzNguyen, "9503179M", "9513179M", 1), `""`, `"2035-03-17"`},
	} {
		out, _, code := runCLI(t, tc.mrz, "mrz", "parse")
		if code != exitOK || !strings.Contains(out, `"valid":false`) ||
			!strings.Contains(out, `"birth_date":`+tc.birth+`,"expiry_date":`+tc.expiry+`,`) {
			t.Errorf("%s: %s", tc.name, out)
		}
	}

	// Birth date 1996-03-17 with correct check digits under the number of
	// 1995: a profile error on birth_date, but the date was read.
	// Check digits recomputed by the ICAO 9303-5 TD1 rule (composite over
	// line 1 positions 6-30 and line 2 positions 1-7, 9-15, 19-29).
	lines := strings.Split(mrzNguyen, "\n")
	l2 := []byte(lines[1])
	copy(l2, "960317")
	l2[6] = mrz.CheckDigit("960317")
	l2[29] = mrz.CheckDigit(lines[0][5:30] + string(l2[0:7]) + string(l2[8:15]) + string(l2[18:29]))
	moved := lines[0] + "\n" + string(l2) + "\n" + lines[2]
	out, _, _ = runCLI(t, moved, "mrz", "parse")
	if !strings.Contains(out, `"valid":false`) || !strings.Contains(out, `"birth_date":"1996-03-17"`) ||
		!strings.Contains(out, `{"field":"birth_date","message":"mrz: birth_date at position 30: inconsistent with the Vietnamese card profile`) {
		t.Errorf("profile: %s", out)
	}
}
