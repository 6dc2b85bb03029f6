package pcsc

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/sdk/chip/reader"
)

// The fake pcscd below answers the way pcsc-lite 1.9.9's winscard_svc.c
// does; its answers are encoded by hand at the offsets of the C
// structures (checked against gcc's offsetof and against a real pcscd's
// captured answers in testdata), not with the client's code.

// fakeReader is a reader of the fake pcscd.
type fakeReader struct {
	name    string
	slot    int  // index in the reader-state array
	present bool // a card is in it
}

// request is one request the fake received: command, body and the
// command APDU that follows a transmit.
type request struct {
	cmd   uint32
	body  []byte
	extra []byte
}

// fakePCSCD serves pcscd's client protocol on a unix socket in a temp dir.
// answer, when it returns ok, replaces the default answer to a request:
// the bytes to write, and whether to close the connection afterwards.
type fakePCSCD struct {
	socket  string
	readers []fakeReader
	answer  func(r request) (out []byte, hangUp bool, ok bool)

	mu       sync.Mutex
	requests []request
	closed   int // connections the client closed (EOF at a request boundary)
}

func newFake(t *testing.T, readers ...fakeReader) *fakePCSCD {
	t.Helper()
	f := &fakePCSCD{socket: filepath.Join(t.TempDir(), "pcscd.comm"), readers: readers}
	ln, err := net.Listen("unix", f.socket)
	require.NoError(t, err)
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { f.serve(conn) })
		}
	})
	return f
}

func (f *fakePCSCD) serve(conn net.Conn) {
	defer conn.Close()
	for {
		var hdr [8]byte
		if _, err := io.ReadFull(conn, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) {
				f.mu.Lock()
				f.closed++
				f.mu.Unlock()
			}
			return
		}
		r := request{cmd: ne.Uint32(hdr[4:]), body: make([]byte, ne.Uint32(hdr[:]))}
		if len(r.body) > 1<<12 {
			return
		}
		if _, err := io.ReadFull(conn, r.body); err != nil {
			return
		}
		if r.cmd == cmdTransmit && len(r.body) == transmitSize {
			r.extra = make([]byte, min(ne.Uint32(r.body[12:]), 1<<17))
			if _, err := io.ReadFull(conn, r.extra); err != nil {
				return
			}
		}
		f.mu.Lock()
		f.requests = append(f.requests, r)
		answer := f.answer
		f.mu.Unlock()
		out, hangUp, ok := []byte(nil), false, false
		if answer != nil {
			out, hangUp, ok = answer(r)
		}
		if !ok {
			out = f.defaultAnswer(r)
		}
		if _, err := conn.Write(out); err != nil || hangUp {
			return
		}
	}
}

// words encodes 32-bit fields in the host's order.
func words(v ...uint32) []byte {
	var b []byte
	for _, w := range v {
		b = ne.AppendUint32(b, w)
	}
	return b
}

// states builds a CMD_GET_READERS_STATE answer: READER_STATE records of
// 184 bytes at readerName 0, eventCounter 128, readerState 132,
// readerSharing 136, cardAtr 140, cardAtrLength 176, cardProtocol 180.
func states(readers []fakeReader) []byte {
	b := make([]byte, 16*184)
	for _, r := range readers {
		rec := b[r.slot*184 : (r.slot+1)*184]
		copy(rec, r.name)
		state := uint32(0x0002) // SCARD_ABSENT
		if r.present {
			state = 0x0034 // SCARD_PRESENT | SCARD_POWERED | SCARD_NEGOTIABLE
			copy(rec[140:], []byte{0x3B, 0x80, 0x80, 0x01, 0x01})
			ne.PutUint32(rec[176:], 5)
		}
		ne.PutUint32(rec[128:], 1)
		ne.PutUint32(rec[132:], state)
	}
	return b
}

const fakeHCard = 0x4711

