// Package web serves Muster's public pages: a campaign's join page
// (GET and POST /c/{slug}), the double opt-in confirmation link
// (GET /confirm/{token}) and the unsubscribe page with its RFC 8058 one-click
// endpoint (GET and POST /unsubscribe/{token}).
//
// The pages are server-rendered with html/template, work without JavaScript
// and load nothing from elsewhere. They speak English, Spanish, Brazilian
// Portuguese and French: the templates and their words are embedded and
// parsed, and every page is rendered once in every language, when New runs,
// so that a broken template or a missing translation fails the start.
//
// The client's IP address, used for the join throttle and kept as consent
// evidence, is the host of the connection's remote address. Proxy headers
// (X-Forwarded-For, Forwarded) are never read: behind a reverse proxy, the
// proxy must be made to pass the client's address some other way (PROXY
// protocol, or a trusted middleware in front of this handler), else every
// visitor shares the proxy's address and its throttle.
package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/text/language"

	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/token"
)

// Config tunes the pages. The zero value is usable: withDefaults fills it in.
type Config struct {
	// BaseURL is MUSTER_BASE_URL, the public URL of the pages. When set, its
	// origin is trusted by the join form's cross-origin check, for browsers
	// that send Origin but not Sec-Fetch-Site through a proxy that rewrites Host.
	BaseURL string
	// Now is the clock that tokens are checked and subscriptions changed at;
	// nil means time.Now.
	Now func() time.Time
}

// withDefaults returns c with its zero fields set to their defaults.
func (c Config) withDefaults() Config {
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// confirmer sends the double opt-in email of a pending email subscription
// (worker.Queue, which hands it to the workers).
type confirmer interface {
	EnqueueConfirmation(ctx context.Context, supporterID, campaignID int64) error
}

// throttler says whether a key (a client's address) may post the join form
// now (ratelimit.Throttle, shared by every process on the same Redis).
type throttler interface {
	Allow(ctx context.Context, key string) (bool, error)
}

// server holds what the handlers need. Everything in it is read-only once
// New returns.
type server struct {
	cfg      Config
	st       *store.Store
	tokens   *token.Signer
	confirm  confirmer
	throttle throttler
	log      *slog.Logger
	pages    map[string]*template.Template
	css      template.CSS
	csp      string
	langs    []*lang // langs[0] is the default
	matcher  language.Matcher
	origin   *http.CrossOriginProtection
}

// New returns the handler of the public pages. It parses every page template
// and translation, and renders every page in every language once: an error
// there is returned and should fail the start.
func New(cfg Config, st *store.Store, tokens *token.Signer, confirm confirmer, throttle throttler,
	log *slog.Logger) (http.Handler, error) {
	if st == nil || tokens == nil || confirm == nil || throttle == nil || log == nil {
		return nil, errors.New("web: new: a store, a token signer, a confirmer, a throttler and a logger are needed")
	}
	s := &server{cfg: cfg.withDefaults(), st: st, tokens: tokens, confirm: confirm, throttle: throttle, log: log}
	if err := s.load(); err != nil {
		return nil, fmt.Errorf("web: new: %w", err)
	}
	return s.routes(), nil
}

// load reads the embedded files into s and checks that every page renders.
func (s *server) load() error {
	var err error
	if s.langs, err = loadLangs(); err != nil {
		return err
	}
	s.matcher = newMatcher(s.langs)
	if s.pages, s.css, err = loadPages(); err != nil {
		return err
	}
	s.csp = contentSecurityPolicy(s.css)
	if s.origin, err = s.crossOrigin(); err != nil {
		return err
	}
	return s.rehearse()
}

// crossOrigin returns the join form's protection against cross-site posts,
// trusting the origin of BaseURL, and answering refusals with a page.
func (s *server) crossOrigin() (*http.CrossOriginProtection, error) {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(s.serve(func(http.ResponseWriter, *http.Request) error {
		return &pageError{status: http.StatusForbidden, page: "forbidden"}
	}))
	if s.cfg.BaseURL == "" {
		return p, nil
	}
	u, err := url.Parse(s.cfg.BaseURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("base URL %q is not an absolute URL", s.cfg.BaseURL)
	}
	if err := p.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
		return nil, fmt.Errorf("base URL: %w", err)
	}
	return p, nil
}
