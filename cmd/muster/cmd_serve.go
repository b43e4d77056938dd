package main

import (
	"context"
)

// cmdServe runs the API alone.
func cmdServe(ctx context.Context, e env, args []string) error {
	if err := noArgs("serve", args); err != nil {
		return err
	}
	a, err := newApp(ctx, e)
	if err != nil {
		return err
	}
	defer a.close()
	if err := a.waitRedis(ctx); err != nil {
		// Alerts are stored even while Redis is away; the reconciler re-drives them.
		a.log.Warn("redis is not reachable yet; /readyz says so until it is", "err", err)
	}
	h, closeAPI, err := a.newAPI()
	if err != nil {
		return err
	}
	defer closeAPI()
	return a.serveHTTP(ctx, h, func(addr string) { a.log.Info("api listening", "addr", addr, "base_url", a.cfg.BaseURL) })
}
