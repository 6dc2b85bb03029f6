package chip

import (
	"bytes"
	"errors"
	"slices"
	"testing"
)

// Expected values from ../testdata/lds/README.md.
func TestParseCOMShared(t *testing.T) {
	tests := []struct {
		file     string
		lds, uni string
		dgs      []int
	}{
		{"gmrtd_icao9303p10-example_EF.COM", "0106", "040000", []int{1, 2}},
		{"jmrtd_nl-specimen2006_EF.COM", "0107", "040000", []int{1, 2, 15}},
	}
	for _, tt := range tests {
		b := readLDS(t, tt.file)
		c, err := ParseCOM(b)
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		if c.LDSVersion != tt.lds || c.UnicodeVersion != tt.uni || !slices.Equal(c.DataGroups(), tt.dgs) {
			t.Errorf("%s: %+v %v", tt.file, c, c.DataGroups())
		}
		// The files are DER, so re-encoding gives the same bytes.
		if out, err := c.Encode(); err != nil || !bytes.Equal(out, b) {
			t.Errorf("%s: Encode = % X, %v", tt.file, out, err)
		}
	}
}

func TestParseCOMUnknownTag(t *testing.T) {
	// 0x77 (EF.SOD) names no data group: kept in Tags, skipped by DataGroups.
	c, err := ParseCOM(unhex(t, "60 14 5F0104 30313036 5F3606 303430303030 5C02 6177"))
	if err != nil || !slices.Equal(c.DataGroups(), []int{1}) || len(c.Tags) != 2 {
		t.Fatalf("%v %v", err, c)
	}
}

func TestParseCOMErrors(t *testing.T) {
	good := "60 14 5F0104 30313036 5F3606 303430303030 5C02 6175"
	tests := []struct {
		name, in string
		err      error
		offset   int
	}{
		{"wrong tag", "61" + good[2:], ErrMalformed, 0},
		{"trailing", good + "00", ErrTrailingData, 22},
		{"truncated", "60 14 5F0104 3031", ErrMalformed, 0},
		{"letters in version", "60 14 5F0104 3031304A 5F3606 303430303030 5C02 6175", ErrMalformed, 5},
		{"no tag list", "60 10 5F0104 30313036 5F3606 303430303030 ", ErrMalformed, 18},
		{"extra element", "60 16 5F0104 30313036 5F3606 303430303030 5C02 6175 0100", ErrTrailingData, 22},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseCOM(unhex(t, tt.in))
			var pe *ParseError
			if c != nil || !errors.Is(err, tt.err) || !errors.As(err, &pe) || pe.Offset != tt.offset {
				t.Fatalf("got %v, want %v at %d", err, tt.err, tt.offset)
			}
		})
	}
}
