package main

import (
	"bytes"
	"encoding/base64"
)

// A card request is almost all base64: about 30 KB for a card with a face
// image. encoding/json scans such a body twice, byte by byte (about a third
// of the service's CPU time per request), so verifyCard first tries
// decodeCardFast, which finds each string's end with bytes.IndexByte. It
// accepts only the plain form every client sends (ASCII strings without
// escapes, the known keys) and reports false for anything else; the caller
// then decodes the body with encoding/json, which gives the usual answer,
// error messages included. FuzzCardDecoders checks that whatever the fast
// path accepts, encoding/json accepts with the same result.
//
// The decoded files go into arena while it has room (the caller recycles
// it once the files are no longer used; nil means allocate each file).
func decodeCardFast(body, arena []byte) (req cardRequest, ok bool) {
	p := fastParser{b: body}
	if !p.object(func(key []byte) bool {
		switch string(key) {
		case "files":
			if req.Files == nil {
				req.Files = map[string][]byte{}
			}
			return p.object(func(name []byte) bool {
				v, ok := p.base64()
				if !ok {
					return false
				}
				var dst []byte
				if l := base64.StdEncoding.DecodedLen(len(v)); arena != nil && l <= cap(arena)-len(arena) {
					dst = arena[len(arena) : len(arena)+l]
				} else {
					dst = make([]byte, l)
				}
				n, err := decodeBase64Std(dst, v)
				if err != nil {
					return false
				}
				req.Files[string(name)] = dst[:n:n]
				if cap(arena)-len(arena) >= n {
					arena = arena[:len(arena)+n]
				}
				return true
			})
		case "expect":
			if p.null() {
				req.Expect = nil
				return true
			}
			if req.Expect == nil {
				req.Expect = &cardExpect{}
			}
			return p.object(func(key []byte) bool {
				v, ok := p.str()
				switch {
				case !ok:
					return false
				case string(key) == "number":
					req.Expect.Number = string(v)
				case string(key) == "birth_date":
					req.Expect.BirthDate = string(v)
				default:
					return false
				}
				return true
			})
		}
		return false
	}) {
		return cardRequest{}, false
	}
	p.space()
	return req, p.i == len(p.b)
}

// fastParser reads the plain subset of JSON that decodeCardFast accepts.
type fastParser struct {
	b []byte
	i int
}

func (p *fastParser) space() {
	for p.i < len(p.b) && (p.b[p.i] == ' ' || p.b[p.i] == '\t' || p.b[p.i] == '\n' || p.b[p.i] == '\r') {
		p.i++
	}
}

func (p *fastParser) byte(c byte) bool {
	p.space()
	if p.i < len(p.b) && p.b[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *fastParser) null() bool {
	p.space()
	if bytes.HasPrefix(p.b[p.i:], []byte("null")) {
		p.i += 4
		return true
	}
	return false
}

// quoted returns the bytes between the opening quote at the cursor and
// the next quote, and the cursor just past the closing one; it does not
// move the cursor.
func (p *fastParser) quoted() (s []byte, next int, ok bool) {
	if !p.byte('"') {
		return nil, 0, false
	}
	end := bytes.IndexByte(p.b[p.i:], '"')
	if end < 0 {
		return nil, 0, false
	}
	return p.b[p.i : p.i+end], p.i + end + 1, true
}

// str reads a string of printable ASCII without escapes.
func (p *fastParser) str() ([]byte, bool) {
	s, next, ok := p.quoted()
	if !ok {
		return nil, false
	}
	for _, c := range s {
		if c < 0x20 || c > 0x7e || c == '\\' {
			return nil, false
		}
	}
	p.i = next
	return s, true
}

// base64 reads a string that is to be base64: it skips str's per-byte
// check (most of a card request), because base64 decoding rejects every
// byte str would refuse except the line breaks it ignores, and those are
// refused here.
func (p *fastParser) base64() ([]byte, bool) {
	s, next, ok := p.quoted()
	if !ok || bytes.IndexByte(s, '\n') >= 0 || bytes.IndexByte(s, '\r') >= 0 {
		return nil, false
	}
	p.i = next
	return s, true
}

// object reads {"key": value, ...}, calling member for each value.
func (p *fastParser) object(member func(key []byte) bool) bool {
	if !p.byte('{') {
		return false
	}
	if p.byte('}') {
		return true
	}
	for {
		key, ok := p.str()
		if !ok || !p.byte(':') || !member(key) {
			return false
		}
		if p.byte('}') {
			return true
		}
		if !p.byte(',') {
			return false
		}
	}
}
