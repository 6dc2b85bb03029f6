package sm

import (
	"crypto/cipher"
	"crypto/subtle"
	"errors"
	"fmt"

	"github.com/cancuoc/sdk/internal/apdu"
	"github.com/cancuoc/sdk/internal/tlv"
)

// ErrSecureMessaging is wrapped by every failure of a Channel: a response
// without secure-messaging data objects, a wrong MAC, bad padding, a data
// object out of place. After the first one the Channel is unusable.
var ErrSecureMessaging = errors.New("sm: secure messaging failed")

// Channel is one secure-messaging session. The zero value is not usable;
// New creates one. A Channel is not safe for concurrent use (a card
// session is a sequence of APDUs).
type Channel struct {
	cipher Cipher
	enc    cipher.Block
	mac    macer
	ssc    []byte
	err    error // sticky: the first failure
	odd    bool  // card side: the last command had an odd INS

	scratch []byte   // MAC input, reused
	ivBuf   [16]byte // the IV of the current APDU
}

// New returns a channel with session keys ksEnc and ksMac and the initial
// send sequence counter ssc (8 bytes for 3DES, 16 for AES; ICAO 9303-11
// section 9.8.2: derived from the BAC nonces, zero after PACE and chip
// authentication).
func New(c Cipher, ksEnc, ksMac, ssc []byte) (*Channel, error) {
	if len(ssc) != c.BlockSize() {
		return nil, ErrCipher
	}
	enc, err := newBlock(c, ksEnc)
	if err != nil {
		return nil, err
	}
	mac, err := newMAC(c, ksMac)
	if err != nil {
		return nil, err
	}
	return &Channel{cipher: c, enc: enc, mac: mac, ssc: append([]byte(nil), ssc...)}, nil
}

// Cipher returns the channel's cipher.
func (ch *Channel) Cipher() Cipher { return ch.cipher }

// Err returns the failure that ended the channel, or nil.
func (ch *Channel) Err() error { return ch.err }

// fail records the first failure and returns it.
func (ch *Channel) fail(format string, args ...any) error {
	if ch.err == nil {
		ch.err = fmt.Errorf("%w: "+format, append([]any{ErrSecureMessaging}, args...)...)
	}
	return ch.err
}

// Close ends the channel; later calls fail.
func (ch *Channel) Close() {
	clear(ch.ssc)
	clear(ch.scratch)
	ch.enc, ch.mac, ch.scratch = nil, nil, nil
	if ch.err == nil {
		ch.err = fmt.Errorf("%w: channel closed", ErrSecureMessaging)
	}
}

func (ch *Channel) incSSC() {
	for i := len(ch.ssc) - 1; i >= 0; i-- {
		ch.ssc[i]++
		if ch.ssc[i] != 0 {
			return
		}
	}
}

// iv is zero for 3DES and E(KSenc, SSC) for AES (ICAO 9303-11 section 9.8.6.1).
func (ch *Channel) iv() []byte {
	iv := ch.ivBuf[:ch.cipher.BlockSize()]
	clear(iv)
	if ch.cipher != TDES {
		ch.enc.Encrypt(iv, ch.ssc)
	}
	return iv
}

func (ch *Channel) encrypt(data []byte) []byte {
	bs := ch.cipher.BlockSize()
	out := Pad(append(make([]byte, 0, len(data)+bs), data...), bs)
	cipher.NewCBCEncrypter(ch.enc, ch.iv()).CryptBlocks(out, out)
	return out
}

func (ch *Channel) decrypt(ct []byte) ([]byte, bool) {
	bs := ch.cipher.BlockSize()
	if len(ct) == 0 || len(ct)%bs != 0 {
		return nil, false
	}
	out := make([]byte, len(ct))
	cipher.NewCBCDecrypter(ch.enc, ch.iv()).CryptBlocks(out, ct)
	return Unpad(out, bs)
}

// macOver returns the MAC of pad(SSC || parts...).
func (ch *Channel) macOver(parts ...[]byte) []byte {
	n := len(ch.ssc)
	for _, p := range parts {
		n += len(p)
	}
	buf := ch.scratch[:0]
	if cap(buf) < n+ch.cipher.BlockSize() {
		buf = make([]byte, 0, n+ch.cipher.BlockSize())
	}
	buf = append(buf, ch.ssc...)
	for _, p := range parts {
		buf = append(buf, p...)
	}
	buf = Pad(buf, ch.cipher.BlockSize())
	ch.scratch = buf
	return ch.mac.mac(make([]byte, 0, 8), buf)
}

func appendDO(dst []byte, tag byte, value ...[]byte) []byte {
	n := 0
	for _, v := range value {
		n += len(v)
	}
	dst = append(dst, tag)
	dst = tlv.AppendLength(dst, n)
	for _, v := range value {
		dst = append(dst, v...)
	}
	return dst
}

