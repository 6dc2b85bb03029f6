package reader

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/internal/apdu"
	"github.com/cancuoc/sdk/internal/bac"
	"github.com/cancuoc/sdk/internal/pace"
	"github.com/cancuoc/sdk/internal/sm"
)

// aid returns the eMRTD application identifier (ICAO 9303-10 section 3.10).
func aid() []byte { return []byte{0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01} }

// SessionOptions configures a Session. The zero value is usable.
type SessionOptions struct {
	// Rand supplies nonces and ephemeral keys; nil means crypto/rand.
	// Tests inject a fixed stream to replay the ICAO worked examples.
	Rand io.Reader
	// Trace, when set, receives one line per APDU as the reader sees it
	// before protection and after unprotection ("> 00B0..." / "< ... 9000").
	// Data read from personal files (DG1-DG13, DG16) and the data of
	// authentication commands are masked.
	Trace io.Writer
	// Progress, when set, is called after each chunk of a file read.
	Progress func(file string, read, total int)
}

// Session is a card session: the low-level API under Read. It sends
// commands in the clear until BAC or PACE sets up secure messaging, then
// protects every command and checks every response. Methods are not safe
// for concurrent use.
type Session struct {
	t        Transceiver
	limits   Limits
	opts     SessionOptions
	rand     io.Reader
	ch       *sm.Channel
	caNew    bool // the channel comes from chip authentication and no response has verified yet
	apdus    int
	bytes    int
	masking  bool
	extended bool // extended length works (not refused yet)
	buf      []byte
}

// NewSession starts a session over t. Extended length is used when t's
// Limits (through the optional Limiter interface) announce it.
func NewSession(t Transceiver, opts SessionOptions) *Session {
	s := &Session{t: t, opts: opts, rand: opts.Rand}
	if l, ok := t.(Limiter); ok {
		s.limits = l.Limits()
	}
	s.extended = s.limits.ExtendedLength
	if s.rand == nil {
		s.rand = rand.Reader
	}
	return s
}

// APDUs returns the number of command APDUs sent so far.
func (s *Session) APDUs() int { return s.apdus }

// Bytes returns the number of bytes exchanged so far (commands and responses).
func (s *Session) Bytes() int { return s.bytes }

// Close ends secure messaging and forgets the session keys. The
// transceiver is not closed.
func (s *Session) Close() {
	if s.ch != nil {
		s.ch.Close()
		s.ch = nil
	}
	s.caNew = false
}

// Secure reports whether secure messaging is on.
func (s *Session) Secure() bool { return s.ch != nil }

// transmit sends one encoded command and parses the response.
func (s *Session) transmit(ctx context.Context, c *apdu.Command) (apdu.Response, error) {
	if err := ctx.Err(); err != nil {
		return apdu.Response{}, err
	}
	if s.t == nil {
		return apdu.Response{}, &Error{Step: "transmit", Err: ErrNotSupported, Detail: "the session has no Transceiver (nil)"}
	}
	raw, err := c.AppendEncode(s.buf[:0])
	if err != nil {
		return apdu.Response{}, &Error{Step: "encode", Err: ErrNotSupported, Detail: err.Error()}
	}
	s.buf = raw
	r, err := s.exchange(ctx, raw)
	if err != nil || r.SW>>8 != 0x61 {
		return r, err
	}
	// 61xx: more bytes wait; GET RESPONSE fetches them (ISO/IEC 7816-4
	// section 5.3.3; T=0 readers answer so). A hostile card could answer
	// 61xx for ever: every round must bring data, and 64 KB in rounds of
	// at most 256 bytes take at most maxGetResponse of them.
	const maxGetResponse = (apdu.MaxExtendedLe + 64) / apdu.MaxShortLe
	data := append([]byte(nil), r.Data...)
	for round := 0; r.SW>>8 == 0x61; round++ {
		if len(data) > apdu.MaxExtendedLe+64 || round == maxGetResponse {
			return apdu.Response{}, &Error{Step: "GET RESPONSE", SW: r.SW, Err: ErrMalformed, Detail: "response longer than 64 KB in 256-byte rounds"}
		}
		ne := int(r.SW & 0xFF)
		if ne == 0 {
			ne = apdu.MaxShortLe
		}
		if r, err = s.exchange(ctx, []byte{0x00, 0xC0, 0x00, 0x00, byte(ne)}); err != nil {
			return apdu.Response{}, err
		}
		if len(r.Data) == 0 && r.SW>>8 == 0x61 {
			return apdu.Response{}, &Error{Step: "GET RESPONSE", SW: r.SW, Err: ErrMalformed, Detail: "the card announces more bytes but sends none"}
		}
		data = append(data, r.Data...)
	}
	return apdu.Response{Data: data, SW: r.SW}, nil
}

