package chip

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"encoding/asn1"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"

	"github.com/cancuoc/sdk/internal/brainpool"
	"github.com/cancuoc/sdk/mrz"
)

// BuildOptions tunes BuildDataGroups. The zero value builds EF.COM, DG1,
// DG2 and DG13 with a synthetic face from seed 0.
type BuildOptions struct {
	// AAPublicKey, when set, is written to DG15 (*rsa.PublicKey,
	// *ecdsa.PublicKey or a brainpool key). For an EC key, DG14 carries an
	// ActiveAuthenticationInfo naming ECDSA with SHA-256, SHA-384 or
	// SHA-512 by the curve's size (ICAO 9303-11 section 6.1).
	AAPublicKey crypto.PublicKey
	// SecurityInfos are added to DG14 (which is then written even without
	// an EC active-authentication key).
	SecurityInfos []SecurityInfo
	// FaceSeed seeds the synthetic face drawn when Holder.FaceJPEG is empty.
	FaceSeed uint64
	// DG13OID selects the DG13 layout with version 1 and this OID; empty
	// writes the layout without them. The CCCD's own OID is not public.
	DG13OID string
}

// LDS and Unicode versions written to EF.COM: LDS 1.8, Unicode 4.0.0.
const (
	buildLDSVersion     = "0108"
	buildUnicodeVersion = "040000"
)

var (
	oidECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSAWithSHA384 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSAWithSHA512 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
)

// BuildDataGroups builds the files a CCCD chip carries for holder h:
// EF.COM, DG1 (the TD1 MRZ in the card's profile, mrz.EncodeCCCD), DG2
// (h.FaceJPEG, or a synthetic face, in an ISO/IEC 19794-5 record), DG13,
// and DG14/DG15 as opts says. EF.SOD is not built here: it is signed over
// these files by the issuer. h must pass Holder.Validate.
func BuildDataGroups(h Holder, opts BuildOptions) (Files, error) {
	if err := h.Validate(); err != nil {
		return nil, err
	}
	files := Files{}
	var tags []byte
	add := func(n int, dg DataGroup) error {
		b, err := dg.Encode()
		if err != nil {
			return err
		}
		files[DataGroupName(n)] = b
		tags = append(tags, byte(dataGroupTags[n]))
		return nil
	}

	doc, err := mrz.EncodeCCCD(mrz.Holder{Number: h.Number, Name: h.Name, BirthDate: h.BirthDate, Sex: h.Sex, ExpiryDate: h.ExpiryDate})
	if err != nil {
		return nil, &HolderError{Field: "mrz", Err: err}
	}
	if err := add(1, NewDG1(doc)); err != nil {
		return nil, err
	}

	face := h.FaceJPEG
	if len(face) == 0 {
		if face, err = SyntheticFace(opts.FaceSeed); err != nil {
			return nil, err
		}
	}
	dg2, err := NewDG2(face)
	if err != nil {
		return nil, err
	}
	if err := add(2, dg2); err != nil {
		return nil, err
	}

	if err := add(13, NewDG13(h, opts.DG13OID)); err != nil {
		return nil, err
	}

	infos := append([]SecurityInfo(nil), opts.SecurityInfos...)
	if alg := aaSignatureAlgorithm(opts.AAPublicKey); alg != nil {
		infos = append([]SecurityInfo{NewActiveAuthenticationInfo(alg)}, infos...)
	}
	if len(infos) > 0 {
		if err := add(14, &DG14{Infos: infos}); err != nil {
			return nil, err
		}
	}
	if opts.AAPublicKey != nil {
		dg15, err := NewDG15(opts.AAPublicKey)
		if err != nil {
			return nil, err
		}
		if err := add(15, dg15); err != nil {
			return nil, err
		}
	}

	com := &COM{LDSVersion: buildLDSVersion, UnicodeVersion: buildUnicodeVersion, Tags: tags}
	if files[FileCOM], err = com.Encode(); err != nil {
		return nil, err
	}
	return files, nil
}

// aaSignatureAlgorithm picks ecdsa-with-SHA* for an EC key by its size
// (BSI TR-03111 section 4.2.1: the hash at least as long as the order).
func aaSignatureAlgorithm(pub crypto.PublicKey) asn1.ObjectIdentifier {
	var bits int
	switch k := pub.(type) {
	case *ecdsa.PublicKey:
		bits = k.Curve.Params().BitSize
	case *brainpool.PublicKey:
		bits = k.Curve.BitSize
	default:
		return nil
	}
	switch {
	case bits <= 256:
		return oidECDSAWithSHA256
	case bits <= 384:
		return oidECDSAWithSHA384
	}
	return oidECDSAWithSHA512
}

