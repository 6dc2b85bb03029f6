package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// demoCache holds the -demo setup, made once for all tests: a synthetic
// card, its compact form and the trust for both. The files are written to
// the first caller's t.TempDir() and kept in memory.
var demoCache struct {
	once sync.Once
	d    *demoSetup
	err  error
}

func demo(tb testing.TB) (*demoSetup, error) {
	demoCache.once.Do(func() {
		var cfg config
		dir := tb.TempDir()
		if err := setupDemo(&cfg, dir); err != nil {
			demoCache.err = err
			return
		}
		d := &demoSetup{cfg: cfg}
		for name, p := range map[string]*[]byte{"request.json": &d.request, "compact.json": &d.compact, "card.cbor": &d.cbor} {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				demoCache.err = err
				return
			}
			*p = b
		}
		demoCache.d = d
	})
	return demoCache.d, demoCache.err
}

type demoSetup struct {
	cfg                    config
	request, compact, cbor []byte
}

func newTestServer(t testing.TB, logs io.Writer) (*httptest.Server, *demoSetup) {
	t.Helper()
	d, err := demo(t)
	require.NoError(t, err)
	if logs == nil {
		logs = io.Discard
	}
	srv := httptest.NewServer(newServer(d.cfg, slog.New(newLineHandler(logs))))
	t.Cleanup(srv.Close)
	return srv, d
}

func post(t testing.TB, srv *httptest.Server, path, contentType string, body []byte) (int, map[string]any) {
	t.Helper()
	resp, err := srv.Client().Post(srv.URL+path, contentType, bytes.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &out), "body %q", raw)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	return resp.StatusCode, out
}

// cardFiles returns the demo card's files, decoded.
func cardFiles(t testing.TB, d *demoSetup) map[string][]byte {
	var req cardRequest
	require.NoError(t, json.Unmarshal(d.request, &req))
	return req.Files
}

func cardBody(t testing.TB, files map[string][]byte, expect map[string]string) []byte {
	req := map[string]any{"files": map[string]string{}}
	for name, b := range files {
		req["files"].(map[string]string)[name] = base64.StdEncoding.EncodeToString(b)
	}
	if expect != nil {
		req["expect"] = expect
	}
	b, err := json.Marshal(req)
	require.NoError(t, err)
	return b
}

func TestVerifyDemoCard(t *testing.T) {
	srv, d := newTestServer(t, nil)
	code, out := post(t, srv, "/v1/cards/verify", "application/json", d.request)
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, true, out["valid"], "%v", out)
	assert.Equal(t, "", out["reason"])
	for _, dg := range []string{"DG1", "DG2", "DG13"} {
		assert.Equal(t, "ok", out["data_groups"].(map[string]any)[dg], dg)
	}
	for name, v := range out["checks"].(map[string]any) {
		assert.Equal(t, checkOK, v, name)
	}
	holder := out["holder"].(map[string]any)
	// The number leaves the service masked by default (demoHolder's number).
	assert.Equal(t, "001*******45", holder["number"])
	assert.Equal(t, "1995-03-17", holder["birth_date"])
}

func TestVerifyCardExpectations(t *testing.T) {
	srv, d := newTestServer(t, nil)
	files := cardFiles(t, d)

	_, out := post(t, srv, "/v1/cards/verify", "", cardBody(t, files, map[string]string{"number": "001095012345", "birth_date": "1995-03-17"}))
	assert.Equal(t, true, out["valid"], "%v", out)
	assert.Equal(t, checkOK, out["checks"].(map[string]any)["expect_number"])

	_, out = post(t, srv, "/v1/cards/verify", "", cardBody(t, files, map[string]string{"number": "001095012346"}))
	assert.Equal(t, false, out["valid"])
	assert.Equal(t, "check_expect_number", out["reason"])
	assert.Nil(t, out["holder"], "an invalid card reveals no holder data")
}

func TestVerifyTamperedCard(t *testing.T) {
	srv, d := newTestServer(t, nil)
	files := cardFiles(t, d)
	dg13 := bytes.Clone(files["DG13"])
	dg13[len(dg13)-1] ^= 1
	files["DG13"] = dg13
	code, out := post(t, srv, "/v1/cards/verify", "", cardBody(t, files, nil))
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, false, out["valid"])
	assert.Equal(t, "digest_mismatch", out["reason"])
	assert.Equal(t, "mismatch", out["data_groups"].(map[string]any)["DG13"])
	assert.Nil(t, out["holder"])
}

