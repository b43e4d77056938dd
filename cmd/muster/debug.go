package main

import (
	"context"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// serveDebug serves Go's profiler on MUSTER_DEBUG_ADDR, when set, until ctx ends.
func (a *app) serveDebug(ctx context.Context) {
	if a.cfg.DebugAddr == "" {
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", a.cfg.DebugAddr)
	if err != nil {
		a.log.Warn("MUSTER_DEBUG_ADDR", "err", err)
		return
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	context.AfterFunc(ctx, func() { _ = srv.Close() })
	a.log.Info("profiler listening", "addr", ln.Addr().String())
}
