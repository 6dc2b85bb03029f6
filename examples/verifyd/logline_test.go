package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLineHandlerMatchesJSONHandler writes the same records through
// lineHandler and slog's JSON handler (the oracle) and compares the bytes:
// the access log's record, which the fast path formats, and records it
// hands over (escapes, other kinds, groups, no time, odd levels).
func TestLineHandlerMatchesJSONHandler(t *testing.T) {
	at := time.Date(2026, 12, 5, 3, 4, 5, 6789, time.FixedZone("ICT", 7*3600))
	rec := func(tm time.Time, level slog.Level, msg string, attrs ...slog.Attr) slog.Record {
		r := slog.NewRecord(tm, level, msg, 0)
		r.AddAttrs(attrs...)
		return r
	}
	access := []slog.Attr{
		slog.String("id", "0123456789abcdef01234567"), slog.String("method", "POST"),
		slog.String("route", "/v1/cards/verify"), slog.Int("status", 200),
		slog.Int64("body_bytes", -1), slog.Duration("duration", 1234567*time.Nanosecond),
	}
	records := []slog.Record{
		rec(at, slog.LevelInfo, "request", access...),
		rec(at.UTC(), slog.LevelInfo, "request", access...),
		rec(time.Time{}, slog.LevelWarn, "no time"),
		rec(at, slog.LevelError, "listening", slog.String("addr", "127.0.0.1:8080"), slog.Bool("tls", false), slog.Uint64("n", 1<<63)),
		rec(at, slog.LevelInfo+2, "odd level"),
		rec(at, slog.LevelInfo, "quote\" in message"),
		rec(at, slog.LevelInfo, "m", slog.String("k", "Nguyễn <&> \x00 \u2028")),
		rec(at, slog.LevelInfo, "m", slog.String("k\\", "v")),
		rec(at, slog.LevelInfo, "m", slog.String("", "empty key")),
		rec(at, slog.LevelInfo, "m", slog.Any("err", errors.New("boom"))),
		rec(at, slog.LevelInfo, "m", slog.Float64("f", 1e21), slog.Time("t", at)),
		rec(at, slog.LevelInfo, "m", slog.Group("g", slog.Int("a", 1)), slog.Group("", slog.Int("b", 2))),
		rec(time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC), slog.LevelInfo, "m"),
	}
	for i, r := range records {
		var fast, want bytes.Buffer
		require.NoError(t, newLineHandler(&fast).Handle(context.Background(), r))
		require.NoError(t, slog.NewJSONHandler(&want, nil).Handle(context.Background(), r))
		assert.Equal(t, want.String(), fast.String(), "record %d", i)
	}

	// The logger's own paths: WithAttrs, WithGroup, Enabled.
	var fast, want bytes.Buffer
	for _, l := range []*slog.Logger{slog.New(newLineHandler(&fast)), slog.New(slog.NewJSONHandler(&want, nil))} {
		l.Debug("hidden")
		l.With("a", 1).WithGroup("g").Info("x", "b", 2)
	}
	stamp := regexp.MustCompile(`"time":"[^"]*"`)
	assert.Equal(t, stamp.ReplaceAllString(want.String(), "T"), stamp.ReplaceAllString(fast.String(), "T"))
}

// TestAccessLineAllocations pins the point of lineHandler: the access
// log's record is formatted without allocating.
func TestAccessLineAllocations(t *testing.T) {
	h := newLineHandler(discardWriter{})
	r := slog.NewRecord(time.Now(), slog.LevelInfo, "request", 0)
	r.AddAttrs(slog.String("id", "0123456789abcdef01234567"), slog.String("method", "POST"),
		slog.String("route", "/v1/cards/verify"), slog.Int("status", 200),
		slog.Int64("body_bytes", 30000), slog.Duration("duration", time.Millisecond))
	allocs := testing.AllocsPerRun(100, func() { _ = h.Handle(context.Background(), r) })
	assert.Zero(t, allocs)
}

type discardWriter struct{}

func (discardWriter) Write(p []byte) (int, error) { return len(p), nil }
