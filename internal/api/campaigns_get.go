package api

import "net/http"

// getCampaign answers one campaign.
func (s *server) getCampaign(w http.ResponseWriter, r *http.Request) error {
	c, err := s.campaign(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	return respond(w, http.StatusOK, newCampaignJSON(c))
}
