// Package apdu encodes command APDUs and decodes response APDUs (ISO/IEC
// 7816-4 section 5.1), short and extended length, and names the status
// words an eMRTD reader meets (ICAO 9303-11, ISO/IEC 7816-4 section 5.6).
//
// It knows nothing of secure messaging or files: it is the byte layer the
// secure channel (internal/sm) and the access protocols build on.
package apdu

import (
	"errors"
	"fmt"
)

// Limits of the two encodings (ISO/IEC 7816-4 section 5.1).
const (
	MaxShortData    = 255   // Nc of a short command
	MaxShortLe      = 256   // Ne of a short command (Le byte 00)
	MaxExtendedData = 65535 // Nc of an extended command
	MaxExtendedLe   = 65536 // Ne of an extended command (Le bytes 00 00)
)

// ErrMalformed reports bytes that are not an APDU.
var ErrMalformed = errors.New("apdu: malformed")

// Command is a command APDU. Ne is the number of response data bytes
// expected: 0 means no Le field, 256 (short) or 65536 (extended) is the
// maximum that Le = 00 or 00 00 asks for.
type Command struct {
	CLA, INS, P1, P2 byte
	Data             []byte
	Ne               int
}

// Extended reports whether the command needs the extended-length encoding:
// more than 255 data bytes, or Ne above 256.
func (c *Command) Extended() bool {
	return len(c.Data) > MaxShortData || c.Ne > MaxShortLe
}

// Encode returns the command's bytes: short encoding when both Nc and Ne
// fit (cases 1, 2S, 3S, 4S), extended otherwise (2E, 3E, 4E). It fails for
// Nc above 65535 or Ne outside [0, 65536].
func (c *Command) Encode() ([]byte, error) { return c.AppendEncode(nil) }

// AppendEncode appends the command's bytes to dst (see Encode).
func (c *Command) AppendEncode(dst []byte) ([]byte, error) {
	if len(c.Data) > MaxExtendedData || c.Ne < 0 || c.Ne > MaxExtendedLe {
		return nil, fmt.Errorf("%w: Nc %d, Ne %d out of range", ErrMalformed, len(c.Data), c.Ne)
	}
	dst = append(dst, c.CLA, c.INS, c.P1, c.P2)
	if !c.Extended() {
		if len(c.Data) > 0 {
			dst = append(dst, byte(len(c.Data)))
			dst = append(dst, c.Data...)
		}
		if c.Ne > 0 {
			dst = append(dst, byte(c.Ne)) // 256 → 00
		}
		return dst, nil
	}
	dst = append(dst, 0)
	if len(c.Data) > 0 {
		dst = append(dst, byte(len(c.Data)>>8), byte(len(c.Data)))
		dst = append(dst, c.Data...)
	}
	if c.Ne > 0 {
		dst = append(dst, byte(c.Ne>>8), byte(c.Ne)) // 65536 → 00 00
	}
	return dst, nil
}

// ParseCommand decodes a command APDU in any of the seven cases. Data
// aliases b.
func ParseCommand(b []byte) (Command, error) {
	if len(b) < 4 {
		return Command{}, fmt.Errorf("%w: command of %d bytes, need a 4-byte header", ErrMalformed, len(b))
	}
	c := Command{CLA: b[0], INS: b[1], P1: b[2], P2: b[3]}
	body := b[4:]
	switch {
	case len(body) == 0: // case 1
	case len(body) == 1: // case 2S
		c.Ne = shortNe(body[0])
	case body[0] != 0: // case 3S or 4S
		n := int(body[0])
		switch len(body) - 1 {
		case n:
		case n + 1:
			c.Ne = shortNe(body[len(body)-1])
		default:
			return Command{}, fmt.Errorf("%w: short Lc %d with %d body bytes", ErrMalformed, n, len(body)-1)
		}
		c.Data = body[1 : 1+n]
	case len(body) == 3: // case 2E
		c.Ne = extNe(body[1], body[2])
	case len(body) > 3: // case 3E or 4E
		n := int(body[1])<<8 | int(body[2])
		if n == 0 {
			return Command{}, fmt.Errorf("%w: extended Lc of zero", ErrMalformed)
		}
		switch len(body) - 3 {
		case n:
		case n + 2:
			c.Ne = extNe(body[len(body)-2], body[len(body)-1])
		default:
			return Command{}, fmt.Errorf("%w: extended Lc %d with %d body bytes", ErrMalformed, n, len(body)-3)
		}
		c.Data = body[3 : 3+n]
	default:
		return Command{}, fmt.Errorf("%w: %d body bytes after a zero byte", ErrMalformed, len(body))
	}
	return c, nil
}

func shortNe(le byte) int {
	if le == 0 {
		return MaxShortLe
	}
	return int(le)
}

func extNe(hi, lo byte) int {
	if n := int(hi)<<8 | int(lo); n != 0 {
		return n
	}
	return MaxExtendedLe
}

// Response is a response APDU: data and the status word SW1 SW2.
type Response struct {
	Data []byte
	SW   uint16
}

// ParseResponse splits a response APDU into data and status word. Data
// aliases b.
func ParseResponse(b []byte) (Response, error) {
	if len(b) < 2 {
		return Response{}, fmt.Errorf("%w: response of %d bytes, need a status word", ErrMalformed, len(b))
	}
	n := len(b) - 2
	return Response{Data: b[:n:n], SW: uint16(b[n])<<8 | uint16(b[n+1])}, nil
}

// Encode returns data || SW1 SW2.
func (r Response) Encode() []byte {
	out := make([]byte, 0, len(r.Data)+2)
	out = append(out, r.Data...)
	return append(out, byte(r.SW>>8), byte(r.SW))
}

// OK reports whether the status word is 9000.
func (r Response) OK() bool { return r.SW == SWOK }
