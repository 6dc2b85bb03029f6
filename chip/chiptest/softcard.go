package chiptest

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha1"
	"encoding/asn1"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/reader"
	"github.com/cancuoc/sdk/internal/apdu"
	"github.com/cancuoc/sdk/internal/bac"
	"github.com/cancuoc/sdk/internal/ca"
	"github.com/cancuoc/sdk/internal/pace"
	"github.com/cancuoc/sdk/internal/sm"
	"github.com/cancuoc/sdk/internal/tlv"
)

// SoftCardOptions sets a software card's quirks. The zero value behaves as
// the CCCD does: SELECT of the MF answers 6D00, short and extended
// lengths both work, a wrong password gives 6300.
type SoftCardOptions struct {
	// SelectMF makes SELECT of the master file succeed instead of 6D00.
	SelectMF bool
	// MaxLe is the largest Ne READ BINARY honours (plaintext bytes);
	// larger asks get 6700. 0 means no limit.
	MaxLe int
	// MaxLeOffset applies MaxLe only to reads at this offset or beyond,
	// so a reader meets the refusal in the middle of a file.
	MaxLeOffset int
	// NoExtendedLength answers every extended-length APDU with a plain 6700.
	NoExtendedLength bool
	// WrongPasswordSW is the status of a failed BAC or PACE
	// authentication; 0 means 6300.
	WrongPasswordSW uint16
	// RemoveAfter makes the card vanish after that many APDUs: Transmit
	// then fails with reader.ErrCardRemoved. 0 means never.
	RemoveAfter int
	// RefusePACE answers MSE:Set AT for PACE with 6A80 ("not supported"),
	// as a BAC-only chip does even when EF.CardAccess exists.
	RefusePACE bool
	// RefusePACEWithMRZ answers MSE:Set AT naming the MRZ password with
	// 6982, as a Vietnamese CCCD was reported to (PACE with the CAN only;
	// readers fall back to BAC).
	RefusePACEWithMRZ bool
	// RequireParameterID answers MSE:Set AT without the domain parameter
	// reference (tag 84) with 6A80, as some chips do.
	RequireParameterID bool
	// CAN overrides the card access number; "" means the last 6 digits of
	// the CCCD number in DG1.
	CAN string
	// Rand supplies the card's nonces and keys; nil means crypto/rand.
	Rand io.Reader
}

// SoftCard is a chip that answers command APDUs as an eMRTD does
// (ICAO 9303-10/-11): EF.CardAccess in the master file, the eMRTD
// application with EF.COM, EF.SOD and the data groups, BAC, PACE
// (generic mapping, the protocol EF.CardAccess offers), secure
// messaging, chip authentication (the protocol DG14 announces), active
// authentication, READ BINARY by SFI or offset, odd INS B1, short and
// extended length. It is safe for concurrent use (APDUs are serialised).
type SoftCard struct {
	mu     sync.Mutex
	card   *Card
	opts   SoftCardOptions
	rand   io.Reader
	bacK   bac.Key
	hasMRZ bool
	can    string
	pace   *pace.Suite
	param  int
	caP    *ca.Protocol

	apdus   int
	app     bool   // eMRTD application selected
	current string // selected EF
	ch      *sm.Channel
	rndIC   []byte
	paceRun *pace.Chip
	caSet   bool
}

