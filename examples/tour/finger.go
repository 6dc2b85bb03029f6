package main

import (
	"bytes"
	"context"
	"embed"
	"errors"
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
	templates := map[string]*biometric.Template{}
	for _, name := range []string{"101_1", "101_2", "101_3", "102_1", "103_1", "104_1"} {
		b, err := fingerRecords.ReadFile("testdata/fvc2002_db1b_" + name + ".iso")
		if err != nil {
			return err
		}
		t, err := biometric.Decode(b)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		templates[name] = t
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
	var others []*biometric.Template
	for _, id := range []string{"101_2", "102_1", "103_1", "104_1"} {
		g.Add(id, prepared[id])
		if id != "101_2" {
			others = append(others, templates[id])
		}
	}
	top, err := g.Search(context.Background(), prepared["101_3"], 2)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n1:N: probe 101_3 against %v, top 2:\n", &g)
	for _, c := range top {
		fmt.Fprintf(w, "  %s score %.4f match=%v\n", c.ID, c.Score, c.Score >= biometric.ThresholdFMR1000)
	}

	// Indexed search: a larger gallery (distractors recombined from the
	// other fingers' records, never from the probe's finger), an index
	// over the cylinders' bits, a screening of the index's best with
	// 64-bit codes per cylinder, and only the best 5% compared exactly.
	ctx := context.Background()
	for i, t := range biometric.SynthesizeDistractors(others, 2000, 1) {
		p, err := biometric.Prepare(t)
		if err != nil {
			return err
		}
		g.Add(fmt.Sprintf("distractor-%d", i), p)
	}
	if err := g.BuildIndex(ctx); err != nil {
		return err
	}
	top, compared, err := g.SearchIndexed(ctx, prepared["101_3"], 2, biometric.IndexOptions{Penetration: 0.05})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nindexed 1:N: probe 101_3 against %v, %d compared exactly, top 2:\n", &g, compared)
	for _, c := range top {
		fmt.Fprintf(w, "  %s score %.4f\n", c.ID, c.Score)
	}

	// The gallery file: prepared templates and index, checksummed; it
	// loads without preparing anything again. Damage is a typed error.
	var file bytes.Buffer
	if _, err := g.WriteTo(&file); err != nil {
		return err
	}
	loaded, err := biometric.ReadGallery(bytes.NewReader(file.Bytes()), int64(file.Len()))
	if err != nil {
		return err
	}
	again, _, err := loaded.SearchIndexed(ctx, prepared["101_3"], 1, biometric.IndexOptions{Penetration: 0.05})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "gallery file: %d bytes, loaded %v, best %s again\n", file.Len(), loaded, again[0].ID)
	// LoadGallery maps a file instead of reading it; either way Close
	// releases the gallery, and a closed gallery refuses to search.
	if err := loaded.Close(); err != nil {
		return err
	}
	_, err = loaded.Search(ctx, prepared["101_3"], 1)
	fmt.Fprintf(w, "after Close: %v (ErrGalleryClosed: %v)\n", err, errors.Is(err, biometric.ErrGalleryClosed))
	damaged := file.Bytes()[:file.Len()-1]
	_, err = biometric.ReadGallery(bytes.NewReader(damaged), int64(len(damaged)))
	var fe *biometric.GalleryFileError
	fmt.Fprintf(w, "one byte short: %v (GalleryFileError: %v)\n", err, errors.As(err, &fe))
	return nil
}
