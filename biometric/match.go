package biometric

import (
	"fmt"
	"math"
	"math/bits"
	"sync"
)

// Local similarity (MCC bit version, eq. 17) and the global score by local
// similarity sort with relaxation (LSS-R, section 5), with changes measured
// on the FVC2002 set B templates of testdata/fvc2002 (pooled EER):
//   - the nR pairs that enter the relaxation are picked greedily in
//     decreasing local similarity so that no minutia is used twice (3.95%
//     without, 3.21% with);
//   - nR is min(na, nb) as in MCC but at most 16, which bounds the
//     relaxation's cost (nR up to 64 measured 3.14%, up to 24 3.30%);
//   - the relaxation tolerates distortion: two distances are compatible
//     within MCC's 5 px plus a share of their mean (scoreParams.distTol),
//     as elastic skin stretches more between far-apart minutiae;
//   - the sort is a counting sort on the similarity's top byte;
//   - the score is fused with a geometric consolidation that tolerates
//     plastic distortion (see consolidation): (1-w)*S + w*M²/(na*nb), S
//     the LSS-R score, M the consistent pairs found, w
//     scoreParams.consWeight (2.68% without, 2.23% with; mean EER of the
//     left-out databases 2.25% and 2.13%, see the package doc).
const (
	cylMinMatchable = 31 // minME: 0.6 of the disc's 52 cells must be valid in both cylinders
	maxAngleDiff    = 64 // δθ = π/2 in units of 2π/256: more apart, the pair is not compared
	relaxRounds     = 5  // nrel
	relaxWeight     = 0.5
	minPairs        = 4  // minNP
	maxRelaxPairs   = 16 // nR is min(na, nb), at most this

	// Consolidation (see consolidation): the candidate pairs it considers,
	// the anchors it starts from, and its tolerances, distances in
	// quarter pixels plus a share of the mean distance in units of 2^-16
	// (of the sum), angles in units of 2π/256.
	consCandidates = 64
	consAnchors    = 2
	consLocalDist  = 4 * 4  // 4 px, to the nearest pair already accepted
	consLocalRel   = 1638   // + 5% of the mean distance (0.05/2 * 2^16)
	consLocalAngle = 11     // ≈ 15°
	consFarDist    = 10 * 4 // 10 px, to the anchor
	consFarRel     = 6554   // + 20% of the mean distance
	consFarAngle   = 22     // ≈ 31°
)

// scoreParams are the score's parameters that leave-one-database-out
// validation chooses among (scoreGrid), with what is derived from them.
type scoreParams struct {
	// distTol is the relaxation's distortion tolerance: distances dA and
	// dB are compared as |dA - dB| - distTol*(dA + dB)/2, clamped at 0.
	distTol float64
	// maxPairs is maxNP, the most relaxed pairs the score averages.
	maxPairs int
	// consWeight is w, the consolidation's share of the score; 0 skips
	// the consolidation.
	consWeight float64

	tolQ int // distTol/2 in units of 2^-16
	// pairsToAverage[m] is nP for a smaller template of m cylinders:
	// from minPairs to maxPairs, a sigmoid centred on 20 (MCC μP = 20,
	// τP = 2/5).
	pairsToAverage [maxMinutiae + 1]uint8
}

func newScoreParams(distTol float64, maxPairs int, consWeight float64) *scoreParams {
	p := &scoreParams{distTol: distTol, maxPairs: maxPairs, consWeight: consWeight, tolQ: int(math.Round(distTol / 2 * 65536))}
	for m := range p.pairsToAverage {
		z := sigmoid(float64(m), 20, 0.4)
		p.pairsToAverage[m] = uint8(minPairs + int(math.Round(z*float64(maxPairs-minPairs))))
	}
	return p
}

// String names the parameters as the evaluation reports them.
func (p *scoreParams) String() string {
	return fmt.Sprintf("distortion tolerance %.2f, nP at most %d, consolidation weight %.2f", p.distTol, p.maxPairs, p.consWeight)
}

