package biometric

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"math"
	"slices"
	"sort"
)

// DET plot geometry: both axes are logarithmic from detMin to 1.
const (
	detMin    = 1e-4
	detSize   = 400 // plot area, pixels
	detMargin = 60
	detLegend = 170 // legend column, pixels
)

var detColours = []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"}

// WriteDET writes a plain SVG detection error trade-off plot of the
// evaluation: FNMR against FMR on logarithmic axes from 0.01% to 100%, one
// curve per database and one for the pooled scores, with the EER points.
// With leave-one-database-out folds, each held-out database also gets a
// dashed curve in its colour: its scores under the parameters chosen on
// the other databases.
func (e *Evaluation) WriteDET(w io.Writer) error {
	bw := bufio.NewWriter(w)
	side := detSize + 2*detMargin
	fmt.Fprintf(bw, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n", side+detLegend, side, side+detLegend, side)
	fmt.Fprintf(bw, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="black"/>`+"\n", detMargin, detMargin, detSize, detSize)
	for _, v := range []float64{1e-4, 1e-3, 1e-2, 1e-1, 1} {
		x, y := detX(v), detY(v)
		label := fmt.Sprintf("%g%%", v*100)
		fmt.Fprintf(bw, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/><text x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n",
			x, detMargin, x, detMargin+detSize, x, detMargin+detSize+15, label)
		fmt.Fprintf(bw, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#ddd"/><text x="%d" y="%.1f" text-anchor="end">%s</text>`+"\n",
			detMargin, y, detMargin+detSize, y, detMargin-5, y+4, label)
	}
	fmt.Fprintf(bw, `<text x="%d" y="%d" text-anchor="middle">FMR</text>`+"\n", detMargin+detSize/2, side-15)
	fmt.Fprintf(bw, `<text x="15" y="%d" transform="rotate(-90 15 %d)" text-anchor="middle">FNMR</text>`+"\n", detMargin+detSize/2, detMargin+detSize/2)
	type curve struct {
		name     string
		gen, imp []float64
		eer      float64
		colour   string
		dashed   bool
	}
	var curves []curve
	var allG, allI []float64
	for i, d := range e.Databases {
		curves = append(curves, curve{d.Name, d.GenuineScores, d.ImpostorScores, d.EER, detColours[i%len(detColours)], false})
		allG = append(allG, d.GenuineScores...)
		allI = append(allI, d.ImpostorScores...)
	}
	if len(e.Databases) > 1 {
		curves = append(curves, curve{"pooled", allG, allI, e.EER, detColours[len(e.Databases)%len(detColours)], false})
	}
	for i, f := range e.LeaveOneOut {
		curves = append(curves, curve{f.LeftOut + " left out", f.GenuineScores, f.ImpostorScores, f.EER, detColours[i%len(detColours)], true})
	}
	for i, c := range curves {
		colour := c.colour
		dash := ""
		if c.dashed {
			dash = ` stroke-dasharray="5,3"`
		}
		fmt.Fprintf(bw, `<polyline fill="none" stroke="%s" stroke-width="1.5"%s points="`, colour, dash)
		last := ""
		for _, p := range detPoints(c.gen, c.imp) {
			// Large score sets give many points per pixel: keep one.
			if pt := fmt.Sprintf("%.1f,%.1f ", detX(p[0]), detY(p[1])); pt != last {
				bw.WriteString(pt)
				last = pt
			}
		}
		fmt.Fprint(bw, `"/>`+"\n")
		fmt.Fprintf(bw, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>`+"\n", detX(c.eer), detY(c.eer), colour)
		y := detMargin + 15 + 16*i
		fmt.Fprintf(bw, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="1.5"%s/>`+"\n", side-40, y-4, side-20, y-4, colour, dash)
		fmt.Fprintf(bw, `<text x="%d" y="%d" fill="%s">%s EER %.2f%%</text>`+"\n", side-15, y, colour, html.EscapeString(c.name), 100*c.eer)
	}
	fmt.Fprintln(bw, "</svg>")
	return bw.Flush()
}

// detPoints returns the (FMR, FNMR) pairs with every distinct score as the
// threshold, in increasing order, then with a threshold above every score
// (FMR 0, FNMR 1).
func detPoints(genuine, impostor []float64) [][2]float64 {
	if len(genuine) == 0 || len(impostor) == 0 {
		return nil
	}
	g := slices.Sorted(slices.Values(genuine))
	im := slices.Sorted(slices.Values(impostor))
	ts := slices.Compact(slices.Sorted(slices.Values(slices.Concat(g, im))))
	pts := make([][2]float64, 0, len(ts)+1)
	for _, t := range append(ts, ts[len(ts)-1]+1) {
		fmr := float64(len(im)-sort.SearchFloat64s(im, t)) / float64(len(im))
		fnmr := float64(sort.SearchFloat64s(g, t)) / float64(len(g))
		pts = append(pts, [2]float64{fmr, fnmr})
	}
	return pts
}

// detX and detY place a rate on the logarithmic axes, clamping to detMin.
func detX(v float64) float64 { return detMargin + detSize*detFrac(v) }
func detY(v float64) float64 { return detMargin + detSize*(1-detFrac(v)) }

func detFrac(v float64) float64 {
	v = max(v, detMin)
	return (math.Log10(v) - math.Log10(detMin)) / -math.Log10(detMin)
}
