package reader_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/chip/chiptest"
	"github.com/cancuoc/sdk/chip/reader"
)

// smallRead reads only DG1 and DG14 (with CA and AA) to keep the matrix fast.
func smallRead(pw reader.Password) reader.Options {
	return reader.Options{Password: pw, Files: []string{"DG1", "DG14", "DG15"}, ChipAuthentication: true, ActiveAuthentication: true}
}

// Every PACE protocol (ECDH and DH generic mapping, 3DES and AES-128/192/256)
// on every standardized group this SDK implements, reader ↔ software card.
func TestRoundTripPACE(t *testing.T) {
	groups := map[bool][]string{
		true:  {"brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1", "P-256", "P-384", "P-521"},
		false: {"MODP-1024-160", "MODP-2048-224", "MODP-2048-256"},
	}
	for _, ka := range []string{"ECDH", "DH"} {
		for _, c := range []string{"3DES", "AES-128", "AES-192", "AES-256"} {
			for _, g := range groups[ka == "ECDH"] {
				name := "PACE-" + ka + "-GM-" + c
				if testing.Short() && g != "brainpoolP256r1" && g != "MODP-1024-160" {
					continue
				}
				t.Run(name+"/"+g, func(t *testing.T) {
					_, card := issue(t, chiptest.Options{PACE: name, PACEGroup: g})
					res, err := reader.Read(context.Background(), softCard(t, card, chiptest.SoftCardOptions{}), smallRead(can(t)))
					if err != nil {
						t.Fatal(err)
					}
					if res.Access != name || res.ChipAuthentication != reader.OK || res.ActiveAuthentication != reader.OK {
						t.Fatalf("access %s CA %v AA %v", res.Access, res.ChipAuthentication, res.ActiveAuthentication)
					}
					if !bytes.Equal(res.Files["DG1"], card.Files["DG1"]) {
						t.Fatal("DG1 differs")
					}
				})
			}
		}
	}
}

// PACE-ECDH-IM-AES-128 (integrated mapping) on the brainpool and NIST curves.
func TestRoundTripIntegratedMapping(t *testing.T) {
	for _, g := range []string{"brainpoolP256r1", "P-256", "brainpoolP512r1"} {
		_, card := issue(t, chiptest.Options{PACE: "PACE-ECDH-IM-AES-128", PACEGroup: g})
		res, err := reader.Read(context.Background(), softCard(t, card, chiptest.SoftCardOptions{}), smallRead(can(t)))
		if err != nil || res.Access != "PACE-ECDH-IM-AES-128" {
			t.Fatalf("%s: %v %v", g, res.Access, err)
		}
	}
}

// PACE with the MRZ password, and BAC (3DES) on a card without
// EF.CardAccess; a wrong MRZ is ErrAccessDenied for both.
func TestRoundTripMRZAndBAC(t *testing.T) {
	for _, p := range []string{"", "none"} {
		is, card := issue(t, chiptest.Options{PACE: p})
		pw := mrzPassword(t, card)
		res, err := reader.Read(context.Background(), softCard(t, card, chiptest.SoftCardOptions{}),
			reader.Options{Password: pw, ChipAuthentication: true, ActiveAuthentication: true})
		if err != nil {
			t.Fatalf("%q: %v", p, err)
		}
		want := map[string]string{"": "PACE-ECDH-GM-AES-128", "none": "BAC"}[p]
		if res.Access != want || res.ChipAuthentication != reader.OK || res.ActiveAuthentication != reader.OK {
			t.Fatalf("access %s CA %v AA %v", res.Access, res.ChipAuthentication, res.ActiveAuthentication)
		}
		checkRead(t, is, card, res)
		// The same with extended length: whole files in one protected READ BINARY.
		ext, err := reader.Read(context.Background(), limited{softCard(t, card, chiptest.SoftCardOptions{})},
			reader.Options{Password: pw, ChipAuthentication: true, ActiveAuthentication: true})
		if err != nil || ext.APDUs >= res.APDUs {
			t.Fatalf("%q extended: %v, %d APDUs (short: %d)", p, err, ext.APDUs, res.APDUs)
		}
		checkRead(t, is, card, ext)
		bad, _ := reader.MRZ("000000000", "900101", "300101")
		res, err = reader.Read(context.Background(), softCard(t, card, chiptest.SoftCardOptions{}), reader.Options{Password: bad})
		if !errors.Is(err, reader.ErrAccessDenied) || len(res.Files) > 1 {
			t.Fatalf("%q wrong MRZ: %v, %d files", p, err, len(res.Files))
		}
	}
}

