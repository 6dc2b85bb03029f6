package pcsc

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

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
	// ErrProtocol: pcscd speaks another version of its client protocol
	// than this package (4.4, pcsc-lite 1.9 and later), or answered
	// outside it. During Transmit such an answer is a lost transport and
	// wraps reader.ErrCardRemoved instead.
	ErrProtocol = errors.New("pcsc: pcscd speaks another protocol")
)

// Error is a failure of pcscd or of the socket to it: the operation, the
// reader involved and the PC/SC return code. It unwraps to one of
// ErrNoService, ErrNoReader, ErrNoCard, ErrProtocol,
// reader.ErrCardRemoved, or to nothing for other failures (a sharing
// violation, a T=0-only card).
type Error struct {
	Op     string // "establish", "list readers", "connect", "transmit", "close"
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
	codeInsufficientBuffer = 0x80100008 // SCARD_E_INSUFFICIENT_BUFFER: the response is longer than the receive length offered
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
	case codeInsufficientBuffer:
		return "SCARD_E_INSUFFICIENT_BUFFER"
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

// transmitKind maps a failed transmit to its sentinel: every failure of
// the exchange itself means the card, the reader or pcscd is gone, or the
// session on the card is lost (SCARD_W_RESET_CARD), which the caller
// treats alike.
func transmitKind(code uint32) error {
	switch code {
	case codeSharingViolation, codeProtoMismatch, codeInsufficientBuffer:
		return nil
	}
	return reader.ErrCardRemoved
}

// connectKind maps the return code of a failed connect to its sentinel.
func connectKind(code uint32) error {
	switch code {
	case codeNoService, codeServiceStopped:
		return ErrNoService
	case codeNoSmartcard, codeRemovedCard, codeUnpoweredCard, codeUnresponsiveCard:
		return ErrNoCard
	case codeUnknownReader, codeReaderUnavailable, codeNoReadersAvailable:
		return ErrNoReader
	}
	return nil
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
	// the first reader, in pcscd's order, whose state (SCARD_PRESENT)
	// shows a card.
	Reader string
	// Socket is the path of pcscd's unix socket; empty means the
	// platform's default (/run/pcscd/pcscd.comm on Linux,
	// /var/run/pcscd/pcscd.comm elsewhere). The PCSCLITE_CSOCK_NAME
	// variable of pcsc-lite's own client is not read.
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
	c, err := dial(ctx, opts.Socket)
	if err != nil {
		return nil, err
	}
	defer c.release(ctx)
	states, err := c.readerStates(ctx)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(states))
	for i, s := range states {
		names[i] = s.name
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
	client *client
	hCard  int32
	closed bool
}

// Open connects to the reader opts.Reader names, or to the first reader
// holding a card when it is empty. It fails with ErrNoService when pcscd
// does not answer, ErrProtocol when it speaks another version of its
// protocol, ErrNoReader when there is no reader (of that name), and
// ErrNoCard when the reader (every reader) is empty.
func Open(ctx context.Context, opts Options) (*Card, error) {
	c, err := dial(ctx, opts.Socket)
	if err != nil {
		return nil, err
	}
	card, err := open(ctx, c, opts)
	if err != nil {
		c.release(ctx)
		return nil, err
	}
	return card, nil
}

func open(ctx context.Context, c *client, opts Options) (*Card, error) {
	states, err := c.readerStates(ctx)
	if err != nil {
		return nil, err
	}
	var names []string
	switch want := strings.TrimSpace(opts.Reader); {
	case want != "":
		if !slices.ContainsFunc(states, func(s readerState) bool { return s.name == want }) {
			return nil, &Error{Op: "connect", Reader: want, Kind: ErrNoReader, Detail: fmt.Sprintf("pcscd knows %d other readers", len(states))}
		}
		names = []string{want}
	case len(states) == 0:
		return nil, &Error{Op: "connect", Kind: ErrNoReader, Detail: "pcscd knows no reader"}
	default:
		// pcscd's reader state says which readers hold a card; the card may
		// still leave before the connect, which then says so.
		for _, s := range states {
			if s.present {
				names = append(names, s.name)
			}
		}
		if len(names) == 0 {
			return nil, &Error{Op: "connect", Kind: ErrNoCard, Detail: fmt.Sprintf("none of %d readers holds a card", len(states))}
		}
	}
	var err1 error
	for _, name := range names {
		hCard, err := c.connect(ctx, name)
		if err == nil {
			return &Card{reader: name, limits: limitsFor(opts.ExtendedLength), client: c, hCard: hCard}, nil
		}
		if err1 == nil {
			err1 = err
		}
		if !errors.Is(err, ErrNoCard) {
			break
		}
	}
	return nil, err1
}

// APDU sizes of ISO/IEC 7816-4 clause 5.1: a short command carries up to
// 255 data bytes (4 header + 1 Lc + 255 + 1 Le), an extended one up to
// 65,535 (4 + 3 + 65,535 + 2); a short response up to 256 data bytes and
// the status word, an extended one up to 65,536 and the status word.
// Transmit always offers pcscd the extended receive length, so a reader
// that answers more than a short command asked for is not cut short.
const (
	maxShortCommand     = 261
	maxShortResponse    = 258
	maxExtendedCommand  = 65544
	maxExtendedResponse = 65538
)

func limitsFor(extended bool) reader.Limits {
	if extended {
		return reader.Limits{ExtendedLength: true, MaxCommand: maxExtendedCommand, MaxResponse: maxExtendedResponse}
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
// unplugged, pcscd stopped or answering outside its protocol, the card
// reset by another application) is an *Error wrapping
// reader.ErrCardRemoved. When ctx ends before the card answers, Transmit
// returns ctx's error and the Card is done: the connection to pcscd is
// closed, since its late answer would be taken for the next command's,
// and pcscd drops the handle.
func (c *Card) Transmit(ctx context.Context, command []byte) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return nil, &Error{Op: "transmit", Reader: c.reader, Kind: reader.ErrCardRemoved, Detail: "card closed"}
	case len(command) < 4:
		return nil, &Error{Op: "transmit", Reader: c.reader, Detail: fmt.Sprintf("command of %d bytes is shorter than an APDU header", len(command))}
	case len(command) > c.limits.MaxCommand:
		return nil, &Error{Op: "transmit", Reader: c.reader, Detail: fmt.Sprintf("command of %d bytes is longer than the reader's %d", len(command), c.limits.MaxCommand)}
	}
	resp, err := c.client.transmit(ctx, c.hCard, command, maxExtendedResponse)
	if e, ok := errors.AsType[*Error](err); ok {
		e.Reader = c.reader
		if e.Kind = transmitKind(e.Code); e.Code != 0 && e.Kind == nil {
			return nil, e // pcscd refused the command; the session stands
		}
		e.Kind = reader.ErrCardRemoved
		return nil, e
	}
	return resp, err
}

// closeTimeout bounds Close's exchanges with pcscd, which has no context.
const closeTimeout = 5 * time.Second

// Close resets the card (so that no secure-messaging session survives),
// disconnects and releases the PC/SC context, then closes the socket.
// After a failed or abandoned Transmit the socket is already closed;
// pcscd then disconnects the handle itself, resetting the card since the
// exclusive connection holds the reader's lock (pcsc-lite winscard_svc.c,
// MSGRemoveContext), and Close only marks the Card closed. Close waits
// at most 5 s for pcscd.
func (c *Card) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	if c.client.broken != "" {
		c.client.close()
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	err := c.client.disconnect(ctx, c.hCard)
	if rerr := c.client.release(ctx); err == nil {
		err = rerr
	}
	if e, ok := errors.AsType[*Error](err); ok {
		e.Op, e.Reader = "close", c.reader
	}
	return err
}
