package biometric

import (
	"encoding/binary"
	"fmt"
	"math"
)

// Card formats of ISO/IEC 19794-2:2005 clause 8 (clause 9 in the 2011
// edition): the minutiae of one finger as a bare sequence, with no header,
// as a match-on-card application receives them inside its biometric data
// object. The image frame is gone: coordinates are in fixed metric units.
//
//	compact size, 3 bytes per minutia: x (1 byte) and y (1 byte) in units
//	of 0.1 mm, then type (2 bits, coded as in the record formats) and angle
//	(6 bits, units of 360/64 = 5.625 degrees).
//
// The compact layout is confirmed by two independent public descriptions
// (NIST MINEX II match-on-card field table as quoted by the cims-prints
// wiki, and the SEP7US ISO/ANSI-to-compact converter).
//
//	normal size, 5 bytes per minutia: type (2 bits) and x (14 bits),
//	reserved (2 bits) and y (14 bits), angle (1 byte, 360/256 degrees):
//	the record minutia without its quality byte, with x and y in units of
//	0.01 mm.
//
// The normal layout and its 0.01 mm unit are believed but NOT confirmed
// from the standard's text; tests check only round trips and hand-built
// data against this description.
const (
	cardCompactLen = 3
	cardNormalLen  = 5
	cardAngles     = 64
	// Pixels per centimetre that card coordinates correspond to: the
	// resolution a decoded card template carries.
	cardCompactRes = 100  // 0.1 mm units
	cardNormalRes  = 1000 // 0.01 mm units
	// maxCardMinutiae caps the minutiae a card sequence may hold; the
	// length of a card data object is not otherwise bounded here.
	maxCardMinutiae = 255
)

// DecodeCardCompact decodes a compact-size card minutiae sequence
// (3 bytes per minutia). The template has one view, no image size, and
// ResX = ResY = 100 pixels per cm, so X and Y are in units of 0.1 mm.
// Minutiae get quality 0 (not reported).
func DecodeCardCompact(b []byte) (*Template, error) {
	return decodeCard(b, FormatCardCompact)
}

// DecodeCardNormal decodes a normal-size card minutiae sequence (5 bytes
// per minutia). The template has one view, no image size, and
// ResX = ResY = 1000 pixels per cm, so X and Y are in units of 0.01 mm.
func DecodeCardNormal(b []byte) (*Template, error) {
	return decodeCard(b, FormatCardNormal)
}

func decodeCard(b []byte, f Format) (*Template, error) {
	size, res := cardCompactLen, cardCompactRes
	if f == FormatCardNormal {
		size, res = cardNormalLen, cardNormalRes
	}
	switch {
	case len(b)%size != 0:
		return nil, &DecodeError{f, "minutiae", len(b) - len(b)%size, ErrTruncated}
	case len(b)/size > maxCardMinutiae:
		return nil, &DecodeError{f, "minutiae", maxCardMinutiae * size, ErrTooMany}
	}
	v := View{}
	if n := len(b) / size; n > 0 {
		v.Minutiae = make([]Minutia, n)
	}
	for j := range v.Minutiae {
		off := j * size
		m := b[off : off+size]
		var typ MinutiaType
		if f == FormatCardCompact {
			typ = MinutiaType(m[2] >> 6)
			v.Minutiae[j] = Minutia{X: int(m[0]), Y: int(m[1]), Angle: angleFromUnits(int(m[2]&0x3F), cardAngles)}
		} else {
			w0 := binary.BigEndian.Uint16(m[0:2])
			typ = MinutiaType(w0 >> 14)
			v.Minutiae[j] = Minutia{
				X:     int(w0 & maxCoord14),
				Y:     int(binary.BigEndian.Uint16(m[2:4]) & maxCoord14),
				Angle: angleFromUnits(int(m[4]), iso2005Angles),
			}
		}
		if typ == minutiaTypeReserved {
			return nil, &DecodeError{f, fmt.Sprintf("minutia %d type", j), off, ErrField}
		}
		v.Minutiae[j].Type = typ
	}
	return &Template{Format: f, ResX: res, ResY: res, Views: []View{v}}, nil
}

// EncodeCardCompact writes the template's single view as a compact-size
// card sequence. Coordinates are converted from the template's resolution
// to 0.1 mm units (x·100/ResX, rounded) and must fit in a byte (25.5 mm);
// angles are rounded to units of 5.625 degrees; quality is dropped.
func (t *Template) EncodeCardCompact() ([]byte, error) {
	return t.encodeCard(FormatCardCompact)
}

// EncodeCardNormal writes the template's single view as a normal-size card
// sequence, coordinates converted to 0.01 mm units (x·1000/ResX, rounded,
// at most 14 bits); angles keep units of 360/256 degrees; quality is
// dropped.
func (t *Template) EncodeCardNormal() ([]byte, error) {
	return t.encodeCard(FormatCardNormal)
}

func (t *Template) encodeCard(f Format) ([]byte, error) {
	size, res, maxCoord := cardCompactLen, cardCompactRes, 0xFF
	if f == FormatCardNormal {
		size, res, maxCoord = cardNormalLen, cardNormalRes, maxCoord14
	}
	switch {
	case len(t.Views) == 0:
		return nil, &EncodeError{f, "views", ErrNoViews}
	case len(t.Views) > 1:
		return nil, &EncodeError{f, "views", ErrTooMany}
	case t.ResX <= 0 || t.ResY <= 0:
		return nil, &EncodeError{f, "resolution", ErrField}
	case len(t.Views[0].Minutiae) > maxCardMinutiae:
		return nil, &EncodeError{f, "minutiae", ErrTooMany}
	}
	ms := t.Views[0].Minutiae
	out := make([]byte, 0, size*len(ms))
	for j, m := range ms {
		x, y := rescale(m.X, res, t.ResX), rescale(m.Y, res, t.ResY)
		field := func() string { return fmt.Sprintf("view 0 minutia %d", j) } // built only on error
		if m.X < 0 || m.Y < 0 || x < 0 || y < 0 || x > maxCoord || y > maxCoord {
			return nil, &EncodeError{f, field() + " position", ErrField}
		}
		if m.Type > MinutiaBifurcation {
			return nil, &EncodeError{f, field() + " type", ErrField}
		}
		if f == FormatCardCompact {
			a, ok := angleToUnits(m.Angle, cardAngles)
			if !ok {
				return nil, &EncodeError{f, field() + " angle", ErrField}
			}
			out = append(out, byte(x), byte(y), byte(m.Type)<<6|byte(a))
			continue
		}
		a, ok := angleToUnits(m.Angle, iso2005Angles)
		if !ok {
			return nil, &EncodeError{f, field() + " angle", ErrField}
		}
		out = binary.BigEndian.AppendUint16(out, uint16(m.Type)<<14|uint16(x))
		out = binary.BigEndian.AppendUint16(out, uint16(y))
		out = append(out, byte(a))
	}
	return out, nil
}

// rescale converts a coordinate from one resolution to another, rounding
// to the nearest unit; it is exact when the resolutions are equal.
func rescale(v, to, from int) int {
	if to == from {
		return v
	}
	return int(math.Round(float64(v) * float64(to) / float64(from)))
}