// Chip authentication with every cipher and curve DG14 can name.
func TestRoundTripChipAuthentication(t *testing.T) {
	for _, c := range []string{"CA-ECDH-3DES", "CA-ECDH-AES-128", "CA-ECDH-AES-192", "CA-ECDH-AES-256"} {
		for _, curve := range []string{"brainpoolP256r1", "brainpoolP384r1", "brainpoolP512r1", "P-256", "P-384", "P-521"} {
			if testing.Short() && curve != "brainpoolP256r1" && curve != "P-256" {
				continue
			}
			_, card := issue(t, chiptest.Options{ChipAuthentication: c, CACurve: curve})
			res, err := reader.Read(context.Background(), softCard(t, card, chiptest.SoftCardOptions{}), smallRead(can(t)))
			if err != nil || res.ChipAuthentication != reader.OK {
				t.Fatalf("%s %s: %v %v", c, curve, res.ChipAuthentication, err)
			}
		}
	}
	for _, c := range []string{"CA-DH-3DES", "CA-DH-AES-128", "CA-DH-AES-256"} {
		for _, group := range []string{"MODP-1024-160", "MODP-2048-224", "MODP-2048-256"} {
			if testing.Short() && group != "MODP-2048-256" {
				continue
			}
			_, card := issue(t, chiptest.Options{ChipAuthentication: c, CACurve: group})
			res, err := reader.Read(context.Background(), softCard(t, card, chiptest.SoftCardOptions{}), smallRead(can(t)))
			if err != nil || res.ChipAuthentication != reader.OK {
				t.Fatalf("%s %s: %v %v", c, group, res.ChipAuthentication, err)
			}
		}
	}
	// No chip authentication on the card: not_supported.
	_, card := issue(t, chiptest.Options{ChipAuthentication: "none"})
	res, err := reader.Read(context.Background(), softCard(t, card, chiptest.SoftCardOptions{}), smallRead(can(t)))
	if err != nil || res.ChipAuthentication != reader.NotSupported {
		t.Fatalf("%v %v", res.ChipAuthentication, err)
	}
}

// Active authentication with RSA (ISO/IEC 9796-2) and brainpool ECDSA keys.
func TestRoundTripActiveAuthentication(t *testing.T) {
	for _, kt := range []chiptest.KeyType{chiptest.RSA2048, chiptest.BrainpoolP512r1, chiptest.ECDSAP521} {
		_, card := issue(t, chiptest.Options{AAKeyType: kt})
		res, err := reader.Read(context.Background(), softCard(t, card, chiptest.SoftCardOptions{}), smallRead(can(t)))
		if err != nil || res.ActiveAuthentication != reader.OK {
			t.Fatalf("%v: %v %v", kt, res.ActiveAuthentication, err)
		}
	}
}

// A cloned chip: the genuine card's files, other CA and AA keys. The read
// succeeds, passive authentication passes, chip and active authentication
// fail, and the error says so.
func TestClonedCard(t *testing.T) {
	is, card := issue(t, chiptest.Options{})
	_, other := issue(t, chiptest.Options{Seed: "another chip"})
	clone := &chiptest.Card{Files: card.Files, AAKey: other.AAKey, CAKey: other.CAKey}
	res, err := reader.Read(context.Background(), softCard(t, clone, chiptest.SoftCardOptions{}),
		reader.Options{Password: can(t), ChipAuthentication: true, ActiveAuthentication: true})
	if !errors.Is(err, reader.ErrChipAuthentication) {
		t.Fatalf("err = %v", err)
	}
	if res.ChipAuthentication != reader.Failed || res.ActiveAuthentication != reader.Failed ||
		!errors.Is(res.CAError, reader.ErrChipAuthentication) || !errors.Is(res.AAError, reader.ErrActiveAuthentication) {
		t.Fatalf("CA %v (%v), AA %v (%v)", res.ChipAuthentication, res.CAError, res.ActiveAuthentication, res.AAError)
	}
	checkRead(t, is, card, res)
}

