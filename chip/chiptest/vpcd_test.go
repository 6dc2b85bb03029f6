package chiptest

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// echoCard is the smallest VirtualCard: it answers every command with the
// command's header (CLA INS P1 P2) and 9000, counts power cycles, and
// fails from its failAt-th command on (0: never).
type echoCard struct {
	mu       sync.Mutex
	resets   int
	commands int
	failAt   int
	respLen  int // when > 0, answer with respLen bytes of data instead
}

var errEchoGone = errors.New("echo card: gone")

// testATR is a contactless-style ATR offering T=1 (PC/SC part 3 clause
// 3.1.3.2.3: 3B 8n 80 01, historical bytes, TCK), with no historical bytes.
var testATR = []byte{0x3B, 0x80, 0x80, 0x01, 0x01}

func (c *echoCard) Transmit(_ context.Context, command []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.commands++
	if c.failAt > 0 && c.commands >= c.failAt {
		return nil, errEchoGone
	}
	if c.respLen > 0 {
		return make([]byte, c.respLen), nil
	}
	return append(append([]byte(nil), command[:min(4, len(command))]...), 0x90, 0x00), nil
}

func (c *echoCard) ATR() []byte { return testATR }

func (c *echoCard) Reset() {
	c.mu.Lock()
	c.resets++
	c.mu.Unlock()
}

func (c *echoCard) counts() (resets, commands int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.resets, c.commands
}

// fakeVPCD plays pcscd's vpcd driver: it listens on loopback and hands each
// accepted connection to the test.
type fakeVPCD struct {
	ln    net.Listener
	conns chan net.Conn
}

func newFakeVPCD(t *testing.T) *fakeVPCD {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	f := &fakeVPCD{ln: ln, conns: make(chan net.Conn, 4)}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				close(f.conns)
				return
			}
			f.conns <- c
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return f
}

func (f *fakeVPCD) accept(t *testing.T) net.Conn {
	t.Helper()
	select {
	case c := <-f.conns:
		t.Cleanup(func() { c.Close() })
		return c
	case <-time.After(10 * time.Second):
		t.Fatal("the card did not connect to the fake vpcd")
		return nil
	}
}

// exchange sends one framed message and, when want is true, reads the
// framed answer.
func exchange(t *testing.T, c net.Conn, msg []byte, want bool) []byte {
	t.Helper()
	require.NoError(t, c.SetDeadline(time.Now().Add(10*time.Second)))
	_, err := c.Write(appendVPCDFrame(nil, msg))
	require.NoError(t, err)
	if !want {
		return nil
	}
	var hdr [2]byte
	got, err := readVPCDFrame(c, hdr[:], nil)
	require.NoError(t, err)
	return got
}

func serveInBackground(t *testing.T, ctx context.Context, addr string, card VirtualCard) <-chan error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- ServeVPCD(ctx, addr, card) }()
	return done
}

func waitServe(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("ServeVPCD did not return")
		return nil
	}
}

// TestServeVPCDProtocol follows the message flow of vsmartcard's vpcd.c
// (vicc_getatr, vicc_poweron, vicc_transmit, vicc_reset, vicc_poweroff)
// against the echo card.
func TestServeVPCDProtocol(t *testing.T) {
	f := newFakeVPCD(t)
	card := &echoCard{}
	ctx, cancel := context.WithCancel(t.Context())
	done := serveInBackground(t, ctx, f.ln.Addr().String(), card)
	c := f.accept(t)

	require.Equal(t, testATR, exchange(t, c, []byte{vpcdATR}, true), "ATR request")
	exchange(t, c, []byte{vpcdPowerOn}, false)
	require.Equal(t, []byte{0x00, 0xA4, 0x02, 0x0C, 0x90, 0x00},
		exchange(t, c, []byte{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x1E}, true), "C-APDU answered with the R-APDU")
	exchange(t, c, []byte{vpcdReset}, false)
	exchange(t, c, []byte{3}, false) // unknown control byte: ignored, no answer
	exchange(t, c, []byte{vpcdPowerOff}, false)
	// Two-byte messages are commands too (a case 1 APDU is at least 4 bytes,
	// but the protocol only sets length 1 apart).
	require.Equal(t, []byte{0x00, 0x84, 0x90, 0x00}, exchange(t, c, []byte{0x00, 0x84}, true))

	resets, commands := card.counts()
	require.Equal(t, 3, resets, "power on, reset and power off each power cycle the card")
	require.Equal(t, 2, commands)

	cancel()
	require.NoError(t, waitServe(t, done), "ServeVPCD returns nil when its context ends")
}

// TestServeVPCDReconnects drops the connection (pcscd restarted) and checks
// that the card comes back on a new one, power cycled.
func TestServeVPCDReconnects(t *testing.T) {
	f := newFakeVPCD(t)
	card := &echoCard{}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := serveInBackground(t, ctx, f.ln.Addr().String(), card)

	c := f.accept(t)
	require.Equal(t, testATR, exchange(t, c, []byte{vpcdATR}, true))
	c.Close()

	c = f.accept(t)
	require.Equal(t, testATR, exchange(t, c, []byte{vpcdATR}, true), "served again after the drop")
	resets, _ := card.counts()
	require.Equal(t, 1, resets, "the drop cut the card's power")
	cancel()
	require.NoError(t, waitServe(t, done))
}

