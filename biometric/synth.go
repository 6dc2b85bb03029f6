package biometric

import (
	"math"
	"math/rand/v2"
)

// Distractor synthesis for EvaluateIndex: a population of impostor
// templates made from real ones, so that a gallery far larger than the
// FVC2002 data can be searched.
const (
	synthPieces  = 2    // source fingers per distractor
	synthSpread  = 60.0 // px: Voronoi sites within this of the centre
	synthShift   = 30.0 // px: each piece's centre moves up to this
	synthDropout = 0.15 // share of minutiae dropped
	synthJitter  = 2.0  // px: standard deviation of position noise
	synthTurn    = 4.0 * math.Pi / 180
)

// SynthesizeDistractors makes n impostor templates from sources,
// deterministically for a seed. Each is a recombination of two different
// source templates: every source is turned by a random angle about its
// minutiae's centroid and moved to the frame's centre (plus up to 30 px),
// two random sites within 60 px of the centre cut the plane into Voronoi
// regions (two half-planes), and region j keeps source j's minutiae;
// then 15% of the minutiae are dropped, and each position gets Gaussian
// noise of 2 px and each direction of 4°. The result is at 197 px/cm.
//
// Why they should not be easier than real impostors: away from the cut
// every minutia keeps its real neighbours, so the cylinders the matcher
// and the index see are real fingers' local structures at the sources'
// density; a distractor has about as many minutiae as a source; rigid
// moves change nothing for MCC, which is invariant to them; and no
// source contributes more than a region, so a distractor is never a
// near-copy of one finger. EvaluateIndex checks the claim instead of
// trusting it: it reports the share of probe-distractor scores at or
// above ThresholdFMR100 next to the share of real impostor scores. On the
// FVC2002 set B that check fails in part: about 0.17% of distractor
// scores against 1.0% of impostor ones (impostors share the probe's
// sensor and capture session; these distractors come from the other
// databases' sensors), so the hit rates measured with them overstate
// what a gallery of real people would give at the same size.
//
// Sources must not include the fingers searched for: a distractor built
// from a piece of the probe's finger would be a partial mate.
func SynthesizeDistractors(sources []*Template, n int, seed uint64) []*Template {
	var usable []*Template
	for _, t := range sources {
		if t != nil && len(t.Views) > 0 && len(t.Views[0].Minutiae) > 0 {
			usable = append(usable, t)
		}
	}
	if len(usable) < synthPieces || n <= 0 {
		return nil
	}
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]*Template, n)
	for d := range out {
		var src [synthPieces]*Template
		for j := range src {
		pick:
			for {
				src[j] = usable[r.IntN(len(usable))]
				for _, s := range src[:j] {
					if s == src[j] {
						continue pick
					}
				}
				break
			}
		}
		out[d] = recombine(src[:], r)
	}
	return out
}

// recombine cuts src into Voronoi regions around random sites, as
// SynthesizeDistractors describes.
func recombine(src []*Template, r *rand.Rand) *Template {
	const w, h = 400, 500 // frame in pixels at 197 px/cm
	cx, cy := w/2.0, h/2.0
	sites := make([]point, len(src))
	for j := range sites {
		sites[j] = point{cx + (r.Float64()*2-1)*synthSpread, cy + (r.Float64()*2-1)*synthSpread}
	}
	var ms []Minutia
	for j, t := range src {
		sx, sy := 1.0, 1.0
		if t.ResX > 0 {
			sx = refResolution / float64(t.ResX)
		}
		if t.ResY > 0 {
			sy = refResolution / float64(t.ResY)
		}
		v := t.Views[0].Minutiae
		var mx, my float64
		for _, m := range v {
			mx += float64(m.X) * sx
			my += float64(m.Y) * sy
		}
		mx /= float64(len(v))
		my /= float64(len(v))
		rot := r.Float64() * 2 * math.Pi
		cos, sin := math.Cos(rot), math.Sin(rot)
		dx, dy := (r.Float64()*2-1)*synthShift, (r.Float64()*2-1)*synthShift
		for _, m := range v {
			// Y grows downward and angles are counter-clockwise as seen,
			// so a counter-clockwise turn is (x, -y) turned by rot.
			x, y := float64(m.X)*sx-mx, -(float64(m.Y)*sy - my)
			p := point{cos*x - sin*y + cx + dx, -(sin*x + cos*y) + cy + dy}
			if nearestSite(sites, p) != j || r.Float64() < synthDropout {
				continue
			}
			p.x += r.NormFloat64() * synthJitter
			p.y += r.NormFloat64() * synthJitter
			a := math.Mod(m.Angle+rot+r.NormFloat64()*synthTurn, 2*math.Pi)
			if a < 0 {
				a += 2 * math.Pi
			}
			ms = append(ms, Minutia{
				X: int(math.Round(min(max(p.x, 0), 16383))), Y: int(math.Round(min(max(p.y, 0), 16383))),
				Angle: a, Type: m.Type, Quality: m.Quality,
			})
		}
	}
	if len(ms) > maxMinutiae {
		ms = ms[:maxMinutiae]
	}
	return &Template{Width: w, Height: h, ResX: refResolution, ResY: refResolution, Views: []View{{Minutiae: ms}}}
}

func nearestSite(sites []point, p point) int {
	best, bd := 0, math.Inf(1)
	for j, s := range sites {
		if d := (s.x-p.x)*(s.x-p.x) + (s.y-p.y)*(s.y-p.y); d < bd {
			best, bd = j, d
		}
	}
	return best
}
