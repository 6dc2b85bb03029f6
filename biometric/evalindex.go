package biometric

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"time"
)

// IndexEvalOptions tunes [EvaluateIndex]; the zero value is ready to use.
type IndexEvalOptions struct {
	// Distractors is the number of synthetic distractors in each
	// database's gallery; 0 means 2000.
	Distractors int
	// Seed seeds the distractor synthesis.
	Seed uint64
	// Penetration and Screening are passed to [Gallery.SearchIndexed]
	// (see [IndexOptions]); 0 means their defaults.
	Penetration, Screening float64
}

// HitRates are the shares of searches whose true mate came first and in
// the first ten.
type HitRates struct {
	Top1, Top10 float64
}

// IndexResult is one database's (or the pooled) outcome of [EvaluateIndex].
type IndexResult struct {
	Name     string // the database folder's name, or "pooled"
	Searches int    // probes searched
	Gallery  int    // entries in each search's gallery: one per finger plus the distractors
	// Exact and Indexed are the hit rates of [Gallery.Search] and
	// [Gallery.SearchIndexed] on the same galleries and probes.
	Exact, Indexed HitRates
	// Penetration is the mean share of the gallery compared exactly by
	// the indexed search.
	Penetration float64
	// ExactTime and IndexedTime are the wall time of all searches.
	ExactTime, IndexedTime time.Duration
	// ImpostorFMR100 and DistractorFMR100 are the shares of probe scores
	// at or above ThresholdFMR100 against the other fingers of the
	// database (real impostors) and against the distractors: distractors
	// at least as high as impostors are not easier than them.
	ImpostorFMR100, DistractorFMR100 float64
}

// IndexEvaluation is the outcome of [EvaluateIndex]: per database and
// pooled (sums over the databases' searches).
type IndexEvaluation struct {
	IndexResult
	Databases []IndexResult
}

// EvaluateIndex measures the indexed search against the exact one on the
// FVC protocol, on a directory laid out as for [Evaluate] with at least
// two databases. For each database and each impression number e, the
// gallery holds impression e of every finger plus opts.Distractors
// templates synthesised by [SynthesizeDistractors] from the other
// databases' templates (so no distractor carries a piece of a probe's
// finger); every other impression is a probe, and a hit is its finger's
// impression e among the first 1 or 10 candidates. Each probe is searched
// exactly and through the index (top 10).
func EvaluateIndex(ctx context.Context, dir string, opts IndexEvalOptions) (*IndexEvaluation, error) {
	dbs, err := evalDatabases(dir)
	if err != nil {
		return nil, err
	}
	if len(dbs) < 2 {
		return nil, fmt.Errorf("biometric: evaluate index %s: need two databases for distractors: %w", dir, ErrEvalLayout)
	}
	nd := opts.Distractors
	if nd <= 0 {
		nd = 2000
	}
	recs := make([][]evalRecord, len(dbs))
	for i, db := range dbs {
		if recs[i], err = loadEvalRecords(db, 0); err != nil {
			return nil, err
		}
	}
	ev := &IndexEvaluation{IndexResult: IndexResult{Name: "pooled"}}
	var pooledPen float64
	var impHi, impN, disHi, disN int
	for d, db := range dbs {
		var sources []*Template
		for o := range dbs {
			if o != d {
				for _, r := range recs[o] {
					sources = append(sources, r.t)
				}
			}
		}
		res, counts, err := evaluateIndexDB(ctx, recs[d], SynthesizeDistractors(sources, nd, opts.Seed+uint64(d)), opts)
		if err != nil {
			return nil, fmt.Errorf("biometric: evaluate index %s: %w", db, err)
		}
		res.Name = filepath.Base(db)
		ev.Databases = append(ev.Databases, res)
		p := &ev.IndexResult
		n := float64(res.Searches)
		p.Searches += res.Searches
		p.Gallery = max(p.Gallery, res.Gallery)
		p.Exact.Top1 += res.Exact.Top1 * n
		p.Exact.Top10 += res.Exact.Top10 * n
		p.Indexed.Top1 += res.Indexed.Top1 * n
		p.Indexed.Top10 += res.Indexed.Top10 * n
		pooledPen += res.Penetration * n
		p.ExactTime += res.ExactTime
		p.IndexedTime += res.IndexedTime
		impHi, impN, disHi, disN = impHi+counts[0], impN+counts[1], disHi+counts[2], disN+counts[3]
	}
	p := &ev.IndexResult
	if n := float64(p.Searches); n > 0 {
		p.Exact.Top1 /= n
		p.Exact.Top10 /= n
		p.Indexed.Top1 /= n
		p.Indexed.Top10 /= n
		p.Penetration = pooledPen / n
	}
	p.ImpostorFMR100 = float64(impHi) / float64(max(impN, 1))
	p.DistractorFMR100 = float64(disHi) / float64(max(disN, 1))
	return ev, nil
}