func (f *fakePCSCD) defaultAnswer(r request) []byte {
	b := r.body
	switch r.cmd {
	case cmdVersion:
		return words(4, 4, 0)
	case cmdEstablishContext:
		return words(ne.Uint32(b), 0x1234, 0)
	case cmdGetReadersState:
		return states(f.readers)
	case cmdReleaseContext, cmdDisconnect:
		out := append([]byte(nil), b...)
		ne.PutUint32(out[len(out)-4:], 0)
		return out
	case cmdConnect:
		out := append([]byte(nil), b...)
		name := string(b[4 : 4+strings.IndexByte(string(b[4:132]), 0)])
		rv := uint32(codeUnknownReader)
		for _, r := range f.readers {
			if r.name == name {
				rv = codeNoSmartcard
				if r.present {
					rv = 0
				}
			}
		}
		if rv == 0 {
			ne.PutUint32(out[140:], fakeHCard)
			ne.PutUint32(out[144:], protocolT1)
		}
		ne.PutUint32(out[148:], rv)
		return out
	case cmdTransmit: // echo the command, then 90 00
		resp := append(append([]byte(nil), r.extra...), 0x90, 0x00)
		out := append([]byte(nil), b...)
		ne.PutUint32(out[24:], uint32(len(resp)))
		return append(out, resp...)
	}
	return nil
}

func (f *fakePCSCD) log() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.requests...)
}

func (f *fakePCSCD) closedConns() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.closed
}

func cmds(rs []request) []uint32 {
	var c []uint32
	for _, r := range rs {
		c = append(c, r.cmd)
	}
	return c
}

// waitClosed waits until the fake has seen n connections closed by the
// client.
func waitClosed(t *testing.T, f *fakePCSCD, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return f.closedConns() == n }, 2*time.Second, 5*time.Millisecond, "connections closed by the client")
}

// The requests are winscard_msg.h's structures byte for byte; names come
// back trimmed, free slots skipped, and the socket is closed after the
// context is released.
func TestFakeListReaders(t *testing.T) {
	f := newFake(t, fakeReader{name: "Reader A 00 00", slot: 0}, fakeReader{name: " Reader B 00 01 ", slot: 3, present: true})
	names, err := ListReaders(t.Context(), Options{Socket: f.socket})
	require.NoError(t, err)
	require.Equal(t, []string{"Reader A 00 00", "Reader B 00 01"}, names)
	rs := f.log()
	require.Equal(t, []uint32{cmdVersion, cmdEstablishContext, cmdGetReadersState, cmdReleaseContext}, cmds(rs))
	require.Equal(t, words(4, 4, 0), rs[0].body, "version 4.4, rv 0")
	require.Equal(t, words(2, 0, 0), rs[1].body, "SCARD_SCOPE_SYSTEM")
	require.Empty(t, rs[2].body)
	require.Equal(t, words(0x1234, 0), rs[3].body, "the established hContext")
	waitClosed(t, f, 1)
}

// Open without a reader name connects only to a reader whose state says
// a card is present; Transmit and Close send the structures of
// winscard_msg.h, and Close resets the card.
func TestFakeOpenTransmitClose(t *testing.T) {
	f := newFake(t, fakeReader{name: "Empty 00 00", slot: 0}, fakeReader{name: "Full 00 01", slot: 1, present: true})
	card, err := Open(t.Context(), Options{Socket: f.socket})
	require.NoError(t, err)
	require.Equal(t, "Full 00 01", card.Reader())

	sel := []byte{0x00, 0xA4, 0x02, 0x0C, 0x02, 0x01, 0x1E}
	resp, err := card.Transmit(t.Context(), sel)
	require.NoError(t, err)
	require.Equal(t, append(append([]byte(nil), sel...), 0x90, 0x00), resp)
	require.NoError(t, card.Close())
	require.NoError(t, card.Close(), "a second Close does nothing")
	_, err = card.Transmit(t.Context(), sel)
	require.ErrorIs(t, err, reader.ErrCardRemoved)

	rs := f.log()
	require.Equal(t, []uint32{cmdVersion, cmdEstablishContext, cmdGetReadersState, cmdConnect, cmdTransmit, cmdDisconnect, cmdReleaseContext}, cmds(rs))
	conn := rs[3].body
	require.Len(t, conn, 152)
	require.Equal(t, words(0x1234), conn[:4])
	require.Equal(t, "Full 00 01", strings.TrimRight(string(conn[4:132]), "\x00"))
	require.Equal(t, words(1, 2, 0, 0, 0), conn[132:], "SCARD_SHARE_EXCLUSIVE, SCARD_PROTOCOL_T1")
	// hCard, send PCI {T=1, sizeof(SCARD_IO_REQUEST)}, cbSendLength,
	// receive PCI, pcbRecvLength (an extended response), rv.
	require.Equal(t, words(fakeHCard, 2, 16, 7, 2, 16, 65538, 0), rs[4].body)
	require.Equal(t, sel, rs[4].extra)
	require.Equal(t, words(fakeHCard, 1, 0), rs[5].body, "SCARD_RESET_CARD")
	waitClosed(t, f, 1)
}

