package pcsc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	lib "github.com/gballet/go-libpcsclite"

	"github.com/cancuoc/sdk/chip/reader"
)

// Sentinels for failures a caller can act on; a transmit failure wraps
// reader.ErrCardRemoved instead.
var (
	// ErrNoService: pcscd does not answer on its socket (not installed,
	// not started, or the socket path is wrong).
	ErrNoService = errors.New("pcsc: pcscd not reachable")
	// ErrNoReader: pcscd knows no reader, or none of the name asked for.
	ErrNoReader = errors.New("pcsc: no such reader")
	// ErrNoCard: the reader asked for, or every reader, is empty.
	ErrNoCard = errors.New("pcsc: no card in the reader")
)

// Error is a failure of pcscd or of the socket to it: the operation, the
// reader involved and the PC/SC return code. It unwraps to one of
// ErrNoService, ErrNoReader, ErrNoCard, reader.ErrCardRemoved, or to
// nothing for other failures (a sharing violation, a protocol mismatch).
type Error struct {
	Op     string // "establish", "list readers", "connect", "transmit"
	Reader string // the reader's name, when one is involved
	Code   uint32 // the SCARD_E_* or SCARD_W_* return code; 0 when the socket failed
	Kind   error  // the sentinel this failure is, or nil
	Detail string // what went wrong, in words
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("pcsc: ")
	b.WriteString(e.Op)
	if e.Reader != "" {
		b.WriteString(" ")
		b.WriteString(strconv.Quote(e.Reader))
	}
	if e.Code != 0 {
		fmt.Fprintf(&b, ": %s (0x%08X)", codeName(e.Code), e.Code)
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	return b.String()
}

// Unwrap returns the sentinel the failure maps to.
func (e *Error) Unwrap() error { return e.Kind }

// PC/SC return codes this package branches on (pcsc-lite pcsclite.h, the
// values of the PC/SC Workgroup specification part 5 and of winscard).
const (
	codeInvalidHandle      = 0x80100003 // SCARD_E_INVALID_HANDLE: the reader went away under the handle
	codeUnknownReader      = 0x80100009 // SCARD_E_UNKNOWN_READER
	codeTimeout            = 0x8010000A // SCARD_E_TIMEOUT
	codeSharingViolation   = 0x8010000B // SCARD_E_SHARING_VIOLATION
	codeNoSmartcard        = 0x8010000C // SCARD_E_NO_SMARTCARD
	codeProtoMismatch      = 0x8010000F // SCARD_E_PROTO_MISMATCH
	codeNotReady           = 0x80100010 // SCARD_E_NOT_READY
	codeCommError          = 0x80100013 // SCARD_F_COMM_ERROR
	codeNotTransacted      = 0x80100016 // SCARD_E_NOT_TRANSACTED: the driver failed to exchange the APDU
	codeReaderUnavailable  = 0x80100017 // SCARD_E_READER_UNAVAILABLE
	codeNoReadersAvailable = 0x8010002E // SCARD_E_NO_READERS_AVAILABLE
	codeNoService          = 0x8010001D // SCARD_E_NO_SERVICE
	codeServiceStopped     = 0x8010001E // SCARD_E_SERVICE_STOPPED
	codeUnresponsiveCard   = 0x80100066 // SCARD_W_UNRESPONSIVE_CARD
	codeUnpoweredCard      = 0x80100067 // SCARD_W_UNPOWERED_CARD
	codeResetCard          = 0x80100068 // SCARD_W_RESET_CARD: another application reset it; the session is lost
	codeRemovedCard        = 0x80100069 // SCARD_W_REMOVED_CARD
)

func codeName(c uint32) string {
	switch c {
	case codeInvalidHandle:
		return "SCARD_E_INVALID_HANDLE"
	case codeUnknownReader:
		return "SCARD_E_UNKNOWN_READER"
	case codeTimeout:
		return "SCARD_E_TIMEOUT"
	case codeSharingViolation:
		return "SCARD_E_SHARING_VIOLATION"
	case codeNoSmartcard:
		return "SCARD_E_NO_SMARTCARD"
	case codeProtoMismatch:
		return "SCARD_E_PROTO_MISMATCH"
	case codeNotReady:
		return "SCARD_E_NOT_READY"
	case codeCommError:
		return "SCARD_F_COMM_ERROR"
	case codeNotTransacted:
		return "SCARD_E_NOT_TRANSACTED"
	case codeReaderUnavailable:
		return "SCARD_E_READER_UNAVAILABLE"
	case codeNoReadersAvailable:
		return "SCARD_E_NO_READERS_AVAILABLE"
	case codeNoService:
		return "SCARD_E_NO_SERVICE"
	case codeServiceStopped:
		return "SCARD_E_SERVICE_STOPPED"
	case codeUnresponsiveCard:
		return "SCARD_W_UNRESPONSIVE_CARD"
	case codeUnpoweredCard:
		return "SCARD_W_UNPOWERED_CARD"
	case codeResetCard:
		return "SCARD_W_RESET_CARD"
	case codeRemovedCard:
		return "SCARD_W_REMOVED_CARD"
	}
	return "PC/SC error"
}

// libCode recovers the PC/SC return code from an error of the client
// library, which reports it only in its message: "invalid return code:
// %x (...)" after connect, transmit, disconnect and release, and
// "invalid response code: expected %d, got %d (...)" after establishing
// a context. It reports false for any other error (the socket's).
func libCode(err error) (uint32, bool) {
	msg := err.Error()
	for _, p := range []struct {
		prefix string
		base   int
	}{{"invalid return code: ", 16}, {"got ", 10}} {
		i := strings.Index(msg, p.prefix)
		if i < 0 {
			continue
		}
		digits := msg[i+len(p.prefix):]
		if j := strings.IndexByte(digits, ' '); j >= 0 {
			digits = digits[:j]
		}
		if c, err := strconv.ParseUint(digits, p.base, 32); err == nil && c != 0 {
			return uint32(c), true
		}
	}
	return 0, false
}

// transmitKind maps a failed transmit to its sentinel: every failure of
// the exchange itself means the card, the reader or pcscd is gone, or the
// session on the card is lost (SCARD_W_RESET_CARD), which the caller
// treats alike.
func transmitKind(code uint32) error {
	switch code {
	case codeSharingViolation, codeProtoMismatch:
		return nil
	}
	return reader.ErrCardRemoved
}

// connectKind maps a failed connect to its sentinel.
func connectKind(code uint32, socket bool) error {
	switch {
	case socket, code == codeNoService, code == codeServiceStopped:
		return ErrNoService
	case code == codeNoSmartcard, code == codeRemovedCard, code == codeUnpoweredCard, code == codeUnresponsiveCard:
		return ErrNoCard
	case code == codeUnknownReader, code == codeReaderUnavailable, code == codeNoReadersAvailable:
		return ErrNoReader
	}
	return nil
}

// newError classifies err from the client library for op.
func newError(op, readerName string, err error, kind func(code uint32, socket bool) error) *Error {
	code, ok := libCode(err)
	e := &Error{Op: op, Reader: readerName, Code: code, Kind: kind(code, !ok)}
	if !ok {
		e.Detail = err.Error() // a socket error: no personal data, only the path or errno
	}
	return e
}

// call runs f, a blocking exchange with pcscd, and returns early with
// ctx's error if ctx ends first. The client library has no deadlines, so
// an abandoned f keeps running until pcscd answers; its result then goes
// to discard (when f succeeded and discard is not nil), and the returned
// channel, not nil only in that case, closes once f has returned.
func call[T any](ctx context.Context, f func() (T, error), discard func(T)) (v T, abandoned <-chan struct{}, err error) {
	if err := ctx.Err(); err != nil {
		return v, nil, err
	}
	type result struct {
		v   T
		err error
	}
	ch := make(chan result)
	gaveUp := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		v, err := f()
		select {
		case ch <- result{v, err}:
		case <-gaveUp:
			if err == nil && discard != nil {
				discard(v)
			}
		}
	}()
	select {
	case r := <-ch:
		return r.v, nil, r.err
	case <-ctx.Done():
		close(gaveUp)
		return v, finished, ctx.Err()
	}
}