// fuse combines the LSS-R score s with the consolidation term k.
func (p *scoreParams) fuse(s, k float64) float64 {
	return min(max((1-p.consWeight)*s+p.consWeight*k, 0), 1)
}

// defaultScore is what [Compare] uses: the grid's best pooled over the
// four FVC2002 databases (ties to the smaller consolidation weight), whose
// choice leave-one-database-out validation rates (see [Evaluate]).
var defaultScore = newScoreParams(0.08, 12, 0.2)

// scoreGrid is what leave-one-database-out validation chooses among: the
// distortion tolerance (none to 12%), nP's ceiling, which sets how the
// score normalises by template size, and the consolidation's weight (none
// to 0.3). defaultScore is one of them.
var scoreGrid = func() []*scoreParams {
	var g []*scoreParams
	for _, tol := range []float64{0, 0.04, 0.08, 0.12} {
		for _, np := range []int{10, 12, 14} {
			for _, w := range []float64{0, 0.1, 0.2, 0.3} {
				if tol == defaultScore.distTol && np == defaultScore.maxPairs && w == defaultScore.consWeight {
					g = append(g, defaultScore)
				} else {
					g = append(g, newScoreParams(tol, np, w))
				}
			}
		}
	}
	return g
}()

// Calibrated thresholds on [Compare] scores: a score at or above the
// threshold is a match. Measured with [Evaluate] on the 11,520 impostor
// pairs of the FVC2002 set B templates in testdata/fvc2002 (all four
// databases pooled) as the lowest score whose false match rate does not
// exceed the target. FMR 0.1% rests on the 11 highest impostor scores and
// FMR 0.01% on the single highest: treat them as estimates. The package
// documentation gives the protocol and the rates, in-sample and left out.
const (
	ThresholdFMR100   = 0.02948 // false match rate 1%
	ThresholdFMR1000  = 0.04402 // false match rate 0.1%
	ThresholdFMR10000 = 0.06287 // false match rate 0.01%
)

// Comparer compares prepared templates, reusing its scratch memory so that
// a comparison does not allocate once the buffers have grown (about 8 µs
// per comparison of the FVC2002 templates on one core of the development
// machine, BenchmarkCompare). The zero
// value is ready to use. A Comparer is not safe for concurrent use: give
// each goroutine its own, or call [Compare].
type Comparer struct {
	cand    []uint32 // candidate pairs: 16-bit similarity, 8-bit index in a, 8-bit in b
	sorted  []uint32
	count   [257]int32
	pa, pb  []uint8   // selected pairs
	lam     []float32 // their local similarities
	cur     [maxRelaxPairs]float32
	next    [maxRelaxPairs]float32
	rho     [maxRelaxPairs * maxRelaxPairs]float32 // pairwise compatibility ρ
	usedA   [maxMinutiae + 1]bool
	usedB   [maxMinutiae + 1]bool
	touch   uint16            // keeps localPairs' cache-warming loads
	anchors [consAnchors]int8 // relax's best pairs, -1 for none
	params  *scoreParams      // nil means defaultScore
}

var comparers = sync.Pool{New: func() any { return new(Comparer) }}

// Compare returns the similarity of two prepared templates, in [0, 1]:
// 0 when nothing corresponds, near 1 for the same impression. Compare it
// with the Threshold constants. It is safe for concurrent use.
func Compare(a, b *Prepared) float64 {
	c := comparers.Get().(*Comparer)
	s := c.Compare(a, b)
	comparers.Put(c)
	return s
}

