package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/cancuoc/sdk/biometric"
	"github.com/cancuoc/sdk/internal/bounded"
)

func init() {
	register(command{name: "finger compare", summary: "compare two finger minutiae records (1:1) and print the score", run: runFingerCompare})
	register(command{name: "finger eval", summary: "run the FVC accuracy protocol on a directory of F_I.iso records", run: runFingerEval})
}

// fingerThresholds maps the -fmr flag to the calibrated thresholds.
var fingerThresholds = map[string]float64{
	"0.01":   biometric.ThresholdFMR100,
	"0.001":  biometric.ThresholdFMR1000,
	"0.0001": biometric.ThresholdFMR10000,
}

func runFingerCompare(e *env, args []string) int {
	fs := newFlags(e, "finger compare", "[-fmr 0.001] A B\n\n"+
		"Compares two finger minutiae records (ISO/IEC 19794-2 or ANSI 378, first view) and prints\n"+
		`{"score":S,"match":bool,"threshold":T}; match means score >= the threshold calibrated`+"\n"+
		"for the chosen false match rate on the FVC2002 set B data.\n")
	fmr := fs.String("fmr", "0.001", "false match rate of the threshold: 0.01, 0.001 or 0.0001")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return exitUsage
	}
	threshold, ok := fingerThresholds[*fmr]
	if !ok {
		fmt.Fprintf(e.stderr, "finger compare: -fmr %s: want 0.01, 0.001 or 0.0001 (the rates with calibrated thresholds)\n", *fmr)
		return exitUsage
	}
	var ps [2]*biometric.Prepared
	for i, name := range fs.Args() {
		p, err := readPrepared(name)
		if err != nil {
			fmt.Fprintln(e.stderr, "finger compare:", err)
			return exitFail
		}
		ps[i] = p
	}
	score := biometric.Compare(ps[0], ps[1])
	out, err := json.Marshal(struct {
		Score     float64 `json:"score"`
		Match     bool    `json:"match"`
		Threshold float64 `json:"threshold"`
	}{score, score >= threshold, threshold})
	if err != nil {
		fmt.Fprintln(e.stderr, "finger compare:", err)
		return exitFail
	}
	fmt.Fprintf(e.stdout, "%s\n", out)
	return exitOK
}

