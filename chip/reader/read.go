package reader

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/cancuoc/sdk/chip"
)

// Outcome says whether chip or active authentication ran and how it
// ended; its String is the JSON value of `cancuoc chip read`.
type Outcome int

// Outcomes.
const (
	Skipped      Outcome = iota // not asked for
	NotSupported                // the card has no key for it (no DG14 CA info, no DG15)
	OK                          // the chip proved it holds the private key
	Failed                      // it did not: a likely clone
)

// String returns "skipped", "not_supported", "ok" or "failed".
func (o Outcome) String() string {
	switch o {
	case NotSupported:
		return "not_supported"
	case OK:
		return "ok"
	case Failed:
		return "failed"
	}
	return "skipped"
}

// Options configures Read. Password is required; the zero value of every
// other field is usable.
type Options struct {
	// Password is the CAN (PACE) or the MRZ fields (PACE or BAC).
	Password Password
	// ChipAuthentication and ActiveAuthentication ask for the two
	// anti-cloning protocols; each is skipped when false.
	ChipAuthentication   bool
	ActiveAuthentication bool
	// Files lists what to read; nil means EF.COM, EF.SOD and every data
	// group EF.COM lists except DG3 and DG4 (they need terminal
	// authentication). EF.CardAccess is always read.
	Files []string
	// Rand, Trace and Progress are those of SessionOptions.
	Rand     io.Reader
	Trace    io.Writer
	Progress func(file string, read, total int)
}

// Result is what Read got.
type Result struct {
	// Access names the access control that opened the chip:
	// "PACE-ECDH-GM-AES-128", "BAC"...
	Access string
	// Files holds every file read, raw, by name (chip.Files), ready for
	// chip.Verify.
	Files chip.Files
	// ChipAuthentication and ActiveAuthentication are the outcomes;
	// CAError and AAError say why one failed.
	ChipAuthentication, ActiveAuthentication Outcome
	CAError, AAError                         error
	// APDUs and Bytes count the exchange.
	APDUs, Bytes int
}

// Read reads a card through t the way ICAO 9303-11 lays out: EF.CardAccess
// (by SFI, without selecting the MF, which the CCCD refuses), PACE when
// EF.CardAccess offers a protocol this package implements, else BAC; BAC
// also when the card answers PACE with a status that means "not
// supported" (never after a wrong password). Then the eMRTD application,
// EF.COM, DG14 and chip authentication when asked, the other files, and
// active authentication when asked.
//
// A wrong password is ErrAccessDenied and no file is read. Chip and
// active authentication failures do not stop the read: they are recorded
// in the Result (a clone answers passive authentication but fails both),
// and Read returns the Result with an error wrapping
// ErrChipAuthentication or ErrActiveAuthentication. A chip that fails
// chip authentication drops the secure session, so Read opens a new one
// with the same password and reads on.
//
// Read does not verify passive authentication: call chip.Verify on
// Result.Files; active and chip authentication mean something only for
// a DG14/DG15 that passive authentication accepts.
func Read(ctx context.Context, t Transceiver, opts Options) (*Result, error) {
	s := NewSession(t, SessionOptions{Rand: opts.Rand, Trace: opts.Trace, Progress: opts.Progress})
	defer s.Close()
	res := &Result{Files: chip.Files{}}
	err := read(ctx, s, opts, res)
	res.APDUs, res.Bytes = s.APDUs(), s.Bytes()
	if err != nil {
		return res, err
	}
	switch {
	case res.ChipAuthentication == Failed:
		return res, res.CAError
	case res.ActiveAuthentication == Failed:
		return res, res.AAError
	}
	return res, nil
}

func read(ctx context.Context, s *Session, opts Options, res *Result) error {
	open, err := s.openAccess(ctx, opts.Password, res)
	if err != nil {
		return err
	}
	com, err := s.ReadFile(ctx, chip.FileCOM)
	if err != nil {
		return err
	}
	res.Files[chip.FileCOM] = com
	names := opts.Files
	if names == nil {
		if names, err = filesOf(com); err != nil {
			return err
		}
	}
	// DG14 first: chip authentication needs it, and the first file read
	// after chip authentication tells whether it worked.
	if slices.Contains(names, "DG14") {
		names = append([]string{"DG14"}, slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == "DG14" })...)
	}
	caPending := false
	for i := 0; i < len(names); i++ {
		name := names[i]
		if name == chip.FileCOM {
			continue
		}
		b, err := s.ReadFile(ctx, name)
		switch {
		case err == nil:
			res.Files[name] = b
			caPending = false
		case caPending && errors.Is(err, ErrChipAuthentication):
			res.ChipAuthentication, res.CAError, caPending = Failed, err, false
			if err := open(ctx); err != nil {
				return err
			}
			i-- // read the file again on the new session
			continue
		case errors.Is(err, ErrAccessDenied), errors.Is(err, ErrNotSupported):
			var e *Error
			if errors.As(err, &e) && e.SW != 0 {
				continue // 6982 (needs terminal authentication) or 6A82: not readable
			}
			return err
		default:
			return err
		}
		if name == "DG14" && opts.ChipAuthentication {
			err := s.ChipAuthentication(ctx, b)
			switch {
			case err == nil:
				caPending = true
				res.ChipAuthentication = OK // confirmed by the next response
			case errors.Is(err, ErrNotSupported):
				res.ChipAuthentication = NotSupported
			case errors.Is(err, ErrChipAuthentication):
				res.ChipAuthentication, res.CAError = Failed, err
				if err := open(ctx); err != nil {
					return err
				}
			default:
				return err
			}
		}
	}
	if caPending {
		// No file came after chip authentication: ask one protected
		// command to confirm the new keys.
		if err := s.SelectApplication(ctx); err != nil {
			if !errors.Is(err, ErrChipAuthentication) {
				return err
			}
			res.ChipAuthentication, res.CAError = Failed, err
			if err := open(ctx); err != nil {
				return err
			}
		}
	}
	if opts.ChipAuthentication && res.ChipAuthentication == Skipped {
		res.ChipAuthentication = NotSupported
	}
	if opts.ActiveAuthentication {
		res.ActiveAuthentication, res.AAError = s.activeAuthentication(ctx, res.Files)
		if res.ActiveAuthentication == Failed && !errors.Is(res.AAError, ErrActiveAuthentication) {
			return res.AAError // transport or secure-messaging failure
		}
	}
	return nil
}

