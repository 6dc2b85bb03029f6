package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cancuoc/sdk/biometric"
)

func init() {
	register(command{name: "finger index", summary: "build an indexed gallery file from directories of finger minutiae records", run: runFingerIndex})
	register(command{name: "finger search", summary: "search a gallery file (1:N) for each probe record and print JSON lines", run: runFingerSearch})
}

// progressFrom is the input size from which finger index draws a
// progress bar on stderr.
const progressFrom = 1000

func runFingerIndex(e *env, args []string) int {
	flags := newFlags(e, "finger index", "-out gallery.bin DIR...\n\n"+
		"Reads every file under the DIRs (recursively, in name order) that decodes as a finger\n"+
		"minutiae record, prepares its first view, enrols it under its file name without the\n"+
		"extension, builds the search index and writes the gallery file. Files that do not\n"+
		"decode are listed on stderr and skipped. From 1000 files on, a progress bar is drawn\n"+
		"on stderr.\n")
	out := flags.String("out", "", "gallery file to write")
	if code, stop := parseFlags(flags, args); stop {
		return code
	}
	if *out == "" || flags.NArg() == 0 {
		flags.Usage()
		return exitUsage
	}
	var files []string
	for _, dir := range flags.Args() {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				files = append(files, path)
			}
			return err
		})
		if err != nil {
			fmt.Fprintln(e.stderr, "finger index:", err)
			return exitFail
		}
	}
	// Prepare on every core; enrol in file order.
	prepared := make([]*biometric.Prepared, len(files))
	errs := make([]error, len(files))
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(files); i = int(next.Add(1)) - 1 {
				prepared[i], errs[i] = readPrepared(files[i])
				done.Add(1)
			}
		})
	}
	bar := newProgress(e.stderr, "prepare", len(files))
	for stop := false; !stop; {
		stop = waitTimeout(&wg, 200*time.Millisecond)
		bar.set(int(done.Load()))
	}
	bar.finish()
	var g biometric.Gallery
	for i, p := range prepared {
		if errs[i] != nil {
			fmt.Fprintf(e.stderr, "finger index: skipped %s: %v\n", files[i], errs[i])
			continue
		}
		g.Add(strings.TrimSuffix(filepath.Base(files[i]), filepath.Ext(files[i])), p)
	}
	if g.Len() == 0 {
		fmt.Fprintln(e.stderr, "finger index: no record decoded")
		return exitFail
	}
	if err := g.BuildIndex(context.Background()); err != nil {
		fmt.Fprintln(e.stderr, "finger index:", err)
		return exitFail
	}
	if err := g.Save(*out); err != nil {
		fmt.Fprintln(e.stderr, "finger index:", err)
		return exitFail
	}
	fmt.Fprintf(e.stderr, "finger index: %d templates in %s\n", g.Len(), *out)
	return exitOK
}

// waitTimeout waits for wg up to d and reports whether it finished.
func waitTimeout(wg *sync.WaitGroup, d time.Duration) bool {
	c := make(chan struct{})
	go func() { wg.Wait(); close(c) }()
	select {
	case <-c:
		return true
	case <-time.After(d):
		return false
	}
}

// progress draws "label [=====     ] done/total" on one terminal line,
// only for inputs of progressFrom items or more.
type progress struct {
	w            io.Writer
	label        string
	total, drawn int
}

func newProgress(w io.Writer, label string, total int) *progress {
	if total < progressFrom {
		w = nil
	}
	return &progress{w: w, label: label, total: total, drawn: -1}
}

func (p *progress) set(done int) {
	if p.w == nil || done == p.drawn {
		return
	}
	p.drawn = done
	const width = 40
	n := width * done / p.total
	fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d", p.label, strings.Repeat("=", n), strings.Repeat(" ", width-n), done, p.total)
}

func (p *progress) finish() {
	if p.w != nil {
		fmt.Fprintln(p.w)
	}
}

// searchLine is one line of finger search's output.
type searchLine struct {
	Probe      string            `json:"probe"`
	Candidates []searchCandidate `json:"candidates"`
	Compared   int               `json:"compared"`
	MS         float64           `json:"ms"`
}

type searchCandidate struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
}