// Compare returns the similarity of a and b in [0, 1]; see [Compare].
// The score is symmetric up to the order of equal local similarities and
// the consolidation's nearest pairs, which it measures in a.
func (c *Comparer) Compare(a, b *Prepared) float64 {
	if a == nil || b == nil || len(a.cyl) == 0 || len(b.cyl) == 0 {
		return 0
	}
	n := c.localPairs(a, b)
	if n == 0 {
		return 0
	}
	p := c.params
	if p == nil {
		p = defaultScore
	}
	s := c.relax(a, b, n, p)
	if p.consWeight == 0 {
		return s
	}
	return p.fuse(s, c.consolidation(a, b, n))
}

// parts returns the two terms that [scoreParams.fuse] combines, the LSS-R
// score and the consolidation term, for the parameters' tolerance and nP
// (their consWeight is ignored), so that an evaluation can score every
// weight from one comparison.
func (c *Comparer) parts(a, b *Prepared, p *scoreParams) (s, k float64) {
	if a == nil || b == nil || len(a.cyl) == 0 || len(b.cyl) == 0 {
		return 0, 0
	}
	n := c.localPairs(a, b)
	if n == 0 {
		return 0, 0
	}
	return c.relax(a, b, n, p), c.consolidation(a, b, n)
}

// localPairs scores every pair of cylinders whose minutiae directions are
// within δθ, keeps those with a positive similarity, and selects up to
// nR = min(na, nb, 16) of them greedily in decreasing similarity with no
// minutia used twice. It returns how many it selected.
func (c *Comparer) localPairs(a, b *Prepared) int {
	na, nb := len(a.cyl), len(b.cyl)
	if cap(c.cand) < na*nb {
		c.cand = make([]uint32, 0, na*nb)
	}
	cand := c.cand[:0]
	var touch uint16
	for i := range a.cyl {
		ca := &a.cyl[i]
		// Load row i of both templates' pairwise geometry now, while
		// the popcounts keep the core busy: relax reads some of those
		// rows, and by then they are in the cache.
		touch ^= touchRow(a, i)
		if i < nb {
			touch ^= touchRow(b, i)
		}
		// The cylinders of b within maxAngleDiff of a's direction: one
		// range, or two when the window wraps around 0.
		lo := int(a.theta[i]) - maxAngleDiff
		hi := int(a.theta[i]) + maxAngleDiff + 1 // exclusive
		if lo >= 0 && hi <= angleUnits {
			cand = c.scoreRange(cand, ca, i, b, int(b.first[lo]), int(b.first[hi]))
		} else {
			lo &= angleUnits - 1
			hi &= angleUnits - 1
			cand = c.scoreRange(cand, ca, i, b, int(b.first[lo]), nb)
			cand = c.scoreRange(cand, ca, i, b, 0, int(b.first[hi]))
		}
	}
	for i := na; i < nb; i++ {
		touch ^= touchRow(b, i)
	}
	c.cand = cand
	c.touch = touch
	if len(cand) == 0 {
		return 0
	}
	// Counting sort on the top byte, highest first.
	c.count = [257]int32{}
	for _, v := range cand {
		c.count[255-(v>>24)+1]++
	}
	var start int32 // running in a register, not through the array
	for i := range c.count {
		start += c.count[i]
		c.count[i] = start
	}
	if cap(c.sorted) < len(cand) {
		c.sorted = make([]uint32, len(cand), cap(cand))
	}
	sorted := c.sorted[:len(cand)]
	for _, v := range cand {
		k := 255 - (v >> 24)
		sorted[c.count[k]] = v
		c.count[k]++
	}
	clear(c.usedA[:na])
	clear(c.usedB[:nb])
	want := min(na, nb, maxRelaxPairs)
	pa, pb, lam := c.pa[:0], c.pb[:0], c.lam[:0]
	for _, v := range sorted {
		i, j := uint8(v>>8), uint8(v)
		if c.usedA[i] || c.usedB[j] {
			continue
		}
		c.usedA[i], c.usedB[j] = true, true
		pa = append(pa, i)
		pb = append(pb, j)
		lam = append(lam, float32(v>>16)/65535)
		if len(pa) == want {
			break
		}
	}
	c.pa, c.pb, c.lam = pa, pb, lam
	return len(pa)
}

