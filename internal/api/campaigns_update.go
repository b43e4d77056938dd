package api

import (
	"fmt"
	"net/http"
)

// updateCampaign changes the fields given, and only them; null is the same as
// absent, and "" clears an optional field. The slug names the campaign in
// links and cannot change.
func (s *server) updateCampaign(w http.ResponseWriter, r *http.Request) error {
	c, err := s.campaign(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	var req campaignRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		return err
	}
	var errs []fieldError
	if req.Slug != nil && *req.Slug != c.Slug {
		errs = append(errs, fieldError{Field: "slug", Message: "cannot be changed"})
	}
	if errs = append(errs, req.apply(&c)...); len(errs) > 0 {
		return invalid(errs...)
	}
	c, err = s.st.UpdateCampaign(r.Context(), c)
	if err != nil {
		return fmt.Errorf("update campaign: %w", err)
	}
	return respond(w, http.StatusOK, newCampaignJSON(c))
}