// exchange sends raw and parses the response.
func (s *Session) exchange(ctx context.Context, raw []byte) (apdu.Response, error) {
	if err := ctx.Err(); err != nil {
		return apdu.Response{}, err
	}
	s.apdus++
	s.bytes += len(raw)
	resp, err := s.t.Transmit(ctx, raw)
	if err != nil {
		if ctx.Err() != nil {
			return apdu.Response{}, ctx.Err()
		}
		if !errors.Is(err, ErrCardRemoved) {
			err = fmt.Errorf("%w: %w", ErrCardRemoved, err)
		}
		return apdu.Response{}, &Error{Step: "transmit", Err: err}
	}
	s.bytes += len(resp)
	r, err := apdu.ParseResponse(resp)
	if err != nil {
		return apdu.Response{}, &Error{Step: "transmit", Err: ErrMalformed, Detail: "response shorter than a status word"}
	}
	return r, nil
}

// send is the internal protocol packages' transmitter: the command goes
// through secure messaging when it is on.
func (s *Session) send(ctx context.Context, c *apdu.Command) (apdu.Response, error) {
	s.traceCommand(c)
	if s.ch == nil {
		r, err := s.transmit(ctx, c)
		if err == nil {
			s.traceResponse(r)
		}
		return r, err
	}
	p, err := s.ch.Wrap(c)
	if err != nil {
		return apdu.Response{}, s.smError(err)
	}
	r, err := s.transmit(ctx, &p)
	if err != nil {
		return apdu.Response{}, err
	}
	plain, err := s.ch.Unwrap(r)
	if err != nil {
		return apdu.Response{}, s.smError(err)
	}
	s.caNew = false
	s.traceResponse(plain)
	return plain, nil
}

// smError turns a secure-messaging failure into the session's error; the
// first failure after chip authentication is the chip failing it.
func (s *Session) smError(err error) error {
	e := &Error{Step: "secure messaging", Err: ErrSecureMessaging, Detail: strings.TrimPrefix(err.Error(), sm.ErrSecureMessaging.Error()+": ")}
	if s.caNew {
		e.Step, e.Err = "chip authentication", fmt.Errorf("%w (%w)", ErrChipAuthentication, ErrSecureMessaging)
		e.Detail = "the chip does not answer under the keys of its DG14 key"
	}
	return e
}

type transmitter struct{ s *Session }

func (t transmitter) Transmit(ctx context.Context, c *apdu.Command) (apdu.Response, error) {
	return t.s.send(ctx, c)
}

// Transmit sends a plain command APDU (bytes) through the session,
// protected when secure messaging is on, and returns the plain response
// (data || SW1 SW2). Integrators use it for commands this package does
// not wrap.
func (s *Session) Transmit(ctx context.Context, command []byte) ([]byte, error) {
	c, err := apdu.ParseCommand(command)
	if err != nil {
		return nil, &Error{Step: "transmit", Err: ErrMalformed, Detail: err.Error()}
	}
	r, err := s.send(ctx, &c)
	if err != nil {
		return nil, err
	}
	return r.Encode(), nil
}

func (s *Session) traceCommand(c *apdu.Command) {
	if s.opts.Trace == nil {
		return
	}
	data := hex.EncodeToString(c.Data)
	if c.INS == 0x82 || c.INS == 0x86 || c.INS == 0x22 || c.INS == 0x88 {
		data = "…" + strconv.Itoa(len(c.Data)) + " bytes"
	}
	fmt.Fprintf(s.opts.Trace, "> %02X %02X %02X %02X [%s] Ne=%d\n", c.CLA, c.INS, c.P1, c.P2, data, c.Ne)
}

func (s *Session) traceResponse(r apdu.Response) {
	if s.opts.Trace == nil {
		return
	}
	data := hex.EncodeToString(r.Data)
	if s.masking && len(r.Data) > 0 {
		data = "…" + strconv.Itoa(len(r.Data)) + " bytes masked"
	}
	fmt.Fprintf(s.opts.Trace, "< [%s] %04X\n", data, r.SW)
}

// SelectApplication selects the eMRTD application (SELECT by DF name,
// P2 = 0C: no FCI).
func (s *Session) SelectApplication(ctx context.Context) error {
	r, err := s.send(ctx, &apdu.Command{INS: 0xA4, P1: 0x04, P2: 0x0C, Data: aid()})
	if err != nil {
		return err
	}
	if !r.OK() {
		return statusError("select application", r.SW)
	}
	return nil
}

// SelectFile selects an elementary file by its identifier (P1 = 02, P2 =
// 0C), such as 0x011E for EF.COM.
func (s *Session) SelectFile(ctx context.Context, fid uint16) error {
	r, err := s.send(ctx, &apdu.Command{INS: 0xA4, P1: 0x02, P2: 0x0C, Data: []byte{byte(fid >> 8), byte(fid)}})
	if err != nil {
		return err
	}
	if !r.OK() {
		return statusError(fmt.Sprintf("select %04X", fid), r.SW)
	}
	return nil
}

// BAC runs Basic Access Control with an MRZ password (ICAO 9303-11
// section 4.3). A wrong password is ErrAccessDenied.
func (s *Session) BAC(ctx context.Context, pw Password) error {
	if !pw.IsMRZ() {
		return &Error{Step: "BAC", Err: ErrNotSupported, Detail: "BAC needs the MRZ password"}
	}
	key, err := pw.bacKey()
	if err != nil {
		return &Error{Step: "BAC", Err: ErrNotSupported, Detail: "MRZ password fields"}
	}
	s.ch = nil
	ch, err := bac.Run(ctx, transmitter{s}, key, s.rand)
	if err != nil {
		return accessError("BAC", err)
	}
	s.ch = ch
	return nil
}