// touchRow loads row i of p's distances and directions at its start,
// middle and end, which reaches every cache line of rows up to 64
// minutiae long, and returns a value that keeps the loads from being
// dropped.
func touchRow(p *Prepared, i int) uint16 {
	n := len(p.cyl)
	dist := p.dist[i*n : i*n+n]
	dir := p.dir[i*n : i*n+n]
	return dist[0] ^ dist[n/2] ^ dist[n-1] ^ uint16(dir[0]) ^ uint16(dir[n-1])
}

// scoreRange appends to cand the positive local similarities between
// cylinder ca (index i of a) and b's cylinders from j0 to j1.
func (c *Comparer) scoreRange(cand []uint32, ca *cylinder, i int, b *Prepared, j0, j1 int) []uint32 {
	// Branch-free body: every pair is scored and written, and the length
	// only advances for a usable one; mispredicted branches cost more
	// than the popcounts they would skip.
	n := len(cand)
	cand = cand[:cap(cand)]
	if n+j1-j0 > len(cand) {
		return cand[:n] // cannot happen: Compare sized cand for na*nb
	}
	ca0 := ca[0]
	iv := uint32(i) << 8
	cyl := b.cyl[j0:j1]
	for k := range cyl {
		cb := &cyl[k]
		m := ca0 & cb[0]
		// Set bits of a's layers within m, of b's, and of a XOR b. The
		// first two come from the precomputed weight planes (carry-save
		// sums commute with the mask). The third is sa + sb - 2 common,
		// and common needs no mask: layer bits lie in their own valid
		// cells, so a bit set in both layers lies in m.
		sa := bits.OnesCount64(ca[7]&m) + 2*bits.OnesCount64(ca[8]&m) + 4*bits.OnesCount64(ca[9]&m)
		sb := bits.OnesCount64(cb[7]&m) + 2*bits.OnesCount64(cb[8]&m) + 4*bits.OnesCount64(cb[9]&m)
		c1, c2, c4 := fold6(ca[1]&cb[1], ca[2]&cb[2], ca[3]&cb[3], ca[4]&cb[4], ca[5]&cb[5], ca[6]&cb[6])
		x := sa + sb - 2*(bits.OnesCount64(c1)+2*bits.OnesCount64(c2)+4*bits.OnesCount64(c4))
		// 1 - √x / (√sa + √sb), scaled to 16 bits. The popcounts are at
		// most 384, so the masks only spare the bounds checks. den is 0
		// only when sa = sb = 0 (otherwise it is at least 1), and then
		// the quotient is NaN but the pair is not kept.
		den := sqrtTable[sa&sqrtMask] + sqrtTable[sb&sqrtMask]
		l := 1 - sqrtTable[x&sqrtMask]/den
		cand[n] = uint32(l*65535)<<16 | iv | uint32(j0+k)
		if bits.OnesCount64(m) >= cylMinMatchable && l >= 1.0/65535 && sa+sb > 0 {
			n++
		}
	}
	return cand[:n]
}

