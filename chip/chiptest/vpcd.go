package chiptest

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// VirtualCard is a card that ServeVPCD can attach to pcscd's virtual
// reader: it answers command APDUs, has an Answer To Reset and can be power
// cycled. The software card of this package is one.
type VirtualCard interface {
	// Transmit answers one command APDU with the whole response APDU
	// (data || SW1 SW2). An error means the card is gone.
	Transmit(ctx context.Context, command []byte) ([]byte, error)
	// ATR returns the Answer To Reset (ISO/IEC 7816-3 clause 8).
	ATR() []byte
	// Reset power cycles the card: it drops the session (secure
	// messaging, access rights) and keeps the card's files and keys.
	Reset()
}

// DefaultVPCDAddr is where the vsmartcard vpcd driver loaded by pcscd
// listens for a virtual card: vsmartcard's VPCDPORT 35963 (0x8C7B, the
// CHANNELID of /etc/reader.conf.d/vpcd). Its second reader listens on 35964.
const DefaultVPCDAddr = "127.0.0.1:35963"

// Control messages of the vpcd protocol (vsmartcard vpcd.h: VPCD_CTRL_OFF,
// VPCD_CTRL_ON, VPCD_CTRL_RESET, VPCD_CTRL_ATR). They are the only messages
// of length 1; any longer message is a command APDU.
const (
	vpcdPowerOff = 0
	vpcdPowerOn  = 1
	vpcdReset    = 2
	vpcdATR      = 4
)

// vpcdMaxFrame is the largest payload a vpcd frame can carry: its length
// is two bytes, big-endian.
const vpcdMaxFrame = 0xFFFF

// Backoff between two attempts to reach vpcd: pcscd may not be up yet, or
// it restarted and its driver listens again only after a moment.
const (
	vpcdRetryMin       = 50 * time.Millisecond
	vpcdRetryMax       = 2 * time.Second
	vpcdRetryAfterDrop = time.Second
)

// ErrVPCDProtocol reports a message from vpcd that breaks the vpcd
// protocol; ServeVPCD stops on it rather than guess.
var ErrVPCDProtocol = errors.New("chiptest: vpcd protocol violation")

// VPCDError says which message from vpcd broke the protocol and how. It
// unwraps to ErrVPCDProtocol.
type VPCDError struct {
	Message int    // index of the message on its connection, from 1
	Reason  string // what was wrong
}

func (e *VPCDError) Error() string {
	return fmt.Sprintf("chiptest: vpcd message %d: %s", e.Message, e.Reason)
}

// Unwrap returns ErrVPCDProtocol.
func (e *VPCDError) Unwrap() error { return ErrVPCDProtocol }

