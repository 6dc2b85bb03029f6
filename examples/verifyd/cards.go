package main

import (
	"context"
	"crypto"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/cancuoc/sdk/cccd"
	"github.com/cancuoc/sdk/chip"
	"github.com/cancuoc/sdk/mrz"
)

// Values of a cross-check in the "checks" object of a card answer.
const (
	checkOK         = "ok"
	checkMismatch   = "mismatch"
	checkNotChecked = "not_checked" // one side is absent or unreadable
)

type cardRequest struct {
	// Files are the raw chip files; encoding/json decodes their base64
	// straight into bytes.
	Files  map[string][]byte `json:"files"`
	Expect *cardExpect       `json:"expect"`
}

// cardExpect is what the caller already knows of the holder.
type cardExpect struct {
	Number    string `json:"number"`
	BirthDate string `json:"birth_date"`
}

type cardResult struct {
	Valid      bool              `json:"valid"`
	Reason     string            `json:"reason"`
	DataGroups map[string]string `json:"data_groups"`
	Checks     map[string]string `json:"checks"`
	Holder     *cardHolder       `json:"holder,omitempty"`
}

// cardHolder is what a bank's onboarding flow needs from a genuine card.
// The number is masked unless the service is configured to return it.
type cardHolder struct {
	Number     string `json:"number"`
	Name       string `json:"name,omitempty"`
	BirthDate  string `json:"birth_date,omitempty"`
	Sex        string `json:"sex,omitempty"`
	ExpiryDate string `json:"expiry_date,omitempty"`
}

// maxFiles bounds the number of files one request may name: EF.COM, EF.SOD
// and at most 16 data groups.
const maxFiles = 18

// verifyCard answers POST /v1/cards/verify: passive authentication of the
// posted chip files, then cross-checks between the number, DG1's MRZ, DG13
// and what the caller expects.
func (s *server) verifyCard(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !isJSON(ct) {
		writeError(w, errMediaType)
		return
	}
	body, err := readAll(r.Body, s.bodies.get(bodySize(r, 64<<10, maxCardBody)))
	if err != nil {
		s.bodies.put(body)
		writeError(w, jsonError(err))
		return
	}
	// The files are decoded into arena, which is recycled once the answer
	// is written; the body is recycled at once, as both decoders copy what
	// they keep.
	arena := s.arenas.get(48 << 10)
	defer s.arenas.put(arena)
	req, e := decodeCard(body, arena)
	s.bodies.put(body)
	if e != nil {
		writeError(w, e)
		return
	}
	res, e := s.checkRequest(r.Context(), req)
	if e != nil {
		writeError(w, e)
		return
	}
	s.metrics.verdict("card", outcome(res))
	writeCardResult(w, res)
}

// outcome is the verdict metrics count for a card answer.
func outcome(res *cardResult) string {
	if res.Valid {
		return "valid"
	}
	return res.Reason
}

// bodySize is the size of the buffer to read r's body into: at least
// guess, and when the client sent a Content-Length within the route's
// limit, that and one byte for the read that sees the end (so the body is
// read without growing the buffer).
func bodySize(r *http.Request, guess, limit int) int {
	if r.ContentLength > 0 && r.ContentLength <= int64(limit) {
		return max(guess, int(r.ContentLength)+1)
	}
	return guess
}

// decodeCard decodes one card request with decodeCardFast, or with
// encoding/json when the fast path declines. The files may live in arena
// (see decodeCardFast).
func decodeCard(body, arena []byte) (cardRequest, *apiError) {
	if req, ok := decodeCardFast(body, arena); ok {
		return req, nil
	}
	var req cardRequest
	return req, decodeJSONBytes(body, &req)
}

// checkRequest checks a decoded request (its file names and expectations),
// waits for a verification slot (errBusy when ctx ends first) and verifies
// the card.
func (s *server) checkRequest(ctx context.Context, req cardRequest) (*cardResult, *apiError) {
	files, e := decodeFiles(req.Files)
	if e != nil {
		return nil, e
	}
	var expectNumber cccd.Number
	var expectBirth time.Time
	if req.Expect != nil {
		var err error
		if req.Expect.Number != "" {
			if expectNumber, err = cccd.ParseLenient(req.Expect.Number); err != nil {
				return nil, errBadRequest("expect_number", "expect.number: %v", err)
			}
		}
		if req.Expect.BirthDate != "" {
			if expectBirth, err = time.Parse(time.DateOnly, req.Expect.BirthDate); err != nil {
				return nil, errBadRequest("expect_birth_date", "expect.birth_date must be YYYY-MM-DD")
			}
		}
	}

	if !s.slots.acquire(ctx) {
		return nil, errBusy
	}
	res := s.checkCard(files, expectNumber, expectBirth)
	s.slots.release()
	return res, nil
}