// relax runs the LSS-R relaxation on the n selected pairs: each pair's
// similarity is pulled towards the similarities of the pairs geometrically
// compatible with it (distance, direction difference and radial angle
// agree), then the average of the nP relaxed similarities with the best
// efficiency (relaxed / initial) is the score.
func (c *Comparer) relax(a, b *Prepared, n int, p *scoreParams) float64 {
	na, nb := len(a.cyl), len(b.cyl)
	// ρ is symmetric: compute the upper triangle and mirror it. Every
	// term is branch-free: differences beyond the tables' reach are
	// clamped onto their last entry, which is 0. Rows have a fixed stride
	// of maxRelaxPairs and are zero beyond n, as are cur and next, so the
	// relaxation runs on fixed-size rows.
	const stride = maxRelaxPairs
	tolQ := p.tolQ
	rho := &c.rho
	clear(rho[:])
	pa, pb := c.pa[:n], c.pb[:n]
	// The pairs' directions, gathered once.
	var thA, thB [maxRelaxPairs]uint8
	for k := range n {
		thA[k], thB[k] = a.theta[pa[k]], b.theta[pb[k]]
	}
	for t := range n {
		at, bt := int(pa[t]), int(pb[t])
		rowA := a.dist[at*na : at*na+na]
		rowB := b.dist[bt*nb : bt*nb+nb]
		dirA := a.dir[at*na : at*na+na]
		dirB := b.dir[bt*nb : bt*nb+nb]
		ta, tb := thA[t], thB[t]
		for k := t + 1; k < n; k++ {
			ak, bk := int(pa[k]), int(pb[k])
			// |d1| less the distortion tolerance, clamped to 0 and to
			// the table, with masks: the compiler branches on min and
			// max of ints, and the sign of d1 and whether it is in
			// reach are unpredictable.
			dA, dB := int(rowA[ak]), int(rowB[bk])
			d1 := dA - dB
			d1 = (d1 ^ d1>>63) - d1>>63
			d1 -= (dA + dB) * tolQ >> 16
			d1 &^= d1 >> 63
			d1 -= len(distCompat) - 1
			d1 = len(distCompat) - 1 + d1&(d1>>63)
			d2 := (ta - thA[k]) - (tb - thB[k])
			d3 := (dirA[ak] - ta) - (dirB[bk] - tb)
			r := distCompat[d1] * angleCompat[d2] * angleCompat[d3]
			rho[t*stride+k] = r
			rho[k*stride+t] = r
		}
	}
	cur, next := &c.cur, &c.next
	clear(cur[:])
	clear(next[:])
	copy(cur[:], c.lam[:n])
	div := float32(1)
	if n > 1 {
		div = float32(n - 1)
	}
	for range relaxRounds {
		for t := range n {
			row := (*[stride]float32)(rho[t*stride:])
			// Four accumulators break the chain of dependent additions.
			var s0, s1, s2, s3 float32
			for k := 0; k < stride; k += 4 {
				s0 += row[k] * cur[k]
				s1 += row[k+1] * cur[k+1]
				s2 += row[k+2] * cur[k+2]
				s3 += row[k+3] * cur[k+3]
			}
			next[t] = relaxWeight*cur[t] + (1-relaxWeight)*((s0+s1)+(s2+s3))/div
		}
		cur, next = next, cur
	}
	// The consolidation's anchors: the two pairs of highest relaxed
	// similarity, lowest index first on ties.
	a0, a1 := 0, -1
	for t := 1; t < n; t++ {
		switch {
		case cur[t] > cur[a0]:
			a0, a1 = t, a0
		case a1 < 0 || cur[t] > cur[a1]:
			a1 = t
		}
	}
	c.anchors = [consAnchors]int8{int8(a0), int8(a1)}
	// Average the np relaxed similarities of best efficiency (relaxed /
	// initial; initial ones are at least 1/65535), highest first and, on
	// equal efficiencies, lowest index first. Efficiencies are positive
	// or +0, so their bits order like them; with the complemented index
	// below, every key is distinct and a pair's rank is the number of
	// greater keys, counted without branches.
	np := min(int(p.pairsToAverage[min(na, nb)]), n)
	var key [maxRelaxPairs]uint64
	for t, l := range c.lam[:n] {
		key[t] = uint64(math.Float32bits(cur[t]/l))<<8 | uint64(255-t)
	}
	var order [maxRelaxPairs]uint8
	for t, kt := range key[:n] {
		r := 0
		for _, ku := range key[:n] {
			if ku > kt {
				r++
			}
		}
		order[r] = uint8(t)
	}
	var sum float64
	for _, t := range order[:np] {
		sum += float64(cur[t])
	}
	return min(max(sum/float64(np), 0), 1)
}

