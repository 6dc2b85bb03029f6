package chip

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// TestPersonalDataMasked prints every chip type that holds personal data
// under each fmt verb and through slog's text and JSON handlers, and checks
// that no value of the card shows. Values: the synthetic holder of
// holder_test.go, and the names in the ICAO 9303-10 DG11 and DG16 examples
// and the gmrtd DG12 sample (../testdata/lds/README.md).
func TestPersonalDataMasked(t *testing.T) {
	h, err := ParseHolderJSON([]byte(synthHolderJSON))
	if err != nil {
		t.Fatal(err)
	}
	h.FaceJPEG = nil
	files, err := BuildDataGroups(h, BuildOptions{FaceSeed: 1})
	if err != nil {
		t.Fatal(err)
	}
	dg1, err := ParseDG1(files["DG1"])
	if err != nil {
		t.Fatal(err)
	}
	dg13, err := ParseDG13(files["DG13"])
	if err != nil {
		t.Fatal(err)
	}
	dg11, err := ParseDG11(readLDS(t, "gmrtd_icao9303p10-example_DG11.bin"))
	if err != nil {
		t.Fatal(err)
	}
	dg12, err := ParseDG12(readLDS(t, "gmrtd_sample_DG12.bin"))
	if err != nil {
		t.Fatal(err)
	}
	dg16, err := ParseDG16(readLDS(t, "gmrtd_icao9303p10-example_DG16.bin"))
	if err != nil {
		t.Fatal(err)
	}
	// Secrets: every element value of 4 bytes or more, and the holder's.
	secrets := []string{"001090012345", "NGUYEN", "Nguyễn", "1990", "900315", "Hà Nội"}
	for _, e := range append(append(append([]Element{}, dg11.Elements...), dg12.Elements...), dg16.Persons[0].Elements...) {
		if len(e.Value) >= 4 {
			secrets = append(secrets, string(e.Value))
		}
	}
	// The face image, and a DG3 (fingerprints) kept opaque.
	dg2, err := ParseDG2(files["DG2"])
	if err != nil {
		t.Fatal(err)
	}
	face, _, ok := dg2.FaceImage()
	if !ok || len(face) < 1000 {
		t.Fatal("no synthetic face")
	}
	secrets = append(secrets, string(face[100:120]), strings.Trim(fmt.Sprint(face[100:104]), "[]"), fmt.Sprintf("%x", face[100:110]))
	dg3, err := ParseOpaque(3, append([]byte{0x63, 19}, "FINGERPRINT-MINUTIA"...))
	if err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, "FINGERPRINT", fmt.Sprintf("%x", "FINGERPRINT"), "70 73 78")
	if len(secrets) < 10 {
		t.Fatalf("only %d secrets: the samples changed", len(secrets))
	}
	values := map[string]any{
		"Holder": h, "*Holder": &h, "DG1": *dg1, "*DG1": dg1, "DG13": *dg13, "*DG13": dg13,
		"DG13Field": dg13.Fields[1], "DG11": *dg11, "*DG11": dg11, "Element": dg11.Elements[0],
		"DG12": *dg12, "*DG12": dg12, "DG16": *dg16, "*DG16": dg16, "PersonToNotify": dg16.Persons[0],
		"*DG2": dg2, "BiometricTemplate": dg2.Templates[0], "*FaceRecord": dg2.Templates[0].Face,
		"FaceImage": dg2.Templates[0].Face.Images[0], "*Opaque": dg3, "Opaque": *dg3,
	}
	for name, v := range values {
		var text, js bytes.Buffer
		slog.New(slog.NewTextHandler(&text, nil)).Info("x", "v", v)
		slog.New(slog.NewJSONHandler(&js, nil)).Info("x", "v", v)
		out := fmt.Sprintf("%v|%+v|%#v|%s|%q|%d|%x", v, v, v, v, v, v, v) + text.String() + js.String()
		for _, s := range secrets {
			// JSON writes []byte values as base64.
			if strings.Contains(out, s) || strings.Contains(out, base64.StdEncoding.EncodeToString([]byte(s))) {
				t.Errorf("%s: output leaks %q:\n%s", name, s, out)
			}
		}
	}
}
