package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/supporter"
)

// upsertSupporter creates or updates a supporter (matched by email, else
// phone) and subscribes them to the campaign: 201 new, 200 existing.
func (s *server) upsertSupporter(w http.ResponseWriter, r *http.Request) error {
	c, err := s.campaign(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	var in supporter.Input
	if err := s.decodeJSON(w, r, &in); err != nil {
		return err
	}
	up, errs := in.Upsert(supporter.SourceAPI)
	if len(errs) > 0 {
		return invalid(errs...)
	}
	res, err := s.st.UpsertSupporters(r.Context(), c.ID, []store.SupporterUpsert{up})
	if err == nil && len(res) != 1 {
		err = fmt.Errorf("%d results for one supporter", len(res))
	}
	if err == nil {
		err = res[0].Err
	}
	if errors.Is(err, store.ErrConflict) {
		return fail(http.StatusConflict, "the email and the phone belong to two different supporters")
	}
	if err != nil {
		return fmt.Errorf("upsert supporter: %w", err)
	}
	status := http.StatusOK
	if res[0].Created {
		status = http.StatusCreated
	}
	w.Header().Set("Location", "/v1/supporters/"+strconv.FormatInt(res[0].Supporter.ID, 10))
	return respond(w, status, newSupporterJSON(res[0].Supporter))
}
