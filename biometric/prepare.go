package biometric

import (
	"fmt"
	"log/slog"
	"math"
	"slices"
)

// The comparison works on Minutia Cylinder-Code descriptors (R. Cappelli,
// M. Ferrara, D. Maltoni, "Minutia Cylinder-Code: a new representation and
// matching technique for fingerprint recognition", IEEE TPAMI 32(12), 2010),
// bit version. Each minutia gets a cylinder: a disc of radius cylRadius
// centred on the minutia and turned to its direction, cut into
// cylCells x cylCells spatial cells and cylDirs direction layers; a bit is
// set where neighbouring minutiae with that relative direction lie near the
// cell. With 8 x 8 cells one direction layer is exactly one uint64, so a
// cylinder is 10 words: the valid-cell mask, 6 layers and 3 words of
// per-cell layer counts.
//
// The values are the paper's (σS, σD, μΨ, Ω, minVC, minM) except the
// cell grid, 8 x 8 cells of about twice the paper's size, as 16 x 16 would
// not fit a word per layer, and the radius R, 63 px instead of 70: chosen
// by leave-one-database-out over the four FVC2002 databases, where 63 won
// every fold against 56 and 70. Smaller discs suit templates extracted
// from downscaled images (as the FVC2002 records are), where 70 px covers more
// finger than the paper meant. Variations of σS (6 to 14 px), σD (π/6 to
// π/4), μΨ (0.006 to 0.015) and Ω (35 to 65 px) measured no better.
const (
	cylRadius     = 63.0            // R, pixels at refResolution
	cylCells      = 8               // NS: cells per side
	cylDirs       = 6               // ND: direction layers
	cylSigmaS     = 28.0 / 3        // σS of the spatial Gaussian, pixels
	cylSigmaD     = 2 * math.Pi / 9 // σD of the directional Gaussian
	cylBitLevel   = 0.01            // μΨ: a cell's bit is set at or above this sum
	cylHullOffset = 50.0            // Ω: cells up to this far outside the convex hull stay valid
	cylMinValid   = 0.75            // minVC: share of a disc's cells that must be valid
	cylMinNeigh   = 2               // minM: minutiae needed within R+3σS
	refResolution = 197.0           // pixels per cm (500 dpi) the pixel constants refer to
	maxMinutiae   = 255             // minutiae indexes are bytes in the comparer
	angleUnits    = 256             // directions are kept in units of 2π/256
	cellPitch     = 2 * cylRadius / cylCells
	cellsInDisc   = 52 // cell centres of an 8 x 8 grid within R of the middle
	neighRadius   = cylRadius + 3*cylSigmaS
	sigmaSReach   = 3 * cylSigmaS
	cylinderWords = 10
)

// cylinder is one minutia's descriptor: word 0 is the mask of valid cells
// (bit a*8+b for cell (a, b)), words 1..6 the direction layers, words 7..9
// the per-cell count of set layers as bit planes of weight 1, 2 and 4 (so
// the comparer gets a layer count under any mask from three popcounts).
type cylinder [cylinderWords]uint64

// Prepared is a finger view made ready for fast comparison: its cylinders
// and the pairwise geometry of the minutiae that own them. Build it once
// with [Prepare] and compare it any number of times with [Compare] or a
// [Comparer]. A Prepared is read-only and safe for concurrent use.
//
// It is derived from personal data: it prints as its sizes only.
type Prepared struct {
	cyl   []cylinder
	theta []uint8  // direction of each kept minutia, units of 2π/256, counter-clockwise
	dist  []uint16 // n*n distances between kept minutiae, quarter pixels
	dir   []uint8  // n*n direction of the vector from minutia i to j, units of 2π/256
	// first[v] is the index of the first cylinder whose direction is at
	// least v: cylinders are sorted by direction, so the comparer visits
	// only those within maxAngleDiff of a minutia without testing each.
	first    *[angleUnits + 1]uint8
	minutiae int // minutiae in the view, before dropping those without a valid cylinder
}

