package chip

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Expected values: ../testdata/lds/README.md.
func TestParseDG11Shared(t *testing.T) {
	b := readLDS(t, "gmrtd_icao9303p10-example_DG11.bin")
	d, err := ParseDG11(b)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.TagList, []uint32{0x5F0E, 0x5F11, 0x5F42, 0x5F12, 0x5F13}) {
		t.Errorf("tag list % X", d.TagList)
	}
	for tag, want := range map[uint32]string{
		TagFullName: "SMITH<<JOHN<J", TagPlaceOfBirth: "ANYTOWN<MN", TagAddress: "123 MAPLE RD<ANYTOWN<MN",
		TagTelephone: "16125551212", TagProfession: "TRAVEL<AGENT", TagTitle: "",
	} {
		if got := d.Text(tag); got != want {
			t.Errorf("%X = %q, want %q", tag, got, want)
		}
	}
	if out, err := d.Encode(); err != nil || !bytes.Equal(out, b) {
		t.Errorf("Encode differs: %v", err)
	}
	if s := fmt.Sprintf("%v %+v %#v %v", d, *d, *d, d.Elements); strings.Contains(s, "SMITH") {
		t.Errorf("printing leaks: %s", s)
	}
}

func TestParseDG12Shared(t *testing.T) {
	b := readLDS(t, "gmrtd_sample_DG12.bin")
	d, err := ParseDG12(b)
	if err != nil {
		t.Fatal(err)
	}
	if d.Text(TagPersonalizationTime) != "20161115013612" || d.Text(TagPersonalizationDeviceSN) != "N-4962" ||
		!slices.Equal(d.TagList, []uint32{0x5F55, 0x5F56}) {
		t.Errorf("got %q %q", d.Text(TagPersonalizationTime), d.Text(TagPersonalizationDeviceSN))
	}
	if out, err := d.Encode(); err != nil || !bytes.Equal(out, b) {
		t.Errorf("Encode differs: %v", err)
	}
}

// ICAO 9303-10 DG11 with the other-names group: A0 { 02 01 02, 5F0F "A",
// 5F0F "B" } (hand-encoded).
func TestDG11OtherNames(t *testing.T) {
	b := unhex(t, "6B 11 5C02 5F0F A0 0B 020102 5F0F 0141 5F0F 0142")
	d, err := ParseDG11(b)
	if err != nil || !slices.Equal(d.OtherNames(), []string{"A", "B"}) {
		t.Fatalf("%v %q", err, d.OtherNames())
	}
	bad := bytes.Clone(b)
	bad[10] = 3 // count 3, two names
	if _, err := ParseDG11(bad); !errors.Is(err, ErrMalformed) {
		t.Errorf("bad count: %v", err)
	}
	for _, in := range []string{"6B 00", "6B 03 5C01 5F", "6B 04 5C00 5F0E", "6C 02 5C00"} {
		var pe *ParseError
		if _, err := ParseDG11(unhex(t, in)); !errors.As(err, &pe) {
			t.Errorf("%s: %v", in, err)
		}
	}
}

func TestParseDG16Shared(t *testing.T) {
	b := readLDS(t, "gmrtd_icao9303p10-example_DG16.bin")
	d, err := ParseDG16(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Persons) != 2 || d.Persons[0].Text(TagDateRecorded) != "20020101" || d.Persons[1].Text(TagDateRecorded) != "20020315" ||
		d.Persons[1].Text(TagNotifyName) != "BROWN<<MARY<J" {
		t.Fatalf("persons: %v", d)
	}
	if out, err := d.Encode(); err != nil || !bytes.Equal(out, b) {
		t.Errorf("Encode differs: %v", err)
	}
	if s := fmt.Sprintf("%v %+v %v", d, *d, d.Persons); strings.Contains(s, "SMITH") {
		t.Errorf("printing leaks: %s", s)
	}
	// Count 3 with two templates; templates out of order (A2 first).
	bad := bytes.Clone(b)
	bad[5] = 3
	if _, err := ParseDG16(bad); !errors.Is(err, ErrMalformed) {
		t.Errorf("bad count: %v", err)
	}
	swapped := unhex(t, "70 05 020101 A200")
	if _, err := ParseDG16(swapped); !errors.Is(err, ErrMalformed) {
		t.Errorf("A2 first: %v", err)
	}
}
