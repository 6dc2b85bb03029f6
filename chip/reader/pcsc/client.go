package pcsc

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strconv"
	"time"
)

// pcscd's client protocol, as pcsc-lite 1.9.x speaks it on its unix
// socket (src/winscard_msg.h, src/winscard_svc.c, src/eventhandler.h).
// A request is a header {size, command} followed by the command's
// structure; the answer is the same structure, with no header, filled in
// by pcscd. Every field is a 32-bit integer in the host's byte order: the
// socket never leaves the machine.
//
// Protocol 4.4 is pcsc-lite's from 1.8.24 to 2.2.x. pcsc-lite 2.3.0 to
// 2.4.0 speak 4.5 and refuse any other version with
// SCARD_E_SERVICE_STOPPED; 4.5 only adds a command, so this client then
// offers 4.5. pcsc-lite 2.4.1 and later (4.5, then 4.6) accept 4.4
// clients and answer them with 4.4's structures (winscard_svc.c,
// PROTOCOL_VERSION_MINOR_SERVER_BACKWARD).
const (
	protocolMajor   = 4
	protocolMinor   = 4
	protocolMinor45 = 5
)

// Commands (winscard_msg.h enum pcsc_msg_commands).
const (
	cmdEstablishContext = 0x01
	cmdReleaseContext   = 0x02
	cmdConnect          = 0x04
	cmdDisconnect       = 0x06
	cmdTransmit         = 0x09
	cmdVersion          = 0x11
	cmdGetReadersState  = 0x12
)

// Values of pcsclite.h and winscard_msg.h.
const (
	scopeSystem        = 0x0002 // SCARD_SCOPE_SYSTEM
	shareExclusive     = 0x0001 // SCARD_SHARE_EXCLUSIVE
	protocolT1         = 0x0002 // SCARD_PROTOCOL_T1
	resetCard          = 0x0001 // SCARD_RESET_CARD
	statePresent       = 0x0004 // SCARD_PRESENT, a bit of READER_STATE.readerState
	maxReaderName      = 128    // MAX_READERNAME
	maxATRSize         = 33     // MAX_ATR_SIZE
	maxReadersContexts = 16     // PCSCLITE_MAX_READERS_CONTEXTS
)

// Sizes of the structures on the wire. The C structures hold 32-bit
// fields only, so they have no padding, except READER_STATE, whose
// 33-byte ATR is followed by 3 bytes that align cardAtrLength.
const (
	headerSize     = 8                       // struct rxHeader {size, command}
	versionSize    = 12                      // struct version_struct {major, minor, rv}
	establishSize  = 12                      // struct establish_struct {dwScope, hContext, rv}
	releaseSize    = 8                       // struct release_struct {hContext, rv}
	connectSize    = 4 + maxReaderName + 5*4 // struct connect_struct {hContext, szReader[128], dwShareMode, dwPreferredProtocols, hCard, dwActiveProtocol, rv}
	disconnectSize = 12                      // struct disconnect_struct {hCard, dwDisposition, rv}
	transmitSize   = 32                      // struct transmit_struct {hCard, ioSendPciProtocol, ioSendPciLength, cbSendLength, ioRecvPciProtocol, ioRecvPciLength, pcbRecvLength, rv}
	stateSize      = 184                     // READER_STATE {readerName[128], eventCounter, readerState, readerSharing, cardAtr[33], pad[3], cardAtrLength, cardProtocol}
	statesSize     = maxReadersContexts * stateSize
	stateATR       = maxReaderName + 3*4       // offset of cardAtr: 140
	stateATRLength = stateATR + maxATRSize + 3 // offset of cardAtrLength: 176
)

// pciLength is sizeof(SCARD_IO_REQUEST) on this platform: two C longs
// (pcsclite.h), which pcscd hands to the reader driver unchanged.
const pciLength = 2 * strconv.IntSize / 8

// defaultSocket is where pcscd listens (pcsc-lite's PCSCLITE_CSOCK_NAME,
// USE_IPCDIR/pcscd.comm): /run/pcscd on Linux, /var/run/pcscd on the BSDs.
func defaultSocket() string {
	if runtime.GOOS == "linux" {
		return "/run/pcscd/pcscd.comm"
	}
	return "/var/run/pcscd/pcscd.comm"
}

var ne = binary.NativeEndian

// readerState is the part of one READER_STATE record this package uses.
type readerState struct {
	name    string
	present bool // SCARD_PRESENT: a card is in the reader
}

