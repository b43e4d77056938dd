package main

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/muster-org/muster/internal/mail"
	"github.com/muster-org/muster/internal/outbox"
	"github.com/muster-org/muster/internal/ratelimit"
	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/sms"
	"github.com/muster-org/muster/templates"
	"github.com/muster-org/muster/worker"
)

type mailSender interface {
	Send(ctx context.Context, m mail.Message) (string, error)
}

type smsSender interface {
	Send(ctx context.Context, m sms.Message) (string, error)
}

// newWorker builds the workers with the configured providers, or the local
// outbox for a provider that is not configured, once Redis answers. The
// returned func closes the providers.
func (a *app) newWorker(ctx context.Context) (*worker.Worker, func(), error) {
	if err := a.waitRedis(ctx); err != nil {
		return nil, nil, err
	}
	if p := a.cfg.WorkerGCPercent; p > 0 {
		debug.SetGCPercent(p)
	}
	r, err := render.New(templates.FS())
	if err != nil {
		return nil, nil, fmt.Errorf("templates: %w", err)
	}
	email, text, closeEmail, err := a.senders()
	if err != nil {
		return nil, nil, err
	}
	w := worker.New(worker.Deps{
		Redis: a.redis, Store: a.st, Renderer: r, Email: email, SMS: text,
		Limiter:  ratelimit.New(a.rdb, map[string]int{"email": a.cfg.EmailRate, "sms": a.cfg.SMSRate}),
		Logger:   a.log,
		Settings: a.settings(),
		Tokens:   a.tokens,
	})
	return w, closeEmail, nil
}

// senders returns the configured providers, or the outbox where one is not
// configured; the func closes them.
func (a *app) senders() (mailSender, smsSender, func(), error) {
	email, closeEmail, err := a.mailSender()
	if err != nil {
		return nil, nil, nil, err
	}
	text, err := a.smsSender()
	if err != nil {
		closeEmail()
		return nil, nil, nil, err
	}
	return email, text, closeEmail, nil
}

func (a *app) mailSender() (mailSender, func(), error) {
	if a.cfg.EmailOutbox() {
		a.log.Info("email goes to the local outbox", "dir", a.cfg.OutboxDir)
		m, err := outbox.NewMailer(a.cfg.OutboxDir)
		return m, func() {}, err
	}
	cfg, err := mail.ParseURL(a.cfg.SMTPURL)
	if err != nil {
		return nil, nil, err
	}
	cfg.PoolSize = a.cfg.SMTPPool
	a.log.Info("email goes to SMTP", "server", cfg.String(), "pool", cfg.PoolSize)
	p, err := mail.NewPool(cfg, a.log)
	if err != nil {
		return nil, nil, fmt.Errorf("smtp: %w", err)
	}
	return p, func() { _ = p.Close() }, nil
}

func (a *app) smsSender() (smsSender, error) {
	if a.cfg.SMSOutbox() {
		a.log.Info("sms goes to the local outbox", "dir", a.cfg.OutboxDir)
		return outbox.NewTexter(a.cfg.OutboxDir)
	}
	a.log.Info("sms goes to Twilio", "base_url", a.cfg.TwilioBaseURL)
	return sms.NewClient(sms.Config{
		AccountSID: a.cfg.TwilioAccountSID, AuthToken: a.cfg.TwilioAuthToken,
		BaseURL: a.cfg.TwilioBaseURL, MaxConns: max(a.cfg.SMSParallel*a.cfg.SMSConcurrency, 16),
	})
}

func (a *app) settings() worker.Settings {
	c := a.cfg
	return worker.Settings{
		BaseURL: c.BaseURL, BatchSize: c.BatchSize, ChunkSize: c.ChunkSize,
		EmailParallel: c.SMTPPool, SMSParallel: c.SMSParallel,
		EmailConcurrency: c.EmailConcurrency, SMSConcurrency: c.SMSConcurrency,
		QuietHours: c.QuietHours, RetryBudget: c.RetryBudget, RetryBase: c.RetryBase, RetryMax: c.RetryMax,
		RateLimitWait: c.RateLimitWait, SendLease: c.SendLease, ConfirmTTL: c.ConfirmTTL, Reconcile: c.ReconcileInterval,
		QueuePoll: c.QueuePoll, ShutdownTimeout: c.ShutdownTimeout,
	}
}
