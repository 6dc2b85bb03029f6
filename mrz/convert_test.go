package mrz_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/cancuoc/sdk/cccd"
	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/mrz"
)

// TestSexConverts checks that mrz.Sex and cccd.Sex convert both ways
// without glue, every value (issue 14 item 14).
func TestSexConverts(t *testing.T) {
	for _, c := range []struct {
		m mrz.Sex
		c cccd.Sex
	}{{mrz.Male, cccd.Male}, {mrz.Female, cccd.Female}} {
		if c.m.CCCD() != c.c || mrz.SexOf(c.c) != c.m {
			t.Errorf("%v <-> %v", c.m, c.c)
		}
	}
	for _, m := range []mrz.Sex{mrz.Unspecified, mrz.NotStated, 0, 'Q'} {
		if m.CCCD() != cccd.SexUnknown {
			t.Errorf("%q.CCCD() = %v, want SexUnknown", byte(m), m.CCCD())
		}
	}
	if mrz.SexOf(cccd.SexUnknown) != mrz.Unspecified {
		t.Errorf("SexOf(SexUnknown) = %v", mrz.SexOf(cccd.SexUnknown))
	}
}

// TestMRZMatchesNumber checks a parsed card MRZ against its own number with
// cccd.Number.Matches, straight from mrz's types: Date.Time and Sex.CCCD
// (ICAO 9303-5 TD1 of the synthetic holder 001095012345, built by
// EncodeCCCD).
func TestMRZMatchesNumber(t *testing.T) {
	n, err := cccd.Parse("001095012345")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := mrz.EncodeCCCD(mrz.Holder{Number: n, Name: "Nguyễn Văn Đức", BirthDate: time.Date(1995, 3, 17, 0, 0, 0, 0, time.UTC), Sex: cccd.Male})
	if err != nil {
		t.Fatal(err)
	}
	birth, ok := doc.BirthDate().Time()
	if !ok {
		t.Fatal("birth date has unknown parts")
	}
	if err := n.Matches(birth, doc.Sex().CCCD()); err != nil {
		t.Errorf("Matches: %v", err)
	}
	if err := n.Matches(birth, mrz.Female.CCCD()); err == nil {
		t.Error("Matches accepted the other sex")
	}
}

// TestFieldNamesAgree checks that the packages spell the holder's fields
// the same way: mrz.Holder's fields are chip.Holder's, with the same
// types (issue 14 item 14: ExpiryDate, not Expiry).
func TestFieldNamesAgree(t *testing.T) {
	m, c := reflect.TypeFor[mrz.Holder](), reflect.TypeFor[chip.Holder]()
	for i := range m.NumField() {
		f := m.Field(i)
		g, ok := c.FieldByName(f.Name)
		if !ok || g.Type != f.Type {
			t.Errorf("mrz.Holder.%s (%v) has no chip.Holder field of that name and type", f.Name, f.Type)
		}
	}
}