// ServeVPCD attaches card to the vsmartcard virtual reader of pcscd: it
// dials the vpcd driver at addr (host:port, DefaultVPCDAddr when empty)
// and answers its messages until ctx ends, then returns nil.
//
// The wire protocol is vsmartcard's (virtualsmartcard/src/vpcd/vpcd.c,
// VirtualSmartcard.py): every message in either direction is a 2-byte
// big-endian length then the payload. A message of length 1 is a control
// byte: power off, power on and reset power cycle the card (Reset) and
// expect no answer; an ATR request is answered with the ATR. A longer
// message is a command APDU answered with the card's response APDU. An
// unknown control byte is ignored, as VirtualSmartcard.py does.
//
// While nothing listens at addr (pcscd not started yet, or restarting),
// ServeVPCD dials again with a backoff of up to two seconds; when the
// connection drops it power cycles the card and dials again a second later
// (pcscd must see the reader empty once), so the card reappears in the
// reader once pcscd is back. It returns an error when
// addr is malformed, when vpcd breaks the protocol (*VPCDError) and when
// the card's Transmit fails (the card is gone: the reader sees it
// removed). A response too long for one frame is replaced by SW 6700.
func ServeVPCD(ctx context.Context, addr string, card VirtualCard) error {
	if addr == "" {
		addr = DefaultVPCDAddr
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return fmt.Errorf("chiptest: vpcd address: %v", err)
	}
	var d net.Dialer
	wait := vpcdRetryMin
	for {
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err == nil {
			wait = vpcdRetryMin
			err = serveVPCDConn(ctx, conn, card)
			conn.Close()
			card.Reset() // the connection carried the card's power
			if ctx.Err() != nil {
				return nil
			}
			var pe *VPCDError
			if errors.As(err, &pe) || errors.Is(err, errVPCDCard) {
				return err
			}
			// Any other error is the transport: pcscd went away, or vpcd
			// dropped the card. Stay out for longer than pcscd's card
			// polling period (400 ms) so that pcscd sees the card leave:
			// a card that leaves and comes back between two polls is
			// never seen as removed, and pcscd keeps refusing it.
			wait = vpcdRetryAfterDrop
		}
		if ctx.Err() != nil {
			return nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		wait = min(2*wait, vpcdRetryMax)
	}
}

// errVPCDCard marks a failure of the card's Transmit, which ends serving.
var errVPCDCard = errors.New("chiptest: vpcd: card failed")

// serveVPCDConn answers one vpcd connection until it fails or ctx ends
// (which closes conn to interrupt a blocked read).
func serveVPCDConn(ctx context.Context, conn net.Conn, card VirtualCard) error {
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	return serveVPCDStream(ctx, vpcdStream(conn), card)
}

// serveVPCDStream reads vpcd messages from rw and writes the answers. It
// returns the transport's error (io.EOF when vpcd closed the connection
// between messages), a *VPCDError, or an error wrapping errVPCDCard.
func serveVPCDStream(ctx context.Context, rw io.ReadWriter, card VirtualCard) error {
	var hdr [2]byte
	buf := make([]byte, 0, 512)
	out := make([]byte, 0, 512)
	for n := 1; ; n++ {
		msg, err := readVPCDFrame(rw, hdr[:], buf)
		if err != nil {
			return err
		}
		buf = msg[:0]
		var answer []byte
		switch {
		case len(msg) == 0:
			return &VPCDError{Message: n, Reason: "empty message"}
		case len(msg) == 1:
			switch msg[0] {
			case vpcdPowerOff, vpcdPowerOn, vpcdReset:
				card.Reset()
				continue
			case vpcdATR:
				answer = card.ATR()
			default:
				continue
			}
		default:
			r, err := card.Transmit(ctx, msg)
			if err != nil {
				return fmt.Errorf("%w: %w", errVPCDCard, err)
			}
			answer = r
			if len(answer) > vpcdMaxFrame {
				answer = []byte{0x67, 0x00}
			}
		}
		if len(answer) > vpcdMaxFrame {
			return &VPCDError{Message: n, Reason: "card's ATR does not fit a frame"}
		}
		out = appendVPCDFrame(out[:0], answer)
		if _, err := rw.Write(out); err != nil {
			return err
		}
	}
}

// readVPCDFrame reads one frame from r into buf (grown when needed, at
// most vpcdMaxFrame bytes by construction) and returns its payload. A
// stream that ends between frames gives io.EOF, one that ends inside a
// frame io.ErrUnexpectedEOF.
func readVPCDFrame(r io.Reader, hdr, buf []byte) ([]byte, error) {
	if _, err := io.ReadFull(r, hdr[:2]); err != nil {
		return nil, err
	}
	size := int(binary.BigEndian.Uint16(hdr))
	if cap(buf) < size {
		buf = make([]byte, size)
	}
	buf = buf[:size]
	if _, err := io.ReadFull(r, buf); err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return buf, nil
}

// appendVPCDFrame appends payload (at most vpcdMaxFrame bytes) to b as one
// frame, so that it goes out in a single write.
func appendVPCDFrame(b, payload []byte) []byte {
	b = binary.BigEndian.AppendUint16(b, uint16(len(payload)))
	return append(b, payload...)
}