// parseReaderStates decodes pcscd's answer to CMD_GET_READERS_STATE:
// PCSCLITE_MAX_READERS_CONTEXTS records of READER_STATE, an empty name
// marking a free slot. Names are cut at their first NUL and trimmed of
// spaces; a reader's record without a NUL in its name field, or with an
// ATR length above MAX_ATR_SIZE, is malformed.
func parseReaderStates(b []byte) ([]readerState, error) {
	if len(b) != statesSize {
		return nil, fmt.Errorf("reader states of %d bytes, want %d", len(b), statesSize)
	}
	var states []readerState
	for i := range maxReadersContexts {
		r := b[i*stateSize : (i+1)*stateSize]
		if r[0] == 0 {
			// A free slot; its ATR length is READER_NOT_INITIALIZED
			// (MAX_ATR_SIZE + 1) in pcsc-lite 1.9.9.
			continue
		}
		n := 1
		for n < maxReaderName && r[n] != 0 {
			n++
		}
		if n == maxReaderName {
			return nil, fmt.Errorf("reader state %d: name not terminated in its %d bytes", i, maxReaderName)
		}
		if l := ne.Uint32(r[stateATRLength:]); l > maxATRSize {
			return nil, fmt.Errorf("reader state %d: ATR length %d above %d", i, l, maxATRSize)
		}
		name := trimName(string(r[:n]))
		if name == "" {
			continue
		}
		state := ne.Uint32(r[maxReaderName+4:])
		states = append(states, readerState{name: name, present: state&statePresent != 0})
	}
	return states, nil
}

// transmitAnswer is pcscd's transmit_struct answer: the return code and
// the length of the response that follows when rv is SCARD_S_SUCCESS.
type transmitAnswer struct {
	rv     uint32
	length uint32 // pcbRecvLength
}

// parseTransmit decodes the transmit_struct pcscd answers, bounding the
// response that follows by max, the receive length the request offered
// (pcscd answers SCARD_E_INSUFFICIENT_BUFFER rather than send more), and
// from below by the two status bytes every response ends with.
func parseTransmit(b []byte, max int) (transmitAnswer, error) {
	if len(b) != transmitSize {
		return transmitAnswer{}, fmt.Errorf("transmit answer of %d bytes, want %d", len(b), transmitSize)
	}
	a := transmitAnswer{rv: ne.Uint32(b[28:]), length: ne.Uint32(b[24:])}
	if a.rv == 0 && (a.length < 2 || a.length > uint32(max)) {
		return transmitAnswer{}, fmt.Errorf("response length %d outside 2..%d", a.length, max)
	}
	return a, nil
}

// parseVersion decodes the version_struct pcscd answers to CMD_VERSION:
// its own version and whether it accepts ours.
func parseVersion(b []byte) (major, minor int32, rv uint32, err error) {
	if len(b) != versionSize {
		return 0, 0, 0, fmt.Errorf("version answer of %d bytes, want %d", len(b), versionSize)
	}
	return int32(ne.Uint32(b)), int32(ne.Uint32(b[4:])), ne.Uint32(b[8:]), nil
}

// client is one connection to pcscd and the PC/SC context established on
// it. It is not safe for concurrent use. Once an exchange fails in a way
// that leaves the stream out of step (the socket failed, the caller's
// context ended mid-exchange, pcscd answered outside the protocol), the
// socket is closed and every later call fails with the same error.
type client struct {
	conn   net.Conn
	hctx   uint32 // hContext
	buf    []byte // the request being built, reused
	broken string // why the connection is closed, once it is
}

// dial connects to pcscd's socket, agrees on the protocol version (4.4,
// or 4.5) and establishes a PC/SC context of system scope.
func dial(ctx context.Context, socket string) (*client, error) {
	if socket == "" {
		socket = defaultSocket()
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pcsc: establish: %w", err)
	}
	var d net.Dialer
	conn, err := d.DialContext(ctx, "unix", socket)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("pcsc: establish: %w", ctx.Err())
		}
		return nil, &Error{Op: "establish", Kind: ErrNoService, Detail: err.Error()}
	}
	c := &client{conn: conn}
	if err := c.establish(ctx); err != nil {
		c.close()
		return nil, err
	}
	return c, nil
}

