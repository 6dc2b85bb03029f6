package chiptest

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"testing"
)

// Property: a software card answers every command, however malformed,
// with at least a status word and never panics: 3000 random sequences of
// mutated real commands (SELECT, READ BINARY by SFI and B1, GET
// CHALLENGE, MSE:Set AT, GENERAL AUTHENTICATE, INTERNAL AUTHENTICATE,
// protected-looking CLA 0C). Its parsers (internal/apdu, internal/sm,
// internal/pace) have their own fuzz targets; this covers the dispatch.
func TestSoftCardAnswersAnything(t *testing.T) {
	is, err := New(Options{Seed: "garbage"})
	if err != nil {
		t.Fatal(err)
	}
	h := DefaultHolder()
	var face bytes.Buffer // a 1x1 face keeps the setup short
	if err := jpeg.Encode(&face, image.NewGray(image.Rect(0, 0, 1, 1)), nil); err != nil {
		t.Fatal(err)
	}
	h.FaceJPEG = face.Bytes()
	card, err := is.Issue(h)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := NewSoftCard(card, SoftCardOptions{Rand: countingReader{}})
	if err != nil {
		t.Fatal(err)
	}
	seeds := [][]byte{
		{0x00, 0xB0, 0x9C, 0x00, 0x00},
		{0x00, 0xA4, 0x00, 0x0C},
		{0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0, 0, 2, 0x47, 0x10, 0x01},
		{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x1C},
		{0x00, 0xB1, 0x00, 0x00, 0x04, 0x54, 0x02, 0x80, 0x00, 0x00},
		{0x00, 0x22, 0xC1, 0xA4, 0x0F, 0x80, 0x0A, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02, 0x02, 0x83, 0x01, 0x02},
		{0x10, 0x86, 0x00, 0x00, 0x02, 0x7C, 0x00, 0x00},
		{0x10, 0x86, 0x00, 0x00, 0x05, 0x7C, 0x03, 0x81, 0x01, 0x04, 0x00},
		{0x00, 0x84, 0x00, 0x00, 0x08},
		{0x00, 0x82, 0x00, 0x00, 0x28},
		{0x00, 0x88, 0x00, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x00},
		{0x0C, 0xB0, 0x00, 0x00, 0x0D, 0x97, 0x01, 0x04, 0x8E, 0x08, 1, 2, 3, 4, 5, 6, 7, 8, 0x00},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		sc.Reset()
		for range 1 + rng.IntN(6) {
			c := bytes.Clone(seeds[rng.IntN(len(seeds))])
			for range rng.IntN(4) {
				switch rng.IntN(3) {
				case 0:
					c[rng.IntN(len(c))] = byte(rng.Uint32())
				case 1:
					c = c[:rng.IntN(len(c)+1)]
				default:
					c = append(c, byte(rng.Uint32()))
				}
				if len(c) == 0 {
					break
				}
			}
			r, err := sc.Transmit(context.Background(), c)
			if err != nil || len(r) < 2 {
				t.Fatalf("command %X: answer %X, %v", c, r, err)
			}
		}
	}
}

// countingReader is a deterministic byte stream.
type countingReader struct{}

func (countingReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(i + 1)
	}
	return len(p), nil
}
