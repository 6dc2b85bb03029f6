package main

import (
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
}

// newServer returns the service's HTTP handler.
func newServer(cfg config, log *slog.Logger) http.Handler {
	n := cfg.maxConcurrent
	if n <= 0 {
		n = 4 * runtime.GOMAXPROCS(0)
	}
	s := &server{cfg: cfg, log: log, metrics: newMetrics(), slots: make(limiter, n)}
	mux := http.NewServeMux()
	handle := func(path, method string, maxBody int64, h http.HandlerFunc) {
		mux.Handle(path, s.route(path, method, maxBody, h))
	}
	handle("/healthz", http.MethodGet, 0, s.healthz)
	handle("/metrics", http.MethodGet, 0, s.metrics.ServeHTTP)
	for _, ep := range s.endpoints() {
		handle(ep.path, http.MethodPost, ep.maxBody, ep.handler)
	}
	mux.Handle("/", s.route("other", "", 0, func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &apiError{Status: http.StatusNotFound, Code: "not_found", Message: "no such endpoint"})
	}))
	return mux
}

func (s *server) healthz(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// endpoint is one POST route of the API.
type endpoint struct {
	path    string
	maxBody int64
	handler http.HandlerFunc
}

func (s *server) endpoints() []endpoint {
	return []endpoint{
		{"/v1/cards/verify", maxCardBody, s.verifyCard},
		{"/v1/numbers/validate", maxSmallBody, s.validateNumber},
		{"/v1/mrz/parse", maxSmallBody, s.parseMRZ},
		{"/v1/qr/parse", maxSmallBody, s.parseQR},
		{"/v1/compact/verify", maxSmallBody, s.verifyCompact},
		{"/v1/compact/verify-batch", maxBatchBody, s.verifyCompactBatch},
		{"/v1/fingerprints/compare", maxSmallBody * 8, s.compareFingerprints},
	}
}
