package cccd_test

import (
	"testing"
	"time"

	"github.com/cancuoc/sdk/cccd"
	"github.com/cancuoc/sdk/internal/zerotest"
)

// TestZeroInputs calls every exported constructor and parser of the
// package, and the methods of a zero Number, with zero values: errors,
// never panics (issue 14 item 3).
func TestZeroInputs(t *testing.T) {
	var n cccd.Number
	calls := map[string]func(){
		"Parse":                func() { _, _ = cccd.Parse("") },
		"ParseLenient":         func() { _, _ = cccd.ParseLenient("") },
		"ParseQR":              func() { _, _ = cccd.ParseQR("") },
		"Normalize":            func() { _, _ = cccd.Normalize("") },
		"Generate(nil reader)": func() { _, _ = cccd.Generate(nil, cccd.GenerateSpec{}) },
		"ProvinceByCode":       func() { cccd.ProvinceByCode("") },
		"ProvinceByName":       func() { cccd.ProvinceByName("") },
		"zero Number": func() {
			n.Digits()
			n.Province()
			n.BirthYear()
			n.Sex()
			_ = n.String()
			_, _ = n.MarshalText()
		},
		"zero Number.Scan(nil)": func() { _ = new(cccd.Number).Scan(nil) },
		"zero Number.Matches":   func() { _ = n.Matches(time.Time{}, cccd.SexUnknown) },
	}
	zerotest.NoPanics(t, calls)
}
