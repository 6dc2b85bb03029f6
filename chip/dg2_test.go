package chip

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
)

// The Dutch specimen's DG2 (../testdata/lds/README.md) holds one
// ISO/IEC 19794-5 record with a JPEG 2000 image; its image information
// block (bytes 0x48-0x53 of the file) reads type 1, data type 1 (JPEG 2000),
// 449 x 598 pixels.
func TestParseDG2Specimen(t *testing.T) {
	b := readLDS(t, "jmrtd_nl-specimen2006_DG2.bin")
	d, err := ParseDG2(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Templates) != 1 || d.Templates[0].Face == nil || len(d.Templates[0].Face.Images) != 1 {
		t.Fatalf("templates: %v", d)
	}
	img := d.Templates[0].Face.Images[0]
	if d.Templates[0].Face.Version != "010" || img.ImageDataType != 1 || img.Type != ImageJPEG2000 ||
		img.Width != 449 || img.Height != 598 || img.FaceImageType != 1 {
		t.Errorf("image info: %+v", img.Type)
	}
	// The image is returned as is: a sub-slice of the file ending at its end.
	if &img.Image[len(img.Image)-1] != &b[len(b)-1] {
		t.Error("image is not the file's bytes")
	}
	if out, err := d.Encode(); err != nil || !bytes.Equal(out, b) {
		t.Errorf("Encode differs: %v", err)
	}
	if s := fmt.Sprintf("%v|%+v|%#v|%d", d, d, *d, *d); bytes.Contains([]byte(s), []byte("jP")) || len(s) > 300 {
		t.Errorf("printing shows image bytes: %.200s", s)
	}
}

// synthFace is a hand-built ISO/IEC 19794-5:2005 record around img: header
// (14 bytes), facial information (20), no feature points, image
// information (12), image.
func synthFace(img []byte) []byte {
	r := []byte("FAC\x00010\x00")
	r = binary.BigEndian.AppendUint32(r, uint32(14+20+12+len(img)))
	r = append(r, 0, 1)
	r = binary.BigEndian.AppendUint32(r, uint32(20+12+len(img)))
	r = append(r, 0, 0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	r = append(r, 1, 0, 0x01, 0xE0, 0x02, 0x80, 1, 2, 0, 0, 0, 0)
	return append(r, img...)
}

func TestParseDG2Synthetic(t *testing.T) {
	jpeg := []byte{0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 0xFF, 0xD9}
	d := &DG2{Templates: []BiometricTemplate{{Header: unhex(t, "810102 87020101 88020008"), Data: synthFace(jpeg)}}}
	f, _ := parseFaceRecord(d.Templates[0].Data)
	d.Templates[0].Face = f
	b, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseDG2(b)
	if err != nil {
		t.Fatal(err)
	}
	img, typ, ok := got.FaceImage()
	if !ok || typ != ImageJPEG || !bytes.Equal(img, jpeg) || got.Templates[0].Face.Images[0].Width != 480 ||
		got.Templates[0].Face.Images[0].Height != 640 || got.Templates[0].Face.Images[0].Gender != 1 {
		t.Fatalf("round trip: %v %v", typ, ok)
	}
	// A 19794-5:2011 record (version 030) is kept raw, not misread.
	v3 := bytes.Clone(synthFace(jpeg))
	copy(v3[4:], "030")
	d3 := &DG2{Templates: []BiometricTemplate{{Header: []byte{0x81, 1, 2}, Data: v3}}}
	b3, _ := d3.Encode()
	if g3, err := ParseDG2(b3); err != nil || g3.Templates[0].Face != nil || !bytes.Equal(g3.Templates[0].Data, v3) {
		t.Fatalf("version 030: %v", err)
	}
	// A non-19794-5 data block (say ISO/IEC 39794-5 in 7F2E) is kept raw.
	other := &DG2{Templates: []BiometricTemplate{{Header: []byte{0x81, 1, 2}, DataTag: 0x7F2E, Data: unhex(t, "A1 03 800100")}}}
	ob, err := other.Encode()
	if err != nil {
		t.Fatal(err)
	}
	og, err := ParseDG2(ob)
	if err != nil || og.Templates[0].Face != nil || og.Templates[0].DataTag != 0x7F2E || !bytes.Equal(og.Templates[0].Data, unhex(t, "A10380 0100")) {
		t.Fatalf("opaque block: %v", err)
	}
}

func TestParseDG2Errors(t *testing.T) {
	spec := readLDS(t, "jmrtd_nl-specimen2006_DG2.bin")
	badLen := bytes.Clone(spec)
	badLen[0x2F]++ // the 19794-5 record length (bytes 0x2C-0x2F)
	badCount := bytes.Clone(spec)
	badCount[0x0B] = 2 // 7F61/02: two templates announced, one present
	badPoints := bytes.Clone(spec)
	badPoints[0x38] = 0xFF // feature point count beyond the block
	tests := []struct {
		name   string
		in     []byte
		offset int
	}{
		{"record length", badLen, 0x26 + 8},
		{"template count", badCount, 0x09},
		{"feature points", badPoints, 0x26 + 14},
		{"truncated", spec[:len(spec)-1], 0},
		{"no 7F61", unhex(t, "75 03 020101"), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDG2(tt.in)
			var pe *ParseError
			if d != nil || !errors.Is(err, ErrMalformed) || !errors.As(err, &pe) || pe.Offset != tt.offset {
				t.Fatalf("err = %v, want offset %d", err, tt.offset)
			}
		})
	}
}
