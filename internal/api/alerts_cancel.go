package api

import (
	"fmt"
	"net/http"
)

// cancelAlert stops what of an alert has not been sent: its queued deliveries
// are cancelled. An alert that already ended is answered as it is.
func (s *server) cancelAlert(w http.ResponseWriter, r *http.Request) error {
	a, err := s.alert(r)
	if err != nil {
		return err
	}
	a, err = s.st.CancelAlert(r.Context(), a.ID, s.cfg.Now())
	if err != nil {
		return fmt.Errorf("cancel alert: %w", err)
	}
	v, err := s.alertWithCounts(r.Context(), a)
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, v)
}
