package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/muster-org/muster/internal/store"
)

// showJoin shows a campaign's join page, in the language asked for with
// ?lang=, else the browser's, else the campaign's.
func (s *server) showJoin(w http.ResponseWriter, r *http.Request) error {
	c, err := s.campaign(r)
	if err != nil {
		return err
	}
	l := s.language(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"), c.Locale)
	f := form{Locale: l.Code, Channels: []string{string(store.ChannelEmail)}}
	return s.renderJoin(w, http.StatusOK, l, c, f, nil)
}

// campaign returns the campaign of the request's {slug}, or a 404 page.
func (s *server) campaign(r *http.Request) (store.Campaign, error) {
	c, err := s.st.CampaignBySlug(r.Context(), r.PathValue("slug"))
	if errors.Is(err, store.ErrNotFound) {
		return c, &pageError{status: http.StatusNotFound, page: pageNotFound, err: err}
	}
	if err != nil {
		return c, fmt.Errorf("load campaign: %w", err)
	}
	return c, nil
}

// renderJoin writes the join form with what was typed and what is wrong.
func (s *server) renderJoin(w http.ResponseWriter, status int, l *lang, c store.Campaign, f form, errs []fieldError) error {
	consent, err := consentLabel(l, c)
	if err != nil {
		return err
	}
	if f.Locale == "" {
		f.Locale = l.Code
	}
	return s.render(w, status, "join", view{
		L: l, Switch: s.switcher(l), Campaign: c.Name, Slug: c.Slug, Form: f, Errors: errs, Consent: consent,
	})
}

// consentLabel is the label of the consent box: what the person agrees to,
// kept word for word as the consent evidence of their subscriptions.
func consentLabel(l *lang, c store.Campaign) (string, error) {
	return l.T("join.consent", "campaign", c.Name)
}

// switcher links to the page in each language. The links keep the path and
// set only ?lang=, so they work on any page.
func (s *server) switcher(current *lang) []langLink {
	links := make([]langLink, len(s.langs))
	for i, l := range s.langs {
		links[i] = langLink{Code: l.Code, Name: l.Name(), URL: "?lang=" + l.Code, Current: l == current}
	}
	return links
}
