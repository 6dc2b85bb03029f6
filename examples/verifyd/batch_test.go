package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// postRaw posts body and returns the status and the answer as sent.
func postRaw(t testing.TB, srv *httptest.Server, path string, body []byte) (int, []byte) {
	t.Helper()
	resp, err := srv.Client().Post(srv.URL+path, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, raw
}

// batchBody joins card bodies into a batch body.
func batchBody(cards ...[]byte) []byte {
	return []byte(`{"cards":[` + string(bytes.Join(cards, []byte(","))) + `]}`)
}

// batchCards are the cards TestCardBatchMatchesSingle sends: the demo card
// valid, with expectations met and not met, tampered, and every kind of
// card /v1/cards/verify refuses.
func batchCards(t testing.TB, d *demoSetup) [][]byte {
	files := cardFiles(t, d)
	tampered := cardFiles(t, d)
	tampered["DG1"] = bytes.Clone(tampered["DG1"])
	tampered["DG1"][len(tampered["DG1"])-1] ^= 1
	noFace := cardFiles(t, d)
	delete(noFace, "DG2")
	return [][]byte{
		d.request,
		cardBody(t, files, map[string]string{"number": "001095012345", "birth_date": "1995-03-17"}),
		cardBody(t, files, map[string]string{"number": "001095012346"}),
		cardBody(t, files, map[string]string{"birth_date": "1995-03-18"}),
		cardBody(t, tampered, nil),
		cardBody(t, noFace, nil),
		[]byte(`{"files":{"EF.SOD":"dwA="}}`),
		[]byte(`{"files":{"EF.SOD":"%%%"}}`),
		[]byte(`{"files":{"EF.SOD":"dwA"}}`),
		[]byte(`{"files":{"DG17":"dwA="}}`),
		[]byte(`{"files":{}}`),
		[]byte(`{}`),
		[]byte(`{"files":{"EF.SOD":"dwA="},"expect":{"birth_date":"17/03/1995"}}`),
		[]byte(`{"files":{"EF.SOD":"dwA="},"expect":{"number":"12"}}`),
		[]byte(`{"files":{"EF.SOD":"dwA="},"expect":null}`),
		[]byte(`{"files":{"EF.SOD":"dwA="},"extra":"x"}`),
		[]byte(`{"files":{"EF.SOD":1}}`),
		[]byte(`{"files":{"EF.SOD":"dw\u0041="}}`), // an escape: encoding/json's path
		[]byte(`"x"`),
		[]byte(`null`),
		[]byte(`[]`),
		[]byte(`7`),
	}
}

// TestCardBatchMatchesSingle posts each card to /v1/cards/verify and all of
// them as one batch: each result of the batch is the single endpoint's
// answer for that card (card result or error) byte for byte, in order. The
// batch is sent in the plain form (splitCardsFast) and, with a card
// encoding/json must read, through splitCardsJSON.
func TestCardBatchMatchesSingle(t *testing.T) {
	srv, d := newTestServer(t, nil)
	cards := batchCards(t, d)
	var want [][]byte
	for i, card := range cards {
		status, answer := postRaw(t, srv, "/v1/cards/verify", card)
		require.Contains(t, []int{http.StatusOK, http.StatusBadRequest}, status, "card %d: %s", i, answer)
		want = append(want, bytes.TrimSuffix(answer, []byte("\n")))
	}
	assert.Contains(t, string(want[0]), `"valid":true`)
	assert.Contains(t, string(want[2]), `"reason":"check_expect_number"`)
	assert.Contains(t, string(want[4]), `"valid":false`)
	assert.Contains(t, string(want[7]), `"code":"bad_base64"`)

	plain := cards[:12]
	_, fast := splitCardsFast(batchBody(plain...))
	require.True(t, fast, "the plain cards take the fast split")
	_, fast = splitCardsFast(batchBody(cards...))
	require.False(t, fast)
	for name, n := range map[string]int{"plain": len(plain), "all": len(cards)} {
		status, answer := postRaw(t, srv, "/v1/cards/verify-batch", batchBody(cards[:n]...))
		require.Equal(t, http.StatusOK, status, "%s: %s", name, answer)
		assert.Equal(t, `{"results":[`+string(bytes.Join(want[:n], []byte(",")))+"]}\n", string(answer), name)

		// The answer is what encoding/json writes for the same values.
		var results struct{ Results []json.RawMessage }
		require.NoError(t, json.Unmarshal(answer, &results))
		var again bytes.Buffer
		require.NoError(t, json.NewEncoder(&again).Encode(map[string]any{"results": results.Results}))
		assert.Equal(t, again.String(), string(answer), name)
	}

	// Spaces between the tokens, a repeated "cards" (the last one counts,
	// as encoding/json reads a repeated field).
	status, answer := postRaw(t, srv, "/v1/cards/verify-batch", []byte(" { \"cards\" : [ "+string(cards[6])+" , "+string(cards[9])+" ] } \n"))
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, `{"results":[`+string(want[6])+","+string(want[9])+"]}\n", string(answer))
	status, answer = postRaw(t, srv, "/v1/cards/verify-batch", []byte(`{"cards":[{}],"cards":[`+string(cards[6])+`]}`))
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, `{"results":[`+string(want[6])+"]}\n", string(answer))
}

