// Package store is Muster's source of truth: every SQL statement lives here.
//
// SQLite (modernc.org/sqlite) is the only database for now. Queries are written
// with ? placeholders, ON CONFLICT and RETURNING, and keep time arithmetic in Go
// (timestamps are BIGINT unix milliseconds, 0 for the zero time), so that a
// PostgreSQL dialect can share them later.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Store is the source of truth: every SQL statement of Muster lives behind it.
type Store struct {
	// w is the only connection that writes: every write and every transaction
	// goes through it, so writers queue in Go instead of failing with "database
	// is locked".
	w *sql.DB
	// r is a pool of read-only connections, which WAL lets run beside the writer.
	r *sql.DB
	// wst and rst are the prepared statements of the delivery hot path, on w and r.
	wst, rst *stmtCache
	d        dialect
	now      func() time.Time
	// contactKey keys the hashes of the suppression list.
	contactKey []byte
}

// Options tunes a Store.
type Options struct {
	// Now is the clock used for created/updated timestamps; nil means time.Now.
	Now func() time.Time
	// ContactKey keys the hashes of addresses and numbers in the suppression
	// list (derive it from MUSTER_SECRET); nil hashes them without a key, for
	// tests.
	ContactKey []byte
}

// Open opens the database named by url ("sqlite:PATH"; "postgres://..." later),
// creating the SQLite file and its directory if needed. It does not migrate.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		w, r, err := openSQLite(ctx, strings.TrimPrefix(url, "sqlite:"))
		if err != nil {
			return nil, err
		}
		d := sqliteDialect()
		return &Store{w: w, r: r, wst: newStmtCache(w, d), rst: newStmtCache(r, d), d: d, now: now,
			contactKey: opts.ContactKey}, nil
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		return nil, errors.New("store: open: PostgreSQL is not supported yet")
	default:
		return nil, fmt.Errorf("store: open: unknown database URL scheme (want sqlite:PATH): %q", scheme(url))
	}
}

// scheme returns what comes before the first colon of url, so that errors never
// echo a URL that may hold a password.
func scheme(url string) string {
	s, _, _ := strings.Cut(url, ":")
	return s
}

// Close closes the database.
func (s *Store) Close() error {
	return errors.Join(s.rst.close(), s.wst.close(), s.r.Close(), s.w.Close())
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.r.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}
