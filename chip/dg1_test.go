package chip

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
)

// Expected MRZ lines from ../testdata/lds/README.md.
func TestParseDG1Shared(t *testing.T) {
	tests := []struct{ file, mrz string }{
		{"gmrtd_icao9303p10-example-TD2_DG1.bin", "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<" + "D231458907UTO7408122F1204159<<<<<<<6"},
		{"jmrtd_nl-specimen2006_DG1.bin", "P<NLDMEULENDIJK<<LOES<ALBERTINE<<<<<<<<<<<<<" + "XX00013286NLD7110195F1110012123456789<<<<<76"},
	}
	for _, tt := range tests {
		b := readLDS(t, tt.file)
		d, err := ParseDG1(b)
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if d.MRZ != tt.mrz {
			t.Errorf("%s: MRZ = %q", tt.file, d.MRZ)
		}
		if out, err := d.Encode(); err != nil || !bytes.Equal(out, b) {
			t.Errorf("%s: Encode differs: %v", tt.file, err)
		}
		if s := fmt.Sprintf("%v %+v %#v %s %d", d, d, d, *d, *d); bytes.Contains([]byte(s), []byte("ERIKSSON")) || bytes.Contains([]byte(s), []byte("MEULENDIJK")) {
			t.Errorf("printing leaks the MRZ: %s", s)
		}
	}
}

func TestParseDG1Errors(t *testing.T) {
	td1 := "IDVNM0900123457001090012345<<9" + "9003151M3003155VNM<<<<<<<<<<<0" + "NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<"
	good := append(unhex(t, "61 5D 5F1F 5A"), td1...)
	if d, err := ParseDG1(good); err != nil || d.MRZ != td1 {
		t.Fatalf("TD1: %v", err)
	}
	short := append(unhex(t, "61 5C 5F1F 59"), td1[:89]...)
	lower := bytes.Clone(good)
	lower[10] = 'a'
	for name, tc := range map[string]struct {
		in     []byte
		offset int
	}{
		"short MRZ":  {short, 5},
		"lowercase":  {lower, 5},
		"no 5F1F":    {unhex(t, "61 03 5F20 00"), 2},
		"empty file": {nil, 0},
	} {
		d, err := ParseDG1(tc.in)
		var pe *ParseError
		if d != nil || !errors.Is(err, ErrMalformed) || !errors.As(err, &pe) || pe.Offset != tc.offset {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestDG1Document(t *testing.T) {
	for _, file := range []string{"gmrtd_icao9303p10-example-TD2_DG1.bin", "jmrtd_nl-specimen2006_DG1.bin"} {
		d, err := ParseDG1(readLDS(t, file))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := d.Document()
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if NewDG1(doc).MRZ != d.MRZ {
			t.Errorf("%s: NewDG1 differs", file)
		}
	}
	d, _ := ParseDG1(readLDS(t, "jmrtd_nl-specimen2006_DG1.bin"))
	doc, _ := d.Document()
	if doc.DocumentNumber() != "XX0001328" || doc.Issuer() != "NLD" {
		t.Errorf("specimen: %q %q", doc.DocumentNumber(), doc.Issuer())
	}
}