// trimName turns a reader name as pcscd's reader state carries it (a
// fixed 128-byte field, NUL padded) into the name pcscd knows.
func trimName(raw string) string {
	if i := strings.IndexByte(raw, 0); i >= 0 {
		raw = raw[:i]
	}
	return strings.TrimSpace(raw)
}

// Options says how to reach pcscd and which reader to use. The zero value
// uses the platform's socket and the first reader with a card in it.
type Options struct {
	// Reader is the reader's name as ListReaders returns it. Empty means
	// the first reader, in pcscd's order, that holds a card.
	Reader string
	// Socket is the path of pcscd's unix socket; empty means the
	// platform's default (/run/pcscd/pcscd.comm on Linux).
	Socket string
	// ExtendedLength says that the reader carries extended-length APDUs
	// (ISO/IEC 7816-4 clause 5.1). PC/SC offers no portable way to learn
	// it, so it is off unless the caller knows; the vsmartcard virtual
	// reader and most CCID contactless readers carry them.
	ExtendedLength bool
}

// ListReaders returns the names of the readers pcscd knows, in its order,
// trimmed of the padding of pcscd's reader-state records.
func ListReaders(ctx context.Context, opts Options) ([]string, error) {
	names, _, err := call(ctx, func() ([]string, error) {
		client, err := establish(opts.Socket)
		if err != nil {
			return nil, err
		}
		defer release(client)
		return listReaders(client)
	}, nil)
	return names, err
}

