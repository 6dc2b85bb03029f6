package reader

import (
	"context"
	"errors"
)

// Transceiver sends one command APDU and returns the card's whole response APDU (data || SW1 SW2).
// A transport failure (card removed, reader gone, timeout) is an error, never a malformed response.
//
// An Android IsoDep tag (through gomobile) is a Transceiver in a few lines:
//
//	type isoDep struct{ tag IsoDep } // IsoDep: the gomobile binding of android.nfc.tech.IsoDep
//
//	func (d isoDep) Transmit(ctx context.Context, command []byte) ([]byte, error) {
//		if err := ctx.Err(); err != nil {
//			return nil, err
//		}
//		r, err := d.tag.Transceive(command)
//		if err != nil { // TagLostException, IOException
//			return nil, fmt.Errorf("%w: %v", reader.ErrCardRemoved, err)
//		}
//		return r, nil
//	}
type Transceiver interface {
	Transmit(ctx context.Context, command []byte) ([]byte, error)
}

// Limits is what a transceiver can carry; an optional interface, Limiter, reports it.
type Limits struct {
	ExtendedLength bool // the transport carries extended-length APDUs
	MaxCommand     int  // largest command APDU in bytes, 0 = unknown
	MaxResponse    int  // largest response APDU in bytes (data + SW), 0 = unknown
}

// Limiter is implemented by a Transceiver that knows its Limits.
type Limiter interface{ Limits() Limits }

// ErrCardRemoved reports that the card left the field or the transport to
// it failed; transports wrap it with detail.
var ErrCardRemoved = errors.New("reader: card removed or transport failed") // transports wrap this
