package reader

import (
	"context"
	"fmt"
	"strconv"

	"github.com/cancuoc/sdk/internal/apdu"
	"github.com/cancuoc/sdk/internal/sm"
	"github.com/cancuoc/sdk/internal/tlv"
)

// MaxFileSize is the largest file Read and ReadFile accept: 64 KB.
const MaxFileSize = 65536

// fileRef locates a file: its identifier and short file identifier
// (ICAO 9303-10 section 3.11, table 39).
type fileRef struct {
	fid      uint16
	sfi      byte
	personal bool // traces mask its data
}

// lookupFile maps "EF.CardAccess", "EF.COM", "EF.SOD", "DG1".."DG16".
func lookupFile(name string) (fileRef, bool) {
	switch name {
	case "EF.CardAccess":
		return fileRef{fid: 0x011C, sfi: 0x1C}, true
	case "EF.COM":
		return fileRef{fid: 0x011E, sfi: 0x1E}, true
	case "EF.SOD":
		return fileRef{fid: 0x011D, sfi: 0x1D}, true
	}
	if len(name) > 2 && name[:2] == "DG" {
		n, err := strconv.Atoi(name[2:])
		if err == nil && n >= 1 && n <= 16 && name[2] != '0' {
			return fileRef{fid: 0x0100 + uint16(n), sfi: byte(n), personal: n <= 13 || n == 16}, true
		}
	}
	return fileRef{}, false
}

// maxChunk is the largest plaintext one READ BINARY can bring back:
// nearly 64 KB with extended length, else what fits a 256-byte response
// (223 bytes under AES secure messaging, 231 under 3DES, 256 in the clear).
func (s *Session) maxChunk() int {
	maxResp := apdu.MaxShortLe
	if s.extended {
		maxResp = apdu.MaxExtendedLe
		if s.limits.MaxResponse > 2 && s.limits.MaxResponse-2 < maxResp {
			maxResp = s.limits.MaxResponse - 2
		}
	}
	if s.ch == nil {
		return maxResp
	}
	return sm.MaxPlain(s.ch.Cipher(), maxResp)
}

// smaller returns the next Ne below n, or 0: the sequence a read falls
// back along when the card refuses an Ne (6700, 6Cxx, or 6282 without
// data): the largest short answers under no, 3DES and AES secure
// messaging, then the sizes other readers use (dmrtd 112, NFCPassportReader 160).
func smaller(n int) int {
	for _, v := range [...]int{256, 231, 223, 160, 128, 112, 64, 32, 16, 8} {
		if v < n {
			return v
		}
	}
	return 0
}