// NewDG2 returns a DG2 holding one ISO/IEC 19794-5 record around the
// JPEG or JPEG 2000 image img (a full frontal image, its size read from
// the JPEG header when it is a JPEG).
func NewDG2(img []byte) (*DG2, error) {
	f := FaceImage{FaceImageType: 1, Type: DetectImageType(img), Image: img, ColourSpace: 1}
	switch f.Type {
	case ImageJPEG:
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(img))
		if err != nil || cfg.Width > math.MaxUint16 || cfg.Height > math.MaxUint16 {
			return nil, &HolderError{Field: "face_jpeg", Err: errNotJPEG}
		}
		f.Width, f.Height = uint16(cfg.Width), uint16(cfg.Height)
	case ImageJPEG2000:
		f.ImageDataType = 1
	default:
		return nil, &HolderError{Field: "face_jpeg", Err: errNotJPEG}
	}
	face := &FaceRecord{Version: "010", Images: []FaceImage{f}}
	data, ok := face.encode()
	if !ok {
		return nil, &HolderError{Field: "face_jpeg", Err: errNotJPEG}
	}
	// Biometric header template (ICAO 9303-10 section 4.7.2.1): 80 header
	// version 0101, 81 biometric type 02 (face), 87 format owner 0101
	// (ISO/IEC JTC 1 SC 37), 88 format type 0008 (face image).
	header := []byte{0x80, 0x02, 0x01, 0x01, 0x81, 0x01, 0x02, 0x87, 0x02, 0x01, 0x01, 0x88, 0x02, 0x00, 0x08}
	return &DG2{Templates: []BiometricTemplate{{Header: header, DataTag: 0x5F2E, Data: data, Face: face}}}, nil
}

// Synthetic face size: 240 x 320 pixels, the ICAO minimum eye distance
// aside, about 20 KB as JPEG at this quality.
const (
	faceWidth   = 240
	faceHeight  = 320
	faceQuality = 82
)

// SyntheticFace draws a deterministic stand-in portrait from seed: a
// smooth background gradient, an oval face with eyes and mouth, and noise
// from a PCG generator, encoded as a JPEG of about 20 KB. The same seed
// gives the same bytes (with the same Go release's image/jpeg).
func SyntheticFace(seed uint64) ([]byte, error) {
	rng := rand.New(rand.NewPCG(seed, 0x63616e63756f63)) // "cancuoc"
	img := image.NewYCbCr(image.Rect(0, 0, faceWidth, faceHeight), image.YCbCrSubsampleRatio420)
	bg := [3]float64{140 + rng.Float64()*60, 100 + rng.Float64()*50, 120 + rng.Float64()*40}
	skin := [3]float64{200 + rng.Float64()*40, 150 + rng.Float64()*40, 120 + rng.Float64()*40}
	cx, cy := faceWidth/2+rng.IntN(11)-5, faceHeight*9/20+rng.IntN(11)-5
	rx, ry := 70.0+rng.Float64()*12, 95.0+rng.Float64()*12
	inEllipse := func(x, y, ex, ey int, a, b float64) bool {
		dx, dy := float64(x-ex)/a, float64(y-ey)/b
		return dx*dx+dy*dy <= 1
	}
	for y := range faceHeight {
		for x := range faceWidth {
			t := float64(y) / faceHeight
			c := [3]float64{bg[0] * (1 - 0.4*t), bg[1] * (1 - 0.3*t), bg[2] + 30*t}
			switch {
			case inEllipse(x, y, cx-28, cy-20, 12, 6), inEllipse(x, y, cx+28, cy-20, 12, 6):
				c = [3]float64{40, 30, 30}
			case inEllipse(x, y, cx, cy+45, 25, 7):
				c = [3]float64{150, 60, 60}
			case inEllipse(x, y, cx, cy, rx, ry):
				shade := 1 - 0.25*math.Abs(float64(x-cx))/rx
				c = [3]float64{skin[0] * shade, skin[1] * shade, skin[2] * shade}
			case y > cy+int(ry)-10 && inEllipse(x, y, cx, faceHeight+40, 120, 150):
				c = [3]float64{50, 60, 90}
			}
			n := rng.NormFloat64() * 9
			r, g, b := clamp8(c[0]+n), clamp8(c[1]+n), clamp8(c[2]+n)
			yy, cb, cr := color.RGBToYCbCr(r, g, b)
			img.Y[img.YOffset(x, y)] = yy
			ci := img.COffset(x, y)
			img.Cb[ci], img.Cr[ci] = cb, cr
		}
	}
	var out bytes.Buffer
	if err := jpeg.Encode(&out, img, &jpeg.Options{Quality: faceQuality}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

func clamp8(v float64) uint8 {
	switch {
	case v < 0:
		return 0
	case v > 255:
		return 255
	}
	return uint8(v)
}
