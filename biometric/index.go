package biometric

import (
	"context"
	"errors"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
)

// The candidate stage of [Gallery.SearchIndexed] follows MCC indexing
// (R. Cappelli, M. Ferrara, D. Maltoni, "Fingerprint Indexing Based on
// Minutia Cylinder-Code", IEEE TPAMI 33(5), 2011): locality-sensitive
// hashing of the cylinders' bit vectors, each of lshTables tables putting
// a cylinder in one bucket, so that similar cylinders share buckets in
// many tables, and a score per gallery entry built, probe cylinder by
// probe cylinder, from the collisions of that cylinder. Differences from
// the paper, measured with 24 tables on the 100,000-entry benchmark
// gallery (the mate's rank in the candidate order for the 132-133 probes
// whose mate the exact search ranks in its top 10; see
// BenchmarkIndexedSearch):
//
//   - The hash is MinHash (A. Broder, "On the resemblance and containment
//     of documents", 1997), not bit sampling: a table's key is the
//     lowest ranks, under lshMinHashes fixed random orders of the 384
//     direction-layer bits, of the bits the cylinder sets. This package's
//     cylinders set 1-15% of their bits (median 5%; the matcher's bit
//     level μΨ), so 28 sampled bits were mostly all 0 and a few huge
//     buckets held most cylinders; the collision probability of MinHash
//     is the Jaccard similarity of the set bits, which the cylinder
//     similarity of the matcher (1 - |a⊕b|/(|a|+|b|)) follows closely.
//     Mates ranked in the best 0.5% of the gallery (entries scored by
//     their weighted bucket counts): 82.6% of the probes with 28 sampled
//     bits, 93.2% with 3 minimum ranks (1 rank: 20.5%, 2: 91.7%, 4:
//     90.2%).
//   - A gallery entry is posted once per bucket however many of its
//     cylinders fall in it (the postings are entries, not cylinders, which
//     keeps the index at 4 bytes per bucket per entry), so the paper's
//     per-cylinder collision count becomes a per-(probe cylinder, entry)
//     count: each collision weighs log(1 + n/size) for a bucket of size
//     entries in a gallery of n (inverse document frequency: a bucket
//     holding much of the gallery says little), and an entry's score
//     adds the square root of each probe cylinder's weighted count (one
//     cylinder colliding in many tables counts, but does not swamp the
//     others), divided by the square root of the entry's cylinder count.
//     Against summing the weighted bucket counts: 91.7% against 85.6% of
//     the mates in the best 0.1%, 93.2% against 93.9% in the best 0.5%
//     (squares weighed single cylinders too much: 70-79% at 0.1%).
//   - Buckets holding more than 1/lshStopShare of the gallery (at least
//     lshStopFloor entries) are not read at search time: they weigh
//     little and reading them is most of the candidate stage's cost
//     (1/8: 4.6 ms of CPU per search at 100,000 entries, 1/256: 1.5 ms,
//     mates in the best 0.5% within a probe; 1/1024: 0.6 ms, but 10%
//     fewer mates in the best 0.5%).
//   - The probe reads more buckets than its cylinders' own (multi-probe,
//     see probeKeys), the extra ones only up to 1/lshAltStop of the stop
//     size. On the FVC protocol (EvaluateIndex, 1,000 distractors, 2,240
//     searches) it raised the top-10 hit rate at 1, 2 and 5% penetration
//     from 87.2, 89.2 and 91.9% to 88.5, 90.9 and 93.0% (exact: 98.0%);
//     reading the extra buckets up to the full stop size gave 90.0% at 2%
//     for three times the candidate stage's cost without it. On the
//     benchmark gallery, mates in the best 0.1, 0.5 and 5%: 88.7, 91.7 and
//     94.0% of 133 probes without it, 91.7, 93.2 and 97.0% with it.
//
// The number of tables trades memory and time for ranks. On the
// benchmark gallery with multi-probe, mates in the best 0.2, 0.5 and 2%:
// 24 tables 91.7, 93.2 and 95.5% of the probes, 32 tables 92.5, 94.0 and
// 97.0%, 48 tables 95.5, 97.0 and 99.2% (the candidate stage 2.2, 3.3 and
// 3.7 ms of CPU; about 100 bytes of postings per template and table); on
// the FVC protocol at 1 and 2% penetration, 24 tables 88.5 and 90.9%, 48
// tables 91.2 and 92.7%. Without multi-probe (one seed each, best 0.5%):
// 16 tables 87.9%, 24 92-94%, 32 94.7%, 48 96.2%; other seeds of the
// same 24 tables moved the figures by about one probe in 100. The bucket
// starts add 2^bits+1 offsets per table (2^21 per table at 100,000
// entries, at most 2^22).
const (
	lshTables     = 48
	lshMinHashes  = 3
	lshStopShare  = 256
	lshStopFloor  = 256
	lshAltStop    = 4
	minBucketBits = 4
	maxBucketBits = 22
	lshSeed       = 0x4d4832 // fixed: the gallery file depends on the orders
	lshHashes     = lshTables * lshMinHashes
	cylLayerBits  = cylDirs * 64
)