// Open picks its reader from pcscd's reader state: no connect when no
// reader shows a card, the next reader showing one when the card left the
// first between the state and the connect.
func TestFakeOpenChoosesReader(t *testing.T) {
	f := newFake(t)
	_, err := Open(t.Context(), Options{Socket: f.socket})
	require.ErrorIs(t, err, ErrNoReader)

	f = newFake(t, fakeReader{name: "A 00 00"}, fakeReader{name: "B 00 01", slot: 1})
	_, err = Open(t.Context(), Options{Socket: f.socket})
	require.ErrorIs(t, err, ErrNoCard)
	_, err = Open(t.Context(), Options{Socket: f.socket, Reader: "C 00 02"})
	require.ErrorIs(t, err, ErrNoReader)
	_, err = Open(t.Context(), Options{Socket: f.socket, Reader: "B 00 01"})
	require.ErrorIs(t, err, ErrNoCard, "pcscd's answer to the connect")
	var connects []string
	for _, r := range f.log() {
		if r.cmd == cmdConnect {
			connects = append(connects, strings.TrimRight(string(r.body[4:132]), "\x00"))
		}
	}
	require.Equal(t, []string{"B 00 01"}, connects, "only the named reader was tried")

	f = newFake(t, fakeReader{name: "A 00 00", present: true}, fakeReader{name: "B 00 01", slot: 1, present: true})
	f.answer = func(r request) ([]byte, bool, bool) {
		if r.cmd == cmdConnect && strings.HasPrefix(string(r.body[4:]), "A 00 00\x00") {
			out := f.defaultAnswer(r)
			ne.PutUint32(out[148:], codeRemovedCard)
			return out, false, true
		}
		return nil, false, false
	}
	card, err := Open(t.Context(), Options{Socket: f.socket})
	require.NoError(t, err)
	require.Equal(t, "B 00 01", card.Reader())
	require.NoError(t, card.Close())
}

// The version exchange: pcsc-lite 1.9 (4.4) and 2.5 (4.6, accepting 4.4
// clients) take 4.4 at once; 2.3 (4.5 only) refuses it, and the client
// offers 4.5 on the same connection; an older pcscd (4.3) is refused.
func TestFakeVersion(t *testing.T) {
	tests := []struct {
		name   string
		server int32
		accept func(minor int32) bool
		offers []int32
		err    string
	}{
		{"pcsc-lite 1.9", 4, func(m int32) bool { return m == 4 }, []int32{4}, ""},
		{"pcsc-lite 2.5", 6, func(m int32) bool { return m >= 4 }, []int32{4}, ""},
		{"pcsc-lite 2.3", 5, func(m int32) bool { return m == 5 }, []int32{4, 5}, ""},
		{"pcsc-lite 1.8.23", 3, func(m int32) bool { return m == 3 }, []int32{4}, "client protocol 4.3, this package 4.4"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, fakeReader{name: "R 00 00"})
			f.answer = func(r request) ([]byte, bool, bool) {
				if r.cmd != cmdVersion {
					return nil, false, false
				}
				rv := uint32(codeServiceStopped)
				if tc.accept(int32(ne.Uint32(r.body[4:]))) {
					rv = 0
				}
				return words(4, uint32(tc.server), rv), false, true
			}
			names, err := ListReaders(t.Context(), Options{Socket: f.socket})
			var offers []int32
			for _, r := range f.log() {
				if r.cmd == cmdVersion {
					offers = append(offers, int32(ne.Uint32(r.body[4:])))
				}
			}
			require.Equal(t, tc.offers, offers)
			if tc.err != "" {
				require.ErrorIs(t, err, ErrProtocol)
				require.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, []string{"R 00 00"}, names)
		})
	}
}

