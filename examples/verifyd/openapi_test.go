package main

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// apiDoc is what TestOpenAPI reads from openapi.yaml. The module has no
// YAML parser (and takes none for a test), so openapiOutline reads the
// subset the file is written in: block mappings by indentation, block
// scalars ("|") skipped, and every request example's value written as
// JSON on one line (JSON is YAML's flow syntax, so the file stays valid
// YAML). The outline is strict: a line it cannot place fails the test.
type apiDoc struct {
	version    string
	operations map[string]*apiOperation // "POST /v1/mrz/parse"
	refs       []string                 // every $ref
	defined    map[string]bool          // every key path under components, as a JSON pointer
}

type apiOperation struct {
	statuses []int
	examples []apiExample
}

type apiExample struct {
	name, mediaType string
	body            string // JSON
	status          int
}

var (
	yamlLine = regexp.MustCompile(`^( *)([A-Za-z0-9_./{}$"-]+|"[^"]+"):(?: (.*))?$`)
	yamlRef  = regexp.MustCompile(`\$ref: "(#/[^"]+)"`)
)

func openapiOutline(t *testing.T, text string) apiDoc {
	t.Helper()
	doc := apiDoc{operations: map[string]*apiOperation{}, defined: map[string]bool{}}
	type frame struct {
		indent int
		key    string
	}
	var stack []frame
	blockIndent := -1 // inside a block scalar deeper than this
	for n, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		indent := len(line) - len(strings.TrimLeft(line, " "))
		if blockIndent >= 0 {
			if indent > blockIndent {
				continue
			}
			blockIndent = -1
		}
		for _, m := range yamlRef.FindAllStringSubmatch(line, -1) {
			doc.refs = append(doc.refs, m[1])
		}
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "- ") {
			continue // sequence items (servers) carry nothing the test checks
		}
		m := yamlLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("openapi.yaml:%d: not a line of the outline: %q", n+1, line)
		}
		key, value := strings.Trim(m[2], `"`), m[3]
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		path := make([]string, 0, len(stack)+1)
		for _, f := range stack {
			path = append(path, f.key)
		}
		path = append(path, key)
		if value == "|" {
			blockIndent = indent
		}
		if value == "" || value == "|" {
			stack = append(stack, frame{indent, key})
		}

		switch {
		case len(path) == 1 && key == "openapi":
			doc.version = value
		case path[0] == "components" && len(path) <= 3:
			doc.defined["#/"+strings.Join(path, "/")] = true
		case path[0] == "paths" && len(path) == 3:
			doc.operations[strings.ToUpper(key)+" "+path[1]] = &apiOperation{}
		case path[0] == "paths" && len(path) == 5 && path[3] == "responses":
			s, err := strconv.Atoi(key)
			require.NoError(t, err, "openapi.yaml:%d: response key %q", n+1, key)
			op := doc.operations[strings.ToUpper(path[2])+" "+path[1]]
			op.statuses = append(op.statuses, s)
		case path[0] == "paths" && len(path) == 9 && path[3] == "requestBody" && path[6] == "examples":
			op := doc.operations[strings.ToUpper(path[2])+" "+path[1]]
			if len(op.examples) == 0 || op.examples[len(op.examples)-1].name != path[7] {
				op.examples = append(op.examples, apiExample{name: path[7], mediaType: path[5]})
			}
			ex := &op.examples[len(op.examples)-1]
			switch key {
			case "value":
				ex.body = value
			case "x-status":
				s, err := strconv.Atoi(value)
				require.NoError(t, err, "openapi.yaml:%d", n+1)
				ex.status = s
			}
		}
	}
	return doc
}

// TestOpenAPI checks openapi.yaml against the service (issue 14 item 8):
// it is OpenAPI 3.1; every route the service registers is described and
// every described route exists; every $ref resolves; each request example
// states a status the operation documents, and sending it gets that status;
// every GET operation answers 200; GET /openapi.yaml serves the file.
func TestOpenAPI(t *testing.T) {
	doc := openapiOutline(t, string(openAPI))
	assert.True(t, strings.HasPrefix(doc.version, "3.1."), "openapi %q", doc.version)

	d, err := demo(t)
	require.NoError(t, err)
	s := newServer(d.cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	var registered []string
	for _, ep := range (&server{metrics: newMetrics()}).endpoints() {
		registered = append(registered, ep.method+" "+ep.path)
	}
	for _, r := range registered {
		assert.Contains(t, doc.operations, r, "registered but not described")
	}
	for op := range doc.operations {
		assert.Contains(t, registered, op, "described but not registered")
	}
	for _, ref := range doc.refs {
		assert.True(t, doc.defined[ref], "$ref %s resolves to nothing", ref)
	}

	srv := newTestServerHandler(t, s)
	examples := 0
	for name, op := range doc.operations {
		method, path, _ := strings.Cut(name, " ")
		assert.NotEmpty(t, op.statuses, "%s has no responses", name)
		if method == http.MethodGet {
			resp, err := srv.Client().Get(srv.URL + path)
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, http.StatusOK, resp.StatusCode, name)
			assert.Contains(t, op.statuses, http.StatusOK, name)
			continue
		}
		for _, ex := range op.examples {
			examples++
			where := name + " example " + ex.name
			require.True(t, json.Valid([]byte(ex.body)), "%s: value is not one-line JSON: %q", where, ex.body)
			assert.Contains(t, op.statuses, ex.status, "%s: x-status %d is not a documented response", where, ex.status)
			resp, err := srv.Client().Post(srv.URL+path, ex.mediaType, bytes.NewReader([]byte(ex.body)))
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			assert.Equal(t, ex.status, resp.StatusCode, "%s: %s", where, body)
		}
	}
	assert.GreaterOrEqual(t, examples, 20, "request examples found")

	resp, err := srv.Client().Get(srv.URL + "/openapi.yaml")
	require.NoError(t, err)
	served, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, "application/yaml", resp.Header.Get("Content-Type"))
	assert.Equal(t, openAPI, served)
	assert.True(t, slices.Contains(registered, "GET /openapi.yaml"))
}

func newTestServerHandler(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}
