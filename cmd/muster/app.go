package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/muster-org/muster/internal/config"
	"github.com/muster-org/muster/internal/store"
	"github.com/muster-org/muster/internal/token"
)

// app holds what the long-running commands share: configuration, logger,
// store and Redis.
type app struct {
	cfg   config.Config
	log   *slog.Logger
	st    *store.Store
	redis asynq.RedisConnOpt
	rdb   redis.UniversalClient
	// tokens signs and checks the links in emails (unsubscribe, confirm).
	tokens *token.Signer
}

// newApp loads the configuration, opens and migrates the store, and connects to Redis.
func newApp(ctx context.Context, e env) (*app, error) {
	cfg, err := config.Load(e.getenv)
	if err != nil {
		return nil, err
	}
	log, err := newLogger(e.stderr, cfg)
	if err != nil {
		return nil, err
	}
	st, err := openStore(ctx, &cfg)
	if err != nil {
		return nil, err
	}
	opt, err := asynq.ParseRedisURI(cfg.RedisURL)
	if err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("MUSTER_REDIS_URL: %w", err)
	}
	rdb, ok := opt.MakeRedisClient().(redis.UniversalClient)
	if !ok {
		_ = st.Close()
		return nil, errors.New("MUSTER_REDIS_URL: not a Redis client option")
	}
	tokens, err := token.NewSigner(subkey(cfg.Secret, "tokens"))
	if err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("MUSTER_SECRET: %w", err)
	}
	return &app{cfg: cfg, log: log, st: st, redis: opt, rdb: rdb, tokens: tokens}, nil
}

// openStore loads the secret into cfg (it keys the suppression list), then
// opens and migrates the store.
func openStore(ctx context.Context, cfg *config.Config) (*store.Store, error) {
	var err error
	if cfg.Secret, err = loadSecret(*cfg); err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, cfg.DatabaseURL, store.Options{ContactKey: subkey(cfg.Secret, "suppression-list")})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := st.Migrate(ctx); err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("migrate database: %w", err)
	}
	return st, nil
}

// waitRedis fails with a clear message when Redis cannot be reached.
func (a *app) waitRedis(ctx context.Context) error {
	if err := a.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redis at MUSTER_REDIS_URL does not answer (start it, or run `make run` which does): %w", err)
	}
	return nil
}

func (a *app) close() {
	_ = a.rdb.Close()
	_ = a.st.Close()
}
