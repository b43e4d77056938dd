package web

import (
	"net/http"

	"github.com/muster-org/muster/internal/token"
)

// showUnsubscribe shows the page of an unsubscribe link: the campaign's name
// and one button, which posts back to the same address. Nothing changes until
// it is pressed, since mail scanners open links.
func (s *server) showUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	claims, err := s.tokens.Verify(r.PathValue("token"), token.Unsubscribe, s.cfg.Now())
	if err != nil {
		return invalidLink(err)
	}
	c, l, err := s.tokenPage(r, claims)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "unsubscribe", view{
		L: l, NoIndex: true, Campaign: c.Name, Slug: c.Slug, Channel: claims.Channel,
	})
}
