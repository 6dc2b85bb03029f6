package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestLogsHoldNoPersonalData drives every endpoint, valid and invalid
// requests alike, and then searches the whole log for the demo holder's
// data in every form it travels in.
func TestLogsHoldNoPersonalData(t *testing.T) {
	var logs syncBuffer
	srv, d := newTestServer(t, &logs)
	files := cardFiles(t, d)

	post(t, srv, "/v1/cards/verify", "", d.request)
	post(t, srv, "/v1/cards/verify", "", cardBody(t, files, map[string]string{"number": "001095012345", "birth_date": "1995-03-17"}))
	post(t, srv, "/v1/cards/verify", "", []byte(`{"files":{"EF.SOD":"%%%"}}`))
	post(t, srv, "/v1/cards/verify-batch", "", batchBody(d.request, []byte(`{"files":{"EF.SOD":"%%%"}}`), cardBody(t, files, map[string]string{"number": "001095012345"})))
	post(t, srv, "/v1/cards/verify-batch", "", batchBody(d.request, []byte(`{"files":}`)))
	post(t, srv, "/v1/numbers/validate", "", []byte(`{"number":"001095012345"}`))
	post(t, srv, "/v1/numbers/validate", "", []byte(`{"number":"001095012345x"}`))
	post(t, srv, "/v1/mrz/parse", "", []byte(`{"text":"IDVNM0950123455001095012345<<6\n9503179M3503177VNM<<<<<<<<<<<0\nNGUYEN<<VAN<DUC<<<<<<<<<<<<<<<"}`))
	post(t, srv, "/v1/mrz/parse", "", []byte(`{"text":"IDVNM0950123455001095012345<<7\n9503179M3503177VNM<<<<<<<<<<<0\nNGUYEN<<VAN<DUC<<<<<<<<<<<<<<<"}`))
	post(t, srv, "/v1/qr/parse", "", []byte(`{"text":"001095012345||Nguyễn Văn Đức|17031995|Nam|Hà Nội|04052021"}`))
	post(t, srv, "/v1/qr/parse", "", []byte(`{"text":"001095012345||Nguyễn Văn Đức|17031995|Nữ|Hà Nội|04052021"}`))
	post(t, srv, "/v1/compact/verify", "", d.compact)
	post(t, srv, "/v1/numbers/validate", "", []byte(`{"number":"001095012345","extra":"Nguyễn Văn Đức"}`))

	out := logs.String()
	require.NotEmpty(t, out)
	for _, secret := range []string{
		"001095012345", "095012345", "Nguyễn", "NGUYEN", "VAN<DUC", "Đức",
		"1995-03-17", "17031995", "950317", "17/03/1995", "Tràng Tiền",
		base64.StdEncoding.EncodeToString(files["DG2"])[:40],
	} {
		assert.NotContains(t, out, secret)
	}
	// Every line is one JSON object with the request's metadata.
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		assert.NotEmpty(t, rec["id"])
		assert.NotEmpty(t, rec["route"])
	}
}

// TestGracefulShutdown starts the service in-process, begins a request
// whose body is still arriving, asks the service to stop, and checks that
// the request is still answered before run returns 0.
func TestGracefulShutdown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan int, 1)
	var logs syncBuffer
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0"}, &logs, io.Discard, ready) }()
	addr := <-ready

	pr, pw := io.Pipe()
	answered := make(chan int, 1)
	go func() {
		resp, err := http.Post("http://"+addr+"/v1/numbers/validate", "application/json", pr)
		if err != nil {
			answered <- -1
			return
		}
		resp.Body.Close()
		answered <- resp.StatusCode
	}()
	_, err := pw.Write([]byte(`{"number":`))
	require.NoError(t, err)
	time.Sleep(100 * time.Millisecond) // the request is in flight
	cancel()
	time.Sleep(100 * time.Millisecond) // shutdown has begun
	_, err = pw.Write([]byte(`"079303000777"}`))
	require.NoError(t, err)
	pw.Close()

	assert.Equal(t, http.StatusOK, <-answered)
	assert.Equal(t, 0, <-done)
	assert.Contains(t, logs.String(), `"msg":"stopped"`)
}

// TestBinary builds the real binary, starts it with -demo on a free
// loopback port, verifies the demo card it wrote, and stops it with
// SIGTERM.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	bin := filepath.Join(t.TempDir(), "verifyd")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Stderr = os.Stderr
	require.NoError(t, build.Run())

	cmd := exec.Command(bin, "-demo", "-addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "TMPDIR="+t.TempDir())
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	// Read the start-up log for the demo folder and the address.
	var dir, addr string
	dec := json.NewDecoder(stdout)
	for addr == "" {
		var rec map[string]any
		require.NoError(t, dec.Decode(&rec))
		if v, ok := rec["dir"].(string); ok {
			dir = v
		}
		if v, ok := rec["addr"].(string); ok && rec["msg"] == "listening" {
			addr = v
		}
	}
	require.NotEmpty(t, dir)
	body, err := os.ReadFile(filepath.Join(dir, "request.json"))
	require.NoError(t, err)
	resp, err := http.Post("http://"+addr+"/v1/cards/verify", "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	resp.Body.Close()
	assert.Equal(t, true, out["valid"], "%v", out)

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	go io.Copy(io.Discard, stdout)
	require.NoError(t, cmd.Wait())
	_, err = os.Stat(dir)
	assert.ErrorIs(t, err, os.ErrNotExist, "SIGTERM removes the demo folder")
}