// PACEInfo is the PACE protocol and domain parameters a card offers in
// EF.CardAccess.
type PACEInfo struct {
	suite       pace.Suite
	parameterID int
}

// String names the protocol, such as "PACE-ECDH-GM-AES-128".
func (p PACEInfo) String() string { return p.suite.String() }

// SupportedPACE returns the first PACEInfo of EF.CardAccess this package
// implements.
func SupportedPACE(ca *chip.CardAccess) (PACEInfo, bool) {
	if ca == nil {
		return PACEInfo{}, false
	}
	for _, si := range ca.PACEInfos() {
		suite, err := pace.SuiteByOID(si.Protocol)
		if err != nil || si.ParameterID < 0 {
			continue
		}
		return PACEInfo{suite: suite, parameterID: si.ParameterID}, true
	}
	return PACEInfo{}, false
}

// PACE runs PACE with the protocol of info (ICAO 9303-11 section 4.4).
// A wrong password is ErrAccessDenied; a card refusing the protocol is
// ErrNotSupported.
func (s *Session) PACE(ctx context.Context, pw Password, info PACEInfo) error {
	if !pw.IsCAN() && !pw.IsMRZ() {
		return &Error{Step: "PACE", Err: ErrNotSupported, Detail: "no password"}
	}
	pt := pace.PasswordMRZ
	if pw.IsCAN() {
		pt = pace.PasswordCAN
	}
	secret := pw.paceSecret()
	defer clear(secret)
	s.ch = nil
	cfg := pace.Config{Suite: info.suite, ParameterID: info.parameterID, PasswordType: pt, Password: secret, Rand: s.rand}
	ch, err := pace.Run(ctx, transmitter{s}, cfg)
	var se *apdu.StatusError
	if errors.As(err, &se) && se.Step == "MSE:Set AT" && (se.SW == apdu.SWWrongData || se.SW == apdu.SWReferenceNotFound) {
		// Some chips want the domain parameters named (tag 84) although
		// ICAO 9303-11 makes it conditional: ask once more with it.
		cfg.SendParameterID = true
		ch, err = pace.Run(ctx, transmitter{s}, cfg)
	}
	if err != nil {
		return accessError("PACE", err)
	}
	s.ch = ch
	return nil
}

// accessError classifies a BAC or PACE failure: a verification status
// (63xx, 6982) or a token that does not verify is a wrong password; a
// status meaning "not supported", or a refusal of MSE:Set AT (before any
// password was tried), is ErrNotSupported.
func accessError(step string, err error) error {
	var se *apdu.StatusError
	var re *Error
	switch {
	case errors.As(err, &re), errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	case errors.As(err, &se):
		sw := se.SW
		if se.Step == "MSE:Set AT" && (sw == apdu.SWSecurityNotSatisfied || sw == apdu.SWConditionsNotSatisfied) {
			// Refused before any password was tried: the card does not
			// take this protocol or password type (a Vietnamese CCCD
			// answers PACE with the MRZ so, AndyQ/NFCPassportReader#187).
			return &Error{Step: step + ": " + se.Step, SW: sw, Err: ErrNotSupported}
		}
		if sw == apdu.SWVerificationFailed || sw>>8 == 0x63 || sw == apdu.SWSecurityNotSatisfied || sw == apdu.SWAuthBlocked {
			return &Error{Step: step + ": " + se.Step, SW: sw, Err: ErrAccessDenied}
		}
		if notSupported(sw) {
			return &Error{Step: step + ": " + se.Step, SW: sw, Err: ErrNotSupported}
		}
		return &Error{Step: step + ": " + se.Step, SW: sw, Err: ErrCardStatus}
	case errors.Is(err, bac.ErrAuthentication), errors.Is(err, pace.ErrAuthentication):
		return &Error{Step: step, Err: ErrAccessDenied, Detail: "the chip's cryptogram does not verify"}
	case errors.Is(err, pace.ErrUnsupported):
		return &Error{Step: step, Err: ErrNotSupported, Detail: err.Error()}
	case errors.Is(err, pace.ErrMalformed):
		return &Error{Step: step, Err: ErrMalformed, Detail: err.Error()}
	}
	return &Error{Step: step, Err: ErrCardStatus, Detail: err.Error()}
}

// notSupported reports the status words with which a card refuses a
// protocol it does not implement (ISO/IEC 7816-4 section 5.6): wrong
// data or parameters, function, instruction or class not supported,
// reference not found.
func notSupported(sw uint16) bool {
	switch sw {
	case apdu.SWWrongData, apdu.SWFunctionNotSupported, apdu.SWWrongP1P2, apdu.SWLcInconsistent,
		apdu.SWReferenceNotFound, apdu.SWINSNotSupported, apdu.SWCLANotSupported, apdu.SWFileNotFound:
		return true
	}
	return false
}
