package biometric

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cancuoc/sdk/internal/bounded"
)

// ErrEvalLayout means a directory given to [Evaluate] holds no usable
// database: no F_I.iso files, or none that form a genuine and an impostor pair.
var ErrEvalLayout = errors.New("biometric: no evaluable database")

// EvalOptions tunes [Evaluate]; the zero value is ready to use.
type EvalOptions struct {
	// Workers is the number of goroutines comparing; 0 means
	// runtime.GOMAXPROCS(0).
	Workers int
	// LeaveOneOut adds leave-one-database-out validation of the score's
	// parameters (see [Evaluation.LeaveOneOut]) when there are at least
	// three databases. It compares every pair once per candidate
	// distortion tolerance and nP ceiling (the candidate consolidation
	// weights reuse those comparisons), about a dozen times the work of
	// the evaluation itself.
	LeaveOneOut bool
	// Fingers, when positive, keeps only the first Fingers fingers (in
	// number order) of each database: a smaller, quicker run.
	Fingers int
}

// Rates are the accuracy figures of one score set. Rates are fractions.
type Rates struct {
	// EER is the equal error rate: where FMR and FNMR are equal,
	// interpolated linearly between the two thresholds that bracket it.
	EER float64
	// FMR100 is the lowest FNMR at a threshold whose FMR is at most 1%.
	FMR100 float64
	// FMR1000 is the lowest FNMR at a threshold whose FMR is at most 0.1%.
	FMR1000 float64
	// Genuine and Impostor count the comparisons behind the rates.
	Genuine, Impostor int
}

// DatabaseResult is one database's outcome in an [Evaluation].
type DatabaseResult struct {
	Name string // the database folder's name, e.g. "DB1_B"
	Rates
	// GenuineScores and ImpostorScores are the scores, in pair order.
	GenuineScores, ImpostorScores []float64
}

// FoldResult is one fold of leave-one-database-out validation: the score's
// parameters chosen on every database but one, and what they give on that
// one, which took no part in the choice.
type FoldResult struct {
	// LeftOut is the held-out database's name, e.g. "DB3_B".
	LeftOut string
	// Params names the chosen parameters, e.g. "distortion tolerance
	// 0.08, nP at most 12, consolidation weight 0.20"; Default tells
	// whether they are the ones [Compare] uses.
	Params  string
	Default bool
	// Training are the chosen parameters' rates pooled over the other
	// databases (the lowest EER among the candidates).
	Training Rates
	// Rates are their rates on the held-out database, from
	// GenuineScores and ImpostorScores.
	Rates
	GenuineScores, ImpostorScores []float64
}

// Evaluation is the outcome of [Evaluate]. Its top-level Rates are pooled:
// computed over the union of every database's genuine and impostor scores
// (one threshold for all), not averaged over databases.
type Evaluation struct {
	Rates
	Databases []DatabaseResult
	// LeaveOneOut holds one fold per database, in database order, when
	// [EvalOptions.LeaveOneOut] asked for it and there were at least
	// three databases; nil otherwise.
	LeaveOneOut []FoldResult
	// Comparisons is the number of comparisons made; Elapsed the wall
	// time they took (decoding and preparing excluded), with Workers
	// goroutines.
	Comparisons int
	Elapsed     time.Duration
	Workers     int
}

// ComparisonsPerSecond is the comparison throughput over all workers.
func (e *Evaluation) ComparisonsPerSecond() float64 {
	if e.Elapsed <= 0 {
		return 0
	}
	return float64(e.Comparisons) / e.Elapsed.Seconds()
}