// TestCardBatchLimits sends batches the service must refuse as a whole,
// and checks the code and status of each.
func TestCardBatchLimits(t *testing.T) {
	srv, _ := newTestServer(t, nil)
	card := `{"files":{"EF.SOD":"dwA="}}`
	many := func(n int, elem string) []byte {
		return []byte(`{"cards":[` + strings.TrimSuffix(strings.Repeat(elem+",", n), ",") + `]}`)
	}
	for _, c := range []struct {
		name   string
		body   []byte
		status int
		code   string
	}{
		{"empty body", nil, 400, "empty_body"},
		{"no cards field", []byte(`{}`), 400, "missing_field"},
		{"no cards", []byte(`{"cards":[]}`), 400, "missing_field"},
		{"cards null", []byte(`{"cards":null}`), 400, "missing_field"},
		{"cards an object", []byte(`{"cards":{}}`), 400, "wrong_type"},
		{"cards a string", []byte(`{"cards":"x"}`), 400, "wrong_type"},
		{"body an array", []byte(`[` + card + `]`), 400, "wrong_type"},
		{"unknown field", []byte(`{"cards":[` + card + `],"more":1}`), 400, "unknown_field"},
		{"trailing data", []byte(`{"cards":[` + card + `]}{}`), 400, "malformed_json"},
		{"malformed", []byte(`{"cards":[` + card + `,{"files":}]}`), 400, "malformed_json"},
		{"unterminated", []byte(`{"cards":[` + card), 400, "malformed_json"},
		// A raw control character is not JSON: the fast split lets it
		// through to the card decoders, which send the body to
		// encoding/json.
		{"control character", []byte(`{"cards":[` + card + `,{"files":{"EF.SOD":"dw` + "\x01" + `A="}}]}`), 400, "malformed_json"},
		{"one card too many, plain", many(maxCardBatch+1, card), 400, "too_many_cards"},
		{"one card too many, other values", many(maxCardBatch+1, `1`), 400, "too_many_cards"},
		{"a million tiny cards", many(1<<20, `0`), 400, "too_many_cards"},
		{"over the body limit", many(maxCardBatchBody/len(card)+1, card), 413, "too_large"},
	} {
		status, answer := postRaw(t, srv, "/v1/cards/verify-batch", c.body)
		assert.Equal(t, c.status, status, "%s: %s", c.name, answer)
		var e struct{ Error apiError }
		require.NoError(t, json.Unmarshal(answer, &e), c.name)
		assert.Equal(t, c.code, e.Error.Code, "%s: %s", c.name, e.Error.Message)
	}

	status, answer := postRaw(t, srv, "/v1/cards/verify-batch", many(maxCardBatch, card))
	assert.Equal(t, http.StatusOK, status, "%s", answer)

	resp, err := srv.Client().Post(srv.URL+"/v1/cards/verify-batch", "text/plain", strings.NewReader(`{"cards":[`+card+`]}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnsupportedMediaType, resp.StatusCode)

	// A card over the single endpoint's limit in a batch within its own
	// is refused in its place.
	big := []byte(`{"files":{"EF.SOD":"` + strings.Repeat("A", maxCardBody) + `"}}`)
	status, answer = postRaw(t, srv, "/v1/cards/verify-batch", batchBody(big, []byte(card)))
	require.Equal(t, http.StatusOK, status, "%s", answer)
	var results struct{ Results []map[string]any }
	require.NoError(t, json.Unmarshal(answer, &results))
	require.Len(t, results.Results, 2)
	assert.Equal(t, "too_large", results.Results[0]["error"].(map[string]any)["code"])
	assert.Equal(t, false, results.Results[1]["valid"])
}

// TestCardBatchEnded checks that a batch whose request has ended verifies
// nothing more and answers 503, that the verdicts of an answered batch are
// counted per card, and that a batch refused as a whole (a control
// character in a later card's string) counts none.
func TestCardBatchEnded(t *testing.T) {
	d, err := demo(t)
	require.NoError(t, err)
	s := newServer(d.cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	body := batchBody(d.request, d.request, []byte(`{"files":{"EF.SOD":"%%%"}}`))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/cards/verify-batch", bytes.NewReader(body)).WithContext(ctx))
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code, rec.Body.String())
	assert.Contains(t, rec.Body.String(), `"code":"busy"`)

	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/cards/verify-batch", bytes.NewReader(body)))
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	rec = httptest.NewRecorder()
	bad := batchBody(d.request, []byte(`{"files":{"EF.SOD":"dw`+"\x01"+`A="}}`))
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/cards/verify-batch", bytes.NewReader(bad)))
	require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	metrics := rec.Body.String()
	assert.Contains(t, metrics, `verifyd_verdicts_total{kind="card",outcome="valid"} 2`+"\n", "only the answered batch counts")
	assert.Contains(t, metrics, `verifyd_verdicts_total{kind="card",outcome="refused_bad_base64"} 1`+"\n")
	assert.Contains(t, metrics, `verifyd_requests_total{route="/v1/cards/verify-batch",status="503"} 1`+"\n")
	assert.Contains(t, metrics, `verifyd_requests_total{route="/v1/cards/verify-batch",status="200"} 1`+"\n")
	assert.Contains(t, metrics, `verifyd_requests_total{route="/v1/cards/verify-batch",status="400"} 1`+"\n")
}

// FuzzCardBatch checks the batch decoders on arbitrary bodies: whatever
// splitCardsFast accepts, splitCardsJSON (encoding/json) accepts with the
// same cards, unless a card is not valid JSON (a control character in a
// string, which only the card decoders look for: then cardBatch falls back
// to splitCardsJSON, which must refuse the body); neither returns more
// than maxCardBatch cards; and every card decodes or is refused without
// panicking.
func FuzzCardBatch(f *testing.F) {
	f.Add(batchBody([]byte(`{"files":{"DG1":"YQA=","EF.SOD":"dwA="},"expect":{"number":"001095012345","birth_date":"1995-03-17"}}`), []byte(`{"files":{}}`)))
	f.Add([]byte(` { "cards" : [ { } , { "expect" : null } ] } `))
	f.Add([]byte(`{"cards":[{"files":{"EF.SOD":"dw\u0041="}},"x",null,[],7]}`))
	f.Add([]byte(`{"cards":[{"files":{"EF.SOD":"dw` + "\x01" + `A="}}]}`))
	f.Add([]byte(`{"cards":[{}],"cards":[{"a":{"b":{"c":"d"}}}]}`))
	f.Add([]byte(`{"cards":[{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}]}`))
	f.Add([]byte(`{"cards":{}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		fast, ok := splitCardsFast(body)
		slow, e := splitCardsJSON(body)
		if len(fast) > maxCardBatch || len(slow) > maxCardBatch {
			t.Fatalf("%d and %d cards", len(fast), len(slow))
		}
		if ok {
			valid := true
			for _, c := range fast {
				valid = valid && json.Valid(c)
			}
			switch {
			case valid && e != nil:
				t.Fatalf("fast split accepted what encoding/json refuses (%v): %q", e, body)
			case !valid && e == nil:
				t.Fatalf("encoding/json accepted a body with a card that is not JSON: %q", body)
			case valid && len(fast) != len(slow):
				t.Fatalf("splits disagree on %q: %d and %d cards", body, len(fast), len(slow))
			}
			for i := range slow {
				if !bytes.Equal(fast[i], slow[i]) {
					t.Fatalf("card %d differs: %q and %q", i, fast[i], slow[i])
				}
			}
		}
		for _, c := range slow {
			if req, e := decodeCard(c, make([]byte, 0, 64)); e == nil {
				_, _ = decodeFiles(req.Files)
			}
		}
	})
}

// TestCardBatchArena checks that a batch's files, decoded card after card
// into one arena, do not leak from one card to the next.
func TestCardBatchArena(t *testing.T) {
	srv, d := newTestServer(t, nil)
	files := cardFiles(t, d)
	one := map[string][]byte{"EF.SOD": files["EF.SOD"], "DG1": []byte("x")}
	two := map[string][]byte{"EF.SOD": files["EF.SOD"], "DG1": files["DG1"]}
	status, answer := postRaw(t, srv, "/v1/cards/verify-batch", batchBody(cardBody(t, one, nil), cardBody(t, two, nil), cardBody(t, one, nil)))
	require.Equal(t, http.StatusOK, status)
	var results struct{ Results []cardResult }
	require.NoError(t, json.Unmarshal(answer, &results))
	require.Len(t, results.Results, 3)
	assert.Equal(t, "mismatch", results.Results[0].DataGroups["DG1"])
	assert.Equal(t, "ok", results.Results[1].DataGroups["DG1"])
	assert.Equal(t, "mismatch", results.Results[2].DataGroups["DG1"])
}

// TestCardBatchWaitsForItsTurn fills the batch limiter: a batch then waits
// without reading its body, and answers 503 when its request ends; once a
// turn is free it is answered.
func TestCardBatchWaitsForItsTurn(t *testing.T) {
	d, err := demo(t)
	require.NoError(t, err)
	s := &server{
		cfg: d.cfg, log: slog.New(slog.NewJSONHandler(io.Discard, nil)), metrics: newMetrics(),
		slots: make(limiter, 1), batches: make(limiter, 1),
		bodies: newBufferList(1, maxKeptBuffer), arenas: newBufferList(1, maxKeptBuffer), batchBodies: newBufferList(1, maxKeptBatch),
	}
	s.batches <- struct{}{} // another batch is running
	body := &countingReader{r: bytes.NewReader(batchBody(d.request))}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	rec := httptest.NewRecorder()
	s.verifyCardBatch(rec, httptest.NewRequest(http.MethodPost, "/v1/cards/verify-batch", body).WithContext(ctx))
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Zero(t, body.n, "the body is not read while waiting")

	<-s.batches
	rec = httptest.NewRecorder()
	s.verifyCardBatch(rec, httptest.NewRequest(http.MethodPost, "/v1/cards/verify-batch", bytes.NewReader(batchBody(d.request))))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Len(t, s.batches, 0, "the turn is given back")
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}