// NewSoftCard makes a software card of an issued card.
func NewSoftCard(c *Card, opts SoftCardOptions) (*SoftCard, error) {
	s := &SoftCard{card: c, opts: opts, rand: opts.Rand, param: -1}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	if s.opts.WrongPasswordSW == 0 {
		s.opts.WrongPasswordSW = apdu.SWVerificationFailed
	}
	if dg1, err := chip.ParseDG1(c.Files["DG1"]); err == nil {
		if doc, err := dg1.Document(); err == nil {
			if d, b, e, ok := bac.KeyFields(doc.Lines()); ok {
				s.bacK, _ = bac.NewKey(d, b, e)
				s.hasMRZ = true
			}
			if n, ok := doc.CCCD(); ok {
				digits := n.Digits()
				s.can = digits[len(digits)-6:]
			}
		}
	}
	if opts.CAN != "" {
		s.can = opts.CAN
	}
	if raw, ok := c.Files[chip.FileCardAccess]; ok {
		acc, err := chip.ParseCardAccess(raw)
		if err != nil {
			return nil, fmt.Errorf("chiptest: EF.CardAccess: %w", err)
		}
		for _, si := range acc.PACEInfos() {
			if suite, err := pace.SuiteByOID(si.Protocol); err == nil {
				s.pace, s.param = &suite, si.ParameterID
				break
			}
		}
	}
	if raw, ok := c.Files["DG14"]; ok && c.CAKey != nil {
		d, err := chip.ParseDG14(raw)
		if err != nil {
			return nil, fmt.Errorf("chiptest: DG14: %w", err)
		}
		for _, si := range d.Infos {
			if si.Kind == chip.KindChipAuthentication {
				if p, err := ca.ProtocolByOID(si.Protocol); err == nil {
					s.caP = &p
				}
			}
		}
	}
	return s, nil
}

// ATR returns the answer to reset of a contactless ISO/IEC 14443-4 card
// as PC/SC part 3 section 3.1.3.2.3 builds it (no historical bytes of
// interest).
func (s *SoftCard) ATR() []byte {
	return []byte{0x3B, 0x88, 0x80, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x09}
}

// Reset is a power cycle: the session and selections are gone, the
// files and keys stay, the APDU count restarts.
func (s *SoftCard) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apdus = 0
	s.dropSession()
	s.app, s.current = false, ""
}

// APDUs returns the number of command APDUs since the last reset.
func (s *SoftCard) APDUs() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.apdus
}

func (s *SoftCard) dropSession() {
	if s.ch != nil {
		s.ch.Close()
	}
	s.ch, s.rndIC, s.paceRun, s.caSet = nil, nil, nil, false
}

// errRemoved is the error of a card removed by SoftCardOptions.RemoveAfter.
var errRemoved = fmt.Errorf("%w: the software card was removed", reader.ErrCardRemoved)

// Transmit answers one command APDU.
func (s *SoftCard) Transmit(ctx context.Context, command []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.apdus++
	if s.opts.RemoveAfter > 0 && s.apdus > s.opts.RemoveAfter {
		return nil, errRemoved
	}
	c, err := apdu.ParseCommand(command)
	if err != nil {
		return sw(apdu.SWWrongLength), nil
	}
	if c.Extended() && s.opts.NoExtendedLength {
		return sw(apdu.SWWrongLength), nil
	}
	secured := s.ch != nil && c.CLA&0x0C == 0x0C
	if s.ch != nil && !secured {
		s.dropSession() // a plain command ends secure messaging (ISO/IEC 7816-4 section 10.2)
	}
	plain := c
	if secured {
		if plain, err = s.ch.UnwrapCommand(&c); err != nil {
			s.dropSession()
			return sw(apdu.SWSMObjectsIncorrect), nil
		}
	}
	r, next := s.dispatch(plain, secured)
	if !secured {
		if next != nil {
			s.ch = next
		}
		return r.Encode(), nil
	}
	ch := s.ch
	if len(r.Data)+sm.Overhead(ch.Cipher(), len(r.Data)) > c.Ne {
		// The protected answer would not fit the Le the reader sent.
		r, next = status(apdu.SWWrongLength), nil
	}
	out, err := ch.WrapResponse(r)
	if err != nil {
		s.dropSession()
		return sw(apdu.SWSMObjectsIncorrect), nil
	}
	if next != nil {
		s.ch = next
	}
	return out.Encode(), nil
}

func sw(v uint16) []byte { return []byte{byte(v >> 8), byte(v)} }

func status(v uint16) apdu.Response { return apdu.Response{SW: v} }

// dispatch answers a plain command; next is a secure channel that starts
// after this answer.
func (s *SoftCard) dispatch(c apdu.Command, secured bool) (r apdu.Response, next *sm.Channel) {
	switch c.INS {
	case 0xA4:
		return s.selectFile(c, secured), nil
	case 0xB0, 0xB1:
		return s.readBinary(c, secured), nil
	case 0x84:
		if c.Ne != 8 {
			return status(apdu.SWWrongLength), nil
		}
		s.rndIC = make([]byte, 8)
		io.ReadFull(s.rand, s.rndIC)
		return apdu.Response{Data: bytes.Clone(s.rndIC), SW: apdu.SWOK}, nil
	case 0x82:
		return s.externalAuthenticate(c)
	case 0x22:
		return s.manageSecurityEnvironment(c, secured)
	case 0x86:
		return s.generalAuthenticate(c, secured)
	case 0x88:
		return s.internalAuthenticate(c, secured), nil
	}
	return status(apdu.SWINSNotSupported), nil
}

