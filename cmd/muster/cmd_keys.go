package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/muster-org/muster/internal/api"
	"github.com/muster-org/muster/internal/config"
	"github.com/muster-org/muster/internal/store"
)

// cmdKeys manages API keys: create prints the new key (alone on the last line
// of stdout); only its hash is stored.
func cmdKeys(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: muster keys create|list|revoke", errUsage)
	}
	return withStore(ctx, e, func(_ config.Config, st *store.Store) error {
		return keys(ctx, e, st, args)
	})
}

func keys(ctx context.Context, e env, st *store.Store, args []string) error {
	switch args[0] {
	case "create":
		return keysCreate(ctx, e, st, args[1:])
	case "list":
		return keysList(ctx, e, st)
	case "revoke":
		if len(args) != 2 {
			return fmt.Errorf("%w: muster keys revoke NAME", errUsage)
		}
		if err := st.RevokeAPIKey(ctx, args[1]); err != nil {
			return fmt.Errorf("revoke %q: %w", args[1], err)
		}
		fmt.Fprintf(e.stdout, "revoked %s\n", args[1])
		return nil
	}
	return fmt.Errorf("%w: unknown keys command %q", errUsage, args[0])
}

func keysCreate(ctx context.Context, e env, st *store.Store, args []string) error {
	fs := flag.NewFlagSet("keys create", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	name := fs.String("name", "", "a name for the key, e.g. the person or script using it")
	role := fs.String("role", string(store.RoleOrganizer), "admin or organizer")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %w", errUsage, err)
	}
	if *name == "" || !store.Role(*role).Valid() {
		return fmt.Errorf("%w: muster keys create --name NAME --role admin|organizer", errUsage)
	}
	secret, err := createKey(ctx, st, *name, store.Role(*role))
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created %s key %q; it is shown once, store it now:\n%s\n", *role, *name, secret)
	return nil
}

func createKey(ctx context.Context, st *store.Store, name string, role store.Role) (string, error) {
	secret, hash, err := api.GenerateKey()
	if err != nil {
		return "", err
	}
	if _, err := st.CreateAPIKey(ctx, name, role, hash); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return "", fmt.Errorf("a key named %q exists already", name)
		}
		return "", fmt.Errorf("create key: %w", err)
	}
	return secret, nil
}

func keysList(ctx context.Context, e env, st *store.Store) error {
	keys, err := st.ListAPIKeys(ctx)
	if err != nil {
		return fmt.Errorf("list keys: %w", err)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tCREATED\tLAST USED\tREVOKED")
	for _, k := range keys {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", k.Name, k.Role, day(k.CreatedAt), day(k.LastUsedAt), day(k.RevokedAt))
	}
	return tw.Flush()
}

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}
