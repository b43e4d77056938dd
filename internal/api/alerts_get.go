package api

import "net/http"

// getAlert answers an alert's status and delivery counts.
func (s *server) getAlert(w http.ResponseWriter, r *http.Request) error {
	a, err := s.alert(r)
	if err != nil {
		return err
	}
	v, err := s.alertWithCounts(r.Context(), a)
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, v)
}