// TestServeVPCDWaitsForDriver starts the card before anything listens, as
// when pcscd starts after the emulator.
func TestServeVPCDWaitsForDriver(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	done := serveInBackground(t, ctx, addr, &echoCard{})
	time.Sleep(3 * vpcdRetryMin)

	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("could not listen again on %s: %v", addr, err)
	}
	defer ln.Close()
	require.NoError(t, ln.(*net.TCPListener).SetDeadline(time.Now().Add(10*time.Second)))
	c, err := ln.Accept()
	require.NoError(t, err, "ServeVPCD dials again until the driver listens")
	defer c.Close()
	require.Equal(t, testATR, exchange(t, c, []byte{vpcdATR}, true))
	cancel()
	require.NoError(t, waitServe(t, done))
}

func TestServeVPCDErrors(t *testing.T) {
	t.Run("empty message", func(t *testing.T) {
		f := newFakeVPCD(t)
		done := serveInBackground(t, t.Context(), f.ln.Addr().String(), &echoCard{})
		c := f.accept(t)
		exchange(t, c, []byte{vpcdATR}, true)
		exchange(t, c, nil, false)
		err := waitServe(t, done)
		require.ErrorIs(t, err, ErrVPCDProtocol)
		var ve *VPCDError
		require.ErrorAs(t, err, &ve)
		require.Equal(t, 2, ve.Message)
	})
	t.Run("card gone", func(t *testing.T) {
		f := newFakeVPCD(t)
		done := serveInBackground(t, t.Context(), f.ln.Addr().String(), &echoCard{failAt: 2})
		c := f.accept(t)
		exchange(t, c, []byte{0x00, 0xB0, 0x00, 0x00, 0x00}, true)
		exchange(t, c, []byte{0x00, 0xB0, 0x00, 0x00, 0x00}, false)
		require.ErrorIs(t, waitServe(t, done), errEchoGone)
		// The driver sees the connection close: the card left the reader.
		var hdr [2]byte
		_, err := readVPCDFrame(c, hdr[:], nil)
		require.ErrorIs(t, err, io.EOF)
	})
	t.Run("response too long for a frame", func(t *testing.T) {
		f := newFakeVPCD(t)
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		done := serveInBackground(t, ctx, f.ln.Addr().String(), &echoCard{respLen: vpcdMaxFrame + 1})
		c := f.accept(t)
		require.Equal(t, []byte{0x67, 0x00}, exchange(t, c, []byte{0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00}, true))
		cancel()
		require.NoError(t, waitServe(t, done))
	})
	t.Run("bad address", func(t *testing.T) {
		err := ServeVPCD(t.Context(), "no-port", &echoCard{})
		require.Error(t, err)
		require.Contains(t, err.Error(), "vpcd address")
	})
}

// vpcdSeeds are small streams in the vpcd framing: the protocol's messages
// (vsmartcard vpcd.c) and the malformed shapes the decoder must refuse.
func vpcdSeeds() [][]byte {
	frame := func(msgs ...[]byte) []byte {
		var b []byte
		for _, m := range msgs {
			b = appendVPCDFrame(b, m)
		}
		return b
	}
	return [][]byte{
		frame([]byte{vpcdATR}, []byte{vpcdPowerOn}, []byte{0x00, 0x84, 0x00, 0x00, 0x08}, []byte{vpcdPowerOff}),
		frame([]byte{vpcdReset}, []byte{9}),
		frame(nil),
		{0x00},             // truncated length
		{0x00, 0x05, 0x00}, // truncated payload
		{0xFF, 0xFF},       // largest length, no payload
	}
}

// FuzzVPCDStream feeds arbitrary bytes to the vpcd message loop as if vpcd
// sent them: it must never panic, must end with the stream's end or a
// *VPCDError, and every answer it writes must be one well-formed frame.
func FuzzVPCDStream(f *testing.F) {
	for _, s := range vpcdSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var out bytes.Buffer
		rw := struct {
			io.Reader
			io.Writer
		}{bytes.NewReader(in), &out}
		err := serveVPCDStream(context.Background(), rw, &echoCard{})
		var ve *VPCDError
		if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.As(err, &ve) {
			t.Fatalf("unexpected error %v", err)
		}
		r := bytes.NewReader(out.Bytes())
		var hdr [2]byte
		for r.Len() > 0 {
			if _, err := readVPCDFrame(r, hdr[:], nil); err != nil {
				t.Fatalf("answer stream is not framed: %v", err)
			}
		}
	})
}

func TestVPCDFrameRoundTrip(t *testing.T) {
	// Property: every payload length the 2-byte header can express round trips.
	for _, n := range []int{0, 1, 2, 255, 256, 261, vpcdMaxFrame} {
		p := bytes.Repeat([]byte{0xA5}, n)
		b := appendVPCDFrame(nil, p)
		require.Equal(t, uint16(n), binary.BigEndian.Uint16(b))
		var hdr [2]byte
		got, err := readVPCDFrame(bytes.NewReader(b), hdr[:], nil)
		require.NoError(t, err)
		require.True(t, bytes.Equal(p, got), "payload of %d bytes", n)
	}
}

// BenchmarkVPCDStream measures the bridge's own cost per message (framing
// and dispatch, no network): a stream of SELECT commands to the echo card.
func BenchmarkVPCDStream(b *testing.B) {
	const n = 64
	var in []byte
	for range n {
		in = appendVPCDFrame(in, []byte{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x1E})
	}
	card := &echoCard{}
	var out bytes.Buffer
	r := bytes.NewReader(in)
	b.ReportAllocs()
	for b.Loop() {
		r.Reset(in)
		out.Reset()
		rw := struct {
			io.Reader
			io.Writer
		}{r, &out}
		if err := serveVPCDStream(context.Background(), rw, card); !errors.Is(err, io.EOF) {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/msg")
}