// flipper flips one bit of the n-th response that carries secure
// messaging data objects.
type flipper struct {
	t      reader.Transceiver
	n, bit int
	seen   int
}

func (f *flipper) Transmit(ctx context.Context, cmd []byte) ([]byte, error) {
	r, err := f.t.Transmit(ctx, cmd)
	if err != nil || len(cmd) == 0 || cmd[0]&0x0C != 0x0C || len(r) <= 2 {
		return r, err
	}
	f.seen++
	if f.seen == f.n {
		r = bytes.Clone(r)
		r[(f.bit/8)%(len(r)-2)] ^= 1 << (f.bit % 8)
	}
	return r, nil
}

// One bit flipped in a protected response, anywhere in the read, ends it
// with ErrSecureMessaging (never a silently wrong file).
func TestTamperedResponses(t *testing.T) {
	_, card := issue(t, chiptest.Options{})
	for n := 1; n <= 12; n++ {
		for _, bit := range []int{0, 7, 13, 100, 333, 1001} {
			f := &flipper{t: softCard(t, card, chiptest.SoftCardOptions{}), n: n, bit: bit}
			res, err := reader.Read(context.Background(), f, reader.Options{Password: can(t), Files: []string{"DG1", "DG13", "DG14"}, ChipAuthentication: true})
			if f.seen < n {
				break // fewer protected responses than n
			}
			if !errors.Is(err, reader.ErrSecureMessaging) {
				t.Fatalf("response %d bit %d: err = %v", n, bit, err)
			}
			for name, b := range res.Files {
				if !bytes.Equal(b, card.Files[name]) {
					t.Fatalf("response %d bit %d: %s returned altered", n, bit, name)
				}
			}
		}
	}
}

// limited is a transceiver that announces extended length.
type limited struct{ reader.Transceiver }

func (limited) Limits() reader.Limits { return reader.Limits{ExtendedLength: true} }

// t0 plays a T=0 reader: it hands out at most 32 response bytes at a
// time with 61xx and serves the rest through GET RESPONSE.
type t0 struct {
	reader.Transceiver
	pending []byte
}

func (r *t0) Transmit(ctx context.Context, cmd []byte) ([]byte, error) {
	var resp []byte
	if len(cmd) == 5 && cmd[0] == 0 && cmd[1] == 0xC0 {
		resp, r.pending = r.pending, nil
	} else {
		var err error
		if resp, err = r.Transceiver.Transmit(ctx, cmd); err != nil {
			return nil, err
		}
	}
	if len(resp) <= 34 {
		return resp, nil
	}
	r.pending = resp[32:]
	rest := len(resp) - 32 - 2
	out := append(bytes.Clone(resp[:32]), 0x61, byte(min(rest, 255)))
	return out, nil
}

// A reader that answers 61xx: the session collects the response with GET
// RESPONSE, through PACE, secure messaging, CA and AA.
func TestGetResponse(t *testing.T) {
	is, card := issue(t, chiptest.Options{})
	res, err := reader.Read(context.Background(), &t0{Transceiver: softCard(t, card, chiptest.SoftCardOptions{})},
		reader.Options{Password: can(t), ChipAuthentication: true, ActiveAuthentication: true})
	if err != nil || res.ChipAuthentication != reader.OK || res.ActiveAuthentication != reader.OK {
		t.Fatalf("%v %v", res, err)
	}
	checkRead(t, is, card, res)
}

