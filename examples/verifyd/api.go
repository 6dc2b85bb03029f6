package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
)

// apiError is the body of every error answer:
// {"error":{"code":"...","message":"..."}}.
type apiError struct {
	Status  int    `json:"-"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func errBadRequest(code, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: code, Message: fmt.Sprintf(format, args...)}
}

// writeJSON answers with status and v encoded as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.Status, struct {
		Error *apiError `json:"error"`
	}{e})
}

// decodeJSON reads one JSON object from the request body into v, strictly:
// the media type must be JSON, unknown fields and trailing data are errors,
// and an oversize body (see limitBody) is 413.
func decodeJSON(r *http.Request, v any) *apiError {
	if ct := r.Header.Get("Content-Type"); ct != "" && !isJSON(ct) {
		return errMediaType
	}
	return decodeJSONFrom(r.Body, v)
}

// decodeJSONBytes is decodeJSON for a body already read.
func decodeJSONBytes(body []byte, v any) *apiError {
	return decodeJSONFrom(bytes.NewReader(body), v)
}

func decodeJSONFrom(body io.Reader, v any) *apiError {
	dec := json.NewDecoder(body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		if err != nil {
			return jsonError(err)
		}
		return errBadRequest("malformed_json", "the body holds more than one JSON value")
	}
	return nil
}

func isJSON(contentType string) bool { return mediaType(contentType) == "application/json" }

// mediaType returns the lower-cased media type of a Content-Type header.
func mediaType(contentType string) string {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

var errMediaType = &apiError{Status: http.StatusUnsupportedMediaType, Code: "media_type", Message: "the body must be application/json"}

// errBusy answers a request that ended while waiting for a verification slot.
var errBusy = &apiError{Status: http.StatusServiceUnavailable, Code: "busy", Message: "the request ended while waiting for a verification slot"}

// jsonTypeName says in JSON's terms what a Go type decodes from, for
// messages a client can act on ("a string", not "*string").
func jsonTypeName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "a base64 string"
		}
		return "an array of " + strings.TrimPrefix(strings.TrimPrefix(jsonTypeName(t.Elem()), "an "), "a ") + "s"
	case reflect.Map:
		return "an object of " + strings.TrimPrefix(strings.TrimPrefix(jsonTypeName(t.Elem()), "an "), "a ") + "s"
	case reflect.Struct:
		return "an object"
	}
	return "a JSON value"
}

// jsonValueName names the kind of JSON value encoding/json reports in an
// UnmarshalTypeError ("string", "number", "array", "object", "bool").
func jsonValueName(v string) string {
	switch v {
	case "array", "object":
		return "an " + v
	case "bool":
		return "true or false"
	case "":
		return "that"
	}
	if strings.HasPrefix(v, "number") {
		return "a number"
	}
	return "a " + v
}

// jsonError turns a decoding error into an answer that names the problem
// (field and type, or offset) but never echoes the body.
func jsonError(err error) *apiError {
	var (
		maxBytes  *http.MaxBytesError
		syntax    *json.SyntaxError
		typeError *json.UnmarshalTypeError
		base64Err base64.CorruptInputError
		answer    *apiError
	)
	switch {
	case errors.As(err, &answer): // an UnmarshalJSON method's own answer
		return answer
	case errors.As(err, &base64Err):
		return errBadRequest("bad_base64", "a file is not valid base64 (byte %d of its value)", int64(base64Err))
	case errors.As(err, &maxBytes):
		return &apiError{Status: http.StatusRequestEntityTooLarge, Code: "too_large", Message: fmt.Sprintf("the body exceeds %d bytes", maxBytes.Limit)}
	case errors.Is(err, io.EOF):
		return errBadRequest("empty_body", "the body is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errBadRequest("malformed_json", "the body ends inside a JSON value")
	case errors.As(err, &syntax):
		return errBadRequest("malformed_json", "malformed JSON at byte %d", syntax.Offset)
	case errors.As(err, &typeError) && typeError.Field == "":
		return errBadRequest("wrong_type", "the body must be a JSON object, not %s", jsonValueName(typeError.Value))
	case errors.As(err, &typeError):
		return errBadRequest("wrong_type", "field %q must be %s, not %s", typeError.Field, jsonTypeName(typeError.Type), jsonValueName(typeError.Value))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return errBadRequest("unknown_field", "%s", strings.TrimPrefix(err.Error(), "json: "))
	default:
		return errBadRequest("malformed_json", "the body is not valid JSON")
	}
}