// Evaluate runs the FVC protocol on dir: each subdirectory holding F_I.iso
// records (finger F, impression I, both decimal) is a database (or dir
// itself when it holds such records). In each database every pair of
// impressions of the same finger is a genuine comparison and every pair of
// impressions of different fingers an impostor one; pairs never cross
// databases. Each unordered pair is compared once. Records that do not
// decode or prepare fail the evaluation with an error naming the file.
//
// With [EvalOptions.LeaveOneOut], Evaluate also validates the score's
// parameters the way they were chosen: for each database in turn, every
// candidate parameter set (a grid of the relaxation's distortion
// tolerance, the ceiling of nP, the number of relaxed pairs averaged, and
// the weight of the geometric consolidation) scores the other databases, the set with the lowest pooled EER there is
// kept (ties go to the default, then to grid order), and its rates on the
// held-out database are that fold's result. The left-out rates are what
// to expect from tuning on data like the held-out one's neighbours, not
// on itself.
func Evaluate(ctx context.Context, dir string, opts EvalOptions) (*Evaluation, error) {
	dbs, err := evalDatabases(dir)
	if err != nil {
		return nil, err
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	recs := make([][]evalRecord, len(dbs))
	for i, db := range dbs {
		if recs[i], err = loadEvalRecords(db, opts.Fingers); err != nil {
			return nil, err
		}
	}
	ev := &Evaluation{Workers: workers}
	var allG, allI []float64
	for i, db := range dbs {
		start := time.Now()
		g, im, err := scorePairs(ctx, recs[i], workers, defaultScore)
		ev.Elapsed += time.Since(start)
		if err != nil {
			return nil, err
		}
		if len(g) == 0 || len(im) == 0 {
			return nil, fmt.Errorf("biometric: evaluate %s: %w", db, ErrEvalLayout)
		}
		ev.Comparisons += len(g) + len(im)
		ev.Databases = append(ev.Databases, DatabaseResult{
			Name: filepath.Base(db), Rates: ComputeRates(g, im), GenuineScores: g, ImpostorScores: im,
		})
		allG = append(allG, g...)
		allI = append(allI, im...)
	}
	ev.Rates = ComputeRates(allG, allI)
	if opts.LeaveOneOut && len(dbs) >= 3 {
		if ev.LeaveOneOut, err = leaveOneOut(ctx, ev.Databases, recs, workers); err != nil {
			return nil, err
		}
	}
	return ev, nil
}

// leaveOneOut scores every database with every parameter set of scoreGrid
// (reusing the default's scores in done; the sets that differ only in the
// consolidation's weight share one comparison per pair) and returns one
// fold per database.
func leaveOneOut(ctx context.Context, done []DatabaseResult, recs [][]evalRecord, workers int) ([]FoldResult, error) {
	type scores struct{ g, im []float64 }
	type base struct {
		distTol  float64
		maxPairs int
	}
	type pairScores struct{ s, k []float64 }
	parts := map[base][]pairScores{}        // [database]
	all := make([][]scores, len(scoreGrid)) // [candidate][database]
	for c, p := range scoreGrid {
		all[c] = make([]scores, len(recs))
		key := base{p.distTol, p.maxPairs}
		for d := range recs {
			if p == defaultScore {
				all[c][d] = scores{done[d].GenuineScores, done[d].ImpostorScores}
				continue
			}
			if parts[key] == nil {
				parts[key] = make([]pairScores, len(recs))
			}
			ps := &parts[key][d]
			if ps.s == nil {
				var err error
				if ps.s, ps.k, err = scoreParts(ctx, recs[d], workers, p); err != nil {
					return nil, err
				}
			}
			g, im := splitScores(recs[d], ps.s, ps.k, p)
			all[c][d] = scores{g, im}
		}
	}
	folds := make([]FoldResult, len(recs))
	for out := range recs {
		best, bestRates := -1, Rates{}
		for c, p := range scoreGrid {
			var g, im []float64
			for d, s := range all[c] {
				if d != out {
					g = append(g, s.g...)
					im = append(im, s.im...)
				}
			}
			r := ComputeRates(g, im)
			better := best < 0 || r.EER < bestRates.EER ||
				r.EER == bestRates.EER && p == defaultScore
			if better {
				best, bestRates = c, r
			}
		}
		s := all[best][out]
		folds[out] = FoldResult{
			LeftOut: done[out].Name, Params: scoreGrid[best].String(), Default: scoreGrid[best] == defaultScore,
			Training: bestRates, Rates: ComputeRates(s.g, s.im), GenuineScores: s.g, ImpostorScores: s.im,
		}
	}
	return folds, nil
}

// MeanLeftOutEER is the mean over the folds of the held-out databases'
// EER, or 0 without leave-one-out folds. Each fold's scores come from its
// own parameters, so the folds' scores are not pooled.
func (e *Evaluation) MeanLeftOutEER() float64 {
	if len(e.LeaveOneOut) == 0 {
		return 0
	}
	var s float64
	for _, f := range e.LeaveOneOut {
		s += f.EER
	}
	return s / float64(len(e.LeaveOneOut))
}

// evalDatabases lists the database folders of dir in name order.
func evalDatabases(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("biometric: evaluate: %w", err)
	}
	var dbs []string
	direct := false
	for _, e := range entries {
		if e.IsDir() {
			if m, _ := filepath.Glob(filepath.Join(dir, e.Name(), "*_*.iso")); len(m) > 0 {
				dbs = append(dbs, filepath.Join(dir, e.Name()))
			}
		} else if _, _, ok := parseEvalName(e.Name()); ok {
			direct = true
		}
	}
	if len(dbs) == 0 && direct {
		dbs = []string{dir}
	}
	if len(dbs) == 0 {
		return nil, fmt.Errorf("biometric: evaluate %s: %w", dir, ErrEvalLayout)
	}
	return dbs, nil
}

