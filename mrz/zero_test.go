package mrz_test

import (
	"testing"
	"time"

	"github.com/cancuoc/sdk/internal/zerotest"
	"github.com/cancuoc/sdk/mrz"
)

// TestZeroInputs calls every exported constructor and parser of the
// package with zero values: errors, never panics (issue 14 item 3).
func TestZeroInputs(t *testing.T) {
	calls := map[string]func(){
		"Parse":         func() { _, _ = mrz.Parse("") },
		"Repair":        func() { _, _, _ = mrz.Repair("") },
		"Options.Parse": func() { _, _ = mrz.Options{}.Parse("") },
		"CheckDigit":    func() { mrz.CheckDigit("") },
		"Transliterate": func() { _, _ = mrz.Transliterate("") },
		"NewBACKeys":    func() { _, _ = mrz.NewBACKeys("", "", "") },
		"DateOf":        func() { mrz.DateOf(time.Time{}) },
		"EncodeCCCD":    func() { _, _ = mrz.EncodeCCCD(mrz.Holder{}) },
		"EncodeTD1":     func() { _, _ = mrz.EncodeTD1(mrz.Fields{}) },
		"EncodeTD2":     func() { _, _ = mrz.EncodeTD2(mrz.Fields{}) },
		"EncodeTD3":     func() { _, _ = mrz.EncodeTD3(mrz.Fields{}) },
		"EncodeMRVA":    func() { _, _ = mrz.EncodeMRVA(mrz.Fields{}) },
		"EncodeMRVB":    func() { _, _ = mrz.EncodeMRVB(mrz.Fields{}) },
		"zero Document": func() {
			d := mrz.Document{}
			_ = d.Text()
			d.BirthDate()
			d.ExpiryDate()
			d.CCCD()
			d.Fields()
			_ = d.String()
		},
		"zero Date.Time":      func() { _, _ = mrz.Date{}.Time() },
		"zero BACKeys.String": func() { _ = mrz.BACKeys{}.String() },
	}
	zerotest.NoPanics(t, calls)
}
