package main

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadAll compares readAll with io.ReadAll (the oracle) on readers that
// return little at a time, bodies larger than the recycled buffer, and a
// reader that fails.
func TestReadAll(t *testing.T) {
	body := []byte(strings.Repeat("0123456789abcdef", 5000)) // 80 KB
	for _, size := range []int{0, 1, 100, 64 << 10} {
		for _, r := range []func() io.Reader{
			func() io.Reader { return bytes.NewReader(body) },
			func() io.Reader { return iotest.OneByteReader(bytes.NewReader(body[:3000])) },
			func() io.Reader { return iotest.HalfReader(bytes.NewReader(body)) },
			func() io.Reader { return iotest.DataErrReader(bytes.NewReader(body[:10])) },
		} {
			want, _ := io.ReadAll(r())
			got, err := readAll(r(), make([]byte, 0, size))
			require.NoError(t, err)
			assert.Equal(t, want, got)
		}
	}
	boom := errors.New("boom")
	_, err := readAll(iotest.ErrReader(boom), nil)
	assert.ErrorIs(t, err, boom)
}

// TestBufferList checks that buffers come back empty, that at most one per
// slot is kept, that an oversize one is dropped, and that a kept buffer
// too small for the size asked is replaced.
func TestBufferList(t *testing.T) {
	l := newBufferList(2, 100)
	b := l.get(16)
	assert.Equal(t, 0, len(b))
	assert.Equal(t, 16, cap(b))
	l.put(append(b, "abc"...))
	l.put(make([]byte, 5, 32))
	l.put(make([]byte, 0, 64)) // list full: dropped
	assert.Len(t, l.free, 2)
	got := l.get(8)
	assert.Equal(t, 0, len(got))
	assert.Equal(t, 16, cap(got), "the first buffer put back")
	got = l.get(48)
	assert.Equal(t, 48, cap(got), "the 32-byte buffer is too small")
	assert.Len(t, l.free, 0)
	l.put(make([]byte, 0, 101))
	assert.Len(t, l.free, 0, "an oversize buffer is not kept")
	l.put(make([]byte, 0, 100))
	assert.Len(t, l.free, 1)
}
