package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// migrationFiles holds the numbered migrations of every dialect, one directory each.
//
//go:embed migrations
var migrationFiles embed.FS

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// Migrate creates or upgrades the schema; each numbered migration runs in a transaction.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := loadMigrations(s.d.migrations)
	if err != nil {
		return err
	}
	if _, err := s.write().exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrate: create schema_migrations: %w", err)
	}
	for _, m := range ms {
		if err := s.inTx(ctx, func(c conn) error { return s.apply(ctx, c, m) }); err != nil {
			return fmt.Errorf("store: migrate %s: %w", m.name, err)
		}
	}
	return nil
}

// apply runs m unless it has run already. The check is inside the migration's
// transaction, so two processes migrating at once apply it once.
func (s *Store) apply(ctx context.Context, c conn, m migration) error {
	var n int
	if err := c.queryRow(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	hook := s.migrationHooks()[m.version]
	if hook.before != nil {
		if err := hook.before(ctx, c); err != nil {
			return err
		}
	}
	if _, err := c.exec(ctx, m.sql); err != nil {
		return err
	}
	if hook.after != nil {
		if err := hook.after(ctx, c); err != nil {
			return err
		}
	}
	_, err := c.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
		m.version, m.name, s.nowMS())
	return err
}

// migrationHook is Go work a migration needs around its SQL, in the same
// transaction, so that it runs once, with the migration: what SQL cannot do,
// such as hashing with the contact key.
type migrationHook struct {
	before, after func(ctx context.Context, c conn) error
}

// migrationHooks returns the hooks of the migrations that have some, by version.
func (s *Store) migrationHooks() map[int]migrationHook {
	return map[int]migrationHook{
		emailCaseVersion: {before: s.foldStoredEmails, after: s.rehashFoldedEmails},
	}
}

// loadMigrations reads the migrations of dir, in version order. Their names
// are NNNN_what.sql.
func loadMigrations(dir string) ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, fmt.Errorf("store: migrate: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		m, err := readMigration(path.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

func readMigration(file string) (migration, error) {
	name := strings.TrimSuffix(path.Base(file), ".sql")
	num, _, _ := strings.Cut(name, "_")
	v, err := strconv.Atoi(num)
	if err != nil || !strings.HasSuffix(file, ".sql") {
		return migration{}, fmt.Errorf("store: migrate: %s is not named NNNN_what.sql", file)
	}
	b, err := migrationFiles.ReadFile(file)
	if err != nil {
		return migration{}, fmt.Errorf("store: migrate: %w", err)
	}
	return migration{version: v, name: name, sql: string(b)}, nil
}
