package sms

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"
)

// maxAnswer bounds the bytes read of one answer; a message resource is ~1 KB.
const maxAnswer = 1 << 20

// transport sends twilio-go's requests to BaseURL, when set, bounds each
// round trip by its timeout, reads every answer whole, and tells apart the
// failures after which Twilio may have created the message. twilio-go takes
// no context and http.Client.Timeout flattens the transport's error into a
// string, so the timeout lives here, and the facts leave as typed errors
// through *url.Error, which wraps them.
type transport struct {
	base    *url.URL // nil: Twilio's own host
	next    http.RoundTripper
	timeout time.Duration
}

// newTransport keeps maxConns idle connections to the host: Go's default of 2
// per host makes most requests open a new connection (and TLS session).
func newTransport(base *url.URL, maxConns int, timeout time.Duration) *transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = maxConns
	t.MaxIdleConnsPerHost = maxConns
	return &transport{base: base, next: t, timeout: timeout}
}

// ambiguousError is a round trip after which Twilio may have created the
// message without our knowing: the request was written whole and no answer
// came (a timeout, a reset, EOF), or a success came that cannot be read.
type ambiguousError struct {
	code string // the failure code: no-answer, answer-lost, no-sid
	err  error
}

func (e *ambiguousError) Error() string {
	return fmt.Sprintf("Twilio may have created the message (%s): %v", e.code, e.err)
}

func (e *ambiguousError) Unwrap() error { return e.err }

// foreignError is an answer that is not Twilio's: a redirect (Twilio's API
// never redirects) or a success that is not JSON, such as a web page at a
// wrong MUSTER_TWILIO_BASE_URL.
type foreignError struct {
	status      int
	contentType string
}

func (e *foreignError) Error() string {
	return fmt.Sprintf("the answer is not Twilio's: HTTP %d (%s)", e.status, e.contentType)
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(r.Context(), t.timeout)
	defer cancel() // every answer is read whole before RoundTrip returns
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{
		// A new attempt: net/http retries only a request it knows was not
		// processed, so only the last attempt's write counts.
		GetConn:      func(string) { wrote.Store(false) },
		WroteRequest: func(i httptrace.WroteRequestInfo) { wrote.Store(i.Err == nil) },
	}
	r = r.Clone(httptrace.WithClientTrace(ctx, trace))
	if t.base != nil {
		r.URL.Scheme, r.URL.Host, r.Host = t.base.Scheme, t.base.Host, t.base.Host
	}
	resp, err := t.next.RoundTrip(r)
	switch {
	case err != nil && wrote.Load():
		return nil, &ambiguousError{code: "no-answer", err: err}
	case err != nil:
		return nil, err
	case resp.StatusCode >= 400:
		return normalizeError(resp), nil
	case resp.StatusCode >= 300:
		_ = resp.Body.Close()
		return nil, &foreignError{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type")}
	default:
		return readSuccess(resp)
	}
}

// readSuccess reads a 2xx answer whole: a created message's resource with
// its SID. Twilio answered yes, so a body that breaks off, or JSON without a
// SID, leaves a message that exists and that we cannot name.
func readSuccess(resp *http.Response) (*http.Response, error) {
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	_ = resp.Body.Close()
	if err != nil {
		return nil, &ambiguousError{code: "answer-lost", err: err}
	}
	var created struct {
		SID string `json:"sid"`
	}
	switch err := json.Unmarshal(raw, &created); {
	case errors.As(err, new(*json.SyntaxError)) || len(bytes.TrimSpace(raw)) == 0:
		return nil, &foreignError{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type")}
	case err != nil || created.SID == "":
		return nil, &ambiguousError{code: "no-sid", err: fmt.Errorf("HTTP %d without a message SID", resp.StatusCode)}
	}
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	resp.ContentLength = int64(len(raw))
	return resp, nil
}

// restError is Twilio's error body.
type restError struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info,omitempty"`
	Status   int    `json:"status"`
}

// normalizeError reads an error response whole and replaces its body with
// Twilio's error JSON carrying the HTTP status. twilio-go never closes an
// error body and stops reading a non-JSON one (a load balancer's HTML 502) at
// its first byte, which keeps the connection from the pool; and it reports
// that body as a bare decode error that has lost the status. A body that is
// not Twilio's error JSON keeps code 0: no Twilio code, a proxy's answer.
func normalizeError(resp *http.Response) *http.Response {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	_ = resp.Body.Close()
	var e restError
	if err := json.Unmarshal(raw, &e); err != nil || e.Code == 0 && e.Message == "" {
		e = restError{Message: fmt.Sprintf("a non-JSON error body (%s)", resp.Header.Get("Content-Type"))}
	}
	e.Status = resp.StatusCode
	body, _ := json.Marshal(e)
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
	resp.Header.Set("Content-Type", "application/json")
	return resp
}
