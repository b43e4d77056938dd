package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/muster-org/muster/internal/store"
)

// deleteSupporter erases a supporter (GDPR erasure): their personal data
// goes, alerts' counts stay, and an address or number they had opted out with
// stays only as a keyed hash in the suppression list, so that no import adds
// them back.
func (s *server) deleteSupporter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "supporter")
	if err != nil {
		return err
	}
	err = s.st.EraseSupporter(r.Context(), id, s.cfg.Now())
	if errors.Is(err, store.ErrNotFound) {
		return fail(http.StatusNotFound, fmt.Sprintf("no supporter %d", id))
	}
	if err != nil {
		return fmt.Errorf("erase supporter: %w", err)
	}
	s.log.InfoContext(r.Context(), "supporter erased", "supporter_id", id, "request_id", requestIDFrom(r.Context()))
	w.WriteHeader(http.StatusNoContent)
	return nil
}
