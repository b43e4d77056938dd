package web

import (
	"errors"
	"fmt"
	"net/http"
)

// pageError is an answer other than the page asked for: a message page with
// a status. Its words are "<page>.title", "<page>.heading", "<page>.text" and,
// when it has a link, "<page>.link".
type pageError struct {
	status int
	page   string
	// lang is the page's language; nil negotiates it from the request.
	lang *lang
	// campaign fills {campaign} in the words; link is where the link goes.
	campaign, link string
	// err is the cause, for logs; never shown.
	err error
}

func (e *pageError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("%d %s", e.status, e.page)
	}
	return fmt.Sprintf("%d %s: %v", e.status, e.page, e.err)
}

func (e *pageError) Unwrap() error { return e.err }

// The message pages, by their words.
const (
	pageNotFound  = "notfound"  // 404: no such campaign
	pageInvalid   = "invalid"   // 400: a token that is not ours
	pageExpired   = "expired"   // 410: a confirm token past its time
	pageTooMany   = "toomany"   // 429: the join throttle
	pageForbidden = "forbidden" // 403: a cross-site post
	pageTooLarge  = "toolarge"  // 413: a join form over maxFormBytes
	pageBadForm   = "badform"   // 400: a join form that does not parse
	pageFailure   = "failure"   // 500: our fault
)

// messagePages lists the message pages, for New's rehearsal.
func messagePages() []string {
	return []string{pageNotFound, pageInvalid, pageExpired, pageTooMany, pageForbidden, pageTooLarge, pageBadForm, pageFailure}
}

// invalidLink is the answer to a token that does not check out.
func invalidLink(err error) error {
	return &pageError{status: http.StatusBadRequest, page: pageInvalid, err: err}
}

// writeError answers err: a *pageError with its page, anything else with a
// 500 page, logged. The log names the route pattern, never the URL, which may
// hold a token.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var pe *pageError
	if !errors.As(err, &pe) {
		s.log.ErrorContext(r.Context(), "public page failed", "method", r.Method, "route", r.Pattern, "error", err)
		pe = &pageError{status: http.StatusInternalServerError, page: pageFailure}
	}
	l := pe.lang
	if l == nil {
		l = s.language(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"))
	}
	if pe.status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "60")
	}
	v := view{L: l, NoIndex: true, Page: pe.page, Campaign: pe.campaign, Link: pe.link}
	if err := s.render(w, pe.status, "message", v); err != nil {
		s.log.ErrorContext(r.Context(), "error page failed", "route", r.Pattern, "error", err)
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
	}
}