// consolidation returns the consolidation term M²/(na*nb) after relax:
// M is the largest set of candidate pairs (among the consCandidates of
// highest local similarity, one-to-one) that one anchor's frame explains,
// anchor included.
//
// Plastic distortion bends the skin smoothly: a rigid frame fits near its
// anchor and drifts away from it, while neighbouring minutiae keep their
// relative geometry (the local rigidity of Cappelli, Maio and Maltoni's
// distortion model, IEEE TPAMI 23(12), 2001). So a pair joins the set when
// its distance, radial angle and relative direction agree, as seen from
// the nearest pair already in the set, within tight tolerances
// (consLocal*), and, as seen from the anchor, within loose ones
// (consFar*) that bound the drift. Candidates are visited in decreasing
// local similarity, and those that pass the loose test but have no near
// support yet are visited once more after the first sweep.
func (c *Comparer) consolidation(a, b *Prepared, n int) float64 {
	na, nb := len(a.cyl), len(b.cyl)
	cands := c.sorted[:min(len(c.cand), consCandidates)]
	best := 0
	for _, t := range c.anchors {
		if t < 0 || int(t) >= n {
			continue
		}
		at, bt := int(c.pa[t]), int(c.pb[t])
		far := farConsistent(a, b, at, bt, cands)
		clear(c.usedA[:na])
		clear(c.usedB[:nb])
		c.usedA[at], c.usedB[bt] = true, true
		var setA, setB [consCandidates + 1]uint8
		setA[0], setB[0] = uint8(at), uint8(bt)
		m := 1
		var pending uint64 // candidates waiting for near support
		for ; far != 0; far &= far - 1 {
			k := bits.TrailingZeros64(far)
			i, j := int(uint8(cands[k]>>8)), int(uint8(cands[k]))
			if c.usedA[i] || c.usedB[j] {
				continue
			}
			if !nearSupport(a, b, setA[:m], setB[:m], i, j) {
				pending |= 1 << k
				continue
			}
			c.usedA[i], c.usedB[j] = true, true
			setA[m], setB[m] = uint8(i), uint8(j)
			m++
		}
		for ; pending != 0; pending &= pending - 1 {
			v := cands[bits.TrailingZeros64(pending)]
			i, j := int(uint8(v>>8)), int(uint8(v))
			if c.usedA[i] || c.usedB[j] || !nearSupport(a, b, setA[:m], setB[:m], i, j) {
				continue
			}
			c.usedA[i], c.usedB[j] = true, true
			setA[m], setB[m] = uint8(i), uint8(j)
			m++
		}
		best = max(best, m)
	}
	return float64(best*best) / float64(na*nb)
}

// farConsistent returns the set of cands (bit k for cands[k]) consistent
// with the anchor pair (at, bt) within the loose tolerances (consFar*).
// Branch-free, as in scoreRange: most candidates of an impostor pair fail,
// unpredictably.
func farConsistent(a, b *Prepared, at, bt int, cands []uint32) (far uint64) {
	na, nb := len(a.cyl), len(b.cyl)
	distA, dirA := a.dist[at*na:at*na+na], a.dir[at*na:at*na+na]
	distB, dirB := b.dist[bt*nb:bt*nb+nb], b.dir[bt*nb:bt*nb+nb]
	dt := a.theta[at] - b.theta[bt]
	for k, v := range cands {
		i, j := uint8(v>>8), uint8(v)
		dA, dB := int(distA[i]), int(distB[j])
		d := dA - dB
		d = (d ^ d>>63) - d>>63
		radial := int(int8(dirA[i] - dirB[j] - dt))
		radial = (radial ^ radial>>63) - radial>>63
		turn := int(int8(a.theta[i] - b.theta[j] - dt))
		turn = (turn ^ turn>>63) - turn>>63
		fail := (consFarDist + (dA+dB)*consFarRel>>16 - d) | (consFarAngle - radial) | (consFarAngle - turn)
		far |= uint64(^fail>>63&1) << k
	}
	return far
}

