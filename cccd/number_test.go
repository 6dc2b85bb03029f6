package cccd

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"
)

// fixedNow is the clock of the table tests: 2026-06-15.
func fixedNow() time.Time { return time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC) }

// Hand-made vectors: each expectation is read off the structure in
// structure PPP G YY NNNNNN (Decree 137/2015/NĐ-CP art. 7, Circular
// 07/2016/TT-BCA art. 7; see doc.go) and testdata/provinces.csv.
func TestParseValid(t *testing.T) {
	tests := []struct {
		in       string
		code     string
		name     string
		name2025 string
		abroad   bool
		sex      Sex
		year     int
		century  int
		serial   int
		masked   string
	}{
		{"001095012345", "001", "Hà Nội", "Hà Nội", false, Male, 1995, 1900, 12345, "001*******45"},
		{"079303004567", "079", "Hồ Chí Minh", "Hồ Chí Minh", false, Female, 2003, 2000, 4567, "079*******67"},
		{"046199000001", "046", "Thừa Thiên Huế", "Huế", false, Female, 1999, 1900, 1, "046*******01"},
		{"002088999999", "002", "Hà Giang", "Tuyên Quang", false, Male, 1988, 1900, 999999, "002*******99"},
		{"096226000000", "096", "Cà Mau", "Cà Mau", false, Male, 2026, 2000, 0, "096*******00"},
		{"175088012345", "175", "", "", true, Male, 1988, 1900, 12345, "175*******45"},
		{"299101000042", "299", "", "", true, Female, 1901, 1900, 42, "299*******42"},
	}
	for _, tt := range tests {
		n, err := ParseOptions{Now: fixedNow}.Parse(tt.in)
		if err != nil {
			t.Fatalf("Parse(%s): %v", tt.in, err)
		}
		p := n.Province()
		if p.Code != tt.code || p.Name != tt.name || p.Name2025 != tt.name2025 || p.Abroad != tt.abroad || p.Known() != (tt.name != "") {
			t.Errorf("%s: Province() = %+v", tt.in, p)
		}
		if n.Sex() != tt.sex || n.BirthYear() != tt.year || n.Century() != tt.century || n.Serial() != tt.serial {
			t.Errorf("%s: sex %v year %d century %d serial %d", tt.in, n.Sex(), n.BirthYear(), n.Century(), n.Serial())
		}
		if n.Digits() != tt.in || n.String() != tt.masked {
			t.Errorf("%s: Digits %q String %q", tt.in, n.Digits(), n.String())
		}
		if n.IsZero() {
			t.Errorf("%s: IsZero", tt.in)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in     string
		opts   ParseOptions
		err    error
		field  string
		offset int
	}{
		{"", ParseOptions{}, ErrLength, "number", 0},
		{"00109501234", ParseOptions{}, ErrLength, "number", 11},
		{"0010950123456", ParseOptions{}, ErrLength, "number", 12},
		{"123456789", ParseOptions{}, ErrLegacyNumber, "number", 0},
		{"12345678a", ParseOptions{}, ErrLength, "number", 9},
		{"001 95012345", ParseOptions{}, ErrDigit, "number", 3},
		{"00109501234x", ParseOptions{}, ErrDigit, "number", 11},
		{"０01095012345", ParseOptions{}, ErrLength, "number", 12}, // strict: full-width is 3 bytes
		{"000095012345", ParseOptions{}, ErrProvince, "province", 0},
		{"003095012345", ParseOptions{}, ErrProvince, "province", 0}, // gap in the table
		{"097095012345", ParseOptions{}, ErrProvince, "province", 0},
		{"300095012345", ParseOptions{AllowUnknownProvince: true}, ErrProvince, "province", 0},
		{"999095012345", ParseOptions{}, ErrProvince, "province", 0},
		{"001227012345", ParseOptions{Now: fixedNow}, ErrBirthYear, "birth_year", 3}, // 2027
		{"001499012345", ParseOptions{Now: fixedNow}, ErrBirthYear, "birth_year", 3}, // 2199
		{"001900012345", ParseOptions{Now: fixedNow}, ErrBirthYear, "birth_year", 3}, // 2300
		{"001000012345", ParseOptions{Now: fixedNow, MaxAge: 120}, ErrBirthYear, "birth_year", 3},
	}
	for _, tt := range tests {
		n, err := tt.opts.Parse(tt.in)
		if !errors.Is(err, tt.err) {
			t.Errorf("Parse(%q) error %v, want %v", tt.in, err, tt.err)
			continue
		}
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Field != tt.field || pe.Offset != tt.offset {
			t.Errorf("Parse(%q) = %#v, want field %s offset %d", tt.in, err, tt.field, tt.offset)
		}
		if !n.IsZero() {
			t.Errorf("Parse(%q) returned a non-zero Number with an error", tt.in)
		}
		if len(tt.in) >= 6 && strings.Contains(err.Error(), tt.in[3:]) {
			t.Errorf("error %q leaks the input", err)
		}
	}
}

func TestParseOptionsBoundaries(t *testing.T) {
	// Born this year is fine, born 120 years ago is fine with MaxAge 120.
	for _, in := range []string{"001226012345", "001006012345"} {
		if _, err := (ParseOptions{Now: fixedNow, MaxAge: 120}).Parse(in); err != nil {
			t.Errorf("Parse(%s): %v", in, err)
		}
	}
	n, err := ParseOptions{AllowUnknownProvince: true}.Parse("003095012345")
	if err != nil {
		t.Fatal(err)
	}
	if p := n.Province(); p.Code != "003" || p.Known() || p.Abroad {
		t.Errorf("unknown prefix: Province() = %+v", p)
	}
	// The default clock is time.Now: next year's birth is rejected.
	next := fmt.Sprintf("0012%02d012345", (time.Now().Year()+1)%100)
	if _, err := Parse(next); !errors.Is(err, ErrBirthYear) {
		t.Errorf("Parse(next year) = %v", err)
	}
}

func TestSexAndCentury(t *testing.T) {
	// Spec: 0/1 1900s, 2/3 2000s, 4/5 2100s, 6/7 2200s, 8/9 2300s; even male.
	now := func() time.Time { return time.Date(2399, 12, 31, 0, 0, 0, 0, time.UTC) }
	for g := range 10 {
		n, err := ParseOptions{Now: now}.Parse(fmt.Sprintf("001%d50123456", g))
		if err != nil {
			t.Fatal(err)
		}
		wantSex := Male
		if g%2 == 1 {
			wantSex = Female
		}
		if n.Sex() != wantSex || n.Century() != 1900+g/2*100 || n.BirthYear() != 1950+g/2*100 {
			t.Errorf("G=%d: sex %v century %d year %d", g, n.Sex(), n.Century(), n.BirthYear())
		}
	}
}

func TestZeroNumber(t *testing.T) {
	var n Number
	if !n.IsZero() || n.Digits() != "" || n.String() != "" || n.Sex() != SexUnknown || n.BirthYear() != 0 || n.Century() != 0 || n.Province() != (Province{}) {
		t.Errorf("zero Number is not empty")
	}
	if err := n.Matches(time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC), Male); !errors.Is(err, ErrMismatch) {
		t.Errorf("zero Matches = %v", err)
	}
}

