package api

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/supporter"
)

// listSupporters answers a page of a campaign's supporters, filtered by
// ?channel=, ?status=, ?tag= and ?country=.
func (s *server) listSupporters(w http.ResponseWriter, r *http.Request) error {
	c, err := s.campaign(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f, errs := supporterFilter(q)
	p, pageErrs := pageParams(q)
	if errs = append(errs, pageErrs...); len(errs) > 0 {
		return invalid(errs...)
	}
	sups, next, err := s.st.ListSupporters(r.Context(), c.ID, f, p)
	if err != nil {
		return fmt.Errorf("list supporters: %w", err)
	}
	return respond(w, http.StatusOK, newList(mapSlice(sups, newSupporterJSON), next))
}

// supporterFilter reads and checks the filters of a supporter listing.
func supporterFilter(q url.Values) (store.SupporterFilter, []fieldError) {
	var errs []fieldError
	f := store.SupporterFilter{
		Channel: store.Channel(q.Get("channel")),
		Status:  store.SubscriptionStatus(q.Get("status")),
		Tag:     strings.ToLower(strings.TrimSpace(q.Get("tag"))),
	}
	if f.Channel != "" && !f.Channel.Valid() {
		errs = append(errs, fieldError{Field: "channel", Message: "must be email or sms"})
	}
	switch f.Status {
	case "", store.SubPending, store.SubActive, store.SubUnsubscribed, store.SubSuppressed:
	default:
		errs = append(errs, fieldError{Field: "status", Message: "must be pending, active, unsubscribed or suppressed"})
	}
	country, err := supporter.Country(q.Get("country"))
	if err != nil {
		errs = append(errs, fieldError{Field: "country", Message: err.Error()})
	}
	f.Country = country
	return f, errs
}
