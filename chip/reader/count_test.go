package reader_test

import (
	"context"
	"testing"

	"github.com/cancuoc/sdk/chip/chiptest"
	"github.com/cancuoc/sdk/chip/reader"
)

// The fewest APDUs the card allows for a full CCCD read (PACE, CA, AA,
// EF.COM, EF.SOD, DG1, DG2, DG13, DG14, DG15): EF.CardAccess by SFI (1),
// PACE (MSE:Set AT + 4 GENERAL AUTHENTICATE), SELECT of the application,
// no SELECT of any file (SFI reads), per file ceil(size / 223) READ
// BINARYs with short Le under AES secure messaging (ICAO 9303-11 section
// 9.8: 256 response bytes carry 223 plaintext bytes) or one with extended
// length, chip authentication (MSE:Set AT + GENERAL AUTHENTICATE) and
// INTERNAL AUTHENTICATE.
func TestAPDUCount(t *testing.T) {
	_, card := issue(t, chiptest.Options{})
	files := []string{"EF.COM", "EF.SOD", "DG1", "DG2", "DG13", "DG14", "DG15"}
	for _, ext := range []bool{false, true} {
		want := 1 + 5 + 1 + 2 + 1
		gmrtd := 1 + 5 + 1 + 2 + 1
		for _, f := range files {
			n := len(card.Files[f])
			if ext {
				want++
			} else {
				want += (n + 222) / 223
			}
			gmrtd += 1 + 1 + (n+255)/256 // SELECT, 4-byte header read, 256-byte chunks
		}
		var tr reader.Transceiver = softCard(t, card, chiptest.SoftCardOptions{})
		if ext {
			tr = limited{tr}
		}
		res, err := reader.Read(context.Background(), tr, reader.Options{Password: can(t), ChipAuthentication: true, ActiveAuthentication: true})
		if err != nil {
			t.Fatal(err)
		}
		if res.APDUs != want {
			t.Errorf("extended=%v: %d APDUs, want %d", ext, res.APDUs, want)
		}
		t.Logf("extended=%v: %d APDUs (gmrtd-style 256-byte chunks with a header read and a SELECT per file: %d), DG2 %d bytes",
			ext, res.APDUs, gmrtd, len(card.Files["DG2"]))
	}
}

// BenchmarkReadCCCD is a full CCCD read from the in-process software card:
// PACE-ECDH-GM-AES-128 with the CAN on brainpoolP256r1, chip and active
// authentication, EF.COM, EF.SOD, DG1, DG2 (about 20 KB), DG13, DG14,
// DG15, short Le. The card's own work (its half of PACE and CA, AA
// signing) is included in ns/op.
func BenchmarkReadCCCD(b *testing.B) {
	_, card := issue(b, chiptest.Options{})
	sc := softCard(b, card, chiptest.SoftCardOptions{})
	opts := reader.Options{Password: can(b), ChipAuthentication: true, ActiveAuthentication: true}
	b.ReportAllocs()
	var apdus int
	for b.Loop() {
		sc.Reset()
		res, err := reader.Read(context.Background(), sc, opts)
		if err != nil {
			b.Fatal(err)
		}
		apdus = res.APDUs
	}
	b.ReportMetric(float64(apdus), "APDUs/read")
	b.ReportMetric(float64(len(card.Files["DG2"])), "DG2-bytes")
}