// pcscd's return codes become the package's sentinels.
func TestFakeReturnCodes(t *testing.T) {
	tests := []struct {
		name string
		cmd  uint32
		rv   uint32
		open Options
		want error // nil: no sentinel
	}{
		{"version refused", cmdVersion, codeServiceStopped, Options{}, ErrProtocol},
		{"establish refused", cmdEstablishContext, codeNoService, Options{}, ErrNoService},
		{"no card", cmdConnect, codeNoSmartcard, Options{Reader: "R 00 00"}, ErrNoCard},
		{"removed at connect", cmdConnect, codeRemovedCard, Options{Reader: "R 00 00"}, ErrNoCard},
		{"reader gone", cmdConnect, codeReaderUnavailable, Options{Reader: "R 00 00"}, ErrNoReader},
		{"sharing violation", cmdConnect, codeSharingViolation, Options{Reader: "R 00 00"}, nil},
		{"T=0 card", cmdConnect, codeProtoMismatch, Options{Reader: "R 00 00"}, nil},
		{"removed", cmdTransmit, codeRemovedCard, Options{}, reader.ErrCardRemoved},
		{"reset by another", cmdTransmit, codeResetCard, Options{}, reader.ErrCardRemoved},
		{"driver failed", cmdTransmit, codeNotTransacted, Options{}, reader.ErrCardRemoved},
		{"response too long", cmdTransmit, codeInsufficientBuffer, Options{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, fakeReader{name: "R 00 00", present: true})
			f.answer = func(r request) ([]byte, bool, bool) {
				if r.cmd != tc.cmd {
					return nil, false, false
				}
				out := f.defaultAnswer(r)
				if r.cmd == cmdTransmit {
					out = out[:transmitSize] // no response follows a failure
				}
				ne.PutUint32(out[len(out)-4:], tc.rv)
				return out, false, true
			}
			tc.open.Socket = f.socket
			card, err := Open(t.Context(), tc.open)
			if tc.cmd == cmdTransmit {
				require.NoError(t, err)
				_, err = card.Transmit(t.Context(), []byte{0x00, 0xB0, 0x00, 0x00, 0x00})
			}
			var pe *Error
			require.ErrorAs(t, err, &pe)
			require.Equal(t, tc.rv, pe.Code)
			require.Contains(t, err.Error(), codeName(tc.rv))
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
			} else {
				require.Nil(t, pe.Kind, "no sentinel")
			}
			if tc.cmd == cmdTransmit {
				if tc.want == nil {
					// pcscd refused one command; the session stands.
					f.mu.Lock()
					f.answer = nil
					f.mu.Unlock()
					_, err = card.Transmit(t.Context(), []byte{0x00, 0xA4, 0x00, 0x0C})
					require.NoError(t, err)
				}
				require.NoError(t, card.Close())
			}
			if tc.cmd == cmdVersion {
				require.Contains(t, err.Error(), "client protocol 4.4")
			}
		})
	}
}