// openAccess reads EF.CardAccess and runs PACE or BAC, then selects the
// application. It returns a function that does it again (after a failed
// chip authentication).
func (s *Session) openAccess(ctx context.Context, pw Password, res *Result) (func(context.Context) error, error) {
	access, err := s.ReadFile(ctx, chip.FileCardAccess)
	var info PACEInfo
	offered := false
	if err == nil {
		res.Files[chip.FileCardAccess] = access
		if ca, perr := chip.ParseCardAccess(access); perr == nil {
			info, offered = SupportedPACE(ca)
		}
	} else if !errors.Is(err, ErrNotSupported) && !errors.Is(err, ErrAccessDenied) && !errors.Is(err, ErrCardStatus) {
		return nil, err // transport failure, cancelled
	}
	open := func(ctx context.Context) error {
		if offered {
			err := s.PACE(ctx, pw, info)
			if err == nil {
				res.Access = info.String()
				return s.SelectApplication(ctx)
			}
			if !errors.Is(err, ErrNotSupported) || !pw.IsMRZ() {
				return err
			}
			// The card refuses the protocol: fall back to BAC.
		}
		if err := s.selectPlain(ctx); err != nil {
			return err
		}
		if err := s.BAC(ctx, pw); err != nil {
			return err
		}
		res.Access = "BAC"
		return nil
	}
	return open, open(ctx)
}

// selectPlain selects the application in the clear, before BAC.
func (s *Session) selectPlain(ctx context.Context) error {
	s.ch = nil
	return s.SelectApplication(ctx)
}

// activeAuthentication runs INTERNAL AUTHENTICATE with a fresh challenge
// and checks the answer with chip.VerifyActiveAuthentication.
func (s *Session) activeAuthentication(ctx context.Context, files chip.Files) (Outcome, error) {
	dg15, ok := files["DG15"]
	if !ok {
		return NotSupported, nil
	}
	challenge, err := s.newChallenge()
	if err != nil {
		return Failed, err
	}
	sig, err := s.InternalAuthenticate(ctx, challenge)
	if err != nil {
		var e *Error
		if errors.As(err, &e) && e.SW != 0 {
			return Failed, &Error{Step: "active authentication", SW: e.SW, Err: ErrActiveAuthentication}
		}
		return Failed, err
	}
	if err := chip.VerifyActiveAuthentication(dg15, files["DG14"], challenge, sig); err != nil {
		return Failed, &Error{Step: "active authentication", Err: ErrActiveAuthentication, Detail: err.Error()}
	}
	return OK, nil
}

// filesOf returns EF.SOD and the data groups EF.COM lists, without DG3
// and DG4.
func filesOf(com []byte) ([]string, error) {
	c, err := chip.ParseCOM(com)
	if err != nil {
		return nil, &Error{Step: "read EF.COM", Err: ErrMalformed, Detail: "EF.COM does not parse"}
	}
	names := []string{chip.FileSOD}
	for _, n := range c.DataGroups() {
		if n == 3 || n == 4 {
			continue
		}
		names = append(names, "DG"+strconv.Itoa(n))
	}
	return names, nil
}

// String summarises the result: access, outcomes, file sizes, counts;
// never the files' content.
func (r *Result) String() string {
	if r == nil {
		return "reader.Result(nil)"
	}
	names := make([]string, 0, len(r.Files))
	for n := range r.Files {
		names = append(names, n)
	}
	slices.Sort(names)
	var b strings.Builder
	fmt.Fprintf(&b, "reader.Result{%s CA:%s AA:%s", r.Access, r.ChipAuthentication, r.ActiveAuthentication)
	for _, n := range names {
		fmt.Fprintf(&b, " %s:%dB", n, len(r.Files[n]))
	}
	fmt.Fprintf(&b, " APDUs:%d}", r.APDUs)
	return b.String()
}

// GoString masks as String does.
func (r *Result) GoString() string { return r.String() }

// Format masks as String does, for every verb.
func (r *Result) Format(f fmt.State, _ rune) { io.WriteString(f, r.String()) }

// LogValue masks as String does.
func (r *Result) LogValue() slog.Value { return slog.StringValue(r.String()) }
