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
//     little and reading them is most of the candidate stage's cost. At
//     100,000 entries with 24 tables: 1/8, 4.6 ms of CPU per search;
//     1/256, 1.5 ms, mates in the best 0.5% within a probe. Since the
//     screening stage (screen.go) re-ranks the index's best, a stricter
//     stop costs fewer mates: at 1,000,000 entries with 48 tables and
//     screening, 1/1024 (and extra buckets up to half of that, below)
//     read 412,000 postings per search instead of 1.53 million (1/256,
//     a quarter), for the same 99.2% of the exact search's top-10 mates
//     at 0.1% penetration; 1/1560 and 1/2048 lost 3-5% of them.
//   - A probe's collisions are sorted by entry and added up in one pass
//     (see vote), not scattered over per-entry counters: at 1,000,000
//     entries the counters missed the cache on nearly every collision,
//     and sorting cut the candidate stage from 28 to 14-17 ms of CPU.
//   - The probe reads more buckets than its cylinders' own (multi-probe,
//     see probeKeys), the extra ones only up to 1/lshAltStop of the stop
//     size (measured with 1/4). On the FVC protocol (EvaluateIndex, 1,000 distractors, 2,240
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
	minBucketBits = 4
	maxBucketBits = 22
	lshStopShare  = 1024
	lshStopFloor  = 64
	lshAltStop    = 2
	lshSeed       = 0x4d4832 // fixed: the gallery file depends on the orders
	lshHashes     = lshTables * lshMinHashes
	cylLayerBits  = cylDirs * 64
)

// DefaultPenetration is the share of the gallery [Gallery.SearchIndexed]
// compares exactly when [IndexOptions.Penetration] is 0, and
// DefaultScreeningRatio how many times that share it screens when
// [IndexOptions.Screening] is 0. On the 1,000,000-entry benchmark gallery
// they found 99.2% of the exact search's top-10 mates (see the package
// documentation, Identification at scale).
const (
	DefaultPenetration    = 0.001
	DefaultScreeningRatio = 20
)

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

// cylMinHashes returns a cylinder's minimum rank in every MinHash order
// (math.MaxUint16 in each when it sets no bit).
func cylMinHashes(c *cylinder) (m [lshHashes]uint16) {
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
	return m
}

// cylKeys computes a cylinder's bucket in every table from its minimum
// ranks m: table t's lshMinHashes minimum ranks, hashed onto bucketBits
// bits. A cylinder setting no bit gets the same bucket in each table.
func cylKeys(m *[lshHashes]uint16, bucketBits int, keys *[lshTables]uint32) {
	for t := range keys {
		keys[t] = minHashKey(m[t*lshMinHashes:(t+1)*lshMinHashes], -1, 0, bucketBits)
	}
}

