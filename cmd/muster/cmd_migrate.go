package main

import (
	"context"
	"fmt"

	"github.com/muster-org/muster/internal/config"
	"github.com/muster-org/muster/internal/store"
)

// cmdMigrate creates or upgrades the database schema.
func cmdMigrate(ctx context.Context, e env, args []string) error {
	if err := noArgs("migrate", args); err != nil {
		return err
	}
	return withStore(ctx, e, func(cfg config.Config, _ *store.Store) error {
		fmt.Fprintln(e.stdout, "database is up to date:", redactURL(cfg.DatabaseURL))
		return nil
	})
}

// withStore loads the configuration, opens and migrates the store, runs f,
// and closes the store: the frame of the commands that only need the database.
func withStore(ctx context.Context, e env, f func(config.Config, *store.Store) error) error {
	cfg, err := config.Load(e.getenv)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, &cfg)
	if err != nil {
		return err
	}
	defer func() { _ = st.Close() }()
	return f(cfg, st)
}

func noArgs(name string, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: muster %s takes no arguments (got %q)", errUsage, name, args)
	}
	return nil
}
