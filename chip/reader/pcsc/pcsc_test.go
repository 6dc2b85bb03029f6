package pcsc

import (
	"context"
	"errors"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/sdk/chip/chiptest"
	"github.com/cancuoc/sdk/chip/reader"
)

// pcscd's reader-state records hold the name in a fixed 128-byte field
// padded with NULs (pcsc-lite eventhandler.h READER_STATE.readerName).
func TestTrimName(t *testing.T) {
	raw := "Virtual PCD 00 00" + strings.Repeat("\x00", 111)
	require.Equal(t, "Virtual PCD 00 00", trimName(raw))
	require.Equal(t, "Virtual PCD 00 00", trimName(" Virtual PCD 00 00  \x00\x00"))
	require.Empty(t, trimName(strings.Repeat("\x00", 128)))
}

func TestNoDaemon(t *testing.T) {
	sock := t.TempDir() + "/pcscd.comm" // nothing listens here
	_, err := ListReaders(t.Context(), Options{Socket: sock})
	require.ErrorIs(t, err, ErrNoService)
	_, err = Open(t.Context(), Options{Socket: sock})
	require.ErrorIs(t, err, ErrNoService)
	var pe *Error
	require.ErrorAs(t, err, &pe)
	require.Equal(t, "establish", pe.Op)

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = Open(ctx, Options{Socket: sock})
	require.ErrorIs(t, err, context.Canceled)
}

// A stalled pcscd (it accepts the connection and never answers) must not
// hold Open past its context.
func TestOpenHonoursContext(t *testing.T) {
	sock := t.TempDir() + "/pcscd.comm"
	ln, err := net.Listen("unix", sock)
	require.NoError(t, err)
	defer ln.Close()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c, err := ln.Accept()
		if err == nil {
			buf := make([]byte, 64)
			c.Read(buf)                 // take the version request, answer nothing
			time.Sleep(3 * time.Second) // far past the caller's deadline
			c.Close()
		}
	}()
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = Open(ctx, Options{Socket: sock})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Less(t, time.Since(start), 2*time.Second, "returned at the deadline, not when pcscd answered")
	wg.Wait()
}

// The second vpcd reader ("Virtual PCD 00 01", port 35964): the end-to-end
// test of examples/cancuoc uses the first, and go test runs packages in
// parallel.
const (
	testVPCDAddr   = "127.0.0.1:35964"
	testReaderName = "Virtual PCD 00 01"
)

// echoCard answers every command APDU with the command itself and 9000,
// so the test sees exactly what crossed pcscd. It offers T=1 in its ATR.
type echoCard struct{}

func (echoCard) Transmit(_ context.Context, command []byte) ([]byte, error) {
	return append(append([]byte(nil), command...), 0x90, 0x00), nil
}

// ATR 3B 80 80 01 01: T=0 and T=1 offered, no historical bytes, TCK 01
// (ISO/IEC 7816-3 clause 8.2; the PC/SC part 3 contactless shape).
func (echoCard) ATR() []byte { return []byte{0x3B, 0x80, 0x80, 0x01, 0x01} }
func (echoCard) Reset()      {}

