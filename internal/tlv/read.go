package tlv

// String is a byte slice holding TLV-encoded data, read in the manner of
// cryptobyte.String: each Read method consumes an element from the front of
// s and reports success; on failure s is left unchanged. Values returned
// are sub-slices of s, never copies, so hashes over them cover the bytes as
// received.
type String []byte

// Empty reports whether s has no bytes left.
func (s String) Empty() bool { return len(s) == 0 }

// header is a decoded tag and length.
type header struct {
	tag  uint32
	hlen int // bytes of tag and length
	vlen int // value length; -1 when indefinite
}

// readTag reads one BER tag (at most four bytes) from s.
func (s *String) readTag(tag *uint32) bool {
	t, n, err := parseTag(*s)
	if err != nil {
		return false
	}
	*tag = t
	*s = (*s)[n:]
	return true
}

// parseTag decodes the BER tag at the start of b and its length in bytes.
func parseTag(b []byte) (uint32, int, error) {
	if len(b) == 0 {
		return 0, 0, ErrTruncated
	}
	t := uint32(b[0])
	n := 1
	if b[0]&0x1F != 0x1F {
		return t, n, nil
	}
	for {
		if n >= 4 {
			return 0, 0, ErrTag
		}
		if n >= len(b) {
			return 0, 0, ErrTruncated
		}
		c := b[n]
		// X.690 8.1.2.4.2 c: the first subsequent byte is not 0x80.
		if n == 1 && c == 0x80 {
			return 0, 0, ErrTag
		}
		t = t<<8 | uint32(c)
		n++
		if c&0x80 == 0 {
			return t, n, nil
		}
	}
}

// decodeHeader decodes the tag and length at the start of b. The returned
// error is a sentinel; the offset is the start of b.
func decodeHeader(b []byte) (header, error) {
	var h header
	t, tn, err := parseTag(b)
	if err != nil {
		return h, err
	}
	h.tag = t
	s := b[tn:]
	if len(s) == 0 {
		return h, ErrTruncated
	}
	l := s[0]
	s = s[1:]
	switch {
	case l < 0x80:
		h.vlen = int(l)
	case l == 0x80:
		h.vlen = -1
	case l <= 0x84:
		n := int(l & 0x7F)
		if len(s) < n {
			return h, ErrTruncated
		}
		var v uint64
		for _, c := range s[:n] {
			v = v<<8 | uint64(c)
		}
		s = s[n:]
		if v > uint64(len(s)) {
			return h, ErrTruncated
		}
		h.vlen = int(v)
	default:
		return h, ErrLength
	}
	h.hlen = len(b) - len(s)
	if h.vlen > len(s) {
		return h, ErrTruncated
	}
	if h.vlen < 0 && !Constructed(h.tag) {
		return h, ErrIndefinite
	}
	return h, nil
}

// scanIndefinite finds the end of an indefinite-length value whose contents
// start at b[0]. It returns the length of the contents (without the
// end-of-contents octets). It does not recurse: it tracks how many
// indefinite-length values are open, up to MaxDepth, and skips
// definite-length elements by their length.
func scanIndefinite(b []byte) (int, *Error) {
	open := 1
	pos := 0
	for {
		if pos+2 <= len(b) && b[pos] == 0 && b[pos+1] == 0 {
			open--
			if open == 0 {
				return pos, nil
			}
			pos += 2
			continue
		}
		if pos >= len(b) {
			return 0, &Error{Offset: pos, Err: ErrIndefinite}
		}
		h, err := decodeHeader(b[pos:])
		if err != nil {
			return 0, &Error{Offset: pos, Err: err}
		}
		pos += h.hlen
		if h.vlen < 0 {
			open++
			if open > MaxDepth {
				return 0, &Error{Offset: pos - h.hlen, Err: ErrDepth}
			}
			continue
		}
		pos += h.vlen
	}
}

