package main

import (
	"context"
)

// cmdWorker runs the workers alone.
func cmdWorker(ctx context.Context, e env, args []string) error {
	if err := noArgs("worker", args); err != nil {
		return err
	}
	a, err := newApp(ctx, e)
	if err != nil {
		return err
	}
	defer a.close()
	w, closeSenders, err := a.newWorker(ctx)
	if err != nil {
		return err
	}
	defer closeSenders()
	a.log.Info("worker started")
	a.serveDebug(ctx)
	return w.Run(ctx)
}
