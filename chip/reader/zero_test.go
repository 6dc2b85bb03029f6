package reader_test

import (
	"context"
	"testing"

	"github.com/cancuoc/sdk/chip/reader"
	"github.com/cancuoc/sdk/internal/zerotest"
	"github.com/cancuoc/sdk/mrz"
)

// TestZeroInputs calls the package's constructors and entry points with
// zero and nil values: errors, never panics (issue 14 item 3).
func TestZeroInputs(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(){
		"SupportedPACE(nil)":    func() { reader.SupportedPACE(nil) },
		"CAN":                   func() { _, _ = reader.CAN("") },
		"CANFromNumber":         func() { _, _ = reader.CANFromNumber("") },
		"MRZ":                   func() { _, _ = reader.MRZ("", "", "") },
		"MRZFromDocument":       func() { _, _ = reader.MRZFromDocument(mrz.Document{}) },
		"Read(nil transceiver)": func() { _, _ = reader.Read(ctx, nil, reader.Options{}) },
		"NewSession(nil)": func() {
			s := reader.NewSession(nil, reader.SessionOptions{})
			_ = s.BAC(ctx, reader.Password{})
			s.Close()
		},
		"Session methods, nil transceiver": func() {
			s := reader.NewSession(nil, reader.SessionOptions{})
			_ = s.SelectApplication(ctx)
			_, _ = s.ReadFile(ctx, "DG1")
			_, _ = s.Transmit(ctx, nil)
			_ = s.PACE(ctx, reader.Password{}, reader.PACEInfo{})
			_ = s.ChipAuthentication(ctx, nil)
			_, _ = s.InternalAuthenticate(ctx, nil)
			_, _ = s.ReadBinary(ctx, 0, 0)
			_ = s.SelectFile(ctx, 0)
			s.Close()
			s.Close()
		},
		"zero Password":     func() { var p reader.Password; _ = p.String(); p.IsCAN(); p.IsMRZ() },
		"nil Result.String": func() { _ = (*reader.Result)(nil).String() },
	}
	zerotest.NoPanics(t, calls)
}