// leBytes encodes Ne in DO'97': one byte up to 256 (00 = 256), else two
// (00 00 = 65536).
func leBytes(ne int) []byte {
	if ne <= apdu.MaxShortLe {
		return []byte{byte(ne)}
	}
	return []byte{byte(ne >> 8), byte(ne)}
}

// Wrap protects a command (ICAO 9303-11 section 9.8.4): it increments the
// SSC, encrypts the data into DO'87' (DO'85' for an odd INS), puts Ne in
// DO'97', MACs SSC || padded header || objects into DO'8E', and returns
// the command with CLA | 0C and Le = 00 (short) or 00 00 (extended, when
// the command or its answer does not fit short APDUs).
func (ch *Channel) Wrap(c *apdu.Command) (apdu.Command, error) {
	if ch.err != nil {
		return apdu.Command{}, ch.err
	}
	ch.incSSC()
	cla := c.CLA | 0x0C
	header := Pad([]byte{cla, c.INS, c.P1, c.P2}, ch.cipher.BlockSize())
	dos := make([]byte, 0, len(c.Data)+48) // DO'87', DO'97', DO'8E' around the padded data
	if len(c.Data) > 0 {
		ct := ch.encrypt(c.Data)
		if c.INS&1 == 1 {
			dos = appendDO(dos, 0x85, ct)
		} else {
			dos = appendDO(dos, 0x87, []byte{0x01}, ct)
		}
	}
	if c.Ne > 0 {
		dos = appendDO(dos, 0x97, leBytes(c.Ne))
	}
	cc := ch.macOver(header, dos)
	data := appendDO(dos, 0x8E, cc)
	out := apdu.Command{CLA: cla, INS: c.INS, P1: c.P1, P2: c.P2, Data: data, Ne: apdu.MaxShortLe}
	if c.Extended() || len(data) > apdu.MaxShortData {
		out.Ne = apdu.MaxExtendedLe
	}
	return out, nil
}

// Unwrap checks a protected response (ICAO 9303-11 section 9.8.5): it
// increments the SSC, requires DO'99' and DO'8E' (an optional DO'87' or
// DO'85' first), verifies the MAC over SSC || objects, decrypts, and
// returns the plain data with the status word of DO'99'. A response
// without DO'8E' (such as a plain 6988) fails: secure messaging never
// falls back to unprotected answers.
func (ch *Channel) Unwrap(r apdu.Response) (apdu.Response, error) {
	if ch.err != nil {
		return apdu.Response{}, ch.err
	}
	ch.incSSC()
	if len(r.Data) == 0 {
		return apdu.Response{}, ch.fail("unprotected response, status %s", apdu.SWString(r.SW))
	}
	var crypt, sw, cc []byte
	var cryptTag byte
	rest := r.Data
	macEnd := 0
	for len(rest) > 0 {
		tag, value, elem, next, err := tlv.Next(rest)
		if err != nil {
			return apdu.Response{}, ch.fail("response data objects: %v", err)
		}
		switch {
		case (tag == 0x87 || tag == 0x85) && crypt == nil && sw == nil && cc == nil:
			crypt, cryptTag = value, byte(tag)
		case tag == 0x99 && sw == nil && cc == nil:
			sw = value
		case tag == 0x8E && cc == nil:
			cc = value
			macEnd = len(r.Data) - len(rest)
		default:
			return apdu.Response{}, ch.fail("unexpected data object %X", tag)
		}
		_ = elem
		rest = next
	}
	if cc == nil {
		return apdu.Response{}, ch.fail("no DO'8E'")
	}
	if len(cc) != 8 {
		return apdu.Response{}, ch.fail("DO'8E' of %d bytes", len(cc))
	}
	if want := ch.macOver(r.Data[:macEnd]); subtle.ConstantTimeCompare(want, cc) != 1 {
		return apdu.Response{}, ch.fail("response MAC does not verify")
	}
	if len(sw) != 2 {
		return apdu.Response{}, ch.fail("no DO'99' status word")
	}
	out := apdu.Response{SW: uint16(sw[0])<<8 | uint16(sw[1])}
	if crypt != nil {
		if cryptTag == 0x87 {
			if len(crypt) < 1 || crypt[0] != 0x01 {
				return apdu.Response{}, ch.fail("DO'87' padding indicator")
			}
			crypt = crypt[1:]
		}
		plain, ok := ch.decrypt(crypt)
		if !ok {
			return apdu.Response{}, ch.fail("response cryptogram padding")
		}
		out.Data = plain
	}
	return out, nil
}