// Len returns the number of cylinders (minutiae with enough valid
// neighbourhood to describe), which is at most the view's minutiae count.
// A nil Prepared has none.
func (p *Prepared) Len() int {
	if p == nil {
		return 0
	}
	return len(p.cyl)
}

// String describes the prepared template by its sizes only.
func (p *Prepared) String() string {
	if p == nil {
		return "biometric.Prepared(nil)"
	}
	return fmt.Sprintf("biometric.Prepared{%d cylinders from %d minutiae, %d bytes}", len(p.cyl), p.minutiae, p.size())
}

// GoString masks %#v like String.
func (p *Prepared) GoString() string { return p.String() }

// Format masks every fmt verb, also on a Prepared value (not a pointer).
func (p Prepared) Format(f fmt.State, _ rune) { fmt.Fprint(f, p.String()) }

// LogValue gives slog the sizes only.
func (p *Prepared) LogValue() slog.Value {
	if p == nil {
		return slog.StringValue("biometric.Prepared(nil)")
	}
	return slog.GroupValue(slog.Int("cylinders", len(p.cyl)), slog.Int("minutiae", p.minutiae), slog.Int("bytes", p.size()))
}

func (p *Prepared) size() int {
	return len(p.cyl)*cylinderWords*8 + len(p.theta) + 2*len(p.dist) + len(p.dir) + angleUnits + 1
}

// Prepare builds the comparison form of the template's first finger view.
// Coordinates are rescaled to 197 pixels per cm from the template's ResX
// and ResY (0 means 197), so templates of different resolutions compare.
// A view without minutiae gives a Prepared that scores 0 against anything.
// It fails with [ErrNoViews] when the template has no view, [ErrTooMany]
// beyond 255 minutiae and [ErrField] for a non-finite angle.
func Prepare(t *Template) (*Prepared, error) {
	if t == nil || len(t.Views) == 0 {
		return nil, fmt.Errorf("biometric: prepare: %w", ErrNoViews)
	}
	return PrepareView(&t.Views[0], t.ResX, t.ResY)
}

// PrepareView builds the comparison form of one finger view whose
// coordinates are at resX by resY pixels per cm (0 means 197). See [Prepare].
func PrepareView(v *View, resX, resY int) (*Prepared, error) {
	if v == nil {
		return nil, fmt.Errorf("biometric: prepare: %w", ErrNoViews)
	}
	if len(v.Minutiae) > maxMinutiae {
		return nil, fmt.Errorf("biometric: prepare: %d minutiae, at most %d: %w", len(v.Minutiae), maxMinutiae, ErrTooMany)
	}
	sx, sy := 1.0, 1.0
	if resX > 0 {
		sx = refResolution / float64(resX)
	}
	if resY > 0 {
		sy = refResolution / float64(resY)
	}
	// Everything but the result lives in stack arrays sized for the
	// 255-minutia cap: Prepare makes four allocations (the Prepared and
	// its three arrays) whatever the template.
	n := len(v.Minutiae)
	var ptsBuf [maxMinutiae]point
	var thBuf [maxMinutiae]uint8
	pts, th := ptsBuf[:n], thBuf[:n]
	for i, m := range v.Minutiae {
		if math.IsNaN(m.Angle) || math.IsInf(m.Angle, 0) {
			return nil, fmt.Errorf("biometric: prepare: minutia %d angle: %w", i, ErrField)
		}
		// Y grows downward in the record; flip it so that angles, which
		// are counter-clockwise as seen on the image, are ordinary
		// mathematical angles in this frame.
		pts[i] = point{float64(m.X) * sx, -float64(m.Y) * sy}
		u := math.Mod(math.Round(m.Angle*angleUnits/(2*math.Pi)), angleUnits)
		if u < 0 {
			u += angleUnits
		}
		th[i] = uint8(int(u) & (angleUnits - 1))
	}
	var hullBuf [3 * maxMinutiae]point
	hull := convexHull(pts, hullBuf[:])
	var cylBuf [maxMinutiae]cylinder
	var keepBuf [maxMinutiae]uint8
	keep := keepBuf[:0]
	for i := range pts {
		c, ok := buildCylinder(pts, th, i, hull)
		if !ok {
			continue
		}
		cylBuf[len(keep)] = c
		keep = append(keep, uint8(i))
	}
	// Sort by direction (stable, so ties keep record order): order[to]
	// is the position in keep of the to-th cylinder.
	k := len(keep)
	var orderBuf [maxMinutiae]uint8
	order := orderBuf[:k]
	for i := range order {
		order[i] = uint8(i)
	}
	slices.SortStableFunc(order, func(x, y uint8) int { return int(th[keep[x]]) - int(th[keep[y]]) })
	p := newPrepared(k)
	p.minutiae = n
	var sortedBuf [maxMinutiae]uint8
	sortedKeep := sortedBuf[:k]
	for to, from := range order {
		sortedKeep[to] = keep[from]
		p.cyl[to] = cylBuf[from]
		p.theta[to] = th[keep[from]]
	}
	setFirst(p.first, p.theta)
	for a, i := range sortedKeep {
		for b, j := range sortedKeep {
			dx, dy := pts[j].x-pts[i].x, pts[j].y-pts[i].y
			p.dist[a*k+b] = uint16(min(math.Round(4*math.Hypot(dx, dy)), math.MaxUint16))
			p.dir[a*k+b] = uint8(int(math.Round(math.Atan2(dy, dx)*angleUnits/(2*math.Pi))) & (angleUnits - 1))
		}
	}
	return p, nil
}