// Answers cut short, or announcing more than was asked for, end the
// connection with an error, never a panic or an unbounded allocation.
func TestFakeMalformedAnswers(t *testing.T) {
	const open, transmit = 0, 1
	tests := []struct {
		name   string
		cmd    uint32
		at     int // open or transmit
		answer func(def []byte) []byte
		want   error
		detail string
	}{
		{"version cut short", cmdVersion, open, func(d []byte) []byte { return d[:5] }, ErrNoService, "cut short"},
		{"version 5.0", cmdVersion, open, func([]byte) []byte { return words(5, 0, 0) }, ErrProtocol, "5.0"},
		{"no answer", cmdEstablishContext, open, func([]byte) []byte { return nil }, ErrNoService, "EOF"},
		{"states cut short", cmdGetReadersState, open, func(d []byte) []byte { return d[:1000] }, ErrNoService, "cut short"},
		{"ATR length 34", cmdGetReadersState, open, func(d []byte) []byte { ne.PutUint32(d[176:], 34); return d }, ErrProtocol, "ATR length 34"},
		{"name unterminated", cmdGetReadersState, open, func(d []byte) []byte {
			copy(d, strings.Repeat("N", 128))
			return d
		}, ErrProtocol, "not terminated"},
		{"connect as T=0", cmdConnect, open, func(d []byte) []byte { ne.PutUint32(d[144:], 1); return d }, ErrProtocol, "active protocol"},
		{"transmit cut short", cmdTransmit, transmit, func(d []byte) []byte { return d[:20] }, reader.ErrCardRemoved, "cut short"},
		{"response cut short", cmdTransmit, transmit, func(d []byte) []byte { return d[:len(d)-3] }, reader.ErrCardRemoved, "cut short"},
		{"response of 4 GB", cmdTransmit, transmit, func(d []byte) []byte { ne.PutUint32(d[24:], 0xFFFFFFFF); return d[:transmitSize] }, reader.ErrCardRemoved, "outside 2..65538"},
		{"response above the receive length", cmdTransmit, transmit, func(d []byte) []byte { ne.PutUint32(d[24:], 65539); return d[:transmitSize] }, reader.ErrCardRemoved, "outside"},
		{"response of 1 byte", cmdTransmit, transmit, func(d []byte) []byte { ne.PutUint32(d[24:], 1); return d[:transmitSize+1] }, reader.ErrCardRemoved, "outside"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, fakeReader{name: "R 00 00", present: true})
			f.answer = func(r request) ([]byte, bool, bool) {
				if r.cmd != tc.cmd {
					return nil, false, false
				}
				return tc.answer(f.defaultAnswer(r)), true, true
			}
			card, err := Open(t.Context(), Options{Socket: f.socket})
			if tc.at == transmit {
				require.NoError(t, err)
				_, err = card.Transmit(t.Context(), []byte{0x00, 0xB0, 0x00, 0x00, 0x00})
				require.ErrorIs(t, err, reader.ErrCardRemoved)
				// The connection is gone: later commands fail at once.
				_, err2 := card.Transmit(t.Context(), []byte{0x00, 0xB0, 0x00, 0x00, 0x00})
				require.ErrorIs(t, err2, reader.ErrCardRemoved)
				require.NoError(t, card.Close())
			}
			require.ErrorIs(t, err, tc.want)
			require.Contains(t, err.Error(), tc.detail)
		})
	}
}

