package biometric

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestComputeRatesByHand(t *testing.T) {
	tests := []struct {
		name            string
		genuine, impost []float64
		want            Rates
	}{
		// Thresholds 0.1..0.9 (match at or above): at 0.6 FMR = 1/5 and
		// FNMR = 1/5 (0.2 below), so EER = 0.2 with no interpolation; FMR
		// is 0 only from 0.7, where FNMR = 2/5.
		{"crossing at a threshold",
			[]float64{0.2, 0.6, 0.7, 0.8, 0.9}, []float64{0.1, 0.3, 0.4, 0.5, 0.65},
			Rates{EER: 0.2, FMR100: 0.4, FMR1000: 0.4, Genuine: 5, Impostor: 5}},
		// (FMR, FNMR) goes (0.5, 0.25) at 0.5 then (0, 0.25) at 0.9: the
		// segment meets FMR = FNMR at 0.25.
		{"interpolated",
			[]float64{0.3, 0.9, 0.9, 0.9}, []float64{0.1, 0.5},
			Rates{EER: 0.25, FMR100: 0.25, FMR1000: 0.25, Genuine: 4, Impostor: 2}},
		// Perfect separation: EER 0 at the lowest genuine score.
		{"separated",
			[]float64{0.8, 0.9}, []float64{0.1, 0.2, 0.3},
			Rates{EER: 0, FMR100: 0, FMR1000: 0, Genuine: 2, Impostor: 3}},
		{"no impostor", []float64{0.5}, nil, Rates{Genuine: 1}},
	}
	for _, tt := range tests {
		got := ComputeRates(tt.genuine, tt.impost)
		if math.Abs(got.EER-tt.want.EER) > 1e-12 || got.FMR100 != tt.want.FMR100 || got.FMR1000 != tt.want.FMR1000 ||
			got.Genuine != tt.want.Genuine || got.Impostor != tt.want.Impostor {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestThresholdByHand(t *testing.T) {
	imp := make([]float64, 1000)
	for i := range imp {
		imp[i] = float64(i) / 1000
	}
	// 1% of 1000 is 10 scores allowed at or above: 0.990 .. 0.999.
	th := Threshold(imp, 0.01)
	if th <= 0.989 || th > 0.990 {
		t.Fatalf("Threshold(FMR 1%%) = %v, want in (0.989, 0.990]", th)
	}
	n := 0
	for _, s := range imp {
		if s >= th {
			n++
		}
	}
	if n != 10 {
		t.Fatalf("%d impostor scores at or above the 1%% threshold, want 10", n)
	}
}

func TestEvaluateOneDatabase(t *testing.T) {
	ev, err := Evaluate(context.Background(), filepath.Join(fvcDir, "DB1_B"), EvalOptions{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	// The protocol (testdata README): 10 fingers x C(8,2) = 280 genuine,
	// C(80,2) - 280 = 2,880 impostor pairs.
	if len(ev.Databases) != 1 || ev.Databases[0].Name != "DB1_B" {
		t.Fatalf("databases %v", ev.Databases)
	}
	if ev.Genuine != 280 || ev.Impostor != 2880 || ev.Comparisons != 3160 {
		t.Fatalf("genuine %d impostor %d comparisons %d, want 280, 2880, 3160", ev.Genuine, ev.Impostor, ev.Comparisons)
	}
	if d := ev.Databases[0]; len(d.GenuineScores) != 280 || len(d.ImpostorScores) != 2880 {
		t.Fatalf("score lists %d/%d", len(d.GenuineScores), len(d.ImpostorScores))
	}
}

// TestEvaluateLeaveOneOut runs leave-one-database-out validation on the
// first four fingers of each FVC2002 database and checks each fold against
// its definition, recomputed here from every candidate's scores: the chosen
// parameters have the lowest pooled EER on the other three databases, and
// the fold's rates are theirs on the held-out one.
func TestEvaluateLeaveOneOut(t *testing.T) {
	ev, err := Evaluate(context.Background(), fvcDir, EvalOptions{LeaveOneOut: true, Fingers: 4})
	if err != nil {
		t.Fatal(err)
	}
	// 4 fingers x C(8,2) = 112 genuine, C(32,2) - 112 = 384 impostor
	// pairs per database.
	if len(ev.Databases) != 4 || len(ev.LeaveOneOut) != 4 || ev.Genuine != 4*112 || ev.Impostor != 4*384 {
		t.Fatalf("%d databases, %d folds, %d genuine, %d impostor", len(ev.Databases), len(ev.LeaveOneOut), ev.Genuine, ev.Impostor)
	}
	recs := make([][]evalRecord, 4)
	for d, db := range ev.Databases {
		if recs[d], err = loadEvalRecords(filepath.Join(fvcDir, db.Name), 4); err != nil {
			t.Fatal(err)
		}
	}
	type scores struct{ g, im []float64 }
	all := make(map[*scoreParams][]scores)
	for _, p := range scoreGrid {
		for d := range recs {
			g, im, err := scorePairs(context.Background(), recs[d], 2, p)
			if err != nil {
				t.Fatal(err)
			}
			all[p] = append(all[p], scores{g, im})
		}
	}
	var sum float64
	for out, f := range ev.LeaveOneOut {
		if f.LeftOut != ev.Databases[out].Name {
			t.Errorf("fold %d leaves out %s, want %s", out, f.LeftOut, ev.Databases[out].Name)
		}
		var chosen *scoreParams
		for _, p := range scoreGrid {
			var g, im []float64
			for d, s := range all[p] {
				if d != out {
					g = append(g, s.g...)
					im = append(im, s.im...)
				}
			}
			r := ComputeRates(g, im)
			if r.EER < f.Training.EER {
				t.Errorf("%s left out: %v trains to EER %.4f, below the chosen %q's %.4f", f.LeftOut, p, r.EER, f.Params, f.Training.EER)
			}
			if p.String() == f.Params {
				chosen = p
				if r != f.Training {
					t.Errorf("%s left out: training rates %+v, recomputed %+v", f.LeftOut, f.Training, r)
				}
			}
		}
		if chosen == nil || f.Default != (chosen == defaultScore) {
			t.Fatalf("%s left out: parameters %q (default %v) not in the grid", f.LeftOut, f.Params, f.Default)
		}
		s := all[chosen][out]
		if want := ComputeRates(s.g, s.im); f.Rates != want || !slices.Equal(f.GenuineScores, s.g) || !slices.Equal(f.ImpostorScores, s.im) {
			t.Errorf("%s left out: rates %+v, recomputed %+v", f.LeftOut, f.Rates, want)
		}
		sum += f.EER
	}
	if got := ev.MeanLeftOutEER(); math.Abs(got-sum/4) > 1e-12 {
		t.Errorf("MeanLeftOutEER %v, want %v", got, sum/4)
	}
	// Fewer than three databases: no folds.
	one, err := Evaluate(context.Background(), filepath.Join(fvcDir, "DB1_B"), EvalOptions{LeaveOneOut: true, Fingers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if one.LeaveOneOut != nil || one.MeanLeftOutEER() != 0 || one.Genuine != 56 {
		t.Errorf("one database: folds %v, genuine %d", one.LeaveOneOut, one.Genuine)
	}
}

// BenchmarkLeaveOneOut times leave-one-database-out validation on the
// first four fingers of each FVC2002 database (48 parameter sets from 12
// comparisons of 3,968 pairs each); it reports the folds' mean EER.
func BenchmarkLeaveOneOut(b *testing.B) {
	var ev *Evaluation
	var err error
	for b.Loop() {
		if ev, err = Evaluate(context.Background(), fvcDir, EvalOptions{LeaveOneOut: true, Fingers: 4}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(100*ev.MeanLeftOutEER(), "left-out-EER-%")
}

func TestEvaluateErrors(t *testing.T) {
	if _, err := Evaluate(context.Background(), t.TempDir(), EvalOptions{}); !errors.Is(err, ErrEvalLayout) {
		t.Errorf("empty dir: %v, want ErrEvalLayout", err)
	}
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(fvcDir, "DB1_B", "101_1.iso"))
	if err != nil {
		t.Fatal(err)
	}
	must(t, os.WriteFile(filepath.Join(dir, "1_1.iso"), b, 0o600))
	must(t, os.WriteFile(filepath.Join(dir, "1_2.iso"), b[:len(b)-1], 0o600))
	_, err = Evaluate(context.Background(), dir, EvalOptions{})
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Errorf("truncated record: %v, want a *DecodeError", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Evaluate(ctx, filepath.Join(fvcDir, "DB1_B"), EvalOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestEvaluateFVC2002 runs the whole protocol on the FVC2002 data and holds
// the matcher to the bar: pooled EER at most 5% and every database,
// in-sample and left out, below NIST bozorth3's EER on the same pairs
// (testdata README). It also checks that the Threshold constants are the
// ones this data gives and that the default score parameters are the
// grid's best on all four databases pooled, as the package doc says.
func TestEvaluateFVC2002(t *testing.T) {
	if testing.Short() {
		t.Skip("full evaluation skipped in -short")
	}
	ev, err := Evaluate(context.Background(), fvcDir, EvalOptions{LeaveOneOut: true})
	if err != nil {
		t.Fatal(err)
	}
	bozorth3 := map[string]float64{"DB1_B": 0.0747, "DB2_B": 0.0671, "DB3_B": 0.0939, "DB4_B": 0.0265}
	var imp []float64
	for _, d := range ev.Databases {
		t.Logf("%s EER %.2f%% FMR100 %.2f%% FMR1000 %.2f%%", d.Name, 100*d.EER, 100*d.FMR100, 100*d.FMR1000)
		if d.EER >= bozorth3[d.Name] {
			t.Errorf("%s EER %.4f, bozorth3 has %.4f", d.Name, d.EER, bozorth3[d.Name])
		}
		imp = append(imp, d.ImpostorScores...)
	}
	t.Logf("pooled EER %.2f%% FMR100 %.2f%% FMR1000 %.2f%%", 100*ev.EER, 100*ev.FMR100, 100*ev.FMR1000)
	if ev.Genuine != 1120 || ev.Impostor != 11520 || ev.EER > 0.05 {
		t.Errorf("pooled %+v", ev.Rates)
	}
	for _, f := range ev.LeaveOneOut {
		t.Logf("%s left out: EER %.2f%% FMR100 %.2f%% FMR1000 %.2f%% with %s", f.LeftOut, 100*f.EER, 100*f.FMR100, 100*f.FMR1000, f.Params)
		if f.EER >= bozorth3[f.LeftOut] {
			t.Errorf("%s left out: EER %.4f, bozorth3 has %.4f", f.LeftOut, f.EER, bozorth3[f.LeftOut])
		}
	}
	if len(ev.LeaveOneOut) != 4 {
		t.Fatalf("%d folds", len(ev.LeaveOneOut))
	}
	// Each tolerance and nP ceiling is compared once; its consolidation
	// weights only fuse the two terms differently.
	var recs [][]evalRecord
	for _, f := range []string{"DB1_B", "DB2_B", "DB3_B", "DB4_B"} {
		r, err := loadEvalRecords(filepath.Join(fvcDir, f), 0)
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	type terms struct{ s, k []float64 }
	parts := map[[2]float64][]terms{}
	for _, p := range scoreGrid {
		key := [2]float64{p.distTol, float64(p.maxPairs)}
		if parts[key] == nil {
			for _, r := range recs {
				s, k, err := scoreParts(context.Background(), r, 2, p)
				if err != nil {
					t.Fatal(err)
				}
				parts[key] = append(parts[key], terms{s, k})
			}
		}
		var g, im []float64
		for d, r := range recs {
			dg, di := splitScores(r, parts[key][d].s, parts[key][d].k, p)
			g, im = append(g, dg...), append(im, di...)
		}
		r := ComputeRates(g, im)
		if r.EER < ev.EER {
			t.Errorf("%v pools to EER %.4f, below the default's %.4f", p, r.EER, ev.EER)
		}
		// Ties go to the smaller consolidation weight.
		if r.EER == ev.EER && p.consWeight < defaultScore.consWeight {
			t.Errorf("%v pools to the default's EER %.4f with a smaller consolidation weight", p, r.EER)
		}
	}
	for _, c := range []struct {
		fmr, constant float64
	}{{0.01, ThresholdFMR100}, {0.001, ThresholdFMR1000}, {0.0001, ThresholdFMR10000}} {
		if got := Threshold(imp, c.fmr); math.Abs(got-c.constant) > 5e-5 {
			t.Errorf("threshold at FMR %v measures %.6f, constant says %.6f", c.fmr, got, c.constant)
		}
	}
}

// plasticDistortion returns a copy of t whose first view's minutiae are
// moved by a synthetic plastic distortion of strength s, after R.
// Cappelli, D. Maio, D. Maltoni, "Modelling plastic distortion in
// fingerprint images", ICAPR 2001: within 40 px of the minutiae's centroid
// the skin does not move, beyond 150 px it moves rigidly (a rotation of up
// to 8 degrees x s and a translation of up to 18 px x s in each axis, drawn
// from rng), and in between the displacement blends in smoothly
// (smoothstep of the distance).
func plasticDistortion(t *Template, rng *rand.Rand, s float64) *Template {
	d := *t
	d.Views = slices.Clone(t.Views)
	v := &d.Views[0]
	v.Minutiae = slices.Clone(v.Minutiae)
	var cx, cy float64
	for _, m := range v.Minutiae {
		cx += float64(m.X)
		cy += float64(m.Y)
	}
	n := float64(max(len(v.Minutiae), 1))
	cx, cy = cx/n, cy/n
	th := (rng.Float64()*2 - 1) * 8 * math.Pi / 180 * s
	tx := (rng.Float64()*2 - 1) * 18 * s
	ty := (rng.Float64()*2 - 1) * 18 * s
	for i := range v.Minutiae {
		m := &v.Minutiae[i]
		dx, dy := float64(m.X)-cx, float64(m.Y)-cy
		k := 0.0
		if r := math.Hypot(dx, dy); r > 40 {
			u := min((r-40)/110, 1)
			k = u * u * (3 - 2*u)
		}
		rx := math.Cos(th)*dx - math.Sin(th)*dy + tx
		ry := math.Sin(th)*dx + math.Cos(th)*dy + ty
		m.X = int(math.Round(float64(m.X) + k*(rx-dx)))
		m.Y = int(math.Round(float64(m.Y) + k*(ry-dy)))
		m.Angle = math.Mod(m.Angle+k*th+4*math.Pi, 2*math.Pi)
	}
	return &d
}

// TestDistortionProxy rates the matcher on the FVC2002 templates with a
// synthetic plastic distortion per impression (plasticDistortion, fixed
// seed), a proxy for more distorted captures such as FVC2004's, which this
// repository does not have. The consolidation was kept because, besides
// the left-out FVC2002 databases, it does better here than the same score
// without it (consolidation weight 0): the test holds it to that, at the
// package doc's strengths 1 and 1.5.
func TestDistortionProxy(t *testing.T) {
	if testing.Short() {
		t.Skip("full evaluation skipped in -short")
	}
	rigid := newScoreParams(defaultScore.distTol, defaultScore.maxPairs, 0)
	for _, strength := range []float64{1, 1.5} {
		rng := rand.New(rand.NewPCG(17, 1))
		var withG, withI, withoutG, withoutI []float64
		for _, db := range []string{"DB1_B", "DB2_B", "DB3_B", "DB4_B"} {
			recs, err := loadEvalRecords(filepath.Join(fvcDir, db), 0)
			if err != nil {
				t.Fatal(err)
			}
			for i := range recs {
				if recs[i].p, err = Prepare(plasticDistortion(recs[i].t, rng, strength)); err != nil {
					t.Fatal(err)
				}
			}
			s, k, err := scoreParts(context.Background(), recs, 2, defaultScore)
			if err != nil {
				t.Fatal(err)
			}
			g, im := splitScores(recs, s, k, defaultScore)
			withG, withI = append(withG, g...), append(withI, im...)
			g, im = splitScores(recs, s, k, rigid)
			withoutG, withoutI = append(withoutG, g...), append(withoutI, im...)
		}
		with, without := ComputeRates(withG, withI), ComputeRates(withoutG, withoutI)
		t.Logf("strength %v: EER %.2f%% FMR100 %.2f%% FMR1000 %.2f%% (without consolidation %.2f%% %.2f%% %.2f%%)",
			strength, 100*with.EER, 100*with.FMR100, 100*with.FMR1000, 100*without.EER, 100*without.FMR100, 100*without.FMR1000)
		if with.EER >= without.EER || with.FMR1000 >= without.FMR1000 {
			t.Errorf("strength %v: consolidation does not help: %+v, without %+v", strength, with, without)
		}
	}
}