// newPrepared allocates a Prepared of k cylinders in four allocations:
// the struct, the cylinders, the distances, and one byte array holding
// the directions, the pairwise directions and the first table.
func newPrepared(k int) *Prepared {
	b := make([]uint8, k+k*k+angleUnits+1)
	return &Prepared{
		cyl:   make([]cylinder, k),
		theta: b[:k:k],
		dir:   b[k : k+k*k : k+k*k],
		first: (*[angleUnits + 1]uint8)(b[k+k*k:]),
		dist:  make([]uint16, k*k),
	}
}

// setFirst fills first from the sorted directions theta: first[v] is the
// index of the first cylinder whose direction is at least v.
func setFirst(first *[angleUnits + 1]uint8, theta []uint8) {
	j := 0
	for v := range first {
		for j < len(theta) && int(theta[j]) < v {
			j++
		}
		first[v] = uint8(j)
	}
}

// buildCylinder computes minutia i's cylinder; ok is false when the
// cylinder is invalid (too few neighbours or valid cells), as in MCC.
func buildCylinder(pts []point, th []uint8, i int, hull []point) (c cylinder, ok bool) {
	m := pts[i]
	// Only minutiae within R+3σS of m can reach a cell of its cylinder.
	var nearBuf [maxMinutiae]uint8
	near := nearBuf[:0]
	for j, q := range pts {
		if j != i && (q.x-m.x)*(q.x-m.x)+(q.y-m.y)*(q.y-m.y) <= neighRadius*neighRadius {
			near = append(near, uint8(j))
		}
	}
	if len(near) < cylMinNeigh {
		return c, false
	}
	angle := float64(th[i]) * 2 * math.Pi / angleUnits
	cos, sin := math.Cos(angle), math.Sin(angle)
	norm := 1 / (cylSigmaS * math.Sqrt(2*math.Pi))
	valid := 0
	for a := range cylCells {
		for b := range cylCells {
			u := cellPitch * (float64(a) - (cylCells-1)/2.0)
			v := cellPitch * (float64(b) - (cylCells-1)/2.0)
			if math.Hypot(u, v) > cylRadius {
				continue
			}
			centre := point{m.x + cos*u - sin*v, m.y + sin*u + cos*v}
			if !nearHull(hull, centre, cylHullOffset) {
				continue
			}
			valid++
			bit := uint64(1) << (a*cylCells + b)
			c[0] |= bit
			var sum [cylDirs]float64
			for _, j := range near {
				q := pts[j]
				d2 := (q.x-centre.x)*(q.x-centre.x) + (q.y-centre.y)*(q.y-centre.y)
				if d2 > sigmaSReach*sigmaSReach {
					continue
				}
				cs := norm * math.Exp(-d2/(2*cylSigmaS*cylSigmaS))
				cd := &directionWeights[th[j]-th[i]]
				for k := range sum {
					sum[k] += cs * cd[k]
				}
			}
			for k, s := range sum {
				if s >= cylBitLevel {
					c[1+k] |= bit
				}
			}
		}
	}
	c[7], c[8], c[9] = fold6(c[1], c[2], c[3], c[4], c[5], c[6])
	return c, float64(valid) >= cylMinValid*cellsInDisc
}

