package api

import (
	"net/http"
)

// listTemplates lists the named templates with their locales and channels.
// The catalog is small and fixed at start, so it is one page.
func (s *server) listTemplates(w http.ResponseWriter, r *http.Request) error {
	return respond(w, http.StatusOK, newList(s.tpl.Templates(), ""))
}
