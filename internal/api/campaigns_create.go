package api

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/muster-org/muster/internal/store"
)

// createCampaign creates a campaign: 201 with it, 409 if the slug is taken.
func (s *server) createCampaign(w http.ResponseWriter, r *http.Request) error {
	var req campaignRequest
	if err := s.decodeJSON(w, r, &req); err != nil {
		return err
	}
	c, errs := req.newCampaign()
	if len(errs) > 0 {
		return invalid(errs...)
	}
	created, err := s.st.CreateCampaign(r.Context(), c)
	if errors.Is(err, store.ErrConflict) {
		return fail(http.StatusConflict, fmt.Sprintf("the slug %q is taken", c.Slug))
	}
	if err != nil {
		return fmt.Errorf("create campaign: %w", err)
	}
	w.Header().Set("Location", "/v1/campaigns/"+created.Slug)
	return respond(w, http.StatusCreated, newCampaignJSON(created))
}

// newCampaign validates a creation request: slug and name are required, the
// locale defaults to "en" and the time zone to "UTC".
func (req campaignRequest) newCampaign() (store.Campaign, []fieldError) {
	var errs []fieldError
	c := store.Campaign{Locale: defaultCampaignLocale, Timezone: defaultCampaignTimezone}
	switch {
	case req.Slug == nil:
		errs = append(errs, fieldError{Field: "slug", Message: "is required"})
	case !validSlug(*req.Slug):
		errs = append(errs, fieldError{Field: "slug", Message: "must be 2 to 64 of a-z, 0-9 and -"})
	default:
		c.Slug = *req.Slug
	}
	if req.Name == nil {
		errs = append(errs, fieldError{Field: "name", Message: "is required"})
	}
	errs = append(errs, req.apply(&c)...)
	return c, errs
}