type evalRecord struct {
	finger, impression int
	t                  *Template
	p                  *Prepared
}

// loadEvalRecords decodes and prepares the records of db, in finger and
// impression order, keeping the first fingers fingers when positive.
func loadEvalRecords(db string, fingers int) ([]evalRecord, error) {
	entries, err := os.ReadDir(db)
	if err != nil {
		return nil, fmt.Errorf("biometric: evaluate: %w", err)
	}
	var recs []evalRecord
	for _, e := range entries {
		f, i, ok := parseEvalName(e.Name())
		if !ok || e.IsDir() {
			continue
		}
		path := filepath.Join(db, e.Name())
		b, err := bounded.ReadFile(path, bounded.MinutiaeRecord)
		if err != nil {
			return nil, fmt.Errorf("biometric: evaluate: %w", err)
		}
		t, err := Decode(b)
		if err != nil {
			return nil, fmt.Errorf("biometric: evaluate %s: %w", path, err)
		}
		p, err := Prepare(t)
		if err != nil {
			return nil, fmt.Errorf("biometric: evaluate %s: %w", path, err)
		}
		recs = append(recs, evalRecord{f, i, t, p})
	}
	slices.SortFunc(recs, func(a, b evalRecord) int {
		if a.finger != b.finger {
			return a.finger - b.finger
		}
		return a.impression - b.impression
	})
	if fingers > 0 {
		for i, kept := 0, 0; i < len(recs); i++ {
			if i == 0 || recs[i].finger != recs[i-1].finger {
				if kept == fingers {
					recs = recs[:i]
					break
				}
				kept++
			}
		}
	}
	return recs, nil
}

// parseEvalName reads "F_I.iso".
func parseEvalName(name string) (finger, impression int, ok bool) {
	base, found := strings.CutSuffix(name, ".iso")
	if !found {
		return 0, 0, false
	}
	fs, is, found := strings.Cut(base, "_")
	if !found {
		return 0, 0, false
	}
	f, err1 := strconv.Atoi(fs)
	i, err2 := strconv.Atoi(is)
	return f, i, err1 == nil && err2 == nil
}

