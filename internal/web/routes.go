package web

import "net/http"

// handler is an HTTP handler that returns its error for writeError to answer.
type handler func(w http.ResponseWriter, r *http.Request) error

// route is one line of the route table.
type route struct {
	pattern string
	handle  handler
	// sameOrigin refuses posts from other sites. Not for the unsubscribe
	// endpoint: mail providers post one-click unsubscribes from their own
	// servers, and the signed token is the authorization there.
	sameOrigin bool
}

// routeTable lists every public page.
func (s *server) routeTable() []route {
	return []route{
		{pattern: "GET /c/{slug}", handle: s.showJoin},
		{pattern: "POST /c/{slug}", handle: s.saveJoin, sameOrigin: true},
		{pattern: "GET /confirm/{token}", handle: s.confirmSubscription},
		{pattern: "GET /unsubscribe/{token}", handle: s.showUnsubscribe},
		{pattern: "POST /unsubscribe/{token}", handle: s.saveUnsubscribe},
	}
}

// routes builds the handler: the route table on a ServeMux, with the
// security headers on every answer.
func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routeTable() {
		h := s.serve(rt.handle)
		if rt.sameOrigin {
			h = s.origin.Handler(h)
		}
		mux.Handle(rt.pattern, h)
	}
	return s.secure(mux)
}

// serve adapts a handler to http.Handler, answering its error with a page.
func (s *server) serve(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// secure sets the headers every page carries. Pages are never cached: some
// hold a token in their URL or personal data in their form, and the join
// page's language depends on the request.
func (s *server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", s.csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		next.ServeHTTP(w, r)
	})
}