func establish(socket string) (*lib.Client, error) {
	client, err := lib.EstablishContext(socket, lib.ScopeSystem)
	if err != nil {
		return nil, newError("establish", "", err, func(uint32, bool) error { return ErrNoService })
	}
	return client, nil
}

func listReaders(client *lib.Client) ([]string, error) {
	raw, err := client.ListReaders()
	if err != nil {
		return nil, newError("list readers", "", err, func(uint32, bool) error { return ErrNoService })
	}
	names := make([]string, 0, len(raw))
	for _, r := range raw {
		if n := trimName(r); n != "" {
			names = append(names, n)
		}
	}
	return names, nil
}

// Card is a card in a PC/SC reader, connected exclusively with T=1. It is
// a reader.Transceiver and a reader.Limiter, safe for use by one
// goroutine at a time; Close releases it.
type Card struct {
	reader string
	limits reader.Limits

	mu     sync.Mutex
	client *lib.Client
	card   *lib.Card
	broken bool // a command was abandoned and the connection closed
	closed bool
}

// Open connects to the reader opts.Reader names, or to the first reader
// holding a card when it is empty. It fails with ErrNoService when pcscd
// does not answer, ErrNoReader when there is no reader (of that name),
// and ErrNoCard when the reader (every reader) is empty. When ctx ends
// first, Open returns its error and a late connection is closed.
func Open(ctx context.Context, opts Options) (*Card, error) {
	c, _, err := call(ctx, func() (*Card, error) {
		client, err := establish(opts.Socket)
		if err != nil {
			return nil, err
		}
		c, err := open(ctx, client, opts)
		if err != nil {
			release(client)
			return nil, err
		}
		return c, nil
	}, func(c *Card) { c.Close() })
	return c, err
}

func open(ctx context.Context, client *lib.Client, opts Options) (*Card, error) {
	names, err := listReaders(client)
	if err != nil {
		return nil, err
	}
	if opts.Reader != "" {
		want := strings.TrimSpace(opts.Reader)
		if !containsName(names, want) {
			return nil, &Error{Op: "connect", Reader: want, Kind: ErrNoReader, Detail: fmt.Sprintf("pcscd knows %d other readers", len(names))}
		}
		names = []string{want}
	}
	if len(names) == 0 {
		return nil, &Error{Op: "connect", Kind: ErrNoReader, Detail: "pcscd knows no reader"}
	}
	var firstErr error
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		card, err := client.Connect(name, lib.ShareExclusive, lib.ProtocolT1)
		if err != nil {
			e := newError("connect", name, err, connectKind)
			if opts.Reader == "" && errors.Is(e, ErrNoCard) {
				if firstErr == nil {
					firstErr = e
				}
				continue
			}
			return nil, e
		}
		return &Card{reader: name, limits: limitsFor(opts.ExtendedLength), client: client, card: card}, nil
	}
	return nil, &Error{Op: "connect", Kind: ErrNoCard, Detail: fmt.Sprintf("none of %d readers holds a card (first: %v)", len(names), firstErr)}
}

func containsName(names []string, want string) bool {
	for _, n := range names {
		if n == want {
			return true
		}
	}
	return false
}

// APDU sizes of ISO/IEC 7816-4 clause 5.1: a short command carries up to
// 255 data bytes (4 header + 1 Lc + 255 + 1 Le), an extended one up to
// 65,535 (4 + 3 + 65,535 + 2); a short response up to 256 data bytes and
// the status word. The client library gives pcscd a 65,536-byte receive
// buffer, which bounds an extended response.
const (
	maxShortCommand    = 261
	maxShortResponse   = 258
	maxExtendedCommand = 65544
	maxLibResponse     = 0x10000
)