// needVPCD skips the test unless pcscd answers and lists the vsmartcard
// virtual reader the test uses. With CANCUOC_PCSC=required (set by .ci/run
// after it started pcscd) a missing stack fails the test instead.
func needVPCD(t testing.TB) {
	t.Helper()
	skip := t.Skipf
	if os.Getenv("CANCUOC_PCSC") == "required" {
		skip = t.Fatalf
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	names, err := ListReaders(ctx, Options{})
	if err != nil {
		skip("pcscd not reachable (%v): install pcscd and vsmartcard-vpcd and start pcscd to run this test", err)
		return
	}
	if !slices.Contains(names, testReaderName) {
		skip("pcscd lists no %q reader (readers: %q): install vsmartcard-vpcd and restart pcscd", testReaderName, names)
	}
}

// attach serves card on the test's vpcd port and opens it once pcscd sees
// it and it answers; stop detaches the card.
func attach(t testing.TB, card chiptest.VirtualCard, opts Options) (c *Card, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- chiptest.ServeVPCD(ctx, testVPCDAddr, card) }()
	stop = func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("ServeVPCD: %v", err)
		}
		// pcscd polls the driver every 400 ms; a card replaced between two
		// polls is never seen leaving, and pcscd then keeps answering
		// SCARD_E_NO_SMARTCARD for the new one. Leave the reader empty
		// long enough for a poll to notice.
		time.Sleep(time.Second)
	}
	// pcscd polls the driver for the card (every 400 ms in pcsc-lite's
	// polling thread): a card detached by an earlier test may still look
	// present, then absent, before this one shows up.
	opts.Reader = testReaderName
	probe := []byte{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x1E}
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, err := Open(context.Background(), opts)
		if err == nil {
			if _, err = c.Transmit(context.Background(), probe); err == nil {
				return c, stop
			}
			c.Close()
		}
		if time.Now().After(deadline) {
			stop()
			t.Fatalf("the virtual card did not appear in %q: %v", testReaderName, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestThroughPCSCD exchanges APDUs with a software card through the real
// stack: this package, pcscd and the vsmartcard vpcd driver.
func TestThroughPCSCD(t *testing.T) {
	needVPCD(t)
	ctx := t.Context()

	_, err := Open(ctx, Options{Reader: "No Such Reader 00 00"})
	require.ErrorIs(t, err, ErrNoReader)

	card, stop := attach(t, echoCard{}, Options{ExtendedLength: true})
	require.Equal(t, testReaderName, card.Reader())
	require.Equal(t, reader.Limits{ExtendedLength: true, MaxCommand: 65544, MaxResponse: 65538}, card.Limits())

	// SELECT EF.COM by FID (ICAO 9303-10 clause 3.6.2, P2=0C).
	sel := []byte{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x1E}
	resp, err := card.Transmit(ctx, sel)
	require.NoError(t, err)
	require.Equal(t, append(sel, 0x90, 0x00), resp)

	// An extended-length command (ISO/IEC 7816-4 clause 5.1: Lc = 00 hi lo)
	// of 3,000 data bytes, answered with 3,009 bytes.
	ext := append([]byte{0x00, 0xD6, 0x00, 0x00, 0x00, 0x0B, 0xB8}, make([]byte, 3000)...)
	resp, err = card.Transmit(ctx, ext)
	require.NoError(t, err)
	require.Len(t, resp, len(ext)+2)

	_, err = card.Transmit(ctx, make([]byte, 70000))
	require.Error(t, err, "longer than the limits")
	require.NotErrorIs(t, err, reader.ErrCardRemoved)

	// The card leaves the reader: the next command fails as a removal.
	stop()
	_, err = card.Transmit(ctx, sel)
	require.ErrorIs(t, err, reader.ErrCardRemoved)
	t.Logf("after removal: %v", err)
	require.NoError(t, card.Close())

	// With the reader empty, Open says so.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var c *Card
		c, err = Open(ctx, Options{Reader: testReaderName})
		if err == nil {
			c.Close() // pcscd has not polled the reader since; an exclusive handle left open would block the next Open
		}
		if errors.Is(err, ErrNoCard) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	require.ErrorIs(t, err, ErrNoCard)
}

// BenchmarkTransmitPCSCD measures one APDU round trip through pcscd and
// vpcd (a 7-byte SELECT answered with 9 bytes).
func BenchmarkTransmitPCSCD(b *testing.B) {
	needVPCD(b)
	card, stop := attach(b, echoCard{}, Options{})
	defer stop()
	defer card.Close()
	sel := []byte{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x1E}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := card.Transmit(context.Background(), sel); err != nil {
			b.Fatal(err)
		}
	}
}

// slowCard answers like echoCard after a delay, to stand for a card that
// takes longer than the caller will wait.
type slowCard struct {
	echoCard
	delay time.Duration
}

func (c slowCard) Transmit(ctx context.Context, command []byte) ([]byte, error) {
	if len(command) > 1 && command[1] == 0xB0 { // READ BINARY is the slow one
		time.Sleep(c.delay)
	}
	return c.echoCard.Transmit(ctx, command)
}

// TestTransmitHonoursContext gives up on a command the card is slow to
// answer: Transmit returns at the deadline, and the Card refuses further
// commands, since pcscd's late answer would be taken for the next one.
func TestTransmitHonoursContext(t *testing.T) {
	needVPCD(t)
	card, stop := attach(t, slowCard{delay: 500 * time.Millisecond}, Options{})
	defer stop()

	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := card.Transmit(ctx, []byte{0x00, 0xB0, 0x00, 0x00, 0x00})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Less(t, time.Since(start), 400*time.Millisecond, "returned at the deadline, not with the card")

	_, err = card.Transmit(t.Context(), []byte{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x1E})
	require.ErrorIs(t, err, reader.ErrCardRemoved)
	require.Contains(t, err.Error(), "abandoned")
	require.NoError(t, card.Close())
}

// TestNoConnectionLeak asks pcscd more often than its client-thread limit
// (200 by default): a call that left its socket open would leave a pcscd
// thread behind, until pcscd reset new clients ("connection reset by
// peer"), as go-libpcsclite, which this package used before, did.
func TestNoConnectionLeak(t *testing.T) {
	needVPCD(t)
	for i := range 250 {
		if _, err := ListReaders(t.Context(), Options{}); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	_, err := Open(t.Context(), Options{Reader: "No Such Reader 00 00"})
	require.ErrorIs(t, err, ErrNoReader)
}
