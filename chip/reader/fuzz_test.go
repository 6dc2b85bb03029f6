package reader_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cancuoc/sdk/chip/reader"
)

// hostile answers every command with the same bytes.
type hostile struct {
	resp []byte
	n    int
}

func (h *hostile) Transmit(context.Context, []byte) ([]byte, error) {
	h.n++
	if h.n > 100000 {
		return nil, errors.New("too many APDUs")
	}
	return h.resp, nil
}

// FuzzReadFile feeds arbitrary card answers to the file reader (TLV file
// headers, status words, odd-INS 53 objects, chunk fallbacks): it must
// end with a typed error or a file, never panic or loop.
func FuzzReadFile(f *testing.F) {
	f.Add([]byte{0x31, 0x02, 0x30, 0x00, 0x90, 0x00})
	f.Add([]byte{0x75, 0x82, 0x80, 0x10, 0x00, 0x90, 0x00})
	f.Add([]byte{0x6C, 0x10})
	f.Add([]byte{0x62, 0x82})
	f.Add([]byte{0x6A, 0x86})
	f.Add([]byte{0x90})
	f.Fuzz(func(t *testing.T, resp []byte) {
		h := &hostile{resp: resp}
		s := reader.NewSession(h, reader.SessionOptions{})
		b, err := s.ReadFile(context.Background(), "EF.CardAccess")
		if h.n > 100000 {
			t.Fatal("reader loops")
		}
		if err != nil {
			var e *reader.Error
			if !errors.As(err, &e) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if len(b) > reader.MaxFileSize {
			t.Fatalf("file of %d bytes", len(b))
		}
	})
}
