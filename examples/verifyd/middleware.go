package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"time"
)

// statusRecorder remembers the status a handler wrote, for logs and metrics.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// route wraps one endpoint: it checks the method (405 with a JSON body),
// bounds the body (413), gives the request an ID, and records one log line
// and the metrics. The log line holds only the method, route, status,
// duration, size and ID: never a body, so never personal data.
//
// The ID is always the server's own, returned in the X-Request-Id response
// header for the client to quote. A client's X-Request-Id is ignored: any
// text a client chooses can carry a citizen number, and nothing a client
// sends reaches the log.
//
// A GET route also answers HEAD (RFC 9110 section 9.3.2), without a body.
func (s *server) route(name, method string, maxBody int64, h http.HandlerFunc) http.Handler {
	allow := method
	if method == http.MethodGet {
		allow = "GET, HEAD"
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		w.Header().Set("X-Request-Id", id)
		rec := &statusRecorder{ResponseWriter: w}

		if method != "" && r.Method != method && !(method == http.MethodGet && r.Method == http.MethodHead) {
			w.Header().Set("Allow", allow)
			writeError(rec, &apiError{Status: http.StatusMethodNotAllowed, Code: "method_not_allowed", Message: "use " + allow})
		} else {
			if maxBody > 0 {
				r.Body = http.MaxBytesReader(rec, r.Body, maxBody)
			}
			h(rec, r)
		}

		elapsed := time.Since(start)
		s.metrics.observe(name, rec.status, elapsed)
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("id", id),
			slog.String("method", r.Method),
			slog.String("route", name),
			slog.Int("status", rec.status),
			slog.Int64("body_bytes", r.ContentLength),
			slog.Duration("duration", elapsed),
		)
	})
}

func newRequestID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// limiter bounds the number of verifications running at once; a request
// waits for a slot until its context ends.
type limiter chan struct{}

func (l limiter) acquire(ctx context.Context) bool {
	select {
	case l <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (l limiter) release() { <-l }
