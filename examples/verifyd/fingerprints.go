package main

import (
	"net/http"

	"github.com/cancuoc/sdk/biometric"
)

// fingerprintResult is the answer of /v1/fingerprints/compare.
type fingerprintResult struct {
	Score     float64 `json:"score"`
	Match     bool    `json:"match"`
	Threshold float64 `json:"threshold"`
}

// compareFingerprints answers POST /v1/fingerprints/compare
// {"a":"<base64>","b":"<base64>"}: two minutiae templates (ISO/IEC
// 19794-2, ANSI 378), compared at the false-match rate of 0.1%.
func (s *server) compareFingerprints(w http.ResponseWriter, r *http.Request) {
	var req struct {
		A *string `json:"a"`
		B *string `json:"b"`
	}
	if e := decodeJSON(r, &req); e != nil {
		writeError(w, e)
		return
	}
	if req.A == nil || req.B == nil {
		writeError(w, errBadRequest("missing_field", "fields \"a\" and \"b\" are required"))
		return
	}
	if !s.slots.acquire(r.Context()) {
		writeError(w, errBusy)
		return
	}
	defer s.slots.release()
	var prepared [2]*biometric.Prepared
	for i, in := range []struct{ name, b64 string }{{"a", *req.A}, {"b", *req.B}} {
		raw, e := decodeBase64(in.name, in.b64)
		if e != nil {
			writeError(w, e)
			return
		}
		t, err := biometric.Decode(raw)
		if err != nil {
			writeError(w, errBadRequest("bad_template", "template %q: %v", in.name, err))
			return
		}
		if prepared[i], err = biometric.Prepare(t); err != nil {
			writeError(w, errBadRequest("bad_template", "template %q: %v", in.name, err))
			return
		}
	}
	score := biometric.Compare(prepared[0], prepared[1])
	res := fingerprintResult{Score: score, Threshold: biometric.ThresholdFMR1000, Match: score >= biometric.ThresholdFMR1000}
	outcome := "no_match"
	if res.Match {
		outcome = "match"
	}
	s.metrics.verdict("fingerprint", outcome)
	writeJSON(w, http.StatusOK, res)
}
