package mrz

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cancuoc/sdk/cccd"
)

// fixedNow is the clock of the tests, so century inference does not drift.
var fixedNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

var testOpts = Options{Now: fixedNow}

// ICAO Doc 9303 specimens (part 5 appendix A for TD1, part 4 appendix A for
// TD3).
const (
	icaoTD1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
	icaoTD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
)

// Synthetic Vietnamese cards in the CCCD profile of vietnam.go; the check
// digits were computed by hand with the 7-3-1 weights of ICAO 9303-3 4.9.
var vnCards = []struct {
	mrz              string
	number, name     string
	birth, expiry    string // expiry "" = no expiry
	sex              cccd.Sex
	surname, given   string
	documentNumberVN string
}{
	{"IDVNM0950123455001095012345<<6\n9503179M3503177VNM<<<<<<<<<<<0\nNGUYEN<<VAN<DUC<<<<<<<<<<<<<<<",
		"001095012345", "Nguyễn Văn Đức", "1995-03-17", "2035-03-17", cccd.Male, "NGUYEN", "VAN DUC", "095012345"},
	{"IDVNM3030007771079303000777<<1\n0308304F2808303VNM<<<<<<<<<<<4\nTRAN<<THI<NGOC<ANH<<<<<<<<<<<<",
		"079303000777", "Trần Thị Ngọc Ánh", "2003-08-30", "2028-08-30", cccd.Female, "TRAN", "THI NGOC ANH", "303000777"},
	{"IDVNM1580001236038158000123<<3\n5801051F9912315VNM<<<<<<<<<<<8\nLE<<THI<HOA<<<<<<<<<<<<<<<<<<<",
		"038158000123", "Lê Thị Hoa", "1958-01-05", "", cccd.Female, "LE", "THI HOA", "158000123"},
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseICAOSpecimens(t *testing.T) {
	d, err := testOpts.Parse(icaoTD1)
	if err != nil {
		t.Fatal(err)
	}
	exp, ok := d.ExpiryDate()
	got := []string{d.Layout().String(), d.DocumentCode(), d.Issuer(), d.DocumentNumber(), d.BirthDate().String(),
		d.Sex().String(), exp.String(), d.Nationality(), d.Surname(), d.GivenNames()}
	want := []string{"TD1", "I", "UTO", "D23145890", "1974-08-12", "F", "2012-04-15", "UTO", "ERIKSSON", "ANNA MARIA"}
	if strings.Join(got, "|") != strings.Join(want, "|") || !ok {
		t.Errorf("TD1 specimen: got %q, want %q", got, want)
	}
	if d.Text() != icaoTD1 {
		t.Errorf("Text() = %q", d.Text())
	}

	d, err = testOpts.Parse(icaoTD3)
	if err != nil {
		t.Fatal(err)
	}
	exp, _ = d.ExpiryDate()
	got = []string{d.Layout().String(), d.DocumentCode(), d.Issuer(), d.DocumentNumber(), d.PersonalNumber(),
		d.BirthDate().String(), d.Sex().String(), exp.String(), d.Surname(), d.GivenNames()}
	want = []string{"TD3", "P", "UTO", "L898902C3", "ZE184226B", "1974-08-12", "F", "2012-04-15", "ERIKSSON", "ANNA MARIA"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("TD3 specimen: got %q, want %q", got, want)
	}
}

func TestEncodeICAOSpecimens(t *testing.T) {
	td1, err := EncodeTD1(Fields{DocumentCode: "I", Issuer: "UTO", DocumentNumber: "D23145890",
		BirthDate: Date{1974, 8, 12}, Sex: Female, ExpiryDate: Date{2012, 4, 15}, Nationality: "UTO",
		Surname: "Eriksson", GivenNames: "Anna María"})
	if err != nil {
		t.Fatal(err)
	}
	if td1.Text() != icaoTD1 {
		t.Errorf("EncodeTD1 =\n%s\nwant\n%s", td1.Text(), icaoTD1)
	}
	td3, err := EncodeTD3(Fields{DocumentCode: "P", Issuer: "UTO", DocumentNumber: "L898902C3",
		OptionalData: "ZE184226B", BirthDate: Date{1974, 8, 12}, Sex: Female, ExpiryDate: Date{2012, 4, 15},
		Nationality: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA MARIA"})
	if err != nil {
		t.Fatal(err)
	}
	if td3.Text() != icaoTD3 {
		t.Errorf("EncodeTD3 =\n%s\nwant\n%s", td3.Text(), icaoTD3)
	}
	// Fields() of a parsed document encodes back to the same text.
	for _, in := range []string{icaoTD1, icaoTD3} {
		d, err := testOpts.Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		enc := EncodeTD1
		if d.Layout() == TD3 {
			enc = EncodeTD3
		}
		back, err := enc(d.Fields())
		if err != nil || back.Text() != in {
			t.Errorf("re-encode: %v\n%s", err, back.Text())
		}
	}
}

func TestVietnameseCards(t *testing.T) {
	for _, c := range vnCards {
		d, err := testOpts.Parse(c.mrz)
		if err != nil {
			t.Fatalf("%s: %v", c.number, err)
		}
		n, ok := d.CCCD()
		if !ok || n.Digits() != c.number || d.PersonalNumber() != c.number || d.DocumentNumber() != c.documentNumberVN {
			t.Errorf("%s: CCCD() = %v %v, document number %q", c.number, n.Digits(), ok, d.DocumentNumber())
		}
		if d.BirthDate().String() != c.birth || d.Surname() != c.surname || d.GivenNames() != c.given {
			t.Errorf("%s: birth %v name %q %q", c.number, d.BirthDate(), d.Surname(), d.GivenNames())
		}
		exp, hasExp := d.ExpiryDate()
		if (c.expiry == "") == hasExp || (hasExp && exp.String() != c.expiry) {
			t.Errorf("%s: expiry %v %v, want %q", c.number, exp, hasExp, c.expiry)
		}

		num, err := cccd.Parse(c.number)
		if err != nil {
			t.Fatal(err)
		}
		h := Holder{Number: num, Name: c.name, BirthDate: day(c.birth), Sex: c.sex}
		if c.expiry != "" {
			h.ExpiryDate = day(c.expiry)
		}
		enc, err := EncodeCCCD(h)
		if err != nil {
			t.Fatalf("%s: EncodeCCCD: %v", c.number, err)
		}
		if enc.Text() != c.mrz || enc.NameTruncated() {
			t.Errorf("EncodeCCCD =\n%s\nwant\n%s", enc.Text(), c.mrz)
		}
		if enc.BirthDate().String() != c.birth {
			t.Errorf("encoded birth %v", enc.BirthDate())
		}
	}
}

func TestEncodeCCCDMismatch(t *testing.T) {
	num, _ := cccd.Parse("001095012345") // male, 1995
	_, err := EncodeCCCD(Holder{Number: num, Name: "Nguyễn Văn Đức", BirthDate: day("1995-03-17"), Sex: cccd.Female})
	if !errors.Is(err, ErrProfile) || !errors.Is(err, cccd.ErrMismatch) {
		t.Errorf("sex mismatch: %v", err)
	}
	_, err = EncodeCCCD(Holder{Number: num, Name: "Nguyễn Văn Đức", BirthDate: day("1996-03-17"), Sex: cccd.Male})
	if !errors.Is(err, ErrProfile) {
		t.Errorf("year mismatch: %v", err)
	}
	_, err = EncodeCCCD(Holder{Name: "Nguyễn Văn Đức", BirthDate: day("1996-03-17"), Sex: cccd.Male})
	if !errors.Is(err, cccd.ErrMismatch) {
		t.Errorf("zero number: %v", err)
	}
}

// TestCheckDigit uses the worked examples of ICAO 9303-3 4.9 and the
// specimens' printed check digits.
func TestCheckDigit(t *testing.T) {
	for in, want := range map[string]byte{
		"520727":         '3', // 9303-3 4.9 worked example
		"D23145890":      '7',
		"740812":         '2',
		"120415":         '9',
		"L898902C3":      '6',
		"ZE184226B<<<<<": '1',
		"<<<<<<":         '0',
	} {
		if got := CheckDigit(in); got != want {
			t.Errorf("CheckDigit(%q) = %c, want %c", in, got, want)
		}
	}
}
