package chip

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"strconv"

	"github.com/cancuoc/sdk/internal/tlv"
)

// DG2 is data group 2 (ICAO 9303-10 section 4.7.2): the encoded face.
//
// It holds personal data (the face image): String and Format print only
// counts and sizes.
type DG2 struct {
	Templates []BiometricTemplate
	Raw       []byte // the file as received
}

// BiometricTemplate is one biometric information template (7F60).
type BiometricTemplate struct {
	// Header is the value of the biometric header template (A1) as
	// received (ISO/IEC 7816-11: version, type, format owner and type).
	Header []byte
	// DataTag is the tag of the biometric data block: 0x5F2E (plain) or
	// 0x7F2E (constructed, as ISO/IEC 39794-5 records use).
	DataTag uint32
	// Data is the biometric data block as received.
	Data []byte
	// Face is the decoded ISO/IEC 19794-5:2005 record when Data is one
	// ("FAC\0" "010\0"); nil for other formats and versions, which are
	// kept only in Data.
	Face *FaceRecord
}

// FaceRecord is an ISO/IEC 19794-5:2005 facial record (section 5).
type FaceRecord struct {
	Version string // "010"
	Images  []FaceImage
}

// FaceImage is one facial record data block of ISO/IEC 19794-5:2005
// (sections 5.5 to 5.8): the facial information, feature points, image
// information and the image bytes, returned as is.
type FaceImage struct {
	Gender          byte
	EyeColour       byte
	HairColour      byte
	FeatureMask     uint32 // 3 bytes
	Expression      uint16
	PoseAngle       [3]byte
	PoseUncertainty [3]byte
	FeaturePoints   []byte // 8 bytes per point, as received
	FaceImageType   byte   // 0 basic, 1 full frontal, 2 token frontal
	ImageDataType   byte   // 0 JPEG, 1 JPEG 2000
	Width, Height   uint16
	ColourSpace     byte
	SourceType      byte
	DeviceType      uint16
	Quality         uint16
	// Type is the image format detected from the image's first bytes.
	Type ImageType
	// Image is the JPEG or JPEG 2000 file, a sub-slice of the data group.
	Image []byte
}

// ImageType is the format of a face image, detected from its signature.
type ImageType int

// Image formats.
const (
	ImageUnknown  ImageType = iota
	ImageJPEG               // FF D8 FF
	ImageJPEG2000           // JP2 file (00 00 00 0C 6A 50 20 20) or codestream (FF 4F FF 51)
)

// String returns "jpeg", "jpeg2000" or "unknown".
func (t ImageType) String() string {
	switch t {
	case ImageJPEG:
		return "jpeg"
	case ImageJPEG2000:
		return "jpeg2000"
	}
	return "unknown"
}

// DetectImageType returns the format of img from its signature bytes.
func DetectImageType(img []byte) ImageType {
	switch {
	case bytes.HasPrefix(img, []byte{0xFF, 0xD8, 0xFF}):
		return ImageJPEG
	case bytes.HasPrefix(img, []byte{0, 0, 0, 0x0C, 'j', 'P', ' ', ' '}),
		bytes.HasPrefix(img, []byte{0xFF, 0x4F, 0xFF, 0x51}):
		return ImageJPEG2000
	}
	return ImageUnknown
}

var facMagic = []byte("FAC\x00")

const (
	faceHeaderLen    = 14 // "FAC\0", version, record length (4), image count (2)
	faceInfoLen      = 20 // facial information block
	faceImageInfoLen = 12 // image information block
)

// ParseDG2 decodes DG2: 75 { 7F61 { 02 count, 7F60 { A1 header, 5F2E or
// 7F2E data }... } }. ISO/IEC 19794-5 records are decoded; other biometric
// data blocks are kept as received.
func ParseDG2(b []byte) (*DG2, error) {
	const file = "DG2"
	s, err := unwrapFile(file, dataGroupTags[2], b)
	if err != nil {
		return nil, err
	}
	var group tlv.String
	if !s.ReadTLV(0x7F61, &group) {
		return nil, elementError(file, "7F61", b, s)
	}
	if !s.Empty() {
		return nil, &ParseError{File: file, Offset: offsetIn(b, s), Err: ErrTrailingData}
	}
	var count int64
	countAt := group
	if !group.ReadInt(0x02, &count) || count < 1 {
		return nil, elementError(file, "7F61/02", b, countAt)
	}
	d := &DG2{Raw: b}
	for !group.Empty() {
		at := group
		var tmpl, hdr tlv.String
		if !group.ReadTLV(0x7F60, &tmpl) {
			return nil, elementError(file, "7F60", b, at)
		}
		if !tmpl.ReadTLV(0xA1, &hdr) {
			return nil, elementError(file, "7F60/A1", b, tmpl)
		}
		var t BiometricTemplate
		t.Header = hdr
		dataAt := tmpl
		var data tlv.String
		switch {
		case tmpl.ReadTLV(0x5F2E, &data):
			t.DataTag = 0x5F2E
		case tmpl.ReadTLV(0x7F2E, &data):
			t.DataTag = 0x7F2E
		default:
			return nil, elementError(file, "7F60/5F2E", b, dataAt)
		}
		if !tmpl.Empty() {
			return nil, malformed(file, "7F60", b, tmpl)
		}
		t.Data = data
		// Only the 2005 layout (version 010) is decoded; later versions of
		// 19794-5 lay the record out differently and are kept in Data.
		if t.DataTag == 0x5F2E && bytes.HasPrefix(data, facMagic) && bytes.HasPrefix(data[4:], []byte("010\x00")) {
			face, off := parseFaceRecord(data)
			if face == nil {
				return nil, &ParseError{File: file, Field: "5F2E", Offset: offsetIn(b, data) + off, Err: ErrMalformed}
			}
			t.Face = face
		}
		d.Templates = append(d.Templates, t)
	}
	if int64(len(d.Templates)) != count {
		return nil, malformed(file, "7F61/02", b, countAt)
	}
	return d, nil
}

