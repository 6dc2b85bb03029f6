package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFingerIndexSearch enrols DB1_B and DB2_B, then searches two probes
// both ways: one JSON line per probe in order, the probe's own record
// first with the exact search's score, -exact comparing every template.
func TestFingerIndexSearch(t *testing.T) {
	gallery := filepath.Join(t.TempDir(), "g.bin")
	db1, db2 := filepath.Join(fvcData, "fvc2002/DB1_B"), filepath.Join(fvcData, "fvc2002/DB2_B")
	if _, stderr, code := runCLI(t, "", "finger", "index", "-out", gallery, db1, db2); code != exitOK || !strings.Contains(stderr, "160 templates") {
		t.Fatalf("index: exit %d: %s", code, stderr)
	}
	probes := []string{filepath.Join(db2, "105_3.iso"), filepath.Join(db1, "101_1.iso")}
	type line struct {
		Probe      string `json:"probe"`
		Candidates []struct {
			ID    string  `json:"id"`
			Score float64 `json:"score"`
		} `json:"candidates"`
		Compared int     `json:"compared"`
		MS       float64 `json:"ms"`
	}
	search := func(args ...string) []line {
		t.Helper()
		out, stderr, code := runCLI(t, "", append([]string{"finger", "search", "-gallery", gallery, "-k", "3"}, append(args, probes...)...)...)
		if code != exitOK {
			t.Fatalf("search %v: exit %d: %s", args, code, stderr)
		}
		var ls []line
		for _, s := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if !strings.HasPrefix(s, `{"probe":`) {
				t.Fatalf("line %q", s)
			}
			var l line
			if err := json.Unmarshal([]byte(s), &l); err != nil {
				t.Fatal(err)
			}
			ls = append(ls, l)
		}
		return ls
	}
	// Screening (the default, here 20 times 0.1: all 160) and none pick
	// the same 16 to compare here.
	exact, indexed, unscreened := search("-exact"), search("-penetration", "0.1"), search("-penetration", "0.1", "-screening", "-1")
	for i, ls := range [][]line{exact, indexed, unscreened} {
		if len(ls) != 2 {
			t.Fatalf("%d lines", len(ls))
		}
		for j, l := range ls {
			want := strings.TrimSuffix(filepath.Base(probes[j]), ".iso")
			if l.Probe != probes[j] || len(l.Candidates) != 3 || l.Candidates[0].ID != want || l.MS < 0 {
				t.Errorf("line %d: %+v", j, l)
			}
			if i == 0 && l.Compared != 160 || i > 0 && l.Compared != 16 {
				t.Errorf("compared %d", l.Compared)
			}
		}
	}
	if exact[0].Candidates[0] != indexed[0].Candidates[0] {
		t.Errorf("exact %+v, indexed %+v", exact[0].Candidates[0], indexed[0].Candidates[0])
	}
	// A damaged gallery file fails to load.
	b, err := os.ReadFile(gallery)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "bad.bin")
	if err := os.WriteFile(bad, b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runCLI(t, "", "finger", "search", "-gallery", bad, probes[0]); code != exitFail || !strings.Contains(stderr, "truncated") {
		t.Errorf("truncated gallery: exit %d, %q", code, stderr)
	}
	if _, _, code := runCLI(t, "", "finger", "search", probes[0]); code != exitUsage {
		t.Errorf("no -gallery: exit %d", code)
	}
	if _, _, code := runCLI(t, "", "finger", "index", db1); code != exitUsage {
		t.Errorf("no -out: exit %d", code)
	}
}

func TestFingerEvalIndex(t *testing.T) {
	if testing.Short() {
		t.Skip("searches every FVC2002 probe twice")
	}
	// Two databases (the least the distractor synthesis needs) keep it short.
	dir := t.TempDir()
	for _, db := range []string{"DB2_B", "DB4_B"} {
		files, err := filepath.Glob(filepath.Join(fvcData, "fvc2002", db, "*.iso"))
		if err != nil || len(files) != 80 {
			t.Fatalf("%s: %d records, %v", db, len(files), err)
		}
		if err := os.Mkdir(filepath.Join(dir, db), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err == nil {
				err = os.WriteFile(filepath.Join(dir, db, filepath.Base(f)), b, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	out, stderr, code := runCLI(t, "", "finger", "eval", "-index", "-distractors", "20", "-penetration", "0.2", "-screening", "0.5", dir)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Pooled struct {
			Searches    int     `json:"searches"`
			Gallery     int     `json:"gallery"`
			Penetration float64 `json:"penetration"`
			Screening   float64 `json:"screening"`
			Exact       struct {
				Top10 float64 `json:"top10"`
			} `json:"exact"`
		} `json:"pooled"`
		PerDatabase map[string]json.RawMessage `json:"per_database"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Pooled.Searches != 1120 || got.Pooled.Gallery != 30 || len(got.PerDatabase) != 2 || got.Pooled.Exact.Top10 < 0.9 || got.Pooled.Screening != 0.5 {
		t.Fatalf("%s", out)
	}
}

// TestProgress: a bar from 1000 items on, nothing below.
func TestProgress(t *testing.T) {
	var b strings.Builder
	p := newProgress(&b, "prepare", 1000)
	p.set(250)
	p.set(250) // unchanged: not redrawn
	p.set(1000)
	p.finish()
	want := "\rprepare [==========                              ] 250/1000" +
		"\rprepare [========================================] 1000/1000\n"
	if b.String() != want {
		t.Errorf("bar %q, want %q", b.String(), want)
	}
	b.Reset()
	p = newProgress(&b, "prepare", 999)
	p.set(10)
	p.finish()
	if b.Len() != 0 {
		t.Errorf("bar below 1000 items: %q", b.String())
	}
}