// A pcscd that stops answering mid-call: the caller's context, cancelled
// or past its deadline, ends the call through the socket's deadline, the
// connection is closed (so pcscd drops the handle and resets the card),
// and the Card refuses later commands.
func TestFakeContextEndsCall(t *testing.T) {
	for _, deadline := range []bool{false, true} {
		f := newFake(t, fakeReader{name: "R 00 00", present: true})
		stall := make(chan struct{})
		t.Cleanup(func() { close(stall) })
		f.answer = func(r request) ([]byte, bool, bool) {
			if r.cmd == cmdTransmit {
				<-stall
				return nil, true, true
			}
			return nil, false, false
		}
		card, err := Open(t.Context(), Options{Socket: f.socket})
		require.NoError(t, err)
		ctx, cancel, want := context.Context(nil), context.CancelFunc(nil), context.Canceled
		if deadline {
			ctx, cancel = context.WithTimeout(t.Context(), 50*time.Millisecond)
			want = context.DeadlineExceeded
		} else {
			ctx, cancel = context.WithCancel(t.Context())
			time.AfterFunc(50*time.Millisecond, cancel)
		}
		start := time.Now()
		_, err = card.Transmit(ctx, []byte{0x00, 0xB0, 0x00, 0x00, 0x00})
		cancel()
		require.ErrorIs(t, err, want)
		require.Less(t, time.Since(start), time.Second)
		_, err = card.Transmit(t.Context(), []byte{0x00, 0xB0, 0x00, 0x00, 0x00})
		require.ErrorIs(t, err, reader.ErrCardRemoved)
		require.Contains(t, err.Error(), "abandoned")
		require.NoError(t, card.Close())
		require.Equal(t, []uint32{cmdVersion, cmdEstablishContext, cmdGetReadersState, cmdConnect, cmdTransmit}, cmds(f.log()), "nothing sent after the abandoned command")
	}
}

// The answers of a real pcscd (testdata/README.md) decode as captured.
func TestCapturedAnswers(t *testing.T) {
	if ne.Uint16([]byte{1, 0}) != 1 {
		t.Skip("captured on a little-endian host")
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		require.NoError(t, err)
		return b
	}
	s, err := parseReaderStates(read("pcscd199_states_vpcd_empty.bin"))
	require.NoError(t, err)
	require.Equal(t, []readerState{{name: "Virtual PCD 00 00"}, {name: "Virtual PCD 00 01"}}, s)
	s, err = parseReaderStates(read("pcscd199_states_vpcd_card.bin"))
	require.NoError(t, err)
	require.Equal(t, []readerState{{name: "Virtual PCD 00 00"}, {name: "Virtual PCD 00 01", present: true}}, s)

	major, minor, rv, err := parseVersion(read("pcscd199_version_ok.bin"))
	require.NoError(t, err)
	require.Equal(t, []any{int32(4), int32(4), uint32(0)}, []any{major, minor, rv})
	_, _, rv, err = parseVersion(read("pcscd199_version_refused.bin"))
	require.NoError(t, err)
	require.Equal(t, uint32(codeServiceStopped), rv)

	a, err := parseTransmit(read("pcscd199_transmit_ok.bin"), maxExtendedResponse)
	require.NoError(t, err)
	require.Equal(t, transmitAnswer{rv: 0, length: 2}, a)
}

// FuzzParseAnswers runs pcscd's answers through the decoders: no panic,
// a zero value with every error, and what decodes keeps its bounds. The
// reader-state answer is the input zero-padded to its 2,944 bytes (free
// slots), so that the seeds stay small: the captured answers give their
// first two records.
func FuzzParseAnswers(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "pcscd199_*.bin"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seeds in testdata (%v)", err)
	}
	for _, name := range seeds {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 2*stateSize)])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		all := make([]byte, statesSize)
		copy(all, b)
		states, err := parseReaderStates(all)
		if err != nil && states != nil {
			t.Fatal("states with an error")
		}
		if len(states) > maxReadersContexts {
			t.Fatalf("%d readers", len(states))
		}
		for _, s := range states {
			if s.name == "" || len(s.name) >= maxReaderName || strings.ContainsRune(s.name, 0) || s.name != strings.TrimSpace(s.name) {
				t.Fatalf("reader name %q", s.name)
			}
		}
		a, err := parseTransmit(b, maxShortResponse)
		if err != nil && a != (transmitAnswer{}) {
			t.Fatal("answer with an error")
		}
		if err == nil && a.rv == 0 && (a.length < 2 || a.length > maxShortResponse) {
			t.Fatalf("response length %d", a.length)
		}
		major, minor, rv, err := parseVersion(b)
		if err != nil && (major != 0 || minor != 0 || rv != 0) {
			t.Fatal("version with an error")
		}
	})
}
