package biometric

import (
	"math"
	"math/bits"
)

// The screening stage of [Gallery.SearchIndexed] sits between the index's
// vote and the exact comparison. It scores the entries the index ranks
// best with one 64-bit code per cylinder: for each probe cylinder, the
// Hamming distance to the closest of the entry's codes whose direction is
// within 45 degrees of its own; the score is the mean similarity of the
// nP closest (nP as the matcher's: MCC's local similarity sort, over
// codes and best matches instead of cylinder pairs). That score and the
// index's, each standardised over the screened entries, are added (the
// index's at half weight), and the best of the sum go to the exact
// comparison. A code pair takes one XOR and one popcount where a cylinder
// pair takes twelve popcounts, so screening an entry costs about a tenth
// of comparing it exactly.
//
// Measured on the 1,000,000-entry benchmark gallery (BenchmarkIndexedSearch,
// 129 probes whose mate the exact search ranks in its top 10), comparing
// 0.1% exactly: the index's best 0.1% held 92.2% of those mates; screening
// the index's best 1%, 1.5% and 2% first, 98.4%, 98.4% and 99.2%. On the
// 100,000-entry gallery, of 133 such mates the index put 95.5% in its
// best 0.2%; screening its best 2% by the codes alone, 96.2-98.5%, and
// fused with the index's score, 97.7-98.5% (two stop settings). A window
// of 22.5 degrees lost 1.5% of the mates at 1,000,000 entries, 34 and 45
// degrees none.
//
// A code holds, in its low screenBits bits, one bit of each of the first
// screenBits MinHash orders of the index (the lowest bit of the cylinder's
// minimum rank: b-bit minwise hashing, P. Li and A. C. König, "b-Bit
// Minwise Hashing", WWW 2010): two cylinders' bits agree with probability
// (1 + J)/2 for a Jaccard similarity J of their set bits, so the number of
// differing bits estimates 1 - J. The top 8 bits hold the minutia's
// direction. 128-bit codes ranked the mates no better than 56 bits on the
// 100,000-entry gallery.
const (
	screenBits = 56
	screenMask = 1<<screenBits - 1
	// screenIndexWeight weighs the index's score, standardised over the
	// screened entries, against the screening score's in the fused rank.
	screenIndexWeight = 0.5
)

// screenCode returns a cylinder's code from its MinHash minimum ranks m
// (math.MaxUint16 for a cylinder setting no bit) and its direction.
func screenCode(m *[lshHashes]uint16, theta uint8) uint64 {
	var c uint64
	for h := range screenBits {
		c |= uint64(m[h]&1) << h
	}
	return c | uint64(theta)<<screenBits
}

// screenBins is the number of direction bins of the window lookup in
// screenProbe.score, and screenWindow the half width of its direction window,
// in units of 2π/256.
const (
	screenBins   = 32
	screenWindow = 32
)

// screenProbe is a probe's codes arranged for score: for each
// direction bin, the probe codes whose direction window covers it.
type screenProbe struct {
	n    int                    // probe codes
	at   [screenBins + 1]uint16 // bin b's codes are code[at[b]:at[b+1]]
	code []uint64               // per bin, the codes covering it
	who  []uint8                // and their index among the probe's codes
	best [maxMinutiae + 1]uint8 // per probe code: the closest distance so far
	hist [screenBits + 1]uint8  // probe codes per closest distance
}

// screenBin is the direction bin of a code.
func screenBin(c uint64) int { return int(c >> (screenBits + 8 - 5)) }

// set arranges the probe's codes pc (at most maxMinutiae+1 of them).
func (sp *screenProbe) set(pc []uint64) {
	sp.n = len(pc)
	sp.code, sp.who = sp.code[:0], sp.who[:0]
	for b := range screenBins {
		sp.at[b] = uint16(len(sp.code))
		for i, a := range pc {
			// Bin b is in the window of a's direction ta when its
			// distance to ta's bin, circularly, is within the window
			// rounded out to whole bins.
			ta := int(a >> screenBits)
			lo := (ta - screenWindow) >> (8 - 5) // floor, also below 0
			hi := (ta + screenWindow) >> (8 - 5)
			if (b-lo)&(screenBins-1) <= hi-lo {
				sp.code = append(sp.code, a)
				sp.who = append(sp.who, uint8(i))
			}
		}
	}
	sp.at[screenBins] = uint16(len(sp.code))
}

// score is the local similarity sort over codes: for each probe code,
// the Hamming distance to the closest entry code (ec) whose direction is
// within screenWindow of its own, rounded out to whole direction bins;
// then the sum of screenBits minus the np smallest of those distances.
// The entry's codes are sorted by direction, as cylinders are. Entry codes
// drive the loop: the probe codes to compare with each are the fixed list
// of its bin, which a branch predictor learns over a search.
func (sp *screenProbe) score(ec []uint64, np int) int {
	best := &sp.best
	for i := range sp.n {
		best[i] = screenBits
	}
	for _, c := range ec {
		b := screenBin(c)
		lo, hi := sp.at[b], sp.at[b+1]
		codes, who := sp.code[lo:hi], sp.who[lo:hi]
		who = who[:len(codes)]
		for k, a := range codes {
			// best[w] = min(best[w], d), without a branch: the
			// comparison is a coin toss, and mispredicted it cost
			// two thirds of the time.
			d := bits.OnesCount64((a ^ c) & screenMask)
			w := who[k]
			diff := d - int(best[w])
			best[w] = uint8(d - diff&^(diff>>63))
		}
	}
	hist := &sp.hist
	clear(hist[:])
	for _, d := range best[:sp.n] {
		hist[d]++
	}
	sum := 0
	for d := 0; d <= screenBits && np > 0; d++ {
		t := min(np, int(hist[d]))
		sum += t * (screenBits - d)
		np -= t
	}
	return sum
}

// standardise returns the mean and the reciprocal of the standard
// deviation of v (1 when v does not vary).
func standardise(v []float32) (mean, inv float64) {
	if len(v) == 0 {
		return 0, 1
	}
	var s, s2 float64
	for _, x := range v {
		s += float64(x)
	}
	mean = s / float64(len(v))
	for _, x := range v {
		d := float64(x) - mean
		s2 += d * d
	}
	if sd := math.Sqrt(s2 / float64(len(v))); sd > 0 {
		return mean, 1 / sd
	}
	return mean, 1
}
