package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sync"
)

// cmdRun runs the API and the workers in one process.
func cmdRun(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	demo := fs.Bool("demo", false, "create a demo campaign, supporters and an API key, and print what to try")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
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
	h, closeAPI, err := a.newAPI()
	if err != nil {
		return err
	}
	defer closeAPI()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	a.serveDebug(ctx)
	var wg sync.WaitGroup
	var werr error
	wg.Go(func() {
		werr = w.Run(ctx)
		cancel()
	})
	herr := a.serveHTTP(ctx, h, func(addr string) {
		a.log.Info("muster is running", "api", "http://"+addr, "base_url", a.cfg.BaseURL)
		if *demo {
			printDemo(ctx, a, e.stdout)
		}
	})
	cancel()
	wg.Wait()
	return errors.Join(herr, werr)
}

func printDemo(ctx context.Context, a *app, w io.Writer) {
	key, err := seedDemo(ctx, a)
	if err != nil {
		a.log.Error("demo", "err", err)
		return
	}
	fmt.Fprintf(w, demoText, a.cfg.BaseURL, key, a.cfg.OutboxDir)
}
