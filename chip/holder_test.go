package chip

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/cancuoc/sdk/cccd"
)

// synthHolderJSON is a synthetic holder: 001 = Hà Nội, fourth digit 0 = male
// born in the 20th century, 90 = born 1990 (cccd number layout).
const synthHolderJSON = `{
 "number": "001090012345",
 "name": "Nguyễn Văn An",
 "birth_date": "1990-03-15",
 "sex": "M",
 "expiry_date": null,
 "issue_date": "2021-06-01",
 "nationality": "Việt Nam",
 "ethnicity": "Kinh",
 "religion": "Không",
 "place_of_origin": "Xã Tân Lập, Huyện Đan Phượng, Hà Nội",
 "place_of_residence": "Số 1 Phố Huế, Phường Hàng Bài, Quận Hoàn Kiếm, Hà Nội",
 "identifying_marks": "Nốt ruồi C:2cm trên trước đầu lông mày trái",
 "father_name": "Nguyễn Văn Bình",
 "mother_name": "Trần Thị Cúc",
 "spouse_name": null,
 "old_number": "012345678",
 "face_jpeg": "/9j/4AAQ"
}`

func TestParseHolderJSON(t *testing.T) {
	h, err := ParseHolderJSON([]byte(synthHolderJSON))
	if err != nil {
		t.Fatal(err)
	}
	if h.Number.Digits() != "001090012345" || h.Name != "Nguyễn Văn An" || h.Sex != cccd.Male {
		t.Errorf("number/name/sex wrong")
	}
	if !h.BirthDate.Equal(time.Date(1990, 3, 15, 0, 0, 0, 0, time.UTC)) || !h.ExpiryDate.IsZero() {
		t.Errorf("dates wrong: %s %s", h.BirthDate, h.ExpiryDate)
	}
	if h.SpouseName != "" || h.OldNumber != "012345678" {
		t.Errorf("spouse/old number wrong")
	}
	// base64 "/9j/4AAQ" = FF D8 FF E0 00 10 (a JPEG SOI + APP0 start).
	if !bytes.Equal(h.FaceJPEG, []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10}) {
		t.Errorf("face = % X", h.FaceJPEG)
	}
	// Round trip through MarshalJSON.
	b, err := h.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	h2, err := ParseHolderJSON(b)
	if err != nil {
		t.Fatal(err)
	}
	b2, _ := h2.MarshalJSON()
	if !bytes.Equal(b, b2) || h2.PlaceOfResidence != h.PlaceOfResidence {
		t.Errorf("round trip differs:\n%s\n%s", b, b2)
	}
}

func TestParseHolderJSONErrors(t *testing.T) {
	base := `"number":"001090012345","name":"A","birth_date":"1990-03-15","sex":"M"`
	tests := []struct {
		name, json, field string
		is                error
	}{
		{"unknown keys", `{` + base + `,"zeta":1,"alpha":"x"}`, `"alpha", "zeta"`, errUnknownKey},
		{"bad number", `{"number":"12345","name":"A","birth_date":"1990-03-15","sex":"M"}`, "number", cccd.ErrLength},
		{"mismatch", `{"number":"001090012345","name":"A","birth_date":"1991-03-15","sex":"M"}`, "number", cccd.ErrMismatch},
		{"bad date", `{"number":"001090012345","name":"A","birth_date":"15/03/1990","sex":"M"}`, "birth_date", errDateFormat},
		{"bad sex", `{"number":"001090012345","name":"A","birth_date":"1990-03-15","sex":"Nam"}`, "sex", errSexValue},
		{"not string", `{` + base + `,"religion":3}`, "religion", errNotString},
		{"missing name", `{"number":"001090012345","birth_date":"1990-03-15","sex":"M"}`, "name", errRequired},
		{"old number", `{` + base + `,"old_number":"12ab"}`, "old_number", errOldNumber},
		{"base64", `{` + base + `,"face_jpeg":"!!"}`, "face_jpeg", errBase64},
		{"not object", `[1]`, "(object)", errNotObject},
		{"trailing", `{` + base + `} {}`, "(object)", errNotObject},
		{"duplicate", `{` + base + `,"name":"B"}`, `"name"`, errDuplicateKey},
		{"broken", `{"name": `, `"name"`, errNotObject},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := ParseHolderJSON([]byte(tt.json))
			var he *HolderError
			if !errors.As(err, &he) || he.Field != tt.field || !errors.Is(err, ErrHolder) {
				t.Fatalf("err = %v, want field %s", err, tt.field)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want %v", err, tt.is)
			}
			if !h.Number.IsZero() || h.Name != "" {
				t.Errorf("non-zero holder on error")
			}
		})
	}
}

func TestHolderMasked(t *testing.T) {
	h, err := ParseHolderJSON([]byte(synthHolderJSON))
	if err != nil {
		t.Fatal(err)
	}
	var logBuf bytes.Buffer
	slog.New(slog.NewTextHandler(&logBuf, nil)).Info("x", "holder", h)
	for _, out := range []string{
		h.String(), fmt.Sprint(h), fmt.Sprintf("%+v %#v %s %q", h, h, h, h), fmt.Sprint(&h), logBuf.String(),
	} {
		for _, secret := range []string{"001090012345", "Nguyễn", "1990", "Hà Nội", "012345678"} {
			if strings.Contains(out, secret) {
				t.Errorf("output %q leaks %q", out, secret)
			}
		}
		if !strings.Contains(out, "001*******45") {
			t.Errorf("output %q lacks the masked number", out)
		}
	}
}