func runFingerSearch(e *env, args []string) int {
	fs := newFlags(e, "finger search", "-gallery gallery.bin [-k 10] [-exact] [-penetration P] [-screening S] PROBE...\n\n"+
		"Searches the gallery for each probe record (first view) and prints, in probe order, one\n"+
		`JSON line {"probe":NAME,"candidates":[{"id":ID,"score":S}...],"compared":N,"ms":T}`+"\n"+
		"with the k best candidates, highest score first, the number of templates compared\n"+
		"exactly and the search's wall time in milliseconds. The index picks the candidates to\n"+
		"compare unless -exact compares every template (the reference).\n")
	gallery := fs.String("gallery", "", "gallery file written by finger index")
	k := fs.Int("k", 10, "candidates to print")
	exact := fs.Bool("exact", false, "compare the probe with every template")
	pen := fs.Float64("penetration", 0, "share of the gallery compared exactly by the indexed search (0: the package default)")
	scr := fs.Float64("screening", 0, "share of the gallery screened before the exact comparison (0: 20 times the penetration; negative: none)")
	if code, stop := parseFlags(fs, args); stop {
		return code
	}
	if *gallery == "" || *k <= 0 || fs.NArg() == 0 || *pen < 0 || *pen > 1 || *scr > 1 {
		fs.Usage()
		return exitUsage
	}
	// The file is memory-mapped where the platform allows: it is checked
	// once, not copied, and released by Close.
	g, err := biometric.LoadGallery(*gallery)
	if err != nil {
		fmt.Fprintln(e.stderr, "finger search:", err)
		return exitFail
	}
	defer g.Close()
	ctx := context.Background()
	code := exitOK
	for _, name := range fs.Args() {
		probe, err := readPrepared(name)
		if err != nil {
			fmt.Fprintf(e.stderr, "finger search: %s: %v\n", name, err)
			code = exitFail
			continue
		}
		start := time.Now()
		var cands []biometric.Candidate
		compared := g.Len()
		if *exact {
			cands, err = g.Search(ctx, probe, *k)
		} else {
			cands, compared, err = g.SearchIndexed(ctx, probe, *k, biometric.IndexOptions{Penetration: *pen, Screening: *scr})
		}
		elapsed := time.Since(start)
		if err != nil {
			fmt.Fprintf(e.stderr, "finger search: %s: %v\n", name, err)
			return exitFail
		}
		line := searchLine{Probe: name, Candidates: []searchCandidate{}, Compared: compared, MS: float64(elapsed.Microseconds()) / 1000}
		for _, c := range cands {
			line.Candidates = append(line.Candidates, searchCandidate{c.ID, c.Score})
		}
		b, err := json.Marshal(line)
		if err != nil {
			fmt.Fprintln(e.stderr, "finger search:", err)
			return exitFail
		}
		fmt.Fprintf(e.stdout, "%s\n", b)
	}
	return code
}

// screening is the share of the gallery the indexed search screens with
// opts, as IndexOptions documents it (0 when it does not screen).
func screening(opts biometric.IndexEvalOptions) float64 {
	pen := opts.Penetration
	if pen == 0 {
		pen = biometric.DefaultPenetration
	}
	switch {
	case opts.Screening == 0:
		return min(biometric.DefaultScreeningRatio*pen, 1)
	case opts.Screening <= pen:
		return 0
	}
	return opts.Screening
}

// runFingerEvalIndex is finger eval -index: the indexed search against the
// exact one on the FVC protocol with synthetic distractors.
func runFingerEvalIndex(e *env, dir string, opts biometric.IndexEvalOptions) int {
	ev, err := biometric.EvaluateIndex(context.Background(), dir, opts)
	if err != nil {
		fmt.Fprintln(e.stderr, "finger eval:", err)
		return exitFail
	}
	type hits struct {
		Top1  float64 `json:"top1"`
		Top10 float64 `json:"top10"`
	}
	type result struct {
		Searches         int     `json:"searches"`
		Gallery          int     `json:"gallery"`
		Exact            hits    `json:"exact"`
		Indexed          hits    `json:"indexed"`
		Penetration      float64 `json:"penetration"`
		Screening        float64 `json:"screening"`
		ExactMS          float64 `json:"exact_ms_per_search"`
		IndexedMS        float64 `json:"indexed_ms_per_search"`
		ImpostorFMR100   float64 `json:"impostor_over_fmr100"`
		DistractorFMR100 float64 `json:"distractor_over_fmr100"`
	}
	conv := func(r biometric.IndexResult) result {
		n := float64(max(r.Searches, 1))
		return result{r.Searches, r.Gallery, hits(r.Exact), hits(r.Indexed), r.Penetration, screening(opts),
			float64(r.ExactTime.Microseconds()) / 1000 / n, float64(r.IndexedTime.Microseconds()) / 1000 / n,
			r.ImpostorFMR100, r.DistractorFMR100}
	}
	per := map[string]result{}
	for _, d := range ev.Databases {
		per[d.Name] = conv(d)
	}
	out, err := json.Marshal(struct {
		Pooled      result            `json:"pooled"`
		PerDatabase map[string]result `json:"per_database"`
	}{conv(ev.IndexResult), per})
	if err != nil {
		fmt.Fprintln(e.stderr, "finger eval:", err)
		return exitFail
	}
	fmt.Fprintf(e.stdout, "%s\n", out)
	return exitOK
}