func TestOtherEndpoints(t *testing.T) {
	srv, d := newTestServer(t, nil)

	_, out := post(t, srv, "/v1/numbers/validate", "", []byte(`{"number":" 079 303 000 777 "}`))
	assert.Equal(t, true, out["valid"])
	assert.Equal(t, "079*******77", out["number"])
	assert.Equal(t, "Hồ Chí Minh", out["province"])
	assert.Equal(t, "female", out["sex"])
	assert.EqualValues(t, 2003, out["birth_year"])

	_, out = post(t, srv, "/v1/numbers/validate", "", []byte(`{"number":"999095012345"}`))
	assert.Equal(t, false, out["valid"])
	assert.Equal(t, "province", out["code"])

	// The spec's first synthetic Vietnamese MRZ (spec/mrz.md).
	mrzText := "IDVNM0950123455001095012345<<6\n9503179M3503177VNM<<<<<<<<<<<0\nNGUYEN<<VAN<DUC<<<<<<<<<<<<<<<"
	body, _ := json.Marshal(map[string]string{"text": mrzText})
	_, out = post(t, srv, "/v1/mrz/parse", "", body)
	assert.Equal(t, true, out["valid"], "%v", out)
	assert.Equal(t, "001*******45", out["number"])
	assert.Equal(t, "*******45", out["document_number"])
	assert.Equal(t, "NGUYEN", out["surname"])

	body, _ = json.Marshal(map[string]string{"text": strings.Replace(mrzText, "<<6\n", "<<7\n", 1)})
	_, out = post(t, srv, "/v1/mrz/parse", "", body)
	assert.Equal(t, false, out["valid"])
	assert.NotEmpty(t, out["errors"])

	body, _ = json.Marshal(map[string]string{"text": "001095012345||Nguyễn Văn Đức|17031995|Nam|Hà Nội|04052021"})
	_, out = post(t, srv, "/v1/qr/parse", "", body)
	assert.Equal(t, true, out["valid"], "%v", out)
	assert.Equal(t, "Nguyễn Văn Đức", out["holder"].(map[string]any)["name"])

	_, out = post(t, srv, "/v1/compact/verify", "", d.compact)
	assert.Equal(t, true, out["valid"], "%v", out)
	assert.Contains(t, out["items"], "family_name")

	cbor := d.cbor
	_, out = post(t, srv, "/v1/compact/verify", "application/cbor", cbor)
	assert.Equal(t, true, out["valid"], "%v", out)

	broken := bytes.Clone(cbor)
	broken[len(broken)-1] ^= 1
	objs := []string{base64.StdEncoding.EncodeToString(cbor), base64.StdEncoding.EncodeToString(broken)}
	body, _ = json.Marshal(map[string]any{"objects": objs})
	_, out = post(t, srv, "/v1/compact/verify-batch", "", body)
	results := out["results"].([]any)
	require.Len(t, results, 2)
	assert.Equal(t, true, results[0].(map[string]any)["valid"])
	assert.Equal(t, false, results[1].(map[string]any)["valid"])
	assert.NotEmpty(t, results[1].(map[string]any)["reason"])

	// Two impressions of one FVC2002 finger (testdata/fvc2002/README.md).
	a, errA := os.ReadFile("../../testdata/fvc2002/DB1_B/101_1.iso")
	b, errB := os.ReadFile("../../testdata/fvc2002/DB1_B/101_2.iso")
	if errA == nil && errB == nil {
		body, _ = json.Marshal(map[string]string{"a": base64.StdEncoding.EncodeToString(a), "b": base64.StdEncoding.EncodeToString(b)})
		code, out := post(t, srv, "/v1/fingerprints/compare", "", body)
		require.Equal(t, http.StatusOK, code, "%v", out)
		assert.Greater(t, out["score"], 0.0)
		assert.Contains(t, out, "threshold")
	}

	resp, err := srv.Client().Get(srv.URL + "/healthz")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	resp, err = srv.Client().Get(srv.URL + "/metrics")
	require.NoError(t, err)
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Contains(t, string(metrics), `verifyd_requests_total{route="/v1/numbers/validate",status="200"} 2`)
	assert.Contains(t, string(metrics), `verifyd_verdicts_total{kind="compact",outcome="valid"}`)
	assert.Contains(t, string(metrics), `verifyd_request_duration_seconds_count{route="/v1/mrz/parse"} 2`)
}

