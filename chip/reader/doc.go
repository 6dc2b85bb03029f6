// Package reader reads a chip identity card or passport (ICAO Doc 9303
// part 11) over any transport: PACE or BAC, secure messaging, file reads,
// chip authentication and active authentication.
//
// The layers, bottom up, each in its own package:
//
//   - transport: a Transceiver carries command and response APDUs (the
//     in-process software card of chip/chiptest, PC/SC in chip/reader/pcsc,
//     Android IsoDep in ten lines: see Transceiver);
//   - APDUs (internal/apdu): short and extended encodings, status words;
//   - secure channel (internal/sm): secure messaging with 3DES or AES,
//     the send sequence counter, a sticky failure;
//   - access protocols (internal/bac, internal/pace, internal/ca, over the
//     groups of internal/kex): BAC, PACE generic mapping over ECDH and DH,
//     chip authentication;
//   - file reading (this package): Session and Read;
//   - verification (package chip): passive authentication with chip.Verify,
//     active authentication with chip.VerifyActiveAuthentication.
//
// Read is the one call most integrators need; Session is the low-level
// API (select, read binary, transmit under secure messaging) for other
// files and step-by-step tests. Randomness is injectable
// (SessionOptions.Rand), as tls.Config.Rand is.
//
// # Security
//
// Passwords print masked; keys never leave the protocol packages and are
// zeroed when a handshake ends; traces mask the data of personal files.
// Every protected response is MAC-checked and a failure ends the session:
// there is no fallback to unprotected answers. Read's BAC fallback
// happens only when the card refuses PACE as unsupported, never after a
// wrong password. Read does not judge the files: verify them with
// chip.Verify before trusting chip or active authentication.
package reader