// UnwrapCommand is the card's side of Wrap: it increments the SSC,
// verifies DO'8E' and returns the plain command. A failure poisons the
// channel; the card answers it with a plain 6987 or 6988 and drops the
// session.
func (ch *Channel) UnwrapCommand(c *apdu.Command) (apdu.Command, error) {
	if ch.err != nil {
		return apdu.Command{}, ch.err
	}
	ch.incSSC()
	if c.CLA&0x0C != 0x0C {
		return apdu.Command{}, ch.fail("command CLA %02X without secure messaging", c.CLA)
	}
	var crypt, le, cc []byte
	var cryptTag byte
	rest := c.Data
	macEnd := 0
	for len(rest) > 0 {
		tag, value, _, next, err := tlv.Next(rest)
		if err != nil {
			return apdu.Command{}, ch.fail("command data objects: %v", err)
		}
		switch {
		case (tag == 0x87 || tag == 0x85) && crypt == nil && le == nil && cc == nil:
			crypt, cryptTag = value, byte(tag)
		case tag == 0x97 && le == nil && cc == nil:
			le = value
		case tag == 0x8E && cc == nil:
			cc = value
			macEnd = len(c.Data) - len(rest)
		default:
			return apdu.Command{}, ch.fail("unexpected data object %X", tag)
		}
		rest = next
	}
	if len(cc) != 8 {
		return apdu.Command{}, ch.fail("no DO'8E'")
	}
	header := Pad([]byte{c.CLA, c.INS, c.P1, c.P2}, ch.cipher.BlockSize())
	if want := ch.macOver(header, c.Data[:macEnd]); subtle.ConstantTimeCompare(want, cc) != 1 {
		return apdu.Command{}, ch.fail("command MAC does not verify")
	}
	out := apdu.Command{CLA: c.CLA &^ 0x0C, INS: c.INS, P1: c.P1, P2: c.P2}
	switch len(le) {
	case 0:
		if le != nil {
			return apdu.Command{}, ch.fail("empty DO'97'")
		}
	case 1:
		out.Ne = int(le[0])
		if out.Ne == 0 {
			out.Ne = apdu.MaxShortLe
		}
	case 2:
		out.Ne = int(le[0])<<8 | int(le[1])
		if out.Ne == 0 {
			out.Ne = apdu.MaxExtendedLe
		}
	default:
		return apdu.Command{}, ch.fail("DO'97' of %d bytes", len(le))
	}
	if crypt != nil {
		if cryptTag == 0x87 {
			if len(crypt) < 1 || crypt[0] != 0x01 {
				return apdu.Command{}, ch.fail("DO'87' padding indicator")
			}
			crypt = crypt[1:]
		}
		plain, ok := ch.decrypt(crypt)
		if !ok {
			return apdu.Command{}, ch.fail("command cryptogram padding")
		}
		out.Data = plain
	}
	ch.odd = c.INS&1 == 1
	return out, nil
}

// WrapResponse is the card's side of Unwrap: it increments the SSC and
// returns DO'87' (DO'85' after an odd INS) || DO'99' || DO'8E' with the
// plain status word.
func (ch *Channel) WrapResponse(r apdu.Response) (apdu.Response, error) {
	if ch.err != nil {
		return apdu.Response{}, ch.err
	}
	ch.incSSC()
	dos := make([]byte, 0, len(r.Data)+48) // DO'87', DO'99', DO'8E' around the padded data
	if len(r.Data) > 0 {
		ct := ch.encrypt(r.Data)
		if ch.odd {
			dos = appendDO(dos, 0x85, ct)
		} else {
			dos = appendDO(dos, 0x87, []byte{0x01}, ct)
		}
	}
	dos = appendDO(dos, 0x99, []byte{byte(r.SW >> 8), byte(r.SW)})
	cc := ch.macOver(dos)
	return apdu.Response{Data: appendDO(dos, 0x8E, cc), SW: r.SW}, nil
}

// Overhead is the number of response bytes secure messaging adds around
// n plain bytes: DO'87' (tag, length, indicator, padded cryptogram),
// DO'99' (4 bytes) and DO'8E' (10 bytes).
func Overhead(c Cipher, n int) int {
	bs := c.BlockSize()
	ct := (n/bs + 1) * bs
	do87 := 0
	if n > 0 {
		do87 = 1 + len(tlv.AppendLength(nil, ct+1)) + 1 + ct
	}
	return do87 + 4 + 10 - n
}

// MaxPlain returns the largest plaintext whose protected response fits in
// maxData response data bytes (223 for AES and 256, 231 for 3DES).
func MaxPlain(c Cipher, maxData int) int {
	n := maxData
	for n > 0 && n+Overhead(c, n) > maxData {
		n--
	}
	return n
}
