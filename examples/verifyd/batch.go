package main

import (
	"bytes"
	"context"
	"encoding/binary"
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
	// maxKeptBatch bounds the batch bodies a server keeps for reuse, one
	// per verification slot (128 cards of 30 KB fit). Kept, they cost no
	// more memory than that many batches in flight; dropped, each batch
	// would allocate and clear its body's size again.
	maxKeptBatch = 4 << 20
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
// the batch stops and answers 503.
func (s *server) verifyCardBatch(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !isJSON(ct) {
		writeError(w, errMediaType)
		return
	}
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
	cards, ok := splitCardsFast(body)
	if !ok {
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
	answer := append(make([]byte, 0, 32+512*len(cards)), `{"results":[`...)
	for i, card := range cards {
		if ctx.Err() != nil {
			return nil, errEnded
		}
		if i > 0 {
			answer = append(answer, ',')
		}
		var (
			req cardRequest
			res *cardResult
			e   *apiError
		)
		if len(card) > maxCardBody {
			e = &apiError{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: fmt.Sprintf("the card exceeds %d bytes", maxCardBody)}
		} else if req, e = decodeCard(card, arena); e == nil {
			res, e = s.answerCard(ctx, req)
		}
		switch {
		case e == errBusy:
			return nil, e
		case e != nil:
			s.metrics.verdict("card", "refused_"+e.Code)
			answer = appendErrorBody(answer, e)
		default:
			answer = appendCardResult(answer, res)
		}
	}
	return append(answer, "]}\n"...), nil
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
// whose values are strings without escapes, null or such objects (two
// levels deep at most), at most maxCardBatch of them. It reports false for
// anything else; splitCardsJSON then decides. What it accepts,
// splitCardsJSON accepts with the same cards (FuzzCardBatch). It checks a
// string's bytes a word at a time (plainString), so splitting costs little
// next to decoding.
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

// skipObject moves past an object whose values are plain strings (see
// plainString), null, or such objects nested at most depth-1 deeper.
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
		if !ok || !plainString(s) {
			return false
		}
		p.i = next
		return true
	})
}

// plainString reports whether s, the inside of a JSON string, holds no
// backslash and no control character (below 0x20): then the string is
// valid JSON (RFC 8259 section 7) and means its bytes. Control characters
// are found eight bytes at a time: in x-0x20..20 &^ x & 0x80..80 a byte's
// top bit is set where x's byte is below 0x20 (a borrow only reaches bytes
// above one that is).
func plainString(s []byte) bool {
	if bytes.IndexByte(s, '\\') >= 0 {
		return false
	}
	const low, high = 0x2020202020202020, 0x8080808080808080
	for ; len(s) >= 8; s = s[8:] {
		if x := binary.LittleEndian.Uint64(s); (x-low)&^x&high != 0 {
			return false
		}
	}
	for _, c := range s {
		if c < 0x20 {
			return false
		}
	}
	return true
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