func TestMasking(t *testing.T) {
	n, err := Parse("079303004567")
	if err != nil {
		t.Fatal(err)
	}
	const m = "079*******67"
	for _, tc := range []struct{ got, want string }{
		{fmt.Sprintf("%v", n), m},
		{fmt.Sprintf("%s", n), m},
		{fmt.Sprintf("%+v", n), m},
		{fmt.Sprintf("%q", n), `"` + m + `"`},
		{fmt.Sprintf("%#v", n), `cccd.Number("` + m + `")`},
		{fmt.Sprintf("%d", n), m},
		{fmt.Sprintf("%x", n), m},
		{fmt.Sprintf("%14s|", n), "  " + m + "|"},
		{fmt.Sprint(n), m},
		{fmt.Sprintf("%v", struct{ N Number }{n}), "{" + m + "}"},
		{fmt.Sprintf("%+v", struct{ N Number }{n}), "{N:" + m + "}"},
		{fmt.Sprintf("%v", []Number{n}), "[" + m + "]"},
		{fmt.Sprintf("%v", &n), m},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("check", "number", n)
	if !strings.Contains(buf.String(), `"number":"`+m+`"`) || strings.Contains(buf.String(), "303004567") {
		t.Errorf("slog output %s", buf.String())
	}
}

func TestMatches(t *testing.T) {
	n, err := Parse("079303004567") // female, 2003
	if err != nil {
		t.Fatal(err)
	}
	birth := time.Date(2003, 4, 5, 0, 0, 0, 0, time.UTC)
	if err := n.Matches(birth, Female); err != nil {
		t.Errorf("Matches: %v", err)
	}
	for _, tc := range []struct {
		birth time.Time
		sex   Sex
		field string
	}{
		{birth, Male, "sex"},
		{birth, SexUnknown, "sex"},
		{birth.AddDate(1, 0, 0), Female, "birth_year"},
		{birth.AddDate(-100, 0, 0), Female, "birth_year"},
		{time.Time{}, Female, "birth_year"},
	} {
		err := n.Matches(tc.birth, tc.sex)
		var me *MismatchError
		if !errors.Is(err, ErrMismatch) || !errors.As(err, &me) || me.Field != tc.field {
			t.Errorf("Matches(%v, %v) = %v, want field %s", tc.birth, tc.sex, err, tc.field)
		}
	}
}

func TestEncodings(t *testing.T) {
	n, err := Parse("001095012345")
	if err != nil {
		t.Fatal(err)
	}
	type rec struct {
		N Number `json:"n"`
	}
	b, err := json.Marshal(rec{n})
	if err != nil || string(b) != `{"n":"001095012345"}` {
		t.Fatalf("json.Marshal = %s, %v", b, err)
	}
	var back rec
	if err := json.Unmarshal(b, &back); err != nil || back.N != n {
		t.Errorf("json round trip: %v, %v", back.N, err)
	}
	if err := json.Unmarshal([]byte(`{"n":"000095012345"}`), &back); !errors.Is(err, ErrProvince) {
		t.Errorf("json invalid: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"n":""}`), &back); err != nil || !back.N.IsZero() {
		t.Errorf("json empty: %v %v", back.N, err)
	}
	if b, _ := json.Marshal(rec{}); string(b) != `{"n":""}` {
		t.Errorf("zero json %s", b)
	}

	v, err := n.Value()
	if err != nil || v != "001095012345" {
		t.Errorf("Value = %v, %v", v, err)
	}
	if v, _ := (Number{}).Value(); v != nil {
		t.Errorf("zero Value = %v", v)
	}
	for _, src := range []any{"001095012345", []byte("001095012345"), int64(1095012345)} {
		var got Number
		if err := got.Scan(src); err != nil || got != n {
			t.Errorf("Scan(%T) = %v, %v", src, got, err)
		}
	}
	var got Number
	if err := got.Scan("097095012345"); err != nil || got.Province().Code != "097" {
		t.Errorf("Scan of an unknown 0xx prefix: %v", err)
	}
	if err := got.Scan(nil); err != nil || !got.IsZero() {
		t.Errorf("Scan(nil) = %v, %v", got, err)
	}
	if err := got.Scan(3.5); err == nil {
		t.Errorf("Scan(3.5) succeeded")
	}
	// Expected errors from the layout in doc.go (Circular 07/2016/TT-BCA): 12
	// digits, prefix a province code or 100-299.
	for _, tc := range []struct {
		src  any
		want error
	}{
		{int64(-1), ErrLength}, {int64(1e12), ErrLength}, {"12345", ErrLength},
		{"300095012345", ErrProvince}, {"000095012x45", ErrDigit},
	} {
		var pe *ParseError
		if err := got.Scan(tc.src); !errors.Is(err, tc.want) || !errors.As(err, &pe) {
			t.Errorf("Scan(%v) = %v, want %v", tc.src, err, tc.want)
		}
	}
}

// TestProvinceTableMatchesCSV checks the generated table against
// testdata/provinces.csv.
func TestProvinceTableMatchesCSV(t *testing.T) {
	raw, err := os.ReadFile("testdata/provinces.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows = rows[1:]
	ps := Provinces()
	if len(rows) != 63 || len(ps) != 63 {
		t.Fatalf("%d rows, %d provinces, want 63", len(rows), len(ps))
	}
	merged := map[string]bool{}
	for i, r := range rows {
		want := Province{Code: r[0], Name: r[1], ASCIIName: r[2], Name2025: r[3]}
		if ps[i] != want {
			t.Errorf("row %d: %+v, want %+v", i, ps[i], want)
		}
		if p, ok := ProvinceByCode(r[0]); !ok || p != want {
			t.Errorf("ProvinceByCode(%s) = %+v, %v", r[0], p, ok)
		}
		merged[r[3]] = true
	}
	if len(merged) != 34 {
		t.Errorf("%d provinces after the 2025 merger, want 34", len(merged))
	}
}