// Every quirk option of the software card.
func TestQuirks(t *testing.T) {
	is, card := issue(t, chiptest.Options{})
	full := func(t *testing.T, tr reader.Transceiver) *reader.Result {
		t.Helper()
		res, err := reader.Read(context.Background(), tr, reader.Options{Password: can(t), ChipAuthentication: true, ActiveAuthentication: true})
		if err != nil {
			t.Fatal(err)
		}
		checkRead(t, is, card, res)
		return res
	}
	t.Run("SelectMF", func(t *testing.T) {
		full(t, softCard(t, card, chiptest.SoftCardOptions{SelectMF: true}))
	})
	t.Run("MaxLe", func(t *testing.T) {
		for _, le := range []int{200, 100, 50} {
			full(t, softCard(t, card, chiptest.SoftCardOptions{MaxLe: le}))
		}
	})
	t.Run("MaxLeMidFile", func(t *testing.T) {
		// The card refuses the reader's chunk only past offset 5000 of DG2:
		// two refusals (223, then 160), then 128-byte chunks to the end.
		base := full(t, softCard(t, card, chiptest.SoftCardOptions{}))
		res := full(t, softCard(t, card, chiptest.SoftCardOptions{MaxLe: 128, MaxLeOffset: 5000}))
		if res.APDUs <= base.APDUs+2 {
			t.Fatalf("%d APDUs, %d without the quirk: no fallback mid-file", res.APDUs, base.APDUs)
		}
	})
	t.Run("NoExtendedLength", func(t *testing.T) {
		full(t, limited{softCard(t, card, chiptest.SoftCardOptions{NoExtendedLength: true})})
	})
	t.Run("ExtendedLength", func(t *testing.T) {
		full(t, limited{softCard(t, card, chiptest.SoftCardOptions{})})
	})
	t.Run("WrongPasswordSW", func(t *testing.T) {
		pw, _ := reader.CAN("111111")
		_, err := reader.Read(context.Background(), softCard(t, card, chiptest.SoftCardOptions{WrongPasswordSW: 0x63C2}), reader.Options{Password: pw})
		var e *reader.Error
		if !errors.Is(err, reader.ErrAccessDenied) || !errors.As(err, &e) || e.SW != 0x63C2 {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("RemoveAfter", func(t *testing.T) {
		for _, n := range []int{1, 3, 9, 40} {
			_, err := reader.Read(context.Background(), softCard(t, card, chiptest.SoftCardOptions{RemoveAfter: n}), reader.Options{Password: can(t)})
			if !errors.Is(err, reader.ErrCardRemoved) {
				t.Fatalf("after %d: err = %v", n, err)
			}
		}
	})
	t.Run("RefusePACEWithMRZ", func(t *testing.T) {
		// 6982 to MSE:Set AT with the MRZ: BAC; the CAN still opens PACE.
		res, err := reader.Read(context.Background(), softCard(t, card, chiptest.SoftCardOptions{RefusePACEWithMRZ: true}), reader.Options{Password: mrzPassword(t, card)})
		if err != nil || res.Access != "BAC" {
			t.Fatalf("%v %v", res.Access, err)
		}
		if res := full(t, softCard(t, card, chiptest.SoftCardOptions{RefusePACEWithMRZ: true})); res.Access != "PACE-ECDH-GM-AES-128" {
			t.Fatal(res.Access)
		}
	})
	t.Run("RequireParameterID", func(t *testing.T) {
		// MSE:Set AT again with tag 84: one more APDU than the fewest.
		res := full(t, softCard(t, card, chiptest.SoftCardOptions{RequireParameterID: true}))
		if res.Access != "PACE-ECDH-GM-AES-128" {
			t.Fatal(res.Access)
		}
	})
	t.Run("RefusePACE", func(t *testing.T) {
		// With the MRZ the reader falls back to BAC; with a CAN it cannot.
		res, err := reader.Read(context.Background(), softCard(t, card, chiptest.SoftCardOptions{RefusePACE: true}), reader.Options{Password: mrzPassword(t, card)})
		if err != nil || res.Access != "BAC" {
			t.Fatalf("%v %v", res.Access, err)
		}
		_, err = reader.Read(context.Background(), softCard(t, card, chiptest.SoftCardOptions{RefusePACE: true}), reader.Options{Password: can(t)})
		if !errors.Is(err, reader.ErrNotSupported) {
			t.Fatalf("err = %v", err)
		}
	})
}

// Offsets past 32767 use the odd INS B1; files up to 64 KB read whole;
// larger ones are refused.
func TestLargeFiles(t *testing.T) {
	_, card := issue(t, chiptest.Options{})
	for _, size := range []int{40000, 65535} {
		big := make([]byte, size)
		body := size - 4
		big[0], big[1], big[2], big[3] = 0x75, 0x82, byte(body>>8), byte(body)
		for i := 4; i < size; i++ {
			big[i] = byte(i * 7)
		}
		c := &chiptest.Card{Files: chip.Files{}, AAKey: card.AAKey, CAKey: card.CAKey}
		for k, v := range card.Files {
			c.Files[k] = v
		}
		c.Files["DG2"] = big
		for _, tr := range []reader.Transceiver{softCard(t, c, chiptest.SoftCardOptions{}), limited{softCard(t, c, chiptest.SoftCardOptions{})}} {
			res, err := reader.Read(context.Background(), tr, reader.Options{Password: can(t), Files: []string{"DG2"}})
			if err != nil || !bytes.Equal(res.Files["DG2"], big) {
				t.Fatalf("%d bytes: %v", size, err)
			}
		}
	}
	huge := make([]byte, 70000)
	huge[0], huge[1], huge[2], huge[3], huge[4] = 0x75, 0x83, 0x01, 0x11, 0x6B
	c := &chiptest.Card{Files: chip.Files{"EF.CardAccess": card.Files["EF.CardAccess"], "EF.COM": card.Files["EF.COM"], "DG2": huge}}
	_, err := reader.Read(context.Background(), softCard(t, c, chiptest.SoftCardOptions{}), reader.Options{Password: can(t), Files: []string{"DG2"}})
	if !errors.Is(err, reader.ErrNotSupported) {
		t.Fatalf("70000-byte file: %v", err)
	}
}

// The context is checked between APDUs: cancelling from the progress
// callback stops the read at once.
func TestCancel(t *testing.T) {
	_, card := issue(t, chiptest.Options{})
	sc := softCard(t, card, chiptest.SoftCardOptions{})
	ctx, cancel := context.WithCancel(context.Background())
	var calls int
	_, err := reader.Read(ctx, sc, reader.Options{Password: can(t), Progress: func(file string, read, total int) {
		calls++
		if file == "DG2" {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	before := sc.APDUs()
	if before > 30 {
		t.Errorf("%d APDUs before stopping", before)
	}
}

// The trace shows APDUs but masks personal files' data and the password.
func TestTraceMasks(t *testing.T) {
	_, card := issue(t, chiptest.Options{})
	var trace strings.Builder
	_, err := reader.Read(context.Background(), softCard(t, card, chiptest.SoftCardOptions{}), reader.Options{Password: can(t), Trace: &trace, Files: []string{"DG1"}})
	if err != nil {
		t.Fatal(err)
	}
	out := trace.String()
	mrzHex := fmt.Sprintf("%x", card.Files["DG1"][5:20])
	if strings.Contains(strings.ToLower(out), mrzHex) || strings.Contains(out, "012345") || !strings.Contains(out, "masked") {
		t.Fatalf("trace leaks personal data:\n%s", out)
	}
	sc := softCard(t, card, chiptest.SoftCardOptions{})
	res, _ := reader.Read(context.Background(), sc, reader.Options{Password: can(t), Files: []string{"DG1"}})
	for _, v := range []string{fmt.Sprintf("%v %+v %#v %s", sc, sc, sc, sc), fmt.Sprintf("%v %+v %#v", res, res, res)} {
		if strings.Contains(v, "012345") || strings.Contains(v, "090012345") || strings.Contains(v, "[") {
			t.Fatalf("printed personal data: %s", v)
		}
	}
	if got := fmt.Sprint(can(t)) + fmt.Sprintf("%#v %v", can(t), mrzPassword(t, card)); strings.Contains(got, "012345") || strings.Contains(got, "090012345") {
		t.Fatalf("password printed: %s", got)
	}
}

// Concurrent reads of independent cards share nothing.
func TestConcurrentReads(t *testing.T) {
	_, card := issue(t, chiptest.Options{})
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := reader.Read(context.Background(), softCard(t, card, chiptest.SoftCardOptions{}), smallRead(can(t))); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

// A context cancelled during PACE comes back as the context's error.
func TestCancelDuringPACE(t *testing.T) {
	_, card := issue(t, chiptest.Options{})
	ctx, cancel := context.WithCancel(context.Background())
	tr := &cancelAfter{t: softCard(t, card, chiptest.SoftCardOptions{}), n: 3, cancel: cancel}
	_, err := reader.Read(ctx, tr, reader.Options{Password: can(t)})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

type cancelAfter struct {
	t      reader.Transceiver
	n      int
	cancel func()
}

func (c *cancelAfter) Transmit(ctx context.Context, cmd []byte) ([]byte, error) {
	if c.n--; c.n == 0 {
		c.cancel()
	}
	return c.t.Transmit(ctx, cmd)
}