// DefaultPenetration is the share of the gallery [Gallery.SearchIndexed]
// compares exactly when [IndexOptions.Penetration] is 0: on the
// 100,000-entry benchmark gallery it found 97.0% of the exact search's
// top-10 mates, against 97.7% at 1% for twice the exact comparisons.
const DefaultPenetration = 0.005

// ErrNotIndexed means [Gallery.SearchIndexed] was called before
// [Gallery.BuildIndex].
var ErrNotIndexed = errors.New("biometric: gallery has no index")

// minHashRank[b][h] is bit b's rank in MinHash order h (bit b is cell b%64
// of direction layer b/64, cylinder word 1+b/64): lshHashes random
// permutations of the 384 bits, fixed by lshSeed, stored bit-major so a
// cylinder's set bit updates every order from one cache line run.
var minHashRank = func() (r [cylLayerBits][lshHashes]uint16) {
	rnd := rand.New(rand.NewPCG(lshSeed, lshSeed))
	var perm [cylLayerBits]uint16
	for h := range lshHashes {
		for i := range perm {
			perm[i] = uint16(i)
		}
		rnd.Shuffle(len(perm), func(i, j int) { perm[i], perm[j] = perm[j], perm[i] })
		for b, v := range perm {
			r[b][h] = v
		}
	}
	return r
}()

// cylKeys computes a cylinder's bucket in every table: table t's
// lshMinHashes minimum ranks, hashed onto bucketBits bits. A cylinder
// setting no bit gets the same bucket in each table.
func cylKeys(c *cylinder, bucketBits int, keys *[lshTables]uint32) {
	var m [lshHashes]uint16
	for h := range m {
		m[h] = math.MaxUint16
	}
	for w := range cylDirs {
		for x := c[1+w]; x != 0; x &= x - 1 {
			r := &minHashRank[w*64+bits.TrailingZeros64(x)]
			for h := range m {
				m[h] = min(m[h], r[h])
			}
		}
	}
	for t := range keys {
		keys[t] = minHashKey(m[t*lshMinHashes:(t+1)*lshMinHashes], -1, 0, bucketBits)
	}
}

// probeKeys computes a probe cylinder's keys: in every table, its bucket
// (keys[t][0], as cylKeys) and lshMinHashes more (multi-probe LSH: Q. Lv
// et al., "Multi-probe LSH", VLDB 2007): keys[t][1+j] has the table's
// j-th minimum replaced by the second lowest rank of its order, the
// bucket of a similar cylinder lacking the probe's lowest-ranked bit.
func probeKeys(c *cylinder, bucketBits int, keys *[lshTables][1 + lshMinHashes]uint32) {
	var m, m2 [lshHashes]uint16
	for h := range m {
		m[h], m2[h] = math.MaxUint16, math.MaxUint16
	}
	for w := range cylDirs {
		for x := c[1+w]; x != 0; x &= x - 1 {
			r := &minHashRank[w*64+bits.TrailingZeros64(x)]
			for h := range m {
				v := r[h]
				if v < m[h] {
					m[h], m2[h] = v, m[h]
				} else if v < m2[h] {
					m2[h] = v
				}
			}
		}
	}
	for t := range keys {
		mt := m[t*lshMinHashes : (t+1)*lshMinHashes]
		keys[t][0] = minHashKey(mt, -1, 0, bucketBits)
		for j := range lshMinHashes {
			keys[t][1+j] = minHashKey(mt, j, m2[t*lshMinHashes+j], bucketBits)
		}
	}
}