// scorePairs compares every unordered pair of recs over workers goroutines
// with the score parameters p and splits the scores into genuine and
// impostor, in pair order.
func scorePairs(ctx context.Context, recs []evalRecord, workers int, p *scoreParams) (genuine, impostor []float64, err error) {
	s, k, err := scoreParts(ctx, recs, workers, p)
	if err != nil {
		return nil, nil, err
	}
	genuine, impostor = splitScores(recs, s, k, p)
	return genuine, impostor, nil
}

// scoreParts compares every unordered pair of recs over workers goroutines
// and returns, in pair order, the two terms that p's weight fuses (see
// [Comparer.parts]).
func scoreParts(ctx context.Context, recs []evalRecord, workers int, p *scoreParams) (s, k []float64, err error) {
	n := len(recs)
	s = make([]float64, n*(n-1)/2)
	k = make([]float64, len(s))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var c Comparer
			for {
				x := int(next.Add(1) - 1)
				if x >= n || ctx.Err() != nil {
					return
				}
				base := pairRow(n, x)
				for y := x + 1; y < n; y++ {
					s[base+y-x-1], k[base+y-x-1] = c.parts(recs[x].p, recs[y].p, p)
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	return s, k, nil
}

// pairRow is the index of pair (x, x+1) among the n*(n-1)/2 pairs of n
// records in row order.
func pairRow(n, x int) int { return x*(n-1) - x*(x-1)/2 }

// splitScores fuses the terms of scoreParts with p's weight and splits the
// scores into genuine and impostor, in pair order.
func splitScores(recs []evalRecord, s, k []float64, p *scoreParams) (genuine, impostor []float64) {
	n := len(recs)
	for x := range n {
		base := pairRow(n, x)
		for y := x + 1; y < n; y++ {
			v := p.fuse(s[base+y-x-1], k[base+y-x-1])
			if recs[x].finger == recs[y].finger {
				genuine = append(genuine, v)
			} else {
				impostor = append(impostor, v)
			}
		}
	}
	return genuine, impostor
}

// ComputeRates returns EER, FMR100 and FMR1000 for genuine and impostor
// scores (higher means more similar; a score at or above the threshold is
// a match). Every distinct score is a candidate threshold. With no genuine
// or no impostor score the rates are 0.
func ComputeRates(genuine, impostor []float64) Rates {
	r := Rates{Genuine: len(genuine), Impostor: len(impostor)}
	if len(genuine) == 0 || len(impostor) == 0 {
		return r
	}
	r.FMR100, r.FMR1000 = 1, 1
	r.EER = -1
	prevFMR, prevFNMR := 1.0, 0.0 // threshold below everything
	for _, p := range detPoints(genuine, impostor) {
		fmr, fnmr := p[0], p[1]
		if fmr <= 0.01 {
			r.FMR100 = min(r.FMR100, fnmr)
		}
		if fmr <= 0.001 {
			r.FMR1000 = min(r.FMR1000, fnmr)
		}
		if r.EER < 0 && fnmr >= fmr {
			// FMR - FNMR changes sign between the previous threshold and
			// this one: intersect the segment joining the two points.
			d0, d1 := prevFMR-prevFNMR, fmr-fnmr
			s := 0.0
			if d0 != d1 {
				s = d0 / (d0 - d1)
			}
			r.EER = prevFMR + s*(fmr-prevFMR)
		}
		prevFMR, prevFNMR = fmr, fnmr
	}
	return r
}

// Threshold returns the lowest score whose false match rate on impostor
// does not exceed fmr: the way the Threshold constants were measured.
func Threshold(impostor []float64, fmr float64) float64 {
	if len(impostor) == 0 {
		return 0
	}
	im := slices.Sorted(slices.Values(impostor))
	allowed := int(fmr * float64(len(im))) // impostor scores allowed at or above
	// The threshold must lie above im[len-allowed-1].
	k := len(im) - allowed - 1
	if k < 0 {
		return im[0]
	}
	return nextUp(im[k])
}

func nextUp(x float64) float64 { return math.Nextafter(x, math.Inf(1)) }
