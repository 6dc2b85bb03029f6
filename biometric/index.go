package biometric

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
)

// The candidate stage of [Gallery.SearchIndexed] follows MCC indexing
// (R. Cappelli, M. Ferrara, D. Maltoni, "Fingerprint Indexing Based on
// Minutia Cylinder-Code", IEEE TPAMI 33(5), 2011): locality-sensitive
// hashing of the cylinders' bit vectors by bit sampling. Each of
// lshTables hash functions reads lshBits fixed bits of a cylinder's
// direction layers and makes them a bucket number; similar cylinders share
// a bucket in many tables. A gallery entry's score is the number of
// (table, bucket) pairs it shares with the probe, and the entries with
// the highest scores go to the exact comparison. Differences from the
// paper, measured on the FVC2002 set B with synthetic distractors (see
// EvaluateIndex): bits are sampled only from cells whose centres lie
// within lshReach of the minutia, which are valid in nearly every
// cylinder (a bit of an invalid cell is 0 whatever the finger); an entry
// counts once per bucket however many of its cylinders fall in it; and
// buckets holding more than 1/lshStopShare of the gallery are skipped at
// search time, like stop words, as they say little.
const (
	lshTables     = 24
	lshBits       = 28
	lshReach      = 0.75 * cylRadius
	lshStopShare  = 8
	minBucketBits = 4
	maxBucketBits = 22
	lshSeed       = 0x4d4343 // fixed: the gallery file depends on the positions
)

// DefaultPenetration is the share of the gallery [Gallery.SearchIndexed]
// compares exactly when [IndexOptions.Penetration] is 0.
const DefaultPenetration = 0.01

// ErrNotIndexed means [Gallery.SearchIndexed] was called before
// [Gallery.BuildIndex].
var ErrNotIndexed = errors.New("biometric: gallery has no index")

// lshPositions[t] are the bits hash function t reads: bit b is cell b%64
// of direction layer b/64 (cylinder word 1+b/64).
var lshPositions = func() (p [lshTables][lshBits]uint16) {
	var pool []uint16
	for a := range cylCells {
		for b := range cylCells {
			u := cellPitch * (float64(a) - (cylCells-1)/2.0)
			v := cellPitch * (float64(b) - (cylCells-1)/2.0)
			if u*u+v*v > lshReach*lshReach {
				continue
			}
			for k := range cylDirs {
				pool = append(pool, uint16(k*64+a*cylCells+b))
			}
		}
	}
	r := rand.New(rand.NewPCG(lshSeed, lshSeed))
	for t := range p {
		r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
		copy(p[t][:], pool)
	}
	return p
}()

// cylKeys computes a cylinder's bucket in every table: the sampled bits,
// hashed onto bucketBits bits (Fibonacci hashing).
func cylKeys(c *cylinder, bucketBits int, keys *[lshTables]uint32) {
	for t := range lshTables {
		var k uint64
		for j, b := range lshPositions[t] {
			k |= (c[1+b/64] >> (b % 64) & 1) << j
		}
		keys[t] = uint32((k * 0x9e3779b97f4a7c15) >> (64 - bucketBits))
	}
}

// templateKeys fills keys[t] with the distinct buckets of p's cylinders in
// table t, sorted; buf must hold lshTables*len(p.cyl) values.
func templateKeys(p *Prepared, bucketBits int, buf []uint32) (keys [lshTables][]uint32) {
	n := len(p.cyl)
	for t := range keys {
		keys[t] = buf[t*n : t*n : t*n+n]
	}
	var ck [lshTables]uint32
	for i := range p.cyl {
		cylKeys(&p.cyl[i], bucketBits, &ck)
		for t, k := range ck {
			keys[t] = append(keys[t], k)
		}
	}
	for t := range keys {
		slices.Sort(keys[t])
		keys[t] = slices.Compact(keys[t])
	}
	return keys
}