// fileByFID maps identifiers to names (ICAO 9303-10 table 39).
func fileName(fid uint16) string {
	switch fid {
	case 0x011C:
		return chip.FileCardAccess
	case 0x011E:
		return chip.FileCOM
	case 0x011D:
		return chip.FileSOD
	}
	if fid > 0x0100 && fid <= 0x0110 {
		return "DG" + strconv.Itoa(int(fid-0x0100))
	}
	return ""
}

func (s *SoftCard) selectFile(c apdu.Command, secured bool) apdu.Response {
	switch c.P1 {
	case 0x00:
		if !s.opts.SelectMF {
			return status(apdu.SWINSNotSupported)
		}
		if len(c.Data) == 0 || bytes.Equal(c.Data, []byte{0x3F, 0}) {
			s.app, s.current = false, ""
			return status(apdu.SWOK)
		}
		return status(apdu.SWFileNotFound)
	case 0x04:
		if !bytes.Equal(c.Data, []byte{0xA0, 0, 0, 2, 0x47, 0x10, 0x01}) {
			return status(apdu.SWFileNotFound)
		}
		s.app, s.current = true, ""
		return status(apdu.SWOK)
	case 0x02:
		if len(c.Data) != 2 {
			return status(apdu.SWLcInconsistent)
		}
		name := fileName(uint16(c.Data[0])<<8 | uint16(c.Data[1]))
		if sw := s.access(name, secured); sw != apdu.SWOK {
			return status(sw)
		}
		s.current = name
		return status(apdu.SWOK)
	}
	return status(apdu.SWWrongP1P2)
}

// access applies the access rules: EF.CardAccess is free; everything in
// the application needs BAC or PACE; DG3 and DG4 need terminal
// authentication, which this card does not offer.
func (s *SoftCard) access(name string, secured bool) uint16 {
	if name == chip.FileCardAccess {
		if _, ok := s.card.Files[name]; ok {
			return apdu.SWOK
		}
		return apdu.SWFileNotFound
	}
	if name == "" {
		return apdu.SWFileNotFound
	}
	if !secured || name == "DG3" || name == "DG4" {
		return apdu.SWSecurityNotSatisfied
	}
	if _, ok := s.card.Files[name]; !ok {
		return apdu.SWFileNotFound
	}
	return apdu.SWOK
}

func (s *SoftCard) readBinary(c apdu.Command, secured bool) apdu.Response {
	offset := 0
	switch {
	case c.INS == 0xB0 && c.P1&0x80 != 0:
		sfi := c.P1 & 0x1F
		name := fileName(0x0100 | uint16(sfi)) // SFI n is file 01nn (ICAO 9303-10 table 39)
		if sw := s.access(name, secured); sw != apdu.SWOK {
			return status(sw)
		}
		s.current, offset = name, int(c.P2)
	case c.INS == 0xB0:
		offset = int(c.P1)<<8 | int(c.P2)
	default: // B1 on the current EF: data 54 L offset
		if c.P1 != 0 || c.P2 != 0 {
			return status(apdu.SWWrongP1P2)
		}
		in := tlv.String(c.Data)
		var off tlv.String
		if !in.ReadTLV(0x54, &off) || !in.Empty() || len(off) == 0 || len(off) > 3 {
			return status(apdu.SWWrongData)
		}
		for _, b := range off {
			offset = offset<<8 | int(b)
		}
	}
	if s.current == "" {
		return status(apdu.SWCommandNotAllowed)
	}
	if sw := s.access(s.current, secured); sw != apdu.SWOK {
		return status(sw)
	}
	if c.Ne == 0 || (s.opts.MaxLe > 0 && c.Ne > s.opts.MaxLe && offset >= s.opts.MaxLeOffset) {
		return status(apdu.SWWrongLength)
	}
	f := s.card.Files[s.current]
	if offset > len(f) {
		return status(apdu.SWWrongOffset)
	}
	n := c.Ne
	if c.INS == 0xB1 {
		n -= 2 + len(tlv.AppendLength(nil, n))
		if n <= 0 {
			return status(apdu.SWWrongLength)
		}
	}
	end := min(offset+n, len(f))
	data := f[offset:end]
	code := apdu.SWOK
	if end-offset < n {
		code = apdu.SWEndOfFile
	}
	if c.INS == 0xB1 {
		out := append([]byte{0x53}, tlv.AppendLength(nil, len(data))...)
		data = append(out, data...)
	}
	return apdu.Response{Data: bytes.Clone(data), SW: code}
}