// directionWeights[d][k] is the directional contribution C^D of a neighbour
// whose direction differs from the centre minutia's by d units of 2π/256
// to layer k: the integral of a Gaussian of deviation σD over the layer's
// angular extent (MCC eq. 7, through erf).
var directionWeights = func() (w [angleUnits][cylDirs]float64) {
	step := 2 * math.Pi / cylDirs
	for d := range w {
		diff := float64(d) * 2 * math.Pi / angleUnits
		for k := range cylDirs {
			centre := -math.Pi + (float64(k)+0.5)*step
			x := angleDiff(diff, centre)
			s := cylSigmaD * math.Sqrt2
			w[d][k] = 0.5 * (math.Erf((x+step/2)/s) - math.Erf((x-step/2)/s))
		}
	}
	return w
}()

// angleDiff returns a-b wrapped into [-π, π).
func angleDiff(a, b float64) float64 {
	d := math.Mod(a-b+math.Pi, 2*math.Pi)
	if d < 0 {
		d += 2 * math.Pi
	}
	return d - math.Pi
}

type point struct{ x, y float64 }

func cross(o, a, b point) float64 { return (a.x-o.x)*(b.y-o.y) - (a.y-o.y)*(b.x-o.x) }

// convexHull returns the hull of pts counter-clockwise (Andrew's monotone
// chain); fewer than three distinct points come back as they are. buf, of
// at least 3*len(pts) points, holds the sorted points and the hull.
func convexHull(pts []point, buf []point) []point {
	s := buf[:len(pts)]
	copy(s, pts)
	slices.SortFunc(s, func(p, q point) int {
		if p.x != q.x {
			if p.x < q.x {
				return -1
			}
			return 1
		}
		switch {
		case p.y < q.y:
			return -1
		case p.y > q.y:
			return 1
		}
		return 0
	})
	s = slices.Compact(s)
	if len(s) < 3 {
		return s
	}
	h := buf[len(pts) : len(pts) : 3*len(pts)]
	for _, p := range s {
		for len(h) >= 2 && cross(h[len(h)-2], h[len(h)-1], p) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	lower := len(h) + 1
	for i := len(s) - 2; i >= 0; i-- {
		p := s[i]
		for len(h) >= lower && cross(h[len(h)-2], h[len(h)-1], p) <= 0 {
			h = h[:len(h)-1]
		}
		h = append(h, p)
	}
	return h[:len(h)-1]
}

// nearHull reports whether p lies inside the hull or within offset of its
// boundary.
func nearHull(hull []point, p point, offset float64) bool {
	if len(hull) >= 3 {
		inside := true
		for i := range hull {
			if cross(hull[i], hull[(i+1)%len(hull)], p) < 0 {
				inside = false
				break
			}
		}
		if inside {
			return true
		}
	}
	for i := range hull {
		if segmentDist2(p, hull[i], hull[(i+1)%len(hull)]) <= offset*offset {
			return true
		}
	}
	return false
}

// segmentDist2 is the squared distance from p to the segment ab.
func segmentDist2(p, a, b point) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = max(0, min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l))
	}
	ex, ey := a.x+t*dx-p.x, a.y+t*dy-p.y
	return ex*ex + ey*ey
}
