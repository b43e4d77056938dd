package main

import (
	"context"
	"fmt"

	"github.com/muster-org/muster/internal/config"
)

// cmdMigrate creates or upgrades the database schema.
func cmdMigrate(ctx context.Context, e env, args []string) error {
	if err := noArgs("migrate", args); err != nil {
		return err
	}
	cfg, err := config.Load(e.getenv)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "database is up to date:", redactURL(cfg.DatabaseURL))
	return st.Close()
}

func noArgs(name string, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: muster %s takes no arguments (got %q)", errUsage, name, args)
	}
	return nil
}
