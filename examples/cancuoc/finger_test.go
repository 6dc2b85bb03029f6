package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fvcData holds the FVC2002 set B records (testdata/fvc2002/README.md).
const fvcData = "../../testdata"

func TestFingerCompare(t *testing.T) {
	a := filepath.Join(fvcData, "fvc2002/DB1_B/101_1.iso")
	same := filepath.Join(fvcData, "fvc2002/DB1_B/101_2.iso") // same finger, README
	other := filepath.Join(fvcData, "fvc2002/DB1_B/105_1.iso")
	for _, tt := range []struct {
		b         string
		args      []string
		wantMatch bool
		threshold float64
	}{
		{same, nil, true, 0},
		{other, nil, false, 0},
		{same, []string{"-fmr", "0.01"}, true, 0},
	} {
		args := append(append([]string{"finger", "compare"}, tt.args...), a, tt.b)
		out, stderr, code := runCLI(t, "", args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d, %s", args, code, stderr)
		}
		// The contract: exactly these three fields, in this order.
		if !strings.HasPrefix(out, `{"score":`) || !strings.Contains(out, `,"match":`) || !strings.HasSuffix(out, "}\n") {
			t.Fatalf("output %q", out)
		}
		var got struct {
			Score     float64 `json:"score"`
			Match     bool    `json:"match"`
			Threshold float64 `json:"threshold"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		if got.Match != tt.wantMatch || got.Match != (got.Score >= got.Threshold) || got.Threshold <= 0 {
			t.Errorf("%v: %+v, want match %v", args, got, tt.wantMatch)
		}
	}
}

func TestFingerCompareBadRecord(t *testing.T) {
	a := filepath.Join(fvcData, "fvc2002/DB1_B/101_1.iso")
	bad := "../../biometric/testdata/fvc2002_db1_101_1_truncate_1_byte_invalid.iso"
	out, stderr, code := runCLI(t, "", "finger", "compare", a, bad)
	if code != exitFail || out != "" || !strings.Contains(stderr, bad) || !strings.Contains(stderr, "truncated") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1 naming the file and the problem", code, out, stderr)
	}
	if _, _, code := runCLI(t, "", "finger", "compare", a); code != exitUsage {
		t.Errorf("one file: exit %d, want %d", code, exitUsage)
	}
	if _, _, code := runCLI(t, "", "finger", "compare", "-fmr", "0.5", a, a); code != exitUsage {
		t.Errorf("unknown -fmr: exit %d, want %d", code, exitUsage)
	}
	if _, _, code := runCLI(t, "", "finger", "compare", "-h"); code != exitOK {
		t.Errorf("-h: exit %d", code)
	}
}

func TestFingerEval(t *testing.T) {
	plot := filepath.Join(t.TempDir(), "det.svg")
	out, stderr, code := runCLI(t, "", "finger", "eval", "-lodo=false", "-plot", plot, filepath.Join(fvcData, "fvc2002"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, `{"eer":`) {
		t.Fatalf("want one JSON object on one line, got %q", out)
	}
	var got struct {
		EER         float64 `json:"eer"`
		FMR100      float64 `json:"fmr100"`
		FMR1000     float64 `json:"fmr1000"`
		Genuine     int     `json:"genuine"`
		Impostor    int     `json:"impostor"`
		PerSec      float64 `json:"comparisons_per_sec"`
		PerDatabase map[string]struct {
			EER      float64 `json:"eer"`
			Genuine  int     `json:"genuine"`
			Impostor int     `json:"impostor"`
		} `json:"per_database"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	// Protocol counts from the testdata README: 280 genuine and 2,880
	// impostor pairs per database, four databases.
	if got.Genuine != 1120 || got.Impostor != 11520 || len(got.PerDatabase) != 4 || got.PerSec <= 0 {
		t.Fatalf("%+v", got)
	}
	for name, d := range got.PerDatabase {
		if d.Genuine != 280 || d.Impostor != 2880 || d.EER <= 0 || d.EER >= 0.1 {
			t.Errorf("%s: %+v", name, d)
		}
	}
	svg, err := os.ReadFile(plot)
	if err != nil || !bytes.HasPrefix(svg, []byte("<svg")) || !bytes.Contains(svg, []byte("DB4_B")) {
		t.Errorf("plot: %v, %.60q", err, svg)
	}
	if strings.Contains(out, "leave_one_out") {
		t.Errorf("-lodo=false printed folds: %s", out)
	}
	if _, stderr, code := runCLI(t, "", "finger", "eval", t.TempDir()); code != exitFail || stderr == "" {
		t.Errorf("empty dir: exit %d, %q", code, stderr)
	}
	if _, _, code := runCLI(t, "", "finger", "eval", "-fingers", "-1", t.TempDir()); code != exitUsage {
		t.Errorf("-fingers -1: exit %d, want %d", code, exitUsage)
	}
}

// TestFingerEvalLeaveOneOut runs the default leave-one-database-out
// validation on the first three fingers of each FVC2002 database (3 x 28 =
// 84 genuine and C(24,2) - 84 = 192 impostor pairs per database).
func TestFingerEvalLeaveOneOut(t *testing.T) {
	plot := filepath.Join(t.TempDir(), "det.svg")
	out, stderr, code := runCLI(t, "", "finger", "eval", "-fingers", "3", "-plot", plot, filepath.Join(fvcData, "fvc2002"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Genuine     int `json:"genuine"`
		LeaveOneOut map[string]struct {
			EER         float64 `json:"eer"`
			FMR100      float64 `json:"fmr100"`
			FMR1000     float64 `json:"fmr1000"`
			Genuine     int     `json:"genuine"`
			Impostor    int     `json:"impostor"`
			Params      string  `json:"params"`
			TrainingEER float64 `json:"training_eer"`
		} `json:"leave_one_out"`
		MeanEER *float64 `json:"leave_one_out_mean_eer"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Genuine != 4*84 || len(got.LeaveOneOut) != 4 || got.MeanEER == nil {
		t.Fatalf("%s", out)
	}
	var sum float64
	for name, f := range got.LeaveOneOut {
		if f.Genuine != 84 || f.Impostor != 192 || f.Params == "" || f.FMR100 > f.FMR1000 {
			t.Errorf("%s: %+v", name, f)
		}
		sum += f.EER
	}
	if d := *got.MeanEER - sum/4; d > 1e-12 || d < -1e-12 {
		t.Errorf("mean EER %v, folds average %v", *got.MeanEER, sum/4)
	}
	svg, err := os.ReadFile(plot)
	if err != nil || !bytes.Contains(svg, []byte("DB3_B left out EER")) {
		t.Errorf("plot: %v, no left-out curve", err)
	}
}
