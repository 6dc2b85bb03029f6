// Package pcsc carries APDUs to a card through the PC/SC daemon pcscd
// (pcsc-lite), so that the reader package can read a card in any PC/SC
// reader: a contactless desk reader at a bank branch, or the vsmartcard
// virtual reader with a software card attached (chiptest.ServeVPCD).
//
// A *Card is a reader.Transceiver and a reader.Limiter:
//
//	card, err := pcsc.Open(ctx, pcsc.Options{Reader: "ACS ACR1252 1S CL Reader [ACR1252 Dual Reader PICC] 00 00"})
//	if err != nil { ... }
//	defer card.Close()
//	resp, err := card.Transmit(ctx, command) // or hand card to the reader package
//
// It speaks pcscd's client protocol over its unix socket through
// github.com/gballet/go-libpcsclite, a pure-Go client (no cgo, no
// libpcsclite-dev at build time). This is the only package of the SDK that
// depends on it. pcscd is the PC/SC Workgroup's resource manager interface
// (PC/SC Specification part 5) as pcsc-lite implements it on Linux and the
// BSDs; the client protocol is pcsc-lite's winscard_msg.h, version 4.3 or
// 4.4.
//
// # Limits of the transport
//
// The client sends every APDU with the T=1 protocol control information,
// so Open connects with T=1 only: a contactless card (ISO/IEC 14443-4, as
// PC/SC part 3 presents it) always qualifies, a contact card that only
// speaks T=0 is refused at Open with SCARD_E_PROTO_MISMATCH. PC/SC has no
// portable way to ask whether a reader carries extended-length APDUs, so
// Limits reports them only when Options.ExtendedLength says so; the
// largest response is 65,536 bytes, the receive buffer the client hands
// to pcscd.
//
// # Security
//
// pcscd is a local daemon; anyone who may open its socket may talk to the
// cards in its readers. Open connects in exclusive mode so that no other
// application interleaves commands with a secure-messaging session, and
// Close resets the card so that no authenticated session outlives it.
// APDUs are neither logged nor kept.
package pcsc
