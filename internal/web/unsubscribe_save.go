package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/token"
)

// reasonLink is the reason recorded for subscriptions ended by an unsubscribe link.
const reasonLink = "unsubscribe_link"

// saveUnsubscribe ends the subscription of an unsubscribe link: the page's
// button, or a mail provider's RFC 8058 one-click post (body
// "List-Unsubscribe=One-Click", or none). The token is the only
// authorization: no cookie, no Origin, no field is needed, and the body is
// not read. Repeating it, or unsubscribing a supporter erased since, shows
// the same page.
func (s *server) saveUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	now := s.cfg.Now()
	claims, err := s.tokens.Verify(r.PathValue("token"), token.Unsubscribe, now)
	if err != nil {
		return invalidLink(err)
	}
	// A visitor who closes the tab once they pressed the button is still out.
	ctx := context.WithoutCancel(r.Context())
	_, err = s.st.Unsubscribe(ctx, claims.SupporterID, claims.CampaignID, store.Channel(claims.Channel), reasonLink, now)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("unsubscribe: %w", err)
	}
	s.log.InfoContext(ctx, "unsubscribed by link", "supporter_id", claims.SupporterID,
		"campaign_id", claims.CampaignID, "channel", claims.Channel)
	c, l, err := s.tokenPage(r, claims)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "unsubscribed", view{
		L: l, NoIndex: true, Campaign: c.Name, Slug: c.Slug, Channel: claims.Channel,
	})
}
