package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
)

// A batch of cards is {"cards":[card, ...]}, each card the body
// /v1/cards/verify takes, and its answer {"results":[result, ...]}, one per
// card in order: the body /v1/cards/verify would answer for that card (a
// card result, or {"error":{...}} for a card it would refuse with 400),
// without the final newline. HTTP's fixed cost per request (header
// parsing, system calls, scheduling, the access log line) is then paid once
// per batch rather than once per card (issue 17).
const (
	// maxCardBatch bounds the cards in one batch.
	maxCardBatch = 128
	// A server keeps up to maxKeptBatches batch bodies for reuse (one per
	// verification slot, at most 8), each of at most maxKeptBatch bytes
	// (128 cards of 30 KB fit): at most 32 MiB, what that many batches in
	// flight hold anyway. Without them each batch allocated and cleared
	// its body's size again (5 µs per card in the server's profile).
	maxKeptBatches = 8
	maxKeptBatch   = 4 << 20
)

var (
	errTooManyCards = errBadRequest("too_many_cards", "at most %d cards", maxCardBatch)
	errNoCards      = errBadRequest("missing_field", "field \"cards\" must hold at least one card")
	// errEnded answers a batch whose request ended between two cards.
	errEnded = &apiError{Status: http.StatusServiceUnavailable, Code: "busy", Message: "the request ended before every card was verified"}
)

// verifyCardBatch answers POST /v1/cards/verify-batch. The body as a whole
// is read as strictly as any other (415, 413, malformed JSON, an unknown
// field, "cards" missing, empty or over maxCardBatch are errors for the
// whole batch); each card is then judged as /v1/cards/verify judges a body,
// and a card it would refuse with 400 gets that error in its place while
// the others are verified. The cards are verified one after another, each
// taking a verification slot; when the request ends (the client went away)
// the batch stops and answers 503. At most min(4 x CPUs, maxKeptBatches)
// batches are read and verified at once, so their bodies (up to 8 MiB
// each) hold at most 64 MiB; a batch waits for its turn until its request
// ends (503).
func (s *server) verifyCardBatch(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !isJSON(ct) {
		writeError(w, errMediaType)
		return
	}
	if !s.batches.acquire(r.Context()) {
		writeError(w, errBusy)
		return
	}
	defer s.batches.release()
	body, err := readAll(r.Body, s.batchBodies.get(bodySize(r, 256<<10, maxCardBatchBody)))
	defer s.batchBodies.put(body)
	if err != nil {
		writeError(w, jsonError(err))
		return
	}
	arena := s.arenas.get(48 << 10)
	defer s.arenas.put(arena)
	answer, e := s.cardBatch(r.Context(), body, arena)
	if e != nil {
		writeError(w, e)
		return
	}
	writeJSONBytes(w, answer)
}

// cardBatch verifies the cards of a batch body and returns the answer. The
// cards' files are decoded into arena, one card at a time.
func (s *server) cardBatch(ctx context.Context, body, arena []byte) ([]byte, *apiError) {
	cards, fast := splitCardsFast(body)
	for {
		if !fast {
			var e *apiError
			if cards, e = splitCardsJSON(body); e != nil {
				return nil, e
			}
		}
		switch {
		case len(cards) == 0:
			return nil, errNoCards
		case len(cards) > maxCardBatch:
			return nil, errTooManyCards
		}
		answer, outcomes, e, ok := s.answerCards(ctx, cards, fast, arena)
		if !ok {
			// A card the fast split let through is not valid JSON, so
			// the body is not: encoding/json says where.
			fast = false
			continue
		}
		if e == nil {
			for _, o := range outcomes {
				s.metrics.verdict("card", o)
			}
		}
		return answer, e
	}
}

// answerCards verifies each card in turn and appends its result. It
// returns each card's outcome for the metrics (counted once the whole
// batch is answered). It reports false when fast is set (the cards come
// from splitCardsFast, which does not look inside strings) and a card
// turns out not to be valid JSON.
func (s *server) answerCards(ctx context.Context, cards [][]byte, fast bool, arena []byte) (answer []byte, outcomes []string, _ *apiError, ok bool) {
	answer = append(make([]byte, 0, 32+512*len(cards)), `{"results":[`...)
	outcomes = make([]string, 0, len(cards))
	for i, card := range cards {
		if ctx.Err() != nil {
			return nil, nil, errEnded, true
		}
		if i > 0 {
			answer = append(answer, ',')
		}
		var (
			req     cardRequest
			decoded bool
			res     *cardResult
			e       *apiError
		)
		if len(card) <= maxCardBody {
			req, decoded = decodeCardFast(card, arena)
		}
		switch {
		case decoded:
		case fast && !json.Valid(card):
			return nil, nil, nil, false
		case len(card) > maxCardBody:
			e = &apiError{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: fmt.Sprintf("the card exceeds %d bytes", maxCardBody)}
		default:
			e = decodeJSONBytes(card, &req)
		}
		if e == nil {
			res, e = s.checkRequest(ctx, req)
		}
		switch {
		case e == errBusy:
			return nil, nil, e, true
		case e != nil:
			outcomes = append(outcomes, "refused_"+e.Code)
			answer = appendErrorBody(answer, e)
		default:
			outcomes = append(outcomes, outcome(res))
			answer = appendCardResult(answer, res)
		}
	}
	return append(answer, "]}\n"...), outcomes, nil, true
}