// TestBadInput is the bad-input table: every malformed request gets a 4xx
// with an error code, never a 5xx.
func TestBadInput(t *testing.T) {
	srv, d := newTestServer(t, nil)
	files := cardFiles(t, d)
	truncated := map[string][]byte{}
	for name, b := range files {
		truncated[name] = b[:len(b)/2]
	}
	huge := []byte(`{"files":{"EF.SOD":"` + strings.Repeat("A", maxCardBody) + `"}}`)
	hugeLength := map[string][]byte{"EF.SOD": {0x77, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x30}, "DG1": {0x61, 0x84, 0xff, 0xff, 0xff, 0xff}}

	type row struct {
		name, path, contentType string
		body                    []byte
		status                  int
		code                    string
	}
	rows := []row{
		{"card truncated files", "/v1/cards/verify", "", cardBody(t, truncated, nil), 200, ""},
		{"card huge lengths", "/v1/cards/verify", "", cardBody(t, hugeLength, nil), 200, ""},
		{"card no files", "/v1/cards/verify", "", []byte(`{"files":{}}`), 400, "missing_field"},
		{"card unknown file", "/v1/cards/verify", "", []byte(`{"files":{"DG99":"AA=="}}`), 400, "unknown_file"},
		{"card bad base64", "/v1/cards/verify", "", []byte(`{"files":{"EF.SOD":"%%%"}}`), 400, "bad_base64"},
		{"card wrong type", "/v1/cards/verify", "", []byte(`{"files":["EF.SOD"]}`), 400, "wrong_type"},
		{"card bad expect", "/v1/cards/verify", "", []byte(`{"files":{"EF.SOD":"AA=="},"expect":{"birth_date":"17/03/1995"}}`), 400, "expect_birth_date"},
		{"card too large", "/v1/cards/verify", "", huge, 413, "too_large"},
	}
	for _, path := range []string{"/v1/cards/verify", "/v1/numbers/validate", "/v1/mrz/parse", "/v1/qr/parse", "/v1/compact/verify", "/v1/compact/verify-batch", "/v1/fingerprints/compare"} {
		rows = append(rows,
			row{"empty body", path, "", nil, 400, "empty_body"},
			row{"malformed JSON", path, "", []byte(`{"x":`), 400, "malformed_json"},
			row{"not JSON", path, "", []byte(`hello`), 400, "malformed_json"},
			row{"unknown field", path, "", []byte(`{"nope":1}`), 400, "unknown_field"},
			row{"two values", path, "", []byte(`{} {}`), 400, "malformed_json"},
			row{"wrong media type", path, "text/plain", []byte(`{}`), 415, "media_type"},
		)
	}
	rows = append(rows,
		row{"number missing", "/v1/numbers/validate", "", []byte(`{}`), 400, "missing_field"},
		row{"number wrong type", "/v1/numbers/validate", "", []byte(`{"number":1}`), 400, "wrong_type"},
		row{"mrz garbage", "/v1/mrz/parse", "", []byte(`{"text":"\u0000\u00ff<<<"}`), 200, ""},
		row{"qr garbage", "/v1/qr/parse", "", []byte(`{"text":"|||||||||"}`), 200, ""},
		row{"compact bad base64", "/v1/compact/verify", "", []byte(`{"object":"!!"}`), 400, "bad_base64"},
		row{"compact empty cbor", "/v1/compact/verify", "application/cbor", nil, 400, "empty_body"},
		row{"compact garbage cbor", "/v1/compact/verify", "application/cbor", []byte{0xff, 0x00, 0x9f}, 200, ""},
		row{"batch empty", "/v1/compact/verify-batch", "", []byte(`{"objects":[]}`), 400, "missing_field"},
		row{"batch too many", "/v1/compact/verify-batch", "", []byte(`{"objects":[` + strings.Repeat(`"",`, maxBatch) + `""]}`), 400, "too_many_objects"},
		row{"fingerprint missing", "/v1/fingerprints/compare", "", []byte(`{"a":""}`), 400, "missing_field"},
		row{"fingerprint truncated", "/v1/fingerprints/compare", "", []byte(`{"a":"Rk1SACAyMAA=","b":"Rk1SACAyMAA="}`), 400, "bad_template"},
		row{"fingerprint bad base64", "/v1/fingerprints/compare", "", []byte(`{"a":"?","b":"?"}`), 400, "bad_base64"},
	)
	for _, r := range rows {
		t.Run(r.path+"/"+r.name, func(t *testing.T) {
			code, out := post(t, srv, r.path, r.contentType, r.body)
			assert.Equal(t, r.status, code, "%v", out)
			if r.code != "" {
				e, _ := out["error"].(map[string]any)
				require.NotNil(t, e, "%v", out)
				assert.Equal(t, r.code, e["code"])
				assert.NotEmpty(t, e["message"])
			}
		})
	}

	// Wrong method and unknown path.
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/v1/cards/verify", 405},
		{http.MethodPut, "/v1/numbers/validate", 405},
		{http.MethodPost, "/healthz", 405},
		{http.MethodGet, "/v2/nothing", 404},
	} {
		req, _ := http.NewRequest(c.method, srv.URL+c.path, nil)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		var out map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
		resp.Body.Close()
		assert.Equal(t, c.status, resp.StatusCode, c.path)
		assert.NotNil(t, out["error"])
	}
}
