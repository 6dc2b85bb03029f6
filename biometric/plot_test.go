package biometric

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

func TestWriteDET(t *testing.T) {
	ev := &Evaluation{
		Rates: ComputeRates([]float64{0.2, 0.6, 0.7, 0.8, 0.9, 0.3, 0.9, 0.9, 0.9}, []float64{0.1, 0.3, 0.4, 0.5, 0.65, 0.1, 0.5}),
		Databases: []DatabaseResult{
			{Name: "A", GenuineScores: []float64{0.2, 0.6, 0.7, 0.8, 0.9}, ImpostorScores: []float64{0.1, 0.3, 0.4, 0.5, 0.65}},
			{Name: "B<&>", GenuineScores: []float64{0.3, 0.9, 0.9, 0.9}, ImpostorScores: []float64{0.1, 0.5}},
		},
	}
	ev.Databases[0].Rates = ComputeRates(ev.Databases[0].GenuineScores, ev.Databases[0].ImpostorScores)
	ev.Databases[1].Rates = ComputeRates(ev.Databases[1].GenuineScores, ev.Databases[1].ImpostorScores)
	// A held-out fold whose scores are database A's (EER 20%).
	ev.LeaveOneOut = []FoldResult{{LeftOut: "A", Rates: ev.Databases[0].Rates,
		GenuineScores: ev.Databases[0].GenuineScores, ImpostorScores: ev.Databases[0].ImpostorScores}}
	var buf bytes.Buffer
	if err := ev.WriteDET(&buf); err != nil {
		t.Fatal(err)
	}
	svg := buf.String()
	// Well-formed XML, one curve per database plus the pooled one and the
	// dashed held-out one, and the EERs of the hand-computed score sets of
	// TestComputeRatesByHand.
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		if _, err := dec.Token(); err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("not well-formed: %v", err)
			}
			break
		}
	}
	if n := strings.Count(svg, "<polyline"); n != 4 {
		t.Errorf("%d curves, want 4", n)
	}
	if n := strings.Count(svg, "stroke-dasharray"); n != 2 {
		t.Errorf("%d dashed strokes, want 2 (curve and legend)", n)
	}
	for _, want := range []string{"A EER 20.00%", "B&lt;&amp;&gt; EER 25.00%", "pooled EER", "A left out EER 20.00%"} {
		if !strings.Contains(svg, want) {
			t.Errorf("plot lacks %q", want)
		}
	}
}