func (s *SoftCard) externalAuthenticate(c apdu.Command) (apdu.Response, *sm.Channel) {
	if s.rndIC == nil || !s.hasMRZ {
		return status(apdu.SWConditionsNotSatisfied), nil
	}
	rnd := s.rndIC
	s.rndIC = nil
	resp, ch, err := bac.ChipResponse(s.bacK, rnd, c.Data, s.rand)
	if err != nil {
		return status(s.opts.WrongPasswordSW), nil
	}
	return apdu.Response{Data: resp, SW: apdu.SWOK}, ch
}

func (s *SoftCard) manageSecurityEnvironment(c apdu.Command, secured bool) (apdu.Response, *sm.Channel) {
	switch {
	case c.P1 == 0xC1 && c.P2 == 0xA4 && !secured: // PACE
		if s.pace == nil || s.opts.RefusePACE {
			return status(apdu.SWWrongData), nil
		}
		objs, ok := parseObjects(c.Data)
		oid, _ := asn1.Marshal(s.pace.OID)
		if !ok || !bytes.Equal(objs[0x80], oid[2:]) {
			return status(apdu.SWWrongData), nil
		}
		var secret []byte
		switch {
		case bytes.Equal(objs[0x83], []byte{byte(pace.PasswordCAN)}) && s.can != "":
			secret = []byte(s.can)
		case bytes.Equal(objs[0x83], []byte{byte(pace.PasswordMRZ)}) && s.opts.RefusePACEWithMRZ:
			return status(apdu.SWSecurityNotSatisfied), nil
		case bytes.Equal(objs[0x83], []byte{byte(pace.PasswordMRZ)}) && s.hasMRZ:
			dg1, _ := chip.ParseDG1(s.card.Files["DG1"])
			doc, _ := dg1.Document()
			d, b, e, _ := bac.KeyFields(doc.Lines())
			info, _ := bac.MRZInformation(d, b, e)
			sum := sha1.Sum([]byte(info))
			secret = sum[:]
		default:
			return status(apdu.SWReferenceNotFound), nil
		}
		if p, ok := objs[0x84]; ok && !bytes.Equal(p, []byte{byte(s.param)}) {
			return status(apdu.SWReferenceNotFound), nil
		} else if !ok && s.opts.RequireParameterID {
			return status(apdu.SWWrongData), nil
		}
		run, err := pace.NewChip(*s.pace, s.param, secret, s.rand)
		if err != nil {
			return status(apdu.SWWrongData), nil
		}
		s.paceRun = run
		return status(apdu.SWOK), nil
	case c.P1 == 0x41 && c.P2 == 0xA4 && secured: // chip authentication, AES
		if s.caP == nil || s.caP.Cipher == sm.TDES {
			return status(apdu.SWWrongData), nil
		}
		objs, ok := parseObjects(c.Data)
		if !ok || len(objs[0x80]) == 0 {
			return status(apdu.SWWrongData), nil
		}
		s.caSet = true
		return status(apdu.SWOK), nil
	case c.P1 == 0x41 && c.P2 == 0xA6 && secured: // chip authentication, 3DES (Set KAT)
		objs, ok := parseObjects(c.Data)
		if !ok || s.caP == nil || s.caP.Cipher != sm.TDES {
			return status(apdu.SWWrongData), nil
		}
		ch, err := s.caChannel(objs[0x91])
		if err != nil {
			return status(apdu.SWWrongData), nil
		}
		return status(apdu.SWOK), ch
	}
	return status(apdu.SWWrongP1P2), nil
}