func (c *client) establish(ctx context.Context) error {
	const op = "establish"
	for minor := int32(protocolMinor); ; {
		req := c.request(cmdVersion, versionSize)
		req = ne.AppendUint32(req, protocolMajor)
		req = ne.AppendUint32(req, uint32(minor))
		req = ne.AppendUint32(req, 0)
		var ans [versionSize]byte
		if err := c.exchange(ctx, op, req, ans[:], nil); err != nil {
			return lost(err, ErrNoService)
		}
		major, theirs, rv, _ := parseVersion(ans[:])
		if rv == 0 && major == protocolMajor {
			break
		}
		if rv != 0 && major == protocolMajor && minor == protocolMinor && theirs == protocolMinor45 {
			// pcsc-lite 2.3.0 to 2.4.0 accept their own 4.5 only; its
			// structures are 4.4's for every command used here. pcscd
			// keeps the connection after refusing a version.
			minor = protocolMinor45
			continue
		}
		return c.fail(&Error{Op: op, Code: rv, Kind: ErrProtocol,
			Detail: fmt.Sprintf("pcscd speaks client protocol %d.%d, this package %d.%d", major, theirs, protocolMajor, minor)})
	}

	req := c.request(cmdEstablishContext, establishSize)
	req = ne.AppendUint32(req, scopeSystem)
	req = ne.AppendUint32(req, 0)
	req = ne.AppendUint32(req, 0)
	var est [establishSize]byte
	if err := c.exchange(ctx, op, req, est[:], nil); err != nil {
		return lost(err, ErrNoService)
	}
	if rv := ne.Uint32(est[8:]); rv != 0 {
		return &Error{Op: op, Code: rv, Kind: ErrNoService}
	}
	c.hctx = ne.Uint32(est[4:])
	return nil
}

// readerStates asks pcscd for its readers' state (CMD_GET_READERS_STATE,
// which SCardListReaders and SCardGetStatusChange use in pcsc-lite's
// client).
func (c *client) readerStates(ctx context.Context) ([]readerState, error) {
	const op = "list readers"
	req := c.request(cmdGetReadersState, 0)
	ans := make([]byte, statesSize)
	if err := c.exchange(ctx, op, req, ans, nil); err != nil {
		return nil, lost(err, ErrNoService)
	}
	states, err := parseReaderStates(ans)
	if err != nil {
		return nil, c.fail(&Error{Op: op, Kind: ErrProtocol, Detail: err.Error()})
	}
	return states, nil
}

// connect connects to the card in the reader exclusively with T=1 and
// returns its handle.
func (c *client) connect(ctx context.Context, name string) (int32, error) {
	const op = "connect"
	if len(name) >= maxReaderName {
		return 0, &Error{Op: op, Reader: name, Kind: ErrNoReader, Detail: fmt.Sprintf("name longer than pcscd's %d bytes", maxReaderName-1)}
	}
	req := c.request(cmdConnect, connectSize)
	req = ne.AppendUint32(req, c.hctx)
	req = append(req, name...)
	req = append(req, make([]byte, maxReaderName-len(name))...)
	req = ne.AppendUint32(req, shareExclusive)
	req = ne.AppendUint32(req, protocolT1)
	req = ne.AppendUint32(req, 0) // hCard
	req = ne.AppendUint32(req, 0) // dwActiveProtocol
	req = ne.AppendUint32(req, 0) // rv
	var ans [connectSize]byte
	if err := c.exchange(ctx, op, req, ans[:], nil); err != nil {
		return 0, lost(err, ErrNoService)
	}
	const tail = 4 + maxReaderName + 2*4
	hCard, active, rv := int32(ne.Uint32(ans[tail:])), ne.Uint32(ans[tail+4:]), ne.Uint32(ans[tail+8:])
	if rv != 0 {
		return 0, &Error{Op: op, Reader: name, Code: rv, Kind: connectKind(rv)}
	}
	if active != protocolT1 {
		// Only T=1 was offered; anything else is not pcscd's protocol.
		return 0, c.fail(&Error{Op: op, Reader: name, Kind: ErrProtocol, Detail: fmt.Sprintf("active protocol 0x%X, asked for T=1", active)})
	}
	return hCard, nil
}

// transmit sends command to the card and returns its response, of at
// most max bytes.
func (c *client) transmit(ctx context.Context, hCard int32, command []byte, max int) ([]byte, error) {
	const op = "transmit"
	req := c.request(cmdTransmit, transmitSize)
	req = ne.AppendUint32(req, uint32(hCard))
	req = ne.AppendUint32(req, protocolT1) // ioSendPci = SCARD_PCI_T1
	req = ne.AppendUint32(req, pciLength)
	req = ne.AppendUint32(req, uint32(len(command)))
	req = ne.AppendUint32(req, protocolT1) // ioRecvPci
	req = ne.AppendUint32(req, pciLength)
	req = ne.AppendUint32(req, uint32(max)) // pcbRecvLength: our buffer
	req = ne.AppendUint32(req, 0)
	req = append(req, command...) // the command follows the structure with no header of its own
	var ans [transmitSize]byte
	var resp []byte
	var code uint32
	err := c.exchange(ctx, op, req, ans[:], func() error {
		a, err := parseTransmit(ans[:], max)
		if err != nil {
			return &Error{Op: op, Kind: ErrProtocol, Detail: err.Error()}
		}
		if code = a.rv; code != 0 {
			return nil // no response follows
		}
		resp = make([]byte, a.length)
		_, err = io.ReadFull(c.conn, resp)
		return err
	})
	if err != nil {
		return nil, err
	}
	if code != 0 {
		return nil, &Error{Op: op, Code: code}
	}
	return resp, nil
}