func limitsFor(extended bool) reader.Limits {
	if extended {
		return reader.Limits{ExtendedLength: true, MaxCommand: maxExtendedCommand, MaxResponse: maxLibResponse}
	}
	return reader.Limits{MaxCommand: maxShortCommand, MaxResponse: maxShortResponse}
}

// Reader returns the name of the reader the card is in.
func (c *Card) Reader() string { return c.reader }

// Limits reports what the reader carries: short APDUs, or extended ones
// when Options.ExtendedLength said so.
func (c *Card) Limits() reader.Limits { return c.limits }

// Transmit sends command to the card and returns its whole response
// (data || SW1 SW2). A failure of the exchange (card removed, reader
// unplugged, pcscd stopped, the card reset by another application) is an
// *Error wrapping reader.ErrCardRemoved. When ctx ends before the card
// answers, Transmit returns ctx's error and the Card is done: pcscd's
// answer to the abandoned command would desynchronize any later one.
func (c *Card) Transmit(ctx context.Context, command []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return nil, &Error{Op: "transmit", Reader: c.reader, Kind: reader.ErrCardRemoved, Detail: "card closed"}
	case c.broken:
		return nil, &Error{Op: "transmit", Reader: c.reader, Kind: reader.ErrCardRemoved, Detail: "an earlier command was abandoned"}
	case len(command) < 4:
		return nil, &Error{Op: "transmit", Reader: c.reader, Detail: fmt.Sprintf("command of %d bytes is shorter than an APDU header", len(command))}
	case len(command) > c.limits.MaxCommand:
		return nil, &Error{Op: "transmit", Reader: c.reader, Detail: fmt.Sprintf("command of %d bytes is longer than the reader's %d", len(command), c.limits.MaxCommand)}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pcsc: transmit: %w", err)
	}
	resp, abandoned, err := call(ctx, func() ([]byte, error) {
		r, _, err := c.card.Transmit(command)
		return r, err
	}, nil)
	if abandoned != nil {
		// Closing the socket ends the exchange at once (the card's answer
		// can no longer be taken for the next command's) and tells pcscd
		// to drop this client's handles.
		c.broken = true
		if closeConn(c.client) {
			<-abandoned
		}
		return nil, fmt.Errorf("pcsc: transmit: %w", err)
	}
	if err != nil {
		return nil, newError("transmit", c.reader, err, func(code uint32, _ bool) error { return transmitKind(code) })
	}
	if len(resp) < 2 || len(resp) > maxLibResponse {
		return nil, &Error{Op: "transmit", Reader: c.reader, Kind: reader.ErrCardRemoved, Detail: fmt.Sprintf("response of %d bytes", len(resp))}
	}
	return resp, nil
}

// Close resets the card (so that no secure-messaging session survives),
// disconnects and releases the PC/SC context. After a Transmit abandoned
// by its context the socket is already closed and pcscd has dropped the
// handle; Close then only marks the Card closed.
func (c *Card) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	if c.broken {
		return nil
	}
	err := c.card.Disconnect(lib.ResetCard)
	if rerr := release(c.client); err == nil {
		err = rerr
	}
	if err != nil {
		return newError("close", c.reader, err, func(uint32, bool) error { return nil })
	}
	return nil
}

// release ends a PC/SC context and closes its socket.
func release(client *lib.Client) error {
	err := client.ReleaseContext()
	closeConn(client)
	return err
}

// closeConn closes the client's socket to pcscd and reports whether it
// could. go-libpcsclite (v0.0.0-20191108122812) never closes it: Client
// has no Close and ReleaseContext leaves the connection open, so every
// Open would leak a descriptor here and a thread in pcscd, which refuses
// new clients once it has 200 (pcsc-lite's default thread limit; measured:
// the tests of this package exhausted it). The socket is the unexported
// field conn of type net.Conn; if a later version renames or retypes it,
// closeConn reports false and leaves it.
func closeConn(client *lib.Client) bool {
	f := reflect.ValueOf(client).Elem().FieldByName("conn")
	if !f.IsValid() || f.Type() != reflect.TypeFor[net.Conn]() {
		return false
	}
	conn := *(*net.Conn)(unsafe.Pointer(f.UnsafeAddr()))
	if conn == nil {
		return false
	}
	conn.Close()
	return true
}