// ReadFile reads a whole file by name ("EF.COM", "DG2", ...): the first
// READ BINARY addresses it by short file identifier (no SELECT), asks for
// the largest chunk the session can carry and learns the file's length
// from its TLV header; later chunks use offsets, the odd INS B1 past
// offset 32767. A chunk refused with 6700, 6Cxx or an empty 6282 is asked
// again smaller, at any offset. A card that refuses the SFI read (6A86,
// 6A81) gets one SELECT by file identifier. The context is checked
// between APDUs.
func (s *Session) ReadFile(ctx context.Context, name string) ([]byte, error) {
	ref, ok := lookupFile(name)
	if !ok {
		return nil, &Error{Step: "read " + name, Err: ErrNotSupported, Detail: "unknown file"}
	}
	s.masking = ref.personal
	defer func() { s.masking = false }()
	step := "read " + name
	chunk := s.maxChunk()
	useSFI := true
	var out []byte
	total := -1
	for total < 0 || len(out) < total {
		offset := len(out)
		n := chunk
		if total >= 0 && total-offset < n {
			n = total - offset
		}
		var c apdu.Command
		odd := offset > 0x7FFF
		switch {
		case offset == 0 && useSFI:
			c = apdu.Command{INS: 0xB0, P1: 0x80 | ref.sfi, P2: 0, Ne: n}
		case !odd:
			c = apdu.Command{INS: 0xB0, P1: byte(offset >> 8), P2: byte(offset), Ne: n}
		default:
			off := []byte{byte(offset >> 16), byte(offset >> 8), byte(offset)}
			for len(off) > 1 && off[0] == 0 {
				off = off[1:]
			}
			c = apdu.Command{INS: 0xB1, Data: append([]byte{0x54, byte(len(off))}, off...), Ne: n}
			if n > chunk-4 {
				c.Ne = chunk // the 53 header counts in Ne
			} else {
				c.Ne = n + 4
			}
		}
		r, err := s.send(ctx, &c)
		if err != nil {
			return nil, err
		}
		data := r.Data
		switch {
		case r.SW == apdu.SWOK, r.SW == apdu.SWEndOfFile && len(data) > 0:
		case apdu.IsWrongLe(r.SW), r.SW == apdu.SWEndOfFile:
			next := smaller(chunk)
			if xx := int(r.SW & 0xFF); r.SW>>8 == 0x6C && xx > 0 && xx < chunk {
				next = xx
			}
			if next == 0 {
				return nil, statusError(step, r.SW)
			}
			if chunk > apdu.MaxShortLe {
				s.extended = false // the card or reader refused extended length
			}
			chunk = next
			continue
		case offset == 0 && useSFI && (r.SW == apdu.SWWrongP1P2 || r.SW == apdu.SWFunctionNotSupported):
			if err := s.SelectFile(ctx, ref.fid); err != nil {
				return nil, err
			}
			useSFI = false
			continue
		case r.SW == apdu.SWSecurityNotSatisfied:
			return nil, &Error{Step: step, SW: r.SW, Err: ErrAccessDenied}
		default:
			return nil, statusError(step, r.SW)
		}
		if odd {
			var v tlv.String
			in := tlv.String(data)
			if !in.ReadTLV(0x53, &v) || !in.Empty() {
				return nil, &Error{Step: step, Err: ErrMalformed, Detail: "odd-INS response is not one 53 object"}
			}
			data = v
		}
		if len(data) == 0 {
			return nil, &Error{Step: step, SW: r.SW, Err: ErrMalformed, Detail: "empty chunk before the end of the file"}
		}
		out = append(out, data...)
		if total < 0 {
			if total, err = fileLength(out); err != nil {
				if len(out) < 8 { // header not complete yet: read on
					total = -1
					continue
				}
				return nil, &Error{Step: step, Err: ErrMalformed, Detail: err.Error()}
			}
			if total > MaxFileSize {
				return nil, &Error{Step: step, Err: ErrNotSupported, Detail: fmt.Sprintf("file of %d bytes, above 64 KB", total)}
			}
		}
		if len(out) > total {
			out = out[:total] // a card padding past the TLV
		}
		if s.opts.Progress != nil {
			s.opts.Progress(name, len(out), total)
		}
	}
	return out, nil
}

// fileLength returns the length of the file's outer TLV, header included,
// from as much of the file as has been read.
func fileLength(b []byte) (int, error) {
	h, n, err := header(b)
	if err != nil {
		return 0, err
	}
	return h + n, nil
}

// header decodes a tag and a definite length: the header's size and the
// value's length.
func header(b []byte) (int, int, error) {
	i := 0
	if len(b) < 2 {
		return 0, 0, fmt.Errorf("file header of %d bytes", len(b))
	}
	if b[0]&0x1F == 0x1F {
		i++
		for i < len(b) && b[i]&0x80 != 0 {
			i++
		}
	}
	i++
	if i >= len(b) {
		return 0, 0, fmt.Errorf("truncated file header")
	}
	l := int(b[i])
	i++
	if l > 0x80 {
		k := l & 0x7F
		if k > 3 || i+k > len(b) {
			return 0, 0, fmt.Errorf("file length field of %d bytes", k)
		}
		l = 0
		for _, c := range b[i : i+k] {
			l = l<<8 | int(c)
		}
		i += k
	} else if l == 0x80 {
		return 0, 0, fmt.Errorf("indefinite file length")
	}
	return i, l, nil
}

// ReadBinary reads n bytes at offset of the current file (READ BINARY,
// INS B0, offset in P1-P2, at most 32767). The card may return fewer
// bytes at the end of the file (6282).
func (s *Session) ReadBinary(ctx context.Context, offset, n int) ([]byte, error) {
	if offset < 0 || offset > 0x7FFF || n <= 0 || n > apdu.MaxExtendedLe {
		return nil, &Error{Step: "read binary", Err: ErrNotSupported, Detail: "offset or length out of range"}
	}
	r, err := s.send(ctx, &apdu.Command{INS: 0xB0, P1: byte(offset >> 8), P2: byte(offset), Ne: n})
	if err != nil {
		return nil, err
	}
	if !r.OK() && !(r.SW == apdu.SWEndOfFile && len(r.Data) > 0) {
		return nil, statusError("read binary", r.SW)
	}
	return r.Data, nil
}
