package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"
)

// maxRequestIDLen bounds the X-Request-Id a client may choose.
const maxRequestIDLen = 64

// requestIDContextKey is the context key of the request id.
type requestIDContextKey struct{}

// requestIDFrom returns the request id in ctx, or "".
func requestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDContextKey{}).(string)
	return id
}

// observe gives each request an id (the client's X-Request-Id if sane),
// recovers panics into a 500 problem, and logs one line per request: method,
// route pattern, status, duration and id. Never the body, the query or the key.
func (s *server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := requestID(r)
		w.Header().Set("X-Request-Id", id)
		r = r.WithContext(context.WithValue(r.Context(), requestIDContextKey{}, id))
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if v := recover(); v != nil {
				s.recovered(sw, r, v)
			}
			s.logRequest(r, sw.code(), time.Since(start))
		}()
		next.ServeHTTP(sw, r)
	})
}

// recovered logs a panic and answers 500 if nothing was written yet.
func (s *server) recovered(w *statusWriter, r *http.Request, v any) {
	if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
		panic(v) // the server's own way to abort a response
	}
	s.log.ErrorContext(r.Context(), "panic serving request", "panic", fmt.Sprint(v),
		"stack", string(debug.Stack()), "request_id", requestIDFrom(r.Context()))
	if !w.wrote {
		_ = writeJSON(w, http.StatusInternalServerError, "application/problem+json",
			fail(http.StatusInternalServerError, "internal error; quote the X-Request-Id response header when reporting it"))
	}
}

// logRequest logs one served request; r.Pattern is the route the mux matched.
func (s *server) logRequest(r *http.Request, status int, d time.Duration) {
	route := r.Pattern
	if route == "" {
		route = "(none)"
	}
	level := slog.LevelInfo
	if status >= http.StatusInternalServerError {
		level = slog.LevelError
	}
	s.log.LogAttrs(r.Context(), level, "http request",
		slog.String("method", r.Method), slog.String("route", route), slog.Int("status", status),
		slog.Duration("duration", d), slog.String("request_id", requestIDFrom(r.Context())))
}

// requestID returns the client's X-Request-Id when it is short and plain, else a new one.
func requestID(r *http.Request) string {
	if id := r.Header.Get("X-Request-Id"); id != "" && len(id) <= maxRequestIDLen && plain(id) {
		return id
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// plain reports whether id has only letters, digits, '-', '_' and '.'.
func plain(id string) bool {
	for _, c := range []byte(id) {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
		if !ok {
			return false
		}
	}
	return true
}

// statusWriter remembers the status written through it.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(status int) {
	if !w.wrote {
		w.status, w.wrote = status, true
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// code is the status sent, 200 if the handler wrote nothing.
func (w *statusWriter) code() int {
	if !w.wrote {
		return http.StatusOK
	}
	return w.status
}

// fallback answers unknown paths (404) and methods (405) with problems
// instead of the mux's plain text, keeping its Allow header and redirects.
func (s *server) fallback(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		rec := &recorder{header: http.Header{}}
		mux.ServeHTTP(rec, r)
		switch rec.status {
		case http.StatusNotFound:
			s.writeError(w, r, fail(http.StatusNotFound, "no such path"))
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", rec.header.Get("Allow"))
			s.writeError(w, r, fail(http.StatusMethodNotAllowed, r.Method+" is not allowed here; see the Allow header"))
		default: // a redirect to the canonical path
			for k, v := range rec.header {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.status)
			_, _ = w.Write(rec.body.Bytes())
		}
	})
}

// recorder captures what the mux answers when no route matches.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
