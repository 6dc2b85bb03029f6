package main

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"
)

// lineHandler is the service's slog handler: it writes exactly what
// slog.NewJSONHandler(w, nil) writes, one JSON object per line and one
// Write per line, but formats the common record itself, without slog's
// per-attribute dispatch and buffer pool. The access log writes a line for
// every request, so this is on the hot path (issue 17).
//
// A record is formatted here only when every attribute is a plain string,
// integer, boolean or duration whose key and text are printable ASCII with
// no quote or backslash, and the handler carries no WithAttrs/WithGroup
// state; any other record is handed to the JSON handler, which writes
// through the same lock. TestLineHandlerMatchesJSONHandler checks that both
// write the same bytes.
type lineHandler struct {
	out  *lockedWriter
	json slog.Handler // for everything the fast path declines
}

// lockedWriter serialises the lines of both paths on one writer.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// newLineHandler returns the handler writing to w.
func newLineHandler(w io.Writer) *lineHandler {
	out := &lockedWriter{w: w}
	return &lineHandler{out: out, json: slog.NewJSONHandler(out, nil)}
}

// lineBuffers recycles the formatted lines; a request's line is ~190 bytes.
var lineBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

func (h *lineHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.json.Enabled(ctx, l)
}

func (h *lineHandler) WithAttrs(attrs []slog.Attr) slog.Handler { return h.json.WithAttrs(attrs) }

func (h *lineHandler) WithGroup(name string) slog.Handler { return h.json.WithGroup(name) }

// Handle writes r as one line.
func (h *lineHandler) Handle(ctx context.Context, r slog.Record) error {
	bp := lineBuffers.Get().(*[]byte)
	defer lineBuffers.Put(bp)
	b, ok := appendRecord((*bp)[:0], r)
	*bp = b[:0]
	if !ok {
		return h.json.Handle(ctx, r)
	}
	_, err := h.out.Write(b)
	return err
}

// appendRecord formats r as slog's JSON handler does, or reports false if
// r holds something it leaves to that handler.
func appendRecord(b []byte, r slog.Record) ([]byte, bool) {
	if !plainText(r.Message) {
		return b, false
	}
	b = append(b, '{')
	if !r.Time.IsZero() {
		t := r.Time.Round(0)
		if y := t.Year(); y < 0 || y >= 10000 {
			return b, false
		}
		b = append(b, `"time":"`...)
		b = t.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `",`...)
	}
	level := r.Level.String()
	if !plainText(level) {
		return b, false
	}
	b = append(b, `"level":"`...)
	b = append(b, level...)
	b = append(b, `","msg":"`...)
	b = append(b, r.Message...)
	b = append(b, '"')
	ok := true
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "" || !plainText(a.Key) {
			ok = false
			return false
		}
		b = append(b, `,"`...)
		b = append(b, a.Key...)
		b = append(b, `":`...)
		switch v := a.Value; v.Kind() {
		case slog.KindString:
			if ok = plainText(v.String()); ok {
				b = append(b, '"')
				b = append(b, v.String()...)
				b = append(b, '"')
			}
		case slog.KindInt64:
			b = strconv.AppendInt(b, v.Int64(), 10)
		case slog.KindUint64:
			b = strconv.AppendUint(b, v.Uint64(), 10)
		case slog.KindBool:
			b = strconv.AppendBool(b, v.Bool())
		case slog.KindDuration:
			b = strconv.AppendInt(b, int64(v.Duration()), 10) // as json.Marshal does
		default:
			ok = false
		}
		return ok
	})
	if !ok {
		return b, false
	}
	return append(b, "}\n"...), true
}

// plainText reports whether s is printable ASCII without '"' or '\\', which
// JSON (and slog's JSON handler) writes unescaped.
func plainText(s string) bool {
	for i := range len(s) {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