// parseFaceRecord decodes an ISO/IEC 19794-5:2005 record. On failure it
// returns nil and the offset in r of the part that failed.
func parseFaceRecord(r []byte) (*FaceRecord, int) {
	if len(r) < faceHeaderLen || r[7] != 0 {
		return nil, 0
	}
	if binary.BigEndian.Uint32(r[8:12]) != uint32(len(r)) {
		return nil, 8
	}
	n := int(binary.BigEndian.Uint16(r[12:14]))
	f := &FaceRecord{Version: string(r[4:7])}
	pos := faceHeaderLen
	for i := 0; i < n; i++ {
		img, size, ok := parseFaceImage(r[pos:])
		if !ok {
			return nil, pos
		}
		f.Images = append(f.Images, img)
		pos += size
	}
	if n == 0 || pos != len(r) {
		return nil, pos
	}
	return f, 0
}

// parseFaceImage decodes one facial record data block from the start of b
// and returns its size.
func parseFaceImage(b []byte) (FaceImage, int, bool) {
	var f FaceImage
	if len(b) < faceInfoLen {
		return f, 0, false
	}
	size := binary.BigEndian.Uint32(b[0:4])
	points := int(binary.BigEndian.Uint16(b[4:6]))
	fixed := faceInfoLen + 8*points + faceImageInfoLen
	if uint64(size) > uint64(len(b)) || int(size) < fixed {
		return f, 0, false
	}
	f.Gender, f.EyeColour, f.HairColour = b[6], b[7], b[8]
	f.FeatureMask = uint32(b[9])<<16 | uint32(b[10])<<8 | uint32(b[11])
	f.Expression = binary.BigEndian.Uint16(b[12:14])
	copy(f.PoseAngle[:], b[14:17])
	copy(f.PoseUncertainty[:], b[17:20])
	p := faceInfoLen
	f.FeaturePoints = b[p : p+8*points]
	p += 8 * points
	info := b[p : p+faceImageInfoLen]
	f.FaceImageType, f.ImageDataType = info[0], info[1]
	f.Width = binary.BigEndian.Uint16(info[2:4])
	f.Height = binary.BigEndian.Uint16(info[4:6])
	f.ColourSpace, f.SourceType = info[6], info[7]
	f.DeviceType = binary.BigEndian.Uint16(info[8:10])
	f.Quality = binary.BigEndian.Uint16(info[10:12])
	f.Image = b[fixed:size]
	f.Type = DetectImageType(f.Image)
	return f, int(size), true
}

// encode writes the record in ISO/IEC 19794-5:2005 form.
func (f *FaceRecord) encode() ([]byte, bool) {
	if len(f.Version) != 3 || len(f.Images) == 0 || len(f.Images) > 0xFFFF {
		return nil, false
	}
	total := faceHeaderLen
	for _, img := range f.Images {
		if len(img.FeaturePoints)%8 != 0 || len(img.FeaturePoints)/8 > 0xFFFF {
			return nil, false
		}
		total += faceInfoLen + len(img.FeaturePoints) + faceImageInfoLen + len(img.Image)
	}
	if uint64(total) > 0xFFFFFFFF {
		return nil, false
	}
	out := make([]byte, 0, total)
	out = append(out, facMagic...)
	out = append(out, f.Version...)
	out = append(out, 0)
	out = binary.BigEndian.AppendUint32(out, uint32(total))
	out = binary.BigEndian.AppendUint16(out, uint16(len(f.Images)))
	for _, img := range f.Images {
		size := faceInfoLen + len(img.FeaturePoints) + faceImageInfoLen + len(img.Image)
		out = binary.BigEndian.AppendUint32(out, uint32(size))
		out = binary.BigEndian.AppendUint16(out, uint16(len(img.FeaturePoints)/8))
		out = append(out, img.Gender, img.EyeColour, img.HairColour,
			byte(img.FeatureMask>>16), byte(img.FeatureMask>>8), byte(img.FeatureMask))
		out = binary.BigEndian.AppendUint16(out, img.Expression)
		out = append(out, img.PoseAngle[:]...)
		out = append(out, img.PoseUncertainty[:]...)
		out = append(out, img.FeaturePoints...)
		out = append(out, img.FaceImageType, img.ImageDataType)
		out = binary.BigEndian.AppendUint16(out, img.Width)
		out = binary.BigEndian.AppendUint16(out, img.Height)
		out = append(out, img.ColourSpace, img.SourceType)
		out = binary.BigEndian.AppendUint16(out, img.DeviceType)
		out = binary.BigEndian.AppendUint16(out, img.Quality)
		out = append(out, img.Image...)
	}
	return out, true
}

