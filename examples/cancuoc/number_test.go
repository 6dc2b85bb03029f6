package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/cancuoc/sdk/cccd"
)

// The expected lines follow the contract in issue 3 and the structure in
// the cccd package doc (Circular 07/2016/TT-BCA); the numbers are synthetic.
func TestNumberValidateContract(t *testing.T) {
	in := "001095012345\n" +
		"\n" +
		"079 303 004 567\r\n" +
		"175088012345\n" +
		"003095012345\n" +
		"123456789\n" +
		"07930300456O\n" +
		"001999012345\n" +
		"０４６１９９０００００１" // no final newline
	want := []string{
		`{"valid":true,"number":"001095012345","province_code":"001","province":"Hà Nội","province_2025":"Hà Nội","sex":"male","birth_year":1995}`,
		`{"valid":false,"error":"wrong number of digits (number, byte offset 0)","code":"length"}`,
		`{"valid":true,"number":"079303004567","province_code":"079","province":"Hồ Chí Minh","province_2025":"Hồ Chí Minh","sex":"female","birth_year":2003}`,
		`{"valid":true,"number":"175088012345","province_code":"175","province":"","province_2025":"","sex":"male","birth_year":1988,"abroad":true}`,
		`{"valid":false,"error":"unknown province code (province, byte offset 0)","code":"province"}`,
		`{"valid":false,"error":"legacy 9-digit CMND number, not a 12-digit personal identification number (number, byte offset 0)","code":"legacy"}`,
		`{"valid":false,"error":"unexpected character (number, byte offset 11)","code":"digit"}`,
		`{"valid":false,"error":"implausible birth year (birth_year, byte offset 3)","code":"birth_year"}`,
		`{"valid":true,"number":"046199000001","province_code":"046","province":"Thừa Thiên Huế","province_2025":"Huế","sex":"female","birth_year":1999}`,
	}
	out, stderr, code := runCLI(t, in, "number", "validate")
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(got) != len(want) {
		t.Fatalf("%d lines out, want %d:\n%s", len(got), len(want), out)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, got[i], want[i])
		}
	}
}

// Property: one JSON object per input line, whatever the lines hold.
func TestNumberValidateOneObjectPerLine(t *testing.T) {
	lines := []string{"", " ", strings.Repeat("1", 10000), "\xff\xfe", "001095012345", "{}", "\r", strings.Repeat("9 ", 3000)}
	out, _, code := runCLI(t, strings.Join(lines, "\n")+"\n", "number", "validate")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	for i, line := range lines {
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			t.Fatalf("object %d: %v", i+1, err)
		}
		if valid := obj["valid"] == true; valid != (line == "001095012345") {
			t.Errorf("line %d: %v", i+1, obj)
		}
		if obj["valid"] == false && (obj["code"] == "" || obj["error"] == "") {
			t.Errorf("line %d: %v", i+1, obj)
		}
	}
	if dec.More() {
		t.Errorf("more objects than lines")
	}
	if out, _, code := runCLI(t, "", "number", "validate"); out != "" || code != exitOK {
		t.Errorf("empty input: %q, exit %d", out, code)
	}
}

func TestNumberValidateFlagsAndErrors(t *testing.T) {
	out, _, code := runCLI(t, "097095012345\n", "number", "validate", "-allow-unknown-province")
	want := `{"valid":true,"number":"097095012345","province_code":"097","province":"","province_2025":"","sex":"male","birth_year":1995,"unknown_province":true}` + "\n"
	if code != exitOK || out != want {
		t.Errorf("-allow-unknown-province: exit %d\n%s", code, out)
	}
	if _, stderr, code := runCLI(t, "", "number", "validate", "-h"); code != exitOK || !strings.Contains(stderr, "usage: cancuoc number validate") {
		t.Errorf("-h: exit %d, %q", code, stderr)
	}
	if _, _, code := runCLI(t, "", "number", "validate", "extra"); code != exitUsage {
		t.Errorf("extra argument: exit %d", code)
	}
	var o, e bytes.Buffer
	if code := run(&env{stdin: iotest.ErrReader(iotest.ErrTimeout), stdout: &o, stderr: &e}, []string{"number", "validate"}); code != exitFail {
		t.Errorf("read error: exit %d", code)
	}
}

func TestNumberGenerate(t *testing.T) {
	args := []string{"number", "generate", "-n", "50", "-seed", "7", "-province", "079", "-sex", "female", "-born", "1990"}
	a, stderr, code := runCLI(t, "", args...)
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, %s", code, stderr)
	}
	if b, _, _ := runCLI(t, "", args...); a != b {
		t.Errorf("same seed, different output")
	}
	args[5] = "8"
	if c, _, _ := runCLI(t, "", args...); a == c {
		t.Errorf("seeds 7 and 8 gave the same output")
	}
	lines := strings.Split(strings.TrimSuffix(a, "\n"), "\n")
	if len(lines) != 50 {
		t.Fatalf("%d lines", len(lines))
	}
	for _, l := range lines {
		n, err := cccd.Parse(l)
		if err != nil || n.Province().Code != "079" || n.Sex() != cccd.Female || n.BirthYear() != 1990 {
			t.Errorf("%q: %v", l, err)
		}
	}
	// Names work too, and the defaults give one valid number.
	out, _, code := runCLI(t, "", "number", "generate", "-province", "Thua Thien Hue")
	if n, err := cccd.Parse(strings.TrimSpace(out)); code != exitOK || err != nil || n.Province().Code != "046" {
		t.Errorf("by name: %q exit %d, %v", out, code, err)
	}
	for _, bad := range [][]string{{"-sex", "x"}, {"-province", "003"}, {"-born", "3000"}, {"-n", "-1"}, {"extra"}, {"-nope"}} {
		if _, _, code := runCLI(t, "", append([]string{"number", "generate"}, bad...)...); code != exitUsage {
			t.Errorf("%v: exit %d", bad, code)
		}
	}
	if _, stderr, code := runCLI(t, "", "number", "generate", "-h"); code != exitOK || !strings.Contains(stderr, "-seed") {
		t.Errorf("-h: exit %d", code)
	}
}
