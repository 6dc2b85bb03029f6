package main

import (
	"encoding/base64"
	"encoding/binary"
)

// decodeBase64Fast decodes src, standard base64 with padding (RFC 4648
// section 4), into dst, which must hold base64.StdEncoding.DecodedLen
// bytes, and reports false when src is anything but plain canonical-length
// base64 (wrong length, a byte outside the alphabet, '=' other than as the
// final padding). The caller then decodes with encoding/base64, which
// accepts or rejects src with its own error. A card request is almost all
// base64 (a 20 KB face image), and this loop, which turns 8 characters into
// 6 bytes with four table look-ups per 4 characters, takes about two thirds
// of the time of encoding/base64's Decode (issue 17). FuzzBase64 checks that
// whatever it accepts, encoding/base64 decodes to the same bytes.
func decodeBase64Fast(dst, src []byte) (int, bool) {
	if len(src)%4 != 0 {
		return 0, false
	}
	if len(src) == 0 {
		return 0, true
	}
	t := &b64Tables
	var bad uint32
	n := 0
	body, last := src[:len(src)-4], src[len(src)-4:]
	for len(body) >= 8 && len(dst)-n >= 8 {
		x := t[0][body[0]] | t[1][body[1]] | t[2][body[2]] | t[3][body[3]]
		y := t[0][body[4]] | t[1][body[5]] | t[2][body[6]] | t[3][body[7]]
		bad |= x | y
		binary.BigEndian.PutUint64(dst[n:], uint64(x)<<40|uint64(y)<<16)
		n += 6
		body = body[8:]
	}
	for len(body) >= 4 {
		x := t[0][body[0]] | t[1][body[1]] | t[2][body[2]] | t[3][body[3]]
		bad |= x
		dst[n], dst[n+1], dst[n+2] = byte(x>>16), byte(x>>8), byte(x)
		n += 3
		body = body[4:]
	}
	switch {
	case last[2] == '=' && last[3] == '=':
		x := t[0][last[0]] | t[1][last[1]]
		bad |= x
		dst[n] = byte(x >> 16)
		n++
	case last[3] == '=':
		x := t[0][last[0]] | t[1][last[1]] | t[2][last[2]]
		bad |= x
		dst[n], dst[n+1] = byte(x>>16), byte(x>>8)
		n += 2
	default:
		x := t[0][last[0]] | t[1][last[1]] | t[2][last[2]] | t[3][last[3]]
		bad |= x
		dst[n], dst[n+1], dst[n+2] = byte(x>>16), byte(x>>8), byte(x)
		n += 3
	}
	return n, bad&b64Invalid == 0
}

// b64Invalid marks a byte outside the alphabet in b64Tables.
const b64Invalid = 1 << 24

// b64Tables holds, for each position in a group of four characters, each
// byte's 6-bit value already shifted to its place in the group's 24 bits,
// or b64Invalid. It is computed once from the standard alphabet and never
// written again.
var b64Tables = func() (t [4][256]uint32) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range t {
		for c := range t[i] {
			t[i][c] = b64Invalid
		}
	}
	for v := range len(alphabet) {
		c := alphabet[v]
		t[0][c], t[1][c], t[2][c], t[3][c] = uint32(v)<<18, uint32(v)<<12, uint32(v)<<6, uint32(v)
	}
	return t
}()

// decodeBase64Std is decodeBase64Fast with encoding/base64 as the fallback.
func decodeBase64Std(dst, src []byte) (int, error) {
	if n, ok := decodeBase64Fast(dst, src); ok {
		return n, nil
	}
	return base64.StdEncoding.Decode(dst, src)
}
