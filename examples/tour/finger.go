package main

import (
	"context"
	"embed"
	"fmt"
	"io"

	"github.com/cancuoc/sdk/biometric"
)

func init() {
	register(chapter{order: 50, title: "Fingerprints: minutiae templates, 1:1 comparison, 1:N search", run: fingerChapter})
}

// Six FVC2002 DB1 set B records (testdata/README.md): three impressions of
// finger 101 and one each of fingers 102, 103 and 104.
//
//go:embed testdata/fvc2002_db1b_*.iso
var fingerRecords embed.FS

func fingerChapter(w io.Writer) error {
	fmt.Fprintln(w, "The card stores fingerprint minutiae; biometric decodes ISO/IEC 19794-2 and")
	fmt.Fprintln(w, "ANSI 378 records, prepares Minutia Cylinder-Code descriptors once and compares")
	fmt.Fprintln(w, "prepared templates with a score in [0, 1]. Templates print masked.")
	prepared := map[string]*biometric.Prepared{}
	for _, name := range []string{"101_1", "101_2", "101_3", "102_1", "103_1", "104_1"} {
		b, err := fingerRecords.ReadFile("testdata/fvc2002_db1b_" + name + ".iso")
		if err != nil {
			return err
		}
		t, err := biometric.Decode(b)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if name == "101_1" {
			fmt.Fprintf(w, "\nrecord 101_1 (%d bytes): %v\n", len(b), t)
		}
		if prepared[name], err = biometric.Prepare(t); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	fmt.Fprintf(w, "prepared: %v\n", prepared["101_1"])

	fmt.Fprintln(w, "\nThe thresholds are calibrated on the FVC2002 templates, and the score's parameters")
	fmt.Fprintln(w, "were chosen leave-one-database-out: tuned on three databases, rated on the fourth.")
	fmt.Fprintln(w, "`cancuoc finger eval testdata/fvc2002` prints each held-out database's rates")
	fmt.Fprintln(w, "(leave_one_out) next to the in-sample ones.")
	fmt.Fprintf(w, "\n1:1 at the FMR 0.1%% threshold %.5f (calibrated on FVC2002):\n", biometric.ThresholdFMR1000)
	for _, pair := range [][2]string{{"101_1", "101_2"}, {"101_1", "102_1"}} {
		s := biometric.Compare(prepared[pair[0]], prepared[pair[1]])
		verdict := "different fingers"
		if s >= biometric.ThresholdFMR1000 {
			verdict = "same finger"
		}
		fmt.Fprintf(w, "  %s vs %s: score %.4f -> %s\n", pair[0], pair[1], s, verdict)
	}

	var g biometric.Gallery
	for _, id := range []string{"101_2", "102_1", "103_1", "104_1"} {
		g.Add(id, prepared[id])
	}
	top, err := g.Search(context.Background(), prepared["101_3"], 2)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n1:N: probe 101_3 against %v, top 2:\n", &g)
	for _, c := range top {
		fmt.Fprintf(w, "  %s score %.4f match=%v\n", c.ID, c.Score, c.Score >= biometric.ThresholdFMR1000)
	}
	return nil
}