// minHashKey hashes a table's minimum ranks m (m[j] replaced by v when j
// is not -1) onto bucketBits bits (Fibonacci hashing).
func minHashKey(m []uint16, j int, v uint16, bucketBits int) uint32 {
	var k uint64 = 1
	for i, r := range m {
		if i == j {
			r = v
		}
		k = k<<16 | uint64(r)
	}
	return uint32((k * 0x9e3779b97f4a7c15) >> (64 - bucketBits))
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

// bucketBits sizes the tables for a gallery of cyls cylinders: about two
// per bucket up to 2^17 buckets, then about 16 per bucket, up to 2^22.
// Unrelated keys sharing a bucket cost little in a large gallery: on the
// benchmark gallery, 16 cylinders per bucket (2^18 buckets per table)
// ranked the mates as 2 did (2^21) within one probe in 133, for an eighth
// of the bucket starts (3.5 KB less per template); in a gallery of 40
// entries, 16 per bucket (2^6 buckets) would lose 6% of the mates.
func bucketBits(cyls int) int {
	b := minBucketBits
	for b < maxBucketBits && (b < 17 && 2<<b < cyls || 16<<b < cyls) {
		b++
	}
	return b
}

// entryWeight[n] divides an entry's score by √n for n cylinders (entries
// with more cylinders collide more by chance). The square root was
// measured on the FVC2002 protocol with the previous bit-sampling index
// (top-10 hit rate at 2% penetration 82.6% without, 86.4% with √n, 85.5%
// with n) and kept: exponents 0.3 and 0.7 ranked the benchmark's mates
// no better.
var entryWeight = func() (w [maxMinutiae + 1]float32) {
	for n := range w {
		w[n] = float32(1 / math.Sqrt(float64(max(n, 1))))
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

	weightOnce sync.Once
	weight     []float32 // per entry: entryWeight of its cylinder count
}

// weights returns every indexed entry's score weight, computed on first
// use: read per touched entry, a compact array costs a search far fewer
// cache misses than the gallery's entry table.
func (ix *lshIndex) weights(g *Gallery) []float32 {
	ix.weightOnce.Do(func() {
		ix.weight = make([]float32, ix.n)
		for e := range ix.weight {
			ix.weight[e] = entryWeight[g.ents[e].n]
		}
	})
	return ix.weight
}

// indexScratch is one search's candidate-stage memory.
type indexScratch struct {
	score   []float32 // per entry: the score so far
	hits    []float32 // per entry: the current probe cylinder's weighted collisions
	count   []uint16  // per entry: the quantised score
	hist    []uint32  // 1<<16 score bins
	touched []uint32  // entries with a score
	cur     []uint32  // entries with hits
	cand    []uint32
}

// IndexOptions tunes [Gallery.SearchIndexed]; the zero value is ready to use.
type IndexOptions struct {
	// Penetration is the share of the gallery compared exactly, in
	// (0, 1]: lower is faster and may miss more mates. 0 means
	// DefaultPenetration. At least k entries are compared.
	Penetration float64
}

// BuildIndex (re)builds the candidate-stage index over every entry, in
// two passes over the gallery's cylinders (their keys computed on
// runtime.GOMAXPROCS(0) goroutines); it honours the context between
// batches of entries. Entries added later are compared exactly by
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
	// Keys are computed for a batch of entries at a time, in parallel
	// (ek[i].keys: table 0's distinct keys, then table 1's..., ek[i].n the
	// count per table), then applied in entry order.
	const batch = 1024
	workers := runtime.GOMAXPROCS(0)
	type entryKeys struct {
		keys []uint32
		n    [lshTables]uint16
	}
	ek := make([]entryKeys, batch)
	bufs := make([][]uint32, workers)
	for w := range bufs {
		bufs[w] = make([]uint32, lshTables*maxMinutiae)
	}
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
		for lo := 0; lo < ix.n; lo += batch {
			if err := ctx.Err(); err != nil {
				return err
			}
			hi := min(lo+batch, ix.n)
			var wg sync.WaitGroup
			for w := range workers {
				wg.Go(func() {
					var p Prepared
					for i := lo + w; i < hi; i += workers {
						g.view(i, &p)
						e := &ek[i-lo]
						e.keys = e.keys[:0]
						for t, ks := range templateKeys(&p, ix.bits, bufs[w]) {
							e.keys = append(e.keys, ks...)
							e.n[t] = uint16(len(ks))
						}
					}
				})
			}
			wg.Wait()
			for i := lo; i < hi; i++ {
				e := &ek[i-lo]
				ks := e.keys
				for t, n := range e.n {
					s := ix.start[t]
					for _, k := range ks[:n] {
						if pass == 0 {
							s[k]++
						} else {
							ix.post[t][s[k]] = uint32(i)
							s[k]++
						}
					}
					ks = ks[n:]
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
// a fraction of the gallery: the index ranks the entries by how their
// cylinders collide with the probe's in its buckets, and the best
// opts.Penetration of them (and every entry added since
// [Gallery.BuildIndex]) are compared exactly. compared is how many were.
// A mate the index ranks too low is missed: this is the trade of speed
// against the exact search's hit rate, which EvaluateIndex measures. It fails with [ErrNotIndexed] before
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
		s = &indexScratch{score: make([]float32, ix.n), hits: make([]float32, ix.n), count: make([]uint16, ix.n), hist: make([]uint32, 1<<16)}
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

// vote scores the entries of [0, ix.n) colliding with probe's cylinders
// into s.score and lists them in s.touched (see the comment above
// lshTables for the score).
func (ix *lshIndex) vote(probe *Prepared, s *indexScratch) {
	score, hits, touched := s.score, s.hits, s.touched[:0]
	stop := uint32(max(ix.n/lshStopShare, lshStopFloor))
	n := float64(ix.n)
	var keys [lshTables][1 + lshMinHashes]uint32
	for i := range probe.cyl {
		probeKeys(&probe.cyl[i], ix.bits, &keys)
		cur := s.cur[:0]
		for t, ks := range keys {
			for j, k := range ks {
				lo, hi := ix.start[t][k], ix.start[t][k+1]
				if hi == lo || hi-lo > stop || (j > 0 && hi-lo > stop/lshAltStop) {
					continue
				}
				w := float32(math.Log1p(n / float64(hi-lo)))
				for _, e := range ix.post[t][lo:hi] {
					h := hits[e]
					if h == 0 {
						cur = append(cur, e)
					}
					hits[e] = h + w
				}
			}
		}
		for _, e := range cur {
			v := score[e]
			if v == 0 {
				touched = append(touched, e)
			}
			score[e] = v + float32(math.Sqrt(float64(hits[e])))
			hits[e] = 0
		}
		s.cur = cur
	}
	s.touched = touched
}

// candidates returns up to want live entries of [0, ix.n) with the best
// scores, in entry order.
func (ix *lshIndex) candidates(g *Gallery, probe *Prepared, want int, s *indexScratch) []uint32 {
	if probe == nil || probe.first == nil {
		probe = newPrepared(0) // no cylinders, no buckets
	}
	ix.vote(probe, s)
	touched, score, count := s.touched, s.score, s.count
	// Each entry's score, weighted by its cylinder count, is quantised to
	// 16 bits keeping its order: a positive float32's bits, shifted, are
	// its exponent and its 7 leading fraction bits. The threshold is the
	// highest value h such that at least want live entries have h or
	// more, from a histogram.
	hist, weight := s.hist, ix.weights(g)
	clear(hist)
	for _, e := range touched {
		q := max(uint16(math.Float32bits(score[e]*weight[e])>>15), 1)
		score[e] = 0
		count[e] = q
		if !g.isDead(int(e)) {
			hist[q]++
		}
	}
	// above counts the live entries over the threshold.
	thr, above := uint16(1), 0
	for h := len(hist) - 1; h >= 1; h-- {
		if above+int(hist[h]) >= want || h == 1 {
			thr = uint16(h)
			break
		}
		above += int(hist[h])
	}
	// Entries above the threshold all go; those at it fill up to want in
	// the order the buckets met them. The result is sorted so the exact
	// stage reads the gallery forward.
	cand := s.cand[:0]
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