// next decodes the element at the start of b: its tag, its value, and its
// total encoded length (for indefinite lengths, including the
// end-of-contents octets). Error offsets are relative to b.
func next(b []byte) (tag uint32, value []byte, n int, err *Error) {
	h, e := decodeHeader(b)
	if e != nil {
		return 0, nil, 0, &Error{Offset: 0, Err: e}
	}
	if h.vlen >= 0 {
		return h.tag, b[h.hlen : h.hlen+h.vlen], h.hlen + h.vlen, nil
	}
	vlen, ie := scanIndefinite(b[h.hlen:])
	if ie != nil {
		ie.Offset += h.hlen
		return 0, nil, 0, ie
	}
	return h.tag, b[h.hlen : h.hlen+vlen], h.hlen + vlen + 2, nil
}

// Next decodes the first element of b. It returns the element's tag, its
// value (contents without the end-of-contents octets of an indefinite
// length), the whole element as received, and the bytes after it. Errors
// are *Error with the offset relative to b.
func Next(b []byte) (tag uint32, value, element, rest []byte, err error) {
	t, v, n, e := next(b)
	if e != nil {
		return 0, nil, nil, b, e
	}
	return t, v, b[:n], b[n:], nil
}

// PeekTag returns the tag of the next element without consuming it.
func (s String) PeekTag() (uint32, bool) {
	var t uint32
	if !s.readTag(&t) {
		return 0, false
	}
	return t, true
}

// ReadAnyTLV reads the next element, storing its tag in *tag and its value
// in *out.
func (s *String) ReadAnyTLV(out *String, tag *uint32) bool {
	t, v, n, err := next(*s)
	if err != nil {
		return false
	}
	*tag, *out = t, v
	*s = (*s)[n:]
	return true
}

// ReadTLV reads the next element if its tag is tag, storing its value in
// *out.
func (s *String) ReadTLV(tag uint32, out *String) bool {
	t, v, n, err := next(*s)
	if err != nil || t != tag {
		return false
	}
	*out = v
	*s = (*s)[n:]
	return true
}

// ReadAnyElement reads the next element, storing its tag in *tag and the
// whole element (tag, length, value) in *out.
func (s *String) ReadAnyElement(out *String, tag *uint32) bool {
	t, _, n, err := next(*s)
	if err != nil {
		return false
	}
	*tag, *out = t, (*s)[:n]
	*s = (*s)[n:]
	return true
}

// ReadElement reads the next element if its tag is tag, storing the whole
// element (tag, length, value) in *out.
func (s *String) ReadElement(tag uint32, out *String) bool {
	var t uint32
	var e String
	c := *s
	if !c.ReadAnyElement(&e, &t) || t != tag {
		return false
	}
	*out, *s = e, c
	return true
}

// ReadOptionalTLV reads the next element if its tag is tag, storing its
// value in *out and setting *present. If the next element has another tag
// (or s is empty), it sets *present to false and succeeds.
func (s *String) ReadOptionalTLV(tag uint32, out *String, present *bool) bool {
	if t, ok := s.PeekTag(); !ok || t != tag {
		*present = false
		return true
	}
	if !s.ReadTLV(tag, out) {
		return false
	}
	*present = true
	return true
}

// Skip reads and discards the next element, whatever its tag.
func (s *String) Skip() bool {
	var t uint32
	var v String
	return s.ReadAnyTLV(&v, &t)
}

// ReadInt reads an element with tag tag (0x02 for an ASN.1 INTEGER) whose
// value is a two's-complement integer of one to eight bytes.
func (s *String) ReadInt(tag uint32, out *int64) bool {
	c := *s
	var v String
	if !c.ReadTLV(tag, &v) || len(v) == 0 || len(v) > 8 {
		return false
	}
	n := int64(int8(v[0]))
	for _, b := range v[1:] {
		n = n<<8 | int64(b)
	}
	*out, *s = n, c
	return true
}

// ReadTag reads one tag with no length or value, as in a tag list (EF.COM
// 5C, DG11 and DG12 5C).
func (s *String) ReadTag(tag *uint32) bool { return s.readTag(tag) }
