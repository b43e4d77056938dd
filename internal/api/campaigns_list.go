package api

import (
	"fmt"
	"net/http"
)

// listCampaigns answers a page of campaigns, oldest first.
func (s *server) listCampaigns(w http.ResponseWriter, r *http.Request) error {
	p, errs := pageParams(r.URL.Query())
	if len(errs) > 0 {
		return invalid(errs...)
	}
	cs, next, err := s.st.ListCampaigns(r.Context(), p)
	if err != nil {
		return fmt.Errorf("list campaigns: %w", err)
	}
	return respond(w, http.StatusOK, newList(mapSlice(cs, newCampaignJSON), next))
}
