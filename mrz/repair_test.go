package mrz

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bacTD3 is a TD3 with the data of the BAC worked example (9303-11 D.1):
// its document number L898902C is padded with one filler.
const bacTD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C<3UTO6908061F9406236<<<<<<<<<<<<<<<2"

func TestRepair(t *testing.T) {
	// Independent truth: the specimens and the spec's cards; each case is
	// the truth with OCR confusions put in by hand.
	vn := vnCards[0].mrz
	for _, c := range []struct {
		name    string
		in      string
		want    string
		changes []Change
	}{
		{"valid input is untouched", icaoTD1, icaoTD1, nil},
		{"letter in birth date", replace(icaoTD3, 44+15, 'O'), icaoTD3, []Change{{59, 'O', '0'}}},
		{"letters in check digits", replace(replace(icaoTD1, 36, 'Z'), 59, 'G'), icaoTD1, []Change{{36, 'Z', '2'}, {59, 'G', '6'}}},
		{"filler read as C", replace(icaoTD1, 52, 'C'), icaoTD1, []Change{{52, 'C', '<'}}},
		{"country code", replace(icaoTD1, 4, '0'), icaoTD1, []Change{{4, '0', 'O'}}},
		{"vietnamese number", replace(vn, 17, 'I'), vn, []Change{{17, 'I', '1'}}},
		{"vietnamese document number", replace(vn, 9, 'I'), vn, []Change{{9, 'I', '1'}}},
		{"filler read as C at the end of a document number", replace(bacTD3, 44+8, 'C'), bacTD3, []Change{{52, 'C', '<'}}},
		{"vietnamese filler", replace(replace(vn, 27, 'K'), 28, 'C'), vn, []Change{{27, 'K', '<'}, {28, 'C', '<'}}},
	} {
		d, changes, err := testOpts.Repair(c.in)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if strings.ReplaceAll(d.Text(), "\n", "") != strings.ReplaceAll(c.want, "\n", "") {
			t.Errorf("%s: got\n%s", c.name, d.Text())
		}
		if len(changes) != len(c.changes) {
			t.Errorf("%s: changes %v, want %v", c.name, changes, c.changes)
			continue
		}
		for i := range changes {
			if changes[i] != c.changes[i] {
				t.Errorf("%s: changes %v, want %v", c.name, changes, c.changes)
			}
		}
	}
}

func TestRepairRefuses(t *testing.T) {
	vn := vnCards[0].mrz
	// Ambiguous: optional data 2 is "C" followed by fillers; OCR reads
	// the filler at 51 as C. Both C at 48 and C at 51 have weight 7 in the
	// composite, so dropping either one satisfies it.
	f := Fields{DocumentCode: "I", Issuer: "UTO", DocumentNumber: "D23145890", OptionalData2: "C", BirthDate: Date{1974, 8, 12},
		Sex: Female, ExpiryDate: Date{2012, 4, 15}, Nationality: "UTO", Surname: "ERIKSSON", GivenNames: "ANNA"}
	d, err := EncodeTD1(f)
	if err != nil {
		t.Fatal(err)
	}
	_, changes, err := testOpts.Repair(replace(d.Text(), 51, 'C'))
	if !errors.Is(err, ErrAmbiguous) || !errors.Is(err, ErrCheckDigit) || changes != nil {
		t.Errorf("ambiguous: %v %v", err, changes)
	}
	for name, in := range map[string]string{
		// Names have no check digit.
		"digit in name": replace(icaoTD1, 61, '5'),
		// X has no look-alike.
		"unknown letter in date": replace(icaoTD1, 31, 'X'),
		// Letters and digits are both legal in a passport number: a swap
		// there is not confirmed (D read as 0 would be "repaired" as 8->B
		// at index 6, which passes the check digits by chance).
		"digit read as letter in a document number": replace(icaoTD3, 44+5, 'O'),
		"letter read as digit in a document number": replace(icaoTD1, 5, '0'),
		"digit for digit in a personal number":      replace(icaoTD3, 44+35, '5'),
		// S is not the look-alike of 9: S becomes 5, which the check digits refuse.
		"vietnamese number": replace(vn, 6, 'S'),
		// A digit misread as another digit is not a confusion.
		"digit for digit": replace(icaoTD1, 33, '9'),
		"shape":           icaoTD1[:80],
		// U1O would become UIO, which is no country code: the fix is undone.
		"unknown country after the fix": replace(icaoTD1, 3, '1'),
	} {
		d, changes, err := testOpts.Repair(in)
		var ve *ValidationError
		if !errors.As(err, &ve) || changes != nil || d != (Document{}) {
			t.Errorf("%s: repaired (%v): %v", name, changes, err)
		}
	}
}

func TestTestdata(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test data: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		d, err := testOpts.Parse(string(b))
		name := filepath.Base(f)
		switch {
		case strings.HasSuffix(name, "_badcomposite.txt"):
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Errors) != 1 || ve.Errors[0].Offset != 59 || !errors.Is(err, ErrCheckDigit) {
				t.Errorf("%s: %v", name, err)
			}
		case strings.Contains(name, "_ocr_repairable"):
			if !errors.Is(err, ErrCharset) {
				t.Errorf("%s: Parse: %v", name, err)
			}
			d, changes, err := testOpts.Repair(string(b))
			if err != nil || len(changes) != 2 || d.Text() != vnCards[0].mrz {
				t.Errorf("%s: Repair: %v %v", name, err, changes)
			}
		default:
			if err != nil {
				t.Errorf("%s: %v", name, err)
			} else if d.Text()+"\n" != string(b) {
				t.Errorf("%s: Text() differs", name)
			}
		}
	}
}
