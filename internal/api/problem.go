package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/supporter"
)

// problemTypeBase prefixes every problem type. The types are URNs: stable
// identifiers that do not pretend to be web pages; openapi.yaml lists them.
//
//	urn:muster:problem:malformed-request       400 malformed JSON, unknown field, bad header
//	urn:muster:problem:unauthorized            401 missing, unknown or revoked key
//	urn:muster:problem:forbidden               403 the key's role may not do this
//	urn:muster:problem:not-found               404 unknown path or resource
//	urn:muster:problem:method-not-allowed      405 known path, other method
//	urn:muster:problem:conflict                409 slug taken, contacts of two supporters
//	urn:muster:problem:body-too-large          413 over 1 MiB (CSV: 100 MiB)
//	urn:muster:problem:unsupported-media-type  415 wrong Content-Type
//	urn:muster:problem:validation              422 with errors: [{field, message}]
//	urn:muster:problem:internal                500 a bug or an outage; see the logs
//	urn:muster:problem:not-ready               503 a readiness check fails
const problemTypeBase = "urn:muster:problem:"

// fieldError says what is wrong with one field of a request.
type fieldError = supporter.FieldError

// problem is an RFC 9457 problem detail. It is also an error, so handlers can
// return one.
type problem struct {
	Type   string       `json:"type"`
	Title  string       `json:"title"`
	Status int          `json:"status"`
	Detail string       `json:"detail,omitempty"`
	Errors []fieldError `json:"errors,omitempty"`
}

func (p *problem) Error() string { return fmt.Sprintf("%d %s: %s", p.Status, p.Title, p.Detail) }

// problemName names the problem type of each status the API answers with.
func problemName(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "malformed-request"
	case http.StatusUnauthorized:
		return "unauthorized"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusNotFound:
		return "not-found"
	case http.StatusMethodNotAllowed:
		return "method-not-allowed"
	case http.StatusConflict:
		return "conflict"
	case http.StatusRequestEntityTooLarge:
		return "body-too-large"
	case http.StatusUnsupportedMediaType:
		return "unsupported-media-type"
	case http.StatusUnprocessableEntity:
		return "validation"
	case http.StatusServiceUnavailable:
		return "not-ready"
	}
	return "internal"
}

// fail returns the problem of a status, with a detail for this occurrence.
func fail(status int, detail string) *problem {
	return &problem{
		Type:   problemTypeBase + problemName(status),
		Title:  http.StatusText(status),
		Status: status,
		Detail: detail,
	}
}

// invalid returns the 422 problem listing every field error.
func invalid(errs ...fieldError) *problem {
	p := fail(http.StatusUnprocessableEntity, "the request has invalid fields; see errors")
	p.Errors = errs
	return p
}

// writeError answers err as application/problem+json. It is the one place
// where errors become responses.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	p := s.toProblem(r, err)
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="muster"`)
	}
	_ = writeJSON(w, p.Status, "application/problem+json", p) // a problem always encodes
}

// toProblem maps an error to its problem; anything unexpected is logged and a 500.
func (s *server) toProblem(r *http.Request, err error) *problem {
	var p *problem
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &tooBig):
		return fail(http.StatusRequestEntityTooLarge, fmt.Sprintf("the body is larger than %d bytes", tooBig.Limit))
	case errors.Is(err, store.ErrBadCursor):
		return invalid(fieldError{Field: "cursor", Message: "is not a cursor this listing handed out"})
	case errors.Is(err, store.ErrNotFound):
		return fail(http.StatusNotFound, "no such resource")
	case errors.Is(err, store.ErrConflict):
		return fail(http.StatusConflict, "conflicts with an existing resource")
	}
	s.log.ErrorContext(r.Context(), "request failed", "err", err, "request_id", requestIDFrom(r.Context()))
	return fail(http.StatusInternalServerError, "internal error; quote the X-Request-Id response header when reporting it")
}