// DataGroupNumber returns 2.
func (d *DG2) DataGroupNumber() int { return 2 }

// Encode returns DG2 built from d.Templates. A template's Face, when set,
// is re-encoded; otherwise its Data is written as is.
func (d *DG2) Encode() ([]byte, error) {
	if len(d.Templates) == 0 {
		return nil, &ParseError{File: "DG2", Field: "7F61", Offset: -1, Err: ErrMalformed}
	}
	blocks := make([][]byte, len(d.Templates))
	for i, t := range d.Templates {
		blocks[i] = t.Data
		if t.Face != nil {
			rec, ok := t.Face.encode()
			if !ok {
				return nil, &ParseError{File: "DG2", Field: "5F2E", Offset: -1, Err: ErrMalformed}
			}
			blocks[i] = rec
		}
	}
	var b tlv.Builder
	b.AddConstructed(dataGroupTags[2], func(b *tlv.Builder) {
		b.AddConstructed(0x7F61, func(b *tlv.Builder) {
			b.AddInt(0x02, int64(len(d.Templates)))
			for i, t := range d.Templates {
				tag := t.DataTag
				if tag == 0 {
					tag = 0x5F2E
				}
				b.AddConstructed(0x7F60, func(b *tlv.Builder) {
					b.AddTLV(0xA1, t.Header)
					b.AddTLV(tag, blocks[i])
				})
			}
		})
	})
	return b.Bytes()
}

// FaceImage returns the first face image and its format.
func (d *DG2) FaceImage() ([]byte, ImageType, bool) {
	for _, t := range d.Templates {
		if t.Face != nil && len(t.Face.Images) > 0 {
			img := t.Face.Images[0]
			return img.Image, img.Type, true
		}
	}
	return nil, ImageUnknown, false
}

// String returns a summary without the images: the number of templates
// and the first image's format and size.
func (d DG2) String() string {
	s := "chip.DG2{templates: " + strconv.Itoa(len(d.Templates))
	if img, typ, ok := d.FaceImage(); ok {
		s += ", image: " + typ.String() + " " + strconv.Itoa(len(img)) + " bytes"
	}
	return s + "}"
}

// GoString returns the summary, for %#v.
func (d DG2) GoString() string { return d.String() }

// Format prints the summary for every verb.
func (d DG2) Format(f fmt.State, verb rune) { io.WriteString(f, d.String()) }

// LogValue logs the summary.
func (d DG2) LogValue() slog.Value { return slog.StringValue(d.String()) }

// String returns the data block's tag and size, never its bytes (a face
// image is personal data).
func (t BiometricTemplate) String() string {
	return "chip.BiometricTemplate{data " + strconv.FormatUint(uint64(t.DataTag), 16) + ": " + strconv.Itoa(len(t.Data)) + " bytes}"
}

// GoString returns the summary, for %#v.
func (t BiometricTemplate) GoString() string { return t.String() }

// Format prints the summary for every verb.
func (t BiometricTemplate) Format(f fmt.State, verb rune) { io.WriteString(f, t.String()) }

// LogValue logs the summary.
func (t BiometricTemplate) LogValue() slog.Value { return slog.StringValue(t.String()) }

// String returns the version and the number of images, never the images.
func (r FaceRecord) String() string {
	return "chip.FaceRecord{version " + r.Version + ", images: " + strconv.Itoa(len(r.Images)) + "}"
}

// GoString returns the summary, for %#v.
func (r FaceRecord) GoString() string { return r.String() }

// Format prints the summary for every verb.
func (r FaceRecord) Format(f fmt.State, verb rune) { io.WriteString(f, r.String()) }

// LogValue logs the summary.
func (r FaceRecord) LogValue() slog.Value { return slog.StringValue(r.String()) }

// String returns the image's format and size, never its bytes or the
// holder's facial attributes.
func (img FaceImage) String() string {
	return "chip.FaceImage{" + img.Type.String() + " " + strconv.Itoa(int(img.Width)) + "x" + strconv.Itoa(int(img.Height)) +
		", " + strconv.Itoa(len(img.Image)) + " bytes}"
}

// GoString returns the summary, for %#v.
func (img FaceImage) GoString() string { return img.String() }

// Format prints the summary for every verb.
func (img FaceImage) Format(f fmt.State, verb rune) { io.WriteString(f, img.String()) }

// LogValue logs the summary.
func (img FaceImage) LogValue() slog.Value { return slog.StringValue(img.String()) }
