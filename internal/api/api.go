// Package api serves Muster's JSON API under /v1, with its health, readiness
// and OpenAPI endpoints: bearer keys with roles, campaigns, supporters and
// their CSV import, alerts and their deliveries, and templates.
//
// Every handler returns an error, and one function (writeError) turns errors
// into application/problem+json responses (RFC 9457).
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/muster-org/muster/internal/localtime"
	"github.com/muster-org/muster/internal/quiet"
	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/worker"
)

// Config tunes the API. The zero value is usable: withDefaults fills it in.
type Config struct {
	// MaxBodyBytes bounds JSON request bodies; 0 means 1 MiB.
	MaxBodyBytes int64
	// MaxImportBytes bounds CSV import bodies; 0 means 100 MiB.
	MaxImportBytes int64
	// EnqueueTimeout bounds the wait on Redis when an alert's fan-out is
	// enqueued; 0 means 2 s. The alert is stored either way.
	EnqueueTimeout time.Duration
	// ReadyTimeout bounds each readiness check; 0 means 2 s.
	ReadyTimeout time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// EmailRate and SMSRate are the providers' rates (MUSTER_EMAIL_RATE,
	// MUSTER_SMS_RATE) that previews forecast with; 0 means unlimited.
	EmailRate, SMSRate int
	// QuietHours is the default SMS quiet hours (MUSTER_QUIET_HOURS) that
	// previews forecast with; the zero Window means none.
	QuietHours quiet.Window
	// Tester sends previews' test copies; nil refuses send_to.
	Tester tester
	// BaseURL is MUSTER_BASE_URL, the public URL Twilio calls webhooks at and
	// signs them with.
	BaseURL string
	// TwilioAuthToken checks Twilio's webhook signatures; empty refuses them.
	TwilioAuthToken string
}

// tester sends a test copy of an alert that need not be stored (worker.Tester).
type tester interface {
	Send(ctx context.Context, a store.Alert, c store.Campaign, p render.Person, email, phone string) ([]worker.TestCopy, error)
}

// withDefaults returns c with its zero fields set to their defaults.
func (c Config) withDefaults() Config {
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = 1 << 20
	}
	if c.MaxImportBytes <= 0 {
		c.MaxImportBytes = 100 << 20
	}
	if c.EnqueueTimeout <= 0 {
		c.EnqueueTimeout = 2 * time.Second
	}
	if c.ReadyTimeout <= 0 {
		c.ReadyTimeout = 2 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}

// alertQueue schedules the fan-out of stored alerts (worker.Queue).
type alertQueue interface {
	EnqueueFanout(ctx context.Context, alertID int64, at time.Time) error
	// EnqueueConfirmation asks for the double opt-in email of a pending email subscription.
	EnqueueConfirmation(ctx context.Context, supporterID, campaignID int64) error
}

// templateCatalog knows the named templates (render.Renderer).
type templateCatalog interface {
	Templates() []render.TemplateInfo
	Has(name string) bool
	// Check tells whether a message can be rendered on the channels for the
	// locales targeted (or, when none is, the campaign's); a *render.FieldError
	// names the field at fault.
	Check(m render.Message, channels, locales []string, campaignLocale string) error
	// Email and SMS render a message for one person, for previews.
	Email(m render.Message, c render.Campaign, p render.Person) (render.Email, error)
	SMS(m render.Message, c render.Campaign, p render.Person) (render.SMS, error)
}

// server holds what the handlers need.
type server struct {
	cfg    Config
	st     *store.Store
	queue  alertQueue
	tpl    templateCatalog
	checks map[string]func(context.Context) error
	zones  *localtime.Zones
	log    *slog.Logger
}

// New returns the API's handler. checks are the readiness checks served by
// /readyz, by name ("database", "redis").
func New(cfg Config, st *store.Store, q alertQueue, tpl templateCatalog,
	checks map[string]func(context.Context) error, logger *slog.Logger) http.Handler {
	s := &server{cfg: cfg.withDefaults(), st: st, queue: q, tpl: tpl, checks: checks, zones: localtime.NewZones(), log: logger}
	return s.routes()
}
