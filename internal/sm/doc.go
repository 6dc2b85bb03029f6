// Package sm is the secure channel of an eMRTD session: secure messaging
// (ICAO 9303-11 section 9.8, ISO/IEC 7816-4 section 10) with 3DES and the
// ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC"), or AES and CMAC, and the
// key derivation function that turns a BAC, PACE or chip-authentication
// secret into session keys (section 9.7.1).
//
// A Channel is the record layer of a card session, shaped like
// crypto/tls's halfConn: it owns KSenc, KSmac and the send sequence counter
// (SSC), Wrap protects one command and Unwrap checks the matching
// response, each incrementing the SSC exactly once, and the first failure
// (a bad MAC, a missing data object, an unprotected answer) poisons the
// channel: every later call returns the same error. No code outside the
// package touches the SSC.
//
// The card side of the same channel (UnwrapCommand, WrapResponse) serves
// the software card of chip/chiptest.
package sm