// nearSupport reports whether pair (i, j) is consistent, within the local
// tolerances, with the pair of the set whose minutia in a is nearest to i.
func nearSupport(a, b *Prepared, setA, setB []uint8, i, j int) bool {
	na := len(a.cyl)
	row := a.dist[i*na : i*na+na] // distances are symmetric
	// The minimum of distance<<8 | position, without branches: which
	// pair is nearest is unpredictable. Sets hold at most 65 pairs.
	nearest := math.MaxInt
	for x, p := range setA {
		k := int(row[p])<<8 | x
		d := k - nearest
		nearest += d & (d >> 63)
	}
	near := nearest & 0xff
	return consistent(a, b, int(setA[near]), int(setB[near]), i, j, consLocalDist, consLocalRel, consLocalAngle)
}

// consistent reports whether pair (i, j) agrees with pair (p, q) as seen
// from p in a and q in b: distance within dist quarter pixels plus rel/2^16
// of the distances' sum, radial angle and relative direction within angle.
func consistent(a, b *Prepared, p, q, i, j, dist, rel, angle int) bool {
	na, nb := len(a.cyl), len(b.cyl)
	dA, dB := int(a.dist[p*na+i]), int(b.dist[q*nb+j])
	if abs(dA-dB) > dist+(dA+dB)*rel>>16 {
		return false
	}
	tp, tq := a.theta[p], b.theta[q]
	radial := int8((a.dir[p*na+i] - tp) - (b.dir[q*nb+j] - tq))
	turn := int8((a.theta[i] - tp) - (b.theta[j] - tq))
	return abs(int(radial)) <= angle && abs(int(turn)) <= angle
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// sqrtTable[i] is √i for the popcounts of a cylinder (at most 6 x 64
// bits), in a power-of-two table indexed under sqrtMask.
const sqrtMask = 511

var sqrtTable = func() (t [sqrtMask + 1]float32) {
	for i := range t {
		t[i] = float32(math.Sqrt(float64(i)))
	}
	return t
}()

// distCompat[d] is the relaxation's distance term Z(d, μ=5, τ=-8/5) of
// MCC for a difference of d quarter pixels. It is below 1e-6 at 14 px; the
// last entry, where larger differences are clamped, is 0.
var distCompat = func() (t [4*14 + 1]float32) {
	for i := range len(t) - 1 {
		t[i] = float32(sigmoid(float64(i)/4, 5, -8.0/5))
	}
	return t
}()

// angleCompat[d] is the relaxation's angle term Z(|d|, μ=π/12, τ=-30) for a
// difference of d units of 2π/256 (a wrapped signed byte).
var angleCompat = func() (t [angleUnits]float32) {
	for i := range t {
		d := math.Abs(float64(int8(uint8(i)))) * 2 * math.Pi / angleUnits
		t[i] = float32(sigmoid(d, math.Pi/12, -30))
	}
	return t
}()

func sigmoid(v, mu, tau float64) float64 { return 1 / (1 + math.Exp(-tau*(v-mu))) }

// fold6 adds six words bitwise with carry-save adders (the Harley-Seal
// method): popcount(w1)+...+popcount(w6) = popcount(ones) +
// 2*popcount(twos) + 4*popcount(fours). bits.OnesCount64 is POPCNT behind a
// CPU feature test under the default GOAMD64=v1, and the test's slow-path
// call makes the compiler keep loop sums in memory, so fewer calls pay.
func fold6(w1, w2, w3, w4, w5, w6 uint64) (ones, twos, fours uint64) {
	s1, c1 := w1^w2^w3, (w1&w2)|(w3&(w1^w2))
	s2, c2 := w4^w5^w6, (w4&w5)|(w6&(w4^w5))
	ones, c3 := s1^s2, s1&s2
	return ones, c1 ^ c2 ^ c3, (c1 & c2) | (c3 & (c1 ^ c2))
}