// readPrepared reads, decodes and prepares one record file. Its errors
// name the file.
func readPrepared(name string) (*biometric.Prepared, error) {
	b, err := bounded.ReadFile(name, bounded.MinutiaeRecord)
	if err != nil {
		return nil, err
	}
	t, err := biometric.Decode(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	p, err := biometric.Prepare(t)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

// fingerRates is the JSON shape of one database's figures.
type fingerRates struct {
	EER      float64 `json:"eer"`
	FMR100   float64 `json:"fmr100"`
	FMR1000  float64 `json:"fmr1000"`
	Genuine  int     `json:"genuine"`
	Impostor int     `json:"impostor"`
}

// fingerFold is the JSON shape of one leave-one-database-out fold.
type fingerFold struct {
	fingerRates
	Params      string  `json:"params"`
	TrainingEER float64 `json:"training_eer"`
}

func runFingerEval(e *env, args []string) int {
	fs := newFlags(e, "finger eval", "[-plot det.svg] [-workers N] [-lodo=false] [-fingers N] DIR\n"+
		"       cancuoc finger eval -index [-distractors 2000] [-seed S] [-penetration P] [-screening S] DIR\n\n"+
		"Runs the FVC protocol on DIR (database folders of F_I.iso records, or one such folder):\n"+
		"genuine = every pair of impressions of one finger, impostor = every pair of different\n"+
		"fingers, both within a database. Prints one JSON object with EER, FMR100 and FMR1000\n"+
		"(fractions) pooled over all databases' scores and per database, the pair counts and the\n"+
		"comparisons per second. With three or more databases it also validates the score's\n"+
		"parameters leave-one-database-out: per held-out database, the rates of the parameters\n"+
		"chosen on the others (leave_one_out) and the mean of their EERs.\n\n"+
		"With -index it measures the indexed 1:N search against the exact one instead: for each\n"+
		"database and impression number e, a gallery of impression e of every finger plus\n"+
		"synthetic distractors (recombined from the other databases' records), every other\n"+
		"impression searched both ways; prints pooled and per-database top-1 and top-10 hit\n"+
		"rates, the penetration (share compared exactly), the share screened before it, the time\n"+
		"per search, and the share of scores above the FMR 1% threshold against real impostors\n"+
		"and against distractors.\n")
	index := fs.Bool("index", false, "evaluate the indexed search (hit rate and penetration) against the exact one")
	distractors := fs.Int("distractors", 2000, "with -index: synthetic distractors per database")
	seed := fs.Uint64("seed", 1, "with -index: distractor synthesis seed")
	pen := fs.Float64("penetration", 0, "with -index: share compared exactly (0: the package default)")
	screening := fs.Float64("screening", 0, "with -index: share screened before the exact comparison (0: 20 times the penetration; negative: none)")
	plot := fs.String("plot", "", "also write a DET plot (SVG) to this file")
	workers := fs.Int("workers", 0, "comparison goroutines (0: GOMAXPROCS)")
	lodo := fs.Bool("lodo", true, "leave-one-database-out validation (about a dozen times the work)")
	fingers := fs.Int("fingers", 0, "keep only the first N fingers of each database (0: all)")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if fs.NArg() != 1 || *fingers < 0 || *distractors <= 0 || *pen < 0 || *pen > 1 || *screening > 1 {
		fs.Usage()
		return exitUsage
	}
	if *index {
		return runFingerEvalIndex(e, fs.Arg(0), biometric.IndexEvalOptions{Distractors: *distractors, Seed: *seed, Penetration: *pen, Screening: *screening})
	}
	ev, err := biometric.Evaluate(context.Background(), fs.Arg(0),
		biometric.EvalOptions{Workers: *workers, LeaveOneOut: *lodo, Fingers: *fingers})
	if err != nil {
		fmt.Fprintln(e.stderr, "finger eval:", err)
		return exitFail
	}
	per := map[string]fingerRates{}
	for _, d := range ev.Databases {
		per[d.Name] = fingerRates{d.EER, d.FMR100, d.FMR1000, d.Genuine, d.Impostor}
	}
	var folds map[string]fingerFold
	var meanEER *float64
	if len(ev.LeaveOneOut) > 0 {
		folds = map[string]fingerFold{}
		for _, f := range ev.LeaveOneOut {
			folds[f.LeftOut] = fingerFold{fingerRates{f.EER, f.FMR100, f.FMR1000, f.Genuine, f.Impostor}, f.Params, f.Training.EER}
		}
		m := ev.MeanLeftOutEER()
		meanEER = &m
	}
	out, err := json.Marshal(struct {
		EER               float64                `json:"eer"`
		FMR100            float64                `json:"fmr100"`
		FMR1000           float64                `json:"fmr1000"`
		Genuine           int                    `json:"genuine"`
		Impostor          int                    `json:"impostor"`
		ComparisonsPerSec float64                `json:"comparisons_per_sec"`
		PerDatabase       map[string]fingerRates `json:"per_database"`
		LeaveOneOut       map[string]fingerFold  `json:"leave_one_out,omitempty"`
		LeftOutMeanEER    *float64               `json:"leave_one_out_mean_eer,omitempty"`
	}{ev.EER, ev.FMR100, ev.FMR1000, ev.Genuine, ev.Impostor, float64(int64(ev.ComparisonsPerSecond())), per, folds, meanEER})
	if err != nil {
		fmt.Fprintln(e.stderr, "finger eval:", err)
		return exitFail
	}
	if *plot != "" {
		f, err := os.Create(*plot)
		if err == nil {
			err = ev.WriteDET(f)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(e.stderr, "finger eval: plot:", err)
			return exitFail
		}
	}
	fmt.Fprintf(e.stdout, "%s\n", out)
	return exitOK
}
