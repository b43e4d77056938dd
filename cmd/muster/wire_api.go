package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/hibiken/asynq"

	"github.com/muster-org/muster/internal/api"
	"github.com/muster-org/muster/internal/ratelimit"
	"github.com/muster-org/muster/internal/render"
	"github.com/muster-org/muster/internal/web"
	"github.com/muster-org/muster/templates"
	"github.com/muster-org/muster/worker"
)

// newAPI builds the API handler, the asynq client it enqueues with and the
// providers previews send test copies through; the returned func closes them.
func (a *app) newAPI() (http.Handler, func(), error) {
	r, err := render.New(templates.FS())
	if err != nil {
		return nil, nil, fmt.Errorf("templates: %w", err)
	}
	email, text, closeEmail, err := a.senders()
	if err != nil {
		return nil, nil, err
	}
	client := asynq.NewClient(a.redis)
	checks := map[string]func(context.Context) error{
		"database": a.st.Ping,
		"redis":    func(ctx context.Context) error { return a.rdb.Ping(ctx).Err() },
	}
	cfg := api.Config{
		EmailRate: a.cfg.EmailRate, SMSRate: a.cfg.SMSRate, QuietHours: a.cfg.QuietHours,
		BaseURL: a.cfg.BaseURL, TwilioAuthToken: a.cfg.TwilioAuthToken,
		Tester: worker.NewTester(worker.Deps{Renderer: r, Email: email, SMS: text, Logger: a.log, Settings: a.settings()}),
	}
	q := worker.NewQueue(client)
	pages, err := web.New(web.Config{BaseURL: a.cfg.BaseURL}, a.st, a.tokens, q,
		ratelimit.NewThrottle(a.rdb, joinsPerMinute, joinBurst), a.log)
	if err != nil {
		_ = client.Close()
		closeEmail()
		return nil, nil, fmt.Errorf("web pages: %w", err)
	}
	mux := http.NewServeMux()
	for _, prefix := range []string{"/c/", "/confirm/", "/unsubscribe/"} {
		mux.Handle(prefix, pages)
	}
	mux.Handle("/", api.New(cfg, a.st, q, r, checks, a.log))
	return mux, func() { _ = client.Close(); closeEmail() }, nil
}

// The join page's throttle per client address: a family or an office behind
// one address can join together; a script cannot flood the form.
const (
	joinsPerMinute = 30
	joinBurst      = 20
)

// serveHTTP serves h on the configured address until ctx ends, then drains
// requests in flight. ready, if not nil, receives the bound address.
func (a *app) serveHTTP(ctx context.Context, h http.Handler, ready func(addr string)) error {
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", a.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("MUSTER_HTTP_ADDR: %w", err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Minute, // a 100 MiB CSV import on a slow link
		WriteTimeout:      10 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          nil,
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("http shutdown: %w", err)
	}
	return nil
}