func (s *SoftCard) caChannel(pkIFD []byte) (*sm.Channel, error) {
	sk, g, err := caScalar(s.card.CAKey)
	if err != nil {
		return nil, err
	}
	defer clear(sk)
	if err := g.Validate(pkIFD); err != nil {
		return nil, err
	}
	return ca.Channel(*s.caP, g, sk, pkIFD)
}

// parseObjects reads simple one-byte-tag data objects.
func parseObjects(b []byte) (map[byte][]byte, bool) {
	out := map[byte][]byte{}
	for len(b) > 0 {
		t, v, _, rest, err := tlv.Next(b)
		if err != nil || t > 0xFF {
			return nil, false
		}
		out[byte(t)] = v
		b = rest
	}
	return out, true
}

func (s *SoftCard) generalAuthenticate(c apdu.Command, secured bool) (apdu.Response, *sm.Channel) {
	in, err := pace.ParseAuthData(c.Data)
	if err != nil {
		return status(apdu.SWWrongData), nil
	}
	var out pace.AuthData
	if secured {
		pk, ok := in.Get(0x80)
		if !s.caSet || !ok {
			return status(apdu.SWConditionsNotSatisfied), nil
		}
		s.caSet = false
		ch, err := s.caChannel(pk)
		if err != nil {
			return status(apdu.SWWrongData), nil
		}
		return apdu.Response{Data: out.Encode(), SW: apdu.SWOK}, ch
	}
	run := s.paceRun
	if run == nil {
		return status(apdu.SWConditionsNotSatisfied), nil
	}
	fail := func(sw uint16) (apdu.Response, *sm.Channel) {
		s.paceRun = nil
		return status(sw), nil
	}
	switch {
	case len(c.Data) == 2: // 7C 00
		z, err := run.Nonce()
		if err != nil {
			return fail(apdu.SWConditionsNotSatisfied)
		}
		out.Add(0x80, z)
	case has(in, 0x81):
		v, _ := in.Get(0x81)
		pk, err := run.Map(v)
		if err != nil {
			return fail(apdu.SWWrongData)
		}
		out.Add(0x82, pk)
	case has(in, 0x83):
		v, _ := in.Get(0x83)
		pk, err := run.Agree(v)
		if err != nil {
			return fail(apdu.SWWrongData)
		}
		out.Add(0x84, pk)
	case has(in, 0x85):
		v, _ := in.Get(0x85)
		tok, ch, err := run.Authenticate(v)
		s.paceRun = nil
		if err != nil {
			return status(s.opts.WrongPasswordSW), nil
		}
		out.Add(0x86, tok)
		return apdu.Response{Data: out.Encode(), SW: apdu.SWOK}, ch
	default:
		return fail(apdu.SWWrongData)
	}
	return apdu.Response{Data: out.Encode(), SW: apdu.SWOK}, nil
}

func has(a *pace.AuthData, tag byte) bool { _, ok := a.Get(tag); return ok }

func (s *SoftCard) internalAuthenticate(c apdu.Command, secured bool) apdu.Response {
	if !secured {
		return status(apdu.SWSecurityNotSatisfied)
	}
	if s.card.AAKey == nil {
		return status(apdu.SWINSNotSupported)
	}
	if len(c.Data) != chip.ChallengeSize {
		return status(apdu.SWWrongData)
	}
	sig, err := s.card.RespondAA(c.Data)
	if err != nil {
		return status(apdu.SWConditionsNotSatisfied)
	}
	if c.Ne < len(sig) {
		return status(apdu.SWWrongLength)
	}
	return apdu.Response{Data: sig, SW: apdu.SWOK}
}

// String describes the card without its files' content, keys or CAN.
func (s *SoftCard) String() string { return "chiptest.SoftCard{" + s.card.String() + "}" }

// GoString masks as String does.
func (s *SoftCard) GoString() string { return s.String() }

// Format masks as String does, for every verb.
func (s *SoftCard) Format(f fmt.State, _ rune) { io.WriteString(f, s.String()) }

// LogValue masks as String does.
func (s *SoftCard) LogValue() slog.Value { return slog.StringValue(s.String()) }