// evaluateIndexDB runs one database; counts are the impostor scores above
// the threshold, impostor scores, distractor scores above, distractor
// scores.
func evaluateIndexDB(ctx context.Context, recs []evalRecord, distractors []*Template, opts IndexEvalOptions) (res IndexResult, counts [4]int, err error) {
	// One gallery holds the distractors and every impression; each round
	// marks all but impression e removed, which the searches skip.
	g := new(Gallery)
	var c Comparer
	for i, t := range distractors {
		p, err := Prepare(t)
		if err != nil {
			return res, counts, err
		}
		g.Add("distractor-"+strconv.Itoa(i), p)
	}
	first := len(g.ents)
	impressions := map[int]bool{}
	for _, r := range recs {
		g.Add(strconv.Itoa(r.finger)+"_"+strconv.Itoa(r.impression), r.p)
		impressions[r.impression] = true
	}
	if err := g.BuildIndex(ctx); err != nil {
		return res, counts, err
	}
	// Are distractors as hard as real impostors? Each record against
	// the other fingers' records and against up to 200 distractors.
	var entry Prepared
	for i, a := range recs {
		for j, b := range recs {
			if j > i && a.finger != b.finger {
				counts[1]++
				if c.Compare(a.p, b.p) >= ThresholdFMR100 {
					counts[0]++
				}
			}
		}
		for d := range min(len(distractors), 200) {
			g.view(d, &entry)
			counts[3]++
			if c.Compare(a.p, &entry) >= ThresholdFMR100 {
				counts[2]++
			}
		}
	}
	var pen float64
	for e := range impressions {
		mate := map[int]int{} // finger -> entry
		for i, r := range recs {
			dead := r.impression != e
			g.setDead(first+i, dead)
			if !dead {
				mate[r.finger] = first + i
			}
		}
		for _, r := range recs {
			m, ok := mate[r.finger]
			if r.impression == e || !ok {
				continue
			}
			res.Searches++
			start := time.Now()
			exact, err := g.Search(ctx, r.p, 10)
			res.ExactTime += time.Since(start)
			if err != nil {
				return res, counts, err
			}
			start = time.Now()
			indexed, compared, err := g.SearchIndexed(ctx, r.p, 10, IndexOptions{Penetration: opts.Penetration, Screening: opts.Screening})
			res.IndexedTime += time.Since(start)
			if err != nil {
				return res, counts, err
			}
			pen += float64(compared) / float64(g.Len())
			res.Gallery = g.Len()
			hit(&res.Exact, exact, m)
			hit(&res.Indexed, indexed, m)
		}
	}
	res.ImpostorFMR100 = float64(counts[0]) / float64(max(counts[1], 1))
	res.DistractorFMR100 = float64(counts[2]) / float64(max(counts[3], 1))
	if n := float64(res.Searches); n > 0 {
		res.Exact.Top1 /= n
		res.Exact.Top10 /= n
		res.Indexed.Top1 /= n
		res.Indexed.Top10 /= n
		res.Penetration = pen / n
	}
	return res, counts, nil
}

// hit counts a search whose mate is first or among the candidates.
func hit(h *HitRates, cands []Candidate, mate int) {
	for i, c := range cands {
		if c.Index == mate {
			if i == 0 {
				h.Top1++
			}
			h.Top10++
			return
		}
	}
}

// setDead marks entry i removed or not (EvaluateIndex's rounds).
func (g *Gallery) setDead(i int, dead bool) {
	was := g.isDead(i)
	switch {
	case dead && !was:
		g.dead[i/64] |= 1 << (i % 64)
		g.nDead++
	case !dead && was:
		g.dead[i/64] &^= 1 << (i % 64)
		g.nDead--
	}
}
