package biometric_test

import (
	"context"
	"io"
	"testing"

	"github.com/cancuoc/sdk/biometric"
	"github.com/cancuoc/sdk/internal/zerotest"
)

// TestZeroInputs calls every exported constructor, decoder and matcher
// of the package with zero and nil values: errors or zero scores, never
// panics (issue 14 item 3).
func TestZeroInputs(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(){
		"Compare(nil, nil)":          func() { biometric.Compare(nil, nil) },
		"Compare(zero, zero)":        func() { biometric.Compare(&biometric.Prepared{}, &biometric.Prepared{}) },
		"Comparer.Compare(nil, nil)": func() { new(biometric.Comparer).Compare(nil, nil) },
		"Threshold(nil)":             func() { biometric.Threshold(nil, 0) },
		"ComputeRates(nil)":          func() { biometric.ComputeRates(nil, nil) },
		"Evaluate":                   func() { _, _ = biometric.Evaluate(ctx, "", biometric.EvalOptions{}) },
		"EvaluateIndex":              func() { _, _ = biometric.EvaluateIndex(ctx, "", biometric.IndexEvalOptions{}) },
		"Prepare(nil)":               func() { _, _ = biometric.Prepare(nil) },
		"Prepare(zero)":              func() { _, _ = biometric.Prepare(&biometric.Template{}) },
		"PrepareView(nil)":           func() { _, _ = biometric.PrepareView(nil, 0, 0) },
		"PrepareView(zero)":          func() { _, _ = biometric.PrepareView(&biometric.View{}, 0, 0) },
		"Decode":                     func() { _, _ = biometric.Decode(nil) },
		"DecodeANSI378":              func() { _, _ = biometric.DecodeANSI378(nil) },
		"DecodeCardCompact":          func() { _, _ = biometric.DecodeCardCompact(nil) },
		"DecodeCardNormal":           func() { _, _ = biometric.DecodeCardNormal(nil) },
		"DecodeISO2005":              func() { _, _ = biometric.DecodeISO2005(nil) },
		"DecodeISO2011":              func() { _, _ = biometric.DecodeISO2011(nil) },
		"SynthesizeDistractors(nil)": func() { biometric.SynthesizeDistractors(nil, 1, 0) },
		"zero Template encoders": func() {
			tpl := &biometric.Template{}
			_, _ = tpl.EncodeISO2005()
			_, _ = tpl.EncodeISO2011()
			_, _ = tpl.EncodeANSI378()
			_, _ = tpl.EncodeCardCompact()
			_, _ = tpl.EncodeCardNormal()
		},
		"nil Template.MinutiaeCount": func() { (*biometric.Template)(nil).MinutiaeCount() },
		"Gallery.Add(nil)":           func() { new(biometric.Gallery).Add("x", nil) },
		"Gallery.Search(nil)":        func() { _, _ = new(biometric.Gallery).Search(ctx, nil, 1) },
		"Gallery.BuildIndex":         func() { _ = new(biometric.Gallery).BuildIndex(ctx) },
		"Gallery.SearchIndexed(nil)": func() { _, _, _ = new(biometric.Gallery).SearchIndexed(ctx, nil, 1, biometric.IndexOptions{}) },
		"Gallery with nil.Search":    func() { g := new(biometric.Gallery); g.Add("x", nil); _, _ = g.Search(ctx, &biometric.Prepared{}, 1) },
		"zero Evaluation":            func() { e := new(biometric.Evaluation); e.ComparisonsPerSecond(); _ = e.WriteDET(io.Discard) },
		"nil Prepared.Len":           func() { (*biometric.Prepared)(nil).Len() },
	}
	zerotest.NoPanics(t, calls)
}