// bucketBits sizes the tables for a gallery of cyls cylinders: about
// two per bucket, between 2^4 and 2^22 buckets. The sampled bits are
// more (lshBits): they are hashed down, and unrelated cylinders sharing a
// bucket by hashing add noise that the bucket size keeps low.
func bucketBits(cyls int) int {
	b := minBucketBits
	for b < maxBucketBits && 2<<b < cyls {
		b++
	}
	return b
}

// scoreWeight[n] scales an entry's bucket count by 1/√n for n cylinders,
// so that the largest possible score (lshTables buckets per cylinder,
// 24√255 ≈ 383) fits 16 bits. The square root was measured on the
// FVC2002 protocol at 2% penetration: top-10 hit rate 82.6% with raw
// counts, 86.4% with √n, 85.5% with n.
var scoreWeight = func() (w [maxMinutiae + 1]float32) {
	for n := range w {
		w[n] = float32(math.MaxUint16 / (lshTables * math.Sqrt(maxMinutiae)) / math.Sqrt(float64(max(n, 1))))
	}
	return w
}()

// lshIndex maps every table's buckets to the entries having a cylinder in
// them: table t's bucket b lists post[t][start[t][b]:start[t][b+1]], in
// entry order. It covers entries [0, n).
type lshIndex struct {
	n     int
	bits  int                 // 1<<bits buckets per table
	start [lshTables][]uint32 // 1<<bits + 1 offsets per table
	post  [lshTables][]uint32
	pool  sync.Pool // *indexScratch
}

// indexScratch is one search's candidate-stage memory.
type indexScratch struct {
	count   []uint16
	hist    []uint32 // 1<<16 score bins
	touched []uint32
	cand    []uint32
	keys    []uint32
}

// IndexOptions tunes [Gallery.SearchIndexed]; the zero value is ready to use.
type IndexOptions struct {
	// Penetration is the share of the gallery compared exactly, in
	// (0, 1]: lower is faster and may miss more mates. 0 means
	// DefaultPenetration. At least k entries are compared.
	Penetration float64
}

// BuildIndex (re)builds the candidate-stage index over every entry, in
// two passes over the gallery's cylinders; it honours the context between
// entries. Entries added later are compared exactly by
// [Gallery.SearchIndexed] until the next BuildIndex; removed entries stay
// in the index and are skipped. The index lives on the Go heap, also for
// a memory-mapped gallery. It fails with [ErrGalleryClosed] after
// [Gallery.Close].
func (g *Gallery) BuildIndex(ctx context.Context) error {
	if g.closed {
		return ErrGalleryClosed
	}
	ix := &lshIndex{n: len(g.ents), bits: bucketBits(g.cylinders())}
	for t := range ix.start {
		ix.start[t] = make([]uint32, 1<<ix.bits+1)
	}
	buf := make([]uint32, lshTables*maxMinutiae)
	var p Prepared
	// Pass 1 counts each bucket's entries, pass 2 places them.
	for pass := range 2 {
		if pass == 1 {
			for t := range ix.start {
				s := ix.start[t]
				var sum uint32
				for b := range s {
					sum, s[b] = sum+s[b], sum
				}
				ix.post[t] = make([]uint32, sum)
			}
		}
		for i := range ix.n {
			if i%1024 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			g.view(i, &p)
			for t, ks := range templateKeys(&p, ix.bits, buf) {
				s := ix.start[t]
				for _, k := range ks {
					if pass == 0 {
						s[k]++
					} else {
						ix.post[t][s[k]] = uint32(i)
						s[k]++
					}
				}
			}
		}
	}
	// Pass 2 advanced each start to the next bucket's: shift back.
	for t := range ix.start {
		s := ix.start[t]
		copy(s[1:], s[:len(s)-1])
		s[0] = 0
	}
	g.index = ix
	return nil
}

