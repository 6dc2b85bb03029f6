package main

import (
	_ "embed"
	"log/slog"
	"net/http"
	"runtime"
)

// Body limits. A chip read with a large face image is well under 1 MiB of
// base64; anything bigger is refused before it is decoded.
const (
	maxCardBody  = 1 << 20
	maxSmallBody = 16 << 10
	maxBatchBody = 4 << 20
	// maxCardBatchBody bounds a batch of cards: 128 cards of up to 64 KB.
	maxCardBatchBody = 8 << 20
)

// config is what the service is started with.
type config struct {
	returnNumber  bool // answer with the full personal number
	maxConcurrent int  // verifications at once; 0 = 4 x CPUs
	trust         trustConfig
}

// server holds the handlers' shared state.
type server struct {
	cfg     config
	log     *slog.Logger
	metrics *metrics
	slots   limiter
	// batches bounds the batch requests whose bodies are read or held
	// at once (each up to maxCardBatchBody).
	batches limiter
	// bodies and arenas recycle the buffers of card requests, batchBodies
	// those of batches.
	bodies, arenas, batchBodies bufferList
}

// newServer returns the service's HTTP handler.
func newServer(cfg config, log *slog.Logger) http.Handler {
	n := cfg.maxConcurrent
	if n <= 0 {
		n = 4 * runtime.GOMAXPROCS(0)
	}
	s := &server{
		cfg: cfg, log: log, metrics: newMetrics(), slots: make(limiter, n), batches: make(limiter, min(n, maxKeptBatches)),
		bodies: newBufferList(n, maxKeptBuffer), arenas: newBufferList(n, maxKeptBuffer),
		batchBodies: newBufferList(min(n, maxKeptBatches), maxKeptBatch),
	}
	mux := http.NewServeMux()
	for _, ep := range s.endpoints() {
		mux.Handle(ep.path, s.route(ep.path, ep.method, ep.maxBody, ep.handler))
	}
	mux.Handle("/", s.route("other", "", 0, func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &apiError{Status: http.StatusNotFound, Code: "not_found", Message: "no such endpoint"})
	}))
	return mux
}

func (s *server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// openAPI is the description of the API, served at GET /openapi.yaml.
// TestOpenAPI checks that it describes every route of endpoints and that
// each of its request examples gets the status it states.
//
//go:embed openapi.yaml
var openAPI []byte

func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/yaml") // RFC 9512
	_, _ = w.Write(openAPI)
}

// endpoint is one route of the API.
type endpoint struct {
	method  string
	path    string
	maxBody int64
	handler http.HandlerFunc
}

// endpoints lists every route the service registers (GET routes also
// answer HEAD).
func (s *server) endpoints() []endpoint {
	get, post := http.MethodGet, http.MethodPost
	return []endpoint{
		{get, "/healthz", 0, s.healthz},
		{get, "/metrics", 0, s.metrics.ServeHTTP},
		{get, "/openapi.yaml", 0, serveOpenAPI},
		{post, "/v1/cards/verify", maxCardBody, s.verifyCard},
		{post, "/v1/cards/verify-batch", maxCardBatchBody, s.verifyCardBatch},
		{post, "/v1/numbers/validate", maxSmallBody, s.validateNumber},
		{post, "/v1/mrz/parse", maxSmallBody, s.parseMRZ},
		{post, "/v1/qr/parse", maxSmallBody, s.parseQR},
		{post, "/v1/compact/verify", maxSmallBody, s.verifyCompact},
		{post, "/v1/compact/verify-batch", maxBatchBody, s.verifyCompactBatch},
		{post, "/v1/fingerprints/compare", maxSmallBody * 8, s.compareFingerprints},
	}
}
