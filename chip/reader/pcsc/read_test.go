package pcsc

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
	"github.com/cancuoc/sdk/chip/reader"
)

// softCard issues the tour's synthetic holder and makes the software card
// of it (the CCCD's defaults: PACE CAN on brainpoolP256r1, SELECT MF
// refused).
func softCard(t testing.TB) (*chiptest.Issuer, *chiptest.Card, *chiptest.SoftCard) {
	t.Helper()
	is, err := chiptest.New(chiptest.Options{Seed: "pcsc"})
	require.NoError(t, err)
	c, err := is.Issue(chiptest.DefaultHolder())
	require.NoError(t, err)
	soft, err := chiptest.NewSoftCard(c, chiptest.SoftCardOptions{})
	require.NoError(t, err)
	return is, c, soft
}

// TestReadThroughPCSCD reads the whole card, PACE, chip and active
// authentication included, through pcscd and the vpcd virtual reader,
// then verifies what it read: the real PC/SC path of issue 15, end to end
// in one process.
func TestReadThroughPCSCD(t *testing.T) {
	needVPCD(t)
	is, issued, soft := softCard(t)
	for _, extended := range []bool{false, true} {
		card, stop := attach(t, soft, Options{ExtendedLength: extended})
		pw, err := reader.CANFromNumber(chiptest.DefaultHolder().Number.Digits())
		require.NoError(t, err)
		start := time.Now()
		res, err := reader.Read(t.Context(), card, reader.Options{Password: pw, ChipAuthentication: true, ActiveAuthentication: true})
		elapsed := time.Since(start)
		require.NoError(t, err)
		require.NoError(t, card.Close())
		stop()
		t.Logf("extended length %v: %s, CA %s, AA %s, %d APDUs, %d bytes, %v",
			extended, res.Access, res.ChipAuthentication, res.ActiveAuthentication, res.APDUs, res.Bytes, elapsed.Round(time.Millisecond))
		require.Equal(t, reader.OK, res.ChipAuthentication)
		require.Equal(t, reader.OK, res.ActiveAuthentication)
		for _, name := range []string{chip.FileCOM, chip.FileSOD, "DG1", "DG2", "DG13", "DG14", "DG15"} {
			require.Equal(t, issued.Files[name], res.Files[name], name)
		}
		report, err := chip.Verify(res.Files, chip.VerifyOptions{Trust: is.TrustStore(), Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
		require.NoError(t, err)
		require.True(t, report.Valid)
	}
}

// BenchmarkReadThroughPCSCD measures a full read (PACE + CA + AA and every
// file) through pcscd and vpcd with short APDUs only and with extended
// length, next to the same read from the software card in process: the
// difference is the PC/SC stack's cost.
func BenchmarkReadThroughPCSCD(b *testing.B) {
	needVPCD(b)
	_, _, soft := softCard(b)
	pw, err := reader.CANFromNumber(chiptest.DefaultHolder().Number.Digits())
	if err != nil {
		b.Fatal(err)
	}
	opts := reader.Options{Password: pw, ChipAuthentication: true, ActiveAuthentication: true}
	read := func(b *testing.B, t reader.Transceiver) {
		apdus := 0
		b.ReportAllocs()
		for b.Loop() {
			res, err := reader.Read(context.Background(), t, opts)
			if err != nil {
				b.Fatal(err)
			}
			apdus = res.APDUs
		}
		b.ReportMetric(float64(apdus), "APDUs/read")
	}
	b.Run("in-process", func(b *testing.B) { read(b, soft) })
	for _, extended := range []bool{false, true} {
		name := "pcsc-short"
		if extended {
			name = "pcsc-extended"
		}
		b.Run(name, func(b *testing.B) {
			card, stop := attach(b, soft, Options{ExtendedLength: extended})
			defer stop()
			defer card.Close()
			read(b, card)
		})
	}
}