// readAll is io.ReadAll into b's space.
func readAll(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// bufferList recycles request buffers: for a card, the body (about 30 KB
// with a face image) and the arena its decoded files go into, so a
// verification does not leave some 55 KB behind for the collector; for a
// batch, its body. Unlike a sync.Pool it keeps them across collections (a
// pool is emptied by every other one, and the heap churn that follows
// shows up as the runtime returning and re-faulting memory): it holds at
// most as many buffers as it was made with, each at most max bytes.
type bufferList struct {
	free chan []byte
	max  int
}

func newBufferList(n, max int) bufferList {
	return bufferList{free: make(chan []byte, n), max: max}
}

// maxKeptBuffer bounds the buffers of single card requests a server keeps:
// a rare large body (up to maxCardBody) is not held on to.
const maxKeptBuffer = 128 << 10

// get returns an empty buffer of capacity at least size, recycled when one
// is free and large enough.
func (l bufferList) get(size int) []byte {
	select {
	case b := <-l.free:
		if cap(b) >= size {
			return b[:0]
		}
	default:
	}
	return make([]byte, 0, size)
}

// put gives b back for reuse; b must no longer be used.
func (l bufferList) put(b []byte) {
	if cap(b) > l.max {
		return
	}
	select {
	case l.free <- b:
	default:
	}
}

// decodeFiles checks the posted files' names, refusing unknown ones so a
// typo cannot silently drop a data group.
func decodeFiles(in map[string][]byte) (chip.Files, *apiError) {
	if len(in) == 0 {
		return nil, errBadRequest("missing_field", "field \"files\" must name at least EF.SOD")
	}
	if len(in) > maxFiles {
		return nil, errBadRequest("too_many_files", "at most %d files", maxFiles)
	}
	for name := range in {
		if !knownFile(name) {
			return nil, errBadRequest("unknown_file", "file %q is not EF.COM, EF.SOD or DG1..DG16", name)
		}
	}
	return chip.Files(in), nil
}

func knownFile(name string) bool {
	if name == chip.FileCOM || name == chip.FileSOD {
		return true
	}
	for n := 1; n <= 16; n++ {
		if name == chip.DataGroupName(n) {
			return true
		}
	}
	return false
}

// cccdPolicy returns the algorithm profile of the CCCD (issued since 2021):
// SHA-256 or better for data-group hashes, the SOD signature and the
// Document Signer certificate, RSA from 2048 bits and the curves of
// chip.DefaultCurves. It is spelled out, not left to the library's default,
// so that the service's profile never weakens with a library change; a
// card outside it is refused with reason "weak_algorithm".
func cccdPolicy() chip.AlgorithmPolicy {
	return chip.AlgorithmPolicy{
		MinDataGroupHash:   crypto.SHA256,
		MinSignatureHash:   crypto.SHA256,
		MinCertificateHash: crypto.SHA256,
		MinRSABits:         2048,
		Curves:             chip.DefaultCurves(),
	}
}

// checkCard runs passive authentication under the CCCD profile
// (cccdPolicy) and the cross-checks. The card is valid only when passive
// authentication passed and no check mismatched.
func (s *server) checkCard(files chip.Files, expectNumber cccd.Number, expectBirth time.Time) *cardResult {
	report, _ := chip.Verify(files, chip.VerifyOptions{Trust: s.cfg.trust.csca, Policy: cccdPolicy()})
	return s.crossCheck(report, files, expectNumber, expectBirth)
}

// crossCheck makes the answer from the passive authentication report and
// the cross-checks.
func (s *server) crossCheck(report *chip.Report, files chip.Files, expectNumber cccd.Number, expectBirth time.Time) *cardResult {
	res := &cardResult{
		Valid:      report.Valid,
		Reason:     report.Reason,
		DataGroups: map[string]string{},
		Checks:     map[string]string{},
	}
	for _, dg := range report.DataGroups {
		res.DataGroups[dg.Name] = dg.Status
	}

	// What each source says; a source that is absent or unreadable leaves
	// its checks not_checked rather than failing them.
	var (
		doc     mrz.Document
		haveMRZ bool
		holder  chip.Holder
		haveDG  bool
	)
	if b, ok := files[chip.DataGroupName(1)]; ok {
		res.Checks["mrz"] = checkMismatch
		if dg1, err := chip.ParseDG1(b); err == nil {
			if d, err := mrz.Parse(dg1.MRZ); err == nil {
				doc, haveMRZ = d, true
				res.Checks["mrz"] = checkOK
			}
		}
	}
	if b, ok := files[chip.DataGroupName(13)]; ok {
		if dg13, err := chip.ParseDG13(b); err == nil {
			if h, err := dg13.Holder(); err == nil {
				holder, haveDG = h, true
			}
		}
	}
	var mrzNumber cccd.Number
	if haveMRZ {
		mrzNumber, _ = doc.CCCD()
	}
	mrzBirth, _ := doc.BirthDate().Time()

	res.Checks["number_mrz_dg13"] = compare(haveMRZ && !mrzNumber.IsZero() && haveDG && !holder.Number.IsZero(), mrzNumber == holder.Number)
	res.Checks["birth_date_mrz_dg13"] = compare(haveMRZ && haveDG && !holder.BirthDate.IsZero(), mrzBirth.Equal(holder.BirthDate))
	res.Checks["sex_mrz_dg13"] = compare(haveMRZ && haveDG && holder.Sex != cccd.SexUnknown, doc.Sex().CCCD() == holder.Sex)
	res.Checks["name_mrz_dg13"] = compare(haveMRZ && haveDG && holder.Name != "", sameName(doc, holder.Name))
	if haveDG && !holder.Number.IsZero() {
		res.Checks["number_holder"] = compare(true, holder.Number.Matches(holder.BirthDate, holder.Sex) == nil)
	}
	number := holder.Number
	if number.IsZero() {
		number = mrzNumber
	}
	if !expectNumber.IsZero() {
		res.Checks["expect_number"] = compare(!number.IsZero(), number == expectNumber)
	}
	if !expectBirth.IsZero() {
		birth := holder.BirthDate
		if birth.IsZero() {
			birth = mrzBirth
		}
		res.Checks["expect_birth_date"] = compare(!birth.IsZero(), birth.Equal(expectBirth))
	}

	for name, v := range res.Checks {
		if v == checkMismatch && res.Valid {
			res.Valid = false
			res.Reason = "check_" + name
		}
	}
	if res.Valid {
		res.Holder = &cardHolder{Number: s.showNumber(number)}
		if haveDG {
			res.Holder.Name = holder.Name
			res.Holder.BirthDate = dateOnly(holder.BirthDate)
			res.Holder.Sex = sexWord(holder.Sex)
			res.Holder.ExpiryDate = dateOnly(holder.ExpiryDate)
		}
	}
	return res
}

func compare(both, equal bool) string {
	switch {
	case !both:
		return checkNotChecked
	case equal:
		return checkOK
	}
	return checkMismatch
}

// sameName compares DG13's Vietnamese name with the MRZ's by writing the
// MRZ again with DG13's name (family name first, as printed) in place of
// the MRZ's own: transliteration and the ICAO truncation rule then apply
// exactly as the issuer applied them.
func sameName(doc mrz.Document, name string) bool {
	family, given, _ := strings.Cut(strings.TrimSpace(name), " ")
	f := doc.Fields()
	f.Surname, f.GivenNames = family, given
	var (
		again mrz.Document
		err   error
	)
	switch doc.Layout() {
	case mrz.TD1:
		again, err = mrz.EncodeTD1(f)
	case mrz.TD2:
		again, err = mrz.EncodeTD2(f)
	case mrz.TD3:
		again, err = mrz.EncodeTD3(f)
	default:
		return false
	}
	// Line by line: the same as comparing Text, which joins them.
	return err == nil && slices.Equal(again.Lines(), doc.Lines())
}

func dateOnly(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
