package store

import (
	"context"
	"database/sql"
	"fmt"
)

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// conn runs queries written with ? placeholders on a database or a
// transaction, rebinding them for the dialect.
type conn struct {
	q querier
	d dialect
}

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.q.ExecContext(ctx, c.d.bind(query), args...)
}

func (c conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return c.q.QueryContext(ctx, c.d.bind(query), args...)
}

func (c conn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return c.q.QueryRowContext(ctx, c.d.bind(query), args...)
}

func (c conn) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	return c.q.PrepareContext(ctx, c.d.bind(query))
}

// stmt returns st, prepared on the writer or the reader pool, to run on c: in
// a transaction, on the transaction's connection.
func (c conn) stmt(ctx context.Context, st *sql.Stmt) *sql.Stmt {
	if tx, ok := c.q.(*sql.Tx); ok {
		return tx.StmtContext(ctx, st)
	}
	return st
}

// read returns a conn on the reader pool.
func (s *Store) read() conn { return conn{q: s.r, d: s.d} }

// write returns a conn on the writer, for single statements.
func (s *Store) write() conn { return conn{q: s.w, d: s.d} }

// inTx runs fn in a write transaction, committed if fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(c conn) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(conn{q: tx, d: s.d}); err != nil {
		_ = tx.Rollback() // the error of fn says more
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
