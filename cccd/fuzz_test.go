package cccd

import (
	"bufio"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

// seeds reads one seed per line from a testdata file and fails if there
// are none, so a moved file cannot silently leave a fuzzer without seeds.
func seeds(tb testing.TB, name string) []string {
	f, err := os.Open("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	if err := sc.Err(); err != nil || len(out) == 0 {
		tb.Fatalf("no seeds in %s: %v", name, err)
	}
	return out
}

// TestSeedExpectations checks the expected results that testdata/README.md
// states for the seed files.
func TestSeedExpectations(t *testing.T) {
	nums := seeds(t, "numbers.txt")
	for i, s := range nums {
		_, strict := Parse(s)
		_, lenient := ParseLenient(s)
		line := i + 1
		wantStrict := line <= 6
		wantLenient := line <= 6 || line >= 15 && line <= 19
		if (strict == nil) != wantStrict || (lenient == nil) != wantLenient {
			t.Errorf("numbers.txt line %d: strict %v, lenient %v", line, strict, lenient)
		}
	}
	qrs := seeds(t, "qr.txt")
	want := []error{nil, nil, nil, ErrMismatch, ErrDate, ErrProvince, ErrQRFormat}
	for i, s := range qrs {
		if _, err := ParseQR(s); !errors.Is(err, want[i]) || (want[i] == nil) != (err == nil) {
			t.Errorf("qr.txt line %d: %v, want %v", i+1, err, want[i])
		}
	}
}

func checkParseError(t *testing.T, err error, s string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Offset < 0 || pe.Offset > len(s) || pe.Field == "" || pe.Err == nil {
		t.Fatalf("error %#v is not a well-formed *ParseError for %q", err, s)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range seeds(f, "numbers.txt") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			if !n.IsZero() {
				t.Fatalf("error with a non-zero Number")
			}
			checkParseError(t, err, s)
			return
		}
		// Canonical input re-encodes identically, and the other views agree.
		if n.Digits() != s {
			t.Fatalf("Digits() = %q, input %q", n.Digits(), s)
		}
		if m := n.String(); len(m) != 12 || m[:3] != s[:3] || m[10:] != s[10:] || strings.Trim(m[3:10], "*") != "" {
			t.Fatalf("String() = %q for %q", m, s)
		}
		if l, err := ParseLenient(s); err != nil || l != n {
			t.Fatalf("ParseLenient disagrees: %v", err)
		}
		var u Number
		if err := u.UnmarshalText([]byte(s)); err != nil || u != n {
			t.Fatalf("UnmarshalText disagrees: %v", err)
		}
		if p := n.Province(); p.Code != s[:3] || !p.Known() && !p.Abroad {
			t.Fatalf("Province() = %+v", p)
		}
		if y := n.BirthYear(); y < 1900 || y > 2399 || y%100 != int(s[4]-'0')*10+int(s[5]-'0') {
			t.Fatalf("BirthYear() = %d", y)
		}
	})
}

func FuzzParseLenient(f *testing.F) {
	for _, s := range seeds(f, "numbers.txt") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseLenient(s)
		norm, nerr := Normalize(s)
		if err != nil {
			if !n.IsZero() {
				t.Fatalf("error with a non-zero Number")
			}
			checkParseError(t, err, s)
			if errors.Is(err, ErrDigit) && nerr == nil {
				t.Fatalf("ParseLenient %v but Normalize %v", err, nerr)
			}
			return
		}
		if nerr != nil || norm != n.Digits() {
			t.Fatalf("Normalize = %q, %v; number %q", norm, nerr, n.Digits())
		}
		if p, err := Parse(n.Digits()); err != nil || p != n {
			t.Fatalf("strict Parse of the digits disagrees: %v", err)
		}
	})
}

func FuzzParseQR(f *testing.F) {
	for _, s := range seeds(f, "qr.txt") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQR(s)
		if err != nil {
			if !q.Number.IsZero() || q.Name != "" || q.Extra != nil || !q.BirthDate.IsZero() {
				t.Fatalf("error with data")
			}
			checkParseError(t, err, s)
			return
		}
		if !utf8.ValidString(q.Name) || q.Number.Matches(q.BirthDate, q.Sex) != nil {
			t.Fatalf("accepted an inconsistent QR")
		}
		text := q.Text()
		back, err := ParseQR(text)
		if err != nil || back.Text() != text {
			t.Fatalf("Text() does not parse back: %v", err)
		}
		canonical := strings.TrimSuffix(strings.TrimSuffix(s, "\n"), "\r")
		if !strings.Contains(canonical, "Nu\u0303") && text != canonical {
			t.Fatalf("Text() = %q, input %q", text, s)
		}
		if strings.Contains(q.String(), q.Number.Digits()[3:10]) {
			t.Fatalf("String() leaks the number")
		}
	})
}

func FuzzProvinceByName(f *testing.F) {
	for _, p := range Provinces() {
		f.Add(p.Name)
		f.Add("Tỉnh " + p.ASCIIName)
	}
	f.Add("TP. HCM")
	f.Fuzz(func(t *testing.T, name string) {
		p, ok := ProvinceByName(name)
		if !ok {
			if p != (Province{}) {
				t.Fatalf("not found but %+v", p)
			}
			return
		}
		if q, ok := ProvinceByCode(p.Code); !ok || q != p || !p.Known() {
			t.Fatalf("ProvinceByName(%q) = %+v, not the table's", name, p)
		}
		if q, ok := ProvinceByName(p.Name); !ok || q != p {
			t.Fatalf("name of %+v does not find itself", p)
		}
	})
}