// disconnect resets the card and releases the handle.
func (c *client) disconnect(ctx context.Context, hCard int32) error {
	req := c.request(cmdDisconnect, disconnectSize)
	req = ne.AppendUint32(req, uint32(hCard))
	req = ne.AppendUint32(req, resetCard)
	req = ne.AppendUint32(req, 0)
	var ans [disconnectSize]byte
	if err := c.exchange(ctx, "disconnect", req, ans[:], nil); err != nil {
		return err
	}
	if rv := ne.Uint32(ans[8:]); rv != 0 {
		return &Error{Op: "disconnect", Code: rv}
	}
	return nil
}

// release releases the PC/SC context and closes the socket.
func (c *client) release(ctx context.Context) error {
	defer c.close()
	req := c.request(cmdReleaseContext, releaseSize)
	req = ne.AppendUint32(req, c.hctx)
	req = ne.AppendUint32(req, 0)
	var ans [releaseSize]byte
	if err := c.exchange(ctx, "release", req, ans[:], nil); err != nil {
		return err
	}
	if rv := ne.Uint32(ans[4:]); rv != 0 {
		return &Error{Op: "release", Code: rv}
	}
	return nil
}

// close closes the socket; pcscd then drops the client's context and
// handles (winscard_svc.c MSGCleanupClient) and ends its thread.
func (c *client) close() {
	if c.broken == "" {
		c.broken = "connection to pcscd closed"
	}
	c.conn.Close()
}

// request starts a request of command with a body of size bytes in the
// reused buffer.
func (c *client) request(command uint32, size int) []byte {
	c.buf = ne.AppendUint32(c.buf[:0], uint32(size))
	return ne.AppendUint32(c.buf, command)
}

// exchange writes req and reads len(ans) bytes of answer, then runs more
// (when not nil) to decode it and read what follows, all within ctx:
// ctx's deadline is the socket's, and ctx ending early moves the deadline
// to the past, which ends a blocked read or write at once. Any failure
// leaves the stream out of step with pcscd, so it closes the connection;
// the error is ctx's when ctx ended, else the *Error more returned, else
// an *Error without Kind nor Code for a socket failure.
func (c *client) exchange(ctx context.Context, op string, req, ans []byte, more func() error) error {
	if c.broken != "" {
		return &Error{Op: op, Detail: c.broken}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("pcsc: %s: %w", op, err)
	}
	deadline, hasDeadline := ctx.Deadline()
	if err := c.conn.SetDeadline(deadline); err != nil {
		return c.fail(&Error{Op: op, Detail: err.Error()})
	}
	stop := context.AfterFunc(ctx, func() { c.conn.SetDeadline(time.Unix(1, 0)) })
	_, err := c.conn.Write(req)
	if err == nil {
		_, err = io.ReadFull(c.conn, ans)
	}
	if err == nil && more != nil {
		err = more()
	}
	stop()
	if err == nil {
		c.buf = req[:0]
		return nil
	}
	if e, ok := errors.AsType[*Error](err); ok {
		return c.fail(e)
	}
	ctxErr := ctx.Err()
	if ctxErr == nil && hasDeadline && errors.Is(err, os.ErrDeadlineExceeded) {
		<-ctx.Done() // the socket's deadline is ctx's: ctx is about to end
		ctxErr = ctx.Err()
	}
	if ctxErr != nil {
		c.fail(&Error{Op: op, Detail: "an earlier command was abandoned"})
		return fmt.Errorf("pcsc: %s: %w", op, ctxErr)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = fmt.Errorf("pcscd's answer cut short: %w", err)
	}
	return c.fail(&Error{Op: op, Detail: err.Error()})
}

// fail closes the connection, so that every later call fails with e's
// detail, and returns e.
func (c *client) fail(e *Error) *Error {
	if c.broken == "" {
		c.broken = e.Detail
		if c.broken == "" {
			c.broken = "the connection to pcscd failed"
		}
	}
	c.conn.Close()
	return e
}

// lost gives a failure of the connection (an *Error without Kind nor
// Code) the sentinel kind; other errors pass unchanged.
func lost(err error, kind error) error {
	if e, ok := errors.AsType[*Error](err); ok && e.Kind == nil && e.Code == 0 {
		e.Kind = kind
	}
	return err
}
