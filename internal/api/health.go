package api

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// healthz answers that the process serves HTTP.
func (s *server) healthz(w http.ResponseWriter, r *http.Request) error {
	return respond(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz runs every readiness check and answers 503 naming those that fail.
// The checks' errors are logged, not shown: the endpoint needs no key.
func (s *server) readyz(w http.ResponseWriter, r *http.Request) error {
	var failing []string
	for _, name := range slices.Sorted(maps.Keys(s.checks)) {
		if err := s.check(r.Context(), name); err != nil {
			s.log.WarnContext(r.Context(), "readiness check failed", "check", name, "err", err)
			failing = append(failing, name)
		}
	}
	if len(failing) > 0 {
		return fail(http.StatusServiceUnavailable, "failing: "+strings.Join(failing, ", "))
	}
	return respond(w, http.StatusOK, map[string]string{"status": "ok"})
}

// check runs one readiness check within cfg.ReadyTimeout.
func (s *server) check(ctx context.Context, name string) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.ReadyTimeout)
	defer cancel()
	return s.checks[name](ctx)
}
