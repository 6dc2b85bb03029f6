package tlv

import (
	"errors"
	"slices"
)

// errBuilderTag is the Builder's error for a tag ValidTag rejects.
var errBuilderTag = errors.New("tlv: invalid tag to encode")

// AppendTag appends the bytes of tag (as ValidTag describes it) to dst.
func AppendTag(dst []byte, tag uint32) []byte {
	var b [4]byte
	n := putTag(&b, tag)
	return append(dst, b[4-n:]...)
}

// AppendLength appends the minimal definite length encoding of n: one byte
// below 128, else 81..84 and the big-endian length.
func AppendLength(dst []byte, n int) []byte {
	switch {
	case n < 0x80:
		return append(dst, byte(n))
	case n <= 0xFF:
		return append(dst, 0x81, byte(n))
	case n <= 0xFFFF:
		return append(dst, 0x82, byte(n>>8), byte(n))
	case n <= 0xFFFFFF:
		return append(dst, 0x83, byte(n>>16), byte(n>>8), byte(n))
	}
	return append(dst, 0x84, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
}

// Builder writes TLV elements with definite, minimal lengths. Its zero
// value is ready to use. The first invalid tag is recorded and returned by
// Bytes.
type Builder struct {
	buf []byte
	err error
}

// NewBuilder returns a Builder that appends to buf.
func NewBuilder(buf []byte) *Builder { return &Builder{buf: buf} }

// AddTLV appends an element with the given tag and value.
func (b *Builder) AddTLV(tag uint32, value []byte) {
	if !b.checkTag(tag) {
		return
	}
	b.buf = AppendTag(b.buf, tag)
	b.buf = AppendLength(b.buf, len(value))
	b.buf = append(b.buf, value...)
}

// AddConstructed appends an element with the given tag whose value is what
// f writes to the Builder it receives.
func (b *Builder) AddConstructed(tag uint32, f func(*Builder)) {
	if !b.checkTag(tag) {
		return
	}
	b.buf = AppendTag(b.buf, tag)
	start := len(b.buf)
	f(b)
	var lb [5]byte
	l := AppendLength(lb[:0], len(b.buf)-start)
	b.buf = slices.Insert(b.buf, start, l...)
}

// AddRaw appends bytes that are already encoded.
func (b *Builder) AddRaw(v []byte) { b.buf = append(b.buf, v...) }

// AddInt appends an element with the given tag (0x02 for an ASN.1 INTEGER)
// holding v in minimal two's-complement form.
func (b *Builder) AddInt(tag uint32, v int64) {
	var tmp [8]byte
	for i := range tmp {
		tmp[i] = byte(v >> (56 - 8*i))
	}
	i := 0
	for i < 7 && (tmp[i] == 0 && tmp[i+1]&0x80 == 0 || tmp[i] == 0xFF && tmp[i+1]&0x80 != 0) {
		i++
	}
	b.AddTLV(tag, tmp[i:])
}

// Bytes returns the encoded bytes, or the first error.
func (b *Builder) Bytes() ([]byte, error) {
	if b.err != nil {
		return nil, b.err
	}
	return b.buf, nil
}

func (b *Builder) checkTag(tag uint32) bool {
	if b.err != nil {
		return false
	}
	if !ValidTag(tag) {
		b.err = errBuilderTag
		return false
	}
	return true
}
