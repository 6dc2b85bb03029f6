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
// It speaks pcscd's client protocol over its unix socket itself, in pure
// Go and with no dependency beyond the standard library (no cgo, no
// libpcsclite at build or run time). pcscd is the PC/SC Workgroup's
// resource manager interface (PC/SC Specification part 5) as pcsc-lite
// implements it on Linux and the BSDs; the client protocol is pcsc-lite's
// winscard_msg.h, version 4.4 (pcsc-lite 1.8.24 and later; 4.5 with
// pcsc-lite 2.3.0 to 2.4.0, which accept nothing else). The socket is
// /run/pcscd/pcscd.comm on Linux, /var/run/pcscd/pcscd.comm elsewhere, or
// Options.Socket.
//
// Every call honours its context through the socket's deadline: when the
// context ends, the call returns at once and the connection is closed
// (its late answer would be taken for the next one's), which makes pcscd
// drop the handle and reset the card. Every answer of pcscd is read into
// a buffer of the size its structure has, and a response APDU is bounded
// by the receive length offered (65,538 bytes); an answer outside the
// protocol is ErrProtocol, or a lost card during Transmit.
//
// # Limits of the transport
//
// Open connects with T=1 only and Transmit sends with the T=1 protocol
// control information: a contactless card (ISO/IEC 14443-4, as PC/SC
// part 3 presents it) always qualifies, a contact card that only speaks
// T=0 is refused at Open with SCARD_E_PROTO_MISMATCH. PC/SC has no
// portable way to ask whether a reader carries extended-length APDUs, so
// Limits reports them only when Options.ExtendedLength says so; the
// largest response is 65,538 bytes (65,536 data bytes and the status
// word, ISO/IEC 7816-4 clause 5.1).
//
// # Security
//
// pcscd is a local daemon; anyone who may open its socket may talk to the
// cards in its readers. Open connects in exclusive mode so that no other
// application interleaves commands with a secure-messaging session, and
// Close resets the card so that no authenticated session outlives it.
// APDUs are neither logged nor kept.
package pcsc