// probeKeys computes a probe cylinder's keys: in every table, its bucket
// (keys[t][0], as cylKeys) and lshMinHashes more (multi-probe LSH: Q. Lv
// et al., "Multi-probe LSH", VLDB 2007): keys[t][1+j] has the table's
// j-th minimum replaced by the second lowest rank of its order, the
// bucket of a similar cylinder lacking the probe's lowest-ranked bit. It
// returns the cylinder's minimum ranks.
func probeKeys(c *cylinder, bucketBits int, keys *[lshTables][1 + lshMinHashes]uint32) (m [lshHashes]uint16) {
	var m2 [lshHashes]uint16
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
	return m
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
// table t, sorted, and codes with their screening codes; buf must hold
// lshTables*len(p.cyl) values.
func templateKeys(p *Prepared, bucketBits int, buf []uint32, codes []uint64) (keys [lshTables][]uint32) {
	n := len(p.cyl)
	for t := range keys {
		keys[t] = buf[t*n : t*n : t*n+n]
	}
	var ck [lshTables]uint32
	for i := range p.cyl {
		m := cylMinHashes(&p.cyl[i])
		cylKeys(&m, bucketBits, &ck)
		codes[i] = screenCode(&m, p.theta[i])
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
	// code holds the entries' screening codes (see screenCode), entry
	// e's from codeAt[e] to codeAt[e+1].
	code   []uint64
	codeAt []uint64
	pool   sync.Pool // *indexScratch

	weightOnce sync.Once
	weight     []float32 // per entry: entryWeight of its cylinder count
}

// codeOffsets returns where each entry's screening codes start in the
// index's code array, one per cylinder in entry order, and (last) their
// count.
func codeOffsets(ents []entry) []uint64 {
	at := make([]uint64, len(ents)+1)
	for e := range ents {
		at[e+1] = at[e] + uint64(ents[e].n)
	}
	return at
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

// indexScratch is one search's candidate-stage memory. Nothing in it is
// sized by the gallery: it grows with the collisions a probe makes.
type indexScratch struct {
	coll, tmp []uint64  // the probe's collisions (see vote) and the sort's other buffer
	ent       []uint32  // the entries colliding, ascending
	score     []float32 // their scores
	hist      []uint32  // 1<<16 score bins
	cand      []uint32
	ixScore   []float32 // per candidate: the index's score
	pcode     []uint64  // the probe's screening codes
	scr       []float32 // per candidate: the screening score
	key       []uint16  // per candidate: the quantised fused score
	sp        screenProbe
	sink      uint64 // keeps the loads of touch
}

// IndexOptions tunes [Gallery.SearchIndexed]; the zero value is ready to use.
type IndexOptions struct {
	// Penetration is the share of the gallery compared exactly, in
	// (0, 1]: lower is faster and may miss more mates. 0 means
	// DefaultPenetration. At least k entries are compared.
	Penetration float64
	// Screening is the share of the gallery, ranked best by the index,
	// that the screening stage scores to choose the Penetration share
	// compared exactly, in (0, 1]. 0 means DefaultScreeningRatio times
	// Penetration; a share not above Penetration (or a negative one)
	// compares the index's best directly, without screening.
	Screening float64
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
	ix.codeAt = codeOffsets(g.ents[:ix.n])
	ix.code = make([]uint64, ix.codeAt[ix.n])
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
						for t, ks := range templateKeys(&p, ix.bits, bufs[w], ix.code[ix.codeAt[i]:ix.codeAt[i+1]]) {
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
// cylinders collide with the probe's in its buckets, the best
// opts.Screening of them are screened (their cylinders' codes compared,
// see screen.go), and the best opts.Penetration by that (and every entry
// added since [Gallery.BuildIndex]) are compared exactly. compared is how
// many were. A mate ranked too low before the exact stage is missed: this
// is the trade of speed against the exact search's hit rate, which
// [EvaluateIndex] measures. It fails with [ErrNotIndexed] before
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
	pool := want
	switch scr := opts.Screening; {
	case scr == 0:
		pool = max(want, int(min(DefaultScreeningRatio*pen, 1)*float64(g.Len())+0.5))
	case scr > 0 && scr <= 1:
		pool = max(want, int(scr*float64(g.Len())+0.5))
	}
	s, _ := ix.pool.Get().(*indexScratch)
	if s == nil {
		s = &indexScratch{hist: make([]uint32, 1<<16)}
	}
	defer ix.pool.Put(s)
	s.cand = ix.candidates(g, probe, pool, s)
	if len(s.cand) > want {
		s.cand = ix.screen(s.cand, want, s)
	}
	for i := ix.n; i < len(g.ents); i++ {
		s.cand = append(s.cand, uint32(i))
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}
	cands, err = g.rank(ctx, probe, s.cand, len(s.cand), k)
	return cands, len(s.cand), err
}

// threshold returns the highest quantised score thr such that at least
// want entries (all, if fewer) score thr or more, from hist, the number
// of entries per score, and how many of those scoring thr are needed
// (taken in any order) to make want together with those above it.
func threshold(hist []uint32, want int) (thr uint16, atThr int) {
	above := 0
	for h := len(hist) - 1; h >= 1; h-- {
		if above+int(hist[h]) >= want || h == 1 {
			return uint16(h), want - above
		}
		above += int(hist[h])
	}
	return 1, want
}

// taken reports whether an entry of quantised score q is among those
// threshold chose: above thr, or at it while *atThr remain to be taken
// (counted down).
func taken(q, thr uint16, atThr *int) bool {
	if q == thr && *atThr > 0 {
		*atThr--
		return true
	}
	return q > thr
}

// screen keeps the want best of cand (entry order, the index's scores in
// s.ixScore) by the screening score fused with the index's (see
// screenCode) and returns them in entry order.
func (ix *lshIndex) screen(cand []uint32, want int, s *indexScratch) []uint32 {
	ixs, scr := s.ixScore, s.scr[:0]
	s.sp.set(s.pcode)
	for i, e := range cand {
		if i%screenBatch == 0 {
			s.sink ^= ix.touch(cand, i)
		}
		ec := ix.code[ix.codeAt[e]:ix.codeAt[e+1]]
		np := int(defaultScore.pairsToAverage[min(len(s.pcode), len(ec))])
		scr = append(scr, float32(s.sp.score(ec, np))/float32(max(np, 1)))
	}
	s.scr = scr
	mi, ii := standardise(ixs)
	ms, is := standardise(scr)
	hist, key := s.hist, s.key[:0]
	clear(hist)
	for i := range cand {
		f := float32((float64(scr[i])-ms)*is + screenIndexWeight*(float64(ixs[i])-mi)*ii)
		// A float32's bits in an order-keeping unsigned form, top 16.
		u := math.Float32bits(f)
		if u>>31 != 0 {
			u = ^u
		} else {
			u |= 1 << 31
		}
		k := max(uint16(u>>16), 1)
		key = append(key, k)
		hist[k]++
	}
	s.key = key
	thr, atThr := threshold(hist, want)
	kept := cand[:0]
	for i, e := range cand {
		if taken(key[i], thr, &atThr) {
			kept = append(kept, e)
		}
	}
	return kept
}

// screenBatch is how many candidates screen's touch loads ahead at once.
const screenBatch = 32

// touch loads the code offsets of the candidates two batches after
// cand[i] and the codes of those one batch after it (whose offsets the
// previous touch loaded), and returns a value that keeps the loads. The
// loads are independent, so their cache misses overlap one another and
// the work on the current batch, where each candidate's own misses would
// stall it in turn: at a million entries the codes are spread over
// hundreds of megabytes, and this halved screening's time per candidate.
func (ix *lshIndex) touch(cand []uint32, i int) (sink uint64) {
	next := cand[min(i+screenBatch, len(cand)):min(i+2*screenBatch, len(cand))]
	after := cand[min(i+2*screenBatch, len(cand)):min(i+3*screenBatch, len(cand))]
	for _, e := range after {
		sink ^= ix.codeAt[e]
	}
	for _, e := range next {
		for k := ix.codeAt[e]; k < ix.codeAt[e+1]; k += 8 { // 8 codes per 64-byte line
			sink ^= ix.code[k]
		}
	}
	return sink
}

// vote scores the entries of [0, ix.n) colliding with probe's cylinders
// (see the comment above lshTables for the score) into s.ent, ascending,
// and s.score, leaving out removed entries. It lists every collision, a
// bucket's entry met by a probe cylinder, as entry<<24 | probe
// cylinder<<16 | the bucket's weight (fixed point), sorts them by entry
// (stably, so each entry's collisions stay in cylinder order) and adds
// them up in one pass: at a million entries, per-entry counters scattered
// over megabytes missed the cache on nearly every collision. A probe
// making more than collChunk collisions is tallied collChunk at a time,
// between cylinders, and the partial scores merged.
func (ix *lshIndex) vote(g *Gallery, probe *Prepared, s *indexScratch) {
	stop := uint32(max(ix.n/lshStopShare, lshStopFloor))
	n := float64(ix.n)
	var keys [lshTables][1 + lshMinHashes]uint32
	s.pcode = s.pcode[:0]
	s.ent, s.score = s.ent[:0], s.score[:0]
	coll := s.coll[:0]
	for i := range probe.cyl {
		if len(coll) >= collChunk {
			coll = ix.tally(g, coll, s)
		}
		m := probeKeys(&probe.cyl[i], ix.bits, &keys)
		s.pcode = append(s.pcode, screenCode(&m, probe.theta[i]))
		for t, ks := range keys {
			for j, k := range ks {
				lo, hi := ix.start[t][k], ix.start[t][k+1]
				if hi == lo || hi-lo > stop || (j > 0 && hi-lo > stop/lshAltStop) {
					continue
				}
				tag := uint64(i)<<16 | uint64(math.Log1p(n/float64(hi-lo))*collWeightScale)
				for _, e := range ix.post[t][lo:hi] {
					coll = append(coll, uint64(e)<<24|tag)
				}
			}
		}
	}
	s.coll = ix.tally(g, coll, s)
}

// collChunk is about the most collisions vote sorts at once: it tallies
// when a probe cylinder starts past it, and a cylinder adds at most
// lshTables*(1+lshMinHashes) buckets' worth, so a search's scratch stays
// within 16 MB plus about 10 bytes per gallery entry (typically a few
// megabytes: 412,000 collisions per search at 1,000,000 entries).
// collWeightScale scales a bucket's weight, log(1 + n/size) < 22 for any
// gallery, onto 16 bits.
const collWeightScale = 2048

var collChunk = 1 << 20 // a variable so that a test can make probes span chunks

// tally sorts the collisions in coll by entry, scores each entry (the sum
// over probe cylinders of the square root of that cylinder's weights),
// adds the scores to s.ent and s.score and returns coll emptied.
func (ix *lshIndex) tally(g *Gallery, coll []uint64, s *indexScratch) []uint64 {
	if cap(s.tmp) < len(coll) {
		s.tmp = make([]uint64, len(coll), cap(coll))
	}
	sorted, other := sortByEntry(coll, s.tmp[:len(coll)], bits.Len(uint(ix.n)))
	merge := len(s.ent) > 0
	ent, score := s.ent, s.score
	if merge {
		ent, score = nil, nil
	}
	for i := 0; i < len(sorted); {
		e := sorted[i] >> 24
		var v float64
		for i < len(sorted) && sorted[i]>>24 == e {
			cyl := sorted[i] >> 16
			var w uint64
			for ; i < len(sorted) && sorted[i]>>16 == cyl; i++ {
				w += sorted[i] & 0xffff
			}
			v += math.Sqrt(float64(w))
		}
		if !g.isDead(int(e)) {
			ent = append(ent, uint32(e))
			score = append(score, float32(v))
		}
	}
	if merge {
		ent, score = mergeScores(s.ent, s.score, ent, score)
	}
	s.ent, s.score = ent, score
	s.tmp = other
	return sorted[:0]
}

// sortByEntry sorts the collisions a by their entry (bits 24 up, entryBits
// of them), stably, by least significant digit radix sort through tmp (as
// long as a); it returns the sorted slice and the other buffer.
func sortByEntry(a, tmp []uint64, entryBits int) (sorted, other []uint64) {
	const digit = 11
	var count [1<<digit + 1]uint32
	for shift := 24; shift < 24+entryBits; shift += digit {
		clear(count[:])
		for _, v := range a {
			count[(v>>shift)&(1<<digit-1)+1]++
		}
		for d := 1; d < len(count); d++ {
			count[d] += count[d-1]
		}
		for _, v := range a {
			d := (v >> shift) & (1<<digit - 1)
			tmp[count[d]] = v
			count[d]++
		}
		a, tmp = tmp, a
	}
	return a, tmp
}

// mergeScores adds two entry-sorted score lists into a new one.
func mergeScores(ea []uint32, sa []float32, eb []uint32, sb []float32) ([]uint32, []float32) {
	ent := make([]uint32, 0, len(ea)+len(eb))
	score := make([]float32, 0, len(ea)+len(eb))
	i, j := 0, 0
	for i < len(ea) || j < len(eb) {
		switch {
		case j == len(eb) || i < len(ea) && ea[i] < eb[j]:
			ent, score = append(ent, ea[i]), append(score, sa[i])
			i++
		case i == len(ea) || eb[j] < ea[i]:
			ent, score = append(ent, eb[j]), append(score, sb[j])
			j++
		default:
			ent, score = append(ent, ea[i]), append(score, sa[i]+sb[j])
			i, j = i+1, j+1
		}
	}
	return ent, score
}

// candidates returns up to want live entries of [0, ix.n) with the best
// scores, in entry order, their scores in s.ixScore.
func (ix *lshIndex) candidates(g *Gallery, probe *Prepared, want int, s *indexScratch) []uint32 {
	if probe == nil || probe.first == nil {
		probe = newPrepared(0) // no cylinders, no buckets
	}
	ix.vote(g, probe, s)
	// Each entry's score, weighted by its cylinder count, is quantised to
	// 16 bits keeping its order: a positive float32's bits, shifted, are
	// its exponent and its 7 leading fraction bits.
	hist, weight, score := s.hist, ix.weights(g), s.score
	clear(hist)
	for i, e := range s.ent {
		score[i] *= weight[e]
		hist[quantise(score[i])]++
	}
	thr, atThr := threshold(hist, want)
	cand, ixs := s.cand[:0], s.ixScore[:0]
	for i, e := range s.ent {
		if taken(quantise(score[i]), thr, &atThr) {
			cand, ixs = append(cand, e), append(ixs, score[i])
		}
	}
	// Too few entries share a bucket: fill up with the first others in
	// entry order (scored 0), so that a penetration of 1 is the exact
	// search; both lists are in entry order, so they merge in one pass.
	if len(cand) < want {
		extra := want - len(cand)
		all, allScore := make([]uint32, 0, want), make([]float32, 0, want)
		for i, j := 0, 0; i < ix.n; i++ {
			switch {
			case j < len(cand) && int(cand[j]) == i:
				all, allScore = append(all, cand[j]), append(allScore, ixs[j])
				j++
			case extra > 0 && !g.isDead(i):
				all, allScore = append(all, uint32(i)), append(allScore, 0)
				extra--
			}
		}
		cand, ixs = all, allScore
	}
	s.ixScore = ixs
	return cand
}

// quantise maps a non-negative score onto 16 bits keeping its order (at
// least 1).
func quantise(v float32) uint16 { return max(uint16(math.Float32bits(v)>>15), 1) }
