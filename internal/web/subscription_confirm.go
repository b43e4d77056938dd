package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/token"
)

// confirmSubscription confirms a pending email subscription from the link of
// the double opt-in email, in the supporter's language. Confirming twice
// shows the same page; a subscription that ended in between stays ended, and
// the page says so.
func (s *server) confirmSubscription(w http.ResponseWriter, r *http.Request) error {
	now := s.cfg.Now()
	claims, err := s.tokens.Verify(r.PathValue("token"), token.Confirm, now)
	if errors.Is(err, token.ErrExpired) {
		return s.expired(r, claims)
	}
	if err != nil {
		return invalidLink(err)
	}
	if r.Method == http.MethodHead {
		// Link checkers look with HEAD: only a GET, what a person's click
		// sends, confirms.
		w.WriteHeader(http.StatusOK)
		return nil
	}
	sub, err := s.st.ConfirmSubscription(r.Context(), claims.SupporterID, claims.CampaignID, store.ChannelEmail, now)
	if errors.Is(err, store.ErrNotFound) { // erased since
		return invalidLink(err)
	}
	if err != nil {
		return fmt.Errorf("confirm subscription: %w", err)
	}
	c, l, err := s.tokenPage(r, claims)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "confirmed", view{
		L: l, NoIndex: true, Campaign: c.Name, Slug: c.Slug, Left: sub.Status != store.SubActive,
	})
}

// expired answers a genuine confirm token past its time with a link to join
// again.
func (s *server) expired(r *http.Request, claims token.Claims) error {
	c, l, err := s.tokenPage(r, claims)
	if err != nil {
		return err
	}
	return &pageError{status: http.StatusGone, page: pageExpired, lang: l, campaign: c.Name, link: "/c/" + c.Slug}
}

// tokenPage returns the campaign of a genuine token and the language of its
// page: ?lang=, else the supporter's, else the browser's, else the campaign's.
func (s *server) tokenPage(r *http.Request, claims token.Claims) (store.Campaign, *lang, error) {
	c, err := s.st.CampaignByID(r.Context(), claims.CampaignID)
	if errors.Is(err, store.ErrNotFound) {
		return c, nil, invalidLink(err)
	}
	if err != nil {
		return c, nil, fmt.Errorf("load campaign: %w", err)
	}
	sup, err := s.st.SupporterByID(r.Context(), claims.SupporterID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return c, nil, fmt.Errorf("load supporter: %w", err)
	}
	return c, s.language(r.URL.Query().Get("lang"), sup.Locale, r.Header.Get("Accept-Language"), c.Locale), nil
}
