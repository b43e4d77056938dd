package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/muster-org/muster/internal/store"
)

// getSupporter answers one supporter with every subscription and its consent.
func (s *server) getSupporter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "supporter")
	if err != nil {
		return err
	}
	sup, err := s.st.SupporterByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return fail(http.StatusNotFound, fmt.Sprintf("no supporter %d", id))
	}
	if err != nil {
		return fmt.Errorf("get supporter: %w", err)
	}
	return respond(w, http.StatusOK, newSupporterJSON(sup))
}
