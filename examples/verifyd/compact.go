package main

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"

	"github.com/cancuoc/sdk/chip/compact"
)

// maxBatch bounds the objects in one /v1/compact/verify-batch request.
const maxBatch = 1024

// compactResult is the answer for one compact signed card.
type compactResult struct {
	Valid  bool        `json:"valid"`
	Reason string      `json:"reason"`
	Items  []string    `json:"items"`
	Holder *cardHolder `json:"holder,omitempty"`
}

// verifyCompact answers POST /v1/compact/verify. The body is the object
// itself (Content-Type application/cbor) or {"object":"<base64>"}.
func (s *server) verifyCompact(w http.ResponseWriter, r *http.Request) {
	var obj []byte
	if isCBOR(r.Header.Get("Content-Type")) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			writeError(w, jsonError(err))
			return
		}
		if len(b) == 0 {
			writeError(w, errBadRequest("empty_body", "the body is empty"))
			return
		}
		obj = b
	} else {
		var req struct {
			Object *string `json:"object"`
		}
		if e := decodeJSON(r, &req); e != nil {
			writeError(w, e)
			return
		}
		if req.Object == nil {
			writeError(w, errBadRequest("missing_field", "field \"object\" is required"))
			return
		}
		b, e := decodeBase64("object", *req.Object)
		if e != nil {
			writeError(w, e)
			return
		}
		obj = b
	}
	if !s.slots.acquire(r.Context()) {
		writeError(w, errBusy)
		return
	}
	card, err := compact.Verify(obj, compact.VerifyOptions{Trust: s.cfg.trust.issuers})
	s.slots.release()
	writeJSON(w, http.StatusOK, s.compactAnswer(card, err))
}

// verifyCompactBatch answers POST /v1/compact/verify-batch
// {"objects":["<base64>",...]} with one result per object, in order, using
// batch signature verification.
func (s *server) verifyCompactBatch(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Objects []string `json:"objects"`
	}
	if e := decodeJSON(r, &req); e != nil {
		writeError(w, e)
		return
	}
	if len(req.Objects) == 0 {
		writeError(w, errBadRequest("missing_field", "field \"objects\" must hold at least one object"))
		return
	}
	if len(req.Objects) > maxBatch {
		writeError(w, errBadRequest("too_many_objects", "at most %d objects", maxBatch))
		return
	}
	objs := make([][]byte, len(req.Objects))
	for i, o := range req.Objects {
		b, e := decodeBase64("objects", o)
		if e != nil {
			writeError(w, e)
			return
		}
		objs[i] = b
	}
	if !s.slots.acquire(r.Context()) {
		writeError(w, errBusy)
		return
	}
	cards, errs := compact.VerifyBatch(objs, compact.VerifyOptions{Trust: s.cfg.trust.issuers})
	s.slots.release()
	results := make([]compactResult, len(objs))
	for i := range objs {
		results[i] = s.compactAnswer(cards[i], errs[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
}

func (s *server) compactAnswer(card *compact.Card, err error) compactResult {
	if err != nil {
		reason := compactReason(err)
		s.metrics.verdict("compact", reason)
		return compactResult{Reason: reason, Items: []string{}}
	}
	s.metrics.verdict("compact", "valid")
	res := compactResult{Valid: true, Items: card.Identifiers()}
	h := card.Holder
	res.Holder = &cardHolder{
		Number:     s.showNumber(h.Number),
		Name:       h.Name,
		BirthDate:  dateOnly(h.BirthDate),
		Sex:        sexWord(h.Sex),
		ExpiryDate: dateOnly(h.ExpiryDate),
	}
	return res
}

// compactReason maps a verification error to a stable code for clients.
func compactReason(err error) string {
	for _, c := range []struct {
		err  error
		code string
	}{
		{compact.ErrTooLarge, "too_large"},
		{compact.ErrMalformed, "malformed"},
		{compact.ErrAlgorithm, "algorithm"},
		{compact.ErrUnknownKey, "unknown_key"},
		{compact.ErrUntrustedKey, "untrusted_key"},
		{compact.ErrSignature, "signature"},
		{compact.ErrPayload, "payload"},
		{compact.ErrDocType, "doc_type"},
		{compact.ErrNotYetValid, "not_yet_valid"},
		{compact.ErrExpired, "expired"},
		{compact.ErrMissingItem, "missing_item"},
		{compact.ErrItems, "items"},
	} {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return "invalid"
}

func isCBOR(contentType string) bool {
	return mediaType(contentType) == "application/cbor"
}

func decodeBase64(field, s string) ([]byte, *apiError) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, errBadRequest("bad_base64", "field %q is not valid base64", field)
	}
	return b, nil
}
