package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRequestIDNotLogged sends client-chosen request IDs that carry a
// citizen number and checks that none reaches the log (issue 14 item 1):
// the log holds only the server's own ID, which the response returns.
func TestRequestIDNotLogged(t *testing.T) {
	var logs syncBuffer
	srv, _ := newTestServer(t, &logs)
	for _, id := range []string{"001095012345", "req-001095012345", "a1b2c3d4-0010-9501-2345-000000000000"} {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/healthz", nil)
		require.NoError(t, err)
		req.Header.Set("X-Request-Id", id)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.NotEqual(t, id, resp.Header.Get("X-Request-Id"), "the client's ID is not echoed")
		assert.Contains(t, logs.String(), `"id":"`+resp.Header.Get("X-Request-Id")+`"`, "the answer names the logged ID")
	}
	assert.NotContains(t, logs.String(), "001095012345")
	assert.NotContains(t, logs.String(), "0010-9501-2345")
}

// TestHeadWhereGet checks that HEAD is answered wherever GET is (issue 14
// item 12), with the GET status and no body.
func TestHeadWhereGet(t *testing.T) {
	srv, _ := newTestServer(t, nil)
	for _, path := range []string{"/healthz", "/metrics", "/openapi.yaml"} {
		resp, err := srv.Client().Head(srv.URL + path)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
		assert.Empty(t, body, path)
	}
	// A POST route still refuses HEAD, naming what it accepts.
	resp, err := srv.Client().Head(srv.URL + "/v1/numbers/validate")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	assert.Equal(t, "POST", resp.Header.Get("Allow"))
	// A GET route's 405 lists HEAD too.
	resp, err = srv.Client().Post(srv.URL+"/healthz", "application/json", strings.NewReader("{}"))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "GET, HEAD", resp.Header.Get("Allow"))
}

// TestDemoFolderRemoved runs the service with -demo, stops it, and checks
// that the demo folder it announced is gone (issue 14 item 6).
func TestDemoFolderRemoved(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()) // where -demo makes its folder
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan int, 1)
	var logs syncBuffer
	go func() { done <- run(ctx, []string{"-demo", "-addr", "127.0.0.1:0"}, &logs, io.Discard, ready) }()
	<-ready
	var dir string
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		if v, ok := rec["dir"].(string); ok {
			dir = v
		}
	}
	require.NotEmpty(t, dir)
	_, err := os.Stat(dir)
	require.NoError(t, err, "the folder exists while the service runs")
	cancel()
	require.Equal(t, 0, <-done)
	_, err = os.Stat(dir)
	assert.ErrorIs(t, err, os.ErrNotExist, "the demo folder is removed on exit")
}

// TestTrustFilesBounded starts the service with a -trust and an
// -issuer-key file far over their formats' limits: it must refuse at
// once, naming the file and the limit (issue 14 item 4).
func TestTrustFilesBounded(t *testing.T) {
	huge := filepath.Join(t.TempDir(), "huge.ml")
	f, err := os.Create(huge)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(200<<20)) // sparse: no disk space
	require.NoError(t, f.Close())
	for _, c := range []struct{ flag, want string }{
		{"-trust", huge + ": larger than 8388608 bytes, the limit for a master list"},
		{"-issuer-key", huge + ": larger than 16384 bytes, the limit for a key file"},
	} {
		var logs syncBuffer
		code := run(context.Background(), []string{"-addr", "127.0.0.1:0", c.flag, huge}, &logs, io.Discard, nil)
		assert.Equal(t, 1, code)
		assert.Contains(t, logs.String(), c.want)
	}
}

// TestMessagesNameTheRule posts bodies of the wrong shape: each answer
// names the field, the rule and what was expected, in JSON's terms, not
// Go's (issue 14 item 11).
func TestMessagesNameTheRule(t *testing.T) {
	srv, _ := newTestServer(t, nil)
	for _, c := range []struct{ path, body, want string }{
		{"/v1/numbers/validate", `[]`, "the body must be a JSON object, not an array"},
		{"/v1/numbers/validate", `"x"`, "the body must be a JSON object, not a string"},
		{"/v1/numbers/validate", `{"number":1}`, `field "number" must be a string, not a number`},
		{"/v1/mrz/parse", `{"text":"x","repair":"yes"}`, `field "repair" must be true or false, not a string`},
		{"/v1/compact/verify-batch", `{"objects":"x"}`, `field "objects" must be an array of strings, not a string`},
		{"/v1/cards/verify", `{"files":[]}`, `field "files" must be an object of base64 strings, not an array`},
	} {
		code, out := post(t, srv, c.path, "", []byte(c.body))
		assert.Equal(t, http.StatusBadRequest, code, c.body)
		msg, _ := out["error"].(map[string]any)["message"].(string)
		assert.Equal(t, c.want, msg, "%s %s", c.path, c.body)
		assert.NotContains(t, msg, "struct", c.body)
		assert.NotContains(t, msg, "*string", c.body)
	}
	// An empty MRZ says what an MRZ looks like, as the CLI does.
	_, out := post(t, srv, "/v1/mrz/parse", "", []byte(`{"text":""}`))
	errs := out["errors"].([]any)
	require.Len(t, errs, 1)
	assert.Equal(t, "malformed: not 3 lines of 30, 2 of 36 or 2 of 44 characters", errs[0].(map[string]any)["message"])
}