// appendErrorBody appends {"error":{...}} as json.Marshal writes it.
func appendErrorBody(b []byte, e *apiError) []byte {
	body, _ := json.Marshal(struct {
		Error *apiError `json:"error"`
	}{e})
	return append(b, body...)
}

// splitCardsFast returns the cards of a batch body in the plain form
// clients send: {"cards":[...]} with no other key, each card an object
// whose values are strings without backslashes, null or such objects (two
// levels deep at most), at most maxCardBatch of them. It reports false for
// anything else; splitCardsJSON then decides. It finds a string's end
// with bytes.IndexByte and does not look at the bytes in between (a card
// is some 30 KB of base64; checking every byte here cost more than
// decoding it), so a card may hold a control character, which JSON
// forbids: answerCards finds out when the card decoders decline it.
// Otherwise, what it accepts splitCardsJSON accepts with the same cards
// (FuzzCardBatch).
func splitCardsFast(body []byte) (cards [][]byte, ok bool) {
	p := fastParser{b: body}
	if !p.byte('{') {
		return nil, false
	}
	if key, ok := p.str(); !ok || string(key) != "cards" || !p.byte(':') || !p.byte('[') {
		return nil, false
	}
	if !p.byte(']') {
		for {
			p.space()
			start := p.i
			if len(cards) == maxCardBatch || !p.skipObject(2) {
				return nil, false
			}
			cards = append(cards, body[start:p.i])
			if p.byte(']') {
				break
			}
			if !p.byte(',') {
				return nil, false
			}
		}
	}
	if !p.byte('}') {
		return nil, false
	}
	p.space()
	return cards, p.i == len(p.b)
}

// skipObject moves past an object whose values are strings without
// backslashes, null, or such objects nested at most depth-1 deeper.
func (p *fastParser) skipObject(depth int) bool {
	return depth > 0 && p.object(func([]byte) bool {
		p.space()
		switch {
		case p.i < len(p.b) && p.b[p.i] == '{':
			return p.skipObject(depth - 1)
		case p.null():
			return true
		}
		s, next, ok := p.quoted()
		if !ok || bytes.IndexByte(s, '\\') >= 0 {
			return false
		}
		p.i = next
		return true
	})
}

// splitCardsJSON reads a batch body with encoding/json, strictly, as
// decodeJSON reads any body; "cards" may hold any JSON values (each card is
// judged on its own), at most maxCardBatch of them.
func splitCardsJSON(body []byte) ([][]byte, *apiError) {
	var batch struct {
		Cards cardList `json:"cards"`
	}
	if e := decodeJSONBytes(body, &batch); e != nil {
		return nil, e
	}
	return batch.Cards, nil
}

// cardList is the "cards" array of a batch: its elements as they are in
// the body. It refuses a list longer than maxCardBatch as it reads it, so
// a body of many tiny elements cannot grow it.
type cardList [][]byte

// UnmarshalJSON reads the array (encoding/json has checked it is valid
// JSON). A repeated "cards" replaces the earlier one, as encoding/json
// does for a slice.
func (l *cardList) UnmarshalJSON(b []byte) error {
	*l = (*l)[:0]
	if string(b) == "null" {
		return nil
	}
	if b[0] != '[' {
		return &json.UnmarshalTypeError{Value: jsonKind(b[0]), Type: reflect.TypeFor[[]cardRequest](), Field: "cards"}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		return err
	}
	for dec.More() {
		if len(*l) == maxCardBatch {
			return errTooManyCards // jsonError answers with it
		}
		var card json.RawMessage
		if err := dec.Decode(&card); err != nil {
			return err
		}
		*l = append(*l, card)
	}
	return nil
}

// jsonKind names the JSON value starting with c as UnmarshalTypeError does.
func jsonKind(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	}
	return "number"
}