// SearchIndexed returns the k best candidates like [Gallery.Search], from
// a fraction of the gallery: the index ranks the entries by the buckets
// they share with the probe, and the best opts.Penetration of them (and
// every entry added since [Gallery.BuildIndex]) are compared exactly.
// compared is how many were. A mate the index ranks too low is missed:
// this is the trade of speed against the exact search's hit rate, which
// EvaluateIndex measures. It fails with [ErrNotIndexed] before
// BuildIndex, with [ErrGalleryClosed] after [Gallery.Close], and returns
// ctx.Err() if the context ends first.
func (g *Gallery) SearchIndexed(ctx context.Context, probe *Prepared, k int, opts IndexOptions) (cands []Candidate, compared int, err error) {
	if g.closed {
		return nil, 0, ErrGalleryClosed
	}
	ix := g.index
	if ix == nil {
		return nil, 0, ErrNotIndexed
	}
	if k <= 0 || g.Len() == 0 {
		return nil, 0, ctx.Err()
	}
	pen := opts.Penetration
	if !(pen > 0 && pen <= 1) {
		pen = DefaultPenetration
	}
	want := max(k, int(pen*float64(g.Len())+0.5))
	s, _ := ix.pool.Get().(*indexScratch)
	if s == nil {
		s = &indexScratch{count: make([]uint16, ix.n), hist: make([]uint32, 1<<16), keys: make([]uint32, lshTables*maxMinutiae)}
	}
	defer ix.pool.Put(s)
	s.cand = ix.candidates(g, probe, want, s)
	for i := ix.n; i < len(g.ents); i++ {
		s.cand = append(s.cand, uint32(i))
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	cands, err = g.rank(ctx, probe, s.cand, len(s.cand), k)
	return cands, len(s.cand), err
}

// candidates returns up to want live entries of [0, ix.n) sharing the
// most buckets with probe, in entry order.
func (ix *lshIndex) candidates(g *Gallery, probe *Prepared, want int, s *indexScratch) []uint32 {
	count, touched := s.count, s.touched[:0]
	stop := uint32(max(ix.n/lshStopShare, 1))
	if probe == nil || probe.first == nil {
		probe = newPrepared(0) // no cylinders, no buckets
	}
	for t, ks := range templateKeys(probe, ix.bits, s.keys) {
		start, post := ix.start[t], ix.post[t]
		for _, k := range ks {
			lo, hi := start[k], start[k+1]
			if hi-lo > stop {
				continue
			}
			for _, e := range post[lo:hi] {
				c := count[e]
				if c == 0 {
					touched = append(touched, e)
				}
				count[e] = c + 1
			}
		}
	}
	// Each entry's score is its bucket count over the square root of its
	// cylinder count (entries with more cylinders share more buckets by
	// chance), in fixed point: count[e] is overwritten with it. The
	// threshold is the highest score h such that at least want live
	// entries score h or more, from a histogram.
	hist := s.hist
	clear(hist)
	for _, e := range touched {
		q := uint16(min(float32(count[e])*scoreWeight[g.ents[e].n], math.MaxUint16))
		count[e] = max(q, 1)
		if !g.isDead(int(e)) {
			hist[count[e]]++
		}
	}
	thr := uint16(1)
	for h, n := len(hist)-1, 0; h >= 1; h-- {
		n += int(hist[h])
		if n >= want {
			thr = uint16(h)
			break
		}
	}
	// Entries above the threshold all go; those at it fill up to want in
	// the order the buckets met them. The result is sorted so the exact
	// stage reads the gallery forward.
	cand := s.cand[:0]
	above := 0
	for _, e := range touched {
		if count[e] > thr && !g.isDead(int(e)) {
			above++
		}
	}
	atThr := want - above
	for _, e := range touched {
		c := count[e]
		count[e] = 0
		if g.isDead(int(e)) || c < thr {
			continue
		}
		if c == thr {
			if atThr <= 0 {
				continue
			}
			atThr--
		}
		cand = append(cand, e)
	}
	s.touched = touched
	slices.Sort(cand)
	// Too few entries share a bucket: fill up with the others in entry
	// order, so that a penetration of 1 is the exact search.
	if len(cand) < want {
		have := len(cand)
		for i, j := 0, 0; i < ix.n && len(cand) < want; i++ {
			for j < have && int(cand[j]) < i {
				j++
			}
			if (j < have && int(cand[j]) == i) || g.isDead(i) {
				continue
			}
			cand = append(cand, uint32(i))
		}
		slices.Sort(cand)
	}
	return cand
}
