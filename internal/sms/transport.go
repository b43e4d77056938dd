package sms

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// transport sends twilio-go's requests to BaseURL, when set, and rewrites
// error responses so that twilio-go reads them well.
type transport struct {
	base *url.URL // nil: Twilio's own host
	next http.RoundTripper
}

// newTransport keeps maxConns idle connections to the host: Go's default of 2
// per host makes most requests open a new connection (and TLS session).
func newTransport(base *url.URL, maxConns int) *transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = maxConns
	t.MaxIdleConnsPerHost = maxConns
	return &transport{base: base, next: t}
}

// RoundTrip implements http.RoundTripper.
func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	if t.base != nil {
		r = r.Clone(r.Context())
		r.URL.Scheme, r.URL.Host, r.Host = t.base.Scheme, t.base.Host, t.base.Host
	}
	resp, err := t.next.RoundTrip(r)
	if err != nil || resp.StatusCode < 400 {
		return resp, err
	}
	return normalizeError(resp), nil
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
// that body as a bare decode error that has lost the status.
func normalizeError(resp *http.Response) *http.Response {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
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
